"""Application rounds, applications and their status history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..domain.applications import ApplicationStatus, round_is_open
from ..domain.eligibility import RoundRules
from ..extensions import db
from .provider import Provider
from .theme import Theme
from .types import AwareDateTime, StrEnumType
from .user import User

application_themes = Table(
    "application_themes",
    db.metadata,
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True),
)


class ApplicationRound(db.Model):
    __tablename__ = "application_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(AwareDateTime())
    closes_at: Mapped[datetime] = mapped_column(AwareDateTime())
    programmes_offered: Mapped[int] = mapped_column(default=0)
    # Closing early moves closes_at to the moment of closing and keeps the published deadline.
    closed_early_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    original_closes_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    close_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Who may apply: codes separated by commas; "" means no restriction on that dimension.
    eligible_kinds: Mapped[str] = mapped_column(Text, default="", server_default="")
    eligible_owner_types: Mapped[str] = mapped_column(Text, default="", server_default="")
    eligible_regions: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    @hybrid_method
    def is_open(self, now: datetime | None = None) -> bool:
        """Whether the round takes applications at `now`: the one rule, for a loaded round
        (domain.applications.round_is_open) and as a SQL clause,
        `select(ApplicationRound).where(ApplicationRound.is_open(now))`."""
        return round_is_open(self.opens_at, self.closes_at, now or clock.now())

    @is_open.expression
    def is_open(cls, now: datetime | None = None) -> ColumnElement[bool]:
        now = now or clock.now()
        return and_(cls.opens_at <= now, cls.closes_at > now)

    @property
    def rules(self) -> RoundRules:
        return RoundRules.from_columns(self.eligible_kinds, self.eligible_owner_types,
                                       self.eligible_regions)


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("round_id", "provider_id"),
        # The pipeline per round and status (dashboards, rounds admin) from the index alone.
        Index("ix_applications_round_id_status", "round_id", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("application_rounds.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[ApplicationStatus] = mapped_column(
        StrEnumType(ApplicationStatus, 20), default=ApplicationStatus.DRAFT, index=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    current_step: Mapped[int] = mapped_column(default=1)

    # Step 1: contact person for this application (prefilled from the provider).
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    # Step 2: the programme wished for.
    duration_months: Mapped[int | None] = mapped_column()
    desired_start: Mapped[date | None] = mapped_column()
    # Step 3: resources the provider can put in.
    participants: Mapped[str] = mapped_column(Text, default="")
    participant_count: Mapped[int | None] = mapped_column()
    hours_per_month: Mapped[int | None] = mapped_column()
    management_anchoring: Mapped[str] = mapped_column(Text, default="")
    # Step 4: motivation.
    motivation: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[str] = mapped_column(Text, default="")
    hoped_outcomes: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now,
                                                 onupdate=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # The manager's decision and the message the applicant sees.
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_message: Mapped[str] = mapped_column(Text, default="")
    capacity_override_reason: Mapped[str] = mapped_column(Text, default="")
    # Why the manager decided before any assessment was completed ("" when there was one).
    no_review_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    round: Mapped[ApplicationRound] = relationship()
    provider: Mapped[Provider] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    reviews: Mapped[list[Review]] = relationship(  # noqa: F821
        back_populates="application", cascade="all, delete-orphan", order_by="Review.assigned_at")
    themes: Mapped[list[Theme]] = relationship(secondary=application_themes,
                                               order_by=Theme.position)
    status_changes: Mapped[list[ApplicationStatusChange]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationStatusChange.at.desc()",
    )


class ApplicationStatusChange(db.Model):
    """Who moved an application from one status to another, when and why."""

    __tablename__ = "application_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[ApplicationStatus | None] = mapped_column(
        StrEnumType(ApplicationStatus, 20))
    to_status: Mapped[ApplicationStatus] = mapped_column(StrEnumType(ApplicationStatus, 20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    comment: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()


class ReferenceCounter(db.Model):
    """The last reference number handed out per year (IT-2026-0007)."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
