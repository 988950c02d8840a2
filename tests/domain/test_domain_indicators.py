"""Documented effect, the pure rules: values within their unit, change signed by the
direction that counts as better, targets, the follow-up date and who may measure when."""

from __future__ import annotations

from datetime import date

import pytest

from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.indicators import (
    FollowUpState,
    check_indicator_count,
    check_may_measure,
    check_value,
    follow_up_date,
    improvement,
    reached_target,
)


@pytest.mark.parametrize(("value", "unit", "message"), [
    (101, "percent", "Værdien skal ligge mellem 0 og 100 %"),
    (-1, "percent", "Værdien skal ligge mellem 0 og 100 %"),
    (0.5, "scale", "Værdien skal ligge mellem 1 og 5 (1–5)"),
    (5.5, "scale", "Værdien skal ligge mellem 1 og 5 (1–5)"),
    (2.5, "count", "Angiv et helt tal"),
    (1.5, "days", "Angiv et helt tal"),
    (None, "count", "Angiv en værdi"),
    (float("inf"), "days", "Værdien skal ligge mellem 0 og 3650 dage"),
])
def test_a_value_outside_its_unit_is_refused_with_the_range(value, unit, message):
    with pytest.raises(DomainError) as err:
        check_value(value, unit, field="x")
    assert err.value.message == message and err.value.field == "x"


def test_values_inside_their_unit_pass_as_floats():
    assert check_value(42.5, "percent", field="x") == 42.5
    assert check_value(3.4, "scale", field="x") == 3.4
    assert check_value(7, "count", field="x") == 7.0
    assert check_value(0, "days", field="x") == 0.0


def test_improvement_is_positive_when_better_in_either_direction():
    assert improvement(40, 55, "higher") == 15
    assert improvement(40, 30, "higher") == -10
    assert improvement(12, 4, "lower") == 8  # fewer days in hospital: better
    assert improvement(4, 12, "lower") == -8
    assert improvement(3, 3, "lower") == 0
    assert improvement(None, 3, "higher") is None and improvement(3, None, "lower") is None


def test_a_target_is_reached_at_or_beyond_it():
    assert reached_target(60, 60, "higher") and reached_target(61, 60, "higher")
    assert not reached_target(59.9, 60, "higher")
    assert reached_target(3, 4, "lower") and reached_target(4, 4, "lower")
    assert not reached_target(5, 4, "lower")
    assert reached_target(None, 4, "lower") is None and reached_target(4, None, "lower") is None


def test_one_to_five_indicators():
    check_indicator_count(1)
    check_indicator_count(5)
    with pytest.raises(DomainError, match="Vælg mindst én indikator"):
        check_indicator_count(0)
    with pytest.raises(DomainError, match="Vælg højst 5 indikatorer"):
        check_indicator_count(6)


@pytest.mark.parametrize(("completed", "months", "due"), [
    (date(2027, 3, 15), 6, date(2027, 9, 15)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year's last day of February
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2027, 10, 31), 6, date(2028, 4, 30)),
    (date(2027, 7, 1), 12, date(2028, 7, 1)),
    (date(2027, 12, 1), 1, date(2028, 1, 1)),
])
def test_the_follow_up_falls_months_after_completion(completed, months, due):
    assert follow_up_date(completed, months) == due


def test_the_end_measurement_belongs_to_the_development_phase():
    check_may_measure("end", "development", follow_up_due=None, today=date(2027, 5, 1))
    for phase in ("startup", "analysis", "paused", "completed", "cancelled"):
        with pytest.raises(DomainError):
            check_may_measure("end", phase, follow_up_due=None, today=date(2027, 5, 1))


def test_the_follow_up_opens_on_its_date_in_the_completed_forloeb():
    due = date(2027, 9, 15)
    with pytest.raises(DomainError, match="Opfølgningen kan gives fra 15. september 2027"):
        check_may_measure("follow_up", "completed", follow_up_due=due, today=date(2027, 9, 14))
    check_may_measure("follow_up", "completed", follow_up_due=due, today=due)
    check_may_measure("follow_up", "completed", follow_up_due=due, today=date(2028, 1, 1))
    with pytest.raises(DomainError, match="annulleret"):
        check_may_measure("follow_up", "cancelled", follow_up_due=due, today=due)
    with pytest.raises(DomainError, match="når forløbet er afsluttet"):
        check_may_measure("follow_up", "development", follow_up_due=None, today=due)


def test_the_follow_up_is_pending_from_its_date_until_it_is_in():
    due = date(2027, 9, 15)
    assert not FollowUpState(due, received=False).pending(date(2027, 9, 14))
    assert FollowUpState(due, received=False).pending(due)
    assert not FollowUpState(due, received=True).pending(date(2027, 10, 1))
    assert not FollowUpState(None, received=False).pending(due)
