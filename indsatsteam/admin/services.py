"""Admin configuration: recommendation catalogues (versioned) and the phase template.
The caller commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock
from ..domain.catalogues import CATALOGUE_TITLES
from ..domain.engagements import TaskOwner
from ..domain.errors import DomainError
from ..domain.gates import is_gate_key
from ..domain.phases import WORK_PHASES
from ..extensions import db
from ..models import (
    PhaseTemplate,
    Recommendation,
    RecommendationCatalogue,
    ReminderRule,
    TaskTemplate,
)


def current_catalogues() -> list[RecommendationCatalogue]:
    return list(db.session.execute(
        select(RecommendationCatalogue).where(RecommendationCatalogue.is_current.is_(True))
        .options(selectinload(RecommendationCatalogue.recommendations))
        .order_by(RecommendationCatalogue.code)
    ).scalars())


def get_current_catalogue(code: str) -> RecommendationCatalogue | None:
    if code not in CATALOGUE_TITLES:
        return None
    return db.session.execute(
        select(RecommendationCatalogue)
        .where(RecommendationCatalogue.code == code, RecommendationCatalogue.is_current.is_(True))
        .options(selectinload(RecommendationCatalogue.recommendations))
    ).scalar_one_or_none()


def catalogue_versions(code: str) -> list[RecommendationCatalogue]:
    return list(db.session.execute(
        select(RecommendationCatalogue).where(RecommendationCatalogue.code == code)
        .order_by(RecommendationCatalogue.version.desc())
    ).scalars())


def new_catalogue_version(current: RecommendationCatalogue, title: str,
                          items: list[tuple[str, str]]) -> RecommendationCatalogue:
    """Save edited wording as a new version; engagements keep the version they started with.

    items: (title, text) in order; blank titles are dropped, so an item can be removed.
    """
    items = [(t.strip(), x.strip()) for t, x in items if t.strip()]
    if not items:
        raise DomainError("Kataloget skal have mindst én anbefaling", field="items")
    unchanged = title.strip() == current.title and items == [
        (r.title, r.text) for r in current.recommendations]
    if unchanged:
        raise DomainError("Der er ingen ændringer at gemme.")
    current.is_current = False
    version = RecommendationCatalogue(
        code=current.code, version=current.version + 1, title=title.strip(), is_current=True,
        created_at=clock.now(),
        recommendations=[Recommendation(number=n, title=t, text=x)
                         for n, (t, x) in enumerate(items, start=1)])
    db.session.add(version)
    return version


def phase_templates() -> list[PhaseTemplate]:
    return list(db.session.execute(
        select(PhaseTemplate).options(selectinload(PhaseTemplate.task_templates))
        .order_by(PhaseTemplate.position)
    ).scalars())


def save_shares(shares: dict[str, int]) -> None:
    if sorted(shares) != sorted(p.value for p in WORK_PHASES):
        raise DomainError("Angiv en andel for hver fase")
    if any(v < 1 for v in shares.values()) or sum(shares.values()) != 100:
        raise DomainError(f"Andelene skal være mindst 1 % og give 100 % tilsammen (nu "
                          f"{sum(shares.values())} %)", field="startup")
    for template in phase_templates():
        template.share_percent = shares[template.phase]


def save_task_template(template: TaskTemplate | None, phase_template: PhaseTemplate, *,
                       title: str, description: str, offset_days: int,
                       owner_type: str, gate_key: str | None = None) -> TaskTemplate:
    TaskOwner(owner_type)
    if gate_key and not is_gate_key(gate_key):
        raise DomainError("Vælg en af betingelserne på listen", field="gate_key")
    template = template or TaskTemplate(phase_template=phase_template)
    template.title, template.description = title.strip(), description.strip()
    template.offset_days, template.owner_type = offset_days, owner_type
    template.gate_key = gate_key or None
    db.session.add(template)
    return template


def delete_task_template(template: TaskTemplate) -> None:
    """Only the template goes; tasks already created from it stay in their forløb."""
    db.session.delete(template)


def reminder_rules() -> list[ReminderRule]:
    return list(db.session.execute(select(ReminderRule).order_by(ReminderRule.id)).scalars())


def save_reminder_rules(values: dict[str, tuple[bool, str]]) -> None:
    """values: rule code → (enabled, "7,1"); the days are stored normalised."""
    for rule in reminder_rules():
        if rule.code in values:
            enabled, days = values[rule.code]
            parts = sorted({int(p) for p in days.split(",")
                            if p.strip().isascii() and p.strip().isdigit()},
                           reverse=True)
            rule.enabled, rule.days = enabled, ",".join(str(p) for p in parts)
