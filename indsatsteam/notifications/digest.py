"""The daily digest: one e-mail per user and Danish date with the notifications they chose
to receive that way, sent once even when the job runs twice or in two processes.

How a notification is tied to its digest (no extra column needed):
- waiting: email_status "digest", claimed_at NULL;
- included: claiming the digest inserts DigestDelivery(user, digest_date) with INSERT … ON
  CONFLICT DO NOTHING and, in the same transaction, stamps the user's waiting notifications
  with claimed_at = the delivery's created_at; a retry sends exactly those rows;
- delivered: email_status "sent" with sent_at; given up: "failed" with the last error, like
  an immediate e-mail, so admins see it.
Notifications that arrive after the day's digest was claimed wait for the next day's.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock, mail
from ..domain.danish_time import format_danish_date, local_date
from ..extensions import db
from ..links import absolute_url, path_for
from ..models import DigestDelivery, Notification, User
from .sender import SMTP_ERRORS, claim_timeout, error_text, link_for, max_attempts, retry_delay


def send_digests(now: datetime | None = None) -> int:
    """Claim and send today's digests (and retry earlier failed ones); returns mails sent."""
    now = now or clock.now()
    digest_date = local_date(now)
    for user_id in _users_waiting(now):
        open_delivery(user_id, digest_date, now)
    sent = 0
    for delivery_id in _due_deliveries(now):
        if _claim(delivery_id, now) and _deliver(delivery_id, now):
            sent += 1
    return sent


def _users_waiting(now: datetime) -> list[int]:
    user_ids = list(db.session.execute(
        select(Notification.recipient_id).distinct()
        .join(User, User.id == Notification.recipient_id)
        .where(Notification.email_status == "digest", Notification.claimed_at.is_(None),
               Notification.created_at <= now, User.active.is_(True))
        .order_by(Notification.recipient_id)).scalars())
    db.session.commit()
    return user_ids


def _insert_delivery(values: dict):
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    # RETURNING tells whether the row was inserted (rowcount is -1 on psycopg with it).
    return module.insert(DigestDelivery).values(**values).on_conflict_do_nothing(
        index_elements=["user_id", "digest_date"]).returning(DigestDelivery.id)


def open_delivery(user_id: int, digest_date: date, now: datetime) -> bool:
    """Claim the user's digest for the date and include their waiting notifications.

    True when this process claimed it; False when the digest exists already (another run or
    process) or nothing is waiting any more.
    """
    inserted = db.session.execute(_insert_delivery({
        "user_id": user_id, "digest_date": digest_date, "created_at": now, "status": "pending",
        "attempts": 0, "next_attempt_at": now, "last_error": ""}))
    if inserted.first() is None:
        db.session.rollback()
        return False
    included = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user_id, Notification.email_status == "digest",
               Notification.claimed_at.is_(None), Notification.created_at <= now)
        .values(claimed_at=now).execution_options(synchronize_session=False))
    if included.rowcount == 0:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def _due_deliveries(now: datetime) -> list[int]:
    ids = list(db.session.execute(
        select(DigestDelivery.id)
        .where(DigestDelivery.status.in_(("pending", "sending")),
               DigestDelivery.next_attempt_at <= now)
        .order_by(DigestDelivery.next_attempt_at, DigestDelivery.id)).scalars())
    db.session.commit()
    return ids


def _claim(delivery_id: int, now: datetime) -> bool:
    """pending → sending, conditionally, like the sender's claim. While sending,
    next_attempt_at is the end of the claim: a crashed sender's digest is taken over then."""
    result = db.session.execute(
        update(DigestDelivery)
        .where(DigestDelivery.id == delivery_id,
               DigestDelivery.status.in_(("pending", "sending")),
               DigestDelivery.next_attempt_at <= now)
        .values(status="sending", next_attempt_at=now + claim_timeout())
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def items_of(delivery: DigestDelivery) -> list[Notification]:
    return list(db.session.execute(
        select(Notification)
        .where(Notification.recipient_id == delivery.user_id,
               Notification.email_status == "digest",
               Notification.claimed_at == delivery.created_at)
        .order_by(Notification.created_at, Notification.id)).scalars())


def _deliver(delivery_id: int, now: datetime) -> bool:
    delivery = db.session.get(DigestDelivery, delivery_id)
    user = db.session.get(User, delivery.user_id)
    items = items_of(delivery)
    if not items or not user.active:  # nothing left to send, or nobody to send it to
        for item in items:
            item.email_status = "not_wanted"
            item.last_error = "Modtagerens bruger er deaktiveret"
        delivery.status = "failed" if items else "sent"
        delivery.last_error = items[0].last_error if items else ""
        delivery.next_attempt_at = None
        db.session.commit()
        return False
    try:
        mail.send_mail(
            user.email, f"Dine notifikationer fra Indsatsteamet – "
            f"{format_danish_date(delivery.digest_date)}", "digest",
            recipient=user, digest_date=delivery.digest_date,
            items=[(item, link_for(item.url)) for item in items],
            settings_url=absolute_url(path_for("notifications.settings")))
    except SMTP_ERRORS as err:
        _record_failure(delivery, items, err, now)
        db.session.commit()
        return False
    delivery.status, delivery.sent_at, delivery.next_attempt_at = "sent", now, None
    delivery.last_error = ""
    for item in items:
        item.email_status, item.sent_at = "sent", now
    db.session.commit()
    return True


def _record_failure(delivery: DigestDelivery, items: list[Notification], err: BaseException,
                    now: datetime) -> None:
    delivery.attempts += 1
    delivery.last_error = error_text(err)
    if delivery.attempts < max_attempts():
        delivery.status = "pending"
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        return
    delivery.status, delivery.next_attempt_at = "failed", None
    for item in items:
        item.email_status = "failed"
        item.attempts, item.last_error = delivery.attempts, delivery.last_error
