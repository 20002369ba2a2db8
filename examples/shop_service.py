"""A small web shop that evaluates its own SLA while it serves (stdlib ``wsgiref`` only).

Run it from the repository root::

    python examples/shop_service.py            # serves on http://127.0.0.1:8000

then ``curl http://127.0.0.1:8000/items/1`` (getItem), ``curl -X POST
http://127.0.0.1:8000/orders`` (placeOrder; about one in five fails with HTTP 500),
``curl http://127.0.0.1:8000/items/1?delay_ms=120`` for a slow answer. The SLA is
``specs/example-shop-service.xml``: the mean response time and the error ratio of each
operation over every minute. Every outcome is printed as a JSON line on standard error;
the customer's notification webhook is routed to a logging callback here, through the
durable outbox (``--outbox``, a temporary file by default). Options: ``--port``,
``--checkpoint FILE`` (resume after a restart), ``--seed`` (the failure pattern).

The wiring is four lines (see :func:`build`): a :class:`wsla.monitor.Monitor` for the
spec, :class:`wsla.instrument.WSGIMiddleware` around the app mapping URL paths to the
spec's operations, ``monitor.start()`` for the ticker and dispatcher threads, and a
subscriber for the outcomes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from wsla.actions import ActionMessage, default_registry
from wsla.instrument import WSGIMiddleware
from wsla.monitor import Clock, Monitor

SPEC = Path(__file__).resolve().parent.parent / "specs" / "example-shop-service.xml"


def shop_app(rng: random.Random) -> Callable[..., Iterable[bytes]]:
    """The business logic: a catalogue read and an order write, nothing SLA-specific."""
    lock = threading.Lock()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        query = parse_qs(environ.get("QUERY_STRING", ""))
        delay = float(query.get("delay_ms", ["0"])[0]) / 1000
        if delay > 0:
            time.sleep(min(delay, 5.0))
        if path.startswith("/items/"):
            body = {"item": path.rsplit("/", 1)[-1], "price": 9.5}
            status = "200 OK"
        elif path == "/orders" and environ.get("REQUEST_METHOD") == "POST":
            with lock:
                failed = rng.random() < 0.2 or "fail" in query
            status = "500 Internal Server Error" if failed else "201 Created"
            body = {"error": "payment backend unavailable"} if failed else {"order": "accepted"}
        else:
            status, body = "404 Not Found", {"error": "no such page"}
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json")])
        return [data]

    return app


def route(method: str, path: str) -> str | None:
    """URL → the spec's operation (None: not measured)."""
    if path.startswith("/items/"):
        return "getItem"
    if path == "/orders":
        return "placeOrder"
    return None


def build(
    *,
    clock: Clock | None = None,
    outbox: Path,
    checkpoint: Path | None = None,
    notify: Callable[[ActionMessage, str], object] | None = None,
    seed: int = 0,
    tick_interval: float = 0.5,
) -> tuple[Monitor, Callable[..., Iterable[bytes]]]:
    """The monitor and the instrumented WSGI app (the monitor is not started yet)."""

    def log_notification(message: ActionMessage, key: str) -> None:
        print(
            f"NOTIFY {message.party}.{message.action}: {json.dumps(message.to_json())}",
            file=sys.stderr,
        )

    registry = default_registry(
        None, callbacks={("ExampleCustomer", "notification"): notify or log_notification}
    )
    monitor = Monitor(
        SPEC,
        clock=clock,
        outbox=outbox,
        registry=registry,
        checkpoint=checkpoint,
        checkpoint_every=5.0 if checkpoint is not None else None,
        success_target="{operation}/Succeeded",
        tick_interval=tick_interval,
    )
    app = WSGIMiddleware(shop_app(random.Random(seed)), monitor, route)
    return monitor, app


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(
    app: Callable[..., Iterable[bytes]], host: str = "127.0.0.1", port: int = 0
) -> WSGIServer:
    """A wsgiref server on ``host:port`` (0: any free port); call ``serve_forever``."""
    return make_server(host, port, app, handler_class=_QuietHandler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--outbox", type=Path, default=None)
    parser.add_argument("--checkpoint", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    outbox = args.outbox or Path(tempfile.mkdtemp(prefix="wsla-shop-")) / "outbox.db"
    monitor, app = build(outbox=outbox, checkpoint=args.checkpoint, seed=args.seed)
    monitor.subscribe(lambda o: print(json.dumps(o.to_json()), file=sys.stderr))
    server = serve(app, port=args.port)
    print(
        f"shop on http://127.0.0.1:{server.server_port}/ (SLA {SPEC.name}, outbox {outbox})",
        file=sys.stderr,
    )
    with monitor:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
