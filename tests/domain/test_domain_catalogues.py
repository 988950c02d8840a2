import pytest

from indsatsteam.domain.catalogues import (
    BOSTOTTE,
    BOTILBUD,
    CATALOGUE_TITLES,
    DEFAULT_RECOMMENDATIONS,
    catalogue_code_for,
)
from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.providers import CATALOGUE_BOSTOTTE, CATALOGUE_BOTILBUD, ProviderKind


def test_codes_are_the_providers_codes():
    assert (BOTILBUD, BOSTOTTE) == ("botilbud", "bostotte")
    assert (BOTILBUD, BOSTOTTE) == (CATALOGUE_BOTILBUD, CATALOGUE_BOSTOTTE)


def test_titles():
    assert CATALOGUE_TITLES == {
        "botilbud": "Syv anbefalinger for kvalitet på botilbud",
        "bostotte": "Ti kvalitetstemaer for bostøtte",
    }


def test_the_seven_botilbud_recommendations():
    assert DEFAULT_RECOMMENDATIONS[BOTILBUD] == (
        (1, "Se borgeren som ekspert i eget liv og tag udgangspunkt i borgerens egne "
            "perspektiver"),
        (2, "Arbejd med mål og opfølgning med udgangspunkt i borgerens ønsker og behov"),
        (3, "Samarbejd med borgeren om at skabe et trygt og hjemligt miljø på botilbuddet"),
        (4, "Respektér borgerens private hjem, og skab fleksible fællesområder"),
        (5, "Støt borgeren i at deltage i fællesskaber og aktiviteter, som giver borgeren "
            "større trivsel"),
        (6, "Hav fokus på borgerens sundhed"),
        (7, "Koordinér og skab sammenhæng i borgerens indsats sammen med borgeren"),
    )


def test_the_ten_bostotte_quality_themes():
    assert DEFAULT_RECOMMENDATIONS[BOSTOTTE] == (
        (1, "Afsæt i borgernes ønsker, drømme og motivation"),
        (2, "Virke og beskæftigelse"),
        (3, "Familie, venner og fællesskaber"),
        (4, "Brobygning til civilsamfund og frivillige fællesskaber"),
        (5, "Sundhed"),
        (6, "Trivsel og personlig udvikling"),
        (7, "Helhed og sammenhæng"),
        (8, "En fleksibel indsats i og uden for hjemmet"),
        (9, "En fælles faglig tilgang"),
        (10, "Det gode forløb"),
    )


@pytest.mark.parametrize("code", [BOTILBUD, BOSTOTTE])
def test_numbered_from_one_without_gaps_or_doubles(code):
    rows = DEFAULT_RECOMMENDATIONS[code]
    assert [number for number, _ in rows] == list(range(1, len(rows) + 1))
    titles = [title for _, title in rows]
    assert len(set(titles)) == len(titles)
    assert all(title == title.strip() and "  " not in title for title in titles)


def test_only_the_two_catalogues():
    assert set(DEFAULT_RECOMMENDATIONS) == set(CATALOGUE_TITLES) == {BOTILBUD, BOSTOTTE}


@pytest.mark.parametrize(
    ("kind", "code", "count"),
    [
        ("sel107", BOTILBUD, 7),
        ("sel108", BOTILBUD, 7),
        ("sel85_home", BOSTOTTE, 10),
        ("abl_sel85", BOSTOTTE, 10),
        (ProviderKind.SEL108, BOTILBUD, 7),
        (ProviderKind.ABL_SEL85, BOSTOTTE, 10),
    ],
)
def test_catalogue_per_kind_of_service(kind, code, count):
    assert catalogue_code_for(kind) == code
    assert len(DEFAULT_RECOMMENDATIONS[catalogue_code_for(kind)]) == count


@pytest.mark.parametrize("kind", ["sel103", "", None, "botilbud"])
def test_no_catalogue_for_a_kind_that_may_not_apply(kind):
    with pytest.raises(DomainError) as caught:
        catalogue_code_for(kind)
    assert caught.value.field == "kind"
