"""The engine's lanes: the inlined path of a record whose value only goes into one
interval buffer must give exactly what the general step machinery gives."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from runtime_builders import T0, at, gauge, make_spec, metric, param, schedule, slo

from wsla.evaluation import load_spec
from wsla.model import Greater, Less, Mean, QConstructor, Size, TSConstructor
from wsla.model.extensions import IntervalSeries
from wsla.runtime.engine import Evaluator, Result

WORKLOAD_SPEC = Path(__file__).resolve().parents[1] / "specs" / "workload-shop.xml"


def lane_spec() -> object:
    """A: interval buffer only (a lane); B: also a queue (none); C: a parameter reads the
    gauge itself (none); D: interval buffer plus a TSConstructor sampling the gauge at its
    ticks (a lane that must keep the gauge's value current)."""
    return make_spec(
        [
            gauge("A"),
            gauge("B"),
            gauge("C"),
            gauge("D"),
            metric("IA", IntervalSeries(schedule="s1", input=_ref("A"))),
            metric("MA", Mean(input=_ref("IA"))),
            metric("IB", IntervalSeries(schedule="s1", input=_ref("B"))),
            metric("QB", QConstructor(input=_ref("B"), window=3)),
            metric("NB", Size(operand=_ref("QB"))),
            metric("ID", IntervalSeries(schedule="s2", input=_ref("D"))),
            metric("ND", Size(operand=_ref("ID"))),
            metric("TD", TSConstructor(schedule="s1", input=_ref("D"), window=4)),
            metric("SD", Size(operand=_ref("TD"))),
        ],
        parameters=[
            param("PA", "MA"),
            param("PB", "NB"),
            param("PC", "C"),
            param("PND", "ND"),
            param("PSD", "SD"),
        ],
        schedules=[schedule("s1", 1), schedule("s2", 3)],
        slos=[
            slo("SA", Less(parameter="PA", value=50)),
            slo("SB", Greater(parameter="PB", value=1)),
            slo("SC", Less(parameter="PC", value=90)),
            slo("SD", Greater(parameter="PND", value=2), on="s2"),
            slo("STD", Greater(parameter="PSD", value=1), on="s1"),
        ],
    )


def _ref(name: str) -> Any:
    from runtime_builders import ref

    return ref(name)


def test_lanes_go_to_buffer_only_targets() -> None:
    ev = Evaluator(lane_spec())  # type: ignore[arg-type]
    lanes = {target for target, lane in ev._lanes.items() if lane[0] is not None}
    assert {"Svc/A", "urn:A", "Svc/D", "urn:D"} <= lanes
    assert not lanes & {"Svc/B", "urn:B", "Svc/C", "urn:C"}


def test_workload_records_take_lanes() -> None:
    """The benchmark's records (one invocation and one success flag per call, one status
    per probe) all have lanes: the shape the inlined path is for."""
    ev = Evaluator(load_spec(WORKLOAD_SPEC))
    for target in ("getQuote#invocation", "urn:shop:getQuote:succeeded", "urn:shop:getQuote:probe"):
        assert ev._lanes[target][0] is not None, target


values = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.integers(-5, 100),
    st.booleans(),
    st.none(),
    st.sampled_from(["up", "down"]),
)
records_strategy = st.lists(
    st.tuples(
        st.sampled_from(["Svc/A", "urn:A", "Svc/B", "urn:C", "Svc/D", "urn:D", "urn:nobody"]),
        st.integers(0, 40),  # seconds after the previous record: often 0 (same step)
        values,
        st.booleans(),  # time given as a datetime
    ),
    min_size=1,
    max_size=80,
)


def _stream(raw: list[tuple[str, int, Any, bool]]) -> list[tuple[str, Any, Any]]:
    out = []
    now = 0
    for target, gap, value, as_datetime in raw:
        now += gap
        time: Any = T0 + timedelta(seconds=now) if as_datetime else at(seconds=now)
        out.append((target, time, value))
    return out


def _json(result: Result) -> dict[str, Any]:
    return result.to_json()


@settings(max_examples=80, deadline=None)
@given(records_strategy)
def test_lanes_agree_with_every_other_path(raw: list[tuple[str, int, Any, bool]]) -> None:
    spec = lane_spec()
    stream = _stream(raw)
    one = Evaluator(spec)  # type: ignore[arg-type]
    for target, time, value in stream:
        one.feed(target, time, value)
    expected = _json(one.finish())
    rows = Evaluator(spec)  # type: ignore[arg-type]
    rows.feed_rows((time, target, value, None) for target, time, value in stream)
    assert _json(rows.finish()) == expected
    # tracing and lateness send every record through the general step machinery
    traced = Evaluator(spec, trace=True)  # type: ignore[arg-type]
    for target, time, value in stream:
        traced.feed(target, time, value)
    assert _json(traced.finish()) == expected
    # (with lateness an unknown target's gap comes before the buffered records' outcomes)
    known = [record for record in stream if record[0] != "urn:nobody"]
    plain = Evaluator(spec)  # type: ignore[arg-type]
    buffered = Evaluator(spec, allowed_lateness_ns=10**9)  # type: ignore[arg-type]
    for target, time, value in known:
        plain.feed(target, time, value)
        buffered.feed(target, time, value)
    assert _json(buffered.finish()) == _json(plain.finish())


def test_lane_keeps_the_gauge_value_for_sampling() -> None:
    """D's records only go into an interval buffer, but the TSConstructor samples D itself
    at each tick: the lane must leave D's current value in place (a bool read as 1)."""
    ev = Evaluator(lane_spec(), parameter_values=True)  # type: ignore[arg-type]
    ev.feed("Svc/D", at(seconds=10), True)
    ev.feed("Svc/D", at(seconds=70), 7.5)
    result = ev.finish(to=at(minutes=3))
    sizes = [o.value for o in result.outcomes if getattr(o, "parameter", None) == "PSD"]
    assert sizes == [1, 2, 3]  # one sample per minute tick: 1, then 7.5, then 7.5
    assert ev._nodes[ev.plan.metric_node("D").index].value == 7.5


def test_late_record_on_a_lane_is_reported() -> None:
    ev = Evaluator(lane_spec())  # type: ignore[arg-type]
    ev.feed("Svc/A", at(seconds=30), 1.0)
    ev.feed("Svc/A", at(seconds=20), 2.0)
    result = ev.finish()
    assert result.late_records == 1
    assert result.records == 2


@pytest.mark.parametrize("bad", [True, 1.5e18, "2026-01-01T00:00:00Z"])
def test_lane_refuses_a_time_that_is_not_ns_or_datetime(bad: object) -> None:
    ev = Evaluator(lane_spec())  # type: ignore[arg-type]
    ev.feed("Svc/A", at(seconds=1), 1.0)  # opens the window: the lane is live
    with pytest.raises(TypeError):
        ev.feed("Svc/A", bad, 2.0)  # type: ignore[arg-type]
    assert ev.finish().records == 1


def test_datetime_times_take_the_same_path_as_ns() -> None:
    ev = Evaluator(lane_spec())  # type: ignore[arg-type]
    ev.feed("Svc/A", T0 + timedelta(seconds=5), 4.0)
    ev.feed("Svc/A", at(seconds=6), 6.0)
    ev.feed("Svc/A", datetime.fromtimestamp(at(seconds=7) / 1e9, T0.tzinfo), 8.0)
    result = ev.finish(to=at(minutes=1))
    means = [o.value for o in result.outcomes if getattr(o, "parameter", None) == "PA"]
    assert means == [6.0]
    assert result.records == 3
