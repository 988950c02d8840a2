"""What the staff type into a task or a meeting, as plain values for the services.

A route builds one from its form (`TaskInput.from_form`), a test or a script builds one
directly; the service checks it against the forløb and applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..domain.danish_time import local_to_utc


@dataclass(frozen=True)
class TaskInput:
    title: str
    owner_type: str
    phase: str
    status: str
    description: str = ""
    owner_user_id: int | None = None
    due_date: date | None = None
    theme_id: int | None = None
    engagement_recommendation_id: int | None = None

    @classmethod
    def from_form(cls, form: Any) -> TaskInput:
        return cls(title=form.title.data, description=form.description.data or "",
                   owner_type=form.owner_type.data, owner_user_id=form.owner_user_id.data,
                   due_date=form.due_date.data, status=form.status.data, phase=form.phase.data,
                   theme_id=form.theme_id.data,
                   engagement_recommendation_id=form.engagement_recommendation_id.data)


@dataclass(frozen=True)
class MeetingInput:
    meeting_type: str
    starts_at: datetime  # aware UTC
    location: str = ""
    participants: str = ""
    minutes: str = ""
    held: bool = False
    minutes_shared: bool = False  # the tilbud may read the minutes (only when there are any)

    @classmethod
    def from_form(cls, form: Any) -> MeetingInput:
        """The form's date and time are Danish wall time."""
        return cls(meeting_type=form.meeting_type.data,
                   starts_at=local_to_utc(form.starts_at.data), location=form.location.data or "",
                   participants=form.participants.data or "", minutes=form.minutes.data or "",
                   held=form.held.data, minutes_shared=form.minutes_shared.data)
