"""The live monitor: same outcomes as the engine, thread safety, outcome delivery, actions."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from monitor_specs import SPECS, Raw, ns, outcome_json, records_strategy, rich_spec, simple_spec

from wsla.actions import ActionMessage, Outbox, default_registry
from wsla.instrument import instrument, measure
from wsla.monitor import FakeClock, Monitor, WallClock, action_message
from wsla.runtime.engine import Evaluator
from wsla.runtime.outcomes import ActionRequest, DataGap, ParameterValue, Violation


@settings(max_examples=50)
@given(st.sampled_from(sorted(SPECS)), records_strategy, st.sampled_from([0.0, 30.0]), st.data())
def test_fake_clock_monitor_equals_the_engine(
    spec_name: str, raw: list[Raw], lateness: float, data: st.DataObject
) -> None:
    """Records at the clock's now, ticks at random instants: the outcomes are exactly
    those of one evaluator fed the same records and finished at the last instant."""
    spec = SPECS[spec_name]()
    clock = FakeClock(ns(0))
    monitor = Monitor(spec, clock=clock, allowed_lateness=lateness)
    ticks = data.draw(st.lists(st.booleans(), min_size=len(raw), max_size=len(raw)))
    got = []
    following = [s for s, _, _ in raw[1:]] + [raw[-1][0] + 90]
    for (seconds, target, value), tick, upto in zip(raw, ticks, following, strict=True):
        clock.set(ns(seconds))
        monitor.record(target, value)  # time: the clock's now
        if tick:  # at any instant before the next record
            clock.set(ns(data.draw(st.integers(seconds, upto))))
            got.extend(monitor.tick())
    clock.advance(120)
    got.extend(monitor.finish().outcomes)

    ev = Evaluator(spec, start=ns(0), allowed_lateness_ns=round(lateness * 1e9))
    for seconds, target, value in raw:
        ev.feed(target, ns(seconds), value)
    expected = outcome_json(ev.finish(clock.now_ns()).outcomes)
    got_json = outcome_json(got)

    # The evaluator reports a record for an unknown target on arrival, before the ticks
    # due by then (which wait for the next applied record), the monitor after the ticks
    # its clock already processed; and with a lateness buffered records are applied when
    # event time passes them (by the clock, or by later records). So only unknown-target
    # gaps may interleave differently; everything else comes in the very same order.
    def on_arrival(o: dict[str, Any]) -> bool:
        return o.get("kind") == "unknown_target"

    assert [o for o in got_json if not on_arrival(o)] == [o for o in expected if not on_arrival(o)]
    assert [o for o in got_json if on_arrival(o)] == [o for o in expected if on_arrival(o)]


def test_ticks_process_schedules_on_the_clock_without_records() -> None:
    clock = FakeClock(ns(0))
    monitor = Monitor(rich_spec(), clock=clock)
    monitor.record("Svc/B", 20)  # B has a reading schedule: s2, every 2 minutes
    assert monitor.tick() == []
    clock.advance(59)
    assert monitor.tick() == []
    clock.advance(1)
    gaps = [o for o in monitor.tick() if isinstance(o, DataGap)]
    assert ("missing_sample", "Svc/TB", ns(60)) in [(g.kind, g.subject, g.time) for g in gaps]
    clock.advance(60)
    values = {o.parameter: o.value for o in monitor.tick() if isinstance(o, ParameterValue)}
    assert values["PB"] == 20  # at 2:00 B took its reading and TB (s1) sampled it


def test_concurrent_records_from_threads_equal_a_serial_run() -> None:
    """Threads record at the clock's now (every reading one second later): no record is
    lost and the outcomes are those of a serial run over the records in clock order."""

    class CountingClock:
        def __init__(self) -> None:
            self.now = ns(0)

        def now_ns(self) -> int:
            self.now += 10**9  # called under the monitor's lock: distinct and ordered
            return self.now

    spec = simple_spec()
    monitor = Monitor(spec, clock=CountingClock())
    threads, per_thread = 4, 300
    collected: list[Any] = []

    def worker(k: int) -> None:
        for i in range(per_thread):
            monitor.record("Svc/G", k * 1000 + i)
            if i % 50 == 0:
                collected.extend(monitor.tick())

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    collected.extend(monitor.finish().outcomes)
    # every record shows up once as a value of PG, at the time the clock gave it
    fed = [
        (o.time, o.value)
        for o in collected
        if isinstance(o, ParameterValue) and o.parameter == "PG"
    ]
    assert sorted(v for _, v in fed) == sorted(
        k * 1000 + i for k in range(threads) for i in range(per_thread)
    )
    assert len({t for t, _ in fed}) == len(fed)
    serial = Evaluator(spec, start=ns(0) + 10**9)
    for t, value in sorted(fed):
        serial.feed("Svc/G", t, value)
    expected = serial.finish(max(o.time for o in collected))
    assert Counter(map(repr, outcome_json(collected))) == Counter(
        map(repr, outcome_json(expected.outcomes))
    )
    assert [o.time for o in collected] == sorted(o.time for o in collected)


def test_subscribers_streams_and_async_iterators_get_every_outcome() -> None:
    clock = FakeClock(ns(0))
    monitor = Monitor(simple_spec(), clock=clock)
    called: list[Any] = []
    unsubscribe = monitor.subscribe(called.append)
    stream = monitor.stream(timeout=5)
    for i, value in enumerate([10, 90, 95]):
        clock.set(ns(i))
        monitor.record("Svc/G", value)
    produced = monitor.tick()
    assert [type(o).__name__ for o in produced].count("Violation") == 2
    assert called == produced
    assert [next(stream) for _ in produced] == produced
    unsubscribe()
    monitor.record("Svc/G", 1)
    more = monitor.tick()
    assert more
    assert called == produced
    monitor.close()
    assert list(stream) == more  # the rest, then the stream ends with the monitor


def test_async_iteration_bridges_from_the_ticking_thread() -> None:
    async def main() -> list[Any]:
        clock = FakeClock(ns(0))
        monitor = Monitor(simple_spec(), clock=clock)
        outcomes = monitor.aiter()

        def produce() -> None:
            monitor.record("Svc/G", 99)
            monitor.tick()
            monitor.close()

        thread = threading.Thread(target=produce)
        thread.start()
        got = [o async for o in outcomes]
        thread.join()
        return got

    got = asyncio.run(asyncio.wait_for(main(), 10))
    assert any(isinstance(o, Violation) for o in got)
    assert any(isinstance(o, ActionRequest) for o in got)


def test_a_failing_subscriber_does_not_stop_the_others() -> None:
    monitor = Monitor(simple_spec(), clock=FakeClock(ns(0)))

    def broken(outcome: Any) -> None:
        raise RuntimeError("boom")

    got: list[Any] = []
    monitor.subscribe(broken)
    monitor.subscribe(got.append)
    monitor.record("Svc/G", 5)
    assert monitor.tick() == got
    assert got


def test_action_requests_are_in_the_outbox_before_any_delivery(tmp_path: Path) -> None:
    delivered: list[tuple[ActionMessage, str]] = []
    spec = simple_spec()
    registry = default_registry(
        spec, callbacks={("C", "notify"): lambda m, k: delivered.append((m, k))}
    )
    outbox = Outbox(tmp_path / "outbox.db")
    monitor = Monitor(spec, clock=FakeClock(ns(0)), outbox=outbox, registry=registry)
    monitor.record("Svc/G", 70)
    requests = [o for o in monitor.tick() if isinstance(o, ActionRequest)]
    assert len(requests) == 1
    pending = outbox.deliveries()
    assert [d.status.value for d in pending] == ["pending"]
    assert delivered == []
    message = action_message("T", requests[0])
    assert pending[0].key == message.key
    assert message.notification == {
        "type": "Violation",
        "causing_guarantee": "GM",
        "parameters": {"PM": 70.0},
    }
    report = monitor.dispatch()
    assert report is not None
    assert [d.key for d in report.delivered] == [message.key]
    assert delivered == [(message, message.key)]
    assert [d.status.value for d in outbox.deliveries()] == ["delivered"]
    # the same request again (a replay after a crash) is stored once
    assert outbox.enqueue(message) is False


def test_started_monitor_ticks_and_dispatches_in_the_background(tmp_path: Path) -> None:
    got = threading.Event()
    keys: list[str] = []

    def deliver(message: ActionMessage, key: str) -> None:
        keys.append(key)
        got.set()

    spec = simple_spec()
    registry = default_registry(spec, callbacks={("C", "notify"): deliver})
    with Monitor(
        spec,
        outbox=tmp_path / "outbox.db",
        registry=registry,
        tick_interval=0.01,
        checkpoint=tmp_path / "cp.json",
        checkpoint_every=0.0,
    ) as monitor:
        assert isinstance(monitor.clock, WallClock)
        stream = monitor.stream(timeout=5)
        monitor.record("Svc/G", 75)
        first = next(stream)
        assert isinstance(first, ParameterValue)
        assert got.wait(5)
    assert len(keys) == 1
    assert (tmp_path / "cp.json").exists()
    with pytest.raises(RuntimeError, match="closed"):
        monitor.record("Svc/G", 1) or monitor.tick()


def test_record_invocation_feeds_the_operation_and_its_success_target() -> None:
    from runtime_builders import gauge, make_spec, param

    from wsla.model import InvocationCount, Metric, Operation, ResponseTime

    op = Operation(
        name="Op",
        metrics=(
            Metric(name="RT", source="P", definition=ResponseTime(measurement_uri="urn:rt")),
            Metric(name="Count", source="P", definition=InvocationCount()),
            gauge("Ok"),
        ),
        parameters=(param("PRT", "RT"), param("PCount", "Count"), param("POk", "Ok")),
    )
    clock = FakeClock(ns(0))
    monitor = Monitor(make_spec(operations=[op]), clock=clock, success_target="{operation}/Ok")

    @instrument(monitor, "Op")
    def handler(fail: bool) -> str:
        if fail:
            raise ValueError("no")
        return "yes"

    # measure() leaves the time to the monitor, which stamps every invocation with its
    # (fake) clock: all four happen at the same instant, in call order
    monitor.record_invocation("Op", 12.5, True)
    assert handler(False) == "yes"
    with pytest.raises(ValueError, match="no"):
        handler(True)
    with measure(monitor, "Op") as timer:
        timer.fail()
    values: dict[str, list[Any]] = {}
    for o in monitor.tick():
        if isinstance(o, ParameterValue):
            values.setdefault(o.parameter, []).append(o.value)
    assert values["PCount"] == [1, 2, 3, 4]
    assert values["POk"] == [1, 1, 0, 0]
    assert values["PRT"][0] == 12.5
    assert all(isinstance(v, float) and v >= 0 for v in values["PRT"])


def test_finish_closes_the_summaries_and_ends_the_monitor() -> None:
    clock = FakeClock(ns(0))
    monitor = Monitor(simple_spec(), clock=clock)
    monitor.record("Svc/G", 70)
    monitor.tick()
    clock.advance(60)
    monitor.record("Svc/G", 10)
    monitor.record("Svc/G", 10)
    clock.advance(60)
    result = monitor.finish()
    summary = result.summaries["SM"]
    assert (summary.evaluations, summary.violations) == (3, 1)  # means 70, 40, 30
    assert summary.time_in_violation == 60 * 10**9
    with pytest.raises(RuntimeError, match="finished"):
        monitor.tick()


def test_fake_clock_never_goes_back() -> None:
    clock = FakeClock(ns(10))
    with pytest.raises(ValueError, match="back"):
        clock.set(ns(9))
    clock.advance(ns=5)
    assert clock.now_ns() == ns(10) + 5


def test_records_with_unusable_times_are_rejected_and_counted() -> None:
    from datetime import datetime

    monitor = Monitor(simple_spec(), clock=FakeClock(ns(0)))
    monitor.record("Svc/G", 1, datetime(2026, 1, 1, 0, 0, 5))  # naive: refused
    monitor.record("Svc/G", 2, 1.5e18)  # type: ignore[arg-type]
    monitor.record("Svc/G", 3, ns(6))
    values = [o.value for o in monitor.tick() if isinstance(o, ParameterValue)]
    assert values == [3, 3.0]  # PG, then PM
    assert monitor.rejected == 2


def test_closing_ends_streams_but_calls_no_callback() -> None:
    monitor = Monitor(simple_spec(), clock=FakeClock(ns(0)))
    called: list[Any] = []
    monitor.subscribe(called.append)
    stream = monitor.stream()
    monitor.close()
    assert called == []
    assert list(stream) == []


def test_a_full_outbox_holds_requests_back_and_blocks_checkpoints(tmp_path: Path) -> None:
    from wsla.actions.outbox import OutboxFullError

    delivered: list[str] = []
    spec = simple_spec()
    registry = default_registry(spec, callbacks={("C", "notify"): lambda m, k: delivered.append(k)})
    clock = FakeClock(ns(0))
    monitor = Monitor(
        spec,
        clock=clock,
        outbox=Outbox(tmp_path / "o.db", max_pending=1),
        registry=registry,
        checkpoint=tmp_path / "cp.json",
    )
    for seconds, value in [(0, 90), (1, 10), (2, 10), (3, 10), (4, 95), (5, 95)]:
        clock.set(ns(seconds))
        monitor.record("Svc/G", value)
    requests = [o for o in monitor.tick() if isinstance(o, ActionRequest)]
    assert len(requests) == 2  # entering the violation twice; the outbox takes one
    with pytest.raises(OutboxFullError):
        monitor.checkpoint()
    assert not (tmp_path / "cp.json").exists()
    monitor.dispatch()  # delivers the first: room for the second
    monitor.tick()  # no new outcome, but the waiting request is written
    monitor.checkpoint()
    monitor.dispatch()
    assert delivered == [action_message("T", r).key for r in requests]


def test_finishing_a_started_monitor_stops_its_ticker(caplog: pytest.LogCaptureFixture) -> None:
    monitor = Monitor(simple_spec(), tick_interval=0.005).start()
    monitor.record("Svc/G", 1)
    monitor.finish()
    time.sleep(0.05)
    monitor.close()
    assert "tick failed" not in caplog.text
