"""The batch engine: the per-event engine's outcomes, with the heavy part vectorized.

>>> ev = BatchEvaluator(plan)                                  # doctest: +SKIP
>>> ev.feed_columns(times_ns, targets, values)                 # doctest: +SKIP
>>> result = ev.finish()                                       # same Result as Evaluator

What is vectorized: a measured metric read only by interval series
(``wslax:IntervalSeries`` on a fixed-step schedule), each read only by aggregates with
constant operands (Mean, Average, Sum, Size, Count, Ratio, Percentile). Its records never
reach the per-event engine: per interval the aggregates are computed with numpy (exact
sums, segment sorts) and handed to the engine's aggregate nodes at their ticks. Everything
else — other metrics, ticks, SLOs, guarantees, outcomes, summaries — is the per-event
engine itself, so the two cannot disagree on semantics. Records whose metric cannot be
vectorized go to the per-event engine as they are (fallback per measured metric); a
segment a kernel cannot do exactly (non-finite values, possible overflow, mixed types)
is computed by the engine's own Python function (fallback per interval); tracing or an
allowed lateness sends everything to the per-event engine (fallback per evaluation).
See ``docs/batch.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from wsla.model import extensions as x
from wsla.model import functions as f
from wsla.model.spec import Spec
from wsla.runtime import batch_kernels as kernels
from wsla.runtime.batch_obligations import Precomputed, TickSteps, tick_steps
from wsla.runtime.directives import DirectiveNode
from wsla.runtime.engine import INVOCATION_SUFFIX, Evaluator, Result
from wsla.runtime.functions import IntervalSeriesNode, PureNode
from wsla.runtime.nodes import Const, Node
from wsla.runtime.outcomes import Outcome
from wsla.runtime.plan import Plan, compile_plan
from wsla.runtime.values import Series, Value, to_ns

Kernel = Callable[[Any, Any, Any, Any, tuple[Any, ...]], list[Any]]

KERNELS: dict[type[Any], Kernel] = {
    f.Mean: kernels.k_mean,
    f.Average: kernels.k_mean,
    f.Sum: kernels.k_sum,
    f.Size: kernels.k_count,
    x.Count: kernels.k_count,
    x.Ratio: kernels.k_ratio,
    x.Percentile: kernels.k_percentile,
}
"""Aggregates over an interval series computed per interval with numpy."""

CHUNK_ROWS = 1 << 16
"""Rows buffered by :meth:`BatchEvaluator.feed_rows` before a vectorized pass."""


def numpy_available() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


@dataclasses.dataclass(slots=True)
class _Aggregate:
    node: PureNode
    kernel: Kernel
    args: tuple[Value, ...]
    queue: Precomputed


@dataclasses.dataclass(slots=True)
class _Interval:
    """One interval series over a vectorized metric, with the aggregates reading it."""

    node: IntervalSeriesNode
    start_ns: int
    step_ns: int
    end_ns: int
    aggregates: list[_Aggregate]
    carry_t: Any = None
    carry_v: Any = None


@dataclasses.dataclass(slots=True)
class _Group:
    """A vectorized measured metric: its records only fill interval buffers."""

    index: int
    intervals: list[_Interval]


def _patch(agg: _Aggregate) -> None:
    """Make the engine's aggregate node take its value from the precomputed queue at a
    tick (falling back to its own function, e.g. over an empty interval)."""
    node = agg.node
    queue = agg.queue
    compute = node.compute
    base = type(node)

    def on_change(self: PureNode, time: int) -> bool:
        found = queue.take(time, queue)
        if found is queue:  # no row in the interval: the function itself
            self.value = compute(*[a.value for a in self.args])
        else:
            self.value = found
        return True

    node.__class__ = type(
        f"Batch{base.__name__}", (base,), {"__slots__": (), "on_change": on_change}
    )


def _quiet(node: IntervalSeriesNode) -> None:
    """The interval series of a vectorized metric never gets a value in the engine (its
    records do not go there): at a tick it is an empty series without building one."""
    empty = Series.of([], [])
    base = type(node)

    def on_tick(self: IntervalSeriesNode, time: int) -> bool:
        self.value = empty
        return True

    node.__class__ = type(f"Batch{base.__name__}", (base,), {"__slots__": (), "on_tick": on_tick})


class BatchEvaluator:
    """Evaluates a plan over column chunks; same constructor options and the same
    :class:`~wsla.runtime.engine.Result` as :class:`~wsla.runtime.engine.Evaluator`.

    ``keep`` (optional) filters the outcomes kept in the result, bounding memory on long
    evaluations (the summaries and counters are complete whatever it drops). ``jobs``
    computes independent metrics' intervals on that many threads (same result).
    ``obligations=False`` leaves the tick steps to the engine's own loop instead of
    evaluating them column-wise (``batch_obligations.py``; same result, for comparison).
    """

    def __init__(
        self,
        spec_or_plan: Spec | Plan,
        *,
        keep: Callable[[Outcome], bool] | None = None,
        jobs: int = 1,
        obligations: bool = True,
        **options: Any,
    ) -> None:
        import numpy as np

        self._np = np
        plan = (
            spec_or_plan
            if isinstance(spec_or_plan, Plan)
            else compile_plan(spec_or_plan, limits=options.get("limits"))
        )
        self.plan = plan
        self._ev = Evaluator(plan, **options)
        self._keep = keep
        self._kept: list[Outcome] = []
        self._jobs = max(1, jobs)
        self._pool: Any = None
        self._settler: Any = None  # the thread of the tick steps (jobs > 1)
        self._background: Any = None  # the previous chunk's tick steps, running
        start, end = options.get("start"), options.get("end")
        self._start = None if start is None else to_ns(start)
        self._end = None if end is None else to_ns(end)
        # the kernels fill the queues while the tick steps read them (jobs > 1)
        self._lock: Any = None
        if self._jobs > 1:
            import threading

            self._lock = threading.Lock()
        self._groups: dict[str, _Group] = {}
        self._ticks: TickSteps | None = None
        if options.get("allowed_lateness_ns", 0) == 0 and not options.get("trace", False):
            self._groups = self._vectorizable()
        if self._groups and obligations:
            self._ticks = self._tick_steps()
        self._max: int | None = None  # newest applied record time (the watermark)
        self._last: int | None = None
        self._vec_records = 0
        self._rows: list[tuple[int, str, Value, Any]] = []

    @property
    def vectorized_targets(self) -> tuple[str, ...]:
        """Record targets evaluated by the vectorized path (the rest: per event)."""
        return tuple(self._groups)

    # --- which metrics are vectorized ---------------------------------------------------

    def _vectorizable(self) -> dict[str, _Group]:
        ev = self._ev
        nodes: list[Node] = ev._nodes
        users: dict[int, list[Node]] = {}
        for node in nodes:
            for i in node.inputs:
                users.setdefault(i.index, []).append(node)
        groups: dict[int, _Group | None] = {}
        out: dict[str, _Group] = {}
        for target, route in ev._routes.items():
            kind, node, _, watch, fed, _ = route
            if kind != 5 or watch or len(fed) != 1 or not isinstance(node, DirectiveNode):
                continue
            if node.index not in groups:
                groups[node.index] = self._group(node, users)
            group = groups[node.index]
            if group is not None:
                out[target] = group
        for group in {id(g): g for g in out.values()}.values():
            for interval in group.intervals:
                _quiet(interval.node)
                for agg in interval.aggregates:
                    _patch(agg)
        return out

    def _tick_steps(self) -> TickSteps | None:
        series: set[int] = set()
        aggregates: dict[int, tuple[PureNode, Precomputed]] = {}
        for group in {id(g): g for g in self._groups.values()}.values():
            for interval in group.intervals:
                series.add(interval.node.index)
                for agg in interval.aggregates:
                    aggregates[agg.node.index] = (agg.node, agg.queue)
        return tick_steps(self._ev, series, aggregates)

    def _advance_engine(self, t: int) -> None:
        """``Evaluator.advance``: the tick steps column-wise where they can be."""
        if self._ticks is not None:
            self._ticks.advance(t)
        else:
            self._ev.advance(t)

    def _group(self, node: Node, users: dict[int, list[Node]]) -> _Group | None:
        intervals: list[_Interval] = []
        readers = users.get(node.index, [])
        if not readers or node.params:
            return None
        for s in readers:
            if not isinstance(s, IntervalSeriesNode) or s.inputs != (node,) or s.params:
                return None
            ticker = s.ticker
            if ticker is None or ticker.months or ticker.fixed_ns <= 0:
                return None
            aggs: list[_Aggregate] = []
            for user in users.get(s.index, []):
                kernel = KERNELS.get(type(user.plan.definition))
                if (
                    kernel is None
                    or not isinstance(user, PureNode)
                    or user.args[0] is not s
                    or not all(isinstance(a, Const) for a in user.args[1:])
                ):
                    return None
                args = tuple(a.value for a in user.args[1:])
                aggs.append(_Aggregate(user, kernel, args, Precomputed(self._lock)))
            if not aggs:
                return None
            intervals.append(_Interval(s, ticker.start_ns, ticker.fixed_ns, ticker.end_ns, aggs))
        return _Group(node.index, intervals)

    # --- input -------------------------------------------------------------------------

    def feed(self, target: str, time: int | datetime, value: Value, origin: Any = None) -> None:
        self._rows.append((to_ns(time), target, value, origin))
        if len(self._rows) >= CHUNK_ROWS:
            self._flush_rows()

    def feed_invocation(
        self, operation: str, time: int | datetime, response_time: Value = None, origin: Any = None
    ) -> None:
        self.feed(operation + INVOCATION_SUFFIX, time, response_time, origin)

    def feed_many(self, records: Iterable[Any]) -> None:
        self.feed_rows((r.time, r.target, r.value, r.origin) for r in records)

    def feed_rows(self, rows: Iterable[tuple[int, str, Value, Any]]) -> None:
        """``(time, target, value, origin)`` tuples, as :meth:`Evaluator.feed_rows`."""
        if not self._groups:  # nothing to vectorize: the per-event engine as it is
            self._flush_rows()
            self._wait()
            self._ev.feed_rows(rows)
            self._drain()
            return
        buffer = self._rows
        for row in rows:
            buffer.append(row)
            if len(buffer) >= CHUNK_ROWS:
                self._flush_rows()
                buffer = self._rows

    def _flush_rows(self) -> None:
        rows, self._rows = self._rows, []
        if not rows:
            return
        times = [r[0] for r in rows]
        if not all(type(t) is int for t in times):
            times = [to_ns(t) for t in times]
        self._chunk(
            times,
            [r[1] for r in rows],
            _numeric(self._np, [r[2] for r in rows]),
            [r[3] for r in rows],
        )

    def feed_streams(self, streams: Sequence[tuple[Any, Any, Any]]) -> None:
        """Several streams' columns ``(times, targets, values)`` covering the same span
        of time, each sorted by time: evaluated as if merged by time (earlier streams
        first on equal times), without materializing the merge for vectorized rows."""
        self._flush_rows()
        np = self._np
        parts = []
        for times, targets, values in streams:
            t = np.asarray(times, dtype=np.int64)
            if len(t):
                codes, names = _encode(np, targets, len(t))
                parts.append((t, codes, names, _values(np, values)))
        if not parts:
            return
        unsorted = any(len(p[0]) > 1 and bool((p[0][1:] < p[0][:-1]).any()) for p in parts)
        oldest = min(int(p[0][0]) for p in parts)
        unknown = any(name not in self._ev._routes for p in parts for name in p[2])
        if (
            unsorted
            or unknown
            or (self._max is not None and oldest < self._max)
            or not self._groups
        ):
            # the general path: merged row by row
            t_all = np.concatenate([p[0] for p in parts])
            codes, names = _concat_targets(np, [((p[1], p[2]), len(p[0])) for p in parts])
            vals = _concat_values(np, [p[3] for p in parts])
            order = np.argsort(t_all, kind="stable")
            self._chunk(t_all[order], (codes[order], names), _take(np, vals, order), None)
            return
        ev = self._ev
        newest: int | None = None
        first: int | None = None
        selected: dict[int, tuple[_Group, list[Any], list[Any]]] = {}
        rest_parts = []
        vec_count = 0
        splits: dict[tuple[Any, ...], tuple[Any, list[int], Any]] = {}
        for t, codes, names, values in parts:
            windowed = self._start is not None or self._end is not None
            inside: Any = None
            if windowed:
                inside = np.ones(len(t), dtype=bool)
                if self._start is not None:
                    inside &= t >= self._start
                if self._end is not None:
                    inside &= t <= self._end
                at = t[inside]
            else:
                at = t
            if len(at):  # each stream is time-sorted here
                hi, lo = int(at[-1]), int(at[0])
                newest = hi if newest is None else max(newest, hi)
                first = lo if first is None else min(first, lo)
            # the group of each row's target (-1: per event or outside the window), then
            # one stable radix sort by group: each group's rows stay in time order
            found = [self._groups.get(name) for name in names]
            distinct = list({id(g): g for g in found if g is not None}.values())
            number = {id(g): i for i, g in enumerate(distinct)}
            gid_of = np.array([-1 if g is None else number[id(g)] for g in found], dtype=np.int16)
            if not distinct:
                rest_parts.append((t, codes, names, values, np.arange(len(t))))
                continue
            if len(names) == 1 and not windowed:
                entry = selected.setdefault(id(distinct[0]), (distinct[0], [], []))
                entry[1].append(t)
                entry[2].append(values)
                vec_count += len(t)
                continue
            if not windowed and len(distinct) == sum(g is not None for g in found):
                # one group per target: split by target code, once for the streams that
                # share their times and codes (an access log's columns)
                key = (_identity(t), _identity(codes), len(names))
                split = splits.get(key)
                if split is None:
                    small = codes.astype(np.int16) if len(names) < 1 << 15 else codes
                    order = np.argsort(small, kind="stable")  # radix: one pass
                    edges = [0, *np.cumsum(np.bincount(small, minlength=len(names))).tolist()]
                    split = splits[key] = (order, edges, t[order])
                order, edges, st = split
                sv = _take(np, values, order)
                idle = []
                for c, g in enumerate(found):
                    lo_c, hi_c = edges[c], edges[c + 1]
                    if hi_c == lo_c:
                        continue
                    if g is None:
                        idle.append(order[lo_c:hi_c])
                        continue
                    entry = selected.setdefault(id(g), (g, [], []))
                    entry[1].append(st[lo_c:hi_c])
                    entry[2].append(sv[lo_c:hi_c])
                    vec_count += hi_c - lo_c
                if idle:
                    rest_parts.append((t, codes, names, values, np.sort(np.concatenate(idle))))
                continue
            gid = gid_of[codes]
            if windowed:
                gid = np.where(inside, gid, np.int16(-1))
            order = np.argsort(gid, kind="stable")
            counts = np.bincount(gid.astype(np.int64) + 1, minlength=len(distinct) + 1)
            bounds = np.cumsum(counts).tolist()
            st = t[order[bounds[0] :]]
            sv = _take(np, values, order[bounds[0] :])
            for i, g in enumerate(distinct):
                lo_i, hi_i = bounds[i] - bounds[0], bounds[i + 1] - bounds[0]
                if hi_i > lo_i:
                    entry = selected.setdefault(id(g), (g, [], []))
                    entry[1].append(st[lo_i:hi_i])
                    entry[2].append(sv[lo_i:hi_i])
            vec_count += len(t) - bounds[0]
            if bounds[0]:
                rest_parts.append((t, codes, names, values, np.sort(order[: bounds[0]])))
        if newest is not None:
            self._max = newest if self._max is None else max(self._max, newest)
            self._last = self._max
        work = []
        for g, ts, vs in selected.values():
            gt = ts[0] if len(ts) == 1 else np.concatenate(ts)
            gv = vs[0] if len(vs) == 1 else _concat_values(np, vs)
            if len(ts) > 1:
                o = np.argsort(gt, kind="stable")
                gt, gv = gt[o], _take(np, gv, o)
            work.append((g, gt, gv))
        self._vectorize_all(work, self._max)
        self._close_others(set(selected))
        self._vec_records += vec_count
        self._wait()  # the chunk before is settled: the engine is ours again
        if ev._from is None and first is not None and selected:
            self._advance_engine(first)  # the window opens at the first applied record
        rows: list[Any] = []
        for t, codes, names, values, idx in rest_parts:
            rows.extend(_rows(t, codes, names, values, None, idx))
        if rows:
            if len(rest_parts) > 1:
                rows.sort(key=lambda r: r[0])  # stable: earlier streams first on ties
            ev.feed_rows(rows)
        self._settle()

    def feed_columns(
        self,
        times: Any,
        targets: str | Sequence[str] | Any,
        values: Any,
        origins: Sequence[Any] | None = None,
    ) -> None:
        """One chunk of records as columns: ``times`` epoch ns (int64 array or list),
        ``targets`` one target for all rows or one per row, ``values`` numbers (a numpy
        array, an Arrow array or a list; missing = None). Rows are in input order."""
        self._flush_rows()
        np = self._np
        t = np.asarray(times, dtype=np.int64)
        self._chunk(t, targets, _values(np, values), origins)

    # --- one chunk ---------------------------------------------------------------------

    def _chunk(
        self,
        times: Any,
        targets: Any,
        values: Any,
        origins: Any,
    ) -> None:
        """Rows in input order."""
        self._wait()
        np = self._np
        t = np.asarray(times, dtype=np.int64)
        n = len(t)
        if n == 0:
            return
        codes, names = _encode(np, targets, n)
        groups = self._groups
        ev = self._ev
        if not groups:
            ev.feed_rows(_rows(t, codes, names, values, origins, np.arange(n)))
            self._drain()
            return
        name_groups = [groups.get(name) for name in names]
        inside = np.ones(n, dtype=bool)
        if self._start is not None:
            inside &= t >= self._start
        if self._end is not None:
            inside &= t <= self._end
        floor = np.iinfo(np.int64).min if self._max is None else self._max
        # the watermark before each row (applied rows only raise it: known targets
        # inside the window)
        routes = ev._routes
        known = np.array([name in routes for name in names], dtype=bool)[codes]
        marks = np.where(inside & known, t, floor)
        prev = np.maximum.accumulate(np.concatenate(([floor], marks)))[:-1]
        late = (t < prev) & known
        applied = inside & known & ~late
        # rows whose outcome (late record, unknown target) must follow the ticks that the
        # rows before them reached
        behind = (late | ~known) & (prev > np.iinfo(np.int64).min)
        first_time = None
        if applied.any():
            at = t[applied]
            newest = int(at.max())
            first_time = int(at.min())
            self._max = newest if self._max is None else max(self._max, newest)
            self._last = int(at[-1])
        vec = np.zeros(n, dtype=bool)
        chosen: list[tuple[_Group, Any]] = []
        by_group: dict[int, list[int]] = {}
        for code, g in enumerate(name_groups):
            if g is not None:
                by_group.setdefault(id(g), []).append(code)
        for codes_of in by_group.values():
            g = name_groups[codes_of[0]]
            assert g is not None
            if len(names) == 1:
                mask = applied.copy()
            elif len(codes_of) == 1:
                mask = (codes == codes_of[0]) & applied
            else:
                mask = np.isin(codes, codes_of) & applied
            if mask.any():
                vec |= mask
                chosen.append((g, mask))
        horizon = self._max
        self._vectorize_all([(g, t[mask], _take(np, values, mask)) for g, mask in chosen], horizon)
        self._close_others({id(g) for g, _ in chosen})
        self._vec_records += int(vec.sum())
        rest = np.flatnonzero(~vec)
        if ev._from is None and first_time is not None and chosen:
            # the window opens at the first applied record: if it is a vectorized one,
            # the engine learns it there (rows before it are not applied: no ticks)
            first = int(np.argmax(applied))
            if vec[first]:
                before = rest[rest < first]
                if len(before):
                    ev.feed_rows(_rows(t, codes, names, values, origins, before))
                    rest = rest[rest > first]
                self._advance_engine(first_time)
        if len(rest):
            behind_rest = behind[rest]
            if not behind_rest.any():
                ev.feed_rows(_rows(t, codes, names, values, origins, rest))
            else:
                lo = 0
                for c in np.flatnonzero(behind_rest).tolist():
                    if c > lo:
                        ev.feed_rows(_rows(t, codes, names, values, origins, rest[lo:c]))
                    self._advance_engine(int(prev[int(rest[c])]))
                    ev.feed_rows(_rows(t, codes, names, values, origins, rest[c : c + 1]))
                    lo = c + 1
                if lo < len(rest):
                    ev.feed_rows(_rows(t, codes, names, values, origins, rest[lo:]))
        self._settle()

    def _vectorize_all(self, work: list[tuple[_Group, Any, Any]], horizon: int | None) -> None:
        """:meth:`_vectorize` for each group; with ``jobs > 1`` on a thread pool (each
        group's state is its own and numpy releases the GIL in its kernels; the engine
        reads the results afterwards, so the order of completion does not matter)."""
        if self._jobs > 1 and len(work) > 1:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self._jobs, thread_name_prefix="wsla-batch")
            futures = [self._pool.submit(self._vectorize, g, t, v, horizon) for g, t, v in work]
            for future in futures:
                future.result()
            return
        for g, t, v in work:
            self._vectorize(g, t, v, horizon)

    def _close_others(self, done: set[int]) -> None:
        """Compute the intervals that the new watermark closes in the groups that got no
        rows now: the engine may reach their ticks with the rows that follow."""
        empty = self._np.zeros(0, dtype=self._np.int64)
        for g in {id(g): g for g in self._groups.values()}.values():
            if id(g) not in done and any(
                i.carry_t is not None and len(i.carry_t) for i in g.intervals
            ):
                self._vectorize(g, empty, None, self._max)

    def _vectorize(self, group: _Group, t: Any, v: Any, horizon: int | None) -> None:
        """Add these records to the group's interval series and compute every interval
        that closes at a tick ≤ ``horizon`` (the newest applied time)."""
        np = self._np
        if v is not None:
            v = _numeric(np, v)
            if v.dtype == object:  # undefined values are not appended (as per event)
                keep = np.fromiter((x is not None for x in v), dtype=bool, count=len(v))
                t, v = t[keep], v[keep]
        for interval in group.intervals:
            ct, cv = _join(np, interval.carry_t, interval.carry_v, t, v)
            if ct is None or len(ct) == 0:
                interval.carry_t = interval.carry_v = None
                continue
            found = _segments(np, ct, interval.start_ns, interval.step_ns, interval.end_ns, horizon)
            first, n_closed, usable, starts, counts, seg_ticks = found
            interval.carry_t, interval.carry_v = ct[n_closed:usable], cv[n_closed:usable]
            if n_closed == first:
                continue
            ct, vals = ct[first:n_closed], cv[first:n_closed]
            n_closed -= first
            for agg in interval.aggregates:
                if vals.dtype == object:
                    results: list[Any] = [kernels.HARD] * len(starts)
                else:
                    results = agg.kernel(np, vals, starts, counts, agg.args)
                if kernels.HARD in results:
                    compute = agg.node.compute
                    bounds = [*starts.tolist(), n_closed]
                    for i, r in enumerate(results):
                        if r is kernels.HARD:
                            a, b = bounds[i], bounds[i + 1]
                            series = Series.of(ct[a:b].tolist(), vals[a:b].tolist())
                            results[i] = compute(series, *agg.args)
                agg.queue.extend(seg_ticks, results)

    def _settle(self) -> None:
        """Let the engine process the ticks up to the watermark now (their intervals are
        computed), so that outcomes are drained chunk by chunk, not all at the end. With
        ``jobs > 1`` and column-wise tick steps this runs on its own thread while the
        next chunk's intervals are computed (:meth:`_wait` joins it before anything
        else touches the engine: the engine's work keeps its order)."""
        if self._jobs > 1 and self._ticks is not None:
            if self._settler is None:
                from concurrent.futures import ThreadPoolExecutor

                self._settler = ThreadPoolExecutor(1, thread_name_prefix="wsla-ticks")
            self._background = self._settler.submit(self._settle_now, self._max)
            return
        self._settle_now(self._max)

    def _settle_now(self, horizon: int | None) -> None:
        if horizon is not None and self._ev._from is not None:
            self._advance_engine(horizon)
        self._drain()

    def _wait(self) -> None:
        """Join the previous chunk's tick steps (re-raising what they raised)."""
        if self._background is not None:
            background, self._background = self._background, None
            background.result()

    def _drain(self) -> None:
        if self._keep is not None:
            keep = self._keep
            self._kept.extend(o for o in self._ev.outcomes() if keep(o))
            self._ev._all.clear()  # the engine's own copy: dropped to bound memory

    # --- output ------------------------------------------------------------------------

    def advance(self, to: int | datetime) -> None:
        """As :meth:`Evaluator.advance`: event time reached ``to``."""
        self._flush_rows()
        self._wait()
        t = to_ns(to)
        self._max = t if self._max is None else max(self._max, t)
        for group in {id(g): g for g in self._groups.values()}.values():
            self._vectorize(group, self._np.zeros(0, dtype=self._np.int64), None, self._max)
        self._advance_engine(t)
        self._drain()

    def outcomes(self) -> Iterable[Outcome]:
        """Outcomes so far (buffered rows are evaluated first)."""
        self._flush_rows()
        self._wait()
        if self._keep is None:
            return self._ev.outcomes()
        self._drain()
        kept, self._kept = self._kept, []
        return iter(kept)

    def finish(self, to: int | datetime | None = None) -> Result:
        self._flush_rows()
        self._wait()
        if self._settler is not None:
            self._settler.shutdown()
            self._settler = None
        end = to_ns(to) if to is not None else self._end if self._end is not None else self._last
        if end is not None:
            for group in {id(g): g for g in self._groups.values()}.values():
                self._vectorize(group, self._np.zeros(0, dtype=self._np.int64), None, end)
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if end is not None and self._ticks is not None and not self._ev._finished:
            self._ticks.ticks_until(end)  # what finish() would do, column-wise
        self._drain()
        result = self._ev.finish(end)
        changes: dict[str, Any] = {"records": result.records + self._vec_records}
        if self._keep is not None:
            keep = self._keep
            self._kept.extend(o for o in result.outcomes if keep(o))
            changes["outcomes"] = tuple(self._kept)
        return dataclasses.replace(result, **changes)


