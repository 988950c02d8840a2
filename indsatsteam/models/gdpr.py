"""Retention periods, retention runs and requests to delete one's data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .types import AwareDateTime
from .user import User


class RetentionPolicy(db.Model):
    """How many months a kind of record is kept after the event that starts its clock."""

    __tablename__ = "retention_policies"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    months: Mapped[int] = mapped_column()
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class RetentionRun(db.Model):
    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    dry_run: Mapped[bool] = mapped_column(default=False)
    trigger: Mapped[str] = mapped_column(String(20), default="cli")  # cli | scheduler | admin
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # {"kind": {"deleted": n, "anonymised": n}, ...}
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class DeletionRequest(db.Model):
    __tablename__ = "deletion_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    requested_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open|done|refused
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    response: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])
