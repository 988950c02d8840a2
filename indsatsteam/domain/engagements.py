"""Rules for running an engagement (tasks, meetings, self-assessment, the default phase
template) and for reviewing and deciding the application that leads to it."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import NamedTuple

from .applications import ApplicationStatus
from .danish_time import format_danish_date
from .errors import DomainError

# --- Tasks ------------------------------------------------------------------------------


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    # Closed without being done, e.g. open work left when the forløb is completed.
    NOT_RELEVANT = "not_relevant"

    @property
    def label(self) -> str:
        return _TASK_STATUS_LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_TASK_STATUSES

    @property
    def tag_class(self) -> str:
        """The DKFDS badge modifier; "" gives the neutral grey badge."""
        return _TASK_STATUS_BADGES[self]


_TASK_STATUS_LABELS = {
    TaskStatus.NOT_STARTED: "Ikke startet",
    TaskStatus.IN_PROGRESS: "I gang",
    TaskStatus.DONE: "Gennemført",
    TaskStatus.NOT_RELEVANT: "Ikke relevant",
}
_TASK_STATUS_BADGES = {
    TaskStatus.NOT_STARTED: "",
    TaskStatus.IN_PROGRESS: "badge-info",
    TaskStatus.DONE: "badge-success",
    TaskStatus.NOT_RELEVANT: "",
}
# Statuses that need no more work: no deadline, no reminder, not counted as open.
CLOSED_TASK_STATUSES = (TaskStatus.DONE, TaskStatus.NOT_RELEVANT)
OPEN_TASK_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class TaskOwner(StrEnum):
    CONSULTANT = "consultant"
    PROVIDER = "provider"

    @property
    def label(self) -> str:
        return _TASK_OWNER_LABELS[self]


_TASK_OWNER_LABELS = {TaskOwner.CONSULTANT: "Konsulent", TaskOwner.PROVIDER: "Tilbuddet"}


def is_overdue(due_date: date | None, status: str, today: date) -> bool:
    """A task is overdue from the day after its due date until it is done (or closed)."""
    return due_date is not None and due_date < today and status not in CLOSED_TASK_STATUSES


def check_not_in_past(day: date | None, today: date, *, field: str, what: str) -> None:
    """Refuse a date before today: plans and deadlines start today at the earliest."""
    if day is not None and day < today:
        raise DomainError(f"{what} kan ikke ligge før i dag. Vælg {format_danish_date(today)} "
                          "eller senere", field=field)


# --- Meetings and self-assessment -------------------------------------------------------


class MeetingType(StrEnum):
    KICKOFF = "kickoff"
    ANALYSIS_WORKSHOP = "analysis_workshop"
    FOLLOW_UP = "follow_up"
    CLOSING = "closing"

    @property
    def label(self) -> str:
        return _MEETING_TYPE_LABELS[self]


_MEETING_TYPE_LABELS = {
    MeetingType.KICKOFF: "Opstartsmøde",
    MeetingType.ANALYSIS_WORKSHOP: "Analyseworkshop",
    MeetingType.FOLLOW_UP: "Opfølgning",
    MeetingType.CLOSING: "Afslutning",
}

SELF_ASSESSMENT_MIN = 1
SELF_ASSESSMENT_MAX = 5


def check_self_assessment(score: int | str | None, *, field: str = "score") -> int:
    """The tilbud's own score for a chosen recommendation, 1–5, as an int."""
    value: int | None = None
    if isinstance(score, int) and not isinstance(score, bool):
        value = score
    elif isinstance(score, str) and score.strip().isascii() and score.strip().isdigit():
        value = int(score.strip())
    if value is None or not SELF_ASSESSMENT_MIN <= value <= SELF_ASSESSMENT_MAX:
        raise DomainError(
            f"Vælg en vurdering fra {SELF_ASSESSMENT_MIN} til {SELF_ASSESSMENT_MAX}",
            field=field,
        )
    return value


# --- The default phase template ---------------------------------------------------------


class ReviewRecommendation(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    WAITLIST = "waitlist"

    @property
    def label(self) -> str:
        return _REVIEW_RECOMMENDATION_LABELS[self]


_REVIEW_RECOMMENDATION_LABELS = {
    ReviewRecommendation.APPROVE: "Godkend",
    ReviewRecommendation.REJECT: "Afslå",
    ReviewRecommendation.WAITLIST: "Venteliste",
}


class RubricCriterion(NamedTuple):
    """One line of the reviewers' rubric; compares equal to a plain (key, label) tuple."""

    key: str
    label: str

    @property
    def description(self) -> str:
        return _RUBRIC_DESCRIPTIONS[self.key]


_RUBRIC_DESCRIPTIONS = {
    "fit": "Passer tilbuddets ønsker og udfordringer til forløbets temaer og til en "
           "recovery-orienteret og rehabiliterende praksis?",
    "readiness": "Kan tilbuddet afsætte de medarbejdere og den tid, et forløb kræver, og er "
                 "det klar til at gå i gang?",
    "anchoring": "Står ledelsen bag forløbet, og er der en plan for at forankre det, der "
                 "udvikles?",
}

RUBRIC: tuple[RubricCriterion, ...] = (
    RubricCriterion("fit", "Passer til temaerne"),
    RubricCriterion("readiness", "Parathed og ressourcer"),
    RubricCriterion("anchoring", "Ledelsesmæssig forankring"),
)
RUBRIC_SCORES: tuple[tuple[int, str], ...] = ((1, "1 – Lav"), (2, "2"), (3, "3"), (4, "4 – Høj"))


def check_capacity(
    approved_so_far: int, programmes_offered: int, override_reason: str | None
) -> bool:
    """May one more application in the round be approved? True if only by the override.

    A round offers a fixed number of programmes; beyond that the manager must say why.
    """
    if approved_so_far < programmes_offered:
        return False
    if override_reason and override_reason.strip():
        return True
    if programmes_offered <= 0:
        message = "Runden tilbyder ingen forløb. Angiv en begrundelse for at godkende alligevel."
    else:
        message = (
            f"Runden har kun {programmes_offered} forløb, og de er alle godkendt. "
            "Angiv en begrundelse for at godkende flere."
        )
    raise DomainError(message, field="override_reason")


def can_decide(status: str) -> bool:
    """A manager decides submitted applications, also those under review or waitlisted."""
    return status in (
        ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.WAITLISTED
    )


def can_assign_reviewers(status: str) -> bool:
    return status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
