"""Recommendation catalogues (versioned) and the phase template with its standard tasks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..domain.engagements import TaskOwner
from ..domain.phases import Phase
from ..extensions import db
from .types import AwareDateTime, StrEnumType


class RecommendationCatalogue(db.Model):
    """One version of a catalogue. Editing makes a new version, so running engagements keep
    the wording they started with."""

    __tablename__ = "recommendation_catalogues"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))  # botilbud | bostotte
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    is_current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="catalogue", order_by="Recommendation.number",
        cascade="all, delete-orphan")


class Recommendation(db.Model):
    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("catalogue_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation_catalogues.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")

    catalogue: Mapped[RecommendationCatalogue] = relationship(back_populates="recommendations")


class PhaseTemplate(db.Model):
    """A work phase's share of the programme's duration and its standard tasks."""

    __tablename__ = "phase_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    phase: Mapped[Phase] = mapped_column(StrEnumType(Phase, 20), unique=True)
    share_percent: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)

    task_templates: Mapped[list[TaskTemplate]] = relationship(
        back_populates="phase_template", order_by="TaskTemplate.offset_days",
        cascade="all, delete-orphan")


class TaskTemplate(db.Model):
    __tablename__ = "task_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_template_id: Mapped[int] = mapped_column(
        ForeignKey("phase_templates.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    offset_days: Mapped[int] = mapped_column(default=0)
    owner_type: Mapped[TaskOwner] = mapped_column(StrEnumType(TaskOwner, 20))
    # The gate this standard task stands for (domain.gates.GateKey); None for ordinary work.
    gate_key: Mapped[str | None] = mapped_column(String(40))

    phase_template: Mapped[PhaseTemplate] = relationship(back_populates="task_templates")
