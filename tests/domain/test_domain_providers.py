import pytest

from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.providers import (
    KIND_CHOICES,
    OWNER_CHOICES,
    OwnerType,
    ProviderKind,
    catalogue_for,
    is_eligible,
)
from indsatsteam.domain.themes import THEMES


@pytest.mark.parametrize(
    ("kind", "label", "short_label"),
    [
        ("sel85_home", "Tilbud i borgerens eget hjem efter § 85 i lov om social service",
         "Bostøtte (§ 85)"),
        ("sel107", "Botilbud efter § 107", "Botilbud (§ 107)"),
        ("sel108", "Botilbud efter § 108", "Botilbud (§ 108)"),
        ("abl_sel85", "Botilbud efter almenboligloven med støtte efter § 85",
         "Almenbolig med § 85-støtte"),
    ],
)
def test_kind_labels(kind, label, short_label):
    assert ProviderKind(kind).label == label
    assert ProviderKind(kind).short_label == short_label


@pytest.mark.parametrize(
    ("owner", "label"), [("region", "Regionalt"), ("kommune", "Kommunalt"), ("privat", "Privat")]
)
def test_owner_labels(owner, label):
    assert OwnerType(owner).label == label


@pytest.mark.parametrize(
    "kind", ["sel85_home", "sel107", "sel108", "abl_sel85", ProviderKind.SEL107]
)
def test_the_four_kinds_are_eligible(kind):
    assert is_eligible(kind)


@pytest.mark.parametrize("kind", ["sel103", "SEL107", "", None, "botilbud"])
def test_other_kinds_are_not_eligible(kind):
    assert not is_eligible(kind)


@pytest.mark.parametrize(
    ("kind", "catalogue"),
    [("sel107", "botilbud"), ("sel108", "botilbud"), ("sel85_home", "bostotte"),
     ("abl_sel85", "bostotte"), (ProviderKind.SEL108, "botilbud")],
)
def test_catalogue_for(kind, catalogue):
    assert catalogue_for(kind) == catalogue


def test_catalogue_for_unknown_kind():
    with pytest.raises(DomainError):
        catalogue_for("sel103")


def test_choices_for_form_selects():
    assert KIND_CHOICES[0] == ("sel85_home", ProviderKind.SEL85_HOME.label)
    assert [value for value, _ in KIND_CHOICES] == ["sel85_home", "sel107", "sel108", "abl_sel85"]
    assert OWNER_CHOICES == [
        ("region", "Regionalt"), ("kommune", "Kommunalt"), ("privat", "Privat")
    ]
    assert all(type(value) is str for value, _ in KIND_CHOICES + OWNER_CHOICES)


def test_enums_are_plain_strings_for_storage():
    assert ProviderKind.SEL107 == "sel107"
    assert f"{OwnerType.KOMMUNE}" == "kommune"


def test_six_themes_with_slugs():
    assert THEMES == (
        ("ledelse_organisation", "Ledelse og organisation"),
        ("helhed_sammenhaeng", "Helhed og sammenhæng"),
        ("samarbejde_borger", "Samarbejde med borgeren"),
        ("sundhed", "Sundhed"),
        ("civilsamfund", "Civilsamfund"),
        ("uddannelse_beskaeftigelse", "Uddannelse og beskæftigelse"),
    )
    assert dict(THEMES)["sundhed"] == "Sundhed"
