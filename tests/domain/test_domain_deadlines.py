from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from babel.dates import format_date

from indsatsteam.domain.applications import check_can_submit, round_is_open, time_left_text
from indsatsteam.domain.danish_time import (
    DANISH_TZ,
    format_danish_date,
    format_danish_datetime,
    format_danish_time,
    local_date,
    local_to_utc,
    local_wall_time,
    utc_to_local,
)
from indsatsteam.domain.errors import DomainError


def wall(*fields: int, fold: int = 0) -> datetime:
    """A naive Danish wall-clock time, as typed into a form."""
    return datetime(*fields, fold=fold)  # noqa: DTZ001


OPENS = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)  # 1 October 09.00 summer time
CLOSES = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # 27 November 12.00 winter time
SECOND = timedelta(seconds=1)

EXPIRED = (
    "Ansøgningsfristen udløb 27. november 2026 kl. 12.00. "
    "Ansøgningen kan ikke længere indsendes, men din kladde er gemt."
)
NOT_OPEN = "Ansøgningsrunden er ikke åben endnu. Den åbner 1. oktober 2026 kl. 09.00."


# --- Is the round open? --------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "is_open"),
    [
        (OPENS - SECOND, False),
        (OPENS, True),
        (OPENS + SECOND, True),
        (CLOSES - SECOND, True),
        (CLOSES, False),
        (CLOSES + SECOND, False),
    ],
)
def test_round_is_open_at_the_edges(now, is_open):
    assert round_is_open(OPENS, CLOSES, now) is is_open


def test_submit_one_second_before_the_deadline():
    check_can_submit(OPENS, CLOSES, CLOSES - SECOND)


@pytest.mark.parametrize("now", [CLOSES, CLOSES + SECOND, CLOSES + timedelta(days=30)])
def test_submit_at_or_after_the_deadline(now):
    with pytest.raises(DomainError) as caught:
        check_can_submit(OPENS, CLOSES, now)
    assert caught.value.message == EXPIRED


@pytest.mark.parametrize("now", [OPENS - SECOND, OPENS - timedelta(days=3)])
def test_submit_before_the_round_opens(now):
    with pytest.raises(DomainError) as caught:
        check_can_submit(OPENS, CLOSES, now)
    assert caught.value.message == NOT_OPEN


def test_submit_exactly_when_the_round_opens():
    check_can_submit(OPENS, CLOSES, OPENS)


def test_deadline_compared_as_a_moment_whatever_the_zone():
    now_in_copenhagen = (CLOSES - SECOND).astimezone(DANISH_TZ)
    assert round_is_open(OPENS, CLOSES, now_in_copenhagen)
    with pytest.raises(DomainError):
        check_can_submit(OPENS, CLOSES, CLOSES.astimezone(timezone(timedelta(hours=-5))))


@pytest.mark.parametrize(
    "args",
    [
        (OPENS, CLOSES, wall(2026, 11, 1, 12, 0)),
        (OPENS.replace(tzinfo=None), CLOSES, CLOSES),
        (OPENS, CLOSES.replace(tzinfo=None), CLOSES),
    ],
)
def test_naive_datetimes_are_refused(args):
    with pytest.raises(ValueError):
        round_is_open(*args)
    with pytest.raises(ValueError):
        check_can_submit(*args)


