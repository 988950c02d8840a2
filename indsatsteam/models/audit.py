"""The audit trail (who changed what) and the GDPR access log (who looked at whose data).

Both are append-only: the app inserts rows and never updates or deletes them, except the
retention job, which removes access-log rows older than their retention period.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .types import AwareDateTime
from .user import User


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        # A forløb's timeline finds rows removed since by the label naming the forløb.
        Index("ix_audit_events_label", "object_type", "object_label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column()
    object_label: Mapped[str] = mapped_column(String(300), default="")
    # {"field": [before, after], ...}
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    request_id: Mapped[str] = mapped_column(String(40), default="")

    actor: Mapped[User | None] = relationship()


class AccessLogEntry(db.Model):
    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now, index=True)
    viewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Whose data: a user, or the people of a provider (its contacts and members).
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("providers.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20), default="view")  # view | export
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(String(300), default="")
    path: Mapped[str] = mapped_column(String(500), default="")
    request_id: Mapped[str] = mapped_column(String(40), default="")

    viewer: Mapped[User | None] = relationship(foreign_keys=[viewer_id])
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id])
