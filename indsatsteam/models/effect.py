"""Documented effect: the indicator catalogue (versioned like the recommendation catalogues),
the indicators a forløb agrees on with baseline, target, end and follow-up measurements, and
the tilbud's rating of the four benefits a forløb promises (domain.expectations.BENEFITS)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..domain.indicators import Direction, IndicatorUnit, OutcomeArea
from ..extensions import db
from .engagement import Engagement
from .types import AwareDateTime, StrEnumType
from .user import User


class IndicatorCatalogue(db.Model):
    """One version of the catalogue. Editing makes a new version, so a forløb keeps the
    definition of the indicators it agreed on."""

    __tablename__ = "indicator_catalogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    is_current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="catalogue", order_by="Indicator.number", cascade="all, delete-orphan")


class Indicator(db.Model):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("catalogue_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(
        ForeignKey("indicator_catalogues.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    outcome_area: Mapped[OutcomeArea] = mapped_column(StrEnumType(OutcomeArea, 30))
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[IndicatorUnit] = mapped_column(StrEnumType(IndicatorUnit, 20))
    direction: Mapped[Direction] = mapped_column(StrEnumType(Direction, 10))

    catalogue: Mapped[IndicatorCatalogue] = relationship(back_populates="indicators")


class EngagementIndicator(db.Model):
    """An indicator agreed for a forløb: baseline (value and date) and target in the
    samarbejdsaftale, then the measurements at the end and at the follow-up."""

    __tablename__ = "engagement_indicators"
    __table_args__ = (UniqueConstraint("engagement_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    baseline_value: Mapped[float | None] = mapped_column()
    baseline_date: Mapped[date | None] = mapped_column()
    target_value: Mapped[float | None] = mapped_column()
    end_value: Mapped[float | None] = mapped_column()
    end_date: Mapped[date | None] = mapped_column()
    follow_up_value: Mapped[float | None] = mapped_column()
    follow_up_date: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now,
                                                 onupdate=clock.now)

    engagement: Mapped[Engagement] = relationship(back_populates="indicators")
    indicator: Mapped[Indicator] = relationship()


class BenefitRating(db.Model):
    """At the end, the tilbud rates each promised benefit 1–5 with a comment."""

    __tablename__ = "benefit_ratings"
    __table_args__ = (UniqueConstraint("engagement_id", "benefit_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    benefit_code: Mapped[str] = mapped_column(String(20))  # domain.expectations.Benefit.code
    score: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rated_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    engagement: Mapped[Engagement] = relationship(back_populates="benefit_ratings")
    rated_by: Mapped[User | None] = relationship()