# --- helpers ---------------------------------------------------------------------------


def _encode(np: Any, targets: Any, n: int) -> tuple[Any, list[str]]:
    """Targets as (codes, names): one name, ``(codes, names)`` already, an Arrow
    dictionary array, or one name per row."""
    if isinstance(targets, str):
        return np.zeros(n, dtype=np.int32), [targets]
    if isinstance(targets, tuple):
        return np.asarray(targets[0]), list(targets[1])
    if hasattr(targets, "dictionary") and hasattr(targets, "indices"):
        return targets.indices.to_numpy(zero_copy_only=False), targets.dictionary.to_pylist()
    if hasattr(targets, "dictionary_encode"):
        return _encode(np, targets.dictionary_encode(), n)
    names = list(dict.fromkeys(targets))
    index = {name: i for i, name in enumerate(names)}
    codes = np.fromiter(map(index.__getitem__, targets), dtype=np.int32, count=n)
    return codes, names


def _identity(array: Any) -> tuple[Any, ...]:
    """What makes two arrays the same data: buffer address, type, shape and strides."""
    return (array.__array_interface__["data"][0], array.dtype.str, array.shape, array.strides)


def _concat_targets(np: Any, parts: list[tuple[Any, int]]) -> tuple[Any, list[str]]:
    names: list[str] = []
    where: dict[str, int] = {}
    out = []
    for targets, n in parts:
        codes, own = _encode(np, targets, n)
        remap = np.array([where.setdefault(x, len(where)) for x in own], dtype=np.int32)
        out.append(remap[codes] if len(own) else codes)
    names = list(where)
    return np.concatenate(out), names


