"""Each reminder rule with a frozen window: due exactly at 08:00 Danish time on its
occurrence date, not a minute before, and no longer once its condition stopped being true;
also across the DST changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import CollaborationAgreement, PhasePlan, ReminderRule, Role
from indsatsteam.reminders.rules import due_reminders
from indsatsteam.reminders.timing import dates_in_window, first_date_after, reminder_moment

from helpers import aware
from reminder_helpers import build_world, local

LOOKBACK = timedelta(days=3)


def due_at(at: datetime, rule: str | None = None) -> list:
    items = due_reminders(at - LOOKBACK, at)
    return [i for i in items if rule is None or i.rule == rule]


def keys_at(at: datetime, rule: str | None = None) -> set[str]:
    return {i.dedupe_key for i in due_at(at, rule)}


def just_before(moment: datetime) -> datetime:
    return moment - timedelta(minutes=1)


@pytest.fixture
def world(make_user, make_provider, make_round, make_engagement):
    clock.freeze(local(2026, 11, 1, 12, 0))
    return build_world(make_user, make_provider, make_round, make_engagement)


# --- timing -----------------------------------------------------------------------------------

def test_reminder_moment_is_eight_danish_time_in_winter_and_summer():
    assert reminder_moment(date(2026, 11, 25)) == aware(2026, 11, 25, 7, 0)  # CET, UTC+1
    assert reminder_moment(date(2026, 6, 25)) == aware(2026, 6, 25, 6, 0)  # CEST, UTC+2
    # The DST days themselves: 08:00 is after the change on both.
    assert reminder_moment(date(2026, 3, 29)) == aware(2026, 3, 29, 6, 0)
    assert reminder_moment(date(2026, 10, 25)) == aware(2026, 10, 25, 7, 0)


def test_dates_in_window_are_those_whose_moment_lies_inside():
    assert dates_in_window(aware(2026, 11, 25, 7, 0), aware(2026, 11, 25, 7, 0)) == [
        date(2026, 11, 25)]
    assert dates_in_window(aware(2026, 11, 25, 7, 1), aware(2026, 11, 26, 6, 59)) == []
    assert dates_in_window(aware(2026, 3, 27, 0, 0), aware(2026, 3, 30, 0, 0)) == [
        date(2026, 3, 27), date(2026, 3, 28), date(2026, 3, 29)]
    # 23 real hours from Saturday 08:00 CET reach Sunday 08:00 CEST.
    assert dates_in_window(aware(2026, 3, 28, 7, 1), aware(2026, 3, 29, 6, 0)) == [
        date(2026, 3, 29)]
    assert first_date_after(aware(2026, 11, 25, 6, 59)) == date(2026, 11, 25)
    assert first_date_after(aware(2026, 11, 25, 7, 0)) == date(2026, 11, 26)


# --- tasks ------------------------------------------------------------------------------------

def test_task_due_in_7_and_1_days_reaches_the_consultant_owner(world):
    task = world.task("Planlæg opstartsmøde", date(2026, 12, 2), owner_user=world.second)
    seven, one = local(2026, 11, 25, 8, 0), local(2026, 12, 1, 8, 0)

    assert due_at(just_before(seven), "task_due") == []
    [item] = due_at(seven, "task_due")
    assert item.dedupe_key == f"task_due:task:{task.id}:2026-11-25:{world.second.id}"
    assert item.recipient == world.second
    assert item.subject == "Frist om 7 dage: Planlæg opstartsmøde"
    assert item.body == ('Opgaven "Planlæg opstartsmøde" i forløbet med Bostedet Åen har frist '
                         "2. december 2026.")
    assert item.url == f"/forloeb/{world.engagement.id}#opgaver"

    # Past the look-back the 7-day reminder is no longer due; the 1-day one comes later.
    assert due_at(seven + LOOKBACK + timedelta(minutes=1), "task_due") == []
    assert due_at(just_before(one), "task_due") == []
    [item] = due_at(one, "task_due")
    assert item.occurrence == date(2026, 12, 1) and item.subject.startswith("Frist i morgen:")

    task.status = "done"
    db.session.commit()
    assert due_at(one, "task_due") == []


def test_task_of_the_provider_reaches_every_user_of_the_tilbud(world):
    task = world.task("Udfyld forventningsskema", date(2026, 12, 2), owner="provider")
    items = due_at(local(2026, 11, 25, 8, 0), "task_due")
    assert sorted(i.recipient.id for i in items) == sorted(u.id for u in world.applicants)
    assert {i.url for i in items} == {f"/vores-forloeb/{world.engagement.id}#opgaver"}
    assert {i.object_key for i in items} == {f"task:{task.id}"}


def test_task_due_stops_once_the_due_date_has_passed(world):
    world.task("Opgave", date(2026, 12, 2))
    # The 1-day reminder's moment is still inside a 3-day look-back on 3 December, but the
    # task is overdue by then: the overdue rule speaks instead.
    at = local(2026, 12, 3, 7, 0)
    assert due_at(at, "task_due") == []


def test_no_reminders_for_inactive_users_or_engagements_not_running(world):
    world.task("Konsulentens", date(2026, 12, 2))
    world.task("Tilbuddets", date(2026, 12, 2), owner="provider")
    at = local(2026, 11, 25, 8, 0)
    world.applicants[0].active = False
    db.session.commit()
    assert {i.recipient.id for i in due_at(at)} == {world.lead.id, world.applicants[1].id}
    world.engagement.phase = "paused"
    db.session.commit()
    assert due_at(at) == []


def test_overdue_task_reminds_owner_and_lead_once_then_weekly(world):
    task = world.task("Aftal samarbejdsaftale", date(2026, 12, 2), owner_user=world.second)
    first, second = local(2026, 12, 3, 8, 0), local(2026, 12, 10, 8, 0)

    assert due_at(just_before(first), "task_overdue") == []
    items = due_at(first, "task_overdue")
    assert sorted(i.recipient.id for i in items) == sorted([world.second.id, world.lead.id])
    assert {i.dedupe_key for i in items} == {
        f"task_overdue:task:{task.id}:2026-12-03:{world.second.id}",
        f"task_overdue:task:{task.id}:2026-12-03:{world.lead.id}"}
    assert items[0].subject == "Overskredet frist: Aftal samarbejdsaftale"
    assert "havde frist 2. december 2026 og er ikke gennemført (1 dag over fristen)" in (
        items[0].body)

    assert due_at(just_before(second), "task_overdue") == []  # window 6–9 December: nothing
    items = due_at(second, "task_overdue")
    assert {i.occurrence for i in items} == {date(2026, 12, 10)} and len(items) == 2
    assert "(8 dage over fristen)" in items[0].body

    task.status = "done"
    db.session.commit()
    assert due_at(second, "task_overdue") == []


def test_after_downtime_an_overdue_task_is_reminded_for_the_latest_day_only(world):
    db.session.execute(select(ReminderRule).where(ReminderRule.code == "task_overdue")
                       ).scalar_one().days = "1"  # every day
    db.session.commit()
    task = world.task("Opgave", date(2026, 12, 2))
    # The look-back reaches the 3rd, 4th, 5th and 6th: one reminder, about the 6th.
    [item] = due_at(local(2026, 12, 6, 8, 0), "task_overdue")
    assert item.dedupe_key == f"task_overdue:task:{task.id}:2026-12-06:{world.lead.id}"


def test_overdue_provider_task_reaches_the_tilbud_and_the_lead_once_each(world):
    world.task("Tilbuddets", date(2026, 12, 2), owner="provider")
    items = due_at(local(2026, 12, 3, 8, 0), "task_overdue")
    assert sorted(i.recipient.id for i in items) == sorted(
        [u.id for u in world.applicants] + [world.lead.id])
    lead_item = next(i for i in items if i.recipient == world.lead)
    assert lead_item.url == f"/forloeb/{world.engagement.id}#opgaver"


# --- applications -----------------------------------------------------------------------------

@pytest.fixture
def closing_round(world, make_round, make_provider, make_user, make_application):
    round_ = make_round(opens_at=local(2026, 10, 1, 8, 0), closes_at=local(2026, 11, 27, 12, 0),
                        name="Vinterrunden")
    drafting = make_provider(name="Botilbuddet Birken")
    user = make_user(Role.APPLICANT, name="Birte Birken", provider=drafting)
    draft = make_application(round_, drafting)
    submitted_by = make_provider(name="Bostedet Egen")
    make_user(Role.APPLICANT, provider=submitted_by)
    make_application(round_, submitted_by, status=ApplicationStatus.SUBMITTED)
    return round_, draft, user


def test_round_closing_reminds_the_users_of_unsubmitted_drafts(closing_round):
    round_, draft, user = closing_round
    seven, one = local(2026, 11, 20, 8, 0), local(2026, 11, 26, 8, 0)
    assert due_at(just_before(seven), "round_closing") == []
    [item] = due_at(seven, "round_closing")
    assert item.recipient == user
    assert item.dedupe_key == f"round_closing:application:{draft.id}:2026-11-20:{user.id}"
    assert item.subject == "Ansøgningsfristen udløber om 7 dage: Vinterrunden"
    assert "Fristen er 27. november 2026 kl. 12.00" in item.body
    assert item.url == f"/ansoegninger/{draft.id}/tjek"

    [item] = due_at(one, "round_closing")
    assert item.subject == "Ansøgningsfristen udløber i morgen: Vinterrunden"
    # The round closes at 12:00 on the 27th: the 26th's reminder is still inside the
    # look-back then, but no longer true.
    assert due_at(round_.closes_at, "round_closing") == []
    assert due_at(just_before(round_.closes_at), "round_closing") != []

    draft.status, draft.submitted_at = ApplicationStatus.SUBMITTED, one
    db.session.commit()
    assert due_at(one, "round_closing") == []


def test_decision_waiting_reminds_managers_once_per_period(world, make_round, make_application,
                                                           make_user, make_provider):
    round_ = make_round(opens_at=local(2026, 9, 1, 8, 0), closes_at=local(2026, 10, 30, 12, 0))
    other_manager = make_user(Role.MANAGER, name="Max Manager")
    retired = make_user(Role.MANAGER, name="Gammel Leder")
    retired.active = False
    application = make_application(round_, make_provider(name="Bostedet Ask"),
                                   status=ApplicationStatus.IN_REVIEW)
    application.submitted_at = local(2026, 11, 1, 14, 0)
    application.reference = "IT-2026-0042"
    db.session.commit()

    # More than 14 days: 15 November 14:00 has passed on the morning of the 16th.
    first = local(2026, 11, 16, 8, 0)
    assert due_at(just_before(first), "decision_waiting") == []
    items = due_at(first, "decision_waiting")
    assert sorted(i.recipient.id for i in items) == sorted([world.manager.id, other_manager.id])
    assert items[0].subject == "Ansøgning IT-2026-0042 venter på afgørelse"
    assert "blev indsendt 1. november 2026 og har ventet på afgørelse i 15 dage" in items[0].body
    assert items[0].url == f"/sagsbehandling/ansoegninger/{application.id}"
    assert {i.occurrence for i in items} == {date(2026, 11, 16)}

    assert due_at(local(2026, 11, 29, 8, 0), "decision_waiting") == []
    assert {i.occurrence for i in due_at(local(2026, 11, 30, 8, 0), "decision_waiting")} == {
        date(2026, 11, 30)}

    application.status = ApplicationStatus.WAITLISTED  # a decision, too
    db.session.commit()
    assert due_at(local(2026, 11, 30, 8, 0), "decision_waiting") == []


# --- engagements ------------------------------------------------------------------------------

def _startup_plan(world) -> PhasePlan:
    return next(p for p in world.engagement.phase_plans if p.phase == "startup")


def test_phase_end_with_unmet_gates_reminds_the_lead(world):
    _startup_plan(world).planned_end = date(2026, 12, 9)
    db.session.commit()
    moment = local(2026, 12, 2, 8, 0)
    assert due_at(just_before(moment), "phase_end") == []
    [item] = due_at(moment, "phase_end")
    assert item.recipient == world.lead
    assert item.dedupe_key == (
        f"phase_end:phase:{world.engagement.id}:startup:2026-12-02:{world.lead.id}")
    assert item.subject == "Fasen Opstart slutter om 7 dage: Bostedet Åen"
    assert "Der er ikke registreret et afholdt opstartsmøde" in item.body
    assert "Samarbejdsaftalen er ikke aftalt endnu" in item.body
    assert item.url == f"/forloeb/{world.engagement.id}#fase"


def test_phase_end_is_quiet_when_gates_are_met_or_the_phase_moved_on(world):
    _startup_plan(world).planned_end = date(2026, 12, 9)
    moment = local(2026, 12, 2, 8, 0)
    world.meeting(local(2026, 11, 2, 10, 0), kind="kickoff", held=True)
    db.session.add(CollaborationAgreement(engagement=world.engagement, goals="Mål",
                                          participants="Alle", meeting_cadence="Hver måned",
                                          agreed_at=local(2026, 11, 3, 10, 0)))
    db.session.commit()
    assert due_at(moment, "phase_end") == []

    world.engagement.agreement.agreed_at = None  # gates unmet again, but another phase:
    world.engagement.phase = "analysis"
    db.session.commit()
    assert due_at(moment, "phase_end") == []


def test_meeting_tomorrow_reaches_consultants_and_the_tilbud(world):
    meeting = world.meeting(local(2026, 12, 3, 10, 0), kind="analysis_workshop")
    moment = local(2026, 12, 2, 8, 0)
    assert due_at(just_before(moment), "meeting_tomorrow") == []
    items = due_at(moment, "meeting_tomorrow")
    assert sorted(i.recipient.id for i in items) == sorted(
        [world.lead.id, world.second.id] + [u.id for u in world.applicants])
    staff = next(i for i in items if i.recipient == world.lead)
    applicant = next(i for i in items if i.recipient == world.applicants[0])
    assert staff.url == f"/forloeb/{world.engagement.id}#moeder"
    assert applicant.url == f"/vores-forloeb/{world.engagement.id}#moeder"
    assert staff.subject == "Møde i morgen: Analyseworkshop med Bostedet Åen"
    assert staff.body == ("Analyseworkshop i forløbet med Bostedet Åen holdes 3. december 2026 "
                          "kl. 10.00, Tilbuddets mødelokale.")
    assert staff.dedupe_key == f"meeting_tomorrow:meeting:{meeting.id}:2026-12-02:{world.lead.id}"

    # Once the meeting has begun it is no longer reminded, though inside the look-back.
    assert due_at(local(2026, 12, 3, 10, 0), "meeting_tomorrow") == []
    assert due_at(local(2026, 12, 3, 9, 59), "meeting_tomorrow") != []


# --- DST: "in N days" counts Danish calendar days, not 24-hour periods --------------------------

# `shifted`: whether counting 24-hour periods back from the due date's own 08:00 would be
# an hour off, i.e. the reminder day and the due date lie on either side of a change.
@pytest.mark.parametrize(("due", "days_before", "utc_moment", "shifted"), [
    # Due Monday 30 March 2026, the day after summer time begins.
    (date(2026, 3, 30), 7, aware(2026, 3, 23, 7, 0), True),  # 08:00 CET
    (date(2026, 3, 30), 1, aware(2026, 3, 29, 6, 0), False),  # 08:00 CEST on the change day
    # Due Sunday 29 March: the day before is still winter time.
    (date(2026, 3, 29), 1, aware(2026, 3, 28, 7, 0), True),
    # Due Monday 26 October 2026, the day after winter time returns.
    (date(2026, 10, 26), 7, aware(2026, 10, 19, 6, 0), True),  # 08:00 CEST
    (date(2026, 10, 26), 1, aware(2026, 10, 25, 7, 0), False),  # 08:00 CET on the change day
    (date(2026, 10, 25), 1, aware(2026, 10, 24, 6, 0), True),  # Saturday, still summer time
])
def test_task_due_across_dst_fires_at_eight_danish_time(world, due, days_before, utc_moment,
                                                        shifted):
    world.task("Frist ved sommertid", due)
    expected = due - timedelta(days=days_before)
    occurrences = lambda at: {i.occurrence for i in due_at(at, "task_due")}  # noqa: E731
    assert expected not in occurrences(utc_moment - timedelta(minutes=1))
    assert expected in occurrences(utc_moment)
    naive = reminder_moment(due) - timedelta(days=days_before)
    assert (naive != utc_moment) == shifted


def test_meeting_on_the_day_after_spring_forward(world):
    world.meeting(local(2026, 3, 30, 9, 0))  # Monday 09:00 CEST
    items_before = due_at(aware(2026, 3, 29, 5, 59), "meeting_tomorrow")
    items = due_at(aware(2026, 3, 29, 6, 0), "meeting_tomorrow")  # Sunday 08:00 CEST
    assert items_before == [] and len(items) == 4
    assert "30. marts 2026 kl. 09.00" in items[0].body


# --- rules as data: days and on/off from ReminderRule ------------------------------------------

def _rule(code: str) -> ReminderRule:
    return db.session.execute(select(ReminderRule).where(ReminderRule.code == code)).scalar_one()


def test_admin_days_and_disabling_take_effect(world):
    world.task("Opgave", date(2026, 12, 2))
    _rule("task_due").days = "3"
    db.session.commit()
    assert due_at(local(2026, 11, 25, 8, 0), "task_due") == []
    assert {i.occurrence for i in due_at(local(2026, 11, 29, 8, 0), "task_due")} == {
        date(2026, 11, 29)}
    _rule("task_due").enabled = False
    db.session.commit()
    assert due_at(local(2026, 11, 29, 8, 0), "task_due") == []


def test_rules_query_a_fixed_number_of_times_whatever_the_number_of_rows(
        world, make_provider, make_user, make_round, make_application):
    """Set-based: ten times the objects, the same number of statements."""
    def statements(at: datetime) -> tuple[int, int]:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        db.session.expire_all()
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            items = due_at(at)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen), len(items)

    def add_objects(n: int) -> None:
        round_ = make_round(opens_at=local(2026, 10, 1, 8, 0),
                            closes_at=local(2026, 12, 3, 12, 0))
        for i in range(n):
            world.task(f"Opgave {i}", date(2026, 12, 2), owner="provider")
            world.task(f"Overskredet {i}", date(2026, 11, 24))
            world.meeting(local(2026, 11, 27, 9 + i % 5, 0))
            provider = make_provider()
            make_user(Role.APPLICANT, provider=provider)
            make_application(round_, provider)

    at = local(2026, 11, 26, 8, 0)
    add_objects(2)
    few, few_items = statements(at)
    add_objects(18)
    many, many_items = statements(at)
    assert many_items > 5 * few_items
    assert many == few
