"""Rules for applications (ansøgninger): status, duration, start, deadline and reference."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from .danish_time import (
    as_utc,
    format_danish_date,
    format_danish_datetime,
    local_date,
)
from .errors import DomainError

MIN_DURATION_MONTHS = 4
MAX_DURATION_MONTHS = 12


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def tag_class(self) -> str:
        """The DKFDS badge modifier; "" gives the neutral grey badge."""
        return _STATUS_BADGES[self]


_STATUS_LABELS = {
    ApplicationStatus.DRAFT: "Kladde",
    ApplicationStatus.SUBMITTED: "Indsendt",
    ApplicationStatus.IN_REVIEW: "Under behandling",
    ApplicationStatus.APPROVED: "Godkendt",
    ApplicationStatus.REJECTED: "Afslået",
    ApplicationStatus.WAITLISTED: "På venteliste",
    ApplicationStatus.WITHDRAWN: "Trukket tilbage",
}
_STATUS_BADGES = {
    ApplicationStatus.DRAFT: "",
    ApplicationStatus.SUBMITTED: "badge-info",
    ApplicationStatus.IN_REVIEW: "badge-info",
    ApplicationStatus.APPROVED: "badge-success",
    ApplicationStatus.REJECTED: "badge-error",
    ApplicationStatus.WAITLISTED: "badge-warning",
    ApplicationStatus.WITHDRAWN: "",
}


def can_withdraw(status: str) -> bool:
    """An applicant may withdraw a submitted application until it has been decided."""
    return status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)


def format_reference(year: int, sequence: int) -> str:
    """The case reference shown to users, e.g. "IT-2026-0007"."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"IT-{year:04d}-{sequence:04d}"


# --- Duration and start -------------------------------------------------------------


def check_duration(months: int | None) -> int:
    if months is None or not MIN_DURATION_MONTHS <= months <= MAX_DURATION_MONTHS:
        raise DomainError(
            f"Vælg en varighed på mellem {MIN_DURATION_MONTHS} og {MAX_DURATION_MONTHS} måneder",
            field="duration_months",
        )
    return months


def desired_start_bounds(closes_at: datetime) -> tuple[date, date]:
    """Earliest and latest allowed start: the deadline's Danish date and one year later."""
    earliest = local_date(closes_at)
    return earliest, _one_year_later(earliest)


def _one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February has no twin next year
        return day.replace(year=day.year + 1, day=28)


def check_desired_start(start: date | None, closes_at: datetime) -> date:
    earliest, latest = desired_start_bounds(closes_at)
    if start is None:
        raise DomainError("Indtast en ønsket startdato", field="desired_start")
    if start < earliest:
        raise DomainError(
            f"Forløbet kan tidligst starte {format_danish_date(earliest)}", field="desired_start"
        )
    if start > latest:
        raise DomainError(
            f"Forløbet kan senest starte {format_danish_date(latest)}", field="desired_start"
        )
    return start


# --- The deadline -------------------------------------------------------------------


def round_is_open(opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    opens_at, closes_at, now = as_utc(opens_at, closes_at, now)
    return opens_at <= now < closes_at


def check_can_submit(opens_at: datetime, closes_at: datetime, now: datetime) -> None:
    """Raise DomainError unless the round takes submissions at `now`."""
    opens_at, closes_at, now = as_utc(opens_at, closes_at, now)
    if now >= closes_at:
        raise DomainError(
            f"Ansøgningsfristen udløb {format_danish_datetime(closes_at)}. "
            "Ansøgningen kan ikke længere indsendes, men din kladde er gemt."
        )
    if now < opens_at:
        raise DomainError(
            "Ansøgningsrunden er ikke åben endnu. "
            f"Den åbner {format_danish_datetime(opens_at)}."
        )


def time_left_text(closes_at: datetime, now: datetime) -> str:
    """How long until the deadline, in whole hours or days, as Danish text."""
    closes_at, now = as_utc(closes_at, now)
    left = closes_at - now
    if left <= timedelta(0):
        return "Fristen er udløbet"
    if left < timedelta(hours=1):
        return "Under 1 time tilbage"
    if left < timedelta(days=1):
        hours = left // timedelta(hours=1)
        return "1 time tilbage" if hours == 1 else f"{hours} timer tilbage"
    days = left.days
    return "1 dag tilbage" if days == 1 else f"{days} dage tilbage"
