"""Running an engagement: phase moves with their gates, meetings, the analysis, proposed
recommendations, tasks, notes and the final evaluation.

Nothing here commits: the route's `domain_errors` does, once per request."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..claims import lock
from ..development.values import (
    agreement_is_agreed,
    plan_values,
    recommendation_label,
    recommendations_with_plans,
)
from ..documents import services as documents
from ..domain.danish_time import local_date
from ..domain.engagements import (
    OPEN_TASK_STATUSES,
    MeetingType,
    TaskOwner,
    TaskStatus,
    check_not_in_past,
)
from ..domain.errors import DomainError
from ..domain.expectations import check_final_evaluation_may_complete, plan_missing
from ..domain.gates import gate_met
from ..domain.indicators import DEFAULT_FOLLOW_UP_MONTHS, missing_end_measurements
from ..domain.phases import WORK_PHASES, GateFacts, Phase, allowed_targets, check_move
from ..extensions import db
from ..measurements import services as measurements
from ..models import (
    AnalysisFinding,
    Engagement,
    EngagementRecommendation,
    FinalEvaluation,
    Meeting,
    Note,
    PhaseTransition,
    Recommendation,
    Role,
    Task,
    User,
)
from ..notifications import events
from .inputs import MeetingInput, TaskInput

CLOSED_PHASES = (Phase.COMPLETED, Phase.CANCELLED)


def check_open(engagement: Engagement) -> None:
    """Refuse changes to a closed engagement. Locks the engagement first (see `claims`), so
    two saves of the same forløb (a double click) run one after the other, the second
    seeing what the first stored, and a phase move cannot slip in between."""
    lock(engagement)
    if engagement.phase in CLOSED_PHASES:
        raise DomainError("Forløbet er afsluttet eller annulleret og kan ikke ændres. En leder "
                          "kan genåbne det.")


def engagements_for(user: User, phase: Phase | None = None) -> list[Engagement]:
    """The engagements the user runs (a consultant: as lead or second; a manager: all), the
    first to end first, optionally in one phase."""
    query = select(Engagement).options(
        selectinload(Engagement.provider), selectinload(Engagement.lead_consultant),
        selectinload(Engagement.second_consultant), selectinload(Engagement.tasks),
    ).order_by(Engagement.planned_end)
    if user.role == Role.CONSULTANT:
        query = query.where(or_(Engagement.lead_consultant_id == user.id,
                                Engagement.second_consultant_id == user.id))
    if phase is not None:
        query = query.where(Engagement.phase == phase)
    return list(db.session.execute(query).scalars())


# --- phases ---------------------------------------------------------------------------------

def gate_facts(engagement: Engagement) -> GateFacts:
    findings = {f.theme_id: f for f in engagement.findings}
    chosen = [r for r in engagement.recommendations if r.chosen_at]
    missing = tuple(
        t.name for t in engagement.themes
        if t.id not in findings
        or not (findings[t.id].strengths.strip() and findings[t.id].development_areas.strip()))
    return GateFacts(
        kickoff_meeting_held=any(m.meeting_type == MeetingType.KICKOFF and m.held
                                 for m in engagement.meetings),
        agreement_agreed=agreement_is_agreed(engagement),
        themes_without_analysis=missing,
        analysis_recorded=bool(findings),
        chosen_recommendations=len(chosen),
        final_evaluation_done=engagement.final_evaluation is not None
        and engagement.final_evaluation.completed_at is not None,
        baseline_assessed=bool(chosen) and all(r.baseline_score for r in chosen),
        final_assessed=bool(chosen) and all(r.final_score for r in chosen),
        recommendations_without_plan=tuple(
            recommendation_label(r)
            for r in sorted(chosen, key=lambda r: r.recommendation.number)
            if plan_missing(plan_values(r.plan))),
    )


def sync_with_facts(engagement: Engagement) -> None:
    """Keep what follows from the recorded facts in step with them: the standard tasks that
    stand for a gate, and the startup phase's actual start.

    A gate task is completed by the system (no user) when its gate is met and reopened when
    the gate is no longer met, if it was the system that completed it. Call it in the same
    transaction as every change to a gate's facts.
    """
    db.session.flush()  # new rows get their foreign keys (gate_facts reads theme_id)
    facts = gate_facts(engagement)
    now = clock.now()
    for task in engagement.tasks:
        if not task.gate_key:
            continue
        met = gate_met(task.gate_key, facts)
        if met and task.status in OPEN_TASK_STATUSES:
            task.status, task.completed_at, task.completed_by = TaskStatus.DONE, now, None
        elif (not met and task.status == TaskStatus.DONE and task.completed_by_id is None
              and task.completed_by is None):
            task.status, task.completed_at = TaskStatus.NOT_STARTED, None
    _sync_startup_start(engagement)


# How far ahead the reminder sweep looks for gate tasks to bring in step (the longest
# reminder before a deadline is a week; a month leaves room for an admin's longer setting).
GATE_SYNC_HORIZON_DAYS = 31


def sync_open_gate_tasks() -> int:
    """Bring in step the open gate tasks that reminders may soon be about, for facts recorded
    outside the services (older data, imports). Returns how many tasks it completed or
    reopened. A fixed number of queries, however many engagements; the caller commits."""
    horizon = clock.today() + timedelta(days=GATE_SYNC_HORIZON_DAYS)
    candidates = (select(Task.engagement_id)
                  .where(Task.gate_key.is_not(None), Task.status.in_(OPEN_TASK_STATUSES),
                         Task.due_date <= horizon))
    engagements = db.session.execute(
        select(Engagement)
        .where(Engagement.id.in_(candidates), Engagement.phase.in_(WORK_PHASES))
        .order_by(Engagement.id)  # the same row order in two schedulers: no deadlock
        .options(selectinload(Engagement.tasks), selectinload(Engagement.meetings),
                 selectinload(Engagement.findings), selectinload(Engagement.themes),
                 recommendations_with_plans(), selectinload(Engagement.agreement),
                 selectinload(Engagement.final_evaluation), selectinload(Engagement.phase_plans))
    ).scalars().all()
    changed = 0
    for engagement in engagements:
        before = {t.id: t.status for t in engagement.tasks}
        sync_with_facts(engagement)
        changed += sum(1 for t in engagement.tasks if before[t.id] != t.status)
    return changed


def _sync_startup_start(engagement: Engagement) -> None:
    """The forløb really starts on its planned start, or at the kick-off if that was earlier."""
    startup = next((p for p in engagement.phase_plans if p.phase == Phase.STARTUP), None)
    if startup is None:
        return
    kickoffs = [local_date(m.starts_at) for m in engagement.meetings
                if m.meeting_type == MeetingType.KICKOFF and m.held]
    startup.actual_start = min([engagement.planned_start, *kickoffs])


def targets_for(engagement: Engagement, user: User) -> list[Phase]:
    return allowed_targets(engagement.phase, role=user.role,
                           resume_to=engagement.resume_phase)


class OpenTasksRemain(DomainError):
    """Completing would leave open tasks; the user must close them as not relevant first."""

    def __init__(self, tasks: list[Task]) -> None:
        count = len(tasks)
        super().__init__(f"Forløbet har {count} åben opgave" if count == 1
                         else f"Forløbet har {count} åbne opgaver")
        self.tasks = tasks


def open_tasks(engagement: Engagement) -> list[Task]:
    return [t for t in engagement.tasks if t.status in OPEN_TASK_STATUSES]


def move_phase(engagement: Engagement, target: str, actor: User, comment: str, *,
               close_open_tasks: bool = False,
               follow_up_months: int = DEFAULT_FOLLOW_UP_MONTHS) -> bool:
    """Move the engagement, enforcing the state machine and its gates; records who, when, why.

    Completing with open tasks raises OpenTasksRemain unless `close_open_tasks`, which closes
    them as "Ikke relevant" in the same transaction and says so on the transition.

    False when the engagement is already in `target` (the second click of a double click, or
    a colleague a moment earlier): nothing is recorded twice.
    """
    current = engagement.phase
    try:
        target_phase = Phase(target)
    except ValueError as err:
        raise DomainError("Vælg en af de mulige faser", field="target") from err
    lock(engagement)
    current = engagement.phase
    if current == target_phase:
        return False
    resume_to = engagement.resume_phase
    check_move(current, target_phase, gate_facts(engagement), role=actor.role,
               reason=comment, resume_to=resume_to)
    comment = comment.strip()
    if target_phase == Phase.COMPLETED and (left := open_tasks(engagement)):
        if not close_open_tasks:
            raise OpenTasksRemain(left)
        for task in left:
            set_task_status(task, TaskStatus.NOT_RELEVANT, actor)
        closed = f"Lukket som ikke relevant: {', '.join(t.title for t in left)}."
        comment = f"{comment}\n{closed}" if comment else closed
    on = clock.today()
    plans = {p.phase: p for p in engagement.phase_plans}
    if current in WORK_PHASES and target_phase != Phase.PAUSED:
        plans[current].actual_end = on
    if target_phase in WORK_PHASES:
        plans[target_phase].actual_start = plans[target_phase].actual_start or on
        plans[target_phase].actual_end = None  # resumed or reopened
    if target_phase in (Phase.PAUSED, Phase.CANCELLED):
        # Remember the work phase to come back to (kept when a paused one is cancelled).
        if current in WORK_PHASES:
            engagement.resume_phase = current
    else:
        engagement.resume_phase = None
    engagement.actual_end = on if target_phase in CLOSED_PHASES else None
    engagement.phase = target_phase
    measurements.start_follow_up(engagement, follow_up_months)
    transition = PhaseTransition(from_phase=current, to_phase=target_phase, actor=actor,
                                 at=clock.now(), comment=comment)
    engagement.transitions.append(transition)
    events.phase_moved(engagement, transition)  # same transaction: never lost, never extra
    documents.on_phase_moved(engagement, current, target_phase, actor)
    return True


# --- meetings, analysis, recommendations (the agreement: development.services) -----------------

def save_meeting(engagement: Engagement, meeting: Meeting | None,
                 values: MeetingInput) -> Meeting:
    """Create a meeting (meeting=None) or change one; only a past meeting can be held."""
    check_open(engagement)
    if values.held and values.starts_at > clock.now():
        raise DomainError("Et møde kan først markeres som afholdt, når det har fundet sted",
                          field="held")
    meeting = meeting or Meeting(engagement=engagement)
    meeting.meeting_type, meeting.starts_at = MeetingType(values.meeting_type), values.starts_at
    meeting.location = values.location.strip()
    meeting.participants = values.participants.strip()
    meeting.minutes, meeting.held = values.minutes.strip(), values.held
    meeting.minutes_shared = values.minutes_shared and bool(meeting.minutes)
    db.session.add(meeting)
    sync_with_facts(engagement)
    return meeting


def save_findings(engagement: Engagement, values: dict[int, tuple[str, str]]) -> None:
    """values: theme id → (strengths, development areas), for the engagement's themes."""
    check_open(engagement)
    existing = {f.theme_id: f for f in engagement.findings}
    for theme in engagement.themes:
        strengths, areas = (v.strip() for v in values.get(theme.id, ("", "")))
        finding = existing.get(theme.id)
        if finding is None and not (strengths or areas):
            continue
        if finding is None:
            finding = AnalysisFinding(engagement=engagement, theme=theme)
            db.session.add(finding)
        finding.strengths, finding.development_areas = strengths, areas
    sync_with_facts(engagement)


