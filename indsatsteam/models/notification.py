"""Notifications (the outbox), per-user delivery preferences, reminder rules and digests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .types import AwareDateTime
from .user import User


class Notification(db.Model):
    """One message to one user: shown in the app and, by preference, e-mailed.

    `dedupe_key` (rule:object:occurrence:user) is unique, so inserting the same reminder
    twice — a second sweep or a second scheduler — is a no-op. The row is the outbox: the
    sender claims rows with email_status "pending" whose next_attempt_at has come.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_outbox", "email_status", "next_attempt_at"),
        Index("ix_notifications_recipient_read", "recipient_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # pending | sending | sent | failed | not_wanted (in-app only) | digest (waits for the digest)
    email_status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")

    recipient: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """How a user wants one category: e-mail at once, in the daily digest, or in-app only."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))  # immediate | digest | in_app


class ReminderRule(db.Model):
    """The admin-editable part of a reminder rule: on or off, and its days."""

    __tablename__ = "reminder_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Comma-separated whole days, e.g. "7,1" (days before) or "7" (repeat every n days).
    days: Mapped[str] = mapped_column(String(50), default="")


class DigestDelivery(db.Model):
    """One daily digest per user and Danish date; the unique key makes the job idempotent."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("user_id", "digest_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    digest_date: Mapped[date] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
