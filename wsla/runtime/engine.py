"""The per-event engine (reference §5 "Time and steps", "Propagation", "Obligations").

>>> ev = Evaluator(spec)                                     # doctest: +SKIP
>>> ev.feed("GetQuote/ProbedUtilization", t_ns, 0.42)        # doctest: +SKIP
>>> result = ev.finish()                                     # doctest: +SKIP

Records must reach :meth:`Evaluator.feed` in event-time order up to the allowed lateness.
Processing goes in steps: all ticks of all schedules at an instant form one step, before
the records at that instant; then every record is a step of its own, in input order.
Within a step nodes are visited in topological order; then SLOs (document order), then
action guarantees.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic, Severity
from wsla.limits import DEFAULT_LIMITS, Limits
from wsla.model.spec import Spec
from wsla.runtime.directives import DIRECTIVES, DirectiveNode, ResponseTimeNode
from wsla.runtime.functions import FUNCTIONS, IntervalSeriesNode, TSConstructorNode
from wsla.runtime.modalities import MODALITIES
from wsla.runtime.nodes import Const, Node
from wsla.runtime.outcomes import (
    ActionRequest,
    DataGap,
    Evidence,
    LateRecord,
    NotificationContent,
    Outcome,
    ParameterValue,
    SLOEvaluation,
    Summary,
    Violation,
)
from wsla.runtime.plan import Plan, PlanGuarantee, compile_plan
from wsla.runtime.predicates import ObligationState, Truth
from wsla.runtime.schedules import NEVER
from wsla.runtime.values import Series, Value, normalize, ns_to_iso, snapshot, to_ns

FAR_PAST = -(1 << 63)
Route = tuple[int, Any, tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], bool]
"""(fast-path kind, first fed node, downstream nodes, nodes with parameters, fed nodes,
whether the record is an invocation). Kind 5 (the value only goes into interval buffers)
has instead of downstream nodes the first buffer's two ``append`` methods followed by a
tuple of the other buffers' pairs."""
_NO_ROUTE: Route = (0, None, (), (), (), False)
_DISCARD = deque[Any](maxlen=0).append
"""Appending to a zero-length deque keeps nothing: the buffer of a value nobody buffers."""
Lane = tuple[Any, Any, Any]
"""(fed node, its interval buffer's time ``append``, value ``append``): the whole work of a
record on the inlined path when its value only goes into one interval buffer and no
parameter reads the node; ``(None, None, None)`` for any other target."""
_NO_LANE: Lane = (None, None, None)


def _lane(route: Route) -> Lane:
    kind, node, downstream, watch, _, _ = route
    if kind == 5 and not downstream[2] and not watch:
        return (node, downstream[0], downstream[1])
    return _NO_LANE


INVOCATION_SUFFIX = "#invocation"
"""A record whose target is ``<ServiceObject>#invocation`` is one invocation of that
operation, its value the response time: it feeds the object's ResponseTime (value),
InvocationCount (+1) and SumResponseTime (+value) directives in one step."""


@dataclass(slots=True)
class _SloTrack:
    evaluations: int = 0
    trues: int = 0
    violations: int = 0
    unknowns: int = 0
    since: int | None = None
    total: int = 0
    longest: int = 0
    periods: int = 0


