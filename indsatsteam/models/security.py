"""Security bookkeeping: rate-limit counters, "Husk mig" tokens and the queue of account
e-mails (confirmation, reset, invitations) that the scheduler sends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .types import AwareDateTime
from .user import User


class RateLimitCounter(db.Model):
    """One counter per key (e.g. ``ip:203.0.113.0``, ``pair:<e-mail>:<ip>``), changed only by
    single atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statements, so parallel
    requests can never let more through than the limit. Times are epoch seconds, so the
    database can compare them in the same statement on SQLite and PostgreSQL."""

    __tablename__ = "rate_limit_counters"
    __table_args__ = (Index("ix_rate_limit_counters_expires_at", "expires_at"),)

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger)
    hits: Mapped[int] = mapped_column(default=0)
    # No attempt for this key before this moment (the increasing delay per account).
    blocked_until: Mapped[int] = mapped_column(BigInteger, default=0)
    # When the row can be purged (retention).
    expires_at: Mapped[int] = mapped_column(BigInteger)


class RememberToken(db.Model):
    """A "Husk mig" login on one browser: the cookie holds series and token; only the
    SHA-256 of the token is stored, and it is replaced each time the cookie is used. A known
    series with the wrong token means the cookie was copied: every token of the user ends."""

    __tablename__ = "remember_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    series: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    last_used_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())

    user: Mapped[User] = relationship()


class OutgoingMail(db.Model):
    """An account e-mail waiting for the scheduler's sender (rendered when queued), so a
    request never waits on SMTP and a failed send is retried. Status: pending | sending |
    sent | failed."""

    __tablename__ = "outgoing_mails"
    __table_args__ = (Index("ix_outgoing_mails_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
