"""The batch engine's column-wise tick steps (``wsla.runtime.batch_obligations``) give
exactly the per-event engine's outcomes: random obligations (comparisons, Kleene logic,
NewValue, Violation in guarantees, every execution modality, validity periods, NewValue
and schedule evaluation events) over two schedules that tick together at some instants,
random streams in random chunks, as rows or columns, with parameter values on or off."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.runtime_builders import (
    END,
    T0,
    at,
    chunks,
    gauge,
    guarantee,
    make_spec,
    metric,
    param,
    ref,
    schedule,
    slo,
)
from wsla.model import ExecutionModality, LongScalar, Mean, TimePeriod
from wsla.model import obligations as o
from wsla.model.extensions import Count, IntervalSeries, Percentile, Ratio
from wsla.runtime import Evaluator, compile_plan
from wsla.runtime.batch import BatchEvaluator

PARAMS = ["PM", "PP", "PR", "PN", "PD", "PH"]
"""PM/PP/PR/PN on the 'win' schedule, PD on 'slow', PH a per-event gauge."""


def dumps(result: Any) -> str:
    return json.dumps(result.to_json(), sort_keys=True, allow_nan=True)


comparisons = st.builds(
    lambda cls, p, v: cls(parameter=p, value=v),
    st.sampled_from([o.Less, o.Greater, o.Equal, o.GreaterEqual, o.LessEqual]),
    st.sampled_from(PARAMS),
    st.sampled_from([0, 1, 2, 3, 0.5, 2.5, 5]),
)
leaves = st.one_of(
    comparisons,
    comparisons,
    st.just(o.TruePredicate()),
    st.just(o.FalsePredicate()),
    st.lists(st.sampled_from(PARAMS), min_size=1, max_size=2, unique=True).map(
        lambda ps: o.NewValuePredicate(parameters=tuple(ps))
    ),
)


def logic(inner: Any) -> Any:
    return st.one_of(
        st.builds(lambda a, b: o.And(left=a, right=b), inner, inner),
        st.builds(lambda a, b: o.Or(left=a, right=b), inner, inner),
        st.builds(lambda a, b: o.Implies(left=a, right=b), inner, inner),
        st.builds(lambda a: o.Not(operand=a), inner),
    )


expressions = st.recursive(leaves, logic, max_leaves=4)
validities = st.sampled_from(
    [
        None,
        (TimePeriod(start=T0 + timedelta(minutes=3), end=T0 + timedelta(minutes=20)),),
        (
            TimePeriod(start=T0, end=T0 + timedelta(minutes=6)),
            TimePeriod(start=T0 + timedelta(minutes=12), end=END),
        ),
    ]
)


@st.composite
def obligations(draw: Any) -> tuple[list[Any], list[Any]]:
    slos = []
    for i in range(draw(st.integers(1, 4))):
        on = draw(st.sampled_from([None, None, "win", "slow"]))
        slos.append(slo(f"S{i}", draw(expressions), on=on, validity=draw(validities)))
    guarantees = []
    for i in range(draw(st.integers(0, 3))):
        named = o.ViolationPredicate(slo=f"S{draw(st.integers(0, len(slos) - 1))}")
        expr = draw(
            st.one_of(
                st.just(named),
                expressions,
                st.builds(lambda e, v=named: o.Or(left=v, right=e), expressions),
            )
        )
        guarantees.append(
            guarantee(
                f"G{i}",
                expr,
                draw(st.sampled_from(list(ExecutionModality))),
                on=draw(st.sampled_from([None, None, "slow"])),
                parameters=tuple(draw(st.lists(st.sampled_from(PARAMS), max_size=2))),
            )
        )
    return slos, guarantees


def build(slos: list[Any], guarantees: list[Any], *, bounded: bool = False) -> Any:
    """``bounded``: the schedules start after the first records and end before the last."""
    start, end = (T0 + timedelta(minutes=2), T0 + timedelta(minutes=25)) if bounded else (T0, END)
    return make_spec(
        [
            gauge("G"),
            gauge("H"),
            metric("W", IntervalSeries(schedule="win", input=ref("G"))),
            metric("V", IntervalSeries(schedule="slow", input=ref("G"))),
            metric("M", Mean(input=ref("W"))),
            metric("P", Percentile(input=ref("W"), percent=LongScalar(value=50))),
            metric("R", Ratio(input=ref("W"), value=LongScalar(value=1))),
            metric("N", Count(input=ref("W"))),
            metric("D", Mean(input=ref("V"))),
        ],
        parameters=[
            param("PM", "M"),
            param("PP", "P"),
            param("PR", "R"),
            param("PN", "N"),
            param("PD", "D"),
            param("PH", "H"),
        ],
        schedules=[schedule("win", 1, start, end), schedule("slow", 3, start, end)],
        slos=slos,
        guarantees=guarantees,
    )


@st.composite
def streams(draw: Any) -> tuple[list[tuple[int, str, Any, Any]], list[int]]:
    n = draw(st.integers(0, 80))
    rows = []
    t = at(0)
    for i in range(n):
        t += draw(st.sampled_from([0, 5, 20, 45, 60, 130, 400])) * 10**9
        target = draw(st.sampled_from(["Svc/G", "Svc/G", "Svc/G", "Svc/H", "nobody"]))
        value = draw(st.one_of(st.integers(0, 4), st.sampled_from([0.5, 2.5, None])))
        rows.append((t, target, value, f"r{i}"))
    cuts = sorted(draw(st.lists(st.integers(0, max(n, 1)), max_size=4)))
    return rows, cuts


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    obligations(),
    streams(),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, (1, 30)]),
    st.booleans(),
    st.sampled_from([1, 2]),
)
def test_column_ticks_equal_event_engine(  # noqa: PLR0917 (hypothesis arguments)
    duties: Any,
    data: Any,
    columns: bool,
    parameter_values: bool,
    span: Any,
    bounded: bool,
    jobs: int,
) -> None:
    plan = compile_plan(build(*duties, bounded=bounded))
    rows, cuts = data
    options: dict[str, Any] = {"parameter_values": parameter_values}
    if span is not None:
        options |= {"start": at(span[0]), "end": at(span[1])}
    ev = Evaluator(plan, **options)
    ev.feed_rows(rows)
    expected = dumps(ev.finish())
    batch = BatchEvaluator(plan, jobs=jobs, **options)
    assert batch._ticks is not None, "the column-wise tick steps must apply to this spec"
    for part in chunks(rows, cuts):
        if columns and part:
            times, targets, values, origins = zip(*part, strict=True)
            batch.feed_columns(list(times), list(targets), list(values), list(origins))
        else:
            batch.feed_rows(part)
    assert dumps(batch.finish()) == expected


def test_column_ticks_take_the_steps_when_nothing_else_happens() -> None:
    """Records only of the vectorized gauge, far apart: every tick between them is a
    pure tick step, done column-wise; violations, gaps and actions as per event."""
    spec = build(
        [
            slo("S0", o.Less(parameter="PM", value=2)),
            slo("S1", o.GreaterEqual(parameter="PD", value=1), on="slow"),
        ],
        [guarantee("G0", o.ViolationPredicate(slo="S0"), ExecutionModality.ON_ENTERING_CONDITION)],
    )
    plan = compile_plan(spec)
    rows = [(at(m, 10), "Svc/G", m % 4, None) for m in range(0, 60, 7)]
    ev = Evaluator(plan)
    ev.feed_rows(rows)
    expected = ev.finish()
    batch = BatchEvaluator(plan)
    batch.feed_rows(rows)
    got = batch.finish()
    assert batch._ticks is not None and batch._ticks.steps >= 55
    assert dumps(got) == dumps(expected)
    assert got.violations() and got.of_type(type(expected.outcomes[0]))
    kinds = {type(x).__name__ for x in got.outcomes}
    assert {"SLOEvaluation", "Violation", "DataGap", "ActionRequest"} <= kinds


def test_violation_inside_an_slo_keeps_the_engine_loop() -> None:
    spec = build(
        [
            slo("S0", o.Less(parameter="PM", value=2)),
            slo("S1", o.ViolationPredicate(slo="S0")),
        ],
        [],
    )
    plan = compile_plan(spec)
    batch = BatchEvaluator(plan)
    assert batch.vectorized_targets and batch._ticks is None
    rows = [(at(m, 10), "Svc/G", m % 3, None) for m in range(0, 30, 4)]
    ev = Evaluator(plan)
    ev.feed_rows(rows)
    batch.feed_rows(rows)
    assert dumps(batch.finish()) == dumps(ev.finish())


def test_obligations_false_gives_the_same_result() -> None:
    spec = build([slo("S0", o.Less(parameter="PP", value=2))], [])
    plan = compile_plan(spec)
    rows = [(at(m, 10), "Svc/G", m % 5, None) for m in range(0, 40, 3)]
    a = BatchEvaluator(plan)
    b = BatchEvaluator(plan, obligations=False)
    assert a._ticks is not None and b._ticks is None
    a.feed_rows(rows)
    b.feed_rows(rows)
    assert dumps(a.finish()) == dumps(b.finish())


@st.composite
def shared_streams(draw: Any) -> tuple[list[int], list[str], list[Any], list[Any]]:
    """One log's rows: times (sorted), a key per row, two value columns."""
    n = draw(st.integers(1, 60))
    times, t = [], at(0)
    for _ in range(n):
        t += draw(st.sampled_from([0, 5, 30, 70, 200])) * 10**9
        times.append(t)
    keys = draw(st.lists(st.sampled_from(["G", "H", "X"]), min_size=n, max_size=n))
    first = draw(st.lists(st.sampled_from([0, 1, 2.5, 4]), min_size=n, max_size=n))
    second = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    return times, keys, first, second


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared_streams(), st.integers(1, 4), obligations(), st.sampled_from([1, 2]))
def test_streams_sharing_times_and_keys(data: Any, parts: int, duties: Any, jobs: int) -> None:
    """Two streams over the same time and key arrays (an access log's columns: one
    split by key serves both) beside the per-event gauge, in time-aligned chunks; with
    two jobs a chunk's tick steps run while the next chunk's intervals are computed."""
    import numpy as np

    times, keys, first, second = data
    plan = compile_plan(build(*duties))
    # the first stream: key G feeds the vectorized gauge, H and X the per-event one;
    # the second: G and X the per-event gauge, H the vectorized gauge by its URI
    names_a = ["Svc/G", "Svc/H", "Svc/H"]
    names_b = ["Svc/H", "urn:G", "Svc/H"]
    rows = []
    for i, (t, k) in enumerate(zip(times, keys, strict=True)):
        c = "GHX".index(k)
        rows.append((t, 0, i, names_a[c], first[i]))
        rows.append((t, 1, i, names_b[c], second[i]))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))  # earlier streams first on ties
    ev = Evaluator(plan)
    ev.feed_rows([(t, name, v, None) for t, _, _, name, v in rows])
    expected = dumps(ev.finish())
    t_all = np.array(times, dtype=np.int64)
    codes = np.array(["GHX".index(k) for k in keys], dtype=np.int32)
    v_a, v_b = np.array(first, dtype=object), np.array(second, dtype=np.int64)
    batch = BatchEvaluator(plan, jobs=jobs)
    lo = 0
    for cut in [*np.linspace(0, len(times), parts + 1).astype(int).tolist()[1:], len(times)]:
        hi = cut
        while 0 < hi < len(times) and times[hi] == times[hi - 1]:
            hi += 1  # cut only between distinct times (a block reader's rule)
        if hi <= lo:
            continue
        t, c = t_all[lo:hi], codes[lo:hi]
        batch.feed_streams([(t, (c, names_a), list(v_a[lo:hi])), (t, (c, names_b), v_b[lo:hi])])
        lo = hi
    assert dumps(batch.finish()) == expected


def test_evaluations_built_field_by_field_equal_constructed_ones() -> None:
    from wsla.runtime.batch_obligations import _evaluations
    from wsla.runtime.outcomes import SLOEvaluation

    at = [1, 2, 3]
    results: list[bool | None] = [True, False, None]
    values: list[dict[str, Any]] = [{"p": 1.5}, {"p": None}, {"p": 2}]
    built = _evaluations(at, "s", results, values)
    wanted = [SLOEvaluation(t, "s", r, v) for t, r, v in zip(at, results, values, strict=True)]
    assert built == wanted
    assert [repr(b) for b in built] == [repr(w) for w in wanted]
    assert [b.to_json() for b in built] == [w.to_json() for w in wanted]
    assert [hash((b.time, b.slo, b.result)) for b in built] == [
        hash((w.time, w.slo, w.result)) for w in wanted
    ]
    assert _evaluations([], "s", [], []) == []
