"""The rules of the phases' work: the forventningsafstemning and its gate opstart → analyse,
the development plans and their gate before the final evaluation, and the method library."""

from __future__ import annotations

import pytest

from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.expectations import (
    BENEFITS,
    CONDITION_COLUMNS,
    Expectations,
    PlanValues,
    Side,
    check_can_agree,
    check_final_evaluation_may_complete,
    check_may_edit_expectations,
    check_may_edit_plan,
    check_may_propose_methods,
    may_agree,
    may_edit_expectations,
    may_edit_plan,
    missing_parts,
    plan_missing,
)
from indsatsteam.domain.gates import GateKey, gate_met
from indsatsteam.domain.methods import (
    check_links,
    check_recommendation_refs,
    check_theme_codes,
    parse_recommendation_ref,
)
from indsatsteam.domain.phases import GateFacts, Phase, PhaseMoveRefused, check_move, unmet_gates

SEED_003_BENEFITS = (
    "Et indblik i egne styrker og udviklingsmuligheder i forhold til forbedring af kvaliteten "
    "i indsatsen",
    "Styrkede kompetencer til at skabe vellykkede forandringer, der øger kvaliteten i "
    "indsatsen",
    "Styrket den fælles faglige forståelse i forhold til recovery-orienteret rehabilitering",
    "Mere systematik i indsatsen",
)
FULL = Expectations(
    meanings={"meaning_insight": "Vi vil se, hvor vi står"}, participants="Leder og to "
    "medarbejdere", time_commitment="10 timer om måneden", leadership_involvement="Lederen "
    "deltager i alle møder", meeting_cadence="Hver 14. dag", contact_person="Sofie Sørensen",
    risks="Sygefravær i personalegruppen")
REQUIRED = ("participants", "time_commitment", "leadership_involvement", "meeting_cadence",
            "contact_person", "risks")


def _without(**changes) -> Expectations:
    values = {**FULL.__dict__, **changes}
    return Expectations(**values)


# --- the forventningsafstemning -----------------------------------------------------------------

def test_the_four_benefits_are_seed_003s_own_words():
    assert tuple(b.text for b in BENEFITS) == SEED_003_BENEFITS
    assert len({b.column for b in BENEFITS}) == 4


def test_a_complete_forventningsafstemning_can_be_agreed():
    assert missing_parts(FULL) == []
    check_can_agree(FULL)


def test_own_goals_are_enough_hopes_without_a_benefit():
    assert missing_parts(_without(meanings={}, goals="En fælles tilgang")) == []


@pytest.mark.parametrize("name", REQUIRED)
def test_every_required_part_is_named_when_empty(name):
    missing = missing_parts(_without(**{name: "   "}))
    assert len(missing) == 1
    with pytest.raises(DomainError) as caught:
        check_can_agree(_without(**{name: ""}))
    assert caught.value.field == "agreed" and missing[0] in caught.value.message


def test_nothing_filled_in_names_every_part():
    missing = missing_parts(Expectations())
    assert missing[0] == "hvad tilbuddet håber at få ud af forløbet"
    assert len(missing) == 1 + len(REQUIRED)
    with pytest.raises(DomainError) as caught:
        check_can_agree(Expectations())
    assert caught.value.message.endswith(" og risici")


# Every (side, phase, agreed) and whether that side may edit. The team edits any open forløb,
# also an agreed one (to correct it or take the agreement back); the tilbud only until agreed,
# and not while paused. Nobody edits a completed or cancelled forløb.
EDIT_TABLE = {
    (side, phase, agreed): (
        phase not in (Phase.COMPLETED, Phase.CANCELLED)
        and (side == Side.TEAM or (phase != Phase.PAUSED and not agreed)))
    for side in Side for phase in Phase for agreed in (False, True)
}


@pytest.mark.parametrize(("side", "phase", "agreed"), sorted(EDIT_TABLE))
def test_who_may_edit_the_forventningsafstemning(side, phase, agreed):
    allowed = EDIT_TABLE[side, phase, agreed]
    assert may_edit_expectations(side, phase, agreed) is allowed
    if allowed:
        check_may_edit_expectations(side, phase, agreed)
    else:
        with pytest.raises(DomainError):
            check_may_edit_expectations(side, phase, agreed)