def _values(np: Any, values: Any) -> Any:
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        return _arrow_values(np, values)
    return values


def _concat_values(np: Any, parts: list[Any]) -> Any:
    if all(isinstance(p, np.ndarray) for p in parts) and len({p.dtype for p in parts}) == 1:
        return np.concatenate(parts)
    out: list[Any] = []
    for p in parts:
        out.extend(p if isinstance(p, list) else p.tolist())
    return out


def _rows(  # noqa: PLR0917 (the columns of one chunk)
    t: Any, codes: Any, names: list[str], values: Any, origins: Any, idx: Any
) -> list[Any]:
    """Python ``(time, target, value, origin)`` tuples of the rows ``idx``."""
    pos = idx.tolist()
    times = t[idx].tolist()
    tg = [names[c] for c in codes[idx].tolist()]
    vs = [values[i] for i in pos] if isinstance(values, list) else values[idx].tolist()
    org = [None] * len(pos) if origins is None else [origins[i] for i in pos]
    return list(zip(times, tg, vs, org, strict=True))


def _take(np: Any, values: Any, which: Any) -> Any:
    """``values[which]`` for a boolean mask or an index array, lists included."""
    if isinstance(values, list):
        if which.dtype == bool:
            return [v for v, m in zip(values, which.tolist(), strict=True) if m]
        return [values[i] for i in which.tolist()]
    return values[which]


