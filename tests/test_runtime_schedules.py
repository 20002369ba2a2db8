"""Schedule ticks, calendar stepping, calendar masks, DST and validity (reference §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from wsla.model import CalendarPeriod, Interval, TimePeriod
from wsla.runtime.schedules import PeriodError, Ticker, add_months, compile_calendar, compile_period
from wsla.runtime.values import datetime_to_ns, ns_to_datetime


def ns(*args: int, tz: timezone = UTC) -> int:
    return datetime_to_ns(datetime(*args, tzinfo=tz))  # type: ignore[misc]


def utc_ticks(ticker: Ticker, after: int, until: int) -> list[datetime]:
    return [ns_to_datetime(t) for t in ticker.ticks_between(after, until)]


def test_fixed_interval_ticks_from_start_until_end_inclusive() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ticker = Ticker(TimePeriod(start=start, end=start + timedelta(minutes=15)), Interval(minutes=5))
    ticks = utc_ticks(ticker, ns(2025, 1, 1), ns(2027, 1, 1))
    assert ticks == [start + timedelta(minutes=m) for m in (5, 10, 15)]


def test_ticks_count_in_half_open_window() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ticker = Ticker(TimePeriod(start=start, end=start + timedelta(days=1)), Interval(minutes=5))
    # a tick exactly at `after` is excluded, one exactly at `until` included
    ticks = utc_ticks(ticker, ns(2026, 1, 1, 0, 10), ns(2026, 1, 1, 0, 20))
    assert ticks == [start + timedelta(minutes=15), start + timedelta(minutes=20)]


def test_month_end_clamping_is_computed_from_start_each_time() -> None:
    start = datetime(2024, 1, 31, 12, tzinfo=UTC)
    ticker = Ticker(
        TimePeriod(start=start, end=datetime(2025, 1, 1, tzinfo=UTC)), Interval(months=1)
    )
    ticks = utc_ticks(ticker, ns(2024, 1, 1), ns(2024, 6, 1))
    assert [t.date().isoformat() for t in ticks] == [
        "2024-02-29",
        "2024-03-31",
        "2024-04-30",
        "2024-05-31",
    ]


def test_years_step_on_calendar_feb_29() -> None:
    start = datetime(2024, 2, 29, tzinfo=UTC)
    ticker = Ticker(
        TimePeriod(start=start, end=datetime(2030, 1, 1, tzinfo=UTC)), Interval(years=1)
    )
    ticks = utc_ticks(ticker, ns(2024, 1, 1), ns(2028, 12, 31))
    assert [t.date().isoformat() for t in ticks] == [
        "2025-02-28",
        "2026-02-28",
        "2027-02-28",
        "2028-02-29",
    ]


def test_months_step_in_starts_offset_then_fixed_part() -> None:
    minus5 = timezone(timedelta(hours=-5))
    start = datetime(2026, 1, 31, 23, 0, tzinfo=minus5)  # = Feb 1 04:00 UTC
    ticker = Ticker(
        TimePeriod(start=start, end=datetime(2027, 1, 1, tzinfo=UTC)), Interval(months=1, hours=2)
    )
    first = ns_to_datetime(ticker.tick(1)).astimezone(minus5)
    second = ns_to_datetime(ticker.tick(2)).astimezone(minus5)
    # Jan 31 → Feb 28 23:00 (-05:00) + 2 h; k=2 → Mar 31 23:00 + 4 h
    assert first == datetime(2026, 3, 1, 1, 0, tzinfo=minus5)
    assert second == datetime(2026, 4, 1, 3, 0, tzinfo=minus5)


def test_add_months_clamps() -> None:
    assert add_months(datetime(2023, 3, 31), -1) == datetime(2023, 2, 28)
    assert add_months(datetime(2023, 12, 15), 1) == datetime(2024, 1, 15)


def test_first_after_is_exact() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ticker = Ticker(TimePeriod(start=start, end=start + timedelta(days=400)), Interval(months=1))
    for day in range(0, 380, 7):
        after = datetime_to_ns(start + timedelta(days=day))
        k = ticker.first_after(after)
        assert ticker.raw(k) > after
        assert k == 1 or ticker.raw(k - 1) <= after


def test_non_positive_interval_is_refused() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(PeriodError):
        Ticker(TimePeriod(start=start, end=start), Interval())


def business_hours(
    tz: str = "Europe/Zurich", mode: str = "Local", start: str = "2026-03-23T00:00:00+01:00"
) -> CalendarPeriod:
    return CalendarPeriod(
        condition_time=start,
        month_of_year_mask="1" * 12,
        day_of_month_mask="1" * 31,
        day_of_week_mask="1111100",
        time_of_day_mask="0" * 8 + "1" * 10 + "0" * 6,
        time_zone=tz,
        local_or_utc=mode,
    )


def test_calendar_schedule_ticks_business_hours_only() -> None:
    ticker = Ticker(business_hours(), Interval(hours=1))
    # Monday 2026-03-23 (CET, +01:00)
    ticks = ticker.ticks_between(ns(2026, 3, 23), ns(2026, 3, 24))
    local = [
        ns_to_datetime(t).astimezone(compile_calendar(business_hours()).zone).hour for t in ticks
    ]
    assert local == list(range(8, 18))


def test_calendar_schedule_across_dst_keeps_local_hours() -> None:
    ticker = Ticker(business_hours(), Interval(hours=1))
    zone = compile_calendar(business_hours()).zone
    # DST starts Sunday 2026-03-29 in Zurich; Monday 30th is CEST (+02:00)
    ticks = ticker.ticks_between(ns(2026, 3, 30), ns(2026, 3, 31))
    hours = [ns_to_datetime(t).astimezone(zone).hour for t in ticks]
    assert hours == list(range(8, 18))
    # in UTC these are 06:00..15:00 (they were 07:00..16:00 the week before)
    assert ns_to_datetime(ticks[0]).hour == 6


def test_calendar_schedule_skips_weekend() -> None:
    ticker = Ticker(business_hours(), Interval(hours=1))
    assert ticker.ticks_between(ns(2026, 3, 28), ns(2026, 3, 29, 23)) == []


def test_daily_calendar_schedule_steps_in_condition_time_offset() -> None:
    period = business_hours(start="2026-03-23T08:00:00+01:00")
    ticker = Ticker(period, Interval(days=1))
    zone = compile_calendar(period).zone
    ticks = ticker.ticks_between(ns(2026, 3, 23), ns(2026, 4, 3, 12))
    local = [ns_to_datetime(t).astimezone(zone) for t in ticks]
    # fixed-offset stepping: 07:00 UTC every day → 08:00 CET before DST, 09:00 CEST after
    assert [(d.day, d.hour) for d in local] == [
        (24, 8),
        (25, 8),
        (26, 8),
        (27, 8),
        (30, 9),
        (31, 9),
        (1, 9),
        (2, 9),
        (3, 9),
    ]


def test_utc_mode_reads_masks_in_utc() -> None:
    mask = compile_calendar(business_hours(mode="UTC"))
    assert mask.contains(ns(2026, 3, 30, 8))
    assert not mask.contains(ns(2026, 3, 30, 7, 59, 59))
    assert mask.contains(ns(2026, 3, 30, 17, 59, 59))
    assert not mask.contains(ns(2026, 3, 30, 18))


def test_fixed_offset_zone_and_condition_time() -> None:
    mask = compile_calendar(business_hours(tz="-05:00", start="2026-03-23T00:00:00"))
    assert mask.start_ns == ns(2026, 3, 23)
    assert mask.contains(ns(2026, 3, 23, 13))  # 08:00 at -05:00
    assert not mask.contains(ns(2026, 3, 23, 12, 59))
    assert not mask.contains(ns(2026, 3, 20, 13))  # before ConditionTime


def test_month_and_day_masks() -> None:
    period = CalendarPeriod(
        condition_time="2026-01-01T00:00:00Z",
        month_of_year_mask="010000000000",  # February only
        day_of_month_mask="0" * 28 + "100",  # the 29th
        day_of_week_mask="1" * 7,
        time_of_day_mask="1" * 24,
        time_zone="UTC",
        local_or_utc="UTC",
    )
    mask = compile_calendar(period)
    assert mask.contains(ns(2028, 2, 29, 12))
    assert not mask.contains(ns(2028, 3, 29, 12))
    assert not mask.contains(ns(2028, 2, 28, 12))


@pytest.mark.parametrize(
    "change",
    [
        {"day_of_week_mask": "11111"},
        {"time_of_day_mask": "2" * 24},
        {"time_zone": "Mars/Olympus"},
        {"local_or_utc": "Sometimes"},
        {"condition_time": "yesterday"},
    ],
)
def test_bad_calendar_periods(change: dict[str, str]) -> None:
    import dataclasses

    with pytest.raises(PeriodError):
        compile_calendar(dataclasses.replace(business_hours(), **change))


def test_time_period_validity_is_closed() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    test = compile_period(TimePeriod(start=start, end=start + timedelta(hours=1)))
    assert test.contains(datetime_to_ns(start))
    assert test.contains(datetime_to_ns(start + timedelta(hours=1)))
    assert not test.contains(datetime_to_ns(start + timedelta(hours=1)) + 1)
    assert not test.contains(datetime_to_ns(start) - 1)
