"""The phases of a rådgivningsforløb and which moves between them are allowed.

The three work phases follow each other (opstart → analyse → udvikling → afsluttet).
Besides that an engagement can be paused and resumed, cancelled, and reopened by a
manager. A forward move has gates: facts about the engagement that must hold first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import DomainError


class Phase(StrEnum):
    STARTUP = "startup"
    ANALYSIS = "analysis"
    DEVELOPMENT = "development"
    COMPLETED = "completed"
    PAUSED = "paused"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _PHASE_LABELS[self]

    @property
    def tag_class(self) -> str:
        """The DKFDS badge modifier; "" gives the neutral grey badge."""
        return _PHASE_BADGES[self]


_PHASE_LABELS = {
    Phase.STARTUP: "Opstart",
    Phase.ANALYSIS: "Analyse",
    Phase.DEVELOPMENT: "Udvikling",
    Phase.COMPLETED: "Afsluttet",
    Phase.PAUSED: "Sat på pause",
    Phase.CANCELLED: "Annulleret",
}
# A cancelled engagement needs no attention, so it is grey rather than red.
_PHASE_BADGES = {
    Phase.STARTUP: "badge-info",
    Phase.ANALYSIS: "badge-info",
    Phase.DEVELOPMENT: "badge-info",
    Phase.COMPLETED: "badge-success",
    Phase.PAUSED: "badge-warning",
    Phase.CANCELLED: "",
}

WORK_PHASES: tuple[Phase, ...] = (Phase.STARTUP, Phase.ANALYSIS, Phase.DEVELOPMENT)

_NEXT = {
    Phase.STARTUP: Phase.ANALYSIS,
    Phase.ANALYSIS: Phase.DEVELOPMENT,
    Phase.DEVELOPMENT: Phase.COMPLETED,
}

# Roles that may move an engagement at all, and the one that may also reopen it.
MOVING_ROLES = ("consultant", "manager")
REOPENING_ROLE = "manager"

REASON_MESSAGE = "Skriv en begrundelse"


@dataclass(frozen=True)
class GateFacts:
    """What is recorded on an engagement, as far as the gates of forward moves care."""

    kickoff_meeting_held: bool = False
    agreement_agreed: bool = False
    # Names of chosen themes without a finding that has both strengths and development areas.
    themes_without_analysis: tuple[str, ...] = ()
    analysis_recorded: bool = False  # at least one finding
    chosen_recommendations: int = 0
    final_evaluation_done: bool = False
    # Every chosen recommendation has its first / its final self-assessment (none chosen: no).
    baseline_assessed: bool = False
    final_assessed: bool = False
    # Chosen recommendations without a complete development plan: the final evaluation cannot
    # be recorded before they have one (domain.expectations).
    recommendations_without_plan: tuple[str, ...] = ()


class PhaseMoveRefused(DomainError):
    """A move that is not allowed, with every reason the user should see."""

    def __init__(self, reasons: list[str], field: str | None = None) -> None:
        super().__init__(". ".join(reasons), field=field)
        self.reasons = list(reasons)


def next_phase(current: Phase | str) -> Phase | None:
    """The phase a forward move leads to, or None outside the work phases."""
    return _NEXT.get(Phase(current))


def is_forward(current: Phase | str, target: Phase | str) -> bool:
    return next_phase(current) == Phase(target)


def is_reopening(current: Phase | str, target: Phase | str) -> bool:
    return Phase(current) in (Phase.COMPLETED, Phase.CANCELLED) and Phase(target) in WORK_PHASES


def requires_reason(current: Phase | str, target: Phase | str) -> bool:
    """Pausing, cancelling and reopening must be explained; the comment field is then required."""
    return Phase(target) in (Phase.PAUSED, Phase.CANCELLED) or is_reopening(current, target)


def unmet_gates(current: Phase | str, target: Phase | str, facts: GateFacts) -> list[str]:
    """Danish explanations of what is missing before a forward move; [] if nothing is."""
    if not is_forward(current, target):
        return []
    current = Phase(current)
    unmet: list[str] = []
    if current == Phase.STARTUP:
        if not facts.kickoff_meeting_held:
            unmet.append("Der er ikke registreret et afholdt opstartsmøde")
        if not facts.agreement_agreed:
            # Agreeing needs every part of the forventningsafstemning (domain.expectations).
            unmet.append("Samarbejdsaftalen er ikke aftalt endnu")
    elif current == Phase.ANALYSIS:
        if not facts.analysis_recorded:
            unmet.append("Der er ikke registreret en analyse")
        elif facts.themes_without_analysis:
            unmet.append(
                "Analysen mangler styrker og udviklingsområder for: "
                + ", ".join(facts.themes_without_analysis)
            )
        if facts.chosen_recommendations < 1:
            unmet.append("Tilbuddet har ikke valgt nogen anbefalinger endnu")
    elif current == Phase.DEVELOPMENT and not facts.final_evaluation_done:
        # Recording it needs a plan for every chosen recommendation (domain.expectations).
        unmet.append("Den afsluttende evaluering er ikke udfyldt")
    return unmet


def allowed_targets(
    current: Phase | str, *, resume_to: Phase | str | None = None, role: str
) -> list[Phase]:
    """The phases `role` may move an engagement to from `current`, in a stable order.

    `resume_to` is the work phase the engagement was in before it was paused or
    cancelled; without it a paused engagement cannot be resumed, nor a cancelled one
    reopened.
    """
    if role not in MOVING_ROLES:
        return []
    current = Phase(current)
    back_to = Phase(resume_to) if resume_to is not None else None
    if back_to not in WORK_PHASES:
        back_to = None
    targets: list[Phase] = []
    if current in WORK_PHASES:
        targets = [_NEXT[current], Phase.PAUSED, Phase.CANCELLED]
    elif current == Phase.PAUSED:
        targets = [back_to, Phase.CANCELLED] if back_to else [Phase.CANCELLED]
    elif role == REOPENING_ROLE and current == Phase.COMPLETED:
        targets = [Phase.DEVELOPMENT]
    elif role == REOPENING_ROLE and current == Phase.CANCELLED and back_to:
        targets = [back_to]
    return targets


def check_move(
    current: Phase | str,
    target: Phase | str,
    facts: GateFacts,
    *,
    role: str,
    reason: str | None = "",
    resume_to: Phase | str | None = None,
) -> None:
    """Raise PhaseMoveRefused unless `role` may move from `current` to `target` now."""
    current, target = Phase(current), Phase(target)
    if target not in allowed_targets(current, resume_to=resume_to, role=role):
        raise PhaseMoveRefused([_not_allowed_message(current, target, role, resume_to)])
    unmet = unmet_gates(current, target, facts)
    if unmet:
        raise PhaseMoveRefused(unmet)
    if requires_reason(current, target) and not (reason or "").strip():
        raise PhaseMoveRefused([REASON_MESSAGE], field="comment")


def _not_allowed_message(
    current: Phase, target: Phase, role: str, resume_to: Phase | str | None
) -> str:
    if current == target:
        return f"Forløbet er allerede i fasen {current.label}"
    if role not in MOVING_ROLES:
        return "Kun konsulenter og ledere kan flytte et forløb"
    if target in allowed_targets(current, resume_to=resume_to, role=REOPENING_ROLE):
        return "Kun en leder kan genåbne et forløb"
    return f"Forløbet kan ikke flyttes fra {current.label} til {target.label}"
