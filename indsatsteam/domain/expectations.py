"""The work each phase exists for (seed 003): the forventningsafstemning of the startup phase,
the udviklingsplan per chosen recommendation in the development phase, and who may change
them when.

Pure rules: values in, values out or a DomainError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .errors import DomainError
from .phases import WORK_PHASES, Phase


@dataclass(frozen=True)
class Benefit:
    """One of the four things a forløb gives a tilbud (seed 003), with the agreement's
    column for what it would mean for this tilbud."""

    code: str
    column: str
    text: str


# "Gennem et rådgivningsforløb kan I forvente at få:" (seed 003), word for word.
BENEFITS: tuple[Benefit, ...] = (
    Benefit("insight", "meaning_insight",
            "Et indblik i egne styrker og udviklingsmuligheder i forhold til forbedring af "
            "kvaliteten i indsatsen"),
    Benefit("competences", "meaning_competences",
            "Styrkede kompetencer til at skabe vellykkede forandringer, der øger kvaliteten i "
            "indsatsen"),
    Benefit("understanding", "meaning_understanding",
            "Styrket den fælles faglige forståelse i forhold til recovery-orienteret "
            "rehabilitering"),
    Benefit("systematics", "meaning_systematics", "Mere systematik i indsatsen"),
)
BENEFIT_COLUMNS: tuple[str, ...] = tuple(b.column for b in BENEFITS)


class Side(StrEnum):
    """Who edits: the indsatsteam (consultant, manager) or the tilbud in its portal."""

    TEAM = "team"
    TILBUD = "tilbud"


@dataclass(frozen=True)
class Expectations:
    """What the forventningsafstemning holds, as plain values."""

    meanings: dict[str, str] = field(default_factory=dict)  # benefit column → text
    goals: str = ""
    participants: str = ""
    time_commitment: str = ""
    leadership_involvement: str = ""
    meeting_cadence: str = ""
    contact_person: str = ""
    risks: str = ""


# The parts that must be filled in before it can be agreed, in the order of the form.
REQUIRED_PARTS: tuple[tuple[str, str], ...] = (
    ("participants", "hvem der deltager fra tilbuddet"),
    ("time_commitment", "hvor meget tid tilbuddet afsætter"),
    ("leadership_involvement", "hvordan ledelsen er involveret"),
    ("meeting_cadence", "mødekadencen"),
    ("contact_person", "kontaktpersonen"),
    ("risks", "risici"),
)
HOPES_PART = "hvad tilbuddet håber at få ud af forløbet"


def missing_parts(values: Expectations) -> list[str]:
    """The parts still empty (Danish, for "… mangler: a, b"); [] when it can be agreed.

    The tilbud's hopes count as filled when at least one benefit says what it would mean
    for the tilbud, or the tilbud has written goals of its own.
    """
    missing = []
    if not (values.goals.strip() or any(v.strip() for v in values.meanings.values())):
        missing.append(HOPES_PART)
    missing += [label for name, label in REQUIRED_PARTS if not getattr(values, name).strip()]
    return missing


def check_can_agree(values: Expectations, also_missing: list[str] | tuple[str, ...] = ()
                    ) -> None:
    """`also_missing`: what else the samarbejdsaftale lacks (its indicators, for one)."""
    missing = missing_parts(values) + list(also_missing)
    if missing:
        raise DomainError("Forventningsafstemningen kan først markeres som aftalt, når den "
                          f"siger {_join(missing)}", field="agreed")


TILBUD_AGREED_MESSAGE = ("Forventningsafstemningen er aftalt og kan ikke længere ændres her. "
                         "Tal med jeres konsulent, hvis noget skal ændres.")
PAUSED_MESSAGE = "Forløbet er sat på pause, så det kan ikke ændres nu."
CLOSED_MESSAGE = "Forløbet er afsluttet eller annulleret og kan ikke ændres."


def check_may_edit_expectations(side: Side | str, phase: Phase | str, agreed: bool) -> None:
    """Both sides fill it in until it is agreed; after that only the team can change it (or
    take the agreement back). Nobody changes a closed forløb; the tilbud not a paused one."""
    side, phase = Side(side), Phase(phase)
    if phase in (Phase.COMPLETED, Phase.CANCELLED):
        raise DomainError(CLOSED_MESSAGE)
    if side == Side.TILBUD:
        if phase == Phase.PAUSED:
            raise DomainError(PAUSED_MESSAGE)
        if agreed:
            raise DomainError(TILBUD_AGREED_MESSAGE)


def may_edit_expectations(side: Side | str, phase: Phase | str, agreed: bool) -> bool:
    try:
        check_may_edit_expectations(side, phase, agreed)
    except DomainError:
        return False
    return True


def may_agree(side: Side | str) -> bool:
    """The team marks it agreed (and records who did), once both sides have filled it in."""
    return Side(side) == Side.TEAM


# --- the development plan ---------------------------------------------------------------------

CONDITION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("leadership_conditions", "Ledelse"),
    ("organisation_conditions", "Organisation"),
    ("competence_conditions", "Kompetencer"),
    ("routine_conditions", "Rutiner"),
)


@dataclass(frozen=True)
class PlanValues:
    changes: str = ""
    conditions: dict[str, str] = field(default_factory=dict)  # condition column → text
    responsible: str = ""
    milestones: int = 0


def plan_missing(values: PlanValues | None) -> list[str]:
    """What a development plan still lacks (Danish); [] when it is a plan."""
    if values is None:
        return ["en udviklingsplan"]
    missing = []
    if not values.changes.strip():
        missing.append("de konkrete ændringer")
    if not any(v.strip() for v in values.conditions.values()):
        missing.append("forudsætningerne (ledelse, organisation, kompetencer eller rutiner)")
    if not values.responsible.strip():
        missing.append("hvem der er ansvarlig")
    if values.milestones < 1:
        missing.append("mindst én milepæl")
    return missing


def check_may_edit_plan(side: Side | str, phase: Phase | str) -> None:
    """The plans are made in the development phase, by both sides."""
    Side(side)
    phase = Phase(phase)
    if phase in (Phase.COMPLETED, Phase.CANCELLED):
        raise DomainError(CLOSED_MESSAGE)
    if phase == Phase.PAUSED:
        raise DomainError(PAUSED_MESSAGE)
    if phase != Phase.DEVELOPMENT:
        raise DomainError("Udviklingsplanerne laves i udviklingsfasen.")


def may_edit_plan(side: Side | str, phase: Phase | str) -> bool:
    try:
        check_may_edit_plan(side, phase)
    except DomainError:
        return False
    return True


def check_final_evaluation_may_complete(recommendations_without_plan: tuple[str, ...]) -> None:
    """Every chosen recommendation has its plan before the final evaluation is recorded."""
    if recommendations_without_plan:
        raise DomainError(plans_missing_message(recommendations_without_plan), field="complete")


def plans_missing_message(recommendations_without_plan: tuple[str, ...]) -> str:
    return ("Den afsluttende evaluering kan først registreres, når hver valgt anbefaling har en "
            "udviklingsplan. Planen mangler for: " + ", ".join(recommendations_without_plan))


def check_may_propose_methods(phase: Phase | str) -> None:
    """Consultants propose methods to a running forløb (any work phase, also paused)."""
    phase = Phase(phase)
    if phase not in (*WORK_PHASES, Phase.PAUSED):
        raise DomainError(CLOSED_MESSAGE)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