def catalogue_recommendations(engagement: Engagement) -> list[Recommendation]:
    """The recommendations of the catalogue version the engagement started with."""
    return list(db.session.execute(
        select(Recommendation).where(Recommendation.catalogue_id == engagement.catalogue_id)
        .order_by(Recommendation.number)
    ).scalars())


def propose_recommendations(engagement: Engagement, recommendation_ids: list[int],
                            actor: User) -> None:
    """The consultant's proposal; the tilbud itself chooses which to work on."""
    check_open(engagement)
    valid = {r.id for r in catalogue_recommendations(engagement)}
    wanted = set(recommendation_ids) & valid
    rows = {r.recommendation_id: r for r in engagement.recommendations}
    now = clock.now()
    for rec_id in wanted - rows.keys():
        engagement.recommendations.append(EngagementRecommendation(
            recommendation_id=rec_id, proposed_by=actor, proposed_at=now))
    for rec_id, row in rows.items():
        if rec_id in wanted and row.proposed_at is None:
            row.proposed_by, row.proposed_at = actor, now
        elif rec_id not in wanted and row.proposed_at is not None:
            row.proposed_by_id, row.proposed_at = None, None
            if row.chosen_at is None:
                db.session.delete(row)


# --- tasks, notes, final evaluation -------------------------------------------------------------

