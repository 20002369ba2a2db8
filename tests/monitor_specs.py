"""Specs and record streams shared by the monitor, checkpoint and crash tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from runtime_builders import at, gauge, guarantee, make_spec, metric, param, ref, schedule, slo

from wsla.model import (
    ExecutionModality,
    Greater,
    Interval,
    InvocationCount,
    Less,
    LongScalar,
    Mean,
    Metric,
    Not,
    Operation,
    QConstructor,
    RateOfChange,
    ResponseTime,
    Size,
    Spec,
    Status,
    Sum,
    SumResponseTime,
    TSConstructor,
    ViolationPredicate,
)


def rich_spec() -> Spec:
    """Queues, time series, interval aggregates, a rate, a Status with a timeout, a
    reading schedule, invocations and guarantees in every modality: every kind of state
    a checkpoint must carry."""
    from wsla.model.extensions import IntervalSeries, Percentile

    op = Operation(
        name="Op",
        metrics=(
            Metric(name="RT", source="P", definition=ResponseTime(measurement_uri="urn:rt")),
            Metric(name="Count", source="P", definition=InvocationCount()),
            Metric(name="Total", source="P", definition=SumResponseTime()),
            metric("RTQ", QConstructor(input=ref("RT"), window=4)),
            metric("Avg", Mean(input=ref("RTQ"))),
        ),
        parameters=(param("PCount", "Count"), param("PTotal", "Total"), param("PAvg", "Avg")),
    )
    status = Status(measurement_uri="urn:st", timeout=Interval(minutes=2))
    return make_spec(
        [
            gauge("A"),
            gauge("B", schedule="s2"),
            gauge("C"),
            metric("QA", QConstructor(input=ref("A"), window=5)),
            metric("MA", Mean(input=ref("QA"))),
            metric("TB", TSConstructor(schedule="s1", input=ref("B"), window=3)),
            metric("SB", Sum(input=ref("TB"))),
            metric("IC", IntervalSeries(schedule="s1", input=ref("C"))),
            metric("PC", Percentile(input=ref("IC"), percent=LongScalar(value=90))),
            metric("NC", Size(operand=ref("IC"))),
            metric("RA", RateOfChange(input=ref("A"), interval=Interval(minutes=1))),
            Metric(name="St", source="P", definition=status),
            metric("TSt", TSConstructor(schedule="s1", input=ref("St"), window=2)),
            metric("SSt", Sum(input=ref("TSt"))),
        ],
        parameters=[
            param("PA", "MA"),
            param("PB", "SB"),
            param("PC90", "PC"),
            param("PNC", "NC"),
            param("PRA", "RA"),
            param("PSt", "SSt"),
        ],
        schedules=[schedule("s1", 1), schedule("s2", 2)],
        slos=[
            slo("SA", Less(parameter="PA", value=50)),
            slo("SB", Greater(parameter="PB", value=10), on="s1"),
            slo("SC", Less(parameter="PC90", value=60)),
            slo("SN", Greater(parameter="PNC", value=0)),
            slo("SAvg", Less(parameter="PAvg", value=300)),
            slo("SSt", Greater(parameter="PSt", value=0)),
        ],
        guarantees=[
            guarantee(
                "GEnter",
                ViolationPredicate(slo="SA"),
                ExecutionModality.ON_ENTERING_CONDITION,
                parameters=("PA",),
            ),
            guarantee(
                "GBoth",
                ViolationPredicate(slo="SC"),
                ExecutionModality.ON_ENTERING_AND_ON_LEAVING_CONDITION,
            ),
            guarantee("GAlways", ViolationPredicate(slo="SAvg"), ExecutionModality.ALWAYS),
            guarantee(
                "GEvery",
                Not(operand=ViolationPredicate(slo="SB")),
                ExecutionModality.ON_EVERY_EVALUATION,
                on="s2",
            ),
        ],
        operations=[op],
    )


def simple_spec() -> Spec:
    """One gauge, its mean over a queue of 3, an SLO and an on-entering guarantee."""
    return make_spec(
        [
            gauge("G"),
            metric("Q", QConstructor(input=ref("G"), window=3)),
            metric("M", Mean(input=ref("Q"))),
        ],
        parameters=[param("PG", "G"), param("PM", "M")],
        slos=[slo("SM", Less(parameter="PM", value=50))],
        guarantees=[
            guarantee(
                "GM",
                ViolationPredicate(slo="SM"),
                ExecutionModality.ON_ENTERING_CONDITION,
                parameters=("PM",),
            )
        ],
    )


SPECS = {"rich": rich_spec, "simple": simple_spec}

TARGETS = ["Svc/A", "Svc/B", "urn:A", "Svc/C", "urn:st", "Op#invocation", "Svc/Op/RT", "Svc/G"]

Raw = tuple[int, str, Any]
"""(seconds after T0, target, value)."""

records_strategy = st.lists(
    st.tuples(
        st.integers(0, 900),
        st.sampled_from(TARGETS),
        st.one_of(st.integers(-5, 120), st.floats(0, 500, allow_nan=False), st.none()),
    ),
    min_size=1,
    max_size=50,
).map(lambda raw: sorted(raw, key=lambda r: r[0]))


def ns(seconds: float) -> int:
    return at(seconds=seconds)


def outcome_json(outcomes: Any) -> list[dict[str, Any]]:
    return [o.to_json() for o in outcomes]
