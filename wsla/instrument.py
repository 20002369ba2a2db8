"""Instrumentation: measure a service's operations and feed the SLA runtime.

Each finished invocation is reported to an :class:`InvocationSink` (a
:class:`wsla.Monitor` is one) as ``(operation, response time in ms, ok, time)``,
at the completion instant: that is when the response time is known. By default
``time`` is ``None`` and the sink stamps the record with its own clock (a monitor's
injectable clock); pass ``wall=time.time_ns`` to stamp it here instead. Failures are
invocations with ``ok=False``; the exception is re-raised unchanged.

>>> calls = []
>>> class Sink:
...     def record_invocation(self, operation, response_time_ms, ok, time_ns=None):
...         calls.append((operation, ok))
>>> @instrument(Sink(), "getQuote")
... def get_quote(symbol):
...     return 42.0
>>> get_quote("IBM"), calls
(42.0, [('getQuote', True)])
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, ParamSpec, Protocol, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R")


class InvocationSink(Protocol):
    """Receives one finished invocation of an operation."""

    def record_invocation(
        self, operation: str, response_time_ms: float, ok: bool, time_ns: int | None = None
    ) -> None: ...


class measure:  # lower case: reads as a verb at the call site, ``with measure(...)``
    """Context manager (sync and async) timing one invocation of ``operation``.

    ``ok`` is false when the block raises; call :meth:`fail` to mark a handled failure.
    """

    __slots__ = ("_failed", "_start", "clock", "operation", "sink", "wall")

    def __init__(
        self,
        sink: InvocationSink,
        operation: str,
        *,
        clock: Callable[[], int] = time.perf_counter_ns,
        wall: Callable[[], int] | None = None,
    ) -> None:
        self.sink = sink
        self.operation = operation
        self.clock = clock
        self.wall = wall
        self._start = 0
        self._failed = False

    def fail(self) -> None:
        """Count this invocation as failed even though no exception escapes."""
        self._failed = True

    def __enter__(self) -> measure:
        self._start = self.clock()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        elapsed_ms = (self.clock() - self._start) / 1e6
        ok = exc_type is None and not self._failed
        stamp = None if self.wall is None else self.wall()
        self.sink.record_invocation(self.operation, elapsed_ms, ok, stamp)

    async def __aenter__(self) -> measure:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)


def instrument(sink: InvocationSink, operation: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator recording response time, invocation and failure of each call.

    Works on plain and ``async`` functions.
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        if inspect.iscoroutinefunction(fn):
            afn = cast(Callable[P, Awaitable[Any]], fn)

            @functools.wraps(fn)
            async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
                with measure(sink, operation):
                    return await afn(*args, **kwargs)

            return cast(Callable[P, R], async_wrapper)

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with measure(sink, operation):
                return fn(*args, **kwargs)

        return wrapper

    return decorate


Router = Mapping[str, str] | Callable[[str, str], str | None]
"""Maps a request to an operation: ``{path: operation}`` or ``f(method, path)``."""


def _route(router: Router, method: str, path: str) -> str | None:
    if callable(router):
        return router(method, path)
    return router.get(path)


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class WSGIMiddleware:
    """Measures each request of a WSGI app whose path maps to an operation.

    The response time runs until the response body has been fully iterated (or the
    iterable closed); a 5xx status or an exception counts as a failure.
    """

    def __init__(self, app: WSGIApp, sink: InvocationSink, routes: Router) -> None:
        self.app = app
        self.sink = sink
        self.routes = routes

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        operation = _route(
            self.routes, environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        )
        if operation is None:
            return self.app(environ, start_response)
        timer = measure(self.sink, operation).__enter__()

        def recording_start_response(status: str, headers: Any, *exc_info: Any) -> Any:
            if status[:1] == "5":
                timer.fail()
            return start_response(status, headers, *exc_info)

        try:
            body = self.app(environ, recording_start_response)
        except BaseException as exc:
            timer.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return _ClosingBody(body, timer)


class _ClosingBody:
    """Wraps a WSGI body so the invocation ends when the server closes it."""

    __slots__ = ("_body", "_done", "_timer")

    def __init__(self, body: Iterable[bytes], timer: measure) -> None:
        self._body = body
        self._timer = timer
        self._done = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._body
        except BaseException as exc:
            self._finish(type(exc), exc)
            raise

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._finish(None, None)

    def _finish(self, exc_type: type[BaseException] | None, exc: BaseException | None) -> None:
        if not self._done:
            self._done = True
            self._timer.__exit__(exc_type, exc, None)


ASGIApp = Callable[
    [dict[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


class ASGIMiddleware:
    """Measures each HTTP request of an ASGI app whose path maps to an operation."""

    def __init__(self, app: ASGIApp, sink: InvocationSink, routes: Router) -> None:
        self.app = app
        self.sink = sink
        self.routes = routes

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        operation = None
        if scope.get("type") == "http":
            operation = _route(self.routes, scope.get("method", "GET"), scope.get("path", ""))
        if operation is None:
            await self.app(scope, receive, send)
            return
        async with measure(self.sink, operation) as timer:

            async def recording_send(event: Any) -> None:
                if event.get("type") == "http.response.start" and event.get("status", 200) >= 500:
                    timer.fail()
                await send(event)

            await self.app(scope, receive, recording_send)


__all__ = ["ASGIMiddleware", "InvocationSink", "WSGIMiddleware", "instrument", "measure"]