def save_task(engagement: Engagement, task: Task | None, actor: User, values: TaskInput) -> Task:
    """Create a task (task=None) or change one, checked against the forløb."""
    check_open(engagement)
    if values.owner_type == TaskOwner.CONSULTANT and values.owner_user_id not in (
            engagement.lead_consultant_id, engagement.second_consultant_id):
        raise DomainError("Vælg en af forløbets konsulenter som ansvarlig", field="owner_user_id")
    if values.theme_id is not None and values.theme_id not in {t.id for t in engagement.themes}:
        raise DomainError("Vælg et af forløbets temaer", field="theme_id")
    recommendation_id = values.engagement_recommendation_id
    if recommendation_id is not None and recommendation_id not in {
            r.id for r in engagement.recommendations}:
        raise DomainError("Vælg en af forløbets anbefalinger",
                          field="engagement_recommendation_id")
    if task is None or task.due_date != values.due_date:
        # A deadline already passed makes no sense for new work (an old one may stay).
        check_not_in_past(values.due_date, clock.today(), field="due_date", what="Fristen")
    task = task or Task(engagement=engagement)
    if task.due_date != values.due_date:
        task.offset_days = None  # set by hand: re-planning leaves it alone from now on
    task.title, task.description = values.title.strip(), values.description.strip()
    task.owner_type = values.owner_type
    task.owner_user_id = (values.owner_user_id if values.owner_type == TaskOwner.CONSULTANT
                          else None)
    task.due_date, task.phase, task.theme_id = values.due_date, values.phase, values.theme_id
    task.engagement_recommendation_id = recommendation_id
    set_task_status(task, values.status, actor)
    db.session.add(task)
    return task


