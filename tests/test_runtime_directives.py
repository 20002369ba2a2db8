"""Every measurement directive: records become values (reference §5 "Directives")."""

from __future__ import annotations

import pytest
from runtime_builders import MIN, at, make_spec, param, schedule, slo

from wsla.model import (
    CalendarPeriod,
    Counter,
    Downtime,
    Gauge,
    Greater,
    InvocationCount,
    MaintenancePeriodQuery,
    Metric,
    ResponseTime,
    StatusRequest,
    SumResponseTime,
)
from wsla.runtime.directives import DIRECTIVES
from wsla.runtime.engine import Evaluator
from wsla.runtime.outcomes import ParameterValue, SLOEvaluation

LATEST = [
    lambda s: Counter(measurement_uri="urn:x", reading_schedule=s),
    lambda s: Gauge(measurement_uri="urn:x", reading_schedule=s),
    lambda s: ResponseTime(measurement_uri="urn:x", reading_schedule=s),
    lambda s: StatusRequest(request_uri="urn:x", reading_schedule=s),
    lambda s: InvocationCount(counter_uri="urn:x", reading_schedule=s),
    lambda s: Downtime(reading_schedule=s),
    lambda s: MaintenancePeriodQuery(reading_schedule=s),
    lambda s: SumResponseTime(reading_schedule=s),
]


def test_every_wsla_directive_has_a_runtime() -> None:
    from wsla.model.directives import DIRECTIVE_TYPES

    assert set(DIRECTIVE_TYPES.values()) <= set(DIRECTIVES)


def _values(result: object, name: str) -> list[tuple[float, object]]:
    return [
        ((o.time - at(0)) / MIN, o.value)
        for o in result.outcomes  # type: ignore[attr-defined]
        if isinstance(o, ParameterValue) and o.parameter == name
    ]


@pytest.mark.parametrize("make", LATEST)
def test_each_record_is_a_new_value(make: object) -> None:
    spec = make_spec(
        [Metric(name="X", source="P", definition=make(None))], parameters=[param("PX", "X")]
    )  # type: ignore[operator]
    ev = Evaluator(spec)
    for minute, value in [(0, 5), (1, 5), (2, True), (3, 2.5)]:
        ev.feed("Svc/X", at(minute), value)
    assert _values(ev.finish(), "PX") == [(0.0, 5), (1.0, 5), (2.0, 1), (3.0, 2.5)]


@pytest.mark.parametrize("make", LATEST)
def test_with_reading_schedule_the_tick_takes_the_latest_reading(make: object) -> None:
    spec = make_spec(
        [Metric(name="X", source="P", definition=make("s"))],  # type: ignore[operator]
        parameters=[param("PX", "X")],
        schedules=[schedule("s", 2)],
    )
    ev = Evaluator(spec, start=at(0))
    for minute, value in [(0.5, 1), (1, 2), (2, 3), (4.5, 4)]:
        ev.feed("Svc/X", at(minute), value)
    # ticks at 2 (reading 2: the record at 2:00 comes after the tick), 4 (3), 6 (4)
    assert _values(ev.finish(to=at(6)), "PX") == [(2.0, 2), (4.0, 3), (6.0, 4)]


def test_uri_targets() -> None:
    spec = make_spec(
        [Metric(name="X", source="P", definition=InvocationCount(counter_uri="urn:count"))],
        parameters=[param("PX", "X")],
    )
    ev = Evaluator(spec)
    ev.feed("urn:count", at(0), 17)
    assert _values(ev.finish(), "PX") == [(0.0, 17)]


def test_calendar_validity_in_local_time_across_dst() -> None:
    zurich_business = CalendarPeriod(
        condition_time="2026-03-01T00:00:00+01:00",
        month_of_year_mask="1" * 12,
        day_of_month_mask="1" * 31,
        day_of_week_mask="1111100",
        time_of_day_mask="0" * 8 + "1" * 10 + "0" * 6,
        time_zone="Europe/Zurich",
        local_or_utc="Local",
    )
    spec = make_spec(
        [Metric(name="X", source="P", definition=Gauge(measurement_uri="urn:x"))],
        parameters=[param("PX", "X")],
        slos=[slo("S", Greater(parameter="PX", value=0), validity=[zurich_business])],
    )
    from datetime import UTC, datetime

    from wsla.runtime.values import datetime_to_ns

    def utc(*args: int) -> int:
        return datetime_to_ns(datetime(*args, tzinfo=UTC))  # type: ignore[misc]

    ev = Evaluator(spec)
    # Friday 27 March (CET, +1): 07:00 UTC = 08:00 local → valid; 06:59 UTC → not
    # Monday 30 March (CEST, +2): 06:00 UTC = 08:00 local → valid; 16:00 UTC = 18:00 → not
    moments = [
        utc(2026, 3, 27, 6, 59),
        utc(2026, 3, 27, 7),
        utc(2026, 3, 30, 6),
        utc(2026, 3, 30, 15, 59),
        utc(2026, 3, 30, 16),
    ]
    for moment in moments:
        ev.feed("Svc/X", moment, 1)
    evaluated = [o.time for o in ev.finish().outcomes if isinstance(o, SLOEvaluation)]
    assert evaluated == [moments[1], moments[2], moments[3]]
