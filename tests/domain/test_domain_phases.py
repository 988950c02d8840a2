from enum import StrEnum

import pytest

from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.phases import (
    WORK_PHASES,
    GateFacts,
    Phase,
    PhaseMoveRefused,
    allowed_targets,
    check_move,
    is_forward,
    next_phase,
    requires_reason,
    unmet_gates,
)

DKFDS_BADGES = {"", "badge-info", "badge-success", "badge-warning", "badge-error"}
ROLES = ("applicant", "consultant", "manager", "admin")
ALL_MET = GateFacts(
    kickoff_meeting_held=True,
    agreement_agreed=True,
    themes_without_analysis=(),
    analysis_recorded=True,
    chosen_recommendations=1,
    final_evaluation_done=True,
)
NOTHING_MET = GateFacts()
REASON = "Tilbuddet har skiftet leder"

# Every move each role may make, with the engagement paused or cancelled while in analysis
# (resume_to=analysis). Any (role, current, target) not listed here is refused.
_WORK = {
    "startup": {"analysis", "paused", "cancelled"},
    "analysis": {"development", "paused", "cancelled"},
    "development": {"completed", "paused", "cancelled"},
}
EXPECTED = {
    "consultant": {**_WORK, "paused": {"analysis", "cancelled"}},
    "manager": {
        **_WORK,
        "paused": {"analysis", "cancelled"},
        "completed": {"development"},
        "cancelled": {"analysis"},
    },
    "admin": {},
    "applicant": {},
}
ALL_MOVES = [
    (role, current, target) for role in ROLES for current in Phase for target in Phase
]


def _expected_allowed(role: str, current: str, target: str) -> bool:
    return target in EXPECTED[role].get(current, set())


# --- The phases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "label", "tag_class"),
    [
        ("startup", "Opstart", "badge-info"),
        ("analysis", "Analyse", "badge-info"),
        ("development", "Udvikling", "badge-info"),
        ("completed", "Afsluttet", "badge-success"),
        ("paused", "Sat på pause", "badge-warning"),
        ("cancelled", "Annulleret", ""),
    ],
)
def test_phase_labels_and_badges(phase, label, tag_class):
    assert Phase(phase).label == label
    assert Phase(phase).tag_class == tag_class
    assert Phase(phase).tag_class in DKFDS_BADGES


def test_work_phases_in_order():
    assert WORK_PHASES == (Phase.STARTUP, Phase.ANALYSIS, Phase.DEVELOPMENT)
    assert [phase.value for phase in Phase] == [
        "startup", "analysis", "development", "completed", "paused", "cancelled"
    ]


@pytest.mark.parametrize(
    ("current", "following"),
    [
        ("startup", "analysis"),
        ("analysis", "development"),
        ("development", "completed"),
        ("completed", None),
        ("paused", None),
        ("cancelled", None),
    ],
)
def test_next_phase(current, following):
    assert next_phase(current) == following
    assert next_phase(Phase(current)) == following


@pytest.mark.parametrize("current", list(Phase))
@pytest.mark.parametrize("target", list(Phase))
def test_is_forward_only_to_the_next_phase(current, target):
    forward = {("startup", "analysis"), ("analysis", "development"), ("development", "completed")}
    assert is_forward(current, target) is ((current, target) in forward)


# --- Which moves are allowed ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("current", list(Phase))
def test_allowed_targets_match_the_table(role, current):
    targets = allowed_targets(current, resume_to=Phase.ANALYSIS, role=role)
    assert set(targets) == EXPECTED[role].get(current, set())
    assert len(targets) == len(set(targets))
    assert all(isinstance(target, Phase) for target in targets)


@pytest.mark.parametrize("current", WORK_PHASES)
def test_forward_move_is_offered_first(current):
    assert allowed_targets(current, role="consultant")[0] == next_phase(current)


