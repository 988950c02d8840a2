"""The manager's caseload dashboard. Every section is a fixed number of aggregated
statements, so the page costs the same with one forløb or four thousand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select, union_all

from ..domain.applications import ApplicationStatus
from ..domain.danish_time import start_of_day
from ..domain.municipalities import municipality_by_code
from ..domain.phases import Phase
from ..domain.providers import OwnerType, ProviderKind
from ..extensions import db
from ..models import (
    Application,
    ApplicationRound,
    Engagement,
    Meeting,
    PhasePlan,
    Provider,
    Role,
    Task,
    Theme,
    User,
    application_themes,
)
from .consultant import ACTIVE_PHASES, OPEN_TASK
from .filters import DashboardFilters

NO_FILTERS = DashboardFilters()

WORK_PHASES = (Phase.STARTUP, Phase.ANALYSIS, Phase.DEVELOPMENT, Phase.PAUSED)
PIPELINE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW,
            ApplicationStatus.APPROVED, ApplicationStatus.WAITLISTED,
            ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
UNDECIDED = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
MEETING_DAYS = 14


@dataclass
class Caseload:
    user_id: int
    name: str
    capacity: int
    counts_in_team: bool  # an active consultant: their capacity is the team's
    lead: int = 0
    second: int = 0
    by_phase: dict[str, int] = field(default_factory=dict)
    open_tasks: int = 0
    overdue_tasks: int = 0
    meetings: int = 0
    next_end: date | None = None

    @property
    def total(self) -> int:
        return self.lead + self.second

    @property
    def over_capacity(self) -> bool:
        return self.total > self.capacity


def _lead_and_second(part: Callable[[Any, str], Select], filters: DashboardFilters):
    """`part(consultant column, role)` for the lead and for the second consultant, as one
    union; with the consultant filter only that consultant's rows (the other consultant
    on a shared forløb is not asked about)."""
    parts = []
    for column, role in ((Engagement.lead_consultant_id, "lead"),
                         (Engagement.second_consultant_id, "second")):
        p = part(column, role).where(column.is_not(None))
        if filters.consultant_id:
            p = p.where(column == filters.consultant_id)
        parts.append(p)
    return union_all(*parts)


def _assignments(filters: DashboardFilters):
    """(engagement, consultant, role) for every active forløb: lead and second alike."""
    where = (Engagement.phase.in_(ACTIVE_PHASES), *filters.engagement_clauses())
    return _lead_and_second(
        lambda column, role: select(Engagement.id.label("engagement_id"),
                                    column.label("consultant_id"),
                                    literal(role).label("role")).where(*where),
        filters).subquery()


def caseload(today: date, filters: DashboardFilters = NO_FILTERS) -> list[Caseload]:
    """Every active consultant, and any other staff member carrying active forløb (or only
    the filtered consultant), in two statements: the people with their forløb, then their
    open tasks and meetings."""
    a = _assignments(filters)
    forloeb = (
        select(a.c.consultant_id,
               func.sum(case((a.c.role == "lead", 1), else_=0)).label("lead"),
               func.sum(case((a.c.role == "second", 1), else_=0)).label("second"),
               *[func.sum(case((Engagement.phase == p.value, 1), else_=0)).label(p.value)
                 for p in WORK_PHASES],
               func.min(Engagement.planned_end).label("next_end"))
        .join(Engagement, Engagement.id == a.c.engagement_id)
        .group_by(a.c.consultant_id)).subquery()
    people = (
        select(User.id, User.name, User.capacity, User.role, User.active, forloeb)
        .outerjoin(forloeb, forloeb.c.consultant_id == User.id)
        .where(User.anonymised_at.is_(None)))
    if filters.consultant_id:
        people = people.where(User.id == filters.consultant_id)
    rows: dict[int, Caseload] = {}
    for r in db.session.execute(people).all():
        active_consultant = r.role == Role.CONSULTANT and r.active
        if not (filters.consultant_id or active_consultant or r.lead or r.second):
            continue
        row = rows[r.id] = Caseload(r.id, r.name, r.capacity, active_consultant,
                                    int(r.lead or 0), int(r.second or 0), next_end=r.next_end)
        row.by_phase = {p.value: int(getattr(r, p.value) or 0) for p in WORK_PHASES}
    for r in db.session.execute(_work(today, filters)).all():
        if r.consultant_id not in rows:
            continue
        if r.kind == "tasks":
            rows[r.consultant_id].open_tasks = int(r.n)
            rows[r.consultant_id].overdue_tasks = int(r.overdue)
        else:
            rows[r.consultant_id].meetings = int(r.n)
    return sorted(rows.values(), key=lambda c: (-c.total, c.name))


def _work(today: date, filters: DashboardFilters):
    """Open tasks (and how many overdue) per owner, and meetings in the next 14 days per
    consultant of the forløb, as one statement of tagged rows. Tasks are counted as of
    today whatever the period, like the deadlines, so the figure matches its list.

    The meetings start from the time index (a few hundred in 14 days) rather than from
    every forløb's assignments. The tasks read the owner index; what they cost is the look-up
    of each open task's forløb for its phase.
    """
    tasks = (
        select(literal("tasks").label("kind"), Task.owner_user_id.label("consultant_id"),
               func.count().label("n"),
               func.sum(case((Task.due_date < today, 1), else_=0)).label("overdue"))
        .join(Engagement, Engagement.id == Task.engagement_id)
        .where(Task.status.in_(OPEN_TASK), Engagement.phase.in_(ACTIVE_PHASES),
               Task.owner_user_id.is_not(None), *filters.membership_clauses())
        .group_by(Task.owner_user_id))
    if filters.consultant_id:
        tasks = tasks.where(Task.owner_user_id == filters.consultant_id)
    where = (Meeting.starts_at >= start_of_day(today),
             Meeting.starts_at < start_of_day(today + timedelta(days=MEETING_DAYS)),
             Engagement.phase.in_(ACTIVE_PHASES), *filters.engagement_clauses())
    attended = _lead_and_second(
        lambda column, _role: select(Meeting.id.label("meeting_id"),
                                     column.label("consultant_id"))
        .join(Engagement, Engagement.id == Meeting.engagement_id).where(*where),
        filters).subquery()
    meetings = (
        select(literal("meetings"), attended.c.consultant_id,
               func.count(func.distinct(attended.c.meeting_id)), literal(0))
        .group_by(attended.c.consultant_id))
    return union_all(tasks, meetings)


def team_capacity(rows: list[Caseload], filters: DashboardFilters) -> int:
    """The active consultants' capacity, or the filtered consultant's own."""
    if filters.consultant_id:
        return sum(row.capacity for row in rows)
    return sum(row.capacity for row in rows if row.counts_in_team)


@dataclass
class RoundPipeline:
    round_id: int
    name: str
    closes_at: datetime
    programmes_offered: int
    counts: dict[str, int]
    undecided: int
    oldest_submitted_at: datetime | None

    def days_waiting(self, now: datetime) -> int | None:
        """Days the longest-waiting undecided application has waited since submission."""
        return (now - self.oldest_submitted_at).days if self.oldest_submitted_at else None


def pipeline(filters: DashboardFilters = NO_FILTERS) -> list[RoundPipeline]:
    """Applications per round and status against the programmes on offer, in one statement."""
    undecided = Application.status.in_(UNDECIDED)
    joined = and_(Application.round_id == ApplicationRound.id, *filters.application_clauses())
    stmt = (
        select(ApplicationRound.id, ApplicationRound.name, ApplicationRound.closes_at,
               ApplicationRound.programmes_offered,
               *[func.sum(case((Application.status == s.value, 1), else_=0)).label(s.value)
                 for s in PIPELINE],
               func.count(case((undecided, 1))).label("undecided"),
               func.min(case((undecided, Application.submitted_at))).label("oldest"))
        .outerjoin(Application, joined)
        .group_by(ApplicationRound.id, ApplicationRound.name, ApplicationRound.closes_at,
                  ApplicationRound.programmes_offered)
        .order_by(ApplicationRound.closes_at.desc())
    )
    if filters.round_id:
        stmt = stmt.where(ApplicationRound.id == filters.round_id)
    return [RoundPipeline(r.id, r.name, r.closes_at, r.programmes_offered,
                          {s.value: int(getattr(r, s.value) or 0) for s in PIPELINE},
                          int(r.undecided), _aware(r.oldest))
            for r in db.session.execute(stmt).all()]


def _aware(value) -> datetime | None:
    """MIN() over an AwareDateTime column comes back untyped on SQLite (a string)."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


