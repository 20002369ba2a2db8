"""The engine against a direct computation of the same quantities (a small oracle).

For a gauge sampled by a TSConstructor and collected by a QConstructor, the reference's
step rules fix every value: a tick at ``t`` samples the latest record strictly before ``t``
(ticks come before the records at their instant), ticks count in ``(first record, last
record]``, and the Q appends every defined record. The oracle computes that directly.
"""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from runtime_builders import MIN, at, gauge, make_spec, metric, param, ref, schedule

from wsla.model import Mean, QConstructor, Sum, TSConstructor
from wsla.runtime.engine import Evaluator
from wsla.runtime.outcomes import DataGap, ParameterValue

WINDOW = 3


def spec(minutes: int) -> object:
    return make_spec(
        [
            gauge("G"),
            metric("TS", TSConstructor(schedule="s", input=ref("G"), window=WINDOW)),
            metric("S", Sum(input=ref("TS"))),
            metric("Q", QConstructor(input=ref("G"), window=WINDOW)),
            metric("M", Mean(input=ref("Q"))),
        ],
        parameters=[param("PS", "S"), param("PM", "M")],
        schedules=[schedule("s", minutes)],
    )


def oracle(records: list[tuple[int, float | None]], minutes: int) -> tuple[list, list, list]:
    times = [t for t, _ in records]
    first, last = min(times), max(times)
    interval = minutes * MIN
    ticks = []
    k = 1
    while at(0) + k * interval <= last:
        tick = at(0) + k * interval
        if tick > first:
            ticks.append(tick)
        k += 1
    sums, gaps = [], []
    series: list[float] = []
    for tick in ticks:
        before = [v for t, v in records if t < tick]
        if not before or before[-1] is None:
            gaps.append(tick)
            continue
        series = [*series, before[-1]][-WINDOW:]
        sums.append(
            (tick, math.fsum(series) if any(isinstance(x, float) for x in series) else sum(series))
        )
    means = []
    queue: list[float] = []
    for t, v in records:
        if v is None:
            continue
        queue = [*queue, v][-WINDOW:]
        means.append((t, math.fsum(queue) / len(queue)))
    return sums, means, gaps


@given(
    st.lists(
        st.tuples(
            st.integers(0, 20 * 60),
            st.one_of(st.integers(-50, 50), st.floats(-1e3, 1e3), st.none()),
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([1, 2, 5]),
)
def test_engine_matches_oracle(raw: list[tuple[int, float | None]], minutes: int) -> None:
    records = sorted(((at(seconds=s), v) for s, v in raw), key=lambda r: r[0])
    ev = Evaluator(spec(minutes))
    for t, v in records:
        ev.feed("Svc/G", t, v)
    result = ev.finish()
    sums = [
        (o.time, o.value)
        for o in result.outcomes
        if isinstance(o, ParameterValue) and o.parameter == "PS"
    ]
    means = [
        (o.time, o.value)
        for o in result.outcomes
        if isinstance(o, ParameterValue) and o.parameter == "PM"
    ]
    gaps = [
        o.time for o in result.outcomes if isinstance(o, DataGap) and o.kind == "missing_sample"
    ]
    want_sums, want_means, want_gaps = oracle(records, minutes)
    assert sums == want_sums
    assert means == want_means
    assert gaps == want_gaps
