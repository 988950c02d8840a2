"""Danish wall times around the DST changes: skipped, repeated or normal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from indsatsteam.domain.danish_time import WallTime, check_wall_time, local_to_utc, wall_time_kind
from indsatsteam.domain.errors import DomainError


def wall(text: str) -> datetime:
    """A naive Danish wall time, as typed in a form."""
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(("moment", "kind"), [
    (wall("2027-03-28 01:59"), WallTime.NORMAL),
    (wall("2027-03-28 02:00"), WallTime.NONEXISTENT),
    (wall("2027-03-28 02:30"), WallTime.NONEXISTENT),
    (wall("2027-03-28 03:00"), WallTime.NORMAL),
    (wall("2027-10-31 01:59"), WallTime.NORMAL),
    (wall("2027-10-31 02:00"), WallTime.AMBIGUOUS),
    (wall("2027-10-31 02:59"), WallTime.AMBIGUOUS),
    (wall("2027-10-31 03:00"), WallTime.NORMAL),
    (wall("2026-03-29 02:15"), WallTime.NONEXISTENT),
    (wall("2026-10-25 02:15"), WallTime.AMBIGUOUS),
    (wall("2027-07-01 02:30"), WallTime.NORMAL),
])
def test_wall_time_kind(moment, kind):
    assert wall_time_kind(moment) == kind


def test_a_skipped_time_is_refused_with_what_it_would_become():
    moment = wall("2027-03-28 02:30")
    assert local_to_utc(moment) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # = 03.30 CEST
    with pytest.raises(DomainError) as err:
        check_wall_time(moment, field="closes_at")
    assert err.value.field == "closes_at"
    assert "findes ikke den 28. marts 2027" in err.value.message
    assert "ville blive til kl. 03.30" in err.value.message


def test_a_repeated_time_is_refused_as_ambiguous():
    with pytest.raises(DomainError) as err:
        check_wall_time(wall("2027-10-31 02:30"))
    assert "forekommer to gange den 31. oktober 2027" in err.value.message


def test_ordinary_times_pass_and_naive_is_required():
    check_wall_time(wall("2027-03-28 03:00"))
    with pytest.raises(ValueError):
        wall_time_kind(datetime(2027, 3, 28, 2, 30, tzinfo=UTC))
