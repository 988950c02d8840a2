"""The reminder rules, declared as data: (code, category, function).

A rule function gets a sweep's window [start, end] (aware UTC; `end` is the sweep's "now")
and the days an admin set for the rule (ReminderRule.days), and yields a Due item for each
(object, occurrence, recipient) whose reminder moment (see timing.py: 08:00 Danish time on
the occurrence date) lies in the window AND whose condition still holds at `end`: a task
not done, a draft still a draft in a round still open, an application still undecided, a
phase still current with its gates still unmet, a meeting still ahead. Each rule reads the
database with a fixed number of set-based queries, whatever the number of rows.

The occurrence is the date the reminder is about, so a reminder's dedupe key
(rule:object:occurrence:user) is the same in every sweep that sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..development.values import recommendations_with_plans
from ..domain.applications import ApplicationStatus
from ..domain.danish_time import (
    format_danish_date,
    format_danish_datetime,
    local_date,
    start_of_day,
)
from ..domain.engagements import CLOSED_TASK_STATUSES, TaskOwner
from ..domain.phases import WORK_PHASES, Phase, next_phase, unmet_gates
from ..engagements.services import gate_facts
from ..extensions import db
from ..links import path_for
from ..measurements import services as measurements
from ..models import (
    Application,
    ApplicationRound,
    Engagement,
    Meeting,
    PhasePlan,
    Provider,
    ReminderRule,
    Role,
    Task,
    User,
)
from ..wording import ngettext
from .recipients import Recipients, once_each, portal_url, staff_url
from .timing import (
    dates_in_window,
    first_date_after,
    in_days_text,
    parse_days,
)

# Submitted and under review wait for the manager; waitlisted is itself a decision.
UNDECIDED = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)


@dataclass(frozen=True)
class Due:
    """One reminder that a sweep should deliver (unless it already has)."""

    rule: str
    object_key: str  # e.g. "task:12"
    occurrence: date
    recipient: User
    subject: str
    body: str
    url: str  # a path; the sender makes it absolute

    @property
    def dedupe_key(self) -> str:
        return f"{self.rule}:{self.object_key}:{self.occurrence.isoformat()}:{self.recipient.id}"


RuleFunction = Callable[[datetime, datetime, tuple[int, ...]], Iterable[Due]]


@dataclass(frozen=True)
class Rule:
    code: str  # ReminderRule.code, and the first part of the dedupe key
    category: str  # the notification category (the user's preferences are per category)
    function: RuleFunction


def due_reminders(window_start: datetime, window_end: datetime) -> list[Due]:
    """Every reminder of every enabled rule that is due in the window and still true at its
    end, sorted by occurrence, rule and recipient."""
    settings = {r.code: r for r in db.session.execute(select(ReminderRule)).scalars()}
    due: list[Due] = []
    for rule in RULES:
        setting = settings.get(rule.code)
        days = parse_days(setting.days) if setting is not None and setting.enabled else ()
        if days:
            due.extend(rule.function(window_start, window_end, days))
    return sorted(due, key=lambda d: (d.occurrence, d.rule, d.recipient.name, d.recipient.id,
                                      d.object_key))


def category_of(rule_code: str) -> str:
    return _BY_CODE[rule_code].category


# --- tasks ------------------------------------------------------------------------------------

def _open_tasks():
    """Open tasks of engagements in a work phase (not paused, completed or cancelled)."""
    return (
        select(Task.id, Task.title, Task.due_date, Task.owner_type, Task.owner_user_id,
               Task.engagement_id, Engagement.provider_id, Engagement.lead_consultant_id,
               Provider.name.label("provider_name"))
        .join(Engagement, Engagement.id == Task.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .where(Task.status.not_in(CLOSED_TASK_STATUSES), Engagement.phase.in_(WORK_PHASES))
    )


def _task_recipients(task, recipients: Recipients, *, with_lead: bool) -> list[tuple[User, str]]:
    team_url = staff_url(task.engagement_id, "opgaver")
    if task.owner_type == TaskOwner.PROVIDER:
        owners = recipients.provider(task.provider_id, portal_url(task.engagement_id, "opgaver"))
    else:
        owners = recipients.staff(task.owner_user_id, url=team_url)
    lead = recipients.staff(task.lead_consultant_id, url=team_url) if with_lead else []
    return once_each([*owners, *lead])


def task_due(start: datetime, end: datetime, days: tuple[int, ...]) -> Iterator[Due]:
    """A task due in N days (for each N in `days`) → its owner: the consultant, or every
    user of the tilbud. Stops once the due date has passed (then it is overdue)."""
    window = set(dates_in_window(start, end))
    today = local_date(end)
    due_dates = {day + timedelta(days=n) for day in window for n in days}
    if not due_dates:
        return
    tasks = db.session.execute(
        _open_tasks().where(Task.due_date.in_(due_dates), Task.due_date >= today)).all()
    recipients = Recipients((t.owner_user_id for t in tasks), (t.provider_id for t in tasks))
    for task in tasks:
        for n in days:
            occurrence = task.due_date - timedelta(days=n)
            if occurrence not in window:
                continue
            when = in_days_text((task.due_date - today).days)
            for user, url in _task_recipients(task, recipients, with_lead=False):
                yield Due(
                    "task_due", f"task:{task.id}", occurrence, user,
                    subject=f"Frist {when}: {task.title}",
                    body=f'Opgaven "{task.title}" i forløbet med {task.provider_name} har frist '
                         f"{format_danish_date(task.due_date)}.",
                    url=url)


def task_overdue(start: datetime, end: datetime, days: tuple[int, ...]) -> Iterator[Due]:
    """An overdue task → its owner and the lead consultant: on the first day it is overdue,
    then every `days[0]` days while it stays open. After downtime only the latest of these
    days in the window is reminded, not each one missed."""
    window = dates_in_window(start, end)
    if not window:
        return
    every = max(days[0], 1)
    # One query for every open overdue task; the arithmetic on dates is done here, the same
    # way on SQLite and PostgreSQL.
    overdue = db.session.execute(_open_tasks().where(Task.due_date < window[-1])).all()
    hits = []
    for task in overdue:
        # Day 1 of being overdue is the day after the due date, then every `every` days.
        days_hit = [day for day in window
                    if day > task.due_date and (day - task.due_date).days % every == 1 % every]
        if days_hit:
            hits.append((task, days_hit[-1]))
    recipients = Recipients([i for t, _ in hits for i in (t.owner_user_id, t.lead_consultant_id)],
                            (t.provider_id for t, _ in hits))
    for task, occurrence in hits:
        late = (occurrence - task.due_date).days
        for user, url in _task_recipients(task, recipients, with_lead=True):
            yield Due(
                "task_overdue", f"task:{task.id}", occurrence, user,
                subject=f"Overskredet frist: {task.title}",
                body=f'Opgaven "{task.title}" i forløbet med {task.provider_name} havde frist '
                     f"{format_danish_date(task.due_date)} og er ikke gennemført "
                     f"({late} {'dag' if late == 1 else 'dage'} over fristen).",
                url=url)


# --- applications -----------------------------------------------------------------------------

def round_closing(start: datetime, end: datetime, days: tuple[int, ...]) -> Iterator[Due]:
    """A round closing in N days → the users of every tilbud with a draft in it, as long as
    the draft is not submitted and the round is open."""
    window = set(dates_in_window(start, end))
    if not window:
        return
    rounds = {r.id: r for r in db.session.execute(
        select(ApplicationRound).where(
            ApplicationRound.is_open(end),
            ApplicationRound.closes_at <= end + timedelta(days=max(days) + 2))).scalars()}
    occurrences: dict[int, list[date]] = {}
    for round_ in rounds.values():
        closing_day = local_date(round_.closes_at)
        hits = [day for day in (closing_day - timedelta(days=n) for n in days) if day in window]
        if hits:
            occurrences[round_.id] = hits
    if not occurrences:
        return
    drafts = db.session.execute(
        select(Application.id, Application.round_id, Application.provider_id,
               Provider.name.label("provider_name"))
        .join(Provider, Provider.id == Application.provider_id)
        .where(Application.round_id.in_(occurrences),
               Application.status == ApplicationStatus.DRAFT)).all()
    recipients = Recipients(provider_ids=(d.provider_id for d in drafts))
    today = local_date(end)
    for draft in drafts:
        round_ = rounds[draft.round_id]
        when = in_days_text((local_date(round_.closes_at) - today).days)
        check_url = path_for("applications.check", application_id=draft.id)
        for occurrence in occurrences[draft.round_id]:
            for user, url in recipients.provider(draft.provider_id, check_url):
                yield Due(
                    "round_closing", f"application:{draft.id}", occurrence, user,
                    subject=f"Ansøgningsfristen udløber {when}: {round_.name}",
                    body=f"Ansøgningen fra {draft.provider_name} til {round_.name} er ikke "
                         f"indsendt endnu. Fristen er {format_danish_datetime(round_.closes_at)}"
                         ". Derefter kan ansøgningen ikke indsendes.",
                    url=url)


def decision_waiting(start: datetime, end: datetime, days: tuple[int, ...]) -> Iterator[Due]:
    """A submitted application undecided for more than N days → every manager, once per
    N-day period: on the first morning after N, 2N, 3N… days of waiting."""
    window = dates_in_window(start, end)
    every = max(days[0], 1)
    if not window:
        return
    applications = db.session.execute(
        select(Application.id, Application.reference, Application.submitted_at,
               Provider.name.label("provider_name"), ApplicationRound.name.label("round_name"))
        .join(Provider, Provider.id == Application.provider_id)
        .join(ApplicationRound, ApplicationRound.id == Application.round_id)
        .where(Application.status.in_(UNDECIDED), Application.submitted_at.is_not(None),
               Application.submitted_at < end - timedelta(days=every))).all()
    if not applications:
        return
    managers = db.session.execute(
        select(User).where(User.role == Role.MANAGER, User.active.is_(True))
        .order_by(User.id)).scalars().all()
    first, last = window[0], window[-1]
    for application in applications:
        period = 1
        while (occurrence := first_date_after(
                application.submitted_at + timedelta(days=period * every))) <= last:
            if occurrence >= first:
                waited = (occurrence - local_date(application.submitted_at)).days
                for manager in managers:
                    yield Due(
                        "decision_waiting", f"application:{application.id}", occurrence,
                        manager,
                        subject=f"Ansøgning {application.reference} venter på afgørelse",
                        body=f"Ansøgningen fra {application.provider_name} "
                             f"({application.reference}, {application.round_name}) blev "
                             f"indsendt {format_danish_date(local_date(application.submitted_at))}"
                             " og har ventet på afgørelse i "
                             + ngettext("%(num)s dag.", "%(num)s dage.", waited),
                        url=path_for("staff.application", application_id=application.id))
            period += 1


# --- engagements ------------------------------------------------------------------------------

def phase_end(start: datetime, end: datetime, days: tuple[int, ...]) -> Iterator[Due]:
    """The current phase's planned end in N days while its gates are unmet → the lead."""
    window = set(dates_in_window(start, end))
    today = local_date(end)
    ends = {day + timedelta(days=n) for day in window for n in days}
    if not ends:
        return
    plans = db.session.execute(
        select(PhasePlan.engagement_id, PhasePlan.phase, PhasePlan.planned_end)
        .join(Engagement, Engagement.id == PhasePlan.engagement_id)
        .where(PhasePlan.planned_end.in_(ends), PhasePlan.planned_end >= today,
               PhasePlan.phase == Engagement.phase, PhasePlan.actual_end.is_(None))).all()
    if not plans:
        return
    engagements = {e.id: e for e in db.session.execute(
        select(Engagement).where(Engagement.id.in_({p.engagement_id for p in plans})).options(
            selectinload(Engagement.provider), selectinload(Engagement.lead_consultant),
            selectinload(Engagement.themes), selectinload(Engagement.findings),
            selectinload(Engagement.meetings), selectinload(Engagement.agreement),
            recommendations_with_plans(),
            selectinload(Engagement.final_evaluation))).scalars()}
    for plan in plans:
        engagement = engagements[plan.engagement_id]
        lead = engagement.lead_consultant
        unmet = unmet_gates(plan.phase, next_phase(plan.phase), gate_facts(engagement))
        if not unmet or not lead.active:
            continue
        label = plan.phase.label
        for n in days:
            occurrence = plan.planned_end - timedelta(days=n)
            if occurrence in window:
                yield Due(
                    "phase_end", f"phase:{engagement.id}:{plan.phase}", occurrence, lead,
                    subject=f"Fasen {label} slutter {in_days_text((plan.planned_end - today).days)}"
                            f": {engagement.provider.name}",
                    body=f"Fasen {label} i forløbet med {engagement.provider.name} er planlagt "
                         f"til at slutte {format_danish_date(plan.planned_end)}, men forløbet "
                         "kan ikke gå videre endnu: " + "; ".join(unmet) + ".",
                    url=staff_url(engagement.id, "fase"))


