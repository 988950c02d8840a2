"""Who may apply in a round (issue 12): the pure rule."""

from __future__ import annotations

import pytest

from indsatsteam.domain.eligibility import (
    ALL_KINDS,
    NotEligible,
    RoundRules,
    check_eligible,
    ineligibility_reason,
    join_codes,
)
from indsatsteam.domain.errors import DomainError

BOSTOTTE_ONLY = RoundRules.from_columns("sel85_home,abl_sel85", "", "")


def test_no_rules_let_every_kind_apply():
    for kind in ALL_KINDS:
        check_eligible(RoundRules(), kind=kind, owner_type="privat", region="Region Sjælland")
    assert RoundRules().describe() == "Alle fire typer socialpsykiatriske tilbud kan søge."


def test_a_kind_outside_the_round_is_refused_with_the_reason():
    with pytest.raises(NotEligible) as err:
        check_eligible(BOSTOTTE_ONLY, kind="sel108", owner_type="kommune",
                       region="Region Midtjylland")
    assert isinstance(err.value, DomainError)
    assert err.value.message == (
        "Runden er kun for bostøtte (§ 85) eller almenbolig med § 85-støtte, og jeres tilbud "
        "er registreret som botilbud (§ 108).")
    check_eligible(BOSTOTTE_ONLY, kind="abl_sel85", owner_type="kommune",
                   region="Region Midtjylland")


def test_owner_type_and_region_give_every_reason():
    rules = RoundRules.from_columns("", "kommune,region", "Region Nordjylland")
    reason = ineligibility_reason(rules, kind="sel107", owner_type="privat",
                                  region="Region Sjælland")
    assert reason == ("Runden er kun for regionale eller kommunale tilbud, og jeres tilbud er "
                      "privat. Runden er kun for tilbud i Region Nordjylland, og jeres tilbud "
                      "ligger i Region Sjælland.")
    assert ineligibility_reason(rules, kind="sel107", owner_type="region",
                                region="Region Nordjylland") is None
    assert rules.describe() == ("Kan søges af: alle typer tilbud, regionale eller kommunale "
                                "tilbud, i Region Nordjylland.")


def test_codes_are_stored_as_no_restriction_when_everything_or_nothing_is_chosen():
    assert join_codes(ALL_KINDS, ALL_KINDS) == ""
    assert join_codes([], ALL_KINDS) == ""
    assert join_codes(["sel85_home", "abl_sel85", "junk"], ALL_KINDS) == "abl_sel85,sel85_home"
    assert RoundRules.from_columns("sel85_home,junk", None, "").kinds == {"sel85_home"}
