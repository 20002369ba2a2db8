"""The example service (examples/shop_service.py) runs and evaluates its own SLA."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

from wsla.actions import ActionMessage
from wsla.monitor import FakeClock
from wsla.runtime.outcomes import ActionRequest, ParameterValue, Violation

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "shop_service.py"


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shop_service", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _get(url: str, method: str = "GET") -> int:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_example_service_reports_slow_reads_and_failing_orders(tmp_path: Path) -> None:
    shop = _example()
    # The monitor stamps the middleware's records with its own (fake) clock, which starts
    # at the wall clock and is moved past the minute boundaries instead of waiting.
    clock = FakeClock(time.time_ns())
    notified: list[ActionMessage] = []
    monitor, app = shop.build(
        clock=clock,
        outbox=tmp_path / "outbox.db",
        notify=lambda message, key: notified.append(message),
    )
    outcomes: list[Any] = []
    monitor.subscribe(outcomes.append)
    server = shop.serve(app, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        assert [_get(f"{base}/items/{i}?delay_ms=70") for i in range(3)] == [200] * 3
        assert [_get(f"{base}/orders?fail=1", "POST") for _ in range(2)] == [500] * 2
        assert _get(f"{base}/nowhere") == 404  # not an operation: not measured
    finally:
        server.shutdown()
        server.server_close()
    clock.set(time.time_ns() + 130 * 10**9)  # two minute ticks later
    monitor.tick()
    monitor.dispatch()
    monitor.close()

    means = [
        o.value
        for o in outcomes
        if isinstance(o, ParameterValue) and o.parameter == "getItemMeanResponseTime"
    ]
    assert [m for m in means if m is not None]
    assert all(m >= 70 for m in means if m is not None)
    errors = [
        o.value
        for o in outcomes
        if isinstance(o, ParameterValue) and o.parameter == "placeOrderErrorRatio"
    ]
    assert 1.0 in errors
    violated = {o.slo for o in outcomes if isinstance(o, Violation)}
    assert violated == {"getItemLatency", "placeOrderErrors"}
    requested = {o.guarantee for o in outcomes if isinstance(o, ActionRequest)}
    assert requested == {"NotifyGetItemSlow", "NotifyPlaceOrderErrors"}
    assert {m.guarantee for m in notified} == requested


def test_example_runs_with_its_documented_command(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLE), "--port", "0", "--outbox", str(tmp_path / "o.db")],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, first
        base = f"http://127.0.0.1:{found.group(1)}"
        assert _get(f"{base}/items/7") == 200
        assert _get(f"{base}/orders", "POST") in (201, 500)
    finally:
        process.terminate()
        process.wait(timeout=10)
