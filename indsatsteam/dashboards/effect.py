"""Effekt: the programme effect report. Per indicator, per recommendation, per theme or per
kind of tilbud, what the completed forløb measured at the baseline, the end and the
follow-up (statistics in domain.effect), and the tilbud's rating of the four benefits.

Only forløb in Phase.COMPLETED count, filtered like the manager dashboard. The values are
read once per grouping (at most four statements, whatever the data) and summarised in
Python: a median needs the values, not an aggregate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import String, func, select, type_coerce

from ..domain.effect import Cell, Measurement, cell
from ..domain.expectations import BENEFITS
from ..domain.indicators import Direction, IndicatorUnit, OutcomeArea
from ..domain.phases import Phase
from ..domain.providers import ProviderKind
from ..extensions import db
from ..models import (
    BenefitRating,
    Engagement,
    EngagementIndicator,
    EngagementRecommendation,
    Indicator,
    IndicatorCatalogue,
    Provider,
    Recommendation,
    RecommendationCatalogue,
    Theme,
    engagement_themes,
)
from .filters import DashboardFilters

NO_FILTERS = DashboardFilters()
SELF_ASSESSMENT = "Selvevaluering af anbefalingerne"
SCORES = (1, 2, 3, 4, 5)
_KINDS = {kind.value: kind for kind in ProviderKind}


def _raw(column):
    """An enum column as its stored text: thousands of rows skip the type's conversion (the
    few distinct values are converted once, by key)."""
    return type_coerce(column, String).label(column.key)


class Grouping(StrEnum):
    """The report's `vis` parameter."""

    INDICATOR = "indikator"
    RECOMMENDATION = "anbefaling"
    THEME = "tema"
    KIND = "tilbudstype"

    @property
    def label(self) -> str:
        return {"indikator": "Pr. indikator", "anbefaling": "Pr. anbefaling",
                "tema": "Pr. tema", "tilbudstype": "Pr. tilbudstype"}[self.value]

    @classmethod
    def read(cls, value: str | None) -> Grouping:
        """The grouping named in the URL; the default for none or an unknown one."""
        try:
            return cls(value or cls.INDICATOR)
        except ValueError:
            return cls.INDICATOR


@dataclass(frozen=True)
class Row:
    label: str
    unit: IndicatorUnit | None      # None: the self-assessment 1–5
    direction: Direction
    cell: Cell

    @property
    def unit_label(self) -> str:
        return self.unit.label if self.unit else "Skala 1–5"


@dataclass(frozen=True)
class Group:
    heading: str
    rows: list[Row]


@dataclass(frozen=True)
class BenefitSummary:
    code: str
    text: str
    n: int
    mean: float | None
    counts: tuple[int, ...]         # ratings 1, 2, 3, 4, 5


@dataclass(frozen=True)
class EffectReport:
    grouping: Grouping
    groups: list[Group]
    benefits: list[BenefitSummary]

    @property
    def empty(self) -> bool:
        return not any(g.rows for g in self.groups)


# -- reading -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _IndicatorKey:
    area: OutcomeArea
    version: int
    number: int
    label: str
    unit: IndicatorUnit
    direction: Direction


@dataclass(frozen=True)
class _Value:
    engagement_id: int
    kind: ProviderKind
    measurement: Measurement


def _completed(filters: DashboardFilters) -> tuple:
    return (Engagement.phase == Phase.COMPLETED, *filters.engagement_clauses())


def _indicator_label(number: int, name: str, title: str, version: int) -> str:
    """ "3. Name", with the catalogue and its version after the first (as outcomes.py)."""
    label = f"{number}. {name}"
    return f"{label} ({title}, version {version})" if version > 1 else label