def test_the_tilbud_is_told_why_it_cannot_edit():
    with pytest.raises(DomainError, match="aftalt og kan ikke længere ændres"):
        check_may_edit_expectations("tilbud", "startup", True)
    with pytest.raises(DomainError, match="pause"):
        check_may_edit_expectations("tilbud", "paused", False)
    with pytest.raises(DomainError, match="afsluttet eller annulleret"):
        check_may_edit_expectations("team", "completed", False)


def test_only_the_team_marks_it_agreed():
    assert may_agree("team") and not may_agree("tilbud")


# --- the gate opstart → analyse -------------------------------------------------------------------

KICKOFF = "Der er ikke registreret et afholdt opstartsmøde"
NOT_AGREED = "Samarbejdsaftalen er ikke aftalt endnu"


@pytest.mark.parametrize(("facts", "unmet"), [
    (GateFacts(), [KICKOFF, NOT_AGREED]),
    (GateFacts(kickoff_meeting_held=True), [NOT_AGREED]),
    (GateFacts(agreement_agreed=True), [KICKOFF]),
    (GateFacts(kickoff_meeting_held=True, agreement_agreed=True), []),
])
def test_startup_to_analysis_needs_the_forventningsafstemning_agreed(facts, unmet):
    """Agreed means complete: check_can_agree refuses the mark while a part is empty."""
    assert unmet_gates("startup", "analysis", facts) == unmet
    if unmet:
        with pytest.raises(PhaseMoveRefused) as caught:
            check_move("startup", "analysis", facts, role="consultant")
        assert caught.value.reasons == unmet
    else:
        check_move("startup", "analysis", facts, role="consultant")
    assert gate_met(GateKey.AGREEMENT_AGREED, facts) is facts.agreement_agreed


@pytest.mark.parametrize("target", ["paused", "cancelled"])
def test_pausing_or_cancelling_the_startup_ignores_the_agreement(target):
    check_move("startup", target, GateFacts(), role="consultant", reason="Ny leder")


def test_the_agreement_does_not_gate_later_phases():
    facts = GateFacts(analysis_recorded=True, chosen_recommendations=1)
    assert unmet_gates("analysis", "development", facts) == []


# --- the development plans and their gate ---------------------------------------------------------

PLAN = PlanValues(changes="Borgerne skriver selv deres mål",
                  conditions={"leadership_conditions": "Lederen følger op hver måned"},
                  responsible="Afdelingsleder", milestones=1)


def test_a_complete_plan_misses_nothing():
    assert plan_missing(PLAN) == []


def test_no_plan_at_all():
    assert plan_missing(None) == ["en udviklingsplan"]


@pytest.mark.parametrize(("change", "missing"), [
    ({"changes": ""}, "de konkrete ændringer"),
    ({"conditions": {c: " " for c, _ in CONDITION_COLUMNS}},
     "forudsætningerne (ledelse, organisation, kompetencer eller rutiner)"),
    ({"responsible": ""}, "hvem der er ansvarlig"),
    ({"milestones": 0}, "mindst én milepæl"),
])
def test_each_missing_part_of_a_plan(change, missing):
    assert plan_missing(PlanValues(**{**PLAN.__dict__, **change})) == [missing]


@pytest.mark.parametrize("column", [c for c, _ in CONDITION_COLUMNS])
def test_any_one_condition_is_enough(column):
    assert plan_missing(PlanValues(**{**PLAN.__dict__, "conditions": {column: "x"}})) == []


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("side", list(Side))
def test_plans_are_edited_in_the_development_phase_by_both_sides(side, phase):
    allowed = phase == Phase.DEVELOPMENT
    assert may_edit_plan(side, phase) is allowed
    if allowed:
        check_may_edit_plan(side, phase)
    else:
        with pytest.raises(DomainError):
            check_may_edit_plan(side, phase)


