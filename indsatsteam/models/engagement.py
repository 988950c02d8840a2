"""The rådgivningsforløb (Engagement) and everything recorded along its three phases."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..domain.engagements import MeetingType, TaskOwner, TaskStatus
from ..domain.phases import Phase
from ..extensions import db
from .application import Application
from .catalogue import Recommendation, RecommendationCatalogue
from .provider import Provider
from .theme import Theme
from .types import AwareDateTime, StrEnumType
from .user import User

if TYPE_CHECKING:
    from .development import DevelopmentPlan, EngagementMethod
    from .effect import BenefitRating, EngagementIndicator

engagement_themes = Table(
    "engagement_themes",
    db.metadata,
    Column("engagement_id", ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True),
)


class Engagement(db.Model):
    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    lead_consultant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    second_consultant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    catalogue_id: Mapped[int] = mapped_column(ForeignKey("recommendation_catalogues.id"))
    phase: Mapped[Phase] = mapped_column(StrEnumType(Phase, 20), default=Phase.STARTUP,
                                         index=True)
    # The work phase to go back to when a paused or cancelled engagement resumes/reopens.
    resume_phase: Mapped[Phase | None] = mapped_column(StrEnumType(Phase, 20))
    planned_start: Mapped[date] = mapped_column()
    duration_months: Mapped[int] = mapped_column()
    planned_end: Mapped[date] = mapped_column()
    actual_end: Mapped[date | None] = mapped_column()
    # FOLLOW_UP_MONTHS after completion the tilbud measures its indicators again.
    follow_up_due: Mapped[date | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    application: Mapped[Application] = relationship()
    provider: Mapped[Provider] = relationship()
    lead_consultant: Mapped[User] = relationship(foreign_keys=[lead_consultant_id])
    second_consultant: Mapped[User | None] = relationship(foreign_keys=[second_consultant_id])
    catalogue: Mapped[RecommendationCatalogue] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=engagement_themes,
                                               order_by=Theme.position)
    phase_plans: Mapped[list[PhasePlan]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="PhasePlan.position")
    transitions: Mapped[list[PhaseTransition]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan",
        order_by=lambda: (PhaseTransition.at.desc(), PhaseTransition.id.desc()))
    tasks: Mapped[list[Task]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan",
        order_by="(Task.due_date, Task.id)")
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="Meeting.starts_at")
    notes: Mapped[list[Note]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan",
        order_by="Note.created_at.desc()")
    findings: Mapped[list[AnalysisFinding]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan")
    recommendations: Mapped[list[EngagementRecommendation]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan")
    agreement: Mapped[CollaborationAgreement | None] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", uselist=False)
    final_evaluation: Mapped[FinalEvaluation | None] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", uselist=False)
    # Methods and tools from the library the consultants propose (models.development).
    methods: Mapped[list[EngagementMethod]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan",
        order_by="EngagementMethod.id")
    # Documented effect (models.effect).
    indicators: Mapped[list[EngagementIndicator]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan",
        order_by="EngagementIndicator.id")
    benefit_ratings: Mapped[list[BenefitRating]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="BenefitRating.id")

    def is_consultant(self, user: User) -> bool:
        return user.id in (self.lead_consultant_id, self.second_consultant_id)


class PhasePlan(db.Model):
    __tablename__ = "phase_plans"
    __table_args__ = (UniqueConstraint("engagement_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    phase: Mapped[Phase] = mapped_column(StrEnumType(Phase, 20))
    position: Mapped[int] = mapped_column(default=0)
    planned_start: Mapped[date] = mapped_column()
    planned_end: Mapped[date] = mapped_column()
    actual_start: Mapped[date | None] = mapped_column()
    actual_end: Mapped[date | None] = mapped_column()

    engagement: Mapped[Engagement] = relationship(back_populates="phase_plans")


class PhaseTransition(db.Model):
    __tablename__ = "phase_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    from_phase: Mapped[Phase | None] = mapped_column(StrEnumType(Phase, 20))
    to_phase: Mapped[Phase] = mapped_column(StrEnumType(Phase, 20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    comment: Mapped[str] = mapped_column(Text, default="")

    engagement: Mapped[Engagement] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_status_due_date", "status", "due_date"),
        # "My open tasks by due date" (dashboards, reminders) without scanning every task.
        Index("ix_tasks_owner_user_id_status", "owner_user_id", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    phase: Mapped[Phase] = mapped_column(StrEnumType(Phase, 20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_type: Mapped[TaskOwner] = mapped_column(StrEnumType(TaskOwner, 20))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(index=True)
    # Set for tasks from the phase template, so a new start date can re-plan them.
    offset_days: Mapped[int | None] = mapped_column()
    status: Mapped[TaskStatus] = mapped_column(StrEnumType(TaskStatus, 20),
                                               default=TaskStatus.NOT_STARTED, index=True)
    # Copied from the task template: the task completes and reopens with this gate.
    gate_key: Mapped[str | None] = mapped_column(String(40))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id"))
    engagement_recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagement_recommendations.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    engagement: Mapped[Engagement] = relationship(back_populates="tasks")
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    theme: Mapped[Theme | None] = relationship()
    engagement_recommendation: Mapped[EngagementRecommendation | None] = relationship()


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    meeting_type: Mapped[MeetingType] = mapped_column(StrEnumType(MeetingType, 30))
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    held: Mapped[bool] = mapped_column(default=False)
    # Staff decide per meeting whether the tilbud sees the minutes in its portal.
    minutes_shared: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    engagement: Mapped[Engagement] = relationship(back_populates="meetings")


class Note(db.Model):
    """Internal notes of the team; not shown to the tilbud."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    engagement: Mapped[Engagement] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class CollaborationAgreement(db.Model):
    """Samarbejdsaftale: the forventningsafstemning of the startup phase, filled in by the
    tilbud and the team together (domain.expectations) and agreed before the analysis.

    What the tilbud hopes to get: the four benefits of a forløb (domain.expectations.BENEFITS),
    each with what it would mean for the tilbud, and its own goals. The team's expectations of
    the tilbud: participants, time, leadership involvement. Practical agreements: meeting
    cadence and contact person. And the risks."""

    __tablename__ = "collaboration_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), unique=True)
    meaning_insight: Mapped[str] = mapped_column(Text, default="", server_default="")
    meaning_competences: Mapped[str] = mapped_column(Text, default="", server_default="")
    meaning_understanding: Mapped[str] = mapped_column(Text, default="", server_default="")
    meaning_systematics: Mapped[str] = mapped_column(Text, default="", server_default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[str] = mapped_column(Text, default="")
    time_commitment: Mapped[str] = mapped_column(Text, default="", server_default="")
    leadership_involvement: Mapped[str] = mapped_column(Text, default="", server_default="")
    meeting_cadence: Mapped[str] = mapped_column(Text, default="")
    contact_person: Mapped[str] = mapped_column(String(200), default="", server_default="")
    risks: Mapped[str] = mapped_column(Text, default="", server_default="")
    agreed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now,
                                                 onupdate=clock.now)

    engagement: Mapped[Engagement] = relationship(back_populates="agreement")
    agreed_by: Mapped[User | None] = relationship()


