"""Kapacitetsprognose: month by month for the coming year, the consultant seats booked by
forløb against the team's capacity, so the manager sees in time when the team is overbooked.

Forløb count by their planned dates only: a paused forløb still counts in its planned
months, and one that runs past its planned end no longer counts after that end. Approval
creates the forløb at once, so "approved but not started" is an active forløb whose planned
start lies after today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, Integer, case, func, literal, select, union_all

from ..domain.danish_time import format_danish_month
from ..domain.planning import add_months
from ..extensions import db
from ..models import Engagement, Role, User
from .consultant import ACTIVE_PHASES
from .filters import DashboardFilters

NO_FILTERS = DashboardFilters()


@dataclass(frozen=True)
class MonthLoad:
    first_day: date
    last_day: date
    running: int       # forløb whose planned window overlaps the month
    not_started: int   # of those, planned to start after today
    seats: int         # consultant seats they take: lead and second consultant alike
    capacity: int      # the team's (or the filtered consultant's) capacity

    @property
    def label(self) -> str:
        """E.g. "januar 2027"."""
        return format_danish_month(self.first_day)

    @property
    def free(self) -> int:
        """Seats left; negative when overbooked."""
        return self.capacity - self.seats

    @property
    def overbooked(self) -> bool:
        return self.seats > self.capacity


def forecast_months(today: date, filters: DashboardFilters, months: int) -> list[tuple[date, date]]:
    """(first day, last day) of the month containing today and the next months - 1, narrowed
    to the months that overlap the filter period, if one is chosen."""
    first = today.replace(day=1)
    spans = [(add_months(first, i), add_months(first, i + 1) - timedelta(days=1))
             for i in range(months)]
    return [(start, end) for start, end in spans
            if (filters.start is None or end >= filters.start)
            and (filters.end is None or start <= filters.end)]


def capacity_forecast(today: date, filters: DashboardFilters = NO_FILTERS,
                      months: int = 12, capacity: int | None = None) -> list[MonthLoad]:
    """One row per month (see `forecast_months`), in two statements whatever the data: the
    capacity, and the forløb per month aggregated over a months table joined on overlap.

    Team capacity is the sum of the active consultants' capacity; with the consultant filter
    it is that consultant's own, and each of their forløb takes one seat (theirs). The
    round and region filters narrow the forløb, not the capacity. A caller that has already
    read the capacity (the dashboard, from its caseload) passes it and saves a statement.
    """
    spans = forecast_months(today, filters, months)
    if not spans:
        return []
    if capacity is None:
        capacity = _capacity(filters)
    month_table = union_all(*[
        select(literal(i, Integer).label("idx"), literal(start, Date).label("first_day"),
               literal(end, Date).label("last_day"))
        for i, (start, end) in enumerate(spans)]).cte("forecast_months")
    if filters.consultant_id:
        seats = literal(1, Integer)
    else:
        seats = case((Engagement.second_consultant_id.is_not(None), 2), else_=1)
    rows = db.session.execute(
        select(month_table.c.idx, func.count().label("running"),
               func.count(case((Engagement.planned_start > today, 1))).label("not_started"),
               func.sum(seats).label("seats"))
        .select_from(month_table)
        .join(Engagement, (Engagement.planned_start <= month_table.c.last_day)
              & (Engagement.planned_end >= month_table.c.first_day))
        .where(Engagement.phase.in_(ACTIVE_PHASES),
               Engagement.planned_start <= spans[-1][1], Engagement.planned_end >= spans[0][0],
               *filters.engagement_clauses())
        .group_by(month_table.c.idx)).all()
    found = {int(r.idx): r for r in rows}
    result = []
    for i, (start, end) in enumerate(spans):
        r = found.get(i)
        result.append(MonthLoad(start, end, int(r.running) if r else 0,
                                int(r.not_started) if r else 0, int(r.seats) if r else 0,
                                capacity))
    return result


def _capacity(filters: DashboardFilters) -> int:
    if filters.consultant_id:
        where = (User.id == filters.consultant_id,)
    else:
        where = (User.role == Role.CONSULTANT, User.active.is_(True))
    return int(db.session.execute(
        select(func.coalesce(func.sum(User.capacity), 0)).where(*where)).scalar_one())


