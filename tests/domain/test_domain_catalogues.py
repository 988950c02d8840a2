import pytest

from indsatsteam.domain.catalogues import (
    BOSTOTTE,
    BOTILBUD,
    CATALOGUE_TITLES,
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


def test_only_the_two_catalogues():
    assert set(CATALOGUE_TITLES) == {BOTILBUD, BOSTOTTE}


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("sel107", BOTILBUD),
        ("sel108", BOTILBUD),
        ("sel85_home", BOSTOTTE),
        ("abl_sel85", BOSTOTTE),
        (ProviderKind.SEL108, BOTILBUD),
        (ProviderKind.ABL_SEL85, BOSTOTTE),
    ],
)
def test_catalogue_per_kind_of_service(kind, code):
    assert catalogue_code_for(kind) == code


@pytest.mark.parametrize("kind", ["sel103", "", None, "botilbud"])
def test_no_catalogue_for_a_kind_that_may_not_apply(kind):
    with pytest.raises(DomainError) as caught:
        catalogue_code_for(kind)
    assert caught.value.field == "kind"
