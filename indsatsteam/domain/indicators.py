"""Documented effect: the indicators a forløb agrees on, their measurements, the follow-up
after the forløb and the tilbud's rating of what the forløb promised (seed 003).

The five outcome areas are those the initiative names for citizens (seed 000). Pure rules:
values in, values out or a DomainError.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .danish_time import format_danish_date
from .errors import DomainError
from .phases import Phase

MIN_INDICATORS = 1
MAX_INDICATORS = 5
DEFAULT_FOLLOW_UP_MONTHS = 6
# Asked again this many days after the follow-up date while nothing came in.
FOLLOW_UP_REMINDER_DAYS = "0,14"


class OutcomeArea(StrEnum):
    """ "Initiativet skal bidrage til: …" (seed 000), in its order."""

    WELLBEING = "wellbeing"
    COMMUNITY = "community"
    SATISFACTION = "satisfaction"
    LESS_INTRUSIVE = "less_intrusive"
    EDUCATION_EMPLOYMENT = "education_employment"

    @property
    def label(self) -> str:
        return _AREA_LABELS[self]


_AREA_LABELS = {
    OutcomeArea.WELLBEING: "Trivsel, sundhed og mestring",
    OutcomeArea.COMMUNITY: "Deltagelse i lokalsamfundets fællesskaber",
    OutcomeArea.SATISFACTION: "Tilfredshed med indsatsen",
    OutcomeArea.LESS_INTRUSIVE: "Behov for mindre indgribende indsatser",
    OutcomeArea.EDUCATION_EMPLOYMENT: "Uddannelse og beskæftigelse",
}


class IndicatorUnit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    SCALE = "scale"
    DAYS = "days"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]

    @property
    def suffix(self) -> str:
        """After a value: "42 %", "3,5 (1–5)", "12 dage"."""
        return _UNIT_SUFFIXES[self]

    @property
    def bounds(self) -> tuple[float, float]:
        return _UNIT_BOUNDS[self]


_UNIT_LABELS = {
    IndicatorUnit.COUNT: "Antal",
    IndicatorUnit.PERCENT: "Andel i %",
    IndicatorUnit.SCALE: "Skala 1–5",
    IndicatorUnit.DAYS: "Dage",
}
_UNIT_SUFFIXES = {
    IndicatorUnit.COUNT: "",
    IndicatorUnit.PERCENT: " %",
    IndicatorUnit.SCALE: " (1–5)",
    IndicatorUnit.DAYS: " dage",
}
_UNIT_BOUNDS = {
    IndicatorUnit.COUNT: (0, 100_000),
    IndicatorUnit.PERCENT: (0, 100),
    IndicatorUnit.SCALE: (1, 5),
    IndicatorUnit.DAYS: (0, 3_650),
}


class Direction(StrEnum):
    """Which way counts as better."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return "Højere er bedre" if self == Direction.HIGHER else "Lavere er bedre"

    @property
    def sign(self) -> int:
        return 1 if self == Direction.HIGHER else -1


def check_value(value: float | None, unit: IndicatorUnit | str, *, field: str) -> float:
    """A measurement within its unit's range (a share 0–100, a scale 1–5, …)."""
    unit = IndicatorUnit(unit)
    if value is None:
        raise DomainError("Angiv en værdi", field=field)
    low, high = unit.bounds
    if not low <= value <= high:
        raise DomainError(f"Værdien skal ligge mellem {_number(low)} og {_number(high)}"
                          f"{unit.suffix}", field=field)
    if unit in (IndicatorUnit.COUNT, IndicatorUnit.DAYS) and value != int(value):
        raise DomainError("Angiv et helt tal", field=field)
    return float(value)


def improvement(baseline: float | None, value: float | None,
                direction: Direction | str) -> float | None:
    """The change from the baseline, signed so that positive is better; None without both."""
    if baseline is None or value is None:
        return None
    return (value - baseline) * Direction(direction).sign


def reached_target(value: float | None, target: float | None,
                   direction: Direction | str) -> bool | None:
    """Whether a measurement is at or beyond the target; None without both."""
    if value is None or target is None:
        return None
    return (value - target) * Direction(direction).sign >= 0


def check_indicator_count(count: int) -> None:
    if count < MIN_INDICATORS:
        raise DomainError("Vælg mindst én indikator", field="indicators")
    if count > MAX_INDICATORS:
        raise DomainError(f"Vælg højst {MAX_INDICATORS} indikatorer", field="indicators")


def follow_up_date(completed_on: date, months: int = DEFAULT_FOLLOW_UP_MONTHS) -> date:
    """The date `months` after completion; the 31st becomes the month's last day."""
    month_index = completed_on.month - 1 + months
    year, month = completed_on.year + month_index // 12, month_index % 12 + 1
    day = min(completed_on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


class MeasurementStage(StrEnum):
    """Which measurement of an indicator (and self-assessment) is taken now."""

    BASELINE = "baseline"
    END = "end"
    FOLLOW_UP = "follow_up"

    @property
    def label(self) -> str:
        return {"baseline": "Udgangspunkt", "end": "Slutmåling",
                "follow_up": "Opfølgning"}[self.value]


@dataclass(frozen=True)
class FollowUpState:
    """Where a completed forløb's follow-up stands, for the badge and the portal."""

    due: date | None        # None: not completed (or completed before follow-up existed)
    received: bool          # every indicator and chosen recommendation measured again

    def pending(self, today: date) -> bool:
        """ "Opfølgning afventer": due today or earlier and not all in."""
        return self.due is not None and not self.received and today >= self.due


def check_may_measure(stage: MeasurementStage | str, phase: Phase | str, *,
                      follow_up_due: date | None, today: date) -> None:
    """The end measurement is taken in the development phase, before the final evaluation;
    the follow-up from its date on, in the completed forløb (which stays open for it). The
    baseline belongs to the samarbejdsaftale (domain.expectations decides)."""
    stage, phase = MeasurementStage(stage), Phase(phase)
    if phase == Phase.CANCELLED:
        raise DomainError("Forløbet er annulleret, så der måles ikke længere.")
    if stage == MeasurementStage.END:
        if phase != Phase.DEVELOPMENT:
            raise DomainError("Slutmålingen gives i udviklingsfasen, før den afsluttende "
                              "evaluering.")
    elif stage == MeasurementStage.FOLLOW_UP:
        if phase != Phase.COMPLETED or follow_up_due is None:
            raise DomainError("Opfølgningen gives, når forløbet er afsluttet.")
        if today < follow_up_due:
            raise DomainError("Opfølgningen kan gives fra "
                              f"{format_danish_date(follow_up_due)}.")
    else:
        raise ValueError("the baseline is part of the samarbejdsaftale")


def missing_end_measurements(indicator_names_without_end: tuple[str, ...]) -> str:
    return ("Den afsluttende evaluering kan først registreres, når hver aftalt indikator har "
            "en slutmåling. Den mangler for: " + ", ".join(indicator_names_without_end))


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")
