"""Random specs and random records: evaluation gives outcomes or a PlanError, never a crash."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st
from runtime_builders import at, gauge, make_spec, metric, param, ref, schedule, slo

from wsla.model import (
    And,
    FloatScalar,
    Greater,
    Interval,
    Less,
    LongScalar,
    Not,
    QConstructor,
    QualifyMeasurementTimeSeries,
    RateOfChange,
    StringScalar,
    TSConstructor,
)
from wsla.model import functions as f
from wsla.model.extensions import Count, IntervalSeries, Min, Percentile, Rate, Ratio
from wsla.runtime.engine import Evaluator
from wsla.runtime.plan import PlanError, compile_plan

SCALARS = st.one_of(
    st.builds(LongScalar, value=st.integers(-3, 3)),
    st.builds(FloatScalar, value=st.sampled_from([0.0, 0.5, -1.5, 95.0, math.inf])),
    st.builds(StringScalar, value=st.sampled_from(["up", ""])),
)
SERIES_REFS = st.sampled_from(["QA", "TB", "IA", "QS"]).map(ref)
SCALAR_REFS = st.sampled_from(["A", "B"]).map(ref)


def series_functions(scalar: Any) -> Any:
    return st.one_of(
        st.builds(f.Size, operand=SERIES_REFS),
        st.builds(f.TSSelect, operand=SERIES_REFS, element=st.integers(-3, 0)),
        *(
            st.builds(cls, input=SERIES_REFS)
            for cls in (f.Mean, f.Median, f.Mode, f.Max, f.Sum, Min, Count)
        ),
        *(
            st.builds(cls, input=SERIES_REFS, value=st.one_of(SCALARS, scalar))
            for cls in (
                f.ValueOccurs,
                f.PercentageGreaterThanThreshold,
                f.NumberLessThanThreshold,
                f.SpanFunction,
                Ratio,
            )
        ),
        st.builds(Percentile, input=SERIES_REFS, percent=st.one_of(SCALARS, scalar)),
        st.builds(
            RateOfChange,
            input=st.one_of(SERIES_REFS, scalar),
            interval=st.just(Interval(minutes=1)),
        ),
        st.builds(
            Rate,
            schedule=st.just("s"),
            input=st.one_of(SCALAR_REFS, scalar),
            per=st.sampled_from(
                [Interval(seconds=1), Interval(milliseconds=7), Interval(months=1)]
            ),
        ),
    )


scalar_expr = st.recursive(
    st.one_of(SCALAR_REFS, SCALARS),
    lambda inner: st.one_of(
        *(st.builds(cls, left=inner, right=inner) for cls in (f.Plus, f.Minus, f.Times, f.Divide)),
        st.builds(f.Round, input=SCALAR_REFS, digits=inner),
        series_functions(inner),
    ),
    max_leaves=6,
)

VALUES = st.one_of(
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.sampled_from(["up", "down"]),
)


@given(
    st.lists(scalar_expr, min_size=1, max_size=3),
    st.lists(
        st.tuples(st.sampled_from(["Svc/A", "Svc/B", "urn:A"]), st.integers(0, 400), VALUES),
        max_size=40,
    ),
)
def test_random_specs_never_crash(exprs: list[Any], raw: list[tuple[str, int, Any]]) -> None:
    metrics = [
        gauge("A"),
        gauge("B"),
        metric("QA", QConstructor(input=ref("A"), window=4)),
        metric("TB", TSConstructor(schedule="s", input=ref("B"), window=3)),
        metric("IA", IntervalSeries(schedule="s", input=ref("A"))),
        metric(
            "QS",
            QualifyMeasurementTimeSeries(
                base_metric="QA", validation_metric="TB", value=LongScalar(value=1)
            ),
        ),
    ]
    names = []
    for i, expr in enumerate(exprs):
        if isinstance(expr, f.MetricRef | LongScalar | FloatScalar | StringScalar):
            expr = f.Plus(left=expr, right=LongScalar(value=0))
        metrics.append(metric(f"F{i}", expr))
        names.append(f"P{i}")
    spec = make_spec(
        metrics,
        parameters=[param(f"P{i}", f"F{i}") for i in range(len(exprs))],
        schedules=[schedule("s", 1)],
        slos=[
            slo(
                "S0",
                And(
                    left=Greater(parameter="P0", value=0),
                    right=Not(operand=Less(parameter=names[-1], value=1)),
                ),
            ),
            slo("S1", Less(parameter="P0", value=2), on="s"),
        ],
    )
    try:
        plan = compile_plan(spec)
    except PlanError as error:
        problems = error.diagnostics
        plan = None
    event("refused" if plan is None else "evaluated")
    if plan is None:
        assert problems
        assert all(d.code.startswith("E") for d in problems)
        return
    for lateness in (0, 30 * 10**9):
        ev = Evaluator(plan, allowed_lateness_ns=lateness, trace=lateness > 0)
        for target, seconds, value in raw:
            ev.feed(target, at(seconds=seconds), value)
        result = ev.finish()
        for outcome in result.outcomes:
            outcome.to_json()
        for violation in result.violations() if lateness else ():
            result.explain(violation)
