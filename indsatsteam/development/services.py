"""The forventningsafstemning, the development plans with their milestones, the methods
proposed to a forløb and the versioned library of methods and tools.

Both sides act through here: `side` says whether the team or the tilbud does it, and the
rules of domain.expectations decide what each may change when. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..claims import lock
from ..documents import services as documents
from ..domain.engagements import OPEN_TASK_STATUSES, TaskOwner, TaskStatus, check_not_in_past
from ..domain.errors import DomainError
from ..domain.expectations import (
    BENEFIT_COLUMNS,
    CONDITION_COLUMNS,
    Expectations,
    Side,
    check_can_agree,
    check_may_edit_expectations,
    check_may_edit_plan,
    check_may_propose_methods,
    may_agree,
)
from ..domain.methods import check_links, check_recommendation_refs, check_theme_codes
from ..domain.phases import Phase
from ..engagements.services import sync_with_facts
from ..extensions import db
from ..measurements import services as measurements
from ..models import (
    AuditEvent,
    CollaborationAgreement,
    DevelopmentPlan,
    Engagement,
    EngagementMethod,
    EngagementRecommendation,
    Method,
    MethodLibrary,
    PlanMilestone,
    Task,
    User,
)
from ..notifications import events
from .values import agreement_is_agreed, recommendation_label

MAX_MILESTONES = 20

# --- the forventningsafstemning ----------------------------------------------------------------


def save_expectations(engagement: Engagement, side: Side | str, values: Expectations, *,
                      agreed: bool | None = None,
                      actor: User | None = None) -> CollaborationAgreement:
    """Store what both sides fill in. Only the team marks it agreed (`agreed`; None leaves the
    mark alone); marking it agreed needs every part and issues the samarbejdsaftale."""
    side = Side(side)
    lock(engagement)  # a double click or both sides at once: one after the other
    agreement = engagement.agreement
    was_agreed = agreement_is_agreed(engagement)
    check_may_edit_expectations(side, engagement.phase, was_agreed)
    agreement = agreement or CollaborationAgreement(engagement=engagement)
    db.session.add(agreement)
    for column in BENEFIT_COLUMNS:
        setattr(agreement, column, values.meanings.get(column, "").strip())
    for name in ("goals", "participants", "time_commitment", "leadership_involvement",
                 "meeting_cadence", "contact_person", "risks"):
        setattr(agreement, name, getattr(values, name).strip())
    if agreed is not None and may_agree(side):
        if agreed:
            check_can_agree(values, measurements.indicators_missing(engagement))
            if agreement.agreed_at is None:
                agreement.agreed_at, agreement.agreed_by = clock.now(), actor
        else:
            agreement.agreed_at, agreement.agreed_by = None, None
    db.session.add(agreement)
    sync_with_facts(engagement)
    documents.on_agreement_saved(engagement, was_agreed, actor)
    if side == Side.TILBUD:
        events.tilbud_wrote(engagement, "forventningsafstemningen", "opstart")
    return agreement


# --- development plans ---------------------------------------------------------------------------

def chosen_row(engagement: Engagement, row_id: int) -> EngagementRecommendation | None:
    """A recommendation the tilbud chose in this engagement; None for anything else."""
    return next((r for r in engagement.recommendations
                 if r.id == row_id and r.chosen_at is not None), None)


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_date: date | None
    field: str = ""  # the form field of its date, for a refusal


@dataclass(frozen=True)
class PlanInput:
    changes: str
    conditions: dict[str, str]
    responsible: str
    method_ids: list[int]
    milestones: list[MilestoneInput]


def plan_method_choices(engagement: Engagement, plan: DevelopmentPlan | None) -> list[Method]:
    """Methods a plan can use: the current library, those proposed to the forløb (perhaps
    of an older version) and those the plan already uses, in that order, each once."""
    seen: dict[int, Method] = {}
    for method in [*current_methods(), *(m.method for m in engagement.methods),
                   *(plan.methods if plan else [])]:
        seen.setdefault(method.id, method)
    return list(seen.values())


def save_plan(engagement: Engagement, row: EngagementRecommendation, side: Side | str,
              values: PlanInput) -> DevelopmentPlan:
    """Create or change the plan of one chosen recommendation. Milestones are kept by
    position; a blank title removes one (a task made from it stays). An open task made from a
    milestone takes over the milestone's new title and date."""
    lock(engagement)
    check_may_edit_plan(side, engagement.phase)
    if row.engagement_id != engagement.id or row.chosen_at is None:
        raise DomainError("Vælg en af de anbefalinger, tilbuddet arbejder med.")
    choices = {m.id: m for m in plan_method_choices(engagement, row.plan)}
    plan = row.plan or DevelopmentPlan(engagement=engagement, engagement_recommendation=row)
    db.session.add(plan)
    plan.changes, plan.responsible = values.changes.strip(), values.responsible.strip()
    for column, _label in CONDITION_COLUMNS:
        setattr(plan, column, values.conditions.get(column, "").strip())
    plan.methods = [choices[i] for i in dict.fromkeys(values.method_ids) if i in choices]
    _save_milestones(plan, [m for m in values.milestones if m.title.strip()])
    db.session.add(plan)
    sync_with_facts(engagement)
    if Side(side) == Side.TILBUD:
        events.tilbud_wrote(engagement, f"udviklingsplanen for {recommendation_label(row)}",
                            "udviklingsplan")
    return plan


