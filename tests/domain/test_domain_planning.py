from datetime import date, timedelta

import pytest

from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.planning import (
    PhaseWindow,
    add_months,
    danish_non_working_days,
    is_working_day,
    next_working_day,
    plan_phases,
    programme_end,
    replan_due_dates,
    task_due_date,
)

SHARES = [("startup", 20), ("analysis", 30), ("development", 50)]

# --- Danish days off ------------------------------------------------------------------


def test_non_working_days_2026():
    assert danish_non_working_days(2026) == {
        date(2026, 1, 1),  # nytårsdag
        date(2026, 4, 2),  # skærtorsdag
        date(2026, 4, 3),  # langfredag
        date(2026, 4, 5),  # påskedag
        date(2026, 4, 6),  # 2. påskedag
        date(2026, 5, 14),  # Kristi himmelfartsdag
        date(2026, 5, 24),  # pinsedag
        date(2026, 5, 25),  # 2. pinsedag
        date(2026, 6, 5),  # grundlovsdag
        date(2026, 12, 24),  # juleaftensdag
        date(2026, 12, 25),  # juledag
        date(2026, 12, 26),  # 2. juledag
        date(2026, 12, 31),  # nytårsaftensdag
    }


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2030])
def test_store_bededag_is_no_longer_a_day_off(year):
    # Abolished from 2024: the fourth Friday after Easter is a working day again.
    easter_monday = min(d for d in danish_non_working_days(year) if d.month in (3, 4)
                        and d.weekday() == 0)
    store_bededag = easter_monday + timedelta(days=25)
    assert store_bededag.weekday() == 4
    assert store_bededag not in danish_non_working_days(year)


def test_store_bededag_was_a_day_off_before_2024():
    assert date(2023, 5, 5) in danish_non_working_days(2023)


def test_first_of_may_stays_a_working_day():
    assert date(2026, 5, 1) not in danish_non_working_days(2026)
    assert is_working_day(date(2026, 5, 1))  # a Friday


def test_non_working_days_are_cached_and_cannot_be_changed():
    assert danish_non_working_days(2027) is danish_non_working_days(2027)
    assert isinstance(danish_non_working_days(2027), frozenset)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 6, 1), True),  # Monday
        (date(2026, 6, 4), True),  # Thursday
        (date(2026, 6, 5), False),  # grundlovsdag, a Friday
        (date(2026, 6, 6), False),  # Saturday
        (date(2026, 6, 7), False),  # Sunday
        (date(2026, 5, 14), False),  # Kristi himmelfartsdag
        (date(2026, 5, 15), True),  # the Friday after is a normal working day
        (date(2026, 5, 25), False),  # 2. pinsedag
        (date(2027, 3, 25), False),  # skærtorsdag
        (date(2027, 3, 26), False),  # langfredag
        (date(2027, 3, 29), False),  # 2. påskedag
        (date(2027, 3, 30), True),
        (date(2026, 12, 23), True),
        (date(2026, 12, 24), False),
        (date(2026, 12, 31), False),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "working_day"),
    [
        (date(2026, 6, 3), date(2026, 6, 3)),  # a working day stays
        (date(2026, 3, 7), date(2026, 3, 9)),  # Saturday → Monday
        (date(2026, 3, 8), date(2026, 3, 9)),  # Sunday → Monday
        (date(2026, 6, 5), date(2026, 6, 8)),  # grundlovsdag (Friday) → Monday
        (date(2027, 3, 25), date(2027, 3, 30)),  # skærtorsdag → Tuesday after Easter
        (date(2027, 3, 27), date(2027, 3, 30)),
        (date(2026, 5, 14), date(2026, 5, 15)),  # Kristi himmelfartsdag → Friday
        (date(2027, 5, 6), date(2027, 5, 7)),  # Kristi himmelfartsdag 2027
        (date(2026, 5, 23), date(2026, 5, 26)),  # Saturday before Whitsun → Tuesday
        (date(2026, 12, 24), date(2026, 12, 28)),  # Christmas → Monday
        (date(2026, 12, 31), date(2027, 1, 4)),  # across the new year
        (date(2027, 12, 24), date(2027, 12, 27)),
    ],
)
def test_next_working_day(day, working_day):
    assert next_working_day(day) == working_day


