"""The stock quote SLA (reference §6) evaluated end to end on hand-computed data."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from wsla.runtime.engine import Evaluator, Result
from wsla.runtime.outcomes import ActionRequest, ParameterValue, SLOEvaluation, Violation
from wsla.runtime.values import datetime_to_ns

SPEC = Path(__file__).parent.parent / "specs" / "stock-quote.xml"
START = datetime(2001, 11, 30, 14, 0, tzinfo=timezone(timedelta(hours=-5)))
MIN = 60 * 10**9


def t(minutes: float) -> int:
    return datetime_to_ns(START) + round(minutes * MIN)


@pytest.fixture(scope="module")
def result() -> Result:
    from wsla.xml import load_xml

    spec, diagnostics = load_xml(SPEC.read_bytes(), str(SPEC))
    assert spec is not None, diagnostics
    ev = Evaluator(spec, start=t(0))
    records: list[tuple[float, str, object]] = [
        (0.5, "GetQuote/MeasuredStatus", 1),
        (0.5, "GetQuote/ProbedUtilization", 0.5),
        (1, "GetQuote#invocation", 100),
        (3.5, "GetQuote/MeasuredStatus", 0),
        (15.5, "GetQuote/MeasuredStatus", 1),
        (30, "GetQuote#invocation", 300),
        (61, "GetQuote#invocation", 200),
        (90, "GetQuote#invocation", 400),
    ]
    for minute, target, value in records:
        ev.feed(target, t(minute), value)
    return ev.finish(to=t(120))


def values(result: Result, parameter: str) -> list[tuple[float, object]]:
    return [
        ((o.time - t(0)) / MIN, o.value)
        for o in result.outcomes
        if isinstance(o, ParameterValue) and o.parameter == parameter
    ]


def test_current_downtime_is_the_run_of_zero_samples(result: Result) -> None:
    downtime = dict(values(result, "Availability_CurrentDownTime"))
    # sampled 1 at ticks 1..3, 0 at 4..15, 1 from 16 on
    assert [downtime[m] for m in range(1, 18)] == [0, 0, 0, *range(1, 13), 0, 0]
    assert downtime[120.0] == 0


def test_uptime_ratio(result: Result) -> None:
    ratio = dict(values(result, "Availability_UpTimeRatio"))
    assert ratio[3.0] == 1.0
    assert ratio[120.0] == 1 - 12 / 1440


def test_continuous_downtime_violations_and_notifications(result: Result) -> None:
    violations = [
        ((v.time - t(0)) / MIN, dict(v.values))
        for v in result.of_type(Violation)
        if v.slo == "ContinuousDowntimeSLO"
    ]
    assert violations == [
        (13.0, {"Availability_CurrentDownTime": 10}),
        (14.0, {"Availability_CurrentDownTime": 11}),
        (15.0, {"Availability_CurrentDownTime": 12}),
    ]
    notes = [
        r for r in result.of_type(ActionRequest) if r.guarantee == "ContinuousDowntimeGuarantee"
    ]
    assert [(r.time - t(0)) / MIN for r in notes] == [13.0, 14.0, 15.0]
    assert all(r.party == "XInc" and r.action == "notification" for r in notes)
    assert notes[0].notification is not None
    assert dict(notes[0].notification.values) == {"Availability_CurrentDownTime": 10}
    summary = result.summaries["ContinuousDowntimeSLO"]
    assert (summary.violations, summary.time_in_violation, summary.violation_periods) == (
        3,
        3 * MIN,
        1,
    )


def test_transaction_rate_and_average_response_time(result: Result) -> None:
    assert values(result, "TransactionRate") == [(60.0, None), (120.0, 2.0)]
    assert values(result, "AverageResponseTime") == [(60.0, None), (120.0, 300.0)]


def test_conditional_slo(result: Result) -> None:
    evaluations = [
        ((e.time - t(0)) / MIN, e.result)
        for e in result.of_type(SLOEvaluation)
        if e.slo == "ConditionalSLOForTransactionRate"
    ]
    # overload 0 % (< 0.3) implies rate > 1000: unknown until the rate is defined at 120
    assert evaluations[-1] == (120.0, False)
    assert all(r is None for m, r in evaluations if m < 120)
    assert [
        (v.time - t(0)) / MIN
        for v in result.of_type(Violation)
        if v.slo == "ConditionalSLOForTransactionRate"
    ] == [120.0]
    assert not [v for v in result.of_type(Violation) if v.slo == "UpTimeSLO"]
