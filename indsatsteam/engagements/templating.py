"""Template globals for engagements (phase and meeting labels), shared with the portal."""

from __future__ import annotations

from flask import Flask

from ..domain.engagements import MeetingType, TaskStatus
from ..domain.gates import GateKey, is_gate_key
from ..domain.phases import Phase


def phase_label(value: str | None) -> str:
    return Phase(value).label if value else ""


def meeting_label(value: str) -> str:
    return MeetingType(value).label


def task_status_label(value: str) -> str:
    return TaskStatus(value).label


def gate_label(value: str) -> str:
    return GateKey(value).label if is_gate_key(value) else ""


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(phase_label=phase_label, phase_enum=Phase, gate_label=gate_label,
                                 meeting_label=meeting_label, task_status=TaskStatus,
                                 task_status_label=task_status_label)