def meeting_tomorrow(start: datetime, end: datetime, days: tuple[int, ...]) -> Iterator[Due]:
    """A meeting in N days (tomorrow for N=1) → the engagement's consultants and the
    tilbud's users, as long as the meeting lies ahead."""
    window = set(dates_in_window(start, end))
    meeting_days = {day + timedelta(days=n) for day in window for n in days}
    if not meeting_days:
        return
    meetings = db.session.execute(
        select(Meeting.id, Meeting.engagement_id, Meeting.meeting_type, Meeting.starts_at,
               Meeting.location, Engagement.provider_id, Engagement.lead_consultant_id,
               Engagement.second_consultant_id, Provider.name.label("provider_name"))
        .join(Engagement, Engagement.id == Meeting.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .where(Meeting.starts_at >= start_of_day(min(meeting_days)),
               Meeting.starts_at < start_of_day(max(meeting_days) + timedelta(days=1)),
               Meeting.starts_at > end, Meeting.held.is_(False),
               Engagement.phase.in_(WORK_PHASES))).all()
    recipients = Recipients([i for m in meetings
                              for i in (m.lead_consultant_id, m.second_consultant_id)],
                             (m.provider_id for m in meetings))
    today = local_date(end)
    for meeting in meetings:
        meeting_day = local_date(meeting.starts_at)
        label = meeting.meeting_type.label
        where = f", {meeting.location}" if meeting.location else ""
        people = once_each([
            *recipients.staff(meeting.lead_consultant_id, meeting.second_consultant_id,
                              url=staff_url(meeting.engagement_id, "moeder")),
            *recipients.provider(meeting.provider_id,
                                 portal_url(meeting.engagement_id, "moeder"))])
        for n in days:
            occurrence = meeting_day - timedelta(days=n)
            if occurrence not in window:
                continue
            for user, url in people:
                yield Due(
                    "meeting_tomorrow", f"meeting:{meeting.id}", occurrence, user,
                    subject=f"Møde {in_days_text((meeting_day - today).days)}: {label} med "
                            f"{meeting.provider_name}",
                    body=f"{label} i forløbet med {meeting.provider_name} holdes "
                         f"{format_danish_datetime(meeting.starts_at)}{where}.",
                    url=url)


def follow_up_due(start: datetime, end: datetime, days: tuple[int, ...]) -> Iterator[Due]:
    """A completed forløb's follow-up date, and N days after it (for each N in `days`, e.g.
    0 and 14) → every user of the tilbud, as long as the follow-up has not come in."""
    window = set(dates_in_window(start, end))
    dues = {day - timedelta(days=n) for day in window for n in days}
    if not dues:
        return
    engagements = db.session.execute(
        select(Engagement)
        .where(Engagement.phase == Phase.COMPLETED, Engagement.follow_up_due.in_(dues))
        .options(selectinload(Engagement.provider), selectinload(Engagement.indicators),
                 selectinload(Engagement.recommendations))).scalars().all()
    waiting = [e for e in engagements if (state := measurements.follow_up_state(e)).due
               and not state.received]
    recipients = Recipients(provider_ids=(e.provider_id for e in waiting))
    for engagement in waiting:
        url = path_for("portal.follow_up", engagement_id=engagement.id)
        for n in days:
            occurrence = engagement.follow_up_due + timedelta(days=n)
            if occurrence not in window:
                continue
            again = "Påmindelse: " if n else ""
            for user, link in recipients.provider(engagement.provider_id, url):
                yield Due(
                    "follow_up_due", f"follow_up:{engagement.id}", occurrence, user,
                    subject=f"{again}Opfølgning på jeres rådgivningsforløb",
                    body=f"Det er nu tid til opfølgningen på rådgivningsforløbet med "
                         f"{engagement.provider.name}, som sluttede "
                         f"{format_danish_date(engagement.actual_end)}. Mål jeres indikatorer "
                         "igen, og vurder anbefalingerne igen, så I og indsatsteamet kan se, om "
                         "forandringen holder.",
                    url=link)


RULES: tuple[Rule, ...] = (
    Rule("task_due", "task_due", task_due),
    Rule("task_overdue", "task_overdue", task_overdue),
    Rule("round_closing", "round_closing", round_closing),
    Rule("decision_waiting", "decision_waiting", decision_waiting),
    Rule("phase_end", "phase_end", phase_end),
    Rule("meeting_tomorrow", "meeting_tomorrow", meeting_tomorrow),
    Rule("follow_up_due", "follow_up_due", follow_up_due),
)
_BY_CODE = {rule.code: rule for rule in RULES}
