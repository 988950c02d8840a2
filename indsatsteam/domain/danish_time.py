"""Danish time in one place: aware UTC in, Danish wall time and Danish words out.

Everything is stored as aware UTC; forms, templates, e-mails and iCal convert here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from .errors import DomainError

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


class WallTime(StrEnum):
    """What a naive Danish wall time is on its date."""

    NORMAL = "normal"
    NONEXISTENT = "nonexistent"  # skipped when the clocks go forward (last Sunday of March)
    AMBIGUOUS = "ambiguous"  # occurs twice when the clocks go back (last Sunday of October)


def wall_time_kind(naive_local: datetime) -> WallTime:
    """Whether a naive Danish wall time exists once, not at all, or twice."""
    if naive_local.tzinfo is not None:
        raise ValueError(f"expected a naive datetime, got {naive_local!r}")
    first = naive_local.replace(tzinfo=DANISH_TZ, fold=0)
    second = naive_local.replace(tzinfo=DANISH_TZ, fold=1)
    if first.utcoffset() == second.utcoffset():
        return WallTime.NORMAL
    back = first.astimezone(UTC).astimezone(DANISH_TZ).replace(tzinfo=None)
    return WallTime.NONEXISTENT if back != naive_local else WallTime.AMBIGUOUS


def _clock(moment: datetime) -> str:
    return f"{moment:%H.%M}"


def check_wall_time(naive_local: datetime, field: str | None = None) -> None:
    """Refuse a Danish wall time that does not exist or exists twice (DST changes), with a
    Danish message saying what the time would become and what to type instead.

    Both are refused rather than guessed: a deadline or a meeting must mean one moment, and
    the user is the one who knows which. `local_to_utc` would read a nonexistent time an hour
    later and an ambiguous one as its first (summer time) occurrence.
    """
    kind = wall_time_kind(naive_local)
    if kind == WallTime.NORMAL:
        return
    day = format_danish_date(naive_local.date())
    if kind == WallTime.NONEXISTENT:
        becomes = utc_to_local(local_to_utc(naive_local))
        raise DomainError(
            f"Klokken {_clock(naive_local)} findes ikke den {day}, fordi uret stilles frem "
            f"fra 02.00 til 03.00 (sommertid). Tidspunktet ville blive til kl. "
            f"{_clock(becomes)}. Vælg et klokkeslæt før 02.00 eller fra 03.00.", field=field)
    raise DomainError(
        f"Klokken {_clock(naive_local)} forekommer to gange den {day}, fordi uret stilles "
        f"tilbage fra 03.00 til 02.00 (vintertid), så det er ikke entydigt, hvilket tidspunkt "
        f"der menes. Vælg et klokkeslæt før 02.00 eller fra 03.00.", field=field)


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
