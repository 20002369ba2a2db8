"""Benchmark: what embedding the live monitor costs a service. Run on demand (not a test)::

    python benchmarks/monitor.py            # 2 M records
    python benchmarks/monitor.py --quick    # 200 k records

Prints, single-threaded:

* ``record`` calls/s (time taken from the monitor's clock, and given by the caller) and
  ``record_invocation`` calls/s: the cost on the request path, where a call only appends
  to a buffer under a lock;
* the same calls from 4 threads at once (total calls/s: they contend for the one lock);
* the overhead ``WSGIMiddleware`` + monitor add to an empty WSGI request (the app is
  called directly, without a server, so the figure is the middleware's own cost), and the
  same request through a no-op sink, to separate the timing from the monitor;
* ``tick`` throughput: buffered records evaluated per second (the ticker thread's work,
  off the request path), on ``specs/example-shop-service.xml``.

Target (design §5, issue 8): ≥ 500 k ``record`` calls/s.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from wsla.instrument import WSGIMiddleware
from wsla.monitor import FakeClock, Monitor, WallClock

SPEC = Path(__file__).resolve().parents[1] / "specs" / "example-shop-service.xml"
T0 = 1_767_225_600 * 10**9


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds / 1e6:6.2f} M/s"


def best_of(runs: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(runs))


def bench_record(monitor: Monitor, n: int) -> tuple[float, float, float]:
    record = monitor.record
    invocation = monitor.record_invocation

    def clock_time() -> float:
        started = time.perf_counter()
        for _ in range(n):
            record("getItem/Succeeded", 1)
        elapsed = time.perf_counter() - started
        monitor._pending.clear()
        return elapsed

    def given_time() -> float:
        started = time.perf_counter()
        for i in range(n):
            record("getItem/Succeeded", 1, T0 + i)
        elapsed = time.perf_counter() - started
        monitor._pending.clear()
        return elapsed

    def invocations() -> float:
        started = time.perf_counter()
        for _ in range(n):
            invocation("getItem", 12.5, True)
        elapsed = time.perf_counter() - started
        monitor._pending.clear()
        return elapsed

    return best_of(3, clock_time), best_of(3, given_time), best_of(3, invocations)


def bench_threads(monitor: Monitor, n: int, threads: int = 4) -> float:
    per = n // threads
    barrier = threading.Barrier(threads + 1)

    def work() -> None:
        record = monitor.record
        barrier.wait()
        for _ in range(per):
            record("getItem/Succeeded", 1)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    assert len(monitor._pending) == per * threads
    monitor._pending.clear()
    return elapsed


def empty_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Length", "0")])
    return [b""]


class NullSink:
    def record_invocation(
        self, operation: str, response_time_ms: float, ok: bool, time_ns: int | None = None
    ) -> None:
        pass


def _serve(app: Callable[..., Iterable[bytes]], n: int) -> float:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/items/1"}

    def start_response(status: str, headers: Any, *exc: Any) -> None:
        pass

    started = time.perf_counter()
    for _ in range(n):
        body = app(environ, start_response)
        for _chunk in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return time.perf_counter() - started


def bench_wsgi(monitor: Monitor, n: int) -> tuple[float, float, float]:
    def routes(method: str, path: str) -> str | None:
        return "getItem" if path.startswith("/items/") else None

    bare = best_of(3, lambda: _serve(empty_app, n))
    null = best_of(3, lambda: _serve(WSGIMiddleware(empty_app, NullSink(), routes), n))

    def measured() -> float:
        elapsed = _serve(WSGIMiddleware(empty_app, monitor, routes), n)
        monitor._pending.clear()
        return elapsed

    return bare, null, best_of(3, measured)


def bench_tick(n: int) -> float:
    clock = FakeClock(T0)
    monitor = Monitor(SPEC, clock=clock, success_target="{operation}/Succeeded")
    step = 60 * 10**9 * 10 // n  # n invocations over ten minutes
    for i in range(n):
        monitor.record_invocation(
            "getItem" if i % 2 else "placeOrder", 10.0 + i % 50, True, T0 + i * step
        )
    clock.set(T0 + 600 * 10**9)
    started = time.perf_counter()
    monitor.tick()
    elapsed = time.perf_counter() - started
    monitor.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 200_000 if args.quick else 2_000_000
    monitor = Monitor(SPEC, clock=WallClock(), success_target="{operation}/Succeeded")

    clock_time, given_time, invocations = bench_record(monitor, n)

    def line(label: str, count: int, seconds: float, note: str = "") -> None:
        per_call = seconds / count * 1e9
        print(f"{label:<34}{_rate(count, seconds)}  ({per_call:5.0f} ns/call{note})")

    line("record(target, value)", n, clock_time)
    line("record(target, value, time)", n, given_time)
    line("record_invocation(op, ms, ok)", n, invocations, ", 2 records")
    line("record from 4 threads (total)", n, bench_threads(monitor, n))
    target = n / clock_time >= 500_000
    print(f"target ≥ 0.5 M record calls/s:    {'met' if target else 'NOT met'}")

    requests = n // 10
    bare, null, measured = bench_wsgi(monitor, requests)

    def request(label: str, seconds: float) -> None:
        us = seconds / requests * 1e6
        extra = us - bare / requests * 1e6
        print(f"{label:<34}{us:6.2f} µs/request  (+{extra:.2f} µs)")

    request("empty WSGI request", bare)
    request("  + WSGIMiddleware, no-op sink", null)
    request("  + WSGIMiddleware → Monitor", measured)

    ticked = n // 4
    line("tick: evaluating buffered calls", ticked, bench_tick(ticked), ", invocations")
    monitor.close()


if __name__ == "__main__":
    main()
