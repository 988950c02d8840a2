"""What a drill-down list holds, in Danish: its heading and the narrowing beyond it."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.applications import ApplicationStatus
from ..domain.engagements import TaskStatus
from ..domain.phases import Phase
from ..domain.providers import OwnerType, ProviderKind
from ..extensions import db
from ..models import Theme, User
from . import manager
from .lists import (
    ACTIVE,
    APPLICATIONS,
    ENGAGEMENTS,
    LEAD,
    OPEN,
    TASKS,
    UNDECIDED,
    DrillDown,
    UnknownList,
    municipality_name,
)

_TITLES = {"forfaldne": "Overskredne opgaver i aktive forløb",
           "frister": f"Opgaver med frist de næste {manager.DEADLINE_DAYS} dage i aktive forløb"}


def heading(d: DrillDown) -> str:
    """What the list holds: "Forløb i fasen Analyse", "Uafgjorte ansøgninger"."""
    if d.name in _TITLES:
        return _TITLES[d.name]
    status, phase = d.params.get("status"), d.params.get("fase")
    if d.kind is APPLICATIONS and status:
        return ("Uafgjorte ansøgninger" if status == UNDECIDED
                else f"Ansøgninger med status {ApplicationStatus(status).label}")
    if d.kind is ENGAGEMENTS and phase:
        return ("Aktive forløb" if phase == ACTIVE
                else f"Forløb i fasen {Phase(phase).label}")
    if d.kind is TASKS and status:
        return ("Åbne opgaver" if status == OPEN
                else f"Opgaver med status {TaskStatus(status).label}")
    return {"ansoegninger": "Ansøgninger", "forloeb": "Forløb", "opgaver": "Opgaver"}[d.name]


def narrowing(d: DrillDown, consultant_name: str | None = None) -> list[str]:
    """The narrowing beyond the heading and the filter form, one phrase each. Looks up the
    theme and the task owner by id (at most two small statements)."""
    p, phrases = d.params, []
    if theme := p.get("tema"):
        name = db.session.execute(select(Theme.name).where(Theme.id == int(theme))).scalar()
        if name is None:
            raise UnknownList(theme)
        phrases.append(f"tema: {name}")
    if value := p.get("type"):
        phrases.append(f"type af tilbud: {ProviderKind(value).label}")
    if value := p.get("ejerform"):
        phrases.append(f"ejerform: {OwnerType(value).label}")
    if value := p.get("kommune"):
        phrases.append(f"kommune: {municipality_name(value)}")
    if (role := p.get("rolle")) and consultant_name:
        phrases.append(f"{consultant_name} er {'ansvarlig' if role == LEAD else 'anden'} "
                       "konsulent")
    if owner := p.get("ansvarlig"):
        name = db.session.execute(select(User.name).where(User.id == int(owner))).scalar()
        if name is None:
            raise UnknownList(owner)
        phrases.append(f"ansvarlig: {name}")
    if p.get("aktive"):
        phrases.append("kun aktive forløb")
    return phrases