@pytest.mark.parametrize("resume_to", WORK_PHASES)
@pytest.mark.parametrize("role", ["consultant", "manager"])
def test_paused_resumes_to_the_phase_it_was_paused_in(resume_to, role):
    assert allowed_targets(Phase.PAUSED, resume_to=resume_to, role=role) == [
        resume_to, Phase.CANCELLED
    ]


@pytest.mark.parametrize("resume_to", WORK_PHASES)
def test_cancelled_reopens_to_the_phase_it_was_in(resume_to):
    assert allowed_targets(Phase.CANCELLED, resume_to=resume_to, role="manager") == [resume_to]
    assert allowed_targets(Phase.CANCELLED, resume_to=resume_to, role="consultant") == []


@pytest.mark.parametrize("resume_to", [None, Phase.COMPLETED, Phase.PAUSED, Phase.CANCELLED])
def test_without_a_work_phase_to_return_to_there_is_no_resume_or_reopen(resume_to):
    assert allowed_targets(Phase.PAUSED, resume_to=resume_to, role="manager") == [
        Phase.CANCELLED
    ]
    assert allowed_targets(Phase.CANCELLED, resume_to=resume_to, role="manager") == []


@pytest.mark.parametrize("resume_to", [None, *WORK_PHASES])
def test_completed_reopens_to_development_whatever_resume_to_says(resume_to):
    assert allowed_targets(Phase.COMPLETED, resume_to=resume_to, role="manager") == [
        Phase.DEVELOPMENT
    ]
    assert allowed_targets(Phase.COMPLETED, resume_to=resume_to, role="consultant") == []


@pytest.mark.parametrize("current", WORK_PHASES)
def test_resume_to_does_not_matter_in_a_work_phase(current):
    assert allowed_targets(current, resume_to=Phase.STARTUP, role="consultant") == (
        allowed_targets(current, role="consultant")
    )


@pytest.mark.parametrize("role", ["admin", "applicant", "", "superuser", None])
@pytest.mark.parametrize("current", list(Phase))
def test_only_consultants_and_managers_move_phases(role, current):
    assert allowed_targets(current, resume_to=Phase.ANALYSIS, role=role) == []


class Role(StrEnum):  # as a user model might store it
    CONSULTANT = "consultant"
    MANAGER = "manager"


def test_roles_and_phases_may_be_plain_strings_or_enums():
    assert allowed_targets("completed", role=Role.MANAGER) == [Phase.DEVELOPMENT]
    assert allowed_targets("paused", resume_to="development", role=Role.CONSULTANT) == [
        Phase.DEVELOPMENT, Phase.CANCELLED
    ]
    check_move("startup", "analysis", ALL_MET, role=Role.CONSULTANT)


def test_unknown_phase_is_a_programming_error():
    with pytest.raises(ValueError):
        allowed_targets("archived", role="manager")


# --- check_move over every move ------------------------------------------------------


def _refusal_message(role: str, current: Phase, target: Phase) -> str:
    if current == target:
        return f"Forløbet er allerede i fasen {current.label}"
    if role in ("admin", "applicant"):
        return "Kun konsulenter og ledere kan flytte et forløb"
    if role == "consultant" and _expected_allowed("manager", current, target):
        return "Kun en leder kan genåbne et forløb"
    return f"Forløbet kan ikke flyttes fra {current.label} til {target.label}"


