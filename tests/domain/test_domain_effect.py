"""The effect report's statistics against answers worked out by hand (shown beside each)."""

from __future__ import annotations

import math

import pytest

from indsatsteam.domain.effect import (
    MIN_FORLOEB,
    Interval,
    Measurement,
    cell,
    change,
    t_quantile,
)
from indsatsteam.domain.indicators import Direction


def test_higher_is_better_mean_median_and_t_interval():
    # improvements 2, 1, 0, 3, 2: mean 8/5 = 1.6, median 2;
    # squared deviations .16 + .36 + 2.56 + 1.96 + .16 = 5.2, variance 5.2/4 = 1.3,
    # se = sqrt(1.3/5) = 0.509902, t(4) = 2.7764, half width 1.415692.
    result = cell([Measurement(2, 4), Measurement(3, 4), Measurement(2, 2), Measurement(1, 4),
                   Measurement(3, 5)], Direction.HIGHER)
    assert result.n == 5 and not result.too_few
    assert result.to_end.median == 2
    assert result.to_end.mean == pytest.approx(1.6)
    assert result.to_end.interval.low == pytest.approx(1.6 - 1.415692, abs=1e-5)
    assert result.to_end.interval.high == pytest.approx(1.6 + 1.415692, abs=1e-5)
    assert not result.to_end.interval.contains(0)
    assert result.to_follow_up.n == 0 and result.to_follow_up.mean is None
    assert result.share_reached is None and result.share_kept is None


def test_lower_is_better_turns_the_sign_and_the_target():
    # 10 → 6 is 4 better, 8 → 9 one worse, 5 → 5 unchanged: mean 1, median 0;
    # deviations 3, -2, -1: variance 14/2 = 7, se = sqrt(7/3) = 1.527525,
    # t(2) = 4.3027, half width 6.572483.
    result = cell([Measurement(10, 6, target=7), Measurement(8, 9, target=7),
                   Measurement(5, 5, target=4)], Direction.LOWER)
    assert (result.to_end.mean, result.to_end.median) == (1, 0)
    assert result.to_end.interval.low == pytest.approx(1 - 6.572483, abs=1e-5)
    assert result.to_end.interval.high == pytest.approx(1 + 6.572483, abs=1e-5)
    assert result.to_end.interval.contains(0)
    # 6 ≤ 7 reached; 9 > 7 and 5 > 4 not.
    assert (result.with_target, result.reached, result.share_reached) == (3, 1, 1 / 3)
    assert result.too_few and MIN_FORLOEB == 5


def test_missing_follow_up_and_missing_end():
    result = cell([
        Measurement(2, 4, follow_up=3),       # better at the end, still better: kept
        Measurement(2, 4, follow_up=2),       # better at the end, back at baseline: not kept
        Measurement(2, 5),                    # better, no follow-up yet: not asked
        Measurement(3, 2, follow_up=4),       # worse at the end: not asked about keeping
        Measurement(3, None, follow_up=5),    # no end measurement: not counted at all
        Measurement(None, 4),                 # no baseline: not counted
    ], Direction.HIGHER)
    assert result.n == 4
    assert result.to_end.mean == pytest.approx((2 + 2 + 3 - 1) / 4)
    # To follow-up: 1, 0, 1 → mean 2/3, median 1.
    assert result.to_follow_up.n == 3
    assert result.to_follow_up.mean == pytest.approx(2 / 3)
    assert result.to_follow_up.median == 1
    assert (result.improved_with_follow_up, result.kept, result.share_kept) == (2, 1, 0.5)


def test_one_forloeb_has_no_interval():
    result = cell([Measurement(1, 3, follow_up=4, target=3)], Direction.HIGHER)
    assert result.n == 1 and result.too_few
    assert (result.to_end.median, result.to_end.mean, result.to_end.interval) == (2, 2, None)
    assert result.to_follow_up.mean == 3 and result.to_follow_up.interval is None
    assert result.share_reached == 1 and result.share_kept == 1


def test_all_equal_values_give_a_zero_width_interval():
    result = cell([Measurement(40, 50)] * 6, Direction.HIGHER)
    assert result.to_end.interval == Interval(10, 10)
    assert result.to_end.median == result.to_end.mean == 10
    assert change([0, 0]).interval == Interval(0, 0)


def test_nothing_measured():
    result = cell([], Direction.LOWER)
    assert result.n == 0 and result.too_few and result.to_end.interval is None


def test_t_quantiles_from_the_table_and_between_its_rows():
    assert t_quantile(1) == 12.7062 and t_quantile(30) == 2.0423
    # Exact values (R: qt(0.975, df)): 35 → 2.030108, 90 → 1.986675, 500 → 1.964720.
    assert t_quantile(35) == pytest.approx(2.030108, abs=5e-4)
    assert t_quantile(90) == pytest.approx(1.986675, abs=5e-4)
    assert t_quantile(500) == pytest.approx(1.964720, abs=5e-4)
    assert t_quantile(10**9) == pytest.approx(1.96, abs=1e-6)
    assert all(t_quantile(d) > t_quantile(d + 1) for d in range(1, 200))
    with pytest.raises(ValueError):
        t_quantile(0)


def test_large_n_interval_is_close_to_the_normal_one():
    values = [(-1) ** i * 1.0 for i in range(200)]   # mean 0, sd = sqrt(200/199)
    interval = change(values).interval
    half = t_quantile(199) * math.sqrt(200 / 199) / math.sqrt(200)
    assert interval.high == pytest.approx(half) and interval.low == pytest.approx(-half)
