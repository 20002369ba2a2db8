"""``wslax:Rate``: events per ``Per`` in each schedule interval — hand-computed values,
the edge cases of docs/semantics.md §11, refusals, the XML and DSL forms, and the
per-event and batch engines agreeing on random streams."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wsla
from tests.runtime_builders import at, gauge, make_spec, metric, param, ref, schedule, slo
from wsla.model import Interval, Mean
from wsla.model.extensions import IntervalSeries, Rate
from wsla.model.obligations import Greater, Less
from wsla.runtime import Evaluator, compile_plan
from wsla.runtime.batch import BatchEvaluator
from wsla.runtime.outcomes import ParameterValue
from wsla.runtime.plan import PlanError

S = 10**9


def rate_spec(per: Interval, *, months: bool = False) -> Any:
    sched = (
        schedule("win", 0, months=1, start=datetime(2026, 1, 1, tzinfo=UTC))
        if months
        else schedule("win", 1)
    )
    return make_spec(
        [gauge("G"), metric("R", Rate(schedule="win", input=ref("G"), per=per))],
        parameters=[param("PR", "R")],
        schedules=[sched],
    )


def rates(result: Any) -> list[tuple[int, Any]]:
    return [(o.time, o.value) for o in result.outcomes if isinstance(o, ParameterValue)]


def run(spec: Any, rows: list[tuple[int, str, Any, Any]], to: int | None = None) -> Any:
    ev = Evaluator(compile_plan(spec))
    ev.feed_rows(rows)
    return ev.finish(to)


# Minutely intervals from T0 (= at(0)); one event before Start, three in the first
# minute (the last 1 ms before its end), one exactly at 00:01 (the second minute's),
# one undefined value (not an event), one at 00:02:30, then two empty minutes.
ROWS = [
    (at(0) - S, "Svc/G", 1, None),
    (at(0), "Svc/G", 1, None),
    (at(0, 30), "Svc/G", 2, None),
    (at(1) - 10**6, "Svc/G", 3, None),
    (at(1), "Svc/G", 4, None),
    (at(1, 20), "Svc/G", None, None),
    (at(2, 30), "Svc/G", 5, None),
]


def test_events_per_second_by_hand() -> None:
    got = rates(run(rate_spec(Interval(seconds=1)), ROWS, to=at(5)))
    # 3 events in [00:00, 00:01) → 3/60; 1 in each of the next two; none after
    assert got == [
        (at(1), 3 / 60),
        (at(2), 1 / 60),
        (at(3), 1 / 60),
        (at(4), 0.0),
        (at(5), 0.0),
    ]
    assert all(type(v) is float for _, v in got)


@pytest.mark.parametrize(
    ("per", "first"),
    [
        (Interval(minutes=1), 3.0),
        (Interval(milliseconds=1), 3 / 60_000),
        (Interval(hours=1), 180.0),
    ],
)
def test_per_scales_the_rate(per: Interval, first: float) -> None:
    got = rates(run(rate_spec(per), ROWS, to=at(2)))
    assert got[0] == (at(1), first)
    assert got[1] == (at(2), per.fixed_milliseconds() * 10**6 / (60 * S))  # 1 event


def test_undefined_before_the_first_tick_and_no_value_without_ticks() -> None:
    got = rates(run(rate_spec(Interval(seconds=1)), ROWS[:4], to=at(0, 59)))
    assert got == []  # no tick: no rate (the parameter never had a value)


def test_calendar_months_divide_by_their_own_length() -> None:
    jan, feb = 31 * 86_400 * S, 28 * 86_400 * S
    start = at(0)
    rows = [(start + k * 86_400 * S, "Svc/G", 1, None) for k in range(31)]  # one a day
    rows += [(start + jan + k * 2 * 86_400 * S, "Svc/G", 1, None) for k in range(14)]
    got = rates(run(rate_spec(Interval(days=1), months=True), rows, to=start + jan + feb))
    assert got == [(start + jan, 1.0), (start + jan + feb, 0.5)]


@pytest.mark.parametrize(
    ("per", "needle"),
    [
        (Interval(months=1), "years or months"),
        (Interval(seconds=0), "not a positive duration"),
        (Interval(seconds=-5), "not a positive duration"),
    ],
)
def test_per_without_a_fixed_positive_length_is_refused(per: Interval, needle: str) -> None:
    with pytest.raises(PlanError) as refused:
        compile_plan(rate_spec(per))
    assert [d.code for d in refused.value.diagnostics] == ["E009"]
    assert needle in refused.value.diagnostics[0].message


def test_unknown_schedule_is_refused() -> None:
    spec = make_spec(
        [gauge("G"), metric("R", Rate(schedule="nope", input=ref("G"), per=Interval(seconds=1)))],
        parameters=[param("PR", "R")],
        schedules=[schedule("win", 1)],
    )
    with pytest.raises(PlanError) as refused:
        compile_plan(spec)
    assert [d.code for d in refused.value.diagnostics] == ["E003"]


DSL = """sla RateDemo {
  provider Shop {
    action notification getpost(address="http://127.0.0.1:8099/sla-events") by Shop
  }
  consumer Customer {
    action notification getpost(address="http://127.0.0.1:8098/sla-events") by Customer
  }
  supporting Monitor sponsors Shop roles MeasurementService

  service Api {
    schedule minutely every 1 min from 2025-01-01T00:00:00Z to 2035-01-01T00:00:00Z

    operation get {
      parameter RequestRate: double in "requests / second" = Rps source Monitor push [Customer]

      metric RT: double in milliseconds by Monitor = measure response_time(uri="urn:r") as double
      metric Rps: double by Monitor = rate(RT, schedule=minutely, per=1 s) as double
      metric RTs: Q by Monitor = interval_series(RT, schedule=minutely) as Q
      metric Bad: double by Monitor = rate(RTs, schedule=minutely, per=1 s) as double
    }
  }

  obligations O {
    slo Busy obliged Shop on new value {
      valid from 2025-01-01T00:00:00Z to 2035-01-01T00:00:00Z
      RequestRate < 2.0
    }
  }
}
"""


def _rate_of(spec: Any, name: str) -> Rate:
    for service in spec.service_definitions:
        for obj in service.operations:
            for m in obj.metrics:
                if m.name == name:
                    assert isinstance(m.definition, Rate)
                    return m.definition
    raise AssertionError(name)


def test_dsl_and_xml_forms_round_trip() -> None:
    spec, found = wsla.read_spec(DSL, "rate.wsla")
    assert spec is not None, found
    assert not [d for d in found if d.is_error]
    rate = _rate_of(spec, "Rps")
    assert (rate.schedule, rate.per) == ("minutely", Interval(seconds=1))
    xml = wsla.dumps(spec)
    assert '<Function xsi:type="wslax:Rate" resultType="double">' in xml
    assert "<wslax:Per>" in xml and "<Seconds>1</Seconds>" in xml
    again, found = wsla.read_spec(xml, "rate.xml")  # through the XSD as well
    assert again == spec, found
    printed = wsla.dumps(spec, "wsla")
    assert "rate(RT, schedule=minutely, per=1 s)" in printed
    assert wsla.loads(printed) == spec
    assert wsla.dumps(wsla.loads(printed), "wsla") == printed


def test_a_series_input_is_a_type_error() -> None:
    spec = wsla.loads(DSL)
    codes = [(d.code, d.message) for d in wsla.check(spec) if d.is_error]
    assert len(codes) == 1 and codes[0][0] == "T002", codes
    assert "Rate" in codes[0][1] and "RTs" in codes[0][1]


def test_xsd_refuses_a_rate_without_per() -> None:
    xml = wsla.dumps(wsla.loads(DSL))
    start = xml.index("<wslax:Per>")
    broken = xml[:start] + xml[xml.index("</wslax:Per>") + len("</wslax:Per>") :]
    spec, found = wsla.read_spec(broken, "broken.xml")
    assert spec is None or any(d.is_error for d in found)
    assert any(d.is_error and d.code.startswith("X") for d in found)


# --- the engines agree ----------------------------------------------------------------


def agreement_spec(window: int) -> Any:
    """Rate beside a vectorizable chain (G → IntervalSeries → Mean), so the batch engine
    vectorizes H and falls back to the per-event engine for G (read by Rate)."""
    return make_spec(
        [
            gauge("G"),
            gauge("H"),
            metric("RG", Rate(schedule="win", input=ref("G"), per=Interval(seconds=1))),
            metric("W", IntervalSeries(schedule="win", input=ref("H"))),
            metric("M", Mean(input=ref("W"))),
            metric("RH", Rate(schedule="win", input=ref("H"), per=Interval(minutes=1))),
            metric("X", IntervalSeries(schedule="win", input=ref("K"))),
            gauge("K"),
            metric("MK", Mean(input=ref("X"))),
        ],
        parameters=[param("PG", "RG"), param("PM", "M"), param("PH", "RH"), param("PK", "MK")],
        schedules=[schedule("win", window)],
        slos=[
            slo("Busy", Less(parameter="PG", value=0.05)),
            slo("Quiet", Greater(parameter="PH", value=1), on="win"),
        ],
    )


@st.composite
def streams(draw: Any) -> tuple[list[tuple[int, str, Any, Any]], list[int]]:
    n = draw(st.integers(0, 100))
    rows = []
    t = at(0) - 30 * S
    for i in range(n):
        step = draw(st.sampled_from([0, 1, 7, 30, 61, 300]))
        if draw(st.integers(0, 19)) == 0:
            step = -draw(st.integers(1, 400))  # late
        t += step * S
        target = draw(st.sampled_from(["Svc/G", "Svc/H", "Svc/K", "urn:G"]))
        value = draw(st.one_of(st.integers(-3, 3), st.none(), st.floats(-2, 2)))
        rows.append((t, target, value, f"r{i}"))
    cuts = sorted(draw(st.lists(st.integers(0, max(n, 1)), max_size=4)))
    return rows, cuts


def oracle(rows: list[tuple[int, str, Any, Any]], window: int) -> list[Any]:
    """PG by hand: per tick the window processes (after the first record, up to the
    newest), the defined G values applied (not late) in its interval, per second."""
    newest, applied = None, []
    for t, target, value, _ in rows:
        if newest is not None and t < newest:
            continue  # late: never applied
        newest = t
        if target in ("Svc/G", "urn:G") and value is not None:
            applied.append(t)
    if not rows or newest is None:
        return []
    step = window * 60 * S
    out = []
    tick = at(0) + step
    while tick <= newest:
        if tick > rows[0][0]:  # the window runs from the first record: ticks in (from, to]
            n = sum(1 for t in applied if tick - step <= t < tick)
            out.append((tick, n * S / step))
        tick += step
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams(), st.sampled_from([1, 2, 5]), st.booleans())
def test_batch_and_event_engines_agree(data: Any, window: int, columns: bool) -> None:
    rows, cuts = data
    plan = compile_plan(agreement_spec(window))
    ev = Evaluator(plan)
    ev.feed_rows(rows)
    expected = ev.finish()
    batch = BatchEvaluator(plan)
    assert "Svc/K" in batch.vectorized_targets
    assert "Svc/G" not in batch.vectorized_targets and "Svc/H" not in batch.vectorized_targets
    lo = 0
    for c in [*cuts, len(rows)]:
        part = rows[lo:c]
        lo = max(lo, c)
        if columns and part:
            times, targets, values, origins = zip(*part, strict=True)
            batch.feed_columns(list(times), list(targets), list(values), list(origins))
        else:
            batch.feed_rows(part)
    got = batch.finish()
    assert json.dumps(got.to_json(), sort_keys=True) == json.dumps(
        expected.to_json(), sort_keys=True
    )
    pg = [
        (o.time, o.value)
        for o in expected.outcomes
        if isinstance(o, ParameterValue) and o.parameter == "PG"
    ]
    assert pg == oracle(rows, window)


@pytest.mark.parametrize("cut", [0, 2, 4, 6, 7])
def test_checkpoint_mid_interval_resumes_the_same(cut: int) -> None:
    from wsla.runtime import state

    plan = compile_plan(rate_spec(Interval(seconds=1)))
    one, two = Evaluator(plan), Evaluator(plan)
    one.feed_rows(ROWS[:cut])
    before = list(one.outcomes())
    state.restore(two, json.loads(json.dumps(state.capture(one), allow_nan=False)))
    for ev in (one, two):
        ev.feed_rows(ROWS[cut:])
    expected = one.finish(at(5)).to_json()
    got = two.finish(at(5)).to_json()
    assert [o.to_json() for o in before] + got["outcomes"] == expected["outcomes"]