def test_the_final_evaluation_waits_for_every_plan():
    check_final_evaluation_may_complete(())
    with pytest.raises(DomainError) as caught:
        check_final_evaluation_may_complete(("2. Arbejd med mål", "6. Hav fokus på sundhed"))
    assert caught.value.field == "complete"
    assert caught.value.message.endswith("Planen mangler for: 2. Arbejd med mål, "
                                         "6. Hav fokus på sundhed")


NO_EVALUATION = "Den afsluttende evaluering er ikke udfyldt"


@pytest.mark.parametrize(("facts", "unmet"), [
    (GateFacts(), [NO_EVALUATION]),
    (GateFacts(final_evaluation_done=True), []),
    # The plans gate the recording of the evaluation, not the move itself: an evaluation
    # recorded (before plans were a rule) still completes the forløb.
    (GateFacts(recommendations_without_plan=("2. Mål",)), [NO_EVALUATION]),
    (GateFacts(final_evaluation_done=True, recommendations_without_plan=("2. Mål",)), []),
])
def test_development_to_completed_needs_the_evaluation(facts, unmet):
    assert unmet_gates("development", "completed", facts) == unmet
    if unmet:
        with pytest.raises(PhaseMoveRefused):
            check_move("development", "completed", facts, role="manager")
    else:
        check_move("development", "completed", facts, role="manager")


def test_missing_plans_do_not_gate_other_moves():
    facts = GateFacts(kickoff_meeting_held=True, agreement_agreed=True,
                      recommendations_without_plan=("1. Ekspert",))
    assert unmet_gates("startup", "analysis", facts) == []
    check_move("development", "paused", facts, role="consultant", reason="Sommerferie")


@pytest.mark.parametrize(("facts", "met"), [
    (GateFacts(), False),
    (GateFacts(chosen_recommendations=2, recommendations_without_plan=("1. Ekspert",)), False),
    (GateFacts(chosen_recommendations=2), True),
])
def test_the_plans_gate_key(facts, met):
    assert gate_met(GateKey.PLANS_MADE, facts) is met


@pytest.mark.parametrize("phase", list(Phase))
def test_methods_are_proposed_to_a_running_forloeb(phase):
    if phase in (Phase.COMPLETED, Phase.CANCELLED):
        with pytest.raises(DomainError):
            check_may_propose_methods(phase)
    else:
        check_may_propose_methods(phase)


# --- the method library ---------------------------------------------------------------------------

def test_theme_codes_are_checked_and_ordered():
    assert check_theme_codes(["sundhed", "ledelse_organisation"]) == [
        "ledelse_organisation", "sundhed"]
    with pytest.raises(DomainError):
        check_theme_codes(["sundhed", "ukendt"])


@pytest.mark.parametrize(("ref", "parsed"), [
    ("botilbud:6", ("botilbud", 6)), ("bostotte:10", ("bostotte", 10)),
    ("botilbud:0", None), ("botilbud:100", None), ("andet:1", None), ("botilbud:", None),
    ("botilbud:٣", None), ("botilbud6", None),
])
def test_recommendation_references(ref, parsed):
    assert parse_recommendation_ref(ref) == parsed


def test_recommendation_references_are_checked_and_ordered():
    assert check_recommendation_refs(["bostotte:5", "botilbud:6", "botilbud:2", "botilbud:6"]) \
        == ["botilbud:2", "botilbud:6", "bostotte:5"]
    with pytest.raises(DomainError):
        check_recommendation_refs(["botilbud:6", "x"])


def test_links_one_per_line():
    assert check_links(" https://vive.dk/rapport \n\nhttp://example.dk\n") == [
        "https://vive.dk/rapport", "http://example.dk"]
    for bad in ("javascript:alert(1)", "vive.dk", "https://a b", "https://x\x07"):
        with pytest.raises(DomainError):
            check_links(bad)
    with pytest.raises(DomainError):
        check_links("\n".join(f"https://x.dk/{i}" for i in range(11)))
