"""The live monitor: evaluate an SLA inside a running service.

>>> from wsla.monitor import FakeClock, Monitor
>>> monitor = Monitor(spec, clock=FakeClock(start_ns))          # doctest: +SKIP
>>> monitor.record("GetQuote/ProbedUtilization", 0.42)          # doctest: +SKIP
>>> for outcome in monitor.tick(): print(outcome.to_json())     # doctest: +SKIP

:meth:`Monitor.record` only appends ``(time, target, value)`` to a buffer under a lock:
it is cheap enough to call on every request. The records are evaluated by
:meth:`Monitor.tick` — called by hand, or every ``tick_interval`` seconds by the ticker
thread that :meth:`Monitor.start` runs. A tick feeds the buffered records to the per-event
engine (:class:`wsla.runtime.Evaluator`) in the order they were recorded, then advances
event time to the clock's *now* (minus the allowed lateness), which processes every
schedule tick up to then. The price of the cheap ``record`` is latency: an outcome is
known at the first tick after the record that caused it (or after the schedule tick that
caused it), so at most ``tick_interval`` (+ the allowed lateness) late.

Given the same records and the same clock readings at the ticks, a monitor produces
exactly the outcomes of ``Evaluator(spec, start=<monitor start>)`` fed those records and
finished at the last tick: the monitor is the engine, driven by a clock.

Outcomes reach the application three ways: the list :meth:`Monitor.tick` returns,
callbacks (:meth:`Monitor.subscribe`), and iterators (:meth:`Monitor.stream`, and
:meth:`Monitor.aiter` for asyncio). Each :class:`~wsla.runtime.ActionRequest` becomes an
:class:`~wsla.actions.ActionMessage` written to the durable outbox *before* any delivery
is tried; a :class:`~wsla.actions.Dispatcher` delivers it (in its own thread after
:meth:`Monitor.start`, or by :meth:`Monitor.dispatch`).

With ``checkpoint=PATH`` the monitor resumes from that checkpoint if it exists, and
:meth:`Monitor.checkpoint` saves its state there atomically (also every
``checkpoint_every`` seconds while started). Outcomes of records processed before a
checkpoint are never produced again; those after it are produced again on resume, and
their action requests have the same idempotency keys, so the outbox stores them once.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from wsla.runtime.engine import INVOCATION_SUFFIX, Evaluator, Result
from wsla.runtime.outcomes import ActionRequest, Outcome
from wsla.runtime.values import json_value, ns_to_iso, to_ns

if TYPE_CHECKING:
    import asyncio

    from wsla.actions import ActionMessage, DispatchReport, HandlerRegistry, Outbox, RetryPolicy
    from wsla.checkpoint import Checkpoint
    from wsla.model.spec import Spec
    from wsla.runtime.plan import Plan

logger = logging.getLogger(__name__)

__all__ = ["Clock", "FakeClock", "Monitor", "OutcomeStream", "WallClock", "action_message"]


# --- clocks ----------------------------------------------------------------------------


class Clock(Protocol):
    """Tells the monitor what time it is, in epoch nanoseconds (UTC)."""

    def now_ns(self) -> int: ...


class WallClock:
    """The system clock (``time.time_ns``)."""

    __slots__ = ()

    def now_ns(self) -> int:
        return time.time_ns()


class FakeClock:
    """A clock that moves only when told to: for tests and for replaying recorded data.

    >>> clock = FakeClock(1_000)
    >>> clock.advance(seconds=1); clock.now_ns()
    1000001000
    """

    __slots__ = ("_lock", "_now")

    def __init__(self, start: int | datetime = 0) -> None:
        self._now = to_ns(start)
        self._lock = threading.Lock()

    def now_ns(self) -> int:
        return self._now

    def set(self, moment: int | datetime) -> None:
        """Move to ``moment``; a clock never goes back (``ValueError``)."""
        ns = to_ns(moment)
        with self._lock:
            if ns < self._now:
                raise ValueError("a clock cannot go back in time")
            self._now = ns

    def advance(self, seconds: float = 0.0, *, ns: int = 0) -> None:
        with self._lock:
            self._now += round(seconds * 1_000_000_000) + ns


def _lateness_ns(value: float | timedelta) -> int:
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1) * 1000
    return round(value * 1_000_000_000)


# --- outcome delivery to the application -----------------------------------------------

_END = object()


class OutcomeStream:
    """A blocking iterator over the outcomes a monitor produces after its creation.

    Ends when the monitor is closed, or when :meth:`close` is called.
    """

    def __init__(self, monitor: Monitor, timeout: float | None) -> None:
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._monitor = monitor
        self._timeout = timeout
        self._token = monitor._add_sink(self._queue.put, stream=True)

    def __iter__(self) -> OutcomeStream:
        return self

    def __next__(self) -> Outcome:
        try:
            item = self._queue.get(timeout=self._timeout)
        except queue.Empty:
            raise StopIteration from None
        if item is _END:
            raise StopIteration
        return item  # type: ignore[return-value]

    def close(self) -> None:
        self._monitor._remove_sink(self._token)
        self._queue.put(_END)


class _AsyncOutcomeStream:
    """``async for`` over a monitor's outcomes (bridged from the ticking thread)."""

    def __init__(self, monitor: Monitor, loop: asyncio.AbstractEventLoop) -> None:
        import asyncio

        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._monitor = monitor
        self._loop = loop

        def put(item: object) -> None:
            with contextlib.suppress(RuntimeError):  # loop closed: nobody listens anymore
                loop.call_soon_threadsafe(self._queue.put_nowait, item)

        self._token = monitor._add_sink(put, stream=True)

    def __aiter__(self) -> _AsyncOutcomeStream:
        return self

    async def __anext__(self) -> Outcome:
        item = await self._queue.get()
        if item is _END:
            self._monitor._remove_sink(self._token)
            raise StopAsyncIteration
        return item  # type: ignore[return-value]

    def close(self) -> None:
        self._monitor._remove_sink(self._token)
        self._loop.call_soon_threadsafe(self._queue.put_nowait, _END)