@dataclass(frozen=True, slots=True)
class Result:
    """Everything an evaluation produced."""

    outcomes: tuple[Outcome, ...]
    summaries: dict[str, Summary]
    window: tuple[int | None, int | None]
    """``(from, to)`` in epoch ns (None when nothing was evaluated)."""
    records: int
    late_records: int
    outside_window: int
    unknown_targets: dict[str, int]
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings: L104 for a series that reached ``Limits.max_window``, L107 for records
    refused as too far ahead (``Limits.max_ticks_per_step``)."""
    _evidence: dict[int, tuple[Evidence, ...]] = field(default_factory=dict, repr=False)

    def violations(self) -> list[Violation]:
        return [o for o in self.outcomes if isinstance(o, Violation)]

    def of_type(self, cls: type[Any]) -> list[Any]:
        return [o for o in self.outcomes if isinstance(o, cls)]

    def explain(self, violation: Violation) -> tuple[Evidence, ...]:
        """The evidence chain of ``violation``: parameter values → metric values → series
        elements → input records. Needs ``trace=True`` on the evaluator."""
        if violation.key not in self._evidence:
            raise LookupError("no evidence recorded: evaluate with trace=True")
        return self._evidence[violation.key]

    evidence = explain

    def to_json(self) -> dict[str, Any]:
        return {
            "window": list(self.window),
            "records": self.records,
            "late_records": self.late_records,
            "outside_window": self.outside_window,
            "unknown_targets": dict(self.unknown_targets),
            "diagnostics": [
                {"code": d.code, "severity": str(d.severity), "message": d.message}
                for d in self.diagnostics
            ],
            "summaries": [s.to_json() for s in self.summaries.values()],
            "outcomes": [o.to_json() for o in self.outcomes],
        }


def action_requests(
    g: PlanGuarantee,
    t: int,
    result: Truth,
    names: Sequence[str],
    value_of: Callable[[int], Value],
) -> Iterator[ActionRequest]:
    """The requests of a guarantee that fires at ``t``: one per qualified action, with
    the notification's parameter values (``value_of(p)``: parameter ``p``'s value now)
    copied, so later changes to a series do not reach a request already made."""
    modality = str(g.modality)
    for action in g.actions:
        notification = None
        if action.notification_type is not None:
            notification = NotificationContent(
                action.notification_type,
                action.causing_guarantee,
                {names[p]: snapshot(value_of(p)) for p in action.parameters},
            )
        yield ActionRequest(t, g.name, action.party, action.action, modality, notification, result)


class Evaluator:
    """Evaluates one spec over a stream of records, step by step.

    ``allowed_lateness_ns``: records up to this much older than the newest seen are
    buffered and applied in event-time order; older ones give :class:`LateRecord`.
    ``start``/``end`` fix the evaluation window (default: first record … last record);
    records outside it are counted and skipped. ``trace`` keeps provenance for
    :meth:`Result.explain`. ``parameter_values`` emits a :class:`ParameterValue` per new
    parameter value. ``limits`` bound series windows (``max_window``, L104) and the schedule
    ticks one record may cause (``max_ticks_per_step``: a record further ahead is not
    applied, L107).
    """

    # Slots: the per-record path reads and writes a few attributes per record, and slot
    # access is the cheapest there is (``wsla.runtime.state`` classifies every one).
    __slots__ = (
        "_ahead",
        "_all",
        "_buffer",
        "_closure",
        "_drained",
        "_emit_params",
        "_end",
        "_evidence",
        "_fast_end",
        "_fast_hi",
        "_finished",
        "_from",
        "_g_last",
        "_gs_by_param",
        "_gs_by_sched",
        "_gs_by_slo",
        "_lanes",
        "_last",
        "_late",
        "_lateness",
        "_max_seen",
        "_max_ticks",
        "_next_tick",
        "_nodes",
        "_operations",
        "_out",
        "_outside",
        "_param_nodes",
        "_params_of",
        "_pending_notes",
        "_pos",
        "_readings",
        "_record_closure",
        "_records",
        "_routes",
        "_sched_k",
        "_sched_next",
        "_sched_nodes",
        "_seq",
        "_slo_closed",
        "_slos_by_param",
        "_slos_by_sched",
        "_start",
        "_state",
        "_step",
        "_targets",
        "_trace",
        "_tracks",
        "_unknown",
        "_watermark",
        "_window_end",
        "plan",
    )

    def __init__(
        self,
        spec_or_plan: Spec | Plan,
        *,
        allowed_lateness_ns: int = 0,
        start: int | datetime | None = None,
        end: int | datetime | None = None,
        trace: bool = False,
        parameter_values: bool = True,
        limits: Limits | None = None,
    ) -> None:
        plan = (
            spec_or_plan
            if isinstance(spec_or_plan, Plan)
            else compile_plan(spec_or_plan, limits=limits)
        )
        if allowed_lateness_ns < 0:
            raise ValueError("allowed_lateness_ns must be >= 0")
        self.plan = plan
        self._lateness = allowed_lateness_ns
        self._start = None if start is None else to_ns(start)
        self._end = None if end is None else to_ns(end)
        self._trace = trace
        self._emit_params = parameter_values
        self._build_nodes()
        self._build_obligations()
        self._out: list[Outcome] = []
        self._drained = 0
        self._all: list[Outcome] = []
        self._step = 0
        self._from: int | None = None
        # the time of the last record applied in a step of its own; a lane record only
        # moves the watermark, which finish() takes into account as well
        self._last: int | None = None
        self._watermark = FAR_PAST if self._start is None else self._start
        self._max_seen = FAR_PAST
        self._buffer: list[tuple[int, int, Route, Value, Any, str]] = []
        self._seq = 0
        self._records = 0
        self._late = 0
        self._outside = 0
        self._unknown: dict[str, int] = {}
        self._sched_k = [0] * len(plan.schedules)
        self._sched_next = [NEVER] * len(plan.schedules)
        # FAR_PAST: the first record goes through _ticks_until, which opens the window
        self._next_tick = FAR_PAST
        self._fast_end = NEVER if self._end is None else self._end
        # records in [watermark, _fast_hi) take feed()'s inlined path: before the next
        # tick and inside the window; FAR_PAST until the first record opens the window
        self._fast_hi = FAR_PAST
        self._evidence: dict[int, tuple[Evidence, ...]] = {}
        self._readings: dict[int, Evidence] = {}
        self._pending_notes: dict[int, list[tuple[int, Evidence]]] = {}
        self._finished = False
        self._max_ticks = (limits or DEFAULT_LIMITS).max_ticks_per_step
        # records refused as too far ahead (L107), per target: (first time, count)
        self._ahead: dict[str, tuple[int, int]] = {}

    # --- construction ------------------------------------------------------------------

    def _build_nodes(self) -> None:
        plan = self.plan
        nodes: list[Node | None] = [None] * len(plan.nodes)
        for index in plan.order:
            pn = plan.nodes[index]
            args = tuple(a if isinstance(a, Const) else nodes[a] for a in pn.args)
            if pn.measured:
                node: Node = DIRECTIVES[type(pn.definition)](pn, args)
            else:
                node = FUNCTIONS[type(pn.definition)].make(pn, args)
            nodes[index] = node
        self._nodes: list[Node] = [n for n in nodes if n is not None]
        pos = {index: i for i, index in enumerate(plan.order)}
        self._pos = pos
        users: list[list[int]] = [[] for _ in plan.nodes]
        for pn in plan.nodes:
            for a in pn.args:
                if isinstance(a, int):
                    users[a].append(pn.index)
        closures: list[tuple[Node, ...]] = []
        for pn in plan.nodes:
            seen: set[int] = set()
            stack = list(users[pn.index])
            while stack:
                u = stack.pop()
                if u not in seen:
                    seen.add(u)
                    stack.extend(users[u])
            closures.append(tuple(self._nodes[i] for i in sorted(seen, key=pos.__getitem__)))
        self._closure = closures
        # on record steps, tick-only nodes (TSConstructor, IntervalSeries) stop propagation
        record_closures: list[tuple[Node, ...]] = []
        for pn in plan.nodes:
            seen = set()
            stack = list(users[pn.index])
            while stack:
                u = stack.pop()
                if u in seen:
                    continue
                node = self._nodes[u]
                if node.listens:
                    seen.add(u)
                if node.changes_on_input:
                    stack.extend(users[u])
            record_closures.append(tuple(self._nodes[i] for i in sorted(seen, key=pos.__getitem__)))
        self._record_closure = record_closures
        # per schedule: what its tick reaches, in topological order, each node with
        # whether it is driven by that schedule itself
        driven: list[set[int]] = [set() for _ in plan.schedules]
        for pn in plan.nodes:
            if pn.schedule is not None:
                driven[pn.schedule].add(pn.index)
        self._sched_nodes: list[tuple[tuple[Node, bool], ...]] = []
        for s, starts in enumerate(driven):
            reach = set(starts)
            for i in starts:
                reach.update(n.index for n in closures[i])
            self._sched_nodes.append(
                tuple(
                    (self._nodes[i], plan.nodes[i].schedule == s)
                    for i in sorted(reach, key=pos.__getitem__)
                )
            )
        self._targets = {k: tuple(self._nodes[i] for i in v) for k, v in plan.targets.items()}
        self._operations = {k: tuple(self._nodes[i] for i in v) for k, v in plan.operations.items()}

    def _route(self, nodes: tuple[Node, ...], *, invocation: bool) -> Route:
        merged: dict[int, Node] = {}
        for node in nodes:
            for n in self._record_closure[node.index]:
                merged[n.index] = n
        downstream = tuple(merged[i] for i in sorted(merged, key=self._pos.__getitem__))
        watch = tuple(n for n in (*nodes, *downstream) if n.params)
        kind = 0  # slow path: lateness buffering or tracing
        if self._lateness == 0 and not self._trace:
            node = nodes[0]
            plain = node.plan.schedule is None and (
                type(node) is ResponseTimeNode or (type(node) is DirectiveNode and not invocation)
            )
            if len(nodes) > 1:
                kind = 4
            elif not plain:
                kind = 3 if invocation else 2
            elif all(type(n) is IntervalSeriesNode and n.inputs == (node,) for n in downstream):
                # the value only goes into interval buffers: append to them directly
                kind = 5
                # the lists' own append methods (IntervalSeries keeps its lists for good):
                # the first buffer's unpacked, any others after it (usually none)
                buffers = [
                    (n.pending_t.append, n.pending_v.append)
                    for n in downstream
                    if isinstance(n, IntervalSeriesNode)
                ]
                first = buffers[0] if buffers else (_DISCARD, _DISCARD)
                own = (node,) if node.params else ()
                return (kind, node, (*first, tuple(buffers[1:])), own, nodes, invocation)
            else:
                kind = 1
        return (kind, nodes[0], downstream, watch, nodes, invocation)

    def _build_obligations(self) -> None:
        plan = self.plan
        self._param_nodes = [self._nodes[p.node] for p in plan.parameters]
        self._params_of: list[tuple[int, ...]] = [() for _ in plan.nodes]
        by_node: dict[int, list[int]] = {}
        for parameter in plan.parameters:
            by_node.setdefault(parameter.node, []).append(parameter.index)
        for n, ps in by_node.items():
            self._params_of[n] = tuple(ps)
            self._nodes[n].params = tuple(ps)
        # per target: its route (fed nodes, what a record can reach, which carry parameters)
        self._routes: dict[str, Route] = {}
        for target, nodes in self._targets.items():
            self._routes[target] = self._route(nodes, invocation=False)
        for operation, nodes in self._operations.items():
            self._routes[operation + INVOCATION_SUFFIX] = self._route(nodes, invocation=True)
        # every known target has a lane: one dict subscript answers both "known?" and
        # "the cheapest path?" for the most common record
        self._lanes = {target: _lane(route) for target, route in self._routes.items()}
        self._state = ObligationState(self._param_nodes, len(plan.slos))
        self._slos_by_param: list[list[int]] = [[] for _ in plan.parameters]
        self._slos_by_sched: list[list[int]] = [[] for _ in plan.schedules]
        for slo in plan.slos:
            for p in slo.triggers:
                self._slos_by_param[p].append(slo.index)
            if slo.schedule is not None:
                self._slos_by_sched[slo.schedule].append(slo.index)
        self._gs_by_param: list[list[int]] = [[] for _ in plan.parameters]
        self._gs_by_slo: list[list[int]] = [[] for _ in plan.slos]
        self._gs_by_sched: list[list[int]] = [[] for _ in plan.schedules]
        for g in plan.guarantees:
            for p in g.triggers:
                self._gs_by_param[p].append(g.index)
            for s in g.trigger_slos:
                self._gs_by_slo[s].append(g.index)
            if g.schedule is not None:
                self._gs_by_sched[g.schedule].append(g.index)
        self._g_last: list[Truth] = [None] * len(plan.guarantees)

        self._tracks = [_SloTrack() for _ in plan.slos]
        self._slo_closed = [slo.closed for slo in plan.slos]

    # --- input -------------------------------------------------------------------------

    def feed(self, target: str, time: int | datetime, value: Value, origin: Any = None) -> None:
        """One record: ``target`` is ``ServiceObject/Metric`` (or the full path), a
        directive URI, or ``<ServiceObject>#invocation`` (value = response time)."""
        try:
            node, add_time, add_value = self._lanes[target]
        except KeyError:
            self._unknown_target(target, time if type(time) is int else to_ns(time))
            return
        if node is not None and type(time) is int and self._watermark <= time < self._fast_hi:
            # the most common record, inlined to the bone: a value for one interval buffer
            # between two ticks (the conditions are those of the inlined path below)
            if value is True:
                value = 1
            elif value is False:
                value = 0
            self._records += 1
            self._watermark = time  # (not _last: finish() reads the watermark too)
            node.value = value
            if value is not None:
                add_time(time)
                add_value(value)
            return
        kind, node, downstream, watch, nodes, invocation = self._routes[target]
        if type(time) is int and self._watermark <= time < self._fast_hi:
            # the common case, inlined: no lateness, no trace, inside the window, no tick
            # due (with no lateness the watermark is the newest time seen). With lateness or
            # trace every route is of kind 0 and _fast_hi stays FAR_PAST: never here.
            if value is True:
                value = 1
            elif value is False:
                value = 0
            self._records += 1
            self._last = self._watermark = time
            if kind == 5:
                # only interval buffers read the value: no stamp, and a step number is
                # needed only when a parameter changes (stamps must be unique per step)
                node.value = value
                if value is not None:
                    add_time, add_value, more = downstream
                    add_time(time)
                    add_value(value)
                    if more:
                        for add_time, add_value in more:
                            add_time(time)
                            add_value(value)
                if watch:
                    step = self._step = self._step + 1
                    self._obligations(time, step, list(node.params), ())
                return
            step = self._step = self._step + 1
            if kind == 1:
                node.value = value
                node.stamp = step
            elif kind == 2:
                if not node.feed(time, value):
                    return
                node.stamp = step
            elif kind == 3:
                if not node.invoke(time, value):
                    return
                node.stamp = step
            else:
                changed = False
                for n in nodes:
                    if n.invoke(time, value) if invocation else n.feed(time, value):
                        n.stamp = step
                        changed = True
                if not changed:
                    return
            for n in downstream:
                for i in n.inputs:
                    if i.stamp == step:
                        break
                else:
                    continue
                if n.on_change(time):
                    n.stamp = step
            if watch:
                new_params = [p for n in watch if n.stamp == step for p in n.params]
                if new_params:
                    self._obligations(time, step, new_params, ())
            return
        self._feed_slow(target, time, value, origin)

    def _feed_slow(self, target: str, time: int | datetime, value: Value, origin: Any) -> None:
        """A record off the inlined path: a tick is due first, the window is not open yet,
        or the record is late, outside the window, buffered or traced."""
        t = time if type(time) is int else to_ns(time)
        route = self._routes[target]
        if route[0] and self._watermark <= t <= self._fast_end:  # (kind 0: _fast_hi stays)
            if self._next_tick <= t:
                if self._too_far(t, target):
                    self._records += 1
                    return
                self._ticks_until(t)
            self._fast_hi = min(self._next_tick, self._fast_end + 1)
            if t < self._fast_hi:
                self.feed(target, t, value, origin)  # no tick due now: the inlined path
                return
        self._submit(t, route, normalize(value), origin, target)

    def feed_invocation(
        self, operation: str, time: int | datetime, response_time: Value = None, origin: Any = None
    ) -> None:
        """One invocation of ``operation`` (service object name or path): feeds its
        ResponseTime, InvocationCount and SumResponseTime directives in one step."""
        self.feed(operation + INVOCATION_SUFFIX, time, response_time, origin)

    def feed_many(self, records: Iterable[Any]) -> None:
        """Feed ``wsla.sources.record.Record``-like objects (``time, target, value, origin``).

        Same outcomes as calling :meth:`feed` for each (see :meth:`feed_rows`)."""
        self.feed_rows((r.time, r.target, r.value, r.origin) for r in records)

    def feed_rows(self, rows: Iterable[tuple[int, str, Value, Any]]) -> None:
        """Feed ``(time, target, value, origin)`` tuples; same outcomes as :meth:`feed` for
        each. The common case (a record that only sets a directive's value and feeds
        functions, between ticks) runs in a loop keeping the engine's counters in locals.
        """
        lanes = self._lanes
        get = self._routes.get
        feed = self.feed
        no_route = _NO_ROUTE
        mark, hi = self._watermark, self._fast_hi
        step, last, count = self._step, self._last, 0
        try:
            for t, target, value, origin in rows:
                # a lane first, as in feed() (an unknown target has none: feed() reports it)
                node, add_time, add_value = lanes.get(target, _NO_LANE)
                if node is not None and type(t) is int and mark <= t < hi:
                    if value is True:
                        value = 1
                    elif value is False:
                        value = 0
                    count += 1
                    mark = t  # (not last, as in feed())
                    node.value = value
                    if value is not None:
                        add_time(t)
                        add_value(value)
                    continue
                kind, node, downstream, watch, _, _ = get(target, no_route)
                if kind in (1, 5) and type(t) is int and mark <= t < hi:
                    if value is True:
                        value = 1
                    elif value is False:
                        value = 0
                    count += 1
                    mark = last = t
                    node.value = value
                    if kind == 5:  # as in feed(): no stamp, a step only for a parameter
                        if value is not None:
                            add_time, add_value, more = downstream
                            add_time(t)
                            add_value(value)
                            if more:
                                for add_time, add_value in more:
                                    add_time(t)
                                    add_value(value)
                        if not watch:
                            continue
                        step += 1
                        new_params = list(node.params)
                    else:
                        step += 1
                        node.stamp = step
                        for n in downstream:
                            for i in n.inputs:
                                if i.stamp == step:
                                    break
                            else:
                                continue
                            if n.on_change(t):
                                n.stamp = step
                        if not watch:
                            continue
                        new_params = [p for n in watch if n.stamp == step for p in n.params]
                        if not new_params:
                            continue
                    self._step, self._watermark, self._last = step, mark, last
                    self._obligations(t, step, new_params, ())
                    continue
                # anything else goes through feed() with the counters written back
                self._step, self._watermark, self._last = step, mark, last
                self._records += count
                count = 0
                feed(target, t, value, origin)
                mark, hi = self._watermark, self._fast_hi
                step, last = self._step, self._last
        finally:
            self._step, self._watermark, self._last = step, mark, last
            self._records += count

    def _unknown_target(self, target: str, t: int) -> None:
        count = self._unknown.get(target, 0)
        self._unknown[target] = count + 1
        if count == 0:
            self._emit(DataGap(t, "unknown_target", target, "no measured metric reads this target"))

    def _submit(self, t: int, route: Route, value: Value, origin: Any, target: str) -> None:
        if self._finished:
            raise RuntimeError("evaluator already finished")
        self._records += 1
        if (self._end is not None and t > self._end) or (
            self._start is not None and t < self._start
        ):
            self._outside += 1
            return
        if t < self._watermark:
            self._late += 1
            self._emit(
                LateRecord(
                    max(self._max_seen, self._watermark),
                    target,
                    t,
                    self._watermark,
                    None if origin is None else str(origin),
                )
            )
            return
        if self._next_tick <= t and self._too_far(t, target):
            return
        self._max_seen = max(self._max_seen, t)
        if self._lateness == 0:
            self._watermark = t
            self._record_step(t, route, value, origin, target)
            return
        self._seq += 1
        heapq.heappush(self._buffer, (t, self._seq, route, value, origin, target))
        mark = t - self._lateness
        self._watermark = max(self._watermark, mark)
        self._release(self._watermark)

    def _release(self, upto: int | None) -> None:
        """Apply the buffered records with time ≤ ``upto`` (all of them for ``None``)."""
        buffer = self._buffer
        while buffer and (upto is None or buffer[0][0] <= upto):
            t, _, route, value, origin, target = heapq.heappop(buffer)
            self._record_step(t, route, value, origin, target)

    def _too_far(self, t: int, target: str) -> bool:
        """Refuse a record whose time is more than ``Limits.max_ticks_per_step`` schedule
        ticks ahead (L107): it is counted as outside the window and not applied."""
        if self._ticks_ahead(t) <= self._max_ticks:
            return False
        self._outside += 1
        first, count = self._ahead.get(target, (t, 0))
        self._ahead[target] = (first, count + 1)
        return True

    def _ticks_ahead(self, t: int) -> int:
        """How many raw schedule ticks processing up to ``t`` takes (masked ticks included:
        each is a turn of the tick loop), summed over the schedules anything listens to."""
        origin = self._from
        if origin is None:
            # the window will open at ``start``, else at the oldest buffered record; with
            # neither, this record opens it and its ticks start after it
            if self._start is not None:
                origin = self._start
            elif self._buffer:
                origin = self._buffer[0][0]  # a heap: the oldest first
            else:
                return 0
        total = 0
        for s in self.plan.schedules:
            i = s.index
            ticker = s.ticker
            if self._from is None:  # place the cursor as _begin will
                if not (self._sched_nodes[i] or self._slos_by_sched[i] or self._gs_by_sched[i]):
                    continue
                k = ticker.first_after(origin)
            else:
                if self._sched_next[i] >= NEVER or self._sched_next[i] > t:
                    continue
                k = self._sched_k[i]
            upto = min(t, ticker.end_ns)
            if upto >= NEVER:
                return self._max_ticks + 1  # no End and beyond any date: too many
            total += max(0, ticker.first_after(upto) - k)
        return total

    def advance(self, to: int | datetime) -> None:
        """Declare that event time reached ``to``: apply buffered records up to it and
        process every tick up to and including ``to``; older records become late."""
        t = to_ns(to)
        self._release(t)
        self._watermark = max(self._watermark, t)
        if self._end is not None:
            t = min(t, self._end)
        self._begin(t)
        self._ticks_until(t)

    # --- output ------------------------------------------------------------------------

    def _emit(self, outcome: Outcome) -> None:
        self._out.append(outcome)

    def outcomes(self) -> Iterator[Outcome]:
        """Drain the outcomes produced since the last call, in order."""
        out = self._out
        self._out = []
        self._all.extend(out)
        return iter(out)

    def finish(self, to: int | datetime | None = None) -> Result:
        """Apply every buffered record, process ticks up to ``to`` (default: the window's
        end, else the later of the last record and the last :meth:`advance`) and return
        the :class:`Result`."""
        if not self._finished:
            self._release(None)
            end = to_ns(to) if to is not None else self._end
            if end is None:
                # the later of the last record and the last advance(): ticks advance()
                # processed belong to the window whose summaries are returned
                reached = [m for m in (self._last, self._watermark) if m is not None]
                end = max(reached) if reached and max(reached) != FAR_PAST else None
            if end is not None:
                self._begin(end)
                self._ticks_until(end)
            self._finished = True
            self._fast_end = self._fast_hi = FAR_PAST
            self._window_end = end
        end = self._window_end
        for _ in self.outcomes():
            pass
        summaries = {}
        for slo, track in zip(self.plan.slos, self._tracks, strict=True):
            total, longest, periods = track.total, track.longest, track.periods
            if track.since is not None and end is not None:
                length = max(0, end - track.since)
                total += length
                longest = max(longest, length)
                periods += 1
            known = track.trues + track.violations
            summaries[slo.name] = Summary(
                slo=slo.name,
                evaluations=track.evaluations,
                violations=track.violations,
                unknowns=track.unknowns,
                compliance=(100.0 * track.trues / known) if known else None,
                time_in_violation=total,
                longest_violation=longest,
                violation_periods=periods,
            )
        return Result(
            outcomes=tuple(self._all),
            summaries=summaries,
            window=(self._from, end),
            records=self._records,
            late_records=self._late,
            outside_window=self._outside,
            unknown_targets=dict(self._unknown),
            diagnostics=self._limit_reached() + self._too_far_diagnostics(),
            _evidence=self._evidence,
        )

    def _too_far_diagnostics(self) -> tuple[Diagnostic, ...]:
        """One L107 warning naming every target with records refused as too far ahead."""
        if not self._ahead:
            return ()
        total = sum(count for _, count in self._ahead.values())
        targets = sorted(self._ahead.items(), key=lambda item: item[1][0])
        notes = tuple(
            f"{target}: {count:,} record{'s' if count != 1 else ''}, the first at "
            f"{ns_to_iso(first)}"
            for target, (first, count) in targets[:10]
        )
        if len(targets) > 10:
            notes += (f"and {len(targets) - 10:,} more targets",)
        return (
            diagnostic(
                "L107",
                f"{total:,} record{'s' if total != 1 else ''} not applied: each lies more "
                f"than {self._max_ticks:,} schedule ticks ahead (Limits.max_ticks_per_step); "
                "counted as outside the window",
                None,
                notes=notes,
            ),
        )

    def _limit_reached(self) -> tuple[Diagnostic, ...]:
        """L104 for each series bounded by ``Limits.max_window`` that filled up (a full
        deque stays full, so looking at the end is looking at every step)."""
        out = []
        for index in self.plan.bounded:
            pn = self.plan.nodes[index]
            series = self._nodes[index].value
            if isinstance(series, Series) and pn.window is not None and len(series) >= pn.window:
                out.append(
                    diagnostic(
                        "L104",
                        f"`{pn.metric or pn.name}` reached {pn.window:,} elements "
                        "(Limits.max_window): only the newest are kept",
                        pn.span,
                        severity=Severity.WARNING,
                    )
                )
        return tuple(out)

    # --- steps -------------------------------------------------------------------------

    def _begin(self, t: int) -> None:
        """Fix the window's start at the first record (or ``start``) and place each
        schedule's cursor on its first tick after it."""
        if self._from is not None:
            return
        self._from = self._start if self._start is not None else t
        for s in self.plan.schedules:
            i = s.index
            if not (self._sched_nodes[i] or self._slos_by_sched[i] or self._gs_by_sched[i]):
                continue  # nothing listens: its ticks would be empty steps
            k = s.ticker.first_after(self._from)
            self._sched_k[i] = k
            self._sched_next[i] = s.ticker.tick(k)
        self._next_tick = min(self._sched_next, default=NEVER)

    def _ticks_until(self, t: int) -> None:
        if self._from is None:
            self._begin(t)
        while self._next_tick <= t and self._next_tick < NEVER:
            now = self._next_tick
            ticking: list[int] = []
            sched_next = self._sched_next
            for s in self.plan.schedules:
                i = s.index
                if sched_next[i] == now:
                    if s.ticker.accepts(now):
                        ticking.append(i)
                    self._sched_k[i] += 1
                    sched_next[i] = s.ticker.tick(self._sched_k[i])
            self._next_tick = min(sched_next)
            if ticking:
                self._tick_step(now, ticking)

    def _record_step(self, t: int, route: Route, value: Value, origin: Any, target: str) -> None:
        if self._next_tick <= t:
            self._ticks_until(t)
        self._last = t
        self._step = step = self._step + 1
        kind, _, downstream, watch, nodes, invocation = route
        if kind == 5:  # the route holds interval buffers' appends: visit their nodes
            downstream = self._record_closure[nodes[0].index]
        trace = self._trace
        changed = False
        for node in nodes:
            if trace:
                self._readings[node.index] = Evidence(
                    "record", target, t, value, None if origin is None else str(origin)
                )
            if node.invoke(t, value) if invocation else node.feed(t, value):
                node.stamp = step
                changed = True
                if trace:
                    self._note(node, t)
        if not changed:
            return
        for node in downstream:
            for i in node.inputs:
                if i.stamp == step:
                    break
            else:
                continue
            if node.on_change(t):
                node.stamp = step
                if trace:
                    self._note(node, t)
            elif trace and isinstance(node, IntervalSeriesNode):
                self._collect(node, t)
        if watch:
            new_params = [p for n in watch if n.stamp == step for p in n.params]
            if new_params:
                self._obligations(t, step, new_params, ())

    def _tick_order(self, ticking: list[int]) -> tuple[tuple[Node, bool], ...]:
        """The nodes a tick of these schedules reaches, in topological order, each with
        whether its own schedule ticks now."""
        if len(ticking) == 1:
            return self._sched_nodes[ticking[0]]
        merged: dict[int, Node] = {}
        for s in ticking:
            for node, _ in self._sched_nodes[s]:
                merged[node.index] = node
        return tuple(
            (merged[i], merged[i].plan.schedule in ticking)
            for i in sorted(merged, key=self._pos.__getitem__)
        )

    def _tick_step(self, t: int, ticking: list[int]) -> None:
        self._step = step = self._step + 1
        trace = self._trace
        new_params: list[int] = []
        for node, ticked in self._tick_order(ticking):
            new = False
            for inp in node.inputs:
                if inp.stamp == step:
                    new = node.on_change(t)
                    if trace and isinstance(node, IntervalSeriesNode):
                        self._collect(node, t)
                    break
            if ticked:
                new = node.on_tick(t) or new
                # only a TSConstructor reports gaps (getattr on the others would raise)
                if isinstance(node, TSConstructorNode) and node.gaps:
                    gaps = node.gaps
                    for g in gaps:
                        self._emit(
                            DataGap(
                                g,
                                "missing_sample",
                                node.plan.name,
                                f"input `{self.plan.nodes[node.inputs[0].index].name}` "
                                "has no value at this tick",
                            )
                        )
                    gaps.clear()
            if new:
                node.stamp = step
                if trace:
                    self._note(node, t)
                if node.params:
                    new_params.extend(node.params)
        self._obligations(t, step, new_params, ticking)

    # --- obligations -------------------------------------------------------------------

    def _obligations(
        self, t: int, step: int, new_params: list[int], ticking: Iterable[int]
    ) -> None:
        plan = self.plan
        state = self._state
        state.step = step
        stamps = state.param_stamp
        out = self._out
        param_nodes = self._param_nodes
        names = plan.parameter_names
        for p in new_params:
            stamps[p] = step
        if new_params and self._emit_params:
            for p in sorted(set(new_params)) if len(new_params) > 1 else new_params:
                v = param_nodes[p].value
                out.append(ParameterValue(t, names[p], v.snapshot() if type(v) is Series else v))
        slo_set: set[int] = set()
        g_set: set[int] = set()
        slos_by_param, gs_by_param = self._slos_by_param, self._gs_by_param
        for p in new_params:
            if slos_by_param[p]:
                slo_set.update(slos_by_param[p])
            if gs_by_param[p]:
                g_set.update(gs_by_param[p])
        for s in ticking:
            slo_set.update(self._slos_by_sched[s])
            g_set.update(self._gs_by_sched[s])
        closed = self._slo_closed
        for i in sorted(slo_set):
            slo = plan.slos[i]
            span = closed[i]
            if span is None:
                if not slo.valid_at(t):
                    continue
            elif not span[0] <= t <= span[1]:
                continue
            result = slo.evaluate(state)
            state.slo_last[i] = result
            state.slo_evaluated[i] = True
            if self._gs_by_slo[i]:
                g_set.update(self._gs_by_slo[i])
            values = {}
            for p in slo.reads:
                v = param_nodes[p].value
                values[names[p]] = v.snapshot() if type(v) is Series else v
            out.append(SLOEvaluation(t, slo.name, result, values))
            track = self._tracks[i]
            track.evaluations += 1
            if result is True:
                track.trues += 1
                if track.since is not None:
                    length = t - track.since
                    track.total += length
                    track.longest = max(track.longest, length)
                    track.periods += 1
                    track.since = None
            elif result is False:
                track.violations += 1
                if track.since is None:
                    track.since = t
                key = len(self._evidence) if self._trace else -1
                out.append(Violation(t, slo.name, slo.obliged, values, key))
                if self._trace:
                    self._evidence[key] = self._explain_params(slo.reads, t)
            else:
                track.unknowns += 1
                undefined = [k for k, v in values.items() if v is None]
                detail = (
                    "undefined: " + ", ".join(undefined) if undefined else "expression is unknown"
                )
                out.append(DataGap(t, "unknown", slo.name, detail))
        for i in sorted(g_set):
            self._guarantee(i, t, state)

    def _guarantee(self, i: int, t: int, state: ObligationState) -> None:
        g = self.plan.guarantees[i]
        result = g.evaluate(state)
        last = self._g_last[i]
        modality = g.modality
        fire = MODALITIES[modality](result, last)
        if result is not None:
            self._g_last[i] = result
        else:
            self._emit(DataGap(t, "unknown", g.name, "guarantee expression is unknown"))
        if not fire:
            return
        nodes = self._param_nodes
        for request in action_requests(
            g, t, result, self.plan.parameter_names, lambda p: nodes[p].value
        ):
            self._emit(request)

    # --- evidence ----------------------------------------------------------------------

    def _collect(self, node: Node, t: int) -> None:
        """Keep the evidence of a value an IntervalSeries buffered for its next tick."""
        src = node.inputs[0]
        if src.value is not None and src.note is not None:
            self._pending_notes.setdefault(node.index, []).append((t, src.note))

    def _note(self, node: Node, t: int) -> None:
        pn = node.plan
        name = pn.metric or pn.name
        if isinstance(node, IntervalSeriesNode):
            pending = self._pending_notes.get(node.index, [])
            first = node.value.times[0] if len(node.value) else t
            kept = tuple(
                Evidence("element", name, tt, note.value, None, (note,))
                for tt, note in pending
                if first <= tt < t
            )
            self._pending_notes[node.index] = [(tt, n) for tt, n in pending if tt >= t]
            node.note = Evidence("metric", name, t, None, None, kept)
            return
        if isinstance(node, DirectiveNode):
            reading = self._readings.get(node.index)
            node.note = Evidence(
                "metric",
                name,
                t,
                snapshot(node.value),
                None,
                (reading,) if reading is not None else (),
            )
            return
        if isinstance(node.value, Series):
            src = node.inputs[0] if node.inputs else None
            previous = node.note.inputs if node.note is not None else ()
            window = node.value.window
            if (
                type(pn.definition).__name__ in ("QConstructor", "TSConstructor")
                and src is not None
            ):
                element = Evidence(
                    "element",
                    name,
                    t,
                    snapshot(src.value),
                    None,
                    (src.note,) if src.note is not None else (),
                )
                kept = (*previous, element)
                if window is not None:
                    kept = kept[-window:] if window else ()
                node.note = Evidence("metric", name, t, None, None, kept)
                return
            inputs = tuple(i.note for i in node.inputs if i.note is not None)
            node.note = Evidence("metric", name, t, None, None, inputs)
            return
        inputs = tuple(i.note for i in node.inputs if i.note is not None)
        node.note = Evidence("metric", name, t, snapshot(node.value), None, inputs)

    def _explain_params(self, params: tuple[int, ...], t: int) -> tuple[Evidence, ...]:
        out = []
        for p in params:
            node = self._param_nodes[p]
            chain = (node.note,) if node.note is not None else ()
            out.append(
                Evidence(
                    "parameter", self.plan.parameters[p].name, t, snapshot(node.value), None, chain
                )
            )
        return tuple(out)


def evaluate_records(spec: Spec | Plan, records: Iterable[Any], **options: Any) -> Result:
    """Convenience: evaluate an iterable of records at once."""
    ev = Evaluator(spec, **options)
    ev.feed_many(records)
    return ev.finish()