def _indicator_values(filters: DashboardFilters) -> dict[_IndicatorKey, list[_Value]]:
    ei = EngagementIndicator
    rows = db.session.execute(
        select(ei.engagement_id, ei.baseline_value, ei.end_value, ei.follow_up_value,
               ei.target_value, Indicator.number, Indicator.name,
               _raw(Indicator.outcome_area), _raw(Indicator.unit), _raw(Indicator.direction),
               IndicatorCatalogue.title, IndicatorCatalogue.version, _raw(Provider.kind))
        .join(Indicator, Indicator.id == ei.indicator_id)
        .join(IndicatorCatalogue, IndicatorCatalogue.id == Indicator.catalogue_id)
        .join(Engagement, Engagement.id == ei.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .where(*_completed(filters), ei.baseline_value.is_not(None), ei.end_value.is_not(None))
        .order_by(IndicatorCatalogue.version, Indicator.number, ei.engagement_id)).all()
    found: dict[_IndicatorKey, list[_Value]] = defaultdict(list)
    keys: dict[tuple[int, int], _IndicatorKey] = {}
    for r in rows:
        key = keys.get((r.version, r.number))
        if key is None:
            key = keys[r.version, r.number] = _IndicatorKey(
                OutcomeArea(r.outcome_area), r.version, r.number,
                _indicator_label(r.number, r.name, r.title, r.version),
                IndicatorUnit(r.unit), Direction(r.direction))
        found[key].append(_Value(r.engagement_id, _KINDS[r.kind], Measurement(
            r.baseline_value, r.end_value, r.follow_up_value, r.target_value)))
    return found


@dataclass(frozen=True)
class _RecommendationKey:
    catalogue: str                   # catalogue label, as outcomes.RecommendationOutcome
    code: str
    version: int
    number: int
    label: str


def _score(value: int | None) -> float | None:
    return None if value is None else float(value)


def _recommendation_values(filters: DashboardFilters
                           ) -> dict[_RecommendationKey, list[_Value]]:
    er = EngagementRecommendation
    rows = db.session.execute(
        select(er.engagement_id, er.baseline_score, er.final_score, er.follow_up_score,
               Recommendation.number, Recommendation.title, RecommendationCatalogue.code,
               RecommendationCatalogue.title.label("catalogue_title"),
               RecommendationCatalogue.version, _raw(Provider.kind))
        .join(Recommendation, Recommendation.id == er.recommendation_id)
        .join(RecommendationCatalogue, RecommendationCatalogue.id == Recommendation.catalogue_id)
        .join(Engagement, Engagement.id == er.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .where(*_completed(filters), er.baseline_score.is_not(None),
               er.final_score.is_not(None))
        .order_by(RecommendationCatalogue.code, RecommendationCatalogue.version,
                  Recommendation.number, er.engagement_id)).all()
    found: dict[_RecommendationKey, list[_Value]] = defaultdict(list)
    keys: dict[tuple[str, int, int], _RecommendationKey] = {}
    for r in rows:
        key = keys.get((r.code, r.version, r.number))
        if key is None:
            catalogue = (f"{r.catalogue_title} (version {r.version})" if r.version > 1
                         else r.catalogue_title)
            key = keys[r.code, r.version, r.number] = _RecommendationKey(
                catalogue, r.code, r.version, r.number, f"{r.number}. {r.title}")
        found[key].append(_Value(r.engagement_id, _KINDS[r.kind], Measurement(
            _score(r.baseline_score), _score(r.final_score), _score(r.follow_up_score))))
    return found


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def self_assessment_per_forloeb(values: Iterable[_Value]) -> list[_Value]:
    """Each forløb's self-assessment as one measurement: the mean baseline and end score
    over its recommendations scored at both, and the mean follow-up score over the same
    recommendations when every one of them has one (else none)."""
    per: dict[int, list[_Value]] = defaultdict(list)
    for v in values:
        if v.measurement.baseline is not None and v.measurement.end is not None:
            per[v.engagement_id].append(v)
    result = []
    for engagement_id, scored in sorted(per.items()):
        follow = [v.measurement.follow_up for v in scored]
        result.append(_Value(engagement_id, scored[0].kind, Measurement(
            _mean([v.measurement.baseline for v in scored]),
            _mean([v.measurement.end for v in scored]),
            None if None in follow else _mean(follow))))
    return result


def _themes_of(filters: DashboardFilters) -> tuple[list[tuple[int, str]], dict[int, set[int]]]:
    """Every active theme in order (a retired one only when a counted forløb has it) and
    the completed forløb of each that pass the filters."""
    links = db.session.execute(
        select(engagement_themes.c.theme_id, engagement_themes.c.engagement_id)
        .join(Engagement, Engagement.id == engagement_themes.c.engagement_id)
        .where(*_completed(filters))).all()
    members: dict[int, set[int]] = defaultdict(set)
    for theme_id, engagement_id in links:
        members[theme_id].add(engagement_id)
    themes = db.session.execute(
        select(Theme.id, Theme.name, Theme.active).order_by(Theme.position, Theme.id)).all()
    return [(t.id, t.name) for t in themes if t.active or members[t.id]], members


# -- building the rows --------------------------------------------------------------------

def _indicator_rows(indicators: dict[_IndicatorKey, list[_Value]],
                    keep=lambda v: True) -> list[tuple[_IndicatorKey, Row]]:
    rows = []
    for key, values in indicators.items():
        chosen = [v.measurement for v in values if keep(v)]
        if chosen:
            rows.append((key, Row(key.label, key.unit, key.direction,
                                  cell(chosen, key.direction))))
    return rows


def _by_indicator(indicators) -> list[Group]:
    rows = _indicator_rows(indicators)
    return [Group(area.label, [row for key, row in rows if key.area == area])
            for area in OutcomeArea if any(key.area == area for key, _ in rows)]


def _by_recommendation(recommendations) -> list[Group]:
    groups: dict[str, list[Row]] = {}
    for key, values in recommendations.items():
        groups.setdefault(key.catalogue, []).append(Row(
            key.label, None, Direction.HIGHER,
            cell([v.measurement for v in values], Direction.HIGHER)))
    return [Group(heading, rows) for heading, rows in groups.items()]


def _subset_group(heading: str, indicators, self_assessment: list[_Value], keep) -> Group:
    rows = [row for _, row in _indicator_rows(indicators, keep)]
    mine = [v.measurement for v in self_assessment if keep(v)]
    rows.append(Row(SELF_ASSESSMENT, None, Direction.HIGHER, cell(mine, Direction.HIGHER)))
    return Group(heading, rows)


def _by_theme(filters, indicators, recommendations) -> list[Group]:
    themes, members = _themes_of(filters)
    assessed = self_assessment_per_forloeb(v for vs in recommendations.values() for v in vs)
    return [_subset_group(name, indicators, assessed,
                          lambda v, ids=members[theme_id]: v.engagement_id in ids)
            for theme_id, name in themes]


def _by_kind(indicators, recommendations) -> list[Group]:
    assessed = self_assessment_per_forloeb(v for vs in recommendations.values() for v in vs)
    return [_subset_group(kind.label, indicators, assessed,
                          lambda v, kind=kind: v.kind == kind)
            for kind in ProviderKind]


def benefit_summaries(filters: DashboardFilters = NO_FILTERS) -> list[BenefitSummary]:
    """Per benefit (domain.expectations.BENEFITS, in order): ratings 1–5 of the completed
    forløb, their number, mean and distribution."""
    rows = db.session.execute(
        select(BenefitRating.benefit_code, BenefitRating.score, func.count().label("n"))
        .join(Engagement, Engagement.id == BenefitRating.engagement_id)
        .where(*_completed(filters))
        .group_by(BenefitRating.benefit_code, BenefitRating.score)).all()
    counts = {(r.benefit_code, r.score): int(r.n) for r in rows}
    result = []
    for benefit in BENEFITS:
        per_score = tuple(counts.get((benefit.code, s), 0) for s in SCORES)
        n = sum(per_score)
        mean = sum(s * c for s, c in zip(SCORES, per_score, strict=True)) / n if n else None
        result.append(BenefitSummary(benefit.code, benefit.text, n, mean, per_score))
    return result


def effect_report(grouping: Grouping | str = Grouping.INDICATOR,
                  filters: DashboardFilters = NO_FILTERS) -> EffectReport:
    """The report for one grouping: a fixed number of statements (two to five)."""
    grouping = Grouping(grouping)
    if grouping == Grouping.INDICATOR:
        groups = _by_indicator(_indicator_values(filters))
    elif grouping == Grouping.RECOMMENDATION:
        groups = _by_recommendation(_recommendation_values(filters))
    elif grouping == Grouping.THEME:
        groups = _by_theme(filters, _indicator_values(filters), _recommendation_values(filters))
    else:
        groups = _by_kind(_indicator_values(filters), _recommendation_values(filters))
    return EffectReport(grouping, groups, benefit_summaries(filters))