# --- actions ---------------------------------------------------------------------------


def action_message(sla: str, request: ActionRequest) -> ActionMessage:
    """The outbox message for an action request (its key: SLA, guarantee, time, party,
    action)."""
    from wsla.actions import ActionMessage

    notification = None
    if request.notification is not None:
        notification = {
            "type": request.notification.type,
            "causing_guarantee": request.notification.causing_guarantee,
            "parameters": {k: json_value(v) for k, v in request.notification.values.items()},
        }
    return ActionMessage(
        sla=sla,
        guarantee=request.guarantee,
        time=ns_to_iso(request.time),
        party=request.party,
        action=request.action or "",
        notification=notification,
    )


# --- the monitor -----------------------------------------------------------------------

Record = tuple[int | datetime, str, Any]


class Monitor:
    """Evaluates ``spec`` live over recorded measurements (see the module docstring).

    ``spec``: a :class:`~wsla.model.Spec`, a compiled plan, or a spec file path.
    ``clock``: where *now* comes from (:class:`WallClock` by default).
    ``outbox``: an :class:`~wsla.actions.Outbox` or a path to one; without it action
    requests are only outcomes. ``registry``: the action handlers (default:
    :func:`~wsla.actions.default_registry` of the spec). ``retry``: the retry policy.
    ``checkpoint``: file to resume from (if present) and to save to.
    ``allowed_lateness``: seconds (or a ``timedelta``) a record may be older than the
    newest one and still be applied in order; outcomes wait that long.
    ``start``: the evaluation window's start (default: the clock's now at creation, or
    the checkpoint's). ``success_target``: where :meth:`record_invocation` records each
    invocation's success as 1/0 — a target template with ``{operation}`` (such as
    ``"{operation}/Succeeded"``) or a mapping operation → target; ``None`` records none.
    """

    def __init__(
        self,
        spec: Spec | Plan | str | Path,
        *,
        clock: Clock | None = None,
        outbox: Outbox | str | Path | None = None,
        registry: HandlerRegistry | None = None,
        retry: RetryPolicy | None = None,
        checkpoint: str | Path | None = None,
        checkpoint_every: float | None = None,
        allowed_lateness: float | timedelta = 0.0,
        start: int | datetime | None = None,
        success_target: str | Mapping[str, str] | None = None,
        parameter_values: bool = True,
        tick_interval: float = 0.1,
    ) -> None:
        from wsla.runtime.plan import Plan, compile_plan

        if isinstance(spec, str | Path):
            from wsla.evaluation import load_spec

            spec = load_spec(spec)
        self.plan: Plan = spec if isinstance(spec, Plan) else compile_plan(spec)
        self.spec: Spec = self.plan.spec
        self.sla = self.spec.name or ""
        self.clock: Clock = clock if clock is not None else WallClock()
        # read on every record: skip a Python frame for the wall clock
        self._now: Callable[[], int] = (
            time.time_ns if type(self.clock) is WallClock else self.clock.now_ns
        )
        self.tick_interval = tick_interval
        self.checkpoint_every = checkpoint_every
        self._lateness = _lateness_ns(allowed_lateness)
        if self._lateness < 0:
            raise ValueError("allowed_lateness must not be negative")
        self._success = success_target
        self._op_targets: dict[str, tuple[str, str | None]] = {}
        self._lock = threading.Lock()  # guards the record buffer (and the clock read)
        self._work = threading.RLock()  # one tick / checkpoint / finish at a time
        self._pending: list[Record] = []
        self._sinks: dict[int, Callable[[object], None]] = {}
        self._streams: set[int] = set()  # sinks that are told when the monitor closes
        self._next_sink = 0
        self._stop = threading.Event()
        self._wake_dispatcher = threading.Event()
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._finished = False
        self._enqueued = 0
        self._last_key: str | None = None
        self.rejected = 0
        self._backlog: list[ActionMessage] = []
        """Records refused because their time was not epoch ns or an aware datetime."""

        self.checkpoint_path = None if checkpoint is None else Path(checkpoint)
        self._fingerprint: str | None = None
        resumed: Checkpoint | None = None
        if self.checkpoint_path is not None:
            from wsla.checkpoint import load_checkpoint, spec_fingerprint

            self._fingerprint = spec_fingerprint(self.plan)
            if self.checkpoint_path.exists():
                resumed = load_checkpoint(self.checkpoint_path, self.plan)

        if resumed is not None:
            start_ns = resumed.monitor.get("start")
            if type(start_ns) is not int:
                from wsla.checkpoint import CheckpointError

                raise CheckpointError(f"{self.checkpoint_path}: malformed checkpoint (start)")
        else:
            start_ns = to_ns(start) if start is not None else self.clock.now_ns()
        self._evaluator = Evaluator(
            self.plan,
            allowed_lateness_ns=self._lateness,
            start=start_ns,
            parameter_values=parameter_values,
        )
        self.start_ns: int = int(start_ns) if start_ns is not None else 0
        self.extra: dict[str, Any] = {}
        """What the application saved with the checkpoint this monitor resumed from."""
        self.resumed = resumed is not None
        if resumed is not None:
            self._restore(resumed)
        if resumed is None:
            self._last_now = self.start_ns

        self._owns_outbox = False
        self.outbox: Outbox | None
        if outbox is None or hasattr(outbox, "enqueue"):
            self.outbox = outbox  # type: ignore[assignment]
        else:
            from wsla.actions import Outbox

            self.outbox = Outbox(outbox)
            self._owns_outbox = True
        self.dispatcher = None
        if self.outbox is not None:
            from wsla.actions import Dispatcher, default_registry

            self.dispatcher = Dispatcher(
                self.outbox,
                registry if registry is not None else default_registry(self.spec),
                retry,
            )

    # --- recording (any thread) ----------------------------------------------------------

    def record(self, target: str, value: Any, time: int | datetime | None = None) -> None:
        """One measurement for ``target`` (``ServiceObject/Metric``, a path or a directive
        URI), at ``time`` (epoch ns or aware datetime; default: the clock's now).

        Thread-safe and cheap: the record is only buffered until the next tick.
        """
        # the clock is read under the lock, so the buffer is always in clock order
        with self._lock:
            self._pending.append((self._now() if time is None else time, target, value))

    def record_invocation(
        self, operation: str, response_time_ms: float, ok: bool, time_ns: int | None = None
    ) -> None:
        """One finished invocation of ``operation`` (the :class:`wsla.instrument.InvocationSink`
        protocol): feeds its ResponseTime, InvocationCount and SumResponseTime directives,
        and ``ok`` as 1/0 to the ``success_target`` if one is configured."""
        targets = self._op_targets.get(operation)
        if targets is None:
            targets = self._targets_of(operation)
        invocation, success = targets
        with self._lock:
            t = self._now() if time_ns is None else time_ns
            pending = self._pending
            pending.append((t, invocation, response_time_ms))
            if success is not None:
                pending.append((t, success, 1 if ok else 0))

    def _targets_of(self, operation: str) -> tuple[str, str | None]:
        success = self._success
        target = None
        if isinstance(success, str):
            target = success.format(operation=operation)
        elif success is not None:
            target = success.get(operation)
        targets = (operation + INVOCATION_SUFFIX, target)
        if len(self._op_targets) < 10_000:  # operation names are few; never grow unbounded
            self._op_targets[operation] = targets
        return targets

    # --- processing --------------------------------------------------------------------

    def _take(self, now: int | None) -> tuple[int, list[Record]]:
        with self._lock:
            moment = self._now() if now is None else now
            batch, self._pending = self._pending, []
        return moment, batch

    def _feed(self, batch: list[Record]) -> None:
        feed = self._evaluator.feed
        for t, target, value in batch:
            try:
                feed(target, t, value)
            except (TypeError, ValueError) as exc:
                # a bad time (naive datetime, float); checked before any state changes
                self.rejected += 1
                logger.warning("record for %r at %r rejected: %s", target, t, exc)

    def tick(self, now: int | datetime | None = None) -> list[Outcome]:
        """Evaluate the buffered records, then advance event time to ``now`` (default: the
        clock's now) minus the allowed lateness. Returns the outcomes produced, after
        writing their action requests to the outbox and passing them to subscribers."""
        with self._work:
            self._check_open()
            moment, batch = self._take(None if now is None else to_ns(now))
            self._feed(batch)
            # never before the window's start: the engine would take it as the start
            self._evaluator.advance(max(moment - self._lateness, self.start_ns))
            self._last_now = moment
            return self._collect(list(self._evaluator.outcomes()))

    def flush(self) -> list[Outcome]:
        """Evaluate the buffered records without advancing event time past them."""
        with self._work:
            self._check_open()
            _, batch = self._take(0)
            self._feed(batch)
            return self._collect(list(self._evaluator.outcomes()))

    def finish(self, to: int | datetime | None = None) -> Result:
        """Evaluate everything buffered, process ticks up to ``to`` (default: the clock's
        now) and close the SLO summaries. The result's ``outcomes`` are only those of this
        last step (earlier ones went out with their ticks); its summaries cover the run."""
        with self._work:
            self._check_open()
            moment, batch = self._take(None if to is None else to_ns(to))
            self._feed(batch)
            result = self._evaluator.finish(max(moment, self.start_ns))
            self._finished = True
            self._collect(list(result.outcomes))
            return result

    def _collect(self, outcomes: list[Outcome]) -> list[Outcome]:
        from wsla.runtime.state import forget_outcomes

        # the monitor runs indefinitely: the engine must not keep every outcome
        forget_outcomes(self._evaluator)
        if self.outbox is not None:
            for outcome in outcomes:
                if isinstance(outcome, ActionRequest):
                    self._backlog.append(action_message(self.sla, outcome))
            self._write_backlog()
        if not outcomes:
            return outcomes
        for sink in list(self._sinks.values()):
            for outcome in outcomes:
                try:
                    sink(outcome)
                except Exception:
                    logger.exception("outcome subscriber %r failed", sink)
        return outcomes

    def _write_backlog(self) -> None:
        """Write waiting action requests to the outbox, oldest first; those the outbox
        refuses (full: code L106) wait for the next tick, and no checkpoint is taken
        until they are written (it would cover records whose actions are not durable)."""
        from wsla.actions.outbox import OutboxError

        if not self._backlog or self.outbox is None:
            return
        written = 0
        try:
            for message in self._backlog:
                self.outbox.enqueue(message)
                self._enqueued += 1
                self._last_key = message.key
                written += 1
        except OutboxError as exc:
            logger.error(
                "%d action request(s) wait for room in the outbox: %s",
                len(self._backlog) - written,
                exc,
            )
        finally:
            del self._backlog[:written]
            if written:
                self._wake_dispatcher.set()

    # --- subscribers -------------------------------------------------------------------

    def _add_sink(self, sink: Callable[[object], None], *, stream: bool = False) -> int:
        with self._lock:
            token = self._next_sink
            self._next_sink += 1
            self._sinks[token] = sink
            if stream:
                self._streams.add(token)
        return token

    def _remove_sink(self, token: int) -> None:
        with self._lock:
            self._sinks.pop(token, None)
            self._streams.discard(token)

    def subscribe(self, callback: Callable[[Outcome], object]) -> Callable[[], None]:
        """Call ``callback(outcome)`` for every outcome, in the ticking thread; returns a
        function that unsubscribes. An exception in a callback is logged, not raised."""
        token = self._add_sink(callback)  # type: ignore[arg-type]
        return lambda: self._remove_sink(token)

    def stream(self, timeout: float | None = None) -> OutcomeStream:
        """A blocking iterator over the outcomes from now on; it ends when the monitor is
        closed (or after ``timeout`` seconds without an outcome)."""
        return OutcomeStream(self, timeout)

    def __iter__(self) -> Iterator[Outcome]:
        return self.stream()

    def aiter(self) -> AsyncIterator[Outcome]:
        """``async for outcome in monitor.aiter()``: outcomes from now on, delivered to
        the running event loop; ends when the monitor is closed. Call it inside the loop."""
        import asyncio

        return _AsyncOutcomeStream(self, asyncio.get_running_loop())

    # --- actions -----------------------------------------------------------------------

    def dispatch(self) -> DispatchReport | None:
        """One delivery attempt for every due action request (``None`` without outbox)."""
        if self.dispatcher is None:
            return None
        return self.dispatcher.run_once()

    # --- checkpoints -------------------------------------------------------------------

    def checkpoint(self, extra: Mapping[str, Any] | None = None) -> Path:
        """Evaluate the buffered records and save the state to the checkpoint file,
        with ``extra`` (JSON-able application data, e.g. an input offset)."""
        from wsla.checkpoint import Checkpoint, save_checkpoint
        from wsla.runtime.state import capture

        if self.checkpoint_path is None or self._fingerprint is None:
            raise ValueError("this monitor has no checkpoint file (Monitor(checkpoint=PATH))")
        with self._work:
            self.flush()
            self._write_backlog()
            if self._backlog:
                from wsla.actions.outbox import OutboxFullError

                raise OutboxFullError(
                    f"{len(self._backlog)} action request(s) are not in the outbox yet "
                    "(it is full): no checkpoint until they are"
                )
            state = capture(self._evaluator)
            if extra is not None:
                self.extra = dict(extra)
            saved = Checkpoint(
                fingerprint=self._fingerprint,
                engine=state,
                monitor={"last_tick": self._last_now, "start": self.start_ns},
                outbox={"enqueued": self._enqueued, "last_key": self._last_key},
                extra=self.extra,
                created=ns_to_iso(time.time_ns()),
            )
            save_checkpoint(self.checkpoint_path, saved)
        return self.checkpoint_path

    def _restore(self, saved: Checkpoint) -> None:
        from wsla.checkpoint import CheckpointError
        from wsla.runtime.state import StateError, restore

        try:
            restore(self._evaluator, saved.engine)
        except (StateError, KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise CheckpointError(
                f"{self.checkpoint_path}: cannot resume from this checkpoint: {exc}"
            ) from None
        last_tick = saved.monitor.get("last_tick", self.start_ns)
        enqueued = saved.outbox.get("enqueued", 0)
        last_key = saved.outbox.get("last_key")
        if (
            type(last_tick) is not int
            or type(enqueued) is not int
            or not (last_key is None or isinstance(last_key, str))
        ):
            raise CheckpointError(f"{self.checkpoint_path}: malformed checkpoint (monitor part)")
        self._last_now = last_tick
        self.extra = dict(saved.extra)
        self._enqueued = enqueued
        self._last_key = last_key

    # --- threads -----------------------------------------------------------------------

    def start(self) -> Monitor:
        """Run the ticker thread (and the dispatcher thread when there is an outbox)."""
        self._check_open()
        if self._threads:
            return self
        self._stop.clear()
        ticker = threading.Thread(target=self._run_ticker, name="wsla-monitor-ticker", daemon=True)
        self._threads.append(ticker)
        if self.dispatcher is not None:
            self._threads.append(
                threading.Thread(
                    target=self._run_dispatcher, name="wsla-monitor-dispatcher", daemon=True
                )
            )
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop the threads after a last tick (and checkpoint, if configured)."""
        if not self._threads:
            return
        self._stop.set()
        self._wake_dispatcher.set()
        for thread in self._threads:
            thread.join()
        self._threads = []
        if not self._finished and not self._closed:
            self.tick()
            if self.checkpoint_path is not None:
                self.checkpoint()
            self.dispatch()

    def close(self) -> None:
        """Stop, end every outcome stream and close the outbox the monitor opened."""
        if self._closed:
            return
        self.stop()
        self._closed = True
        with self._lock:
            sinks = [self._sinks[token] for token in self._streams]
        for sink in sinks:
            sink(_END)
        if self._owns_outbox and self.outbox is not None:
            self.outbox.close()

    def __enter__(self) -> Monitor:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the monitor is closed")
        if self._finished:
            raise RuntimeError("the monitor is finished")

    def _run_ticker(self) -> None:
        last_checkpoint = time.monotonic()
        while not self._stop.wait(self.tick_interval):
            if self._finished or self._closed:
                return
            try:
                self.tick()
                if (
                    self.checkpoint_every is not None
                    and self.checkpoint_path is not None
                    and time.monotonic() - last_checkpoint >= self.checkpoint_every
                ):
                    self.checkpoint()
                    last_checkpoint = time.monotonic()
            except Exception:
                # the service must keep running; the next tick tries again
                logger.exception("monitor tick failed")

    def _run_dispatcher(self) -> None:
        assert self.outbox is not None
        assert self.dispatcher is not None
        while not self._stop.is_set():
            try:
                self.dispatcher.run_once()
                due = self.outbox.next_due()
            except Exception:
                logger.exception("action dispatch failed")
                due = None
            wait = 1.0 if due is None else max(0.0, min(1.0, due - time.time()))
            if self._wake_dispatcher.wait(wait):
                self._wake_dispatcher.clear()
