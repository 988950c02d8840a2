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


def timeline(engagement: Engagement, changes: list | None = None) -> list[TimelineEntry]:
    """`changes`: the audit events of the agreement, plans, milestones and proposed methods
    (development.services.work_changes), each one an entry."""
    entries: list[TimelineEntry] = [_work_entry(engagement, event) for event in changes or ()]
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


_ACTIONS = {"create": "oprettet", "update": "ændret", "delete": "fjernet"}


def _work_entry(engagement: Engagement, event) -> TimelineEntry:
    from ..audit.queries import field_label, person_label

    changes = event.changes or {}
    if event.object_type == "agreement":
        agreed = changes.get("agreed_at")
        if agreed and agreed[1]:
            title = "Forventningsafstemningen er aftalt"
        elif agreed and agreed[0] and not agreed[1]:
            title = "Forventningsafstemningen er ikke længere aftalt"
        else:
            title = f"Forventningsafstemningen er {_ACTIONS[event.action]}"
    elif event.object_type == "development_plan":
        title = f"Udviklingsplan {_ACTIONS[event.action]}: {_plan_label(engagement, event)}"
    elif event.object_type == "milestone":
        title = f"{event.object_label} ({_ACTIONS[event.action]})"
        if "task_id" in changes and changes["task_id"][1]:
            title = f"{event.object_label} er gjort til en opgave"
    elif event.object_type == "engagement_indicator":
        title = _indicator_title(engagement, event)
    elif event.object_type == "benefit_rating":
        title = ("Tilbuddet har vurderet forløbets udbytte" if event.action == "create"
                 else "Vurderingen af forløbets udbytte er ændret")
    else:
        title = ("Metode foreslået" if event.action == "create"
                 else "Forslag om metode trukket tilbage" if event.action == "delete"
                 else "Forslag om metode ændret")
    fields = [field_label(k) for k in changes
              if k not in ("engagement_id", "engagement_recommendation_id", "plan_id",
                           "position", "agreed_by_id")]
    text = ("Ændret: " + ", ".join(fields) + ".") if event.action == "update" and fields else ""
    return TimelineEntry(event.at, "work", title, text, person_label(event.actor))


def _indicator_title(engagement: Engagement, event) -> str:
    changes = event.changes or {}
    if event.action == "delete":
        return "Indikator fjernet fra samarbejdsaftalen"
    if event.action == "create":
        chosen = (changes.get("indicator_id") or [None, None])[1]
        name = next((r.indicator.name for r in engagement.indicators
                     if r.indicator_id == chosen), "")
        return f"Indikator valgt: {name}" if name else "Indikator valgt"
    if "follow_up_value" in changes:
        return "Opfølgning givet"
    if "end_value" in changes:
        return "Slutmåling givet"
    return "Udgangspunkt og mål ændret"


def _plan_label(engagement: Engagement, event) -> str:
    for row in engagement.recommendations:
        if row.plan is not None and row.plan.id == event.object_id:
            return f"{row.recommendation.number}. {row.recommendation.title}"
    return event.object_label
