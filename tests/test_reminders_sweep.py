"""The sweep: reminders into the outbox once, sent once; catching up after downtime; SMTP
away during one sweep and back for the next; the CLI commands."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from indsatsteam import clock, mail
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Notification, NotificationPreference, Role
from indsatsteam.reminders.sweep import preview, run_sweep

from reminder_helpers import build_world, free_port, local, start_smtp, use_smtp


@pytest.fixture
def world(make_user, make_provider, make_round, make_engagement):
    clock.freeze(local(2026, 11, 1, 12, 0))
    return build_world(make_user, make_provider, make_round, make_engagement)


def sweep_at(at, **kwargs):
    clock.freeze(at)
    return run_sweep(**kwargs)


def notification_keys() -> set[str]:
    return set(db.session.execute(select(Notification.dedupe_key)).scalars())


def test_sweep_inserts_and_sends_once_and_a_second_sweep_does_nothing(world):
    task = world.task("Planlæg opstartsmøde", date(2026, 12, 2))
    world.task("Tilbuddets opgave", date(2026, 12, 2), owner="provider")

    result = sweep_at(local(2026, 11, 25, 8, 5))
    assert (result.due, result.created, result.sent, result.retried, result.failed) == (
        3, 3, 3, 0, 0)
    assert sorted(m["To"] for m in mail.outbox) == sorted(
        [world.lead.email] + [u.email for u in world.applicants])
    lead_mail = next(m for m in mail.outbox if m["To"] == world.lead.email)
    assert lead_mail["Subject"] == "Frist om 7 dage: Planlæg opstartsmøde"
    assert (f"http://localhost/forloeb/{world.engagement.id}#opgaver"
            in lead_mail.get_body(("plain",)).get_content())
    row = db.session.execute(select(Notification).where(
        Notification.recipient_id == world.lead.id)).scalar_one()
    assert row.dedupe_key == f"task_due:task:{task.id}:2026-11-25:{world.lead.id}"
    assert (row.category, row.email_status) == ("task_due", "sent")

    again = sweep_at(local(2026, 11, 25, 8, 10))
    assert (again.due, again.created, again.sent) == (3, 0, 0)
    assert len(mail.outbox) == 3
    assert db.session.execute(select(func.count(Notification.id))).scalar_one() == 3


def test_preview_lists_what_is_new_without_inserting_or_sending(world):
    world.task("Planlæg opstartsmøde", date(2026, 12, 2))
    clock.freeze(local(2026, 11, 25, 8, 5))
    [item] = preview()
    assert item.recipient == world.lead and item.rule == "task_due"
    assert notification_keys() == set() and mail.outbox == []
    run_sweep()
    assert preview() == []


def test_preferences_decide_between_email_digest_and_in_app(world):
    world.task("Opgave", date(2026, 12, 2), owner="provider")
    in_app, digest = world.applicants
    db.session.add_all([
        NotificationPreference(user_id=in_app.id, category="task_due", channel="in_app"),
        NotificationPreference(user_id=digest.id, category="task_due", channel="digest")])
    db.session.commit()
    result = sweep_at(local(2026, 11, 25, 8, 5))
    assert (result.created, result.sent) == (2, 0)
    statuses = dict(db.session.execute(
        select(Notification.recipient_id, Notification.email_status)).all())
    assert statuses == {in_app.id: "not_wanted", digest.id: "digest"}
    assert mail.outbox == []


def test_after_two_days_of_downtime_one_sweep_sends_what_is_due_and_still_true(
        world, make_round, make_provider, make_user, make_application):
    # Before the downtime: a sweep on Monday 23 November 09:00.
    overdue = world.task("Overskredet", date(2026, 11, 22))
    soon = world.task("Frist om en uge", date(2026, 12, 1))  # 7-day reminder Tue 24th
    done_meanwhile = world.task("Klares i nedetiden", date(2026, 11, 25))  # 1-day: Tue 24th
    early_meeting = world.meeting(local(2026, 11, 25, 8, 30))  # reminder Tue 24th; over by Wed
    later_meeting = world.meeting(local(2026, 11, 26, 10, 0))  # reminder Wed 25th 08:00
    round_ = make_round(opens_at=local(2026, 10, 1, 8, 0), closes_at=local(2026, 12, 1, 12, 0))
    drafting = make_provider(name="Bostedet Birken")
    writer = make_user(Role.APPLICANT, provider=drafting)
    submitted_meanwhile = make_application(round_, drafting)  # 7-day reminder Tue 24th

    first = sweep_at(local(2026, 11, 23, 9, 0))
    # The lead owns the overdue task and leads the engagement: one reminder, not two.
    assert notification_keys() == {f"task_overdue:task:{overdue.id}:2026-11-23:{world.lead.id}"}
    assert (first.created, first.sent) == (1, 1)
    mail.outbox.clear()

    # The scheduler is down Monday 09:00 → Wednesday 09:00. Meanwhile:
    clock.freeze(local(2026, 11, 24, 15, 0))
    done_meanwhile.status = "done"
    submitted_meanwhile.status = ApplicationStatus.SUBMITTED
    submitted_meanwhile.submitted_at = clock.now()
    db.session.commit()

    catch_up = sweep_at(local(2026, 11, 25, 9, 0))
    new_keys = {k for k in notification_keys() if "task_overdue" not in k}
    lead, second = world.lead.id, world.second.id
    applicants = [u.id for u in world.applicants]
    expected = {f"task_due:task:{soon.id}:2026-11-24:{lead}"}
    expected |= {f"meeting_tomorrow:meeting:{later_meeting.id}:2026-11-25:{user}"
                 for user in (lead, second, *applicants)}
    assert new_keys == expected
    assert catch_up.created == catch_up.sent == len(expected) == len(mail.outbox)
    sent_keys = " ".join(notification_keys())
    assert f"task:{done_meanwhile.id}:" not in sent_keys
    assert f"meeting:{early_meeting.id}:" not in sent_keys
    assert f"application:{submitted_meanwhile.id}:" not in sent_keys
    assert writer.email not in {m["To"] for m in mail.outbox}
    # The overdue task is not reminded again until its weekly repeat on 30 November.
    assert len([k for k in notification_keys() if "task_overdue" in k]) == 1


def test_smtp_down_for_one_sweep_then_every_mail_arrives_exactly_once(app, world, monkeypatch):
    world.task("Konsulentens opgave", date(2026, 12, 2))
    world.task("Tilbuddets opgave", date(2026, 12, 2), owner="provider")
    world.meeting(local(2026, 11, 26, 10, 0))
    port = free_port()
    use_smtp(app, monkeypatch, port)  # nothing listens there yet: connection refused

    down = sweep_at(local(2026, 11, 25, 8, 5))
    assert (down.created, down.sent, down.retried, down.failed) == (7, 0, 7, 0)
    rows = db.session.execute(select(Notification)).scalars().all()
    assert {(r.email_status, r.attempts) for r in rows} == {("pending", 1)}
    assert all(r.last_error for r in rows)

    controller, server = start_smtp(port)
    try:
        # Too early for the retry (backoff): nothing is sent yet.
        assert sweep_at(local(2026, 11, 25, 8, 6)).sent == 0
        up = sweep_at(local(2026, 11, 25, 8, 20))
        assert (up.created, up.sent, up.retried) == (0, 7, 0)
        for minutes in (25, 30, 90):
            assert sweep_at(local(2026, 11, 25, 8, 0) + timedelta(minutes=minutes)).sent == 0
    finally:
        controller.stop()
    received = Counter(server.messages())
    assert len(received) == 7 and set(received.values()) == {1}
    recipients = {to for to, _ in received}
    assert recipients == {world.lead.email, world.second.email,
                          *(u.email for u in world.applicants)}
    db.session.expire_all()
    assert {r.email_status for r in db.session.execute(select(Notification)).scalars()} == {
        "sent"}


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_run_and_preview_at_a_danish_local_time(runner, world):
    world.task("Planlæg opstartsmøde", date(2026, 12, 2))
    world.task("Tilbuddets opgave", date(2026, 12, 2), owner="provider")

    result = runner.invoke(args=["reminders", "preview", "--at", "2026-11-25 07:59"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Ingen nye påmindelser."

    result = runner.invoke(args=["reminders", "preview", "--at", "2026-11-25 08:00"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["Regel", "Dato", "Modtager", "Emne"]
    assert any(world.lead.email in line and "25. november 2026" in line
               and "Frist om 7 dage: Planlæg opstartsmøde" in line for line in lines)
    assert lines[-1] == "3 påmindelser."
    assert notification_keys() == set()

    result = runner.invoke(args=["reminders", "run", "--at", "2026-11-25 09:00"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("3 aktuelle påmindelser, 3 nye; 3 e-mails sendt, "
                                     "0 venter på nyt forsøg, 0 fejlet.")
    assert len(mail.outbox) == 3
    result = runner.invoke(args=["reminders", "run", "--at", "2026-11-25 09:05"])
    assert "3 aktuelle påmindelser, 0 nye; 0 e-mails sendt" in result.output


def test_cli_refuses_a_time_it_cannot_read(runner):
    result = runner.invoke(args=["reminders", "run", "--at", "i morgen"])
    assert result.exit_code == 2
    assert "ÅÅÅÅ-MM-DD TT:MM" in result.output
