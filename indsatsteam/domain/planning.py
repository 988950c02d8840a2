"""The plan of an engagement: phase windows, task due dates and Danish working days."""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TypeVar

import holidays

from .applications import check_duration

K = TypeVar("K", bound=Hashable)

_SATURDAY = 5


@lru_cache(maxsize=64)
def danish_non_working_days(year: int) -> frozenset[date]:
    """The weekdays on which Danish public administration is closed, besides weekends.

    The `holidays` package (0.108) splits Denmark into two categories. "public" holds the
    helligdage: nytårsdag, skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi
    himmelfartsdag, pinsedag, 2. pinsedag, juledag and 2. juledag (store bededag until
    2023). "optional" holds grundlovsdag, juleaftensdag, nytårsaftensdag and 1. maj.
    The first three are (at least from noon on grundlovsdag) days off in Danish public
    administration, so nobody should meet a deadline on them and they are added here;
    1. maj is a day off only for some groups, so it stays a working day.

    Returned as a frozenset because the result is cached and shared between callers.
    """
    public = holidays.country_holidays("DK", years=year)
    days_off = {date(year, 6, 5), date(year, 12, 24), date(year, 12, 31)}
    return frozenset(public) | frozenset(days_off)


def is_working_day(d: date) -> bool:
    return d.weekday() < _SATURDAY and d not in danish_non_working_days(d.year)


def next_working_day(d: date) -> date:
    """`d` itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_months(d: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    month_index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PhaseWindow:
    phase: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def programme_end(start: date, duration_months: int) -> date:
    """The last day of a programme that starts on `start` (inclusive)."""
    return add_months(start, duration_months) - timedelta(days=1)


def plan_phases(
    start: date, duration_months: int, shares: Sequence[tuple[str, int]]
) -> list[PhaseWindow]:
    """Split the programme's days between the phases in proportion to their shares.

    Shares are whole percentages that sum to 100. The windows follow each other without
    gaps, each has at least one day, and the last ends on the programme's last day.
    Raises DomainError for a duration outside 4–12 months, ValueError for bad shares.
    """
    check_duration(duration_months)
    _check_shares(shares)
    total_days = (programme_end(start, duration_months) - start).days + 1
    windows: list[PhaseWindow] = []
    cumulative = 0
    first_day = 0  # days after `start` on which the current window begins
    for position, (phase, share) in enumerate(shares):
        cumulative += share
        phases_after = len(shares) - position - 1
        # Rounding the cumulative share (not each share) keeps the total exact.
        cut = (total_days * cumulative + 50) // 100
        cut = min(max(cut, first_day + 1), total_days - phases_after)
        windows.append(PhaseWindow(
            phase=phase,
            start=start + timedelta(days=first_day),
            end=start + timedelta(days=cut - 1),
        ))
        first_day = cut
    return windows


def _check_shares(shares: Sequence[tuple[str, int]]) -> None:
    phases = [phase for phase, _ in shares]
    if len(set(phases)) != len(phases):
        raise ValueError(f"each phase may have only one share: {phases}")
    if any(share < 0 for _, share in shares):
        raise ValueError("a phase's share cannot be negative")
    if sum(share for _, share in shares) != 100:
        raise ValueError("the phases' shares must sum to 100")


def previous_working_day(d: date) -> date:
    """`d` itself if it is a working day, otherwise the last working day before it."""
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def task_due_date(phase_start: date, offset_days: int, phase_end: date | None = None) -> date:
    """A task `offset_days` into its phase, moved off weekends and days off.

    In a short programme the offset can reach past the phase; the task is then due on the
    phase's last working day, so a phase's tasks fall within the phase.
    """
    due = next_working_day(phase_start + timedelta(days=offset_days))
    if phase_end is not None and due > phase_end:
        due = max(previous_working_day(phase_end), phase_start)
    return due


def replan_due_dates(
    tasks: Iterable[tuple[K, str, int]], windows: Sequence[PhaseWindow]
) -> dict[K, date]:
    """New due dates for (key, phase, offset_days) tasks after the windows moved.

    Also fits the first plan: the due date depends only on the window and the offset.
    """
    by_phase = {window.phase: window for window in windows}
    due_dates: dict[K, date] = {}
    for key, phase, offset_days in tasks:
        if phase not in by_phase:
            raise ValueError(f"no window for phase {phase!r}")
        window = by_phase[phase]
        due_dates[key] = task_due_date(window.start, offset_days, window.end)
    return due_dates