# --- Months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # into the next year
        (date(2026, 9, 1), 12, date(2027, 9, 1)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # backwards too
        (date(2026, 1, 10), -1, date(2025, 12, 10)),
        (date(2026, 1, 31), 25, date(2028, 2, 29)),
    ],
)
def test_add_months(day, months, result):
    assert add_months(day, months) == result


# --- Phase windows ---------------------------------------------------------------------


def _check_contiguous(windows, start, duration_months):
    assert windows[0].start == start
    for before, after in zip(windows, windows[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    assert windows[-1].end == add_months(start, duration_months) - timedelta(days=1)
    assert all(window.end >= window.start for window in windows)


def test_plan_of_six_months():
    windows = plan_phases(date(2026, 1, 1), 6, SHARES)
    # 1 January – 30 June 2026 is 181 days. The cumulative shares are rounded half up:
    # 20 % = 36.2 → 36 and 50 % = 90.5 → 91, so the phases get 36, 55 and 90 days.
    assert windows == [
        PhaseWindow("startup", date(2026, 1, 1), date(2026, 2, 5)),
        PhaseWindow("analysis", date(2026, 2, 6), date(2026, 4, 1)),
        PhaseWindow("development", date(2026, 4, 2), date(2026, 6, 30)),
    ]
    assert [window.days for window in windows] == [36, 55, 90]
    assert programme_end(date(2026, 1, 1), 6) == date(2026, 6, 30)


@pytest.mark.parametrize("months", range(4, 13))
@pytest.mark.parametrize(
    "start", [date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 28), date(2027, 11, 30),
              date(2028, 2, 29)]
)
def test_windows_are_contiguous_and_end_on_the_last_day(start, months):
    windows = plan_phases(start, months, SHARES)
    assert [window.phase for window in windows] == ["startup", "analysis", "development"]
    _check_contiguous(windows, start, months)
    total = sum(window.days for window in windows)
    assert total == (add_months(start, months) - start).days
    for window, (_, share) in zip(windows, SHARES, strict=True):
        assert abs(window.days - total * share / 100) <= 1


@pytest.mark.parametrize(
    "shares",
    [
        [("only", 100)],
        [("a", 1), ("b", 1), ("c", 98)],
        [("a", 98), ("b", 1), ("c", 1)],
        [("a", 0), ("b", 100)],
        [("a", 100), ("b", 0), ("c", 0)],
        [(str(n), 10) for n in range(10)],
        [(str(n), 1) for n in range(100)],
    ],
)
def test_every_phase_gets_at_least_one_day(shares):
    windows = plan_phases(date(2026, 2, 1), 4, shares)  # 120 days, the shortest programme
    assert len(windows) == len(shares)
    assert all(window.days >= 1 for window in windows)
    _check_contiguous(windows, date(2026, 2, 1), 4)


@pytest.mark.parametrize(
    "shares",
    [
        [("startup", 20), ("analysis", 30), ("development", 40)],
        [("startup", 20), ("analysis", 30), ("development", 60)],
        [],
        [("startup", 120), ("analysis", -20)],
        [("startup", 50), ("startup", 50)],
    ],
)
def test_bad_shares_are_refused(shares):
    with pytest.raises(ValueError):
        plan_phases(date(2026, 1, 1), 6, shares)


@pytest.mark.parametrize("months", [None, 0, 3, 13])
def test_duration_outside_four_to_twelve_months(months):
    with pytest.raises(DomainError) as caught:
        plan_phases(date(2026, 1, 1), months, SHARES)
    assert caught.value.field == "duration_months"


# --- Task due dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase_start", "offset", "due"),
    [
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
        (date(2026, 3, 2), 3, date(2026, 3, 5)),
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # Saturday → Monday
        (date(2026, 3, 2), 6, date(2026, 3, 9)),  # Sunday → Monday
        (date(2027, 3, 11), 14, date(2027, 3, 30)),  # skærtorsdag 2027 → after Easter
        (date(2026, 5, 22), 14, date(2026, 6, 8)),  # grundlovsdag 2026 → Monday
        (date(2026, 5, 4), 10, date(2026, 5, 15)),  # Kristi himmelfartsdag → Friday
        (date(2026, 12, 10), 14, date(2026, 12, 28)),  # juleaftensdag → after Christmas
        (date(2026, 12, 1), 30, date(2027, 1, 4)),  # nytårsaftensdag → 4 January
    ],
)
def test_task_due_date(phase_start, offset, due):
    assert task_due_date(phase_start, offset) == due


