"""The consultant's own overview: one aggregated statement per section, whatever the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select

from ..domain.applications import ApplicationStatus
from ..domain.danish_time import start_of_day
from ..domain.engagements import TaskStatus
from ..domain.phases import Phase
from ..extensions import db
from ..models import Application, Engagement, Meeting, Provider, Review, Task

ACTIVE_PHASES = (Phase.STARTUP, Phase.ANALYSIS, Phase.DEVELOPMENT, Phase.PAUSED)
OPEN_TASK = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
WAITING_FOR_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
TASK_LIMIT = 100


@dataclass(frozen=True)
class ConsultantOverview:
    engagements: list
    tasks: list
    more_tasks: bool
    meetings: list
    reviews: list
    week_start: date
    week_end: date


def _mine(user_id: int):
    return or_(Engagement.lead_consultant_id == user_id,
               Engagement.second_consultant_id == user_id)


def my_engagements(user_id: int) -> list:
    """Active forløb where the user is lead or second, with the next open task's due date."""
    next_due = (select(Task.engagement_id, func.min(Task.due_date).label("next_due"),
                       func.count().label("open_tasks"))
                .where(Task.status.in_(OPEN_TASK),
                       Task.engagement_id.in_(select(Engagement.id).where(_mine(user_id))))
                .group_by(Task.engagement_id).subquery())
    return db.session.execute(
        select(Engagement.id, Engagement.phase, Engagement.planned_end,
               Engagement.lead_consultant_id, Provider.name.label("provider_name"),
               next_due.c.next_due, func.coalesce(next_due.c.open_tasks, 0).label("open_tasks"))
        .join(Provider, Provider.id == Engagement.provider_id)
        .outerjoin(next_due, next_due.c.engagement_id == Engagement.id)
        .where(_mine(user_id), Engagement.phase.in_(ACTIVE_PHASES))
        .order_by(next_due.c.next_due.is_(None), next_due.c.next_due, Provider.name)
    ).all()


def my_tasks(user_id: int) -> tuple[list, bool]:
    """Open tasks the user owns, by due date: overdue ones come first because they are due
    earliest; tasks without a due date last."""
    rows = db.session.execute(
        select(Task.id, Task.title, Task.due_date, Task.status, Task.phase,
               Task.engagement_id, Provider.name.label("provider_name"))
        .join(Engagement, Engagement.id == Task.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .where(Task.owner_user_id == user_id, Task.status.in_(OPEN_TASK),
               Engagement.phase.in_(ACTIVE_PHASES))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
        .limit(TASK_LIMIT + 1)
    ).all()
    return rows[:TASK_LIMIT], len(rows) > TASK_LIMIT


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of the Danish week holding `today`."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def my_meetings(user_id: int, monday: date) -> list:
    start = start_of_day(monday)
    end = start_of_day(monday + timedelta(days=7))
    return db.session.execute(
        select(Meeting.id, Meeting.meeting_type, Meeting.starts_at, Meeting.location,
               Meeting.engagement_id, Provider.name.label("provider_name"))
        .join(Engagement, Engagement.id == Meeting.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .where(_mine(user_id), Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at)
    ).all()


def my_reviews(user_id: int) -> list:
    """Applications assigned to the user for assessment that they have not assessed yet."""
    return db.session.execute(
        select(Application.id, Application.reference, Application.submitted_at,
               Review.assigned_at, Provider.name.label("provider_name"))
        .join(Review, Review.application_id == Application.id)
        .join(Provider, Provider.id == Application.provider_id)
        .where(Review.reviewer_id == user_id, Review.submitted_at.is_(None),
               Application.status.in_(WAITING_FOR_REVIEW))
        .order_by(Review.assigned_at, Application.id)
    ).all()


def overview(user_id: int, today: date) -> ConsultantOverview:
    monday, sunday = week_of(today)
    tasks, more = my_tasks(user_id)
    return ConsultantOverview(
        engagements=my_engagements(user_id), tasks=tasks, more_tasks=more,
        meetings=my_meetings(user_id, monday), reviews=my_reviews(user_id),
        week_start=monday, week_end=sunday)
