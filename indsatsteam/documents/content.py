"""What each document says, gathered from the application and the forløb as they stand.

The recommendations are those of the catalogue version the forløb started with
(engagement.catalogue_id), in that version's own wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..domain.applications import ApplicationStatus
from ..domain.documents import DocumentKind
from ..domain.engagements import TaskStatus
from ..domain.phases import WORK_PHASES, Phase
from ..extensions import db
from ..measurements.services import agreed_indicators
from ..models import (
    AnalysisFinding,
    Application,
    DevelopmentPlan,
    Engagement,
    EngagementRecommendation,
    Meeting,
    PhasePlan,
    Recommendation,
    RecommendationCatalogue,
    Task,
)


@dataclass(frozen=True)
class PhaseRow:
    phase: str
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None


@dataclass(frozen=True)
class ChosenRecommendation:
    number: int
    title: str
    text: str
    baseline_score: int | None
    final_score: int | None
    plan: DevelopmentPlan | None = None  # the udviklingsplan, once the forløb made one


def context_for(kind: DocumentKind, application: Application,
                engagement: Engagement | None) -> dict:
    builders = {
        DocumentKind.DECISION_LETTER: _decision,
        DocumentKind.AGREEMENT: _agreement,
        DocumentKind.ANALYSIS_REPORT: _analysis,
        DocumentKind.FINAL_REPORT: _final,
    }
    return {"provider": application.provider, **builders[kind](application, engagement)}


def _decision(application: Application, engagement: Engagement | None) -> dict:
    return dict(outcome=ApplicationStatus(application.status),
                themes=engagement.themes if engagement else application.themes)


def _phase_rows(engagement: Engagement) -> list[PhaseRow]:
    plans = db.session.execute(
        select(PhasePlan).where(PhasePlan.engagement_id == engagement.id)
        .order_by(PhasePlan.position)).scalars()
    return [PhaseRow(p.phase, p.planned_start, p.planned_end, p.actual_start, p.actual_end)
            for p in plans if Phase(p.phase) in WORK_PHASES]


def _agreement(application: Application, engagement: Engagement) -> dict:
    return dict(agreement=engagement.agreement, phases=_phase_rows(engagement),
                indicators=agreed_indicators(engagement),
                themes=engagement.themes)


def _catalogue(engagement: Engagement) -> RecommendationCatalogue:
    return db.session.get(RecommendationCatalogue, engagement.catalogue_id)


def chosen_recommendations(engagement: Engagement) -> list[ChosenRecommendation]:
    """The tilbud's chosen recommendations in the wording of the forløb's catalogue version."""
    rows = db.session.execute(
        select(EngagementRecommendation, Recommendation)
        .join(Recommendation, Recommendation.id == EngagementRecommendation.recommendation_id)
        .where(EngagementRecommendation.engagement_id == engagement.id,
               EngagementRecommendation.chosen_at.is_not(None),
               Recommendation.catalogue_id == engagement.catalogue_id)
        .order_by(Recommendation.number)).all()
    return [ChosenRecommendation(rec.number, rec.title, rec.text, row.baseline_score,
                                 row.final_score, row.plan) for row, rec in rows]


def _findings(engagement: Engagement) -> list[tuple]:
    by_theme = {f.theme_id: f for f in db.session.execute(
        select(AnalysisFinding).where(AnalysisFinding.engagement_id == engagement.id)
    ).scalars()}
    return [(theme, by_theme.get(theme.id)) for theme in engagement.themes]


def _analysis(application: Application, engagement: Engagement) -> dict:
    return dict(findings=_findings(engagement), catalogue=_catalogue(engagement),
                chosen=chosen_recommendations(engagement), themes=engagement.themes)


def _final(application: Application, engagement: Engagement) -> dict:
    meetings = list(db.session.execute(
        select(Meeting).where(Meeting.engagement_id == engagement.id, Meeting.held.is_(True))
        .order_by(Meeting.starts_at)).scalars())
    tasks = list(db.session.execute(
        select(Task).where(Task.engagement_id == engagement.id)
        .order_by(Task.completed_at, Task.due_date, Task.id)).scalars())
    done = [t for t in tasks if t.status == TaskStatus.DONE]
    not_relevant = sum(1 for t in tasks if t.status == TaskStatus.NOT_RELEVANT)
    return dict(phases=_phase_rows(engagement), meetings=meetings, tasks_done=done,
                task_count=len(tasks), tasks_not_relevant=not_relevant,
                catalogue=_catalogue(engagement),
                chosen=chosen_recommendations(engagement),
                indicators=agreed_indicators(engagement),
                follow_up_due=engagement.follow_up_due,
                evaluation=engagement.final_evaluation, themes=engagement.themes)
