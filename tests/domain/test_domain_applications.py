from datetime import UTC, date, datetime

import pytest

from indsatsteam.domain.applications import (
    MAX_DURATION_MONTHS,
    MIN_DURATION_MONTHS,
    ApplicationStatus,
    can_withdraw,
    check_desired_start,
    check_duration,
    desired_start_bounds,
    format_reference,
)
from indsatsteam.domain.errors import DomainError

DKFDS_BADGES = {"", "badge-info", "badge-success", "badge-warning", "badge-error"}


@pytest.mark.parametrize(
    ("status", "label"),
    [
        ("draft", "Kladde"),
        ("submitted", "Indsendt"),
        ("in_review", "Under behandling"),
        ("approved", "Godkendt"),
        ("rejected", "Afslået"),
        ("waitlisted", "På venteliste"),
        ("withdrawn", "Trukket tilbage"),
    ],
)
def test_status_labels(status, label):
    assert ApplicationStatus(status).label == label
    assert ApplicationStatus(status).tag_class in DKFDS_BADGES


@pytest.mark.parametrize(
    ("status", "tag_class"),
    [("approved", "badge-success"), ("rejected", "badge-error"), ("waitlisted", "badge-warning"),
     ("submitted", "badge-info"), ("draft", "")],
)
def test_status_badges(status, tag_class):
    assert ApplicationStatus(status).tag_class == tag_class


@pytest.mark.parametrize(
    ("status", "withdrawable"),
    [
        ("draft", False),
        ("submitted", True),
        ("in_review", True),
        ("approved", False),
        ("rejected", False),
        ("waitlisted", False),
        ("withdrawn", False),
    ],
)
def test_withdraw_by_status(status, withdrawable):
    assert can_withdraw(status) is withdrawable
    assert can_withdraw(ApplicationStatus(status)) is withdrawable


def test_unknown_status_allows_nothing():
    assert not can_withdraw("archived")


@pytest.mark.parametrize("months", [MIN_DURATION_MONTHS, 6, 9, MAX_DURATION_MONTHS])
def test_duration_within_bounds(months):
    assert check_duration(months) == months


@pytest.mark.parametrize("months", [None, -1, 0, 3, 13, 24])
def test_duration_outside_bounds(months):
    with pytest.raises(DomainError) as caught:
        check_duration(months)
    assert caught.value.message == "Vælg en varighed på mellem 4 og 12 måneder"
    assert caught.value.field == "duration_months"


@pytest.mark.parametrize(
    ("year", "sequence", "reference"),
    [(2026, 7, "IT-2026-0007"), (2026, 1, "IT-2026-0001"), (2027, 123, "IT-2027-0123"),
     (2026, 9999, "IT-2026-9999"), (2026, 12345, "IT-2026-12345")],
)
def test_format_reference(year, sequence, reference):
    assert format_reference(year, sequence) == reference


def test_reference_sequence_starts_at_one():
    with pytest.raises(ValueError):
        format_reference(2026, 0)


# --- Desired start ---------------------------------------------------------------------

DEADLINE = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # 12.00 Danish winter time


@pytest.mark.parametrize(
    ("closes_at", "bounds"),
    [
        (DEADLINE, (date(2026, 11, 27), date(2027, 11, 27))),
        # 23.30 UTC is already the next day in Copenhagen (00.30 winter time).
        (datetime(2026, 11, 26, 23, 30, tzinfo=UTC), (date(2026, 11, 27), date(2027, 11, 27))),
        # 22.30 UTC is the next day in summer time (00.30 CEST).
        (datetime(2026, 6, 30, 22, 30, tzinfo=UTC), (date(2026, 7, 1), date(2027, 7, 1))),
        (datetime(2026, 6, 30, 21, 59, tzinfo=UTC), (date(2026, 6, 30), date(2027, 6, 30))),
        # No 29 February next year.
        (datetime(2028, 2, 29, 11, 0, tzinfo=UTC), (date(2028, 2, 29), date(2029, 2, 28))),
    ],
)
def test_desired_start_bounds(closes_at, bounds):
    assert desired_start_bounds(closes_at) == bounds


def test_desired_start_bounds_need_an_aware_deadline():
    with pytest.raises(ValueError):
        desired_start_bounds(datetime(2026, 11, 27, 12, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    "start", [date(2026, 11, 27), date(2027, 3, 1), date(2027, 11, 27)]
)
def test_desired_start_within_bounds(start):
    assert check_desired_start(start, DEADLINE) == start


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (date(2026, 11, 26), "Forløbet kan tidligst starte 27. november 2026"),
        (date(2020, 1, 1), "Forløbet kan tidligst starte 27. november 2026"),
        (date(2027, 11, 28), "Forløbet kan senest starte 27. november 2027"),
        (None, "Indtast en ønsket startdato"),
    ],
)
def test_desired_start_outside_bounds(start, message):
    with pytest.raises(DomainError) as caught:
        check_desired_start(start, DEADLINE)
    assert caught.value.message == message
    assert caught.value.field == "desired_start"


def test_desired_start_uses_the_danish_date_of_a_late_deadline():
    late = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # 27 November in Copenhagen
    with pytest.raises(DomainError, match="tidligst starte 27. november 2026"):
        check_desired_start(date(2026, 11, 26), late)
    assert check_desired_start(date(2026, 11, 27), late) == date(2026, 11, 27)