def _arrow_values(np: Any, array: Any) -> Any:
    """An Arrow array as numpy: bools as int64 1/0, nulls as None (object)."""
    import pyarrow as pa

    if array.null_count:
        return np.array(array.to_pylist(), dtype=object)
    if pa.types.is_boolean(array.type):
        return array.to_numpy(zero_copy_only=False).astype(np.int64)
    return array.to_numpy(zero_copy_only=False)


def _numeric(np: Any, v: Any) -> Any:
    """Values as int64 or float64 when they are all of one numeric kind (as the engine
    holds them: bools are 1/0), else an object array (the Python functions decide)."""
    if isinstance(v, np.ndarray):
        if v.dtype == bool:
            return v.astype(np.int64)
        if v.dtype.kind in "iu":
            if v.dtype.kind == "u" and len(v) and int(v.max()) >= 1 << 63:
                return np.array(v.tolist(), dtype=object)
            return v.astype(np.int64, copy=False)
        if v.dtype.kind == "f":
            return v.astype(np.float64, copy=False)
        v = v.tolist()
    kinds = {type(x) for x in v}
    if kinds <= {int, bool} and kinds:
        try:
            return np.array([int(x) for x in v], dtype=np.int64)
        except OverflowError:
            pass
    elif kinds == {float}:
        return np.array(v, dtype=np.float64)
    out = np.empty(len(v), dtype=object)
    out[:] = [1 if x is True else 0 if x is False else x for x in v]
    return out


