"""Sending e-mail: SMTP for real, the log in development, a list in tests.

Each mail is rendered from a pair of templates (html and plain text) in templates/email/.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template

log = logging.getLogger(__name__)

# The "memory" backend keeps sent messages here so tests can read them.
outbox: list[EmailMessage] = []


def build_message(to: str, subject: str, template: str, **context) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="indsatsteam.local")
    context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    msg.set_content(render_template(f"email/{template}.txt", **context))
    msg.add_alternative(render_template(f"email/{template}.html", **context), subtype="html")
    return msg


def send_mail(to: str, subject: str, template: str, **context) -> None:
    """Render and send one mail. Raises on SMTP failure; callers decide what that means."""
    msg = build_message(to, subject, template, **context)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox.append(msg)
    elif backend == "log":
        log.info("E-mail til %s: %s\n%s", to, subject, msg.get_body(("plain",)).get_content())
    else:
        _send_smtp(msg)


def _send_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)