def test_every_due_date_in_a_year_is_a_working_day():
    start = date(2026, 1, 1)
    for offset in range(400):
        due = task_due_date(start, offset)
        assert is_working_day(due)
        assert 0 <= (due - start - timedelta(days=offset)).days <= 5


TASKS = [
    ("kickoff", "startup", 0),
    ("expectations", "startup", 5),
    ("workshop", "analysis", 21),
    ("plan", "development", 7),
]


def test_replan_after_the_start_date_moves():
    before = plan_phases(date(2026, 1, 1), 6, SHARES)
    assert replan_due_dates(TASKS, before) == {
        "kickoff": date(2026, 1, 2),  # nytårsdag → Friday
        "expectations": date(2026, 1, 6),
        "workshop": date(2026, 2, 27),
        "plan": date(2026, 4, 9),  # the phase starts on skærtorsdag; 7 days on is a Thursday
    }
    after = plan_phases(date(2027, 3, 1), 6, SHARES)  # 1 March – 31 August 2027 (184 days)
    assert [window.start for window in after] == [
        date(2027, 3, 1), date(2027, 4, 7), date(2027, 6, 1)
    ]
    assert replan_due_dates(TASKS, after) == {
        "kickoff": date(2027, 3, 1),
        "expectations": date(2027, 3, 8),  # Saturday → Monday
        "workshop": date(2027, 4, 28),
        "plan": date(2027, 6, 8),
    }


def test_replan_after_the_duration_changes():
    longer = plan_phases(date(2027, 3, 1), 12, SHARES)  # to 29 February 2028: 366 days
    assert [window.days for window in longer] == [73, 110, 183]
    assert longer[-1].end == date(2028, 2, 29)
    due = replan_due_dates(TASKS, longer)
    assert due["kickoff"] == date(2027, 3, 1)
    assert due["workshop"] == next_working_day(longer[1].start + timedelta(days=21))
    assert due["plan"] == next_working_day(longer[2].start + timedelta(days=7))


def test_replan_into_easter():
    # The analysis window starts 4 March 2027; 21 days later is skærtorsdag.
    windows = [
        PhaseWindow("startup", date(2027, 2, 1), date(2027, 3, 3)),
        PhaseWindow("analysis", date(2027, 3, 4), date(2027, 4, 30)),
    ]
    assert replan_due_dates([(7, "analysis", 21)], windows) == {7: date(2027, 3, 30)}


def test_replan_takes_any_hashable_key_and_an_empty_list():
    windows = plan_phases(date(2026, 1, 1), 6, SHARES)
    assert replan_due_dates([], windows) == {}
    assert replan_due_dates(iter([((1, "a"), "startup", 0)]), windows) == {
        (1, "a"): date(2026, 1, 2)
    }


def test_replan_refuses_a_task_in_a_phase_without_a_window():
    windows = plan_phases(date(2026, 1, 1), 6, SHARES)
    with pytest.raises(ValueError):
        replan_due_dates([(1, "paused", 0)], windows)


def test_a_task_beyond_its_short_phase_is_due_on_the_phase_last_working_day():
    # Startup 1–14 December 2026 (a Monday); the standard task is 30 days in.
    assert task_due_date(date(2026, 12, 1), 30, date(2026, 12, 14)) == date(2026, 12, 14)
    # The phase ends on Sunday 13 December: due on Friday the 11th.
    assert task_due_date(date(2026, 12, 1), 30, date(2026, 12, 13)) == date(2026, 12, 11)
    # Within the phase nothing changes.
    assert task_due_date(date(2026, 12, 1), 3, date(2026, 12, 13)) == date(2026, 12, 4)


def test_replanned_tasks_stay_within_their_phase():
    windows = plan_phases(date(2027, 3, 1), 4, SHARES)
    due = replan_due_dates([("late", "startup", 200), ("plan", "development", 7)], windows)
    startup = windows[0]
    assert startup.start <= due["late"] <= startup.end
    assert is_working_day(due["late"])
    assert due["plan"] == next_working_day(windows[2].start + timedelta(days=7))
