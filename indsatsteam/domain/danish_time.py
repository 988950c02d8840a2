"""Danish time in one place: aware UTC in, Danish wall time and Danish words out.

Everything is stored as aware UTC; forms, templates, e-mails and iCal convert here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DANISH_TZ = ZoneInfo("Europe/Copenhagen")

_MONTH_NAMES = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r}; the domain needs aware datetimes")


def as_utc(*moments: datetime) -> tuple[datetime, ...]:
    # Python compares and subtracts datetimes that share a tzinfo by wall time, which is
    # wrong across a DST change; in UTC wall time and real time agree.
    _require_aware(*moments)
    return tuple(moment.astimezone(UTC) for moment in moments)


def utc_to_local(aware: datetime) -> datetime:
    """The same moment as Danish wall time (aware, Europe/Copenhagen)."""
    _require_aware(aware)
    return aware.astimezone(DANISH_TZ)


def local_wall_time(moment: datetime) -> datetime:
    """Danish wall time without a zone, for what has none: a datetime-local form field
    (the inverse of local_to_utc) or a spreadsheet cell."""
    return utc_to_local(moment).replace(tzinfo=None)


def local_date(moment: datetime) -> date:
    """The Danish calendar date a moment falls on."""
    return utc_to_local(moment).date()


def local_to_utc(naive_local: datetime) -> datetime:
    """Read a naive datetime as Danish wall time (as typed in a form) and return aware UTC.

    Twice a year a wall time is not one moment. We use zoneinfo's fold=0 rule:
    - a time that does not exist (spring forward, e.g. 2026-03-29 02:30) is read with the
      offset from before the change (+01:00), so it lands an hour later in real time
      (01:30 UTC = 03:30 summer time);
    - a time that occurs twice (fall back, e.g. 2026-10-25 02:30) is read as the first
      occurrence, still summer time (+02:00 → 00:30 UTC).
    """
    if naive_local.tzinfo is not None:
        raise ValueError(f"expected a naive datetime, got {naive_local!r}")
    return naive_local.replace(tzinfo=DANISH_TZ, fold=0).astimezone(UTC)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of a Danish date, as aware UTC."""
    return local_to_utc(datetime.combine(day, datetime.min.time()))


def format_danish_date(day: date | datetime) -> str:
    """E.g. "7. marts 2025", as Danish long dates are written; a moment gives its Danish date."""
    if isinstance(day, datetime):
        day = local_date(day)
    return f"{day.day}. {_MONTH_NAMES[day.month - 1]} {day.year}"


def format_danish_month(day: date) -> str:
    """The month `day` falls in, e.g. "marts 2025"."""
    return f"{_MONTH_NAMES[day.month - 1]} {day.year}"


def format_danish_datetime(moment: datetime) -> str:
    """E.g. "27. november 2026 kl. 12.00", in Danish time whatever zone `moment` has."""
    return f"{format_danish_date(moment)} kl. {format_danish_time(moment)}"


def format_danish_time(moment: datetime) -> str:
    """E.g. "09.00", the Danish wall-clock time of `moment` (written after "kl.")."""
    # Hours keep the leading zero ("kl. 09.00"), as Danish short times are written.
    return f"{utc_to_local(moment):%H.%M}"
