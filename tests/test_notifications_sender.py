"""The outbox sender: each pending notification is e-mailed once, retried with backoff while
SMTP is away, marked failed (and shown to admins) after the last attempt, and never sent
twice by two senders."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock, mail
from indsatsteam.extensions import db
from indsatsteam.models import Notification, Role
from indsatsteam.notifications.sender import claim, retry_delay, send_pending
from indsatsteam.notifications.services import notify

from helpers import aware, run_at_once, text_of
from reminder_helpers import free_port, start_smtp

NOW = aware(2026, 11, 27, 8, 0)


@pytest.fixture
def smtp_port(app, monkeypatch):
    """Mail goes over SMTP to 127.0.0.1:<port>, where nothing listens until a test starts
    a server there."""
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    return port


@pytest.fixture
def kim(make_user):
    clock.freeze(NOW)
    return make_user(Role.APPLICANT, email="kim@tilbud.dk", name="Kim Hansen")


def add(user, n: int = 1, category: str = "task_due") -> Notification:
    notify(user, category, subject=f"Opgaven Besøg {n} har frist om 7 dage",
           body=f"Opgaven Besøg {n} skal være løst senest 4. december 2026.",
           url="/vores-forloeb/3", dedupe_key=f"test:{category}:{n}:{user.id}")
    db.session.commit()
    return db.session.execute(
        select(Notification).where(Notification.dedupe_key == f"test:{category}:{n}:{user.id}")
    ).scalar_one()


def fresh(notification: Notification) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification.id)


def test_a_pending_notification_is_mailed_once_and_marked_sent(kim):
    notification = add(kim)
    assert notification.email_status == "pending" and notification.next_attempt_at == NOW

    result = send_pending()
    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    [message] = mail.outbox
    assert message["To"] == "kim@tilbud.dk"
    assert message["Subject"] == "Opgaven Besøg 1 har frist om 7 dage"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Kære Kim Hansen")
    assert "Opgaven Besøg 1 skal være løst senest 4. december 2026." in text
    assert "Se mere i Indsatsteamet: http://localhost/vores-forloeb/3" in text
    assert "http://localhost/notifikationer/indstillinger" in text
    assert "opgaver med frist snart" in text
    html = message.get_body(("html",)).get_content()
    assert '<a href="http://localhost/vores-forloeb/3">Se mere i Indsatsteamet</a>' in html

    notification = fresh(notification)
    assert notification.email_status == "sent" and notification.sent_at == NOW
    assert notification.claimed_at == NOW and notification.attempts == 0

    assert send_pending().sent == 0 and len(mail.outbox) == 1


def test_only_due_rows_are_sent_and_limit_is_respected(kim):
    for n in range(3):
        add(kim, n)
    later = add(kim, 9)
    later.next_attempt_at = NOW + timedelta(minutes=5)
    db.session.commit()

    assert send_pending(limit=2).sent == 2
    assert send_pending().sent == 1
    assert send_pending().sent == 0  # the fourth is not due yet
    assert send_pending(now=NOW + timedelta(minutes=5)).sent == 1
    assert len({m["Subject"] for m in mail.outbox}) == len(mail.outbox) == 4


def test_smtp_failure_is_retried_with_backoff_and_the_mail_arrives_once(kim, smtp_port):
    notification = add(kim)

    result = send_pending()  # nothing listens on the port: connection refused
    assert (result.sent, result.retried, result.failed) == (0, 1, 0)
    notification = fresh(notification)
    assert notification.email_status == "pending" and notification.attempts == 1
    assert "ConnectionRefusedError" in notification.last_error
    assert notification.next_attempt_at == NOW + timedelta(seconds=300)

    assert send_pending(now=NOW + timedelta(seconds=299)).retried == 0  # not due yet
    assert send_pending(now=NOW + timedelta(seconds=300)).retried == 1
    notification = fresh(notification)
    assert notification.attempts == 2
    assert notification.next_attempt_at == NOW + timedelta(seconds=300 + 600)

    controller, handler = start_smtp(smtp_port)
    try:
        assert send_pending(now=NOW + timedelta(seconds=900)).sent == 1
        assert send_pending(now=NOW + timedelta(hours=5)).sent == 0
    finally:
        controller.stop()
    assert [e.rcpt_tos for e in handler.envelopes] == [["kim@tilbud.dk"]]
    notification = fresh(notification)
    assert notification.email_status == "sent" and notification.last_error == ""
    assert notification.sent_at == NOW + timedelta(seconds=900)


def test_backoff_doubles_up_to_the_cap(app, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATION_RETRY_BASE_SECONDS", 300)
    monkeypatch.setitem(app.config, "NOTIFICATION_RETRY_MAX_SECONDS", 3600)
    assert [retry_delay(n).total_seconds() for n in range(1, 7)] == [
        300, 600, 1200, 2400, 3600, 3600]


def test_after_the_last_attempt_the_mail_is_failed_and_shown_to_admins(
        app, client, login, make_user, kim, smtp_port, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATION_MAX_ATTEMPTS", 3)
    notification = add(kim)
    at = NOW
    for expected in ("pending", "pending", "failed"):
        send_pending(now=at)
        notification = fresh(notification)
        assert notification.email_status == expected
        at = notification.next_attempt_at or at + timedelta(days=1)
    assert notification.attempts == 3 and notification.next_attempt_at is None
    result = send_pending(now=at + timedelta(days=30))
    assert (result.sent, result.retried, result.failed) == (0, 0, 0)

    monkeypatch.setitem(app.config, "MAIL_BACKEND", "memory")
    login(client, make_user(Role.ADMIN))
    page = text_of(client.get("/admin/"))
    section = page.split("Mislykkede e-mails", 1)[1]
    assert "Kim Hansen kim@tilbud.dk" in section
    assert "Opgaven Besøg 1 har frist om 7 dage" in section
    assert "ConnectionRefusedError" in section
    assert "27. november 2026 kl. 09.00" in section  # created, in Danish time
    assert "Der er ingen mislykkede e-mails" not in page


def test_the_admin_page_says_when_no_mail_failed(client, login, make_user, kim):
    add(kim)
    send_pending()
    login(client, make_user(Role.ADMIN))
    assert "Der er ingen mislykkede e-mails." in text_of(client.get("/admin/"))


def test_a_row_claimed_by_another_sender_is_not_sent_again(kim):
    notification = add(kim)
    assert claim(notification.id, NOW)  # sender A claims it and is still sending
    assert not claim(notification.id, NOW)  # sender B's UPDATE changes nothing

    result = send_pending()  # sender B's whole run
    assert (result.sent, result.retried, result.failed) == (0, 0, 0)
    assert mail.outbox == []
    assert fresh(notification).email_status == "sending"


def test_a_row_left_sending_by_a_crashed_sender_is_sent_after_ten_minutes(kim):
    notification = add(kim)
    assert claim(notification.id, NOW)  # ... and the sender dies

    assert send_pending(now=NOW + timedelta(minutes=9)).sent == 0
    assert send_pending(now=NOW + timedelta(minutes=10)).sent == 1
    assert len(mail.outbox) == 1
    assert fresh(notification).email_status == "sent"


def test_two_senders_at_the_same_time_send_each_row_once(app, kim, monkeypatch):
    for n in range(12):
        add(kim, n)
    sent_subjects: list[str] = []
    lock = threading.Lock()
    original = mail.send_mail

    def slow_send(to, subject, template, **context):
        original(to, subject, template, **context)
        with lock:
            sent_subjects.append(subject)
        threading.Event().wait(0.01)  # give the other sender time to race for the next row

    monkeypatch.setattr(mail, "send_mail", slow_send)
    results = run_at_once(app, lambda: send_pending(now=NOW))

    assert len(results) == 2
    assert all(r.sent for r in results)  # both really took part
    assert sum(r.sent for r in results) == 12
    assert sorted(sent_subjects) == sorted(f"Opgaven Besøg {n} har frist om 7 dage"
                                           for n in range(12))
    db.session.expire_all()
    assert {n.email_status for n in db.session.execute(select(Notification)).scalars()} == {
        "sent"}


def test_in_app_and_digest_rows_are_never_mailed_by_the_sender(kim):
    from indsatsteam.notifications.services import save_preferences

    save_preferences(kim, {"task_due": "in_app", "task_overdue": "digest"})
    in_app = add(kim, 1, "task_due")
    digest = add(kim, 2, "task_overdue")
    assert (in_app.email_status, digest.email_status) == ("not_wanted", "digest")
    assert send_pending(now=NOW + timedelta(days=2)).sent == 0
    assert mail.outbox == []


def test_a_deactivated_recipient_gets_no_mail(kim):
    notification = add(kim)
    kim.active = False
    db.session.commit()
    assert send_pending().sent == 0 and mail.outbox == []
    assert fresh(notification).email_status == "not_wanted"
