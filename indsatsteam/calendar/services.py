"""The personal calendar feed: its secret token, and the events it shows a user.

The feed URL carries a random token; only its SHA-256 is stored (User.calendar_token_hash),
so a database dump does not open anybody's calendar. Renewing replaces the hash, which
makes the old URL answer 404 from then on.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from ..domain.danish_time import format_danish_datetime
from ..domain.engagements import CLOSED_TASK_STATUSES, MeetingType, TaskOwner
from ..domain.phases import WORK_PHASES, Phase
from ..extensions import db
from ..models import (
    ApplicationRound,
    Engagement,
    Meeting,
    PhasePlan,
    Provider,
    ProviderMembership,
    Role,
    Task,
    User,
)

# Engagements whose dates still matter: running or paused (not completed or cancelled).
LIVE_PHASES = (*WORK_PHASES, Phase.PAUSED)
MEETING_LENGTH = timedelta(hours=1)  # meetings have a start only; calendars want an end


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def renew_token(user: User) -> str:
    """Give the user a new feed token and return it; the old one stops working. The caller
    commits and shows the token once: it cannot be read back later."""
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = token_hash(token)
    return token


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    return db.session.execute(
        select(User).where(User.calendar_token_hash == token_hash(token),
                           User.active.is_(True))).scalar_one_or_none()


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable per object, so a calendar updates the event rather than adding one
    summary: str
    start: date | datetime  # a date is an all-day event
    end: date | datetime | None
    description: str
    url: str  # a path; the feed makes it absolute
    location: str = ""


def events_for(user: User, now: datetime) -> list[CalendarEvent]:
    """Task due dates, meetings, phase ends and (for applicants) round deadlines."""
    applicant = user.role == Role.APPLICANT
    events = [*_tasks(user, applicant), *_meetings(user, applicant)]
    if applicant:
        events += _rounds(now)
    else:
        events += _phase_ends(user)
    return sorted(events, key=lambda e: (_sort_key(e.start), e.uid))


def _sort_key(start: date | datetime) -> tuple[date, str]:
    if isinstance(start, datetime):
        return start.date(), start.isoformat()
    return start, ""


def _member_provider_ids(user: User):
    return select(ProviderMembership.provider_id).where(ProviderMembership.user_id == user.id)


def _user_engagements(user: User, applicant: bool):
    """A where-clause for the engagements the user works in."""
    if applicant:
        return Engagement.provider_id.in_(_member_provider_ids(user))
    return or_(Engagement.lead_consultant_id == user.id,
               Engagement.second_consultant_id == user.id)


def _tasks(user: User, applicant: bool) -> list[CalendarEvent]:
    """Open tasks the user owns; for applicants, their tilbud's tasks."""
    query = (select(Task.id, Task.title, Task.description, Task.due_date, Task.engagement_id,
                    Provider.name)
             .join(Engagement, Engagement.id == Task.engagement_id)
             .join(Provider, Provider.id == Engagement.provider_id)
             .where(Task.due_date.is_not(None), Task.status.not_in(CLOSED_TASK_STATUSES),
                    Engagement.phase.in_(LIVE_PHASES)))
    if applicant:
        query = query.where(Task.owner_type == TaskOwner.PROVIDER,
                            Engagement.provider_id.in_(_member_provider_ids(user)))
        link = "/vores-forloeb/{}#opgaver"
    else:
        query = query.where(Task.owner_type == TaskOwner.CONSULTANT,
                            Task.owner_user_id == user.id)
        link = "/forloeb/{}#opgaver"
    return [CalendarEvent(
        uid=f"task-{task_id}", summary=f"Frist: {title} ({provider})", start=due,
        end=due + timedelta(days=1), description=description, url=link.format(engagement_id))
        for task_id, title, description, due, engagement_id, provider in db.session.execute(query)]


def _meetings(user: User, applicant: bool) -> list[CalendarEvent]:
    rows = db.session.execute(
        select(Meeting.id, Meeting.meeting_type, Meeting.starts_at, Meeting.location,
               Meeting.participants, Meeting.engagement_id, Provider.name)
        .join(Engagement, Engagement.id == Meeting.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .where(_user_engagements(user, applicant), Engagement.phase.in_(LIVE_PHASES)))
    link = "/vores-forloeb/{}#moeder" if applicant else "/forloeb/{}#moeder"
    return [CalendarEvent(
        uid=f"meeting-{meeting_id}", summary=f"{MeetingType(kind).label} – {provider}",
        start=starts_at, end=starts_at + MEETING_LENGTH,
        description=f"Deltagere: {participants}" if participants else "",
        url=link.format(engagement_id), location=location)
        for meeting_id, kind, starts_at, location, participants, engagement_id, provider in rows]


def _phase_ends(user: User) -> list[CalendarEvent]:
    """The planned ends of the phases not yet ended in engagements the user leads."""
    rows = db.session.execute(
        select(PhasePlan.engagement_id, PhasePlan.phase, PhasePlan.planned_end, Provider.name)
        .join(Engagement, Engagement.id == PhasePlan.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .where(Engagement.lead_consultant_id == user.id, Engagement.phase.in_(LIVE_PHASES),
               PhasePlan.actual_end.is_(None)))
    return [CalendarEvent(
        uid=f"phase-{engagement_id}-{phase}",
        summary=f"Fasen {Phase(phase).label} slutter ({provider})", start=end,
        end=end + timedelta(days=1), description="Planlagt afslutning af fasen.",
        url=f"/forloeb/{engagement_id}#plan")
        for engagement_id, phase, end, provider in rows]


def _rounds(now: datetime) -> list[CalendarEvent]:
    """The deadlines of the rounds open now."""
    rounds = db.session.execute(
        select(ApplicationRound).where(ApplicationRound.is_open(now))).scalars()
    return [CalendarEvent(
        uid=f"round-{r.id}", summary=f"Ansøgningsfrist: {r.name}", start=r.closes_at, end=None,
        description=f"Ansøgninger skal være indsendt senest {format_danish_datetime(r.closes_at)}.",
        url="/") for r in rounds]
