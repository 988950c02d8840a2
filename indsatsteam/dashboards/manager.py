"""The manager's caseload dashboard. Every section is a fixed number of aggregated
statements, so the page costs the same with one forløb or four thousand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, func, literal, select, union_all

from ..domain.applications import ApplicationStatus, local_to_utc
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


def _assignments():
    """(engagement, consultant, role) for every active forløb: lead and second alike."""
    active = Engagement.phase.in_(ACTIVE_PHASES)
    return union_all(
        select(Engagement.id.label("engagement_id"),
               Engagement.lead_consultant_id.label("consultant_id"),
               literal("lead").label("role")).where(active),
        select(Engagement.id, Engagement.second_consultant_id, literal("second"))
        .where(active, Engagement.second_consultant_id.is_not(None)),
    ).subquery()


def caseload(today: date) -> list[Caseload]:
    """Per active consultant (and anyone else carrying active forløb)."""
    rows = {u.id: Caseload(u.id, u.name, u.capacity) for u in db.session.execute(
        select(User.id, User.name, User.capacity)
        .where(User.role == Role.CONSULTANT, User.active.is_(True))).all()}
    a = _assignments()
    for r in db.session.execute(
        select(a.c.consultant_id, User.name, User.capacity,
               func.sum(case((a.c.role == "lead", 1), else_=0)).label("lead"),
               func.sum(case((a.c.role == "second", 1), else_=0)).label("second"),
               *[func.sum(case((Engagement.phase == p.value, 1), else_=0)).label(p.value)
                 for p in WORK_PHASES],
               func.min(Engagement.planned_end).label("next_end"))
        .join(Engagement, Engagement.id == a.c.engagement_id)
        .join(User, User.id == a.c.consultant_id)
        .group_by(a.c.consultant_id, User.name, User.capacity)
    ).all():
        row = rows.setdefault(r.consultant_id, Caseload(r.consultant_id, r.name, r.capacity))
        row.lead, row.second, row.next_end = int(r.lead), int(r.second), r.next_end
        row.by_phase = {p.value: int(getattr(r, p.value)) for p in WORK_PHASES}
    for r in db.session.execute(
        select(Task.owner_user_id, func.count().label("open"),
               func.sum(case((Task.due_date < today, 1), else_=0)).label("overdue"))
        .join(Engagement, Engagement.id == Task.engagement_id)
        .where(Task.status.in_(OPEN_TASK), Engagement.phase.in_(ACTIVE_PHASES),
               Task.owner_user_id.in_(rows.keys()))
        .group_by(Task.owner_user_id)
    ).all():
        rows[r.owner_user_id].open_tasks = int(r.open)
        rows[r.owner_user_id].overdue_tasks = int(r.overdue)
    start = local_to_utc(datetime.combine(today, time()))
    end = local_to_utc(datetime.combine(today + timedelta(days=MEETING_DAYS), time()))
    for r in db.session.execute(
        select(a.c.consultant_id, func.count(func.distinct(Meeting.id)).label("meetings"))
        .join(Meeting, Meeting.engagement_id == a.c.engagement_id)
        .where(and_(Meeting.starts_at >= start, Meeting.starts_at < end))
        .group_by(a.c.consultant_id)
    ).all():
        if r.consultant_id in rows:
            rows[r.consultant_id].meetings = int(r.meetings)
    return sorted(rows.values(), key=lambda c: (-c.total, c.name))


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


def pipeline() -> list[RoundPipeline]:
    """Applications per round and status against the programmes on offer, in one statement."""
    undecided = Application.status.in_(UNDECIDED)
    stmt = (
        select(ApplicationRound.id, ApplicationRound.name, ApplicationRound.closes_at,
               ApplicationRound.programmes_offered,
               *[func.sum(case((Application.status == s.value, 1), else_=0)).label(s.value)
                 for s in PIPELINE],
               func.count(case((undecided, 1))).label("undecided"),
               func.min(case((undecided, Application.submitted_at))).label("oldest"))
        .outerjoin(Application, Application.round_id == ApplicationRound.id)
        .group_by(ApplicationRound.id, ApplicationRound.name, ApplicationRound.closes_at,
                  ApplicationRound.programmes_offered)
        .order_by(ApplicationRound.closes_at.desc())
    )
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


def deadlines(today: date) -> Deadlines:
    """Open tasks of active forløb that are overdue or due within 14 days, earliest first.

    Two statements: the (id, due date) pairs come from the status index (a few thousand
    even in the large data set) and are counted and sorted here; the details are then read
    for the first rows only. A single ORDER BY … LIMIT makes SQLite walk the due-date index
    through every done task instead.
    """
    horizon = today + timedelta(days=DEADLINE_DAYS)
    pairs = db.session.execute(
        select(Task.id, Task.due_date)
        .join(Engagement, Engagement.id == Task.engagement_id)
        .where(Task.status.in_(OPEN_TASK), Task.due_date <= horizon,
               Engagement.phase.in_(ACTIVE_PHASES))).all()
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


def phase_funnel() -> list[PhaseFigures]:
    """Forløb per phase now, and for completed forløb the average days each work phase took
    against the plan (phases with both an actual start and end)."""
    now = dict(db.session.execute(
        select(Engagement.phase, func.count()).group_by(Engagement.phase)).all())
    figures = {p.value: PhaseFigures(p, int(now.get(p.value, 0))) for p in Phase}
    for r in db.session.execute(
        select(PhasePlan.phase, func.count().label("n"),
               func.avg(_days_between(PhasePlan.actual_end, PhasePlan.actual_start))
               .label("actual"),
               func.avg(_days_between(PhasePlan.planned_end, PhasePlan.planned_start))
               .label("planned"))
        .join(Engagement, Engagement.id == PhasePlan.engagement_id)
        .where(Engagement.phase == Phase.COMPLETED, PhasePlan.actual_start.is_not(None),
               PhasePlan.actual_end.is_not(None))
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
    rows: list[tuple[str, int]]  # (label, count), largest first

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)


def _sorted(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def distributions() -> list[Distribution]:
    """Submitted applications (not drafts) by theme, provider kind, owner type, region and
    municipality: one statement for the themes, one grouped by all provider dimensions,
    which is folded into the four tables here (at most a few hundred groups)."""
    submitted = Application.status != ApplicationStatus.DRAFT
    themes = _sorted({name: int(n) for name, n in db.session.execute(
        select(Theme.name, func.count())
        .join(application_themes, application_themes.c.theme_id == Theme.id)
        .join(Application, Application.id == application_themes.c.application_id)
        .where(submitted).group_by(Theme.name)).all()})
    kinds: dict[str, int] = {}
    owners: dict[str, int] = {}
    regions: dict[str, int] = {}
    municipalities: dict[str, int] = {}
    dimensions = (Provider.kind, Provider.owner_type, Provider.region,
                  Provider.municipality_code)
    for kind, owner, region, code, n in db.session.execute(
            select(*dimensions, func.count())
            .join(Application, Application.provider_id == Provider.id).where(submitted)
            .group_by(*dimensions)).all():
        for table, key in ((kinds, ProviderKind(kind).label), (owners, OwnerType(owner).label),
                           (regions, region),
                           (municipalities, (m.name if (m := municipality_by_code(code))
                                             else code))):
            table[key] = table.get(key, 0) + int(n)
    return [Distribution("Tema", themes), Distribution("Type af tilbud", _sorted(kinds)),
            Distribution("Ejerform", _sorted(owners)), Distribution("Region", _sorted(regions)),
            Distribution("Kommune", _sorted(municipalities))]
