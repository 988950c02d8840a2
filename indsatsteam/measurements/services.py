"""Documented effect in one forløb: the indicators agreed in the samarbejdsaftale with their
baseline and target, the end measurement in the development phase, the follow-up after the
forløb (indicators and the self-assessment per chosen recommendation), and the tilbud's
rating of the four benefits.

Both sides act through here (`side`); domain.indicators and domain.expectations decide who
may change what when. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import clock
from ..admin.indicator_services import current_indicators
from ..claims import lock
from ..development.values import agreement_is_agreed, chosen_rows
from ..domain.engagements import check_self_assessment
from ..domain.errors import DomainError
from ..domain.expectations import BENEFITS, Side, check_may_edit_expectations
from ..domain.indicators import (
    FollowUpState,
    MeasurementStage,
    check_indicator_count,
    check_may_measure,
    check_value,
    follow_up_date,
    improvement,
)
from ..domain.phases import Phase
from ..models import (
    BenefitRating,
    Engagement,
    EngagementIndicator,
    EngagementRecommendation,
    Indicator,
    User,
)
from ..notifications import events

MAX_COMMENT = 2000


# --- reading ---------------------------------------------------------------------------------

def agreed_indicators(engagement: Engagement) -> list[EngagementIndicator]:
    return sorted(engagement.indicators, key=lambda r: (r.indicator.number, r.id))


def indicator_choices(engagement: Engagement) -> list[Indicator]:
    """What a forløb can choose from: the current catalogue, and the indicators it already
    agreed on (perhaps of an older version), each once, by number."""
    seen: dict[int, Indicator] = {i.id: i for i in current_indicators()}
    for row in engagement.indicators:
        seen.setdefault(row.indicator_id, row.indicator)
    return sorted(seen.values(), key=lambda i: (i.number, i.catalogue_id))


def indicators_missing(engagement: Engagement) -> list[str]:
    """What the samarbejdsaftale still lacks about indicators (Danish); [] when ready."""
    rows = engagement.indicators
    if not rows:
        return ["mindst én indikator med udgangspunkt og mål"]
    incomplete = [r.indicator.name for r in agreed_indicators(engagement)
                  if r.baseline_value is None or r.baseline_date is None
                  or r.target_value is None]
    if incomplete:
        return ["udgangspunkt og mål for " + ", ".join(incomplete)]
    return []


def without_end_measurement(engagement: Engagement) -> tuple[str, ...]:
    """The names of agreed indicators without an end measurement."""
    return tuple(r.indicator.name for r in agreed_indicators(engagement) if r.end_value is None)


def follow_up_state(engagement: Engagement) -> FollowUpState:
    """Received once every agreed indicator and every self-assessed recommendation has its
    follow-up value. A forløb with nothing to measure again (agreed before indicators
    existed, and never self-assessed) has no follow-up: `due` is None."""
    indicators = engagement.indicators
    # Not chosen_rows: its order needs each row's recommendation, which the reminder sweep
    # does not load.
    assessed = [r for r in engagement.recommendations
                if r.chosen_at is not None and r.final_score is not None]
    if engagement.phase != Phase.COMPLETED or not (indicators or assessed):
        return FollowUpState(due=None, received=False)
    received = all(r.follow_up_value is not None for r in indicators) and all(
        r.follow_up_score is not None for r in assessed)
    return FollowUpState(due=engagement.follow_up_due, received=received)


def benefit_ratings(engagement: Engagement) -> dict[str, BenefitRating]:
    return {r.benefit_code: r for r in engagement.benefit_ratings}


# --- the indicators of the samarbejdsaftale --------------------------------------------------

@dataclass(frozen=True)
class Measurement:
    """One value as a form gives it; `field` names the form field for a refusal."""

    value: float | None
    on: date | None = None
    target: float | None = None
    field: str = ""


def choose_indicators(engagement: Engagement, side: Side | str, indicator_ids: list[int]
                      ) -> None:
    """Agree on 1–5 indicators. A new one gets an empty row; one left out is removed with its
    values. Edited with the samarbejdsaftale: by both sides until it is agreed, then by the
    team."""
    lock(engagement)
    check_may_edit_expectations(side, engagement.phase, agreement_is_agreed(engagement))
    valid = {i.id: i for i in indicator_choices(engagement)}
    wanted = [i for i in dict.fromkeys(indicator_ids) if i in valid]
    check_indicator_count(len(wanted))
    rows = {r.indicator_id: r for r in engagement.indicators}
    for indicator_id, row in rows.items():
        if indicator_id in wanted:
            continue
        if row.end_value is not None or row.follow_up_value is not None:
            # Its measurements are the forløb's documented effect: never lost by a click.
            raise DomainError(f"{row.indicator.name} er allerede målt ved afslutningen og kan "
                              "ikke fjernes", field=f"{indicator_prefix(indicator_id)}chosen")
        engagement.indicators.remove(row)
    for indicator_id in wanted:
        if indicator_id not in rows:
            engagement.indicators.append(EngagementIndicator(indicator=valid[indicator_id]))


def save_baselines(engagement: Engagement, side: Side | str,
                   values: dict[int, Measurement], *, today: date) -> None:
    """Baseline (value and date) and target per agreed indicator (indicator id → Measurement). A
    draft may leave values out; agreeing the samarbejdsaftale needs them all."""
    lock(engagement)
    check_may_edit_expectations(side, engagement.phase, agreement_is_agreed(engagement))
    for row in engagement.indicators:
        given = values.get(row.indicator_id)
        if given is None:
            continue
        unit = row.indicator.unit
        row.baseline_value = (None if given.value is None
                              else check_value(given.value, unit, field=f"{given.field}value"))
        row.target_value = (None if given.target is None
                            else check_value(given.target, unit, field=f"{given.field}target"))
        if given.on is not None and given.on > today:
            raise DomainError("Udgangspunktet kan ikke være målt i fremtiden",
                              field=f"{given.field}on")
        row.baseline_date = given.on
        gain = improvement(row.baseline_value, row.target_value, row.indicator.direction)
        if gain is not None and gain <= 0:
            raise DomainError("Målet skal være bedre end udgangspunktet ("
                              f"{row.indicator.direction.label.lower()})",
                              field=f"{given.field}target")
    if Side(side) == Side.TILBUD:
        events.tilbud_wrote(engagement, "indikatorerne", "effekt")


def save_measurements(engagement: Engagement, side: Side | str, stage: MeasurementStage | str,
                      values: dict[int, Measurement], *, today: date,
                      scores: dict[int, int | None] | None = None) -> None:
    """The end measurement (development phase) or the follow-up (from its date, in the
    completed forløb) of every agreed indicator (indicator id → Measurement); the follow-up
    also takes the self-assessment again for each chosen recommendation scored at the end
    (`scores`: engagement recommendation id → 1–5)."""
    side, stage = Side(side), MeasurementStage(stage)
    if stage == MeasurementStage.BASELINE:
        raise ValueError("the baseline is saved with save_baselines")
    lock(engagement)
    was_received = follow_up_state(engagement).received
    check_may_measure(stage, engagement.phase, follow_up_due=engagement.follow_up_due,
                      today=today)
    for row in engagement.indicators:
        given = values.get(row.indicator_id) or Measurement(
            None, field=indicator_prefix(row.indicator_id))
        value = check_value(given.value, row.indicator.unit, field=f"{given.field}value")
        on = given.on or today
        if on > today:
            raise DomainError("Målingen kan ikke være foretaget i fremtiden",
                              field=f"{given.field}on")
        earlier = row.baseline_date if stage == MeasurementStage.END else row.end_date
        if earlier is not None and on < earlier:
            raise DomainError("Målingen kan ikke være foretaget før den forrige måling",
                              field=f"{given.field}on")
        if stage == MeasurementStage.END:
            row.end_value, row.end_date = value, on
        else:
            row.follow_up_value, row.follow_up_date = value, on
    if stage == MeasurementStage.FOLLOW_UP:
        for row in chosen_rows(engagement):
            if row.final_score is not None:
                row.follow_up_score = check_self_assessment(
                    (scores or {}).get(row.id), field=score_field(row))
        if side == Side.TILBUD and not was_received and follow_up_state(engagement).received:
            events.follow_up_received(engagement)  # same transaction: never lost, never extra
    elif side == Side.TILBUD:
        events.tilbud_wrote(engagement, "slutmålingen", "effekt")


def indicator_prefix(indicator_id: int) -> str:
    """The form fields of one indicator: i12_value, i12_on, i12_target."""
    return f"i{indicator_id}_"


def score_field(row: EngagementRecommendation) -> str:
    return f"score_{row.id}"


def start_follow_up(engagement: Engagement, months: int) -> None:
    """On completion: the follow-up falls due `months` after the end. Reopening clears it."""
    if engagement.phase == Phase.COMPLETED and engagement.actual_end is not None:
        engagement.follow_up_due = follow_up_date(engagement.actual_end, months)
    else:
        engagement.follow_up_due = None


# --- the four benefits ---------------------------------------------------------------------------

BENEFITS_REFUSAL = ("De fire udbytter vurderes ved afslutningen: i udviklingsfasen eller når "
                    "forløbet er afsluttet.")


def may_rate_benefits(engagement: Engagement) -> bool:
    return engagement.phase in (Phase.DEVELOPMENT, Phase.COMPLETED)


def save_benefit_ratings(engagement: Engagement, side: Side | str,
                         ratings: dict[str, tuple[int | None, str]], actor: User | None) -> None:
    """benefit code → (1–5, comment), all four. Given at the end: in the development phase or
    after completion."""
    Side(side)
    lock(engagement)
    if not may_rate_benefits(engagement):
        raise DomainError(BENEFITS_REFUSAL)
    existing = benefit_ratings(engagement)
    for benefit in BENEFITS:
        score, comment = ratings.get(benefit.code, (None, ""))
        score = check_self_assessment(score, field=f"benefit_{benefit.code}")
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise DomainError(f"Skriv højst {MAX_COMMENT} tegn", field=f"comment_{benefit.code}")
        row = existing.get(benefit.code)
        if row is None:
            row = BenefitRating(benefit_code=benefit.code, score=score)
            engagement.benefit_ratings.append(row)
        row.score, row.comment, row.rated_by, row.rated_at = score, comment, actor, clock.now()
    if Side(side) == Side.TILBUD:
        events.tilbud_wrote(engagement, "vurderingen af forløbets udbytte", "effekt")
