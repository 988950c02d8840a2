"""Account e-mails go through a queue the scheduler sends (issue 18): a request never waits
on SMTP, the page says "vi sender" (true even when SMTP is down), a failed send is retried
with backoff, and the account works once mail is back."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from sqlalchemy import select

from indsatsteam import clock, mail
from indsatsteam.extensions import db
from indsatsteam.models import OutgoingMail, User
from indsatsteam.notifications.mail_queue import send_queued

from helpers import PASSWORD, aware, text_of
from reminder_helpers import free_port, start_smtp, use_smtp

EMAIL = "ny@aeblehaven.dk"


def register(post, client):
    return post(client, "/opret-bruger", {
        "name": "Ny Ansøger", "email": EMAIL, "password": PASSWORD,
        "password_repeat": PASSWORD, "accept_terms": "y"})


def test_registration_does_not_wait_on_a_slow_mail_server(app, client, post, monkeypatch):
    controller, collector = start_smtp(delay=3)
    try:
        use_smtp(app, monkeypatch, controller.port)
        client.deliver_mail = False  # the scheduler has not run yet
        started = time.perf_counter()
        response = register(post, client)
        assert time.perf_counter() - started < 1.5
        assert response.headers["Location"] == "/opret-bruger/tjek-din-email"
        row = db.session.execute(select(OutgoingMail)).scalar_one()
        assert (row.to_address, row.status) == (EMAIL, "pending")
        assert collector.envelopes == []
        assert send_queued().sent == 1  # what the scheduler's mail_queue job does
        assert [e.rcpt_tos for e in collector.envelopes] == [[EMAIL]]
    finally:
        controller.stop()


def test_with_smtp_down_registration_says_we_will_send_and_the_mail_comes_later(
        app, client, post, monkeypatch):
    start = aware(2026, 11, 20, 9, 0)
    clock.freeze(start)
    port = free_port()
    use_smtp(app, monkeypatch, port)  # nothing listens: every send is refused
    response = register(post, client)  # the test client runs the sender right after
    page = text_of(client.get(response.headers["Location"]))
    assert "Vi sender dig en e-mail med et link" in page and "Vi har sendt" not in page
    row = db.session.execute(select(OutgoingMail)).scalar_one()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == start + timedelta(
        seconds=app.config["NOTIFICATION_RETRY_BASE_SECONDS"])
    assert "ConnectionRefusedError" in row.last_error

    controller, collector = start_smtp(port=port)
    try:
        clock.freeze(row.next_attempt_at)
        assert send_queued().sent == 1
    finally:
        controller.stop()
    db.session.refresh(row)
    assert row.status == "sent" and row.body_text == ""  # the link does not stay stored
    content = collector.envelopes[0].content.decode()
    link = re.search(r"http://localhost(/bekraeft-email/\S+)", content.replace("=\r\n", ""))
    assert link is not None
    client.get(link.group(1))
    assert db.session.execute(select(User)).scalar_one().email_confirmed_at is not None


def test_a_mail_is_given_up_after_the_last_attempt(app, client, post, monkeypatch):
    start = aware(2026, 11, 20, 9, 0)
    clock.freeze(start)
    use_smtp(app, monkeypatch, free_port())
    monkeypatch.setitem(app.config, "NOTIFICATION_MAX_ATTEMPTS", 2)
    register(post, client)
    row = db.session.execute(select(OutgoingMail)).scalar_one()
    clock.freeze(start + timedelta(days=1))
    send_queued()
    db.session.refresh(row)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 2, None)


def test_the_login_page_says_the_confirmation_mail_is_on_its_way(client, post, make_user):
    user = make_user(confirmed=False)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert "Vi sender dig en ny e-mail med et link" in text_of(response)
    assert [m["To"] for m in mail.outbox] == [user.email]


def test_reset_and_confirmation_mails_are_capped_per_address(client, post, make_user):
    user = make_user()
    for _ in range(5):
        post(client, "/glemt-adgangskode", {"email": user.email})
    assert len(mail.outbox) == client.application.config["MAIL_MAX_PER_ADDRESS_PER_HOUR"]