def change_task_status(task: Task, status: str, actor: User) -> bool:
    """A status change from the task lists (staff and tilbud). The task is locked and re-read
    first, so a double click records one change; False when it already had the status."""
    status = TaskStatus(status)
    lock(task)
    if task.status == status:
        return False
    set_task_status(task, status, actor)
    return True


def set_task_status(task: Task, status: str, actor: User | None) -> None:
    status = TaskStatus(status)
    if status == TaskStatus.DONE and task.status != TaskStatus.DONE:
        task.completed_at, task.completed_by = clock.now(), actor
    elif status != TaskStatus.DONE:
        task.completed_at, task.completed_by = None, None
    task.status = status


def add_note(engagement: Engagement, author: User, body: str) -> Note:
    if not body.strip():
        raise DomainError("Skriv noten", field="body")
    note = Note(engagement=engagement, author=author, body=body.strip(), created_at=clock.now())
    db.session.add(note)
    return note


def save_final_evaluation(engagement: Engagement, actor: User, *, summary: str,
                          achievements: str, next_steps: str, complete: bool) -> FinalEvaluation:
    check_open(engagement)
    if engagement.phase != Phase.DEVELOPMENT:
        raise DomainError("Den afsluttende evaluering udfyldes i udviklingsfasen.")
    without_plan = gate_facts(engagement).recommendations_without_plan
    evaluation = engagement.final_evaluation or FinalEvaluation(engagement=engagement)
    db.session.add(evaluation)
    evaluation.summary, evaluation.achievements = summary.strip(), achievements.strip()
    evaluation.next_steps = next_steps.strip()
    if complete and not (evaluation.summary and evaluation.achievements):
        raise DomainError("Udfyld opsummering og resultater, før evalueringen markeres som færdig",
                          field="complete")
    if complete and evaluation.completed_at is None:
        check_final_evaluation_may_complete(without_plan)
        if without_end := measurements.without_end_measurement(engagement):
            raise DomainError(missing_end_measurements(without_end), field="complete")
    if complete:
        evaluation.completed_at, evaluation.completed_by_id = clock.now(), actor.id
    else:
        evaluation.completed_at, evaluation.completed_by_id = None, None
    db.session.add(evaluation)
    sync_with_facts(engagement)
    return evaluation
