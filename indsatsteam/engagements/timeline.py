"""Everything that happened in an engagement, newest first, for the staff page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.applications import ApplicationStatus
from ..domain.engagements import MeetingType
from ..domain.phases import Phase
from ..models import Engagement


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # phase | task | meeting | note | decision
    title: str
    text: str = ""
    actor: str = ""


def timeline(engagement: Engagement) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for t in engagement.transitions:
        title = (f"Fase: {Phase(t.from_phase).label} → {Phase(t.to_phase).label}"
                 if t.from_phase else f"Forløbet startede i fasen {Phase(t.to_phase).label}")
        entries.append(TimelineEntry(t.at, "phase", title, t.comment,
                                     t.actor.name if t.actor else ""))
    for task in engagement.tasks:
        if task.completed_at:
            entries.append(TimelineEntry(task.completed_at, "task",
                                         f"Opgave gennemført: {task.title}", "",
                                         task.completed_by.name if task.completed_by else ""))
    for meeting in engagement.meetings:
        label = MeetingType(meeting.meeting_type).label
        entries.append(TimelineEntry(meeting.starts_at, "meeting",
                                     f"{label} ({'afholdt' if meeting.held else 'planlagt'})",
                                     meeting.minutes))
    for note in engagement.notes:
        entries.append(TimelineEntry(note.created_at, "note", "Note", note.body,
                                     note.author.name if note.author else ""))
    for change in engagement.application.status_changes:
        if change.to_status in (ApplicationStatus.APPROVED, ApplicationStatus.IN_REVIEW):
            entries.append(TimelineEntry(change.at, "decision",
                                         f"Ansøgning: {ApplicationStatus(change.to_status).label}",
                                         change.comment,
                                         change.actor.name if change.actor else ""))
    return sorted(entries, key=lambda e: e.at, reverse=True)