# --- Daylight saving time --------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        (wall(2026, 1, 15, 12, 0), datetime(2026, 1, 15, 11, 0, tzinfo=UTC)),
        (wall(2026, 7, 1, 12, 0), datetime(2026, 7, 1, 10, 0, tzinfo=UTC)),
        # Spring forward, 29 March 2026: 02.00 jumps to 03.00.
        (wall(2026, 3, 29, 1, 59), datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
        (wall(2026, 3, 29, 2, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # no such time
        (wall(2026, 3, 29, 3, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (wall(2026, 3, 29, 12, 0), datetime(2026, 3, 29, 10, 0, tzinfo=UTC)),
        # Fall back, 25 October 2026: 03.00 goes back to 02.00.
        (wall(2026, 10, 25, 1, 59), datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
        (wall(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # first one
        (wall(2026, 10, 25, 3, 0), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        (wall(2026, 10, 25, 12, 0), datetime(2026, 10, 25, 11, 0, tzinfo=UTC)),
    ],
)
def test_local_to_utc(local, utc):
    converted = local_to_utc(local)
    assert converted == utc
    assert converted.tzinfo is UTC


def test_local_to_utc_ignores_fold_one():
    assert local_to_utc(wall(2026, 10, 25, 2, 30, fold=1)) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_local_to_utc_refuses_aware_datetimes():
    with pytest.raises(ValueError):
        local_to_utc(datetime(2026, 10, 25, 12, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("utc", "local"),
    [
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), wall(2026, 10, 25, 2, 30)),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), wall(2026, 10, 25, 2, 30)),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), wall(2026, 3, 29, 3, 0)),
    ],
)
def test_utc_to_local(utc, local):
    converted = utc_to_local(utc)
    assert converted.replace(tzinfo=None) == local
    assert converted.tzinfo is DANISH_TZ
    # Not `converted == utc`: Python calls a time in the repeated hour unequal to every
    # time in another zone (PEP 495), so compare timestamps.
    assert converted.timestamp() == utc.timestamp()


def test_utc_to_local_refuses_naive():
    with pytest.raises(ValueError):
        utc_to_local(wall(2026, 1, 1, 12, 0))


@pytest.mark.parametrize(
    ("local_deadline", "utc_deadline"),
    [
        (wall(2026, 10, 25, 12, 0), datetime(2026, 10, 25, 11, 0, tzinfo=UTC)),
        (wall(2026, 3, 29, 12, 0), datetime(2026, 3, 29, 10, 0, tzinfo=UTC)),
    ],
)
def test_deadline_on_a_dst_change_day(local_deadline, utc_deadline):
    closes_at = local_to_utc(local_deadline)
    assert closes_at == utc_deadline
    check_can_submit(OPENS.replace(year=2025), closes_at, utc_deadline - SECOND)
    for late in (utc_deadline, utc_deadline + SECOND):
        with pytest.raises(DomainError, match=r"udløb \d+\. (oktober|marts) 2026 kl\. 12\.00\."):
            check_can_submit(OPENS.replace(year=2025), closes_at, late)


def test_deadline_in_the_repeated_hour_is_decided_in_real_time():
    # Both in Copenhagen time: 02.45 (first, summer time) comes before 02.30 (second,
    # winter time). Compared by wall clock it would look the other way round.
    closes_at = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=DANISH_TZ)  # 01.30 UTC
    now = datetime(2026, 10, 25, 2, 45, fold=0, tzinfo=DANISH_TZ)  # 00.45 UTC
    opens_at = datetime(2026, 10, 1, 9, 0, tzinfo=DANISH_TZ)
    assert round_is_open(opens_at, closes_at, now)
    check_can_submit(opens_at, closes_at, now)
    assert time_left_text(closes_at, now) == "Under 1 time tilbage"
    # Arithmetic in UTC: closes_at + SECOND would be wall-clock 02.30.01 in the first,
    # summer-time pass, an hour before the deadline.
    assert not round_is_open(opens_at, closes_at, closes_at.astimezone(UTC) + SECOND)


# --- Time left ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(days=-2), "Fristen er udløbet"),
        (-SECOND, "Fristen er udløbet"),
        (timedelta(0), "Fristen er udløbet"),
        (SECOND, "Under 1 time tilbage"),
        (timedelta(minutes=59, seconds=59), "Under 1 time tilbage"),
        (timedelta(hours=1), "1 time tilbage"),
        (timedelta(hours=1, minutes=59), "1 time tilbage"),
        (timedelta(hours=2), "2 timer tilbage"),
        (timedelta(hours=3, minutes=30), "3 timer tilbage"),
        (timedelta(hours=23, minutes=59), "23 timer tilbage"),
        (timedelta(days=1), "1 dag tilbage"),
        (timedelta(days=1, hours=23), "1 dag tilbage"),
        (timedelta(days=2), "2 dage tilbage"),
        (timedelta(days=5, hours=12), "5 dage tilbage"),
        (timedelta(days=40), "40 dage tilbage"),
    ],
)
def test_time_left_text(left, text):
    assert time_left_text(CLOSES, CLOSES - left) == text


def test_time_left_counts_real_hours_across_spring_forward():
    # From Saturday 12.00 to Sunday 12.00 local is only 23 hours on 29 March 2026.
    closes_at = datetime(2026, 3, 29, 12, 0, tzinfo=DANISH_TZ)
    now = datetime(2026, 3, 28, 12, 0, tzinfo=DANISH_TZ)
    assert time_left_text(closes_at, now) == "23 timer tilbage"


def test_time_left_refuses_naive():
    with pytest.raises(ValueError):
        time_left_text(CLOSES, wall(2026, 11, 1, 12, 0))


# --- Danish formatting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 3, 7), "7. marts 2025"),
        (date(2026, 11, 27), "27. november 2026"),
        (date(2026, 1, 1), "1. januar 2026"),
        (date(2026, 5, 31), "31. maj 2026"),
        (date(2026, 12, 24), "24. december 2026"),
    ],
)
def test_format_danish_date(day, text):
    assert format_danish_date(day) == text


@pytest.mark.parametrize("month", range(1, 13))
def test_month_names_agree_with_babel(month):
    day = date(2026, month, 9)
    assert format_danish_date(day) == format_date(day, "long", locale="da")


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 27, 11, 0, tzinfo=UTC), "27. november 2026 kl. 12.00"),
        (datetime(2026, 7, 1, 10, 0, tzinfo=UTC), "1. juli 2026 kl. 12.00"),  # summer time
        (datetime(2026, 1, 5, 8, 5, tzinfo=UTC), "5. januar 2026 kl. 09.05"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "1. januar 2027 kl. 00.30"),
        (datetime(2026, 11, 27, 6, 0, tzinfo=timezone(timedelta(hours=-5))),
         "27. november 2026 kl. 12.00"),
        (datetime(2026, 11, 27, 12, 0, tzinfo=DANISH_TZ), "27. november 2026 kl. 12.00"),
    ],
)
def test_format_danish_datetime(moment, text):
    assert format_danish_datetime(moment) == text


def test_format_danish_datetime_refuses_naive():
    with pytest.raises(ValueError):
        format_danish_datetime(wall(2026, 11, 27, 12, 0))


@pytest.mark.parametrize(
    ("moment", "day", "clock_text"),
    [
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2027, 1, 1), "00.30"),  # next day
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29), "01.30"),   # before DST
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), date(2026, 3, 29), "03.30"),   # after DST
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), date(2026, 10, 25), "00.30"),
    ],
)
def test_a_moment_has_one_danish_date_and_clock_time(moment, day, clock_text):
    assert local_date(moment) == day
    assert format_danish_date(moment) == format_danish_date(day)
    assert format_danish_time(moment) == clock_text
    assert local_wall_time(moment).tzinfo is None
    assert local_to_utc(local_wall_time(moment)) == moment


def test_the_wall_time_refuses_naive():
    with pytest.raises(ValueError):
        local_wall_time(wall(2026, 11, 27, 12, 0))
