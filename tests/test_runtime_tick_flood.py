"""The tick-flood guard: a record more than ``Limits.max_ticks_per_step`` schedule ticks
ahead is not applied (L107), counted as outside the window, and evaluation goes on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from runtime_builders import MIN, T0, at, gauge, make_spec, metric, param, ref, schedule

from wsla.limits import Limits
from wsla.model import Size, TSConstructor
from wsla.runtime.engine import Evaluator, Result
from wsla.runtime.outcomes import LateRecord, ParameterValue
from wsla.runtime.values import datetime_to_ns

FOREVER = datetime(9999, 1, 1, tzinfo=UTC)
YEAR_2100 = datetime_to_ns(datetime(2100, 3, 2, 10, 0, tzinfo=UTC))


def minute_spec(end: datetime = FOREVER) -> Any:
    """A TS sampled every minute (no practical End) and its size as a parameter."""
    return make_spec(
        [
            gauge("G"),
            metric("TS", TSConstructor(schedule="s", input=ref("G"))),
            metric("N", Size(operand=ref("TS"))),
        ],
        parameters=[param("PN", "N")],
        schedules=[schedule("s", 1, end=end)],
    )


def run(
    records: list[tuple[int, object]], *, rows: bool = False, spec: Any = None, **options: Any
) -> Result:
    ev = Evaluator(spec or minute_spec(), **options)
    if rows:
        ev.feed_rows([(t, "Svc/G", v, None) for t, v in records])
    else:
        for t, v in records:
            ev.feed("Svc/G", t, v)
    return ev.finish()


def sizes(result: Result) -> list[tuple[float, object]]:
    return [
        ((o.time - at(0)) / MIN, o.value) for o in result.outcomes if isinstance(o, ParameterValue)
    ]


@pytest.mark.parametrize("rows", [False, True])
def test_a_record_decades_ahead_is_refused_and_evaluation_goes_on(rows: bool) -> None:
    clean = run([(at(0), 1), (at(2), 2), (at(3), 3)], rows=rows)
    # 74 years of minute ticks (about 39 million): refused at once, not ground through
    result = run([(at(0), 1), (at(2), 2), (YEAR_2100, 9), (at(3), 3)], rows=rows)
    assert result.outcomes == clean.outcomes  # the next record is neither late nor lost
    assert sizes(result) == [(1.0, 1), (2.0, 2), (3.0, 3)]
    assert result.window == clean.window
    assert (result.records, result.outside_window, result.late_records) == (4, 1, 0)
    assert clean.outside_window == 0 and clean.diagnostics == ()
    [warning] = result.diagnostics
    assert warning.code == "L107" and str(warning.severity) == "warning"
    assert "1 record not applied" in warning.message
    assert "1,000,000 schedule ticks" in warning.message
    assert warning.notes == ("Svc/G: 1 record, the first at 2100-03-02T10:00:00Z",)


def test_the_limit_is_inclusive_and_configurable() -> None:
    limits = Limits(max_ticks_per_step=10)
    # the window opens at 0:00; a record at 0:10 needs the ticks 0:01 … 0:10: ten
    applied = run([(at(0), 1), (at(10), 2)], limits=limits)
    assert applied.outside_window == 0 and applied.diagnostics == ()
    assert [t for t, _ in sizes(applied)] == [float(m) for m in range(1, 11)]
    refused = run([(at(0), 1), (at(11), 2), (at(11), 3), (at(12, 30), 4)], limits=limits)
    assert refused.outside_window == 3
    assert refused.window == (at(0), at(0))  # nothing after the first record was applied
    [warning] = refused.diagnostics
    assert "3 records not applied" in warning.message and "10 schedule ticks" in warning.message
    assert warning.notes == ("Svc/G: 3 records, the first at 2026-01-01T00:11:00Z",)


def test_the_count_starts_at_the_last_processed_tick() -> None:
    limits = Limits(max_ticks_per_step=10)
    # stepping forward 10 minutes at a time never needs more than 10 ticks at once
    records = [(at(m), m) for m in range(0, 101, 10)]
    result = run(records, limits=limits)
    assert result.outside_window == 0
    assert len(sizes(result)) == 100


def test_with_a_start_the_ticks_count_from_the_start() -> None:
    limits = Limits(max_ticks_per_step=10)
    start = at(0)
    ok = run([(at(10), 1)], start=start, limits=limits)
    assert ok.outside_window == 0 and ok.window == (start, at(10))
    far = run([(at(11), 1), (at(5), 2)], start=start, limits=limits)
    assert far.outside_window == 1  # 11 ticks from the start; the next record is fine
    assert far.window == (start, at(5))


def test_a_schedule_that_ended_does_not_count() -> None:
    # the schedule stops after 5 minutes: a record in 2100 needs five ticks, no more
    spec = minute_spec(end=T0 + timedelta(minutes=5))
    result = run([(at(0), 1), (YEAR_2100, 2)], spec=spec)
    assert result.outside_window == 0 and result.diagnostics == ()
    assert result.window == (at(0), YEAR_2100)
    assert [t for t, _ in sizes(result)] == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_with_lateness_the_refused_record_does_not_move_the_watermark() -> None:
    result = run(
        [(at(0), 1), (YEAR_2100, 9), (at(3), 3), (at(2), 2)],
        allowed_lateness_ns=2 * MIN,
        limits=Limits(max_ticks_per_step=100),
    )
    assert result.outside_window == 1
    assert result.late_records == 0 and not result.of_type(LateRecord)
    assert sizes(result) == [(1.0, 1), (2.0, 2), (3.0, 3)]
    assert [d.code for d in result.diagnostics] == ["L107"]


def test_refused_records_are_reported_per_target_in_time_order() -> None:
    ev = Evaluator(minute_spec(), limits=Limits(max_ticks_per_step=5))
    ev.feed("Svc/G", at(0), 1)
    ev.feed("urn:G", at(30), 2)
    ev.feed("Svc/G", at(20), 3)
    ev.feed("urn:G", at(40), 4)
    result = ev.finish()
    assert result.outside_window == 3
    [warning] = result.diagnostics
    assert warning.notes == (
        "Svc/G: 1 record, the first at 2026-01-01T00:20:00Z",
        "urn:G: 2 records, the first at 2026-01-01T00:30:00Z",
    )


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="max_ticks_per_step"):
        Limits(max_ticks_per_step=0)
