"""Sending e-mail: SMTP for real, the log in development, a list in tests.

Each mail is rendered from a pair of templates (html and plain text) in templates/email/.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template

log = logging.getLogger(__name__)

# The "memory" backend keeps sent messages here so tests can read them.
outbox: list[EmailMessage] = []


def build_message(to: str, subject: str, template: str, attachments=(),
                  **context) -> EmailMessage:
    """`attachments`: objects with filename, content_type and data (bytes)."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="indsatsteam.local")
    context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    msg.set_content(render_template(f"email/{template}.txt", **context))
    msg.add_alternative(render_template(f"email/{template}.html", **context), subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        msg.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                           filename=attachment.filename)
    return msg


def message_from_parts(to: str, subject: str, text: str, html: str) -> EmailMessage:
    """A message from bodies rendered earlier (the queue of account e-mails)."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="indsatsteam.local")
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def send_mail(to: str, subject: str, template: str, attachments=(), **context) -> None:
    """Render and send one mail. Raises on SMTP failure; callers decide what that means."""
    deliver(build_message(to, subject, template, attachments=attachments, **context))


def deliver(msg: EmailMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox.append(msg)
    elif backend == "log":
        log.info("E-mail til %s: %s\n%s", msg["To"], msg["Subject"],
                 msg.get_body(("plain",)).get_content())
    else:
        _send_smtp(msg)


def tls_context() -> ssl.SSLContext:
    """Certificate and host name checked (the default context), against MAIL_CA_FILE when
    the mail server has an internal CA."""
    return ssl.create_default_context(cafile=current_app.config.get("MAIL_CA_FILE"))


def _send_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    if cfg.get("MAIL_USE_SSL"):
        connection = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10,
                                      context=tls_context())
    else:
        connection = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10)
    with connection as smtp:
        if cfg["MAIL_USE_TLS"] and not cfg.get("MAIL_USE_SSL"):
            smtp.starttls(context=tls_context())
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)

