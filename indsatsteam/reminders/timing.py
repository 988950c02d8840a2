"""When a reminder is due: pure date arithmetic in Danish local time, no database.

A reminder is about a Danish calendar date, its *occurrence* (e.g. the day 7 days before a
task's due date). It becomes due at REMINDER_HOUR on that date, Danish wall time, whatever
the UTC offset is that day. So "in 1 day" is the day before at 08:00 also across a DST
change, where the real time between the two 08:00s is 23 or 25 hours.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..domain.danish_time import local_date, local_to_utc

# The Danish hour at which a date's reminders fall due: people get them at the start of
# the working day, and a sweep a little later (every few minutes) sends them.
REMINDER_HOUR = 8


def reminder_moment(day: date) -> datetime:
    """The aware UTC moment at which reminders about `day` fall due (08:00 Danish time)."""
    return local_to_utc(datetime.combine(day, time(REMINDER_HOUR)))


def dates_in_window(start: datetime, end: datetime) -> list[date]:
    """The dates whose reminder moment lies in [start, end], oldest first."""
    if end < start:
        return []
    first, last = local_date(start), local_date(end)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if start <= reminder_moment(d) <= end]


def first_date_after(moment: datetime) -> date:
    """The first date whose reminder moment lies strictly after `moment`."""
    day = local_date(moment)
    return day if reminder_moment(day) > moment else day + timedelta(days=1)


def parse_days(value: str) -> tuple[int, ...]:
    """ "7,1" → (7, 1): distinct whole days ≥ 0, largest first; anything else is ignored."""
    days = {int(part) for part in value.split(",") if part.strip().isdigit()}
    return tuple(sorted(days, reverse=True))


def in_days_text(days: int) -> str:
    """How far away a date is, in the words of a reminder's subject."""
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    return f"om {days} dage"