DEADLINE_DAYS = 14
DEADLINE_LIMIT = 50


@dataclass
class Deadlines:
    overdue: int
    upcoming: int
    rows: list

    @property
    def shown_all(self) -> bool:
        return len(self.rows) >= self.overdue + self.upcoming


def deadlines(today: date, filters: DashboardFilters = NO_FILTERS) -> Deadlines:
    """Open tasks of active forløb that are overdue or due within 14 days, earliest first.

    Two statements: the (id, due date) pairs come from the status index (a few thousand
    even in the large data set) and are counted and sorted here; the details are then read
    for the first rows only. A single ORDER BY … LIMIT makes SQLite walk the due-date index
    through every done task instead. The period filter does not apply: the horizon is fixed.
    """
    horizon = today + timedelta(days=DEADLINE_DAYS)
    pairs = db.session.execute(
        select(Task.id, Task.due_date)
        .join(Engagement, Engagement.id == Task.engagement_id)
        .where(Task.status.in_(OPEN_TASK), Task.due_date <= horizon,
               Engagement.phase.in_(ACTIVE_PHASES), *filters.membership_clauses())).all()
    overdue = sum(1 for _, due in pairs if due < today)
    first = [task_id for task_id, _ in sorted(pairs, key=lambda p: (p[1], p[0]))
             [:DEADLINE_LIMIT]]
    rows = db.session.execute(
        select(Task.id, Task.title, Task.due_date, Task.owner_type, Task.engagement_id,
               Provider.name.label("provider_name"), User.name.label("owner_name"))
        .join(Engagement, Engagement.id == Task.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .outerjoin(User, User.id == Task.owner_user_id)
        .where(Task.id.in_(first)).order_by(Task.due_date, Task.id)).all()
    return Deadlines(overdue, len(pairs) - overdue, rows)


@dataclass
class PhaseFigures:
    phase: Phase
    now: int
    completed_count: int = 0
    actual_days: float | None = None
    planned_days: float | None = None


def _days_between(end, start):
    """Whole days from start to end, inclusive, in SQL (SQLite has no date subtraction)."""
    if db.engine.dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start) + 1
    return end - start + 1