@pytest.mark.parametrize(("role", "current", "target"), ALL_MOVES)
def test_check_move_for_every_role_and_pair(role, current, target):
    def move():
        check_move(current, target, ALL_MET, role=role, reason=REASON, resume_to=Phase.ANALYSIS)

    if _expected_allowed(role, current, target):
        move()
    else:
        with pytest.raises(PhaseMoveRefused) as caught:
            move()
        assert caught.value.reasons == [_refusal_message(role, current, target)]
        assert caught.value.field is None


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        ("startup", "development", "Forløbet kan ikke flyttes fra Opstart til Udvikling"),
        ("startup", "completed", "Forløbet kan ikke flyttes fra Opstart til Afsluttet"),
        ("analysis", "startup", "Forløbet kan ikke flyttes fra Analyse til Opstart"),
        ("development", "analysis", "Forløbet kan ikke flyttes fra Udvikling til Analyse"),
        ("paused", "development", "Forløbet kan ikke flyttes fra Sat på pause til Udvikling"),
        ("paused", "completed", "Forløbet kan ikke flyttes fra Sat på pause til Afsluttet"),
        ("completed", "cancelled", "Forløbet kan ikke flyttes fra Afsluttet til Annulleret"),
        ("cancelled", "development", "Forløbet kan ikke flyttes fra Annulleret til Udvikling"),
        ("startup", "startup", "Forløbet er allerede i fasen Opstart"),
    ],
)
def test_refused_move_messages(current, target, message):
    with pytest.raises(PhaseMoveRefused) as caught:
        check_move(current, target, ALL_MET, role="manager", reason=REASON,
                   resume_to=Phase.ANALYSIS)
    assert caught.value.message == message
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("current", "target"), [("completed", "development"), ("cancelled", "analysis")]
)
def test_consultant_is_told_only_a_manager_may_reopen(current, target):
    with pytest.raises(PhaseMoveRefused, match="^Kun en leder kan genåbne et forløb$"):
        check_move(current, target, ALL_MET, role="consultant", reason=REASON,
                   resume_to=Phase.ANALYSIS)


def test_refusal_comes_before_gates():
    with pytest.raises(PhaseMoveRefused) as caught:
        check_move("startup", "analysis", NOTHING_MET, role="admin")
    assert caught.value.reasons == ["Kun konsulenter og ledere kan flytte et forløb"]


# --- Gates -----------------------------------------------------------------------------

KICKOFF = "Der er ikke registreret et afholdt opstartsmøde"
AGREEMENT = "Samarbejdsaftalen er ikke aftalt endnu"
NO_ANALYSIS = "Der er ikke registreret en analyse"
NO_CHOICE = "Tilbuddet har ikke valgt nogen anbefalinger endnu"
NO_EVALUATION = "Den afsluttende evaluering er ikke udfyldt"


@pytest.mark.parametrize(
    ("current", "target", "facts", "unmet"),
    [
        ("startup", "analysis", NOTHING_MET, [KICKOFF, AGREEMENT]),
        ("startup", "analysis", GateFacts(agreement_agreed=True), [KICKOFF]),
        ("startup", "analysis", GateFacts(kickoff_meeting_held=True), [AGREEMENT]),
        ("startup", "analysis",
         GateFacts(kickoff_meeting_held=True, agreement_agreed=True), []),
        ("analysis", "development", NOTHING_MET, [NO_ANALYSIS, NO_CHOICE]),
        # No analysis at all: one message, not a list of every theme as well.
        ("analysis", "development",
         GateFacts(themes_without_analysis=("Sundhed",), chosen_recommendations=1),
         [NO_ANALYSIS]),
        ("analysis", "development",
         GateFacts(analysis_recorded=True, themes_without_analysis=("Sundhed", "Civilsamfund")),
         ["Analysen mangler styrker og udviklingsområder for: Sundhed, Civilsamfund", NO_CHOICE]),
        ("analysis", "development",
         GateFacts(analysis_recorded=True, themes_without_analysis=("Ledelse og organisation",),
                   chosen_recommendations=3),
         ["Analysen mangler styrker og udviklingsområder for: Ledelse og organisation"]),
        ("analysis", "development", GateFacts(analysis_recorded=True), [NO_CHOICE]),
        ("analysis", "development",
         GateFacts(analysis_recorded=True, chosen_recommendations=1), []),
        ("development", "completed", NOTHING_MET, [NO_EVALUATION]),
        ("development", "completed", GateFacts(final_evaluation_done=True), []),
    ],
)
def test_gates_of_forward_moves(current, target, facts, unmet):
    assert unmet_gates(current, target, facts) == unmet
    if unmet:
        with pytest.raises(PhaseMoveRefused) as caught:
            check_move(current, target, facts, role="consultant")
        assert caught.value.reasons == unmet
        assert caught.value.message == ". ".join(unmet)
    else:
        check_move(current, target, facts, role="consultant")


