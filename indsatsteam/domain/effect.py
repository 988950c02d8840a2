"""The programme effect report's statistics: from each forløb's baseline, end, follow-up and
target for one indicator (or one self-assessment), how many improved, by how much, and how
sure we can be of the mean.

Pure: values in, a `Cell` out. Improvement is signed by the indicator's direction
(domain.indicators.improvement), so a positive number is always better, also where lower is
better. The interval is Student's t-interval for the mean improvement (95 %), with the t
quantiles from a table (df 1–30, 40, 60, 120, ∞) interpolated linearly in 1/df between
rows: no scipy. It assumes the forløb are independent and their improvements roughly
normal; with few forløb that assumption carries much weight, hence MIN_FORLOEB.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from .indicators import Direction, improvement, reached_target

MIN_FORLOEB = 5
CONFIDENCE = 0.95
INTERVAL_NAME = "t-interval"

# Two-sided 95 %: the 0.975 quantile of Student's t with df degrees of freedom.
_T_975: dict[int, float] = {
    1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469, 7: 2.3646,
    8: 2.3060, 9: 2.2622, 10: 2.2281, 11: 2.2010, 12: 2.1788, 13: 2.1604, 14: 2.1448,
    15: 2.1314, 16: 2.1199, 17: 2.1098, 18: 2.1009, 19: 2.0930, 20: 2.0860, 21: 2.0796,
    22: 2.0739, 23: 2.0687, 24: 2.0639, 25: 2.0595, 26: 2.0555, 27: 2.0518, 28: 2.0484,
    29: 2.0452, 30: 2.0423, 40: 2.0211, 60: 2.0003, 120: 1.9799,
}
_T_INFINITY = 1.9600


def t_quantile(df: int) -> float:
    """The 0.975 quantile of t with `df` degrees of freedom (df ≥ 1): from the table, and
    between its rows interpolated linearly in 1/df (exact to three decimals)."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if df in _T_975:
        return _T_975[df]
    rows = sorted(_T_975)
    above = next((d for d in rows if d > df), None)
    below = max(d for d in rows if d < df)
    x, x_below = 1 / df, 1 / below
    x_above, t_above = (1 / above, _T_975[above]) if above else (0.0, _T_INFINITY)
    t_below = _T_975[below]
    return t_below + (t_above - t_below) * (x - x_below) / (x_above - x_below)


@dataclass(frozen=True)
class Measurement:
    """One forløb's values for one indicator (or self-assessment): None where not given."""

    baseline: float | None
    end: float | None
    follow_up: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Change:
    """Improvements (positive = better) of the forløb that have both values."""

    n: int
    median: float | None
    mean: float | None
    interval: Interval | None   # None below two forløb

    @property
    def too_few(self) -> bool:
        return self.n < MIN_FORLOEB


@dataclass(frozen=True)
class Cell:
    """One row of the report. `n`: forløb with a baseline and an end measurement; every
    other figure is about those forløb."""

    n: int
    to_end: Change
    to_follow_up: Change        # of the n, those with a follow-up too
    with_target: int            # of the n, those with a target
    reached: int                # of those, at or beyond the target at the end
    improved_with_follow_up: int  # of the n, better at the end and with a follow-up
    kept: int                   # of those, still better than the baseline at follow-up

    @property
    def too_few(self) -> bool:
        return self.n < MIN_FORLOEB

    @property
    def share_reached(self) -> float | None:
        return self.reached / self.with_target if self.with_target else None

    @property
    def share_kept(self) -> float | None:
        return self.kept / self.improved_with_follow_up if self.improved_with_follow_up else None


def change(improvements: Iterable[float]) -> Change:
    """Median, mean and 95 % t-interval of the mean; all equal values give a zero-width
    interval, one value none."""
    values = list(improvements)
    if not values:
        return Change(0, None, None, None)
    n = len(values)
    exact_mean = math.fsum(values) / n
    # Rounded far below any shown decimal, so that float noise (5e-16) is not a "+0,0".
    mean = round(exact_mean, 9) + 0.0
    interval = None
    if n > 1:
        # The sample standard deviation in floats (statistics.stdev computes in fractions:
        # exact, and a hundred times slower over a few thousand forløb).
        sd = math.sqrt(math.fsum((x - exact_mean) ** 2 for x in values) / (n - 1))
        half = t_quantile(n - 1) * sd / math.sqrt(n)
        interval = Interval(round(mean - half, 9) + 0.0, round(mean + half, 9) + 0.0)
    return Change(len(values), statistics.median(values), mean, interval)


def cell(measurements: Iterable[Measurement], direction: Direction | str) -> Cell:
    """The report's figures for one indicator (or self-assessment) over some forløb."""
    counted = [m for m in measurements if m.baseline is not None and m.end is not None]
    to_end = [improvement(m.baseline, m.end, direction) for m in counted]
    to_follow_up = [improvement(m.baseline, m.follow_up, direction)
                    for m in counted if m.follow_up is not None]
    targeted = [m for m in counted if m.target is not None]
    reached = sum(1 for m in targeted if reached_target(m.end, m.target, direction))
    improved = [m for m, gain in zip(counted, to_end, strict=True)
                if gain > 0 and m.follow_up is not None]
    kept = sum(1 for m in improved if improvement(m.baseline, m.follow_up, direction) > 0)
    return Cell(n=len(counted), to_end=change(to_end), to_follow_up=change(to_follow_up),
                with_target=len(targeted), reached=reached,
                improved_with_follow_up=len(improved), kept=kept)
