"""The outbox sender: e-mails pending notifications, each exactly once, with retries.

A row is claimed with a conditional UPDATE (pending → sending) that is committed before the
mail goes out; only the process whose UPDATE changed the row sends it, so two senders at
the same moment never send one row twice. A failed send is retried later with exponential
backoff and marked failed after NOTIFICATION_MAX_ATTEMPTS. A row left in "sending" longer
than NOTIFICATION_CLAIM_TIMEOUT_SECONDS (its sender crashed) is claimed again: a crash right
after the SMTP server accepted the mail can then send it twice, never zero times.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import selectinload

from .. import clock, mail
from ..documents import services as documents
from ..extensions import db
from ..links import absolute_url, path_for
from ..models import Notification
from .services import CATEGORIES

SMTP_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    """The wait after the given number of failed attempts: base, 2×base, 4×base … capped."""
    base = current_app.config["NOTIFICATION_RETRY_BASE_SECONDS"]
    cap = current_app.config["NOTIFICATION_RETRY_MAX_SECONDS"]
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def max_attempts() -> int:
    return current_app.config["NOTIFICATION_MAX_ATTEMPTS"]


def claim_timeout() -> timedelta:
    return timedelta(seconds=current_app.config["NOTIFICATION_CLAIM_TIMEOUT_SECONDS"])


def error_text(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"[:1000]


def _claimable(now: datetime):
    stale_before = now - claim_timeout()
    return or_(
        and_(Notification.email_status == "pending", Notification.next_attempt_at <= now),
        and_(Notification.email_status == "sending", Notification.claimed_at <= stale_before),
    )


def _due_ids(now: datetime, limit: int) -> list[int]:
    ids = list(db.session.execute(
        select(Notification.id).where(_claimable(now))
        .order_by(Notification.next_attempt_at, Notification.id).limit(limit)
    ).scalars())
    db.session.commit()  # end the read, so each claim below sees the latest state
    return ids


def claim(notification_id: int, now: datetime) -> bool:
    """Mark one due row as being sent by this process. True when this process won it."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, _claimable(now))
        .values(email_status="sending", claimed_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def send_pending(now: datetime | None = None, limit: int = 100) -> SendResult:
    """E-mail the notifications whose (next) attempt is due; safe to run in parallel."""
    now = now or clock.now()
    result = SendResult()
    for notification_id in _due_ids(now, limit):
        if not claim(notification_id, now):
            continue  # another sender took it between our SELECT and our UPDATE
        outcome = _deliver(notification_id, now)
        if outcome == "sent":
            result.sent += 1
        elif outcome == "pending":
            result.retried += 1
        elif outcome == "failed":
            result.failed += 1
    return result


def _deliver(notification_id: int, now: datetime) -> str:
    """Send one claimed row and record the outcome; returns the row's new email_status."""
    notification = db.session.execute(
        select(Notification).options(selectinload(Notification.recipient))
        .where(Notification.id == notification_id)).scalar_one()
    recipient = notification.recipient
    if not recipient.active:
        notification.email_status = "not_wanted"
        notification.last_error = "Modtagerens bruger er deaktiveret"
    else:
        try:
            mail.send_mail(recipient.email, notification.subject, "notification",
                           notification=notification, recipient=recipient,
                           url=link_for(notification.url),
                           category_label=_category_label(notification.category),
                           settings_url=absolute_url(path_for("notifications.settings")),
                           attachments=documents.mail_attachments(notification.id))
        except SMTP_ERRORS as err:
            record_failure(notification, err, now)
        else:
            notification.email_status = "sent"
            notification.sent_at = now
            notification.last_error = ""
    db.session.commit()
    return notification.email_status


def record_failure(notification: Notification, err: BaseException, now: datetime) -> None:
    """Count a failed attempt: retry later with backoff, or give up after the last one."""
    notification.attempts += 1
    notification.last_error = error_text(err)
    if notification.attempts >= max_attempts():
        notification.email_status = "failed"
        notification.next_attempt_at = None
    else:
        notification.email_status = "pending"
        notification.next_attempt_at = now + retry_delay(notification.attempts)


def _category_label(code: str) -> str:
    category = CATEGORIES.get(code)
    return category.label.lower() if category else "denne slags notifikationer"


def link_for(url: str) -> str:
    """An absolute link for an e-mail; notifications store paths such as /forloeb/3."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return absolute_url(url)