class AnalysisFinding(db.Model):
    __tablename__ = "analysis_findings"
    __table_args__ = (UniqueConstraint("engagement_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    strengths: Mapped[str] = mapped_column(Text, default="")
    development_areas: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now,
                                                 onupdate=clock.now)

    engagement: Mapped[Engagement] = relationship(back_populates="findings")
    theme: Mapped[Theme] = relationship()


class EngagementRecommendation(db.Model):
    """A recommendation proposed by the consultant and (perhaps) chosen by the tilbud, with
    the tilbud's self-assessment at the end of analysis, at the final evaluation and at the
    follow-up after the forløb."""

    __tablename__ = "engagement_recommendations"
    __table_args__ = (UniqueConstraint("engagement_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    chosen_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    baseline_score: Mapped[int | None] = mapped_column()
    final_score: Mapped[int | None] = mapped_column()
    follow_up_score: Mapped[int | None] = mapped_column()

    engagement: Mapped[Engagement] = relationship(back_populates="recommendations")
    recommendation: Mapped[Recommendation] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    chosen_by: Mapped[User | None] = relationship(foreign_keys=[chosen_by_id])
    # The udviklingsplan for a chosen recommendation (models.development).
    plan: Mapped[DevelopmentPlan | None] = relationship(
        back_populates="engagement_recommendation", cascade="all, delete-orphan", uselist=False)


class FinalEvaluation(db.Model):
    __tablename__ = "final_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    achievements: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    engagement: Mapped[Engagement] = relationship(back_populates="final_evaluation")
