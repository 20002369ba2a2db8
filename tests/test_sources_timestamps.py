"""Timestamps: ISO 8601 with offsets, declared epoch units, naive times and zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsla.sources.timestamps import (
    Nanoseconds,
    TimeFormat,
    TimestampError,
    format_ns,
    parse_time,
    parse_zone,
)

NEW_YEAR_NS = 1_735_689_600 * 10**9  # 2025-01-01T00:00:00Z


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-01T00:00:00Z", NEW_YEAR_NS),
        ("2025-01-01T00:00:00+00:00", NEW_YEAR_NS),
        ("2025-01-01T01:00:00+01:00", NEW_YEAR_NS),
        ("2024-12-31T19:00:00-05:00", NEW_YEAR_NS),
        ("2025-01-01 00:00:00Z", NEW_YEAR_NS),
        ("2025-01-01T00:00:00.5Z", NEW_YEAR_NS + 500_000_000),
        ("2025-01-01T00:00:00.123456789Z", NEW_YEAR_NS + 123_456_789),
        ("2025-01-01T00:00:00,25+00:00", NEW_YEAR_NS + 250_000_000),
        ("2025-01-01T05:30:00+05:30", NEW_YEAR_NS),
    ],
)
def test_iso_with_offsets(text: str, expected: int) -> None:
    assert parse_time(text, TimeFormat.ISO) == expected


@pytest.mark.parametrize(
    ("raw", "fmt", "expected"),
    [
        ("1735689600", TimeFormat.S, NEW_YEAR_NS),
        ("1735689600000", TimeFormat.MS, NEW_YEAR_NS),
        ("1735689600000000", TimeFormat.US, NEW_YEAR_NS),
        ("1735689600000000000", TimeFormat.NS, NEW_YEAR_NS),
        (1735689600, TimeFormat.S, NEW_YEAR_NS),
        (1735689600123, TimeFormat.MS, NEW_YEAR_NS + 123_000_000),
        ("1735689600.25", TimeFormat.S, NEW_YEAR_NS + 250_000_000),
        ("1735689600000.0005", TimeFormat.MS, NEW_YEAR_NS + 500),
        (1735689600.5, TimeFormat.S, NEW_YEAR_NS + 500_000_000),
        ("-1", TimeFormat.S, -(10**9)),
    ],
)
def test_epoch_units_as_declared(raw: object, fmt: TimeFormat, expected: int) -> None:
    assert parse_time(raw, fmt) == expected


def test_the_unit_is_never_guessed() -> None:
    # The same digits mean different instants under different declarations.
    assert parse_time("1735689600000", TimeFormat.S) == 1735689600000 * 10**9
    assert parse_time("1735689600000", TimeFormat.MS) == NEW_YEAR_NS


def test_naive_timestamp_is_an_error_without_zone() -> None:
    with pytest.raises(TimestampError) as err:
        parse_time("2025-01-01T00:00:00", TimeFormat.ISO)
    assert err.value.code == "M003"
    with pytest.raises(TimestampError) as err:
        parse_time(datetime(2025, 1, 1), TimeFormat.ISO)
    assert err.value.code == "M003"


def test_zone_applies_to_naive_timestamps_only() -> None:
    zurich = parse_zone("Europe/Zurich")
    # winter: +01:00, summer: +02:00 (DST-aware)
    assert parse_time("2025-01-01T01:00:00", TimeFormat.ISO, zurich) == NEW_YEAR_NS
    summer = parse_time("2025-07-01T02:00:00", TimeFormat.ISO, zurich)
    assert summer == parse_time("2025-07-01T00:00:00Z", TimeFormat.ISO)
    # an explicit offset wins over the zone
    assert parse_time("2025-01-01T00:00:00Z", TimeFormat.ISO, zurich) == NEW_YEAR_NS
    fixed = parse_zone("-05:00")
    assert parse_time("2024-12-31T19:00:00", TimeFormat.ISO, fixed) == NEW_YEAR_NS


@pytest.mark.parametrize(
    ("name", "offset"),
    [("Z", timedelta(0)), ("UTC", timedelta(0)), ("+0130", timedelta(hours=1, minutes=30))],
)
def test_parse_zone_offsets(name: str, offset: timedelta) -> None:
    assert parse_zone(name).utcoffset(None) == offset


@pytest.mark.parametrize("name", ["CET+1", "Mars/Olympus", "+25:00", ""])
def test_unknown_zone(name: str) -> None:
    with pytest.raises(TimestampError) as err:
        parse_zone(name)
    assert err.value.code == "M013"


@pytest.mark.parametrize(
    ("raw", "fmt"),
    [
        ("yesterday", TimeFormat.ISO),
        ("2025-13-01T00:00:00Z", TimeFormat.ISO),
        (1735689600, TimeFormat.ISO),
        ("12:00", TimeFormat.MS),
        ("", TimeFormat.MS),
        ("nan", TimeFormat.S),
        (True, TimeFormat.S),
        (float("inf"), TimeFormat.S),
        ("2025-01-01T00:00:00.1234567891Z", TimeFormat.ISO),
    ],
)
def test_unreadable(raw: object, fmt: TimeFormat) -> None:
    with pytest.raises(TimestampError) as err:
        parse_time(raw, fmt)
    assert err.value.code == "M004"


def test_aware_datetime_and_nanoseconds_pass_whatever_the_format() -> None:
    moment = datetime(2025, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    assert parse_time(moment, TimeFormat.MS) == NEW_YEAR_NS
    assert parse_time(Nanoseconds(NEW_YEAR_NS + 7), TimeFormat.MS) == NEW_YEAR_NS + 7


@given(st.integers(min_value=-(10**18), max_value=4 * 10**18))
def test_format_then_parse_round_trips(ns: int) -> None:
    assert parse_time(format_ns(ns), TimeFormat.ISO) == ns


@given(st.datetimes(timezones=st.just(UTC)))
def test_iso_agrees_with_datetime(moment: datetime) -> None:
    expected = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    assert parse_time(moment.isoformat(), TimeFormat.ISO) == expected * 1000