def test_gates_of_one_phase_do_not_block_another():
    only_startup_done = GateFacts(kickoff_meeting_held=True, agreement_agreed=True)
    assert unmet_gates("startup", "analysis", only_startup_done) == []
    assert unmet_gates("development", "completed", GateFacts(final_evaluation_done=True)) == []


@pytest.mark.parametrize(
    ("current", "target"),
    [(current, target) for current in Phase for target in Phase
     if not is_forward(current, target)],
)
def test_no_gates_on_other_moves(current, target):
    assert unmet_gates(current, target, NOTHING_MET) == []


@pytest.mark.parametrize(
    ("current", "target", "role"),
    [
        ("startup", "paused", "consultant"),
        ("analysis", "cancelled", "consultant"),
        ("development", "paused", "manager"),
        ("paused", "analysis", "consultant"),
        ("paused", "cancelled", "consultant"),
        ("completed", "development", "manager"),
        ("cancelled", "analysis", "manager"),
    ],
)
def test_pause_resume_cancel_and_reopen_ignore_gates(current, target, role):
    check_move(current, target, NOTHING_MET, role=role, reason=REASON, resume_to="analysis")


# --- A reason is required to pause, cancel and reopen ----------------------------------

NEEDS_REASON = [
    ("startup", "paused", "consultant"),
    ("analysis", "paused", "manager"),
    ("development", "paused", "consultant"),
    ("startup", "cancelled", "consultant"),
    ("analysis", "cancelled", "consultant"),
    ("development", "cancelled", "manager"),
    ("paused", "cancelled", "consultant"),
    ("completed", "development", "manager"),
    ("cancelled", "analysis", "manager"),
]


@pytest.mark.parametrize(("current", "target", "role"), NEEDS_REASON)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t", None])
def test_blank_reason_is_refused(current, target, role, reason):
    assert requires_reason(current, target)
    with pytest.raises(PhaseMoveRefused) as caught:
        check_move(current, target, ALL_MET, role=role, reason=reason, resume_to="analysis")
    assert caught.value.reasons == ["Skriv en begrundelse"]
    assert caught.value.message == "Skriv en begrundelse"
    assert caught.value.field == "comment"


@pytest.mark.parametrize(("current", "target", "role"), NEEDS_REASON)
def test_reason_given(current, target, role):
    check_move(current, target, ALL_MET, role=role, reason=REASON, resume_to="analysis")


def test_reason_required_is_the_default():
    with pytest.raises(PhaseMoveRefused, match="Skriv en begrundelse"):
        check_move("analysis", "paused", ALL_MET, role="consultant")


@pytest.mark.parametrize(
    ("current", "target"),
    [("startup", "analysis"), ("analysis", "development"), ("development", "completed"),
     ("paused", "startup"), ("paused", "development")],
)
def test_forward_moves_and_resuming_need_no_reason(current, target):
    assert not requires_reason(current, target)
    check_move(current, target, ALL_MET, role="consultant", reason="", resume_to=target)


# --- The error -------------------------------------------------------------------------


def test_refusal_is_a_domain_error_with_every_reason():
    error = PhaseMoveRefused([KICKOFF, AGREEMENT])
    assert isinstance(error, DomainError)
    assert error.reasons == [KICKOFF, AGREEMENT]
    assert error.message == f"{KICKOFF}. {AGREEMENT}"
    assert error.field is None


def test_gate_facts_default_to_nothing_done():
    assert GateFacts() == GateFacts(False, False, (), False, 0, False)
    with pytest.raises(AttributeError):
        GateFacts().analysis_recorded = True  # frozen
