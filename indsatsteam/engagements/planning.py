"""Creating an engagement and keeping its plan: phase windows and standard tasks."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..domain.catalogues import catalogue_code_for
from ..domain.engagements import CLOSED_TASK_STATUSES, TaskOwner, check_not_in_past
from ..domain.errors import DomainError
from ..domain.phases import WORK_PHASES, Phase
from ..domain.planning import add_months, plan_phases, replan_due_dates, task_due_date
from ..extensions import db
from ..models import (
    Application,
    Engagement,
    PhasePlan,
    PhaseTemplate,
    PhaseTransition,
    RecommendationCatalogue,
    Role,
    Task,
    Theme,
    User,
)
from ..wording import ngettext
from .services import sync_with_facts

# Phases in which an engagement takes up a consultant's time.
ACTIVE_PHASES = (*WORK_PHASES, Phase.PAUSED)


def active_counts() -> dict[int, int]:
    """Consultant id → number of active engagements they lead or second (one query)."""
    rows = db.session.execute(
        select(User.id, func.count(Engagement.id))
        .join(Engagement, or_(Engagement.lead_consultant_id == User.id,
                              Engagement.second_consultant_id == User.id))
        .where(Engagement.phase.in_(ACTIVE_PHASES))
        .group_by(User.id)
    ).all()
    return dict(rows)


def consultant_choices() -> list[tuple[int, str]]:
    """Active consultants with their current caseload, for the assignment form."""
    counts = active_counts()
    consultants = db.session.execute(
        select(User).where(User.role == Role.CONSULTANT, User.active.is_(True))
        .order_by(User.name)
    ).scalars()
    return [(c.id, c.name + " (" + ngettext("%(num)s aktivt forløb", "%(num)s aktive forløb",
                                            counts.get(c.id, 0)) + ")")
            for c in consultants]


def current_catalogue(kind: str) -> RecommendationCatalogue:
    catalogue = db.session.execute(
        select(RecommendationCatalogue)
        .where(RecommendationCatalogue.code == catalogue_code_for(kind),
               RecommendationCatalogue.is_current.is_(True))
        .order_by(RecommendationCatalogue.version.desc())
    ).scalars().first()
    if catalogue is None:
        raise DomainError("Der findes ikke et katalog over anbefalinger for denne tilbudstype.")
    return catalogue


def phase_templates() -> list[PhaseTemplate]:
    return list(db.session.execute(
        select(PhaseTemplate).options(selectinload(PhaseTemplate.task_templates))
        .order_by(PhaseTemplate.position)
    ).scalars())


def _check_consultants(lead_id: int | None, second_id: int | None) -> None:
    if lead_id is None:
        raise DomainError("Vælg en ansvarlig konsulent", field="lead_consultant_id")
    if second_id is not None and second_id == lead_id:
        raise DomainError("Vælg en anden konsulent end den ansvarlige, eller ingen",
                          field="second_consultant_id")
    ids = [i for i in (lead_id, second_id) if i is not None]
    found = db.session.execute(
        select(func.count()).select_from(User)
        .where(User.id.in_(ids), User.role == Role.CONSULTANT, User.active.is_(True))
    ).scalar_one()
    if found != len(ids):
        raise DomainError("Vælg en konsulent fra listen", field="lead_consultant_id")


def create_engagement(application: Application, *, lead_consultant_id: int,
                      second_consultant_id: int | None, planned_start: date,
                      duration_months: int, theme_ids: list[int], actor: User) -> Engagement:
    """The engagement for an approved application, with its phase plan and standard tasks.

    Adds to the session; the caller commits together with the decision.
    """
    _check_consultants(lead_consultant_id, second_consultant_id)
    if not theme_ids:
        raise DomainError("Vælg mindst ét tema", field="theme_ids")
    templates = phase_templates()
    windows = plan_phases(planned_start, duration_months,
                          [(t.phase, t.share_percent) for t in templates])
    engagement = Engagement(
        application=application, provider=application.provider,
        lead_consultant_id=lead_consultant_id, second_consultant_id=second_consultant_id,
        catalogue=current_catalogue(application.provider.kind), phase=Phase.STARTUP,
        planned_start=planned_start, duration_months=duration_months,
        planned_end=add_months(planned_start, duration_months) - timedelta(days=1),
        themes=list(db.session.execute(select(Theme).where(Theme.id.in_(theme_ids)))
                    .scalars()),
    )
    db.session.add(engagement)
    for position, (template, window) in enumerate(zip(templates, windows, strict=True)):
        engagement.phase_plans.append(PhasePlan(
            phase=template.phase, position=position, planned_start=window.start,
            planned_end=window.end,
            # The forløb really starts on its start date, not when it was approved; a
            # kick-off held earlier moves it (engagements.services.sync_with_facts).
            actual_start=planned_start if template.phase == Phase.STARTUP else None))
        for task_template in template.task_templates:
            engagement.tasks.append(Task(
                phase=template.phase, title=task_template.title,
                description=task_template.description, owner_type=task_template.owner_type,
                owner_user_id=lead_consultant_id if task_template.owner_type == TaskOwner.CONSULTANT
                else None,
                offset_days=task_template.offset_days, gate_key=task_template.gate_key,
                due_date=task_due_date(window.start, task_template.offset_days,
                                       window.end)))
    engagement.transitions.append(PhaseTransition(
        from_phase=None, to_phase=Phase.STARTUP, actor=actor, at=clock.now(),
        comment="Forløbet er oprettet ved godkendelse af ansøgningen"))
    return engagement


def replan(engagement: Engagement, planned_start: date, duration_months: int) -> int:
    """Move the phase windows and the open template tasks; returns how many tasks moved."""
    if planned_start != engagement.planned_start:
        # Moving the start into the past would make the whole plan overdue at once.
        check_not_in_past(planned_start, clock.today(), field="planned_start",
                          what="Den planlagte start")
    shares = {t.phase: t.share_percent for t in phase_templates()}
    windows = plan_phases(planned_start, duration_months,
                          [(p.phase, shares[p.phase]) for p in engagement.phase_plans])
    by_phase = {w.phase: w for w in windows}
    for plan in engagement.phase_plans:
        plan.planned_start, plan.planned_end = by_phase[plan.phase].start, by_phase[plan.phase].end
    engagement.planned_start = planned_start
    engagement.duration_months = duration_months
    engagement.planned_end = add_months(planned_start, duration_months) - timedelta(days=1)
    open_tasks = [t for t in engagement.tasks
                  if t.status not in CLOSED_TASK_STATUSES and t.offset_days is not None]
    new_dates = replan_due_dates([(t.id, t.phase, t.offset_days) for t in open_tasks], windows)
    moved = 0
    for task in open_tasks:
        if task.due_date != new_dates[task.id]:
            task.due_date = new_dates[task.id]
            moved += 1
    sync_with_facts(engagement)
    return moved

