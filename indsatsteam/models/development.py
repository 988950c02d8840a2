"""The development phase's work: the library of methods and tools (versioned like the
recommendation catalogues), the methods proposed to a forløb, and the udviklingsplan per
chosen recommendation with its milestones."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .engagement import Engagement, EngagementRecommendation, Task
from .types import AwareDateTime
from .user import User


class MethodLibrary(db.Model):
    """One version of the library. Editing makes a new version, so a forløb keeps the wording
    of the methods it was proposed."""

    __tablename__ = "method_libraries"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    is_current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    methods: Mapped[list[Method]] = relationship(
        back_populates="library", order_by="Method.number", cascade="all, delete-orphan")


class Method(db.Model):
    """A method or tool: what it is, which themes and recommendations it supports, links."""

    __tablename__ = "methods"
    __table_args__ = (UniqueConstraint("library_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    library_id: Mapped[int] = mapped_column(
        ForeignKey("method_libraries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Comma-separated theme codes (domain.themes) and recommendation references
    # "catalogue code:number" (e.g. "botilbud:6"), so a new catalogue version keeps them.
    theme_codes: Mapped[str] = mapped_column(String(300), default="")
    recommendation_refs: Mapped[str] = mapped_column(String(300), default="")
    links: Mapped[str] = mapped_column(Text, default="")  # one address per line

    library: Mapped[MethodLibrary] = relationship(back_populates="methods")

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class EngagementMethod(db.Model):
    """A method a consultant proposed to a forløb; the tilbud sees it in its portal."""

    __tablename__ = "engagement_methods"
    __table_args__ = (UniqueConstraint("engagement_id", "method_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    method_id: Mapped[int] = mapped_column(ForeignKey("methods.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    engagement: Mapped[Engagement] = relationship(back_populates="methods")
    method: Mapped[Method] = relationship()
    proposed_by: Mapped[User | None] = relationship()


development_plan_methods = Table(
    "development_plan_methods",
    db.metadata,
    Column("plan_id", ForeignKey("development_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("method_id", ForeignKey("methods.id"), primary_key=True),
)


class DevelopmentPlan(db.Model):
    """Udviklingsplan for one chosen recommendation: the concrete changes, the organisational
    and managerial conditions (domain.expectations.CONDITION_COLUMNS), the methods, who is
    responsible, and milestones."""

    __tablename__ = "development_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    engagement_recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_recommendations.id", ondelete="CASCADE"), unique=True)
    changes: Mapped[str] = mapped_column(Text, default="")
    leadership_conditions: Mapped[str] = mapped_column(Text, default="")
    organisation_conditions: Mapped[str] = mapped_column(Text, default="")
    competence_conditions: Mapped[str] = mapped_column(Text, default="")
    routine_conditions: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now,
                                                 onupdate=clock.now)

    engagement: Mapped[Engagement] = relationship()
    engagement_recommendation: Mapped[EngagementRecommendation] = relationship(
        back_populates="plan")
    methods: Mapped[list[Method]] = relationship(secondary=development_plan_methods,
                                                 order_by=Method.number)
    milestones: Mapped[list[PlanMilestone]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="(PlanMilestone.position, PlanMilestone.id)")


class PlanMilestone(db.Model):
    """A step of a plan with a date; one click makes it a task linked to the recommendation."""

    __tablename__ = "plan_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column()
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="milestones")
    task: Mapped[Task | None] = relationship()
