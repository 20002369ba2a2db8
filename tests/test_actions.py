"""Actions: idempotency keys, retry policy, the SQLite outbox, handlers, dispatcher, CLI."""

from __future__ import annotations

import http.server
import json
import random
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from lxml import etree

from wsla.actions import (
    ActionMessage,
    CallbackHandler,
    DeliveryError,
    DeliveryStatus,
    Dispatcher,
    HandlerRegistry,
    Outbox,
    RetryPolicy,
    SoapHandler,
    WebhookHandler,
    default_registry,
    idempotency_key,
)
from wsla.actions.handlers import SOAP_ENV_NS, soap_envelope
from wsla.actions.outbox import OutboxError, OutboxFullError
from wsla.cli import cli


def message(i: int = 0, party: str = "XInc", action: str = "notification") -> ActionMessage:
    return ActionMessage(
        sla="DemoSLA",
        guarantee="G1",
        time=f"2025-01-01T00:{i:02d}:00Z",
        party=party,
        action=action,
        notification={
            "type": "Violation",
            "causing_guarantee": "UpTimeSLO",
            "parameters": {"UpTimeRatio": 0.91},
        },
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


# --- keys and policy ---------------------------------------------------------------------


def test_idempotency_key_depends_on_each_field_and_is_stable() -> None:
    base = ("S", "G", "2025-01-01T00:00:00Z", "P", "a")
    key = idempotency_key(*base)
    assert key == idempotency_key(*base)
    assert key.startswith("wsla-") and len(key) == 37
    for i in range(5):
        changed = list(base)
        changed[i] += "x"
        assert idempotency_key(*changed) != key
    # no ambiguity from concatenation
    assert idempotency_key("ab", "c", "t", "p", "a") != idempotency_key("a", "bc", "t", "p", "a")


def test_retry_policy_backoff_is_bounded_and_jittered() -> None:
    policy = RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=5.0)
    assert [policy.ceiling(n) for n in (1, 2, 3, 4, 5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    rng = random.Random(3)
    delays = [policy.delay(3, rng) for _ in range(200)]
    assert all(0.0 <= d <= 4.0 for d in delays)
    assert len(set(delays)) > 150  # jitter, not a constant
    assert not policy.exhausted(3) and policy.exhausted(4)
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


# --- outbox ------------------------------------------------------------------------------


def test_outbox_is_wal_and_dedupes_by_key(tmp_path: Path) -> None:
    db = tmp_path / "outbox.db"
    with Outbox(db) as outbox:
        assert outbox.enqueue(message(1), now=10.0) is True
        assert outbox.enqueue(message(1), now=11.0) is False  # replay after a crash
        assert outbox.enqueue(message(2), now=12.0) is True
        assert [d.message for d in outbox.deliveries()] == [message(1), message(2)]
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_outbox_survives_reopen(tmp_path: Path) -> None:
    db = tmp_path / "outbox.db"
    with Outbox(db) as outbox:
        outbox.enqueue(message(1), now=10.0)
    with Outbox(db) as reopened:
        (pending,) = reopened.due(now=10.0)
        assert pending.message == message(1)
        assert pending.key == message(1).key


def test_outbox_limit_on_pending_requests(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.db", max_pending=2) as outbox:
        outbox.enqueue(message(1))
        outbox.enqueue(message(2))
        with pytest.raises(OutboxFullError, match="L106"):
            outbox.enqueue(message(3))


def test_outbox_rejects_a_file_that_is_not_an_outbox(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(OutboxError, match="not a usable outbox"):
        Outbox(bad)


# --- dispatcher --------------------------------------------------------------------------


class Flaky:
    """Fails the first ``failures`` calls, then succeeds; records every key it saw."""

    def __init__(self, failures: int, permanent: bool = False) -> None:
        self.failures = failures
        self.permanent = permanent
        self.keys: list[str] = []

    def deliver(self, message: ActionMessage, *, key: str, timeout: float) -> None:
        self.keys.append(key)
        if len(self.keys) <= self.failures:
            raise DeliveryError("receiver down", permanent=self.permanent)


def dispatcher(outbox: Outbox, handler: object, clock: FakeClock, attempts: int = 4) -> Dispatcher:
    registry = HandlerRegistry(handlers={"h": handler}, routes={("XInc", "notification"): "h"})  # type: ignore[dict-item]
    policy = RetryPolicy(max_attempts=attempts, base_delay=1.0, max_delay=8.0)
    return Dispatcher(outbox, registry, policy, clock=clock, rng=random.Random(1))


def test_retries_until_delivered_with_the_same_key(tmp_path: Path) -> None:
    clock = FakeClock()
    flaky = Flaky(failures=2)
    with Outbox(tmp_path / "o.db") as outbox:
        outbox.enqueue(message(1), now=clock())
        report = dispatcher(outbox, flaky, clock).drain(sleep=clock.sleep)
        assert len(report.retried) == 2 and len(report.delivered) == 1 and not report.dead
        assert flaky.keys == [message(1).key] * 3
        (done,) = outbox.deliveries()
        assert done.status is DeliveryStatus.DELIVERED and done.attempts == 3
    assert clock.now > 1_000.0  # backoff waited


def test_dead_letter_after_max_attempts_and_retry_from_cli(tmp_path: Path) -> None:
    clock = FakeClock()
    db = tmp_path / "o.db"
    with Outbox(db) as outbox:
        outbox.enqueue(message(1), now=clock())
        report = dispatcher(outbox, Flaky(failures=99), clock, attempts=3).drain(sleep=clock.sleep)
        assert len(report.dead) == 1 and len(report.retried) == 2
        (dead,) = outbox.deliveries(DeliveryStatus.DEAD)
        assert dead.attempts == 3 and dead.last_error == "receiver down"
    runner = CliRunner()
    listed = runner.invoke(cli, ["actions", "list", "--db", str(db), "--status", "dead"])
    assert listed.exit_code == 0, listed.output
    assert "G1 -> XInc.notification" in listed.output and "receiver down" in listed.output
    retried = runner.invoke(cli, ["actions", "retry", "--db", str(db)])
    assert retried.exit_code == 0 and "1 request(s) queued again" in retried.output
    with Outbox(db) as outbox:
        (again,) = outbox.deliveries(DeliveryStatus.PENDING)
        assert again.attempts == 0
        dispatcher(outbox, Flaky(failures=0), clock).drain(sleep=clock.sleep)
    purged = runner.invoke(cli, ["actions", "purge", "--db", str(db)])
    assert "1 delivered request(s) deleted" in purged.output
    missing = runner.invoke(cli, ["actions", "list", "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 2


def test_permanent_errors_are_not_retried(tmp_path: Path) -> None:
    clock = FakeClock()
    with Outbox(tmp_path / "o.db") as outbox:
        outbox.enqueue(message(1), now=clock())
        report = dispatcher(outbox, Flaky(failures=1, permanent=True), clock).drain(
            sleep=clock.sleep
        )
        assert len(report.dead) == 1 and not report.retried


def test_pending_deliveries_resume_after_restart(tmp_path: Path) -> None:
    """A process that enqueued but died before delivering: a new one delivers."""
    clock = FakeClock()
    db = tmp_path / "o.db"
    first = Outbox(db)
    first.enqueue(message(1), now=clock())
    first.enqueue(message(2), now=clock())
    del first  # "crash": no close, no delivery
    seen: list[str] = []
    handler = CallbackHandler(lambda m, key: seen.append(key))
    with Outbox(db) as outbox:
        dispatcher(outbox, handler, clock).drain(sleep=clock.sleep)
        assert outbox.counts()[DeliveryStatus.DELIVERED] == 2
    assert seen == [message(1).key, message(2).key]


def test_callback_exceptions_become_failed_attempts(tmp_path: Path) -> None:
    def boom(m: ActionMessage, key: str) -> None:
        raise RuntimeError("kaput")

    clock = FakeClock()
    with Outbox(tmp_path / "o.db") as outbox:
        outbox.enqueue(message(1), now=clock())
        report = dispatcher(outbox, CallbackHandler(boom), clock, attempts=1).run_once()
        assert report.dead[0][1] == "callback raised RuntimeError: kaput"


def test_unrouted_actions_without_fallback_are_dead_lettered(tmp_path: Path) -> None:
    clock = FakeClock()
    registry = HandlerRegistry(handlers={}, routes={}, fallback=None)
    with Outbox(tmp_path / "o.db") as outbox:
        outbox.enqueue(message(1), now=clock())
        report = Dispatcher(outbox, registry, clock=clock).run_once()
        assert "no handler for action 'notification' of party 'XInc'" in report.dead[0][1]


# --- HTTP handlers against a real local receiver ------------------------------------------


class Receiver(http.server.BaseHTTPRequestHandler):
    status = 200
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[Receiver]]]:
    handler = type("R", (Receiver,), {"received": [], "status": 200})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", handler
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_posts_json_with_idempotency_key(receiver: tuple[str, type[Receiver]]) -> None:
    url, handler = receiver
    WebhookHandler(url).deliver(message(1), key="k-1", timeout=5.0)
    ((headers, body),) = handler.received
    assert headers["Idempotency-Key"] == "k-1"
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["guarantee"] == "G1" and payload["idempotency_key"] == message(1).key
    assert payload["notification"]["parameters"] == {"UpTimeRatio": 0.91}


def test_webhook_http_errors(receiver: tuple[str, type[Receiver]]) -> None:
    url, handler = receiver
    handler.status = 503
    with pytest.raises(DeliveryError, match="HTTP 503") as transient:
        WebhookHandler(url).deliver(message(1), key="k", timeout=5.0)
    assert not transient.value.permanent
    handler.status = 404
    with pytest.raises(DeliveryError) as permanent:
        WebhookHandler(url).deliver(message(1), key="k", timeout=5.0)
    assert permanent.value.permanent


def test_webhook_unreachable_is_a_transient_failure() -> None:
    import socket

    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DeliveryError, match="failed") as err:
        WebhookHandler(f"http://127.0.0.1:{port}/x").deliver(message(1), key="k", timeout=2.0)
    assert not err.value.permanent
    with pytest.raises(DeliveryError, match="scheme") as scheme:
        WebhookHandler("file:///etc/passwd").deliver(message(1), key="k", timeout=2.0)
    assert scheme.value.permanent


def test_soap_envelope_carries_the_notification(receiver: tuple[str, type[Receiver]]) -> None:
    url, handler = receiver
    SoapHandler(url, operation="Notify").deliver(message(1), key="k-9", timeout=5.0)
    ((headers, body),) = handler.received
    assert headers["Content-Type"].startswith("text/xml")
    root = etree.fromstring(body)
    assert root.tag == f"{{{SOAP_ENV_NS}}}Envelope"
    texts = {etree.QName(e).localname: e.text for e in root.iter() if isinstance(e.tag, str)}
    assert texts["NotificationType"] == "Violation"
    assert texts["CausingGuarantee"] == "UpTimeSLO"
    assert texts["IdempotencyKey"] == "k-9"
    (param,) = [e for e in root.iter() if etree.QName(e).localname == "SLAParameter"]
    assert param.get("name") == "UpTimeRatio" and json.loads(param.text or "") == 0.91
    # parseable without network or entities, and deterministic
    assert soap_envelope(message(1), "k-9") == soap_envelope(message(1), "k-9")


def test_default_registry_routes_getpost_actions_to_their_address() -> None:
    from wsla import model as m

    spec_parties = m.Parties(
        provider=m.ServiceProvider(name="P"),
        consumer=m.ServiceConsumer(
            name="XInc",
            actions=(
                m.GetPostActionDescription(name="notification", address="http://127.0.0.1:9/n"),
                m.SoapActionDescription(
                    name="soapy",
                    wsdl_file="N.wsdl",
                    soap_binding_name="B",
                    soap_operation_name="Notify",
                ),
            ),
        ),
    )
    spec = m.Spec(
        name="S",
        parties=spec_parties,
        service_definitions=(m.ServiceDefinition(name="D"),),
        obligations=m.Obligations(name="O"),
    )
    registry = default_registry(spec, endpoints={("XInc", "soapy"): "http://127.0.0.1:9/s"})
    hook = registry.resolve("XInc", "notification")
    assert isinstance(hook, WebhookHandler) and hook.url == "http://127.0.0.1:9/n"
    soap = registry.resolve("XInc", "soapy")
    assert isinstance(soap, SoapHandler) and soap.operation == "Notify"
    assert type(registry.resolve("XInc", "other")).__name__ == "LogHandler"
