"""The daily digest: one e-mail per user and Danish date with everything they chose to get
that way, sent once however often the job runs, and retried while SMTP is away."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock, mail
from indsatsteam.extensions import db
from indsatsteam.models import DigestDelivery, Notification, Role
from indsatsteam.notifications.digest import open_delivery, send_digests
from indsatsteam.notifications.sender import send_pending
from indsatsteam.notifications.services import failed_notifications, notify, save_preferences

from helpers import aware, run_at_once

DAY_ONE = aware(2026, 11, 26, 9, 0)
# 07:00 in Copenhagen on 27 November (winter time, UTC+1).
DIGEST_TIME = aware(2026, 11, 27, 6, 0)


@pytest.fixture
def kim(make_user):
    clock.freeze(DAY_ONE)
    user = make_user(Role.APPLICANT, email="kim@tilbud.dk", name="Kim Hansen")
    save_preferences(user, {"task_due": "digest", "round_closing": "digest"})
    return user


def add(user, key: str, category: str = "task_due", at=None) -> None:
    if at is not None:
        clock.freeze(at)
    notify(user, category, subject=f"Påmindelse {key}", body=f"Om {key}.",
           url=f"/vores-forloeb/{key}", dedupe_key=f"test:{key}:{user.id}")
    db.session.commit()


def statuses(user) -> dict[str, str]:
    db.session.expire_all()
    return dict(db.session.execute(
        select(Notification.subject, Notification.email_status)
        .where(Notification.recipient_id == user.id)).tuples().all())


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_one_digest_mail_lists_every_waiting_notification_and_runs_once(kim):
    add(kim, "1", at=DAY_ONE)
    add(kim, "2", "round_closing", at=DAY_ONE + timedelta(hours=3))
    add(kim, "3", at=DAY_ONE + timedelta(hours=10))
    assert send_pending(now=DIGEST_TIME).sent == 0  # the sender leaves digest rows alone

    assert send_digests(now=DIGEST_TIME) == 1
    [message] = mail.outbox
    assert message["To"] == "kim@tilbud.dk"
    assert message["Subject"] == "Dine notifikationer fra Indsatsteamet – 27. november 2026"
    text = plain(message)
    assert "samlet 27. november 2026 (3 i alt)" in text
    for key in ("1", "2", "3"):
        assert f"Påmindelse {key}" in text and f"Om {key}." in text
        assert f"http://localhost/vores-forloeb/{key}" in text
    assert text.index("Påmindelse 1") < text.index("Påmindelse 2") < text.index("Påmindelse 3")
    assert "26. november 2026 kl. 10.00" in text  # when it happened, Danish time
    html = message.get_body(("html",)).get_content()
    assert '<a href="http://localhost/vores-forloeb/2">Påmindelse 2</a>' in html

    assert set(statuses(kim).values()) == {"sent"}
    delivery = db.session.execute(select(DigestDelivery)).scalar_one()
    assert (delivery.user_id, str(delivery.digest_date), delivery.status) == (
        kim.id, "2026-11-27", "sent")

    assert send_digests(now=DIGEST_TIME) == 0
    assert send_digests(now=DIGEST_TIME + timedelta(hours=5)) == 0
    assert len(mail.outbox) == 1


def test_a_notification_after_the_days_digest_waits_for_the_next_day(kim):
    add(kim, "1")
    assert send_digests(now=DIGEST_TIME) == 1
    add(kim, "2", at=DIGEST_TIME + timedelta(hours=2))
    assert send_digests(now=DIGEST_TIME + timedelta(hours=3)) == 0
    assert statuses(kim) == {"Påmindelse 1": "sent", "Påmindelse 2": "digest"}

    assert send_digests(now=DIGEST_TIME + timedelta(days=1)) == 1
    text = plain(mail.outbox[-1])
    assert "Påmindelse 2" in text and "Påmindelse 1" not in text
    assert "(1 i alt)" in text


def test_nothing_waiting_sends_nothing(kim, make_user):
    add(kim, "1", "task_overdue")  # task_overdue is mailed at once
    assert send_digests(now=DIGEST_TIME) == 0
    assert db.session.execute(select(DigestDelivery)).first() is None


def test_each_user_gets_their_own_digest(kim, make_user):
    bo = make_user(Role.APPLICANT, email="bo@tilbud.dk", name="Bo")
    save_preferences(bo, {"task_due": "digest"})
    add(kim, "kims")
    add(bo, "bos")
    assert send_digests(now=DIGEST_TIME) == 2
    by_user = {m["To"]: plain(m) for m in mail.outbox}
    assert "Påmindelse kims" in by_user["kim@tilbud.dk"]
    assert "Påmindelse bos" not in by_user["kim@tilbud.dk"]
    assert "Påmindelse bos" in by_user["bo@tilbud.dk"]


def test_the_digest_date_is_the_danish_date(kim):
    add(kim, "1")
    # 23:30 UTC on 26 November is already 27 November in Copenhagen.
    assert send_digests(now=aware(2026, 11, 26, 23, 30)) == 1
    assert str(db.session.execute(select(DigestDelivery.digest_date)).scalar_one()) == (
        "2026-11-27")


def test_a_claimed_digest_cannot_be_claimed_again(kim):
    add(kim, "1")
    day = DIGEST_TIME.date()
    assert open_delivery(kim.id, day, DIGEST_TIME)
    add(kim, "2")
    assert not open_delivery(kim.id, day, DIGEST_TIME + timedelta(minutes=1))
    assert statuses(kim) == {"Påmindelse 1": "digest", "Påmindelse 2": "digest"}
    db.session.expire_all()
    claimed = dict(db.session.execute(
        select(Notification.subject, Notification.claimed_at)).tuples().all())
    assert claimed == {"Påmindelse 1": DIGEST_TIME, "Påmindelse 2": None}


def test_smtp_failure_retries_the_same_digest_later(app, kim, monkeypatch):
    add(kim, "1")
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port.getsockname()[1])
    port.close()  # nothing listens there

    assert send_digests(now=DIGEST_TIME) == 0
    delivery = db.session.execute(select(DigestDelivery)).scalar_one()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at == DIGEST_TIME + timedelta(seconds=300)
    assert "ConnectionRefusedError" in delivery.last_error
    assert statuses(kim) == {"Påmindelse 1": "digest"}

    add(kim, "2", at=DIGEST_TIME + timedelta(minutes=1))  # arrives between the attempts
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "memory")
    assert send_digests(now=DIGEST_TIME + timedelta(seconds=200)) == 0  # not due yet
    assert send_digests(now=DIGEST_TIME + timedelta(seconds=300)) == 1
    [message] = mail.outbox
    assert "Påmindelse 1" in plain(message) and "Påmindelse 2" not in plain(message)
    assert statuses(kim) == {"Påmindelse 1": "sent", "Påmindelse 2": "digest"}
    assert send_digests(now=DIGEST_TIME + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


def test_a_digest_that_keeps_failing_is_shown_to_admins(app, kim, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATION_MAX_ATTEMPTS", 2)
    add(kim, "1")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(mail, "send_mail", refuse)
    send_digests(now=DIGEST_TIME)
    send_digests(now=DIGEST_TIME + timedelta(seconds=300))
    delivery = db.session.execute(select(DigestDelivery)).scalar_one()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    [failed] = failed_notifications()
    assert (failed.subject, failed.attempts) == ("Påmindelse 1", 2)
    assert "Connection refused" in failed.last_error
    assert send_digests(now=DIGEST_TIME + timedelta(days=1, hours=1)) == 0


def test_two_digest_jobs_at_the_same_time_send_one_mail(app, kim, make_user):
    bo = make_user(Role.APPLICANT, email="bo@tilbud.dk")
    save_preferences(bo, {"task_due": "digest"})
    for n in range(3):
        add(kim, f"k{n}")
        add(bo, f"b{n}")
    counts = run_at_once(app, lambda: send_digests(now=DIGEST_TIME))
    assert sum(counts) == 2
    assert sorted(m["To"] for m in mail.outbox) == ["bo@tilbud.dk", "kim@tilbud.dk"]
