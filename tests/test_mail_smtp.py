"""The receipt mail over real SMTP: an aiosmtpd server on a free local port receives it, and
a server that is down does not stop the submission."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy

import pytest

from indsatsteam import clock, mail
from indsatsteam.extensions import db
from indsatsteam.models import Role

from helpers import aware, text_of
from reminder_helpers import free_port, start_smtp

BASE_URL = "https://indsatsteam.example.dk"
SENDER = "Indsatsteamet <noreply@indsatsteam.example.dk>"


@pytest.fixture
def smtp_config(app, monkeypatch):
    """Point the app at SMTP on 127.0.0.1:<port>; monkeypatch restores the config after."""

    def _use(port: int) -> None:
        monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
        monkeypatch.setitem(app.config, "MAIL_SENDER", SENDER)
        monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE_URL)

    return _use


@pytest.fixture
def smtp_server(smtp_config):
    controller, handler = start_smtp()
    smtp_config(controller.port)
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def draft(make_user, make_provider, make_round, make_application):
    """A complete draft in a round with a deadline a week away, and its applicant."""
    clock.freeze(aware(2026, 11, 20, 9, 0))
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 11, 27, 11, 0),
                        name="Vinterrunden")
    provider = make_provider(name="Bostedet Æblehaven")
    user = make_user(Role.APPLICANT, email="leder@aeblehaven.dk", provider=provider)
    application = make_application(round_, provider, contact_email="kontakt@aeblehaven.dk")
    return user, application


def submit(client, post, login, user, application):
    login(client, user)
    response = post(client, f"/ansoegninger/{application.id}/indsend")
    assert response.headers["Location"] == f"/ansoegninger/{application.id}/kvittering"
    db.session.refresh(application)
    return response


def test_receipt_is_sent_over_smtp_to_each_recipient(client, post, login, draft, smtp_server):
    user, application = draft
    submit(client, post, login, user, application)

    assert application.status == "submitted"
    reference = application.reference
    assert reference.startswith("IT-2026-")
    assert mail.outbox == []  # it went over the wire, not into the memory outbox

    recipients = sorted(to for envelope in smtp_server.envelopes for to in envelope.rcpt_tos)
    assert recipients == ["kontakt@aeblehaven.dk", "leder@aeblehaven.dk"]
    receipt_url = f"{BASE_URL}/ansoegninger/{application.id}/kvittering"

    for envelope in smtp_server.envelopes:
        assert len(envelope.rcpt_tos) == 1
        assert envelope.mail_from == "noreply@indsatsteam.example.dk"
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert message["Subject"] == f"Kvittering for ansøgning {reference}"
        assert message["From"] == SENDER
        assert message["To"] == envelope.rcpt_tos[0]
        assert message["Message-ID"]
        assert message.get_content_type() == "multipart/alternative"

        plain = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert plain is not None and html is not None
        for part, link in ((plain, f"Se kvitteringen: {receipt_url}"),
                           (html, f'<a href="{receipt_url}">Se kvitteringen</a>')):
            assert part.get_content_charset() == "utf-8"
            body = part.get_content()
            assert "Vi har modtaget ansøgningen om et rådgivningsforløb" in body
            assert reference in body
            assert "Bostedet Æblehaven" in body
            assert "Vinterrunden" in body
            assert "27. november 2026 kl. 12.00" in body  # the deadline, Danish local time
            assert "20. november 2026 kl. 10.00" in body  # submitted
            assert link in body
        assert '<html lang="da">' in html.get_content()


def test_submission_stands_when_smtp_server_is_down(client, post, login, draft, smtp_config,
                                                     caplog):
    user, application = draft
    smtp_config(free_port())  # nothing listens there: the connection is refused
    caplog.set_level(logging.ERROR, logger="indsatsteam.applications.services")

    response = submit(client, post, login, user, application)

    assert application.status == "submitted"
    assert application.reference.startswith("IT-2026-")
    receipt = text_of(client.get(response.headers["Location"]))
    assert "Ansøgningen er indsendt" in receipt and application.reference in receipt

    failures = [r for r in caplog.records
                if r.name == "indsatsteam.applications.services" and r.levelno == logging.ERROR]
    assert sorted(r.args[1] for r in failures) == ["kontakt@aeblehaven.dk",
                                                   "leder@aeblehaven.dk"]
    for record in failures:
        assert application.reference in record.getMessage()
        assert "kunne ikke sendes" in record.getMessage()
        assert record.exc_info is not None and issubclass(record.exc_info[0], OSError)
