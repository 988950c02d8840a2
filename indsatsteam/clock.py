"""One clock for the whole application: aware UTC, frozen in tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from .domain.danish_time import local_date

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Freeze the clock at an aware datetime (None thaws it). For tests and `--at` options."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("the clock only takes aware datetimes")
    _frozen = at.astimezone(UTC) if at is not None else None


def today() -> date:
    """Today's date in Denmark (where due dates and deadlines are counted)."""
    return local_date(now())