def phase_funnel(filters: DashboardFilters = NO_FILTERS) -> list[PhaseFigures]:
    """Forløb per phase now, and for completed forløb the average days each work phase took
    against the plan (phases with both an actual start and end)."""
    scope = filters.engagement_clauses()
    now = dict(db.session.execute(
        select(Engagement.phase, func.count()).where(*scope).group_by(Engagement.phase)).all())
    figures = {p.value: PhaseFigures(p, int(now.get(p.value, 0))) for p in Phase}
    for r in db.session.execute(
        select(PhasePlan.phase, func.count().label("n"),
               func.avg(_days_between(PhasePlan.actual_end, PhasePlan.actual_start))
               .label("actual"),
               func.avg(_days_between(PhasePlan.planned_end, PhasePlan.planned_start))
               .label("planned"))
        .join(Engagement, Engagement.id == PhasePlan.engagement_id)
        .where(Engagement.phase == Phase.COMPLETED, PhasePlan.actual_start.is_not(None),
               PhasePlan.actual_end.is_not(None), *scope)
        .group_by(PhasePlan.phase)
    ).all():
        if r.phase in figures:
            f = figures[r.phase]
            f.completed_count = int(r.n)
            f.actual_days = round(float(r.actual), 1)
            f.planned_days = round(float(r.planned), 1)
    return list(figures.values())


@dataclass
class Distribution:
    title: str
    param: str  # the drill-down list's parameter for this dimension
    rows: list[tuple[str, str, int]]  # (value, label, count), largest first

    @property
    def total(self) -> int:
        return sum(count for _, _, count in self.rows)


def _sorted(counts: dict[tuple[str, str], int]) -> list[tuple[str, str, int]]:
    return sorted(((value, label, n) for (value, label), n in counts.items()),
                  key=lambda row: (-row[2], row[1]))


def distributions(filters: DashboardFilters = NO_FILTERS) -> list[Distribution]:
    """Submitted applications (not drafts) by theme, provider kind, owner type, region and
    municipality: one statement for the themes, one grouped by all provider dimensions,
    which is folded into the four tables here (at most a few hundred groups)."""
    submitted = and_(Application.status != ApplicationStatus.DRAFT,
                     *filters.application_clauses())
    themes = _sorted({(str(theme_id), name): int(n) for theme_id, name, n in db.session.execute(
        select(Theme.id, Theme.name, func.count())
        .join(application_themes, application_themes.c.theme_id == Theme.id)
        .join(Application, Application.id == application_themes.c.application_id)
        .where(submitted).group_by(Theme.id, Theme.name)).all()})
    kinds: dict[tuple[str, str], int] = {}
    owners: dict[tuple[str, str], int] = {}
    regions: dict[tuple[str, str], int] = {}
    municipalities: dict[tuple[str, str], int] = {}
    dimensions = (Provider.kind, Provider.owner_type, Provider.region,
                  Provider.municipality_code)
    for kind, owner, region, code, n in db.session.execute(
            select(*dimensions, func.count())
            .join(Application, Application.provider_id == Provider.id).where(submitted)
            .group_by(*dimensions)).all():
        municipality = municipality_by_code(code)
        for table, key in ((kinds, (kind, ProviderKind(kind).label)),
                           (owners, (owner, OwnerType(owner).label)),
                           (regions, (region, region)),
                           (municipalities, (code, municipality.name if municipality
                                             else code))):
            table[key] = table.get(key, 0) + int(n)
    return [Distribution("Tema", "tema", themes),
            Distribution("Type af tilbud", "type", _sorted(kinds)),
            Distribution("Ejerform", "ejerform", _sorted(owners)),
            Distribution("Region", "region", _sorted(regions)),
            Distribution("Kommune", "kommune", _sorted(municipalities))]
