"""Crash test: a monitor killed with SIGKILL at random points loses no action.

A child process (forked, so that it starts in milliseconds) evaluates a stream of
measurements that enters a violation again and again; each entry requests a
notification, delivered as a webhook to a receiver on 127.0.0.1 that records every POST
with its idempotency key. The child checkpoints after each batch and keeps the action
requests in a SQLite outbox. The parent kills it at random instants and starts it again
from its checkpoint and outbox until the stream is done. Afterwards every expected
action has been received, nothing else has, and a key that arrived twice is the same
action delivered again (it was sent but not yet marked delivered when the kill came).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from monitor_specs import ns, simple_spec

from wsla.actions import DeliveryStatus, Outbox, RetryPolicy, default_registry
from wsla.monitor import FakeClock, Monitor, action_message
from wsla.runtime.engine import Evaluator
from wsla.runtime.outcomes import ActionRequest

STREAM = [(ns(i), 90 if (i // 10) % 2 == 0 else 10) for i in range(240)]
"""Ten high values then ten low ones: the mean of the last three crosses 50 both ways,
so the on-entering guarantee fires once per high run (12 times)."""
BATCH = 20
KILLS = 3
"""Kills per seed; then a last run goes to the end (bounded: a few seconds per seed)."""


def _expected_keys() -> set[str]:
    ev = Evaluator(simple_spec(), start=STREAM[0][0])
    for t, value in STREAM:
        ev.feed("Svc/G", t, value)
    requests = ev.finish().of_type(ActionRequest)
    return {action_message("T", r).key for r in requests}


class _Receiver:
    """A webhook receiver that keeps every POST (deduplication is the reader's job)."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        lock = threading.Lock()
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                with lock:
                    posts.append((self.headers.get("Idempotency-Key", ""), body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sla"

    def __enter__(self) -> _Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _child(directory: str, url: str) -> None:
    """Evaluate the rest of the stream from the checkpoint; exit 0 when all is delivered."""
    try:
        spec = simple_spec()
        state = Path(directory)
        registry = default_registry(spec, endpoints={("C", "notify"): url})
        clock = FakeClock(STREAM[0][0])
        monitor = Monitor(
            spec,
            clock=clock,
            outbox=state / "outbox.db",
            registry=registry,
            retry=RetryPolicy(max_attempts=50, base_delay=0.0, max_delay=0.0, timeout=5.0),
            checkpoint=state / "checkpoint.json",
        )
        position = int(monitor.extra.get("position", 0))
        monitor.dispatch()  # whatever a killed run left pending
        for start in range(position, len(STREAM), BATCH):
            for t, value in STREAM[start : start + BATCH]:
                clock.set(max(clock.now_ns(), t))
                monitor.record("Svc/G", value, t)
            monitor.tick()
            monitor.checkpoint({"position": min(start + BATCH, len(STREAM))})
            monitor.dispatch()
        monitor.finish()
        assert monitor.dispatcher is not None
        monitor.dispatcher.drain(max_wait=10)
        monitor.close()
        (state / "done").write_text("ok")
    except BaseException:
        (Path(directory) / "error.txt").write_text(traceback.format_exc())
        os._exit(1)
    os._exit(0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkilled_monitor_resumes_and_loses_no_action(seed: int, tmp_path: Path) -> None:
    rnd = random.Random(seed)
    expected = _expected_keys()
    assert len(expected) == 12
    context = multiprocessing.get_context("fork")
    kills = 0
    with _Receiver() as receiver:
        for attempt in range(KILLS):
            child = context.Process(target=_child, args=(str(tmp_path), receiver.url))
            child.start()
            # a full run takes about 0.1 s on an idle machine: the first kill comes well
            # before that (a fork is ready in a few ms), later ones anywhere in a run
            child.join(rnd.uniform(0.002, 0.02) if attempt == 0 else rnd.uniform(0.005, 0.4))
            if child.is_alive():
                os.kill(child.pid or 0, signal.SIGKILL)
                kills += 1
            child.join()
            error = tmp_path / "error.txt"
            assert not error.exists(), error.read_text()
            if (tmp_path / "done").exists():
                break
        if not (tmp_path / "done").exists():
            child = context.Process(target=_child, args=(str(tmp_path), receiver.url))
            child.start()
            child.join(60)
            assert child.exitcode == 0, (tmp_path / "error.txt").read_text()
        assert (tmp_path / "done").exists()
    assert kills >= 1
    keys = [key for key, _ in receiver.posts]
    assert set(keys) == expected  # every expected action arrived, and nothing else
    for key, body in receiver.posts:
        assert body["idempotency_key"] == key  # the key travels with every attempt
    # a key seen twice is the same action again, never a different one with that key
    bodies: dict[str, dict[str, Any]] = {}
    for key, body in receiver.posts:
        assert bodies.setdefault(key, body) == body
    with Outbox(tmp_path / "outbox.db") as outbox:
        counts = outbox.counts()
        # the outbox stored each action once, however often the stream was replayed
        assert counts[DeliveryStatus.DELIVERED] == len(expected)
        assert counts[DeliveryStatus.PENDING] == counts[DeliveryStatus.DEAD] == 0
