"""Instrumentation: decorator, context manager, WSGI and ASGI middleware."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from wsla.instrument import ASGIMiddleware, WSGIMiddleware, instrument, measure


class Sink:
    def __init__(self) -> None:
        self.calls: list[tuple[str, float, bool, int | None]] = []

    def record_invocation(
        self, operation: str, response_time_ms: float, ok: bool, time_ns: int | None = None
    ) -> None:
        self.calls.append((operation, response_time_ms, ok, time_ns))


class Ticks:
    """A fake monotonic clock advancing 2.5 ms per reading."""

    def __init__(self) -> None:
        self.t = 0

    def __call__(self) -> int:
        self.t += 2_500_000
        return self.t


def test_measure_records_elapsed_time_and_completion_instant() -> None:
    sink = Sink()
    with measure(sink, "getQuote", clock=Ticks(), wall=lambda: 1_700_000_000_000_000_000):
        pass
    assert sink.calls == [("getQuote", 2.5, True, 1_700_000_000_000_000_000)]


def test_measure_failures_exception_and_explicit() -> None:
    sink = Sink()
    with pytest.raises(KeyError), measure(sink, "op"):
        raise KeyError("x")
    with measure(sink, "op") as m:
        m.fail()
    assert [c[2] for c in sink.calls] == [False, False]


def test_decorator_sync_and_async() -> None:
    sink = Sink()

    @instrument(sink, "placeOrder")
    def place(n: int) -> int:
        if n < 0:
            raise ValueError(n)
        return n * 2

    @instrument(sink, "getStatus")
    async def status(x: str) -> str:
        await asyncio.sleep(0)
        return x.upper()

    assert place(3) == 6
    with pytest.raises(ValueError, match="-1"):
        place(-1)
    assert asyncio.run(status("ok")) == "OK"
    assert place.__name__ == "place"
    assert [(c[0], c[2]) for c in sink.calls] == [
        ("placeOrder", True),
        ("placeOrder", False),
        ("getStatus", True),
    ]
    assert all(c[1] >= 0 for c in sink.calls)


def _wsgi_app(status: str) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/boom":
            raise RuntimeError("boom")
        start_response(status, [("Content-Type", "text/plain")])
        return [b"hello ", b"world"]

    return app


def _call_wsgi(app: Any, path: str) -> bytes:
    environ: dict[str, Any] = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    body = app(environ, lambda status, headers, *exc: None)
    try:
        return b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()


def test_wsgi_middleware_maps_routes_and_status() -> None:
    sink = Sink()
    ok = WSGIMiddleware(_wsgi_app("200 OK"), sink, {"/quote": "getQuote"})
    assert _call_wsgi(ok, "/quote") == b"hello world"
    assert _call_wsgi(ok, "/unmapped") == b"hello world"
    failing = WSGIMiddleware(_wsgi_app("503 Service Unavailable"), sink, {"/quote": "getQuote"})
    _call_wsgi(failing, "/quote")
    crashing = WSGIMiddleware(_wsgi_app("200 OK"), sink, lambda m, p: "boomOp")
    with pytest.raises(RuntimeError):
        _call_wsgi(crashing, "/boom")
    assert [(c[0], c[2]) for c in sink.calls] == [
        ("getQuote", True),
        ("getQuote", False),
        ("boomOp", False),
    ]


def test_asgi_middleware() -> None:
    sink = Sink()
    sent: list[dict[str, Any]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        status = 500 if scope.get("path") == "/bad" else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"x"})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    async def send(event: dict[str, Any]) -> None:
        sent.append(event)

    mw = ASGIMiddleware(app, sink, {"/q": "getQuote", "/bad": "getQuote"})

    async def run() -> None:
        await mw({"type": "http", "path": "/q", "method": "GET"}, receive, send)
        await mw({"type": "http", "path": "/bad", "method": "GET"}, receive, send)
        await mw({"type": "http", "path": "/other", "method": "GET"}, receive, send)
        await mw({"type": "lifespan"}, receive, send)

    asyncio.run(run())
    assert [(c[0], c[2]) for c in sink.calls] == [("getQuote", True), ("getQuote", False)]
    assert len(sent) == 8  # the middleware passes every event through, lifespan too