def _segments(  # noqa: PLR0917 (one interval series' parameters)
    np: Any, t: Any, start: int, step: int, end: int, horizon: int | None
) -> tuple[int, int, int, Any, Any, list[int]]:
    """The intervals of time-sorted rows ``t`` that the horizon has closed: ``(first,
    closed, usable, starts, counts, ticks)``. Rows before ``first`` lie before the
    schedule's start, rows from ``usable`` on in an interval closing after its end (both
    dropped, as the interval series drops them); rows ``[first, closed)`` are in closed
    intervals, as segments (``starts`` relative to ``first``, ``counts``, the closing tick
    of each); rows ``[closed, usable)`` wait for the next chunk. A row at ``t`` is in
    interval ``k = (t − start) // step + 1``, closed by the tick ``start + k·step``: its
    bounds are found by binary search, not by dividing every row."""
    n = len(t)
    # Python ints: the schedule's end may lie far beyond int64 (NEVER)
    top = (end - start) // step  # the last k whose tick is ≤ end
    bounds = [start, start + top * step]
    if horizon is not None:
        bounds.append(start + min(top, (horizon - start) // step) * step)
    lo64, hi64 = -(1 << 63), (1 << 63) - 1
    cuts = np.searchsorted(
        t, np.array([min(max(b, lo64), hi64) for b in bounds], dtype=np.int64), side="left"
    ).tolist()
    first, usable = int(cuts[0]), max(int(cuts[0]), int(cuts[1]))
    if bounds[1] > hi64:
        usable = n
    closed = first if horizon is None else min(usable, max(first, int(cuts[2])))
    if horizon is not None and bounds[2] > hi64:
        closed = usable
    if closed == first:
        empty = np.zeros(0, dtype=np.int64)
        return first, closed, usable, empty, empty, []
    rows = t[first:closed]
    k_lo = (int(rows[0]) - start) // step + 1
    k_hi = (int(rows[-1]) - start) // step + 1
    if k_hi - k_lo > 4 * len(rows) + 64:
        # sparse rows over many intervals: label each row instead of each interval
        k = (rows - start) // step + 1
        starts = np.concatenate(([0], np.flatnonzero(np.diff(k)) + 1))
        counts = np.diff(np.concatenate((starts, [len(rows)])))
        ticks = (start + k[starts] * step).tolist()
        return first, closed, usable, starts, counts, ticks
    ks = np.arange(k_lo - 1, k_hi + 1, dtype=np.int64)
    edges = np.searchsorted(rows, start + ks * step, side="left")
    edges[0], edges[-1] = 0, len(rows)
    counts = np.diff(edges)
    nonempty = np.flatnonzero(counts)
    ticks = (start + ks[1:][nonempty] * step).tolist()
    return first, closed, usable, edges[:-1][nonempty], counts[nonempty], ticks


def _join(np: Any, ct: Any, cv: Any, t: Any, v: Any) -> tuple[Any, Any]:
    if ct is None or len(ct) == 0:
        return t, v
    if v is None or len(t) == 0:
        return ct, cv
    if cv.dtype != v.dtype:
        both = np.empty(len(cv) + len(v), dtype=object)
        both[:] = cv.tolist() + v.tolist()
        return np.concatenate((ct, t)), both
    return np.concatenate((ct, t)), np.concatenate((cv, v))


def evaluate_columns(
    spec: Spec | Plan,
    chunks: Iterable[tuple[Any, Any, Any]],
    **options: Any,
) -> Result:
    """Evaluate chunks of ``(times, targets, values)`` columns at once."""
    ev = BatchEvaluator(spec, **options)
    for times, targets, values in chunks:
        ev.feed_columns(times, targets, values)
    return ev.finish()
