"""Documented effect in the synthetic data set: indicators with baseline, target, end and
follow-up, self-assessment scores and benefit ratings, with an effect planted for some
indicators and recommendations and none for others, so the effect report can be checked at
scale (tests/test_effect_report.py reads the constants below).

The noise is paired: for each indicator (and recommendation), every second completed forløb
gets the opposite of the previous one's noise. So the mean change over all completed forløb
is the planted effect (exactly for an even count, within one noise draw / n for an odd one),
and the planted effects are at least 1/0.6 times the largest noise: the t-interval excludes 0
from five forløb on, and includes it where nothing was planted.
"""

from __future__ import annotations

import random

from sqlalchemy import select

from ..domain.expectations import BENEFITS
from ..domain.indicators import DEFAULT_FOLLOW_UP_MONTHS, follow_up_date
from ..domain.phases import Phase
from ..extensions import db
from ..models import (
    BenefitRating,
    EngagementIndicator,
    Indicator,
    IndicatorCatalogue,
    Recommendation,
)

# Indicator number (catalogue version 1, migration 0012) → planted mean improvement at the
# end, in the indicator's unit and signed by its direction (positive = better); 0: none.
PLANTED_INDICATOR_EFFECTS: dict[int, float] = {
    1: 15.0,   # % borgere med en plan (higher)
    2: 0.8,    # trivsel 1–5 (higher)
    3: 0.0,    # % sundhedstjek
    4: 10.0,   # % i en fællesskabsaktivitet (higher)
    5: 0.0,    # tilfredshed 1–5
    6: 0.0,    # pårørendes tilfredshed 1–5
    7: 2.0,    # antal overgået til mindre indgribende indsats (higher)
    8: 3.0,    # magtanvendelser (lower: 3 fewer)
    9: 0.0,    # dage indlagt (lower)
    10: 0.0,   # % i uddannelse eller beskæftigelse
}
# Recommendation numbers (in both catalogues) whose self-assessment rises by 2 on average
# from the analysis phase to the end; the others do not move on average.
PLANTED_RECOMMENDATIONS = frozenset({1, 2, 3})
RECOMMENDATION_EFFECT = 2
# Baseline range and the largest noise where nothing is planted, per unit.
_BASELINES = {"percent": (20, 50), "scale": (2.0, 3.0), "count": (2, 8), "days": (8, 30)}
_NOISE = {"percent": 12.0, "scale": 0.7, "count": 2, "days": 4}
_LOWER_COUNT_BASELINE = (6, 14)
PLANTED_NOISE_SHARE = 0.6   # planted: the noise is at most this share of the effect
EFFECT_SEED_OFFSET = 15     # the effect data draw from their own generator


class EffectRows:
    """Mixin for large.Generator (through EngagementRows)."""

    def load_indicators(self) -> None:
        self.effect_rng = random.Random(self.seed + EFFECT_SEED_OFFSET)
        self.indicators = [
            (r.id, r.number, r.unit.value, r.direction.value) for r in db.session.execute(
                select(Indicator.id, Indicator.number, Indicator.unit, Indicator.direction)
                .join(IndicatorCatalogue, IndicatorCatalogue.id == Indicator.catalogue_id)
                .where(IndicatorCatalogue.version == 1).order_by(Indicator.number))]
        self.recommendation_numbers = dict(db.session.execute(
            select(Recommendation.id, Recommendation.number)).all())
        self._pairs: dict[tuple, tuple[int, float]] = {}
        self._followed_up: set[int] = set()

    def follow_up_due(self, engagement_id: int, completed_on):
        due = follow_up_date(min(completed_on, self.today), DEFAULT_FOLLOW_UP_MONTHS)
        if due <= self.today:
            self._followed_up.add(engagement_id)
        return due

    def followed_up(self, engagement_id: int) -> bool:
        return engagement_id in self._followed_up

    def _paired(self, key: tuple, draw) -> float:
        """Noise that cancels over every two forløb: d, then -d, then a new d, …"""
        count, previous = self._pairs.get(key, (0, 0.0))
        value = draw() if count % 2 == 0 else -previous
        self._pairs[key] = (count + 1, value)
        return value

    # --- self-assessment ---------------------------------------------------------------
    def _recommendation_number(self, recommendation_id: int) -> int:
        return self.recommendation_numbers[recommendation_id]

    def self_assessment_baseline(self, recommendation_id: int) -> int:
        planted = self._recommendation_number(recommendation_id) in PLANTED_RECOMMENDATIONS
        return self.effect_rng.randint(1, 2) if planted else self.effect_rng.randint(2, 4)

    def self_assessment_after(self, recommendation_id: int, baseline: int
                              ) -> tuple[int, int]:
        """(final, follow-up) of a completed forløb, both within 1–5."""
        rng = self.effect_rng
        planted = self._recommendation_number(recommendation_id) in PLANTED_RECOMMENDATIONS
        noise = round(self._paired(("rec", recommendation_id),
                                   lambda: rng.choice((-1, 0, 1))))
        if planted:
            final = baseline + RECOMMENDATION_EFFECT + noise
            return final, final
        final = baseline + noise
        follow = baseline + round(self._paired(("rec-fu", recommendation_id),
                                               lambda: rng.choice((-1, 0, 1))))
        return final, follow

    # --- indicators and benefits -------------------------------------------------------
    def effect(self, engagement_id: int, phase: Phase, completed_on, rater: int) -> None:
        rng = self.effect_rng
        completed = phase == Phase.COMPLETED
        followed = self.followed_up(engagement_id)
        for indicator_id, number, unit, direction in rng.sample(
                self.indicators, rng.randint(3, 5)):
            self._indicator(engagement_id, indicator_id, number, unit, direction,
                            completed, followed, completed_on)
        if completed:
            for benefit in BENEFITS:
                self.add(BenefitRating, {
                    "id": self.ids.take(BenefitRating), "engagement_id": engagement_id,
                    "benefit_code": benefit.code, "score": rng.choice((2, 3, 4, 4, 5)),
                    "comment": "", "rated_by_id": None, "rated_at": self.at(completed_on)})

    def _indicator(self, engagement_id, indicator_id, number, unit, direction, completed,
                   followed, completed_on) -> None:
        rng = self.effect_rng
        whole = unit in ("count", "days")
        sign = 1 if direction == "higher" else -1
        effect = PLANTED_INDICATOR_EFFECTS.get(number, 0.0)
        low, high = _LOWER_COUNT_BASELINE if (unit == "count" and sign < 0) else _BASELINES[unit]
        baseline = rng.randint(low, high) if whole else round(rng.uniform(low, high), 1)
        largest = PLANTED_NOISE_SHARE * effect if effect else _NOISE[unit]

        def draw() -> float:
            return rng.randint(0, int(largest)) if whole else round(rng.uniform(0, largest), 1)

        def value(gain: float) -> float:
            return round(baseline + sign * gain, 1)

        step = effect or _NOISE[unit] / 2
        row = {"id": self.ids.take(EngagementIndicator), "engagement_id": engagement_id,
               "indicator_id": indicator_id, "baseline_value": float(baseline),
               "baseline_date": None, "target_value": value(round(step) if whole else step),
               "end_value": None, "end_date": None, "follow_up_value": None,
               "follow_up_date": None, "created_at": self.now, "updated_at": self.now}
        if completed:
            row["end_value"] = value(effect + self._paired(("end", number), draw))
            row["end_date"] = completed_on
            if followed:
                kept = round(0.75 * effect) if whole else 0.75 * effect
                row["follow_up_value"] = value(kept + self._paired(("fu", number), draw))
        self.add(EngagementIndicator, row)
