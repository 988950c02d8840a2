"""Resultater: how the tilbud's own self-assessment (1–5, given in the analysis phase and
again at the end) moved in completed forløb, per recommendation and per theme.

Only completed forløb count, and of those only recommendations with both scores: a
recommendation scored once says nothing about change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select

from ..domain.phases import Phase
from ..extensions import db
from ..models import (
    Engagement,
    EngagementRecommendation,
    Recommendation,
    RecommendationCatalogue,
    Theme,
    engagement_themes,
)
from .filters import DashboardFilters

NO_FILTERS = DashboardFilters()


@dataclass(frozen=True)
class RecommendationOutcome:
    catalogue_code: str        # botilbud | bostotte
    catalogue_title: str
    catalogue_version: int
    number: int
    title: str
    engagements: int           # completed forløb that scored it before and after
    baseline: float            # average score in the analysis phase, one decimal
    final: float               # average score at the end, one decimal
    change: float              # average of (final - baseline), one decimal

    @property
    def catalogue_label(self) -> str:
        """The catalogue's title, with its version after the first."""
        if self.catalogue_version > 1:
            return f"{self.catalogue_title} (version {self.catalogue_version})"
        return self.catalogue_title


@dataclass(frozen=True)
class ThemeOutcome:
    name: str
    engagements: int           # completed forløb with the theme and at least one scored pair
    change: float | None       # see `theme_outcomes`; None when no forløb


@dataclass(frozen=True)
class Outcomes:
    recommendations: list[RecommendationOutcome]
    themes: list[ThemeOutcome]

    @property
    def empty(self) -> bool:
        return not self.recommendations


def outcomes(filters: DashboardFilters = NO_FILTERS) -> Outcomes:
    """Per recommendation and per theme, one aggregated statement each."""
    return Outcomes(recommendation_outcomes(filters), theme_outcomes(filters))


def _scored(filters: DashboardFilters) -> tuple:
    """Recommendations with both scores in completed forløb that pass the filters."""
    return (Engagement.phase == Phase.COMPLETED,
            EngagementRecommendation.baseline_score.is_not(None),
            EngagementRecommendation.final_score.is_not(None),
            *filters.engagement_clauses())


def _change():
    return EngagementRecommendation.final_score - EngagementRecommendation.baseline_score


def recommendation_outcomes(filters: DashboardFilters = NO_FILTERS
                            ) -> list[RecommendationOutcome]:
    """Per recommendation (of one catalogue version): the number of completed forløb that
    scored it both times, the average scores before and after and the average change."""
    er = EngagementRecommendation
    group = (Recommendation.id, Recommendation.number, Recommendation.title,
             RecommendationCatalogue.code.label("catalogue_code"),
             RecommendationCatalogue.title.label("catalogue_title"),
             RecommendationCatalogue.version.label("catalogue_version"))
    rows = db.session.execute(
        select(*group, func.count().label("n"),
               func.avg(er.baseline_score).label("baseline"),
               func.avg(er.final_score).label("final"),
               func.avg(_change()).label("change"))
        .join(Recommendation, Recommendation.id == er.recommendation_id)
        .join(RecommendationCatalogue, RecommendationCatalogue.id == Recommendation.catalogue_id)
        .join(Engagement, Engagement.id == er.engagement_id)
        .where(*_scored(filters))
        .group_by(*group)
        .order_by(RecommendationCatalogue.code, RecommendationCatalogue.version,
                  Recommendation.number)).all()
    return [RecommendationOutcome(r.catalogue_code, r.catalogue_title, r.catalogue_version,
                                  r.number, r.title, int(r.n),
                                  one_decimal(r.baseline), one_decimal(r.final),
                                  one_decimal(r.change))
            for r in rows]


def theme_outcomes(filters: DashboardFilters = NO_FILTERS) -> list[ThemeOutcome]:
    """Per theme (every active one, and a retired one with results), in their order: the
    completed forløb working on it with at least one recommendation scored both times, and
    the average change, where each forløb weighs the same: first each forløb's own average
    change (final - baseline) over its recommendations scored both times, then the plain
    average of those forløb averages over the forløb with the theme.

    A forløb has several themes and its recommendations are not tied to one, so a forløb
    counts fully under each of its themes.
    """
    per_engagement = (
        select(EngagementRecommendation.engagement_id.label("engagement_id"),
               func.avg(_change()).label("change"))
        .join(Engagement, Engagement.id == EngagementRecommendation.engagement_id)
        .where(*_scored(filters))
        .group_by(EngagementRecommendation.engagement_id)).subquery("per_engagement")
    linked = (select(engagement_themes.c.theme_id, per_engagement.c.change)
              .join(per_engagement,
                    per_engagement.c.engagement_id == engagement_themes.c.engagement_id)
              ).subquery("linked")
    rows = db.session.execute(
        select(Theme.name, func.count(linked.c.theme_id).label("n"),
               func.avg(linked.c.change).label("change"))
        .outerjoin(linked, linked.c.theme_id == Theme.id)
        .where(or_(Theme.active.is_(True), linked.c.theme_id.is_not(None)))
        .group_by(Theme.id, Theme.name, Theme.position)
        .order_by(Theme.position, Theme.id)).all()
    return [ThemeOutcome(r.name, int(r.n), one_decimal(r.change) if r.n else None)
            for r in rows]


def one_decimal(value) -> float | None:
    """Rounded half up to one decimal, as people round (AVG is a float on SQLite, an exact
    numeric on PostgreSQL); never -0.0."""
    if value is None:
        return None
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0