def _save_milestones(plan: DevelopmentPlan, wanted: list[MilestoneInput]) -> None:
    if len(wanted) > MAX_MILESTONES:
        raise DomainError(f"En plan kan have højst {MAX_MILESTONES} milepæle", field="milestones")
    existing = list(plan.milestones)
    today = clock.today()
    for position, item in enumerate(wanted):
        milestone = existing[position] if position < len(existing) else None
        if milestone is None or milestone.due_date != item.due_date:
            check_not_in_past(item.due_date, today,
                              field=item.field or f"milestones-{position}-due_date",
                              what="Milepælens dato")
        if milestone is None:
            milestone = PlanMilestone(plan=plan, created_at=clock.now())
            plan.milestones.append(milestone)
        milestone.position, milestone.title = position, item.title.strip()
        milestone.due_date = item.due_date
        task = milestone.task
        if task is not None and task.status in OPEN_TASK_STATUSES:
            # The milestone's task follows it: a moved milestone is a moved deadline.
            task.title, task.due_date = milestone.title[:200], milestone.due_date
    for milestone in existing[len(wanted):]:
        plan.milestones.remove(milestone)


def milestone_in(engagement: Engagement, milestone_id: int) -> PlanMilestone | None:
    for row in engagement.recommendations:
        if row.plan is not None and row.chosen_at is not None:
            for milestone in row.plan.milestones:
                if milestone.id == milestone_id:
                    return milestone
    return None


def milestone_to_task(engagement: Engagement, milestone: PlanMilestone, side: Side | str,
                      actor: User) -> tuple[Task, bool]:
    """Make the milestone a task of the tilbud in the development phase, linked to the
    plan's recommendation (so the existing reminders cover its date). A second click finds
    the task made by the first: (task, False)."""
    lock(engagement)
    check_may_edit_plan(side, engagement.phase)
    if milestone.task is not None:
        return milestone.task, False
    check_not_in_past(milestone.due_date, clock.today(), field="due_date",
                      what="Milepælens dato")
    row = milestone.plan.engagement_recommendation
    task = Task(engagement=engagement, phase=Phase.DEVELOPMENT, title=milestone.title[:200],
                description=f"Milepæl i udviklingsplanen for {recommendation_label(row)}.",
                owner_type=TaskOwner.PROVIDER, due_date=milestone.due_date,
                status=TaskStatus.NOT_STARTED, engagement_recommendation_id=row.id,
                created_at=clock.now())
    db.session.add(task)
    milestone.task = task
    return task, True


# --- methods proposed to a forløb ---------------------------------------------------------------

def propose_methods(engagement: Engagement, method_ids: list[int], actor: User) -> None:
    """The consultant's proposals: the ticked methods of the current library. Unticking
    withdraws a proposal; one of an older version stays unless it was offered and unticked."""
    lock(engagement)
    check_may_propose_methods(engagement.phase)
    offered = {m.id for m in current_methods()} | {m.method_id for m in engagement.methods}
    wanted = set(method_ids) & offered
    rows = {m.method_id: m for m in engagement.methods}
    now = clock.now()
    for method_id in sorted(wanted - rows.keys()):
        engagement.methods.append(EngagementMethod(method_id=method_id, proposed_by=actor,
                                                   proposed_at=now))
    for method_id, row in rows.items():
        if method_id not in wanted:
            engagement.methods.remove(row)


