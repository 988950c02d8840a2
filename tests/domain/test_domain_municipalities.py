from collections import Counter

import pytest

from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.municipalities import (
    MUNICIPALITIES,
    MUNICIPALITY_CHOICES,
    REGIONS,
    Municipality,
    danish_sort_key,
    municipality_by_code,
    region_for,
)


def test_all_98_municipalities_with_unique_codes_and_names():
    assert len(MUNICIPALITIES) == 98
    assert len({m.code for m in MUNICIPALITIES}) == 98
    assert len({m.name for m in MUNICIPALITIES}) == 98


def test_codes_are_three_digits():
    assert all(len(m.code) == 3 and m.code.isdigit() for m in MUNICIPALITIES)


def test_municipalities_per_region():
    assert Counter(m.region for m in MUNICIPALITIES) == {
        "Region Hovedstaden": 29,
        "Region Sjælland": 17,
        "Region Syddanmark": 22,
        "Region Midtjylland": 19,
        "Region Nordjylland": 11,
    }
    assert set(REGIONS) == {m.region for m in MUNICIPALITIES}
    assert len(REGIONS) == 5


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("101", "København", "Region Hovedstaden"),
        ("147", "Frederiksberg", "Region Hovedstaden"),
        ("400", "Bornholm", "Region Hovedstaden"),
        ("253", "Greve", "Region Sjælland"),
        ("390", "Vordingborg", "Region Sjælland"),
        ("461", "Odense", "Region Syddanmark"),
        ("492", "Ærø", "Region Syddanmark"),
        ("630", "Vejle", "Region Syddanmark"),
        ("615", "Horsens", "Region Midtjylland"),
        ("751", "Aarhus", "Region Midtjylland"),
        ("741", "Samsø", "Region Midtjylland"),
        ("773", "Morsø", "Region Nordjylland"),
        ("825", "Læsø", "Region Nordjylland"),
        ("851", "Aalborg", "Region Nordjylland"),
    ],
)
def test_known_municipalities(code, name, region):
    assert municipality_by_code(code) == Municipality(code, name, region)
    assert region_for(code) == region


def test_lookup_accepts_the_four_digit_form():
    assert municipality_by_code("0101").name == "København"


@pytest.mark.parametrize("code", ["", None, "000", "411", "1010", "abc", "999"])
def test_unknown_codes(code):
    assert municipality_by_code(code) is None
    with pytest.raises(DomainError, match="^Vælg en kommune fra listen$"):
        region_for(code)


def test_sorted_in_danish_order():
    names = [m.name for m in MUNICIPALITIES]
    assert names == sorted(names, key=danish_sort_key)
    assert names[0] == "Albertslund"
    # æ, ø, å come after z, and "aa" is read as "å".
    assert names[-4:] == ["Ærø", "Aabenraa", "Aalborg", "Aarhus"]
    assert names.index("Tønder") < names.index("Tårnby")
    assert names.index("Køge") > names.index("København")
    assert names.index("Furesø") < names.index("Faaborg-Midtfyn") < names.index("Gentofte")


def test_choices_follow_the_sorted_list():
    assert MUNICIPALITY_CHOICES[0] == ("165", "Albertslund")
    assert len(MUNICIPALITY_CHOICES) == 98


def test_municipality_is_frozen():
    with pytest.raises(AttributeError):
        MUNICIPALITIES[0].name = "X"
