"""Everything that happened in an engagement, newest first, for the staff page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.applications import ApplicationStatus
from ..domain.gates import GateKey, is_gate_key
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
        title = (f"Fase: {t.from_phase.label} → {t.to_phase.label}"
                 if t.from_phase else f"Forløbet startede i fasen {t.to_phase.label}")
        entries.append(TimelineEntry(t.at, "phase", title, t.comment,
                                     t.actor.name if t.actor else ""))
    for task in engagement.tasks:
        if task.completed_at:
            by_system = task.completed_by is None and is_gate_key(task.gate_key)
            entries.append(TimelineEntry(
                task.completed_at, "task", f"Opgave gennemført: {task.title}",
                f"Gennemført af systemet, fordi {GateKey(task.gate_key).label}." if by_system
                else "",
                "System" if by_system else task.completed_by.name if task.completed_by else ""))
    for meeting in engagement.meetings:
        label = meeting.meeting_type.label
        entries.append(TimelineEntry(meeting.starts_at, "meeting",
                                     f"{label} ({'afholdt' if meeting.held else 'planlagt'})",
                                     meeting.minutes))
    for note in engagement.notes:
        entries.append(TimelineEntry(note.created_at, "note", "Note", note.body,
                                     note.author.name if note.author else ""))
    for change in engagement.application.status_changes:
        if change.to_status in (ApplicationStatus.APPROVED, ApplicationStatus.IN_REVIEW):
            entries.append(TimelineEntry(change.at, "decision",
                                         f"Ansøgning: {change.to_status.label}",
                                         change.comment,
                                         change.actor.name if change.actor else ""))
    return sorted(entries, key=lambda e: e.at, reverse=True)