# --- the library --------------------------------------------------------------------------------

def current_library() -> MethodLibrary | None:
    return db.session.execute(
        select(MethodLibrary).where(MethodLibrary.is_current.is_(True))
        .options(selectinload(MethodLibrary.methods))
    ).scalar_one_or_none()


def current_methods() -> list[Method]:
    library = current_library()
    return list(library.methods) if library else []


def library_versions() -> list[MethodLibrary]:
    return list(db.session.execute(
        select(MethodLibrary).order_by(MethodLibrary.version.desc())).scalars())


@dataclass(frozen=True)
class MethodInput:
    title: str
    description: str
    theme_codes: list[str]
    recommendation_refs: list[str]
    links: str


def new_library_version(current: MethodLibrary | None, title: str,
                        items: list[MethodInput]) -> MethodLibrary:
    """Save the edited library as a new version; forløb keep the methods they were proposed.
    Entries with a blank title are dropped, so an entry can be removed."""
    rows = []
    for index, item in enumerate(items):
        if not item.title.strip():
            continue
        field = f"items-{index}"
        rows.append((item.title.strip(), item.description.strip(),
                     ",".join(check_theme_codes(item.theme_codes, field=f"{field}-theme_codes")),
                     ",".join(check_recommendation_refs(item.recommendation_refs,
                                                        field=f"{field}-recommendation_refs")),
                     "\n".join(check_links(item.links, field=f"{field}-links"))))
    if not rows:
        raise DomainError("Biblioteket skal have mindst én metode eller ét redskab",
                          field="items")
    if current is not None and title.strip() == current.title and rows == [
            (m.title, m.description, m.theme_codes, m.recommendation_refs, m.links)
            for m in current.methods]:
        raise DomainError("Der er ingen ændringer at gemme.")
    if current is not None:
        current.is_current = False
    version = MethodLibrary(
        version=(current.version + 1) if current else 1, title=title.strip(), is_current=True,
        created_at=clock.now(),
        methods=[Method(number=n, title=t, description=d, theme_codes=themes,
                        recommendation_refs=refs, links=links)
                 for n, (t, d, themes, refs, links) in enumerate(rows, start=1)])
    db.session.add(version)
    return version


# --- what changed, for the timeline ---------------------------------------------------------------

WORK_OBJECT_TYPES = ("agreement", "development_plan", "milestone", "engagement_method")


# Rows whose audit label names their forløb (audit.trail.AUDITED): found by the label of
# their creation, then every event of those rows, so one withdrawn or removed since (whose
# delete event no longer names the forløb) is on the timeline too.
LABELLED_BY_ENGAGEMENT = {
    "engagement_method": "Metode foreslået i forløb {id}",
    "engagement_indicator": "Indikator i forløb {id}",
    "benefit_rating": "Vurdering af udbytte i forløb {id}",
}


def work_changes(engagement: Engagement) -> list[AuditEvent]:
    """Every recorded change of the agreement, the plans, their milestones, the proposed
    methods, the indicators and the rating of the benefits, from the audit trail."""
    objects: list[tuple[str, int]] = []
    if engagement.agreement is not None and engagement.agreement.id:
        objects.append(("agreement", engagement.agreement.id))
    for row in engagement.recommendations:
        if row.plan is not None and row.plan.id:
            objects.append(("development_plan", row.plan.id))
            objects += [("milestone", m.id) for m in row.plan.milestones if m.id]
    by_type: dict[str, list[int]] = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, []).append(object_id)
    clauses = [and_(AuditEvent.object_type == t, AuditEvent.object_id.in_(ids))
               for t, ids in by_type.items()]
    clauses += [and_(AuditEvent.object_type == t, AuditEvent.object_id.in_(
                    select(AuditEvent.object_id).where(
                        AuditEvent.object_type == t, AuditEvent.action == "create",
                        AuditEvent.object_label == label.format(id=engagement.id))))
                for t, label in LABELLED_BY_ENGAGEMENT.items()]
    return list(db.session.execute(
        select(AuditEvent).where(or_(*clauses))
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(200)).scalars())
