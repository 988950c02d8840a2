"""Reviews: a consultant's assessment of an application on the rubric."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..domain.engagements import ReviewRecommendation
from ..extensions import db
from .types import AwareDateTime, StrEnumType
from .user import User


class Review(db.Model):
    """Created when a manager assigns a reviewer; filled in when the reviewer assesses."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    fit_score: Mapped[int | None] = mapped_column()
    fit_comment: Mapped[str] = mapped_column(Text, default="")
    readiness_score: Mapped[int | None] = mapped_column()
    readiness_comment: Mapped[str] = mapped_column(Text, default="")
    anchoring_score: Mapped[int | None] = mapped_column()
    anchoring_comment: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[ReviewRecommendation | None] = mapped_column(
        StrEnumType(ReviewRecommendation, 20))
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    application: Mapped[Application] = relationship(back_populates="reviews")  # noqa: F821
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
