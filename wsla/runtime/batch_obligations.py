"""The batch engine's tick steps, column by column over a block of ticks.

When event time advances and no record is applied in between (the batch engine moves
the per-event engine to its watermark after each chunk), the steps ahead are pure tick
steps. If every schedule anything listens to is a fixed-step schedule whose ticks reach
only vectorized interval series and their aggregates (``batch.py``), then what such a
step does is known in advance: each aggregate of a ticking schedule takes its
precomputed value (or its function's value over an empty interval), its parameters are
new, and the SLOs and guarantees they trigger are evaluated. :class:`TickSteps` does all
the steps up to a time at once, column-wise: parameter values as lists over the steps,
each obligation's expression evaluated over its evaluation steps, then the outcomes
created and put in the engine's order (by step; within a step parameter values, SLOs by
index each followed by its violation or data gap, guarantees by index). The engine's
state (cursors, step counter, node values, parameter stamps, SLO tracks, guarantees'
last results) is left exactly as its own ``_ticks_until`` leaves it, so records, ticks
and ``finish`` that follow go on through the engine unchanged.

Anything else (a calendar or month schedule, a tick reaching another node, an SLO
expression naming a violation, an expression this module has no column rule for) keeps
the engine's own tick loop: :func:`tick_steps` returns ``None``.
"""

from __future__ import annotations

import dataclasses
import operator
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Sequence
from functools import partial
from itertools import repeat
from typing import Any

from wsla.model import obligations as o
from wsla.runtime.engine import Evaluator, action_requests
from wsla.runtime.functions import IntervalSeriesNode, PureNode
from wsla.runtime.modalities import MODALITIES
from wsla.runtime.nodes import Node
from wsla.runtime.outcomes import (
    DataGap,
    Outcome,
    ParameterValue,
    SLOEvaluation,
    Violation,
)
from wsla.runtime.predicates import (
    COMPARISONS,
    Truth,
    kleene_and,
    kleene_implies,
    kleene_not,
    kleene_or,
)
from wsla.runtime.schedules import NEVER
from wsla.runtime.values import Series, Value

Column = list[Truth]


class _NoColumnRule(Exception):
    """An expression the column evaluator does not handle (the engine's loop does)."""


@dataclasses.dataclass(slots=True)
class _Steps:
    """One block of tick steps: what expressions read, per evaluation step."""

    values: list[list[Value]]
    """Per parameter, its value after each step of the block."""
    new: list[list[bool]]
    """Per parameter, whether it got a new value at each step."""
    slo_results: list[tuple[list[int], Column, Truth]]
    """Per SLO, its evaluation steps, results and what ``Violation`` read before."""
    violated: dict[int, list[Truth]]
    """Per SLO asked for, what ``Violation(slo)`` reads after each step (guarantees)."""

    def violation(self, slo: int) -> list[Truth]:
        column = self.violated.get(slo)
        if column is None:
            n = len(self.values[0]) if self.values else 0
            idx, results, start = self.slo_results[slo]
            column = _fill(list(map(kleene_not, results)), idx, n, start)
            self.violated[slo] = column
        return column


@dataclasses.dataclass(slots=True)
class _Out:
    """Outcomes of a block and their sort keys (step·ranks + rank)."""

    keys: list[int]
    objs: list[Outcome]


Evaluate = Callable[[_Steps, list[int]], Column]
"""An expression over the steps ``idx`` of a block: one truth value per step."""


_REFLECTED: dict[type[o.Comparison], Callable[[Any, Any], bool]] = {
    o.Greater: operator.lt,
    o.Less: operator.gt,
    o.Equal: operator.eq,
    o.GreaterEqual: operator.le,
    o.LessEqual: operator.ge,
}
"""``limit OP' value`` for ``value OP limit``: the same test with the limit first, so
that ``map`` can apply it (exact for numbers: no conversion either way)."""


def _comparison(expr: Any, params: dict[str, int], slos: dict[str, int], own: bool) -> Evaluate:
    index = params[expr.parameter]
    test = COMPARISONS[type(expr)]
    limit = expr.value
    reflected = partial(_REFLECTED[type(expr)], limit)
    numbers = {float, int}

    def evaluate(steps: _Steps, idx: list[int]) -> Column:
        values = steps.values[index]
        column = values if len(idx) == len(values) else [values[i] for i in idx]
        if set(map(type, column)) <= numbers:  # no bools, None or series: C speed
            return list(map(reflected, column))
        # as predicates._comparison: a comparison over a non-number is unknown
        return [
            bool(test(v, limit)) if isinstance(v, int | float) and not isinstance(v, bool) else None
            for v in column
        ]

    return evaluate


def _constant(value: bool) -> Callable[..., Evaluate]:
    def make(expr: Any, params: dict[str, int], slos: dict[str, int], own: bool) -> Evaluate:
        return lambda steps, idx: [value] * len(idx)

    return make


def _new_value(expr: Any, params: dict[str, int], slos: dict[str, int], own: bool) -> Evaluate:
    indices = [params[name] for name in expr.parameters]

    def evaluate(steps: _Steps, idx: list[int]) -> Column:
        flags = [steps.new[p] for p in indices]
        return [any(f[i] for f in flags) for i in idx]

    return evaluate


def _violation(expr: Any, params: dict[str, int], slos: dict[str, int], own: bool) -> Evaluate:
    if own:
        # inside an SLO it reads SLOs evaluated earlier in the same step: not done here
        raise _NoColumnRule("Violation in an SLO")
    index = slos[expr.slo]
    return lambda steps, idx: [steps.violation(index)[i] for i in idx]


_BINARY: dict[type[Any], Callable[[Truth, Truth], Truth]] = {
    o.And: kleene_and,
    o.Or: kleene_or,
    o.Implies: kleene_implies,
}


def _binary(expr: Any, params: dict[str, int], slos: dict[str, int], own: bool) -> Evaluate:
    combine = _BINARY[type(expr)]
    left = compile_column(expr.left, params, slos, own=own)
    right = compile_column(expr.right, params, slos, own=own)
    return lambda steps, idx: list(map(combine, left(steps, idx), right(steps, idx)))


def _not(expr: Any, params: dict[str, int], slos: dict[str, int], own: bool) -> Evaluate:
    inner = compile_column(expr.operand, params, slos, own=own)
    return lambda steps, idx: list(map(kleene_not, inner(steps, idx)))


COLUMN_RULES: dict[type[Any], Callable[[Any, dict[str, int], dict[str, int], bool], Evaluate]] = {
    **dict.fromkeys(COMPARISONS, _comparison),
    o.TruePredicate: _constant(True),
    o.FalsePredicate: _constant(False),
    o.NewValuePredicate: _new_value,
    o.ViolationPredicate: _violation,
    **dict.fromkeys(_BINARY, _binary),
    o.Not: _not,
}
"""Column evaluators of expressions, by model class (the same rules as
``wsla.runtime.predicates``, applied to all evaluation steps of a block at once)."""


def compile_column(
    expr: Any, params: dict[str, int], slos: dict[str, int], *, own: bool
) -> Evaluate:
    """``own``: the expression is an SLO's (no Violation predicates)."""
    rule = COLUMN_RULES.get(type(expr))
    if rule is None:
        raise _NoColumnRule(type(expr).__name__)
    try:
        return rule(expr, params, slos, own)
    except KeyError as exc:  # a name the plan reported already (E004/E005)
        raise _NoColumnRule(str(exc)) from exc


class Precomputed:
    """An aggregate's precomputed values by tick, oldest first: filled a chunk at a
    time by the kernels, read a tick at a time by the patched node (``take``) or a block
    of ticks at a time here (``take_many``). Entries older than the tick asked for are
    dropped, as an interval whose tick the engine never reached."""

    __slots__ = ("lock", "pos", "ticks", "values")

    def __init__(self, lock: Any = None) -> None:
        self.ticks: list[int] = []
        self.values: list[Value] = []
        self.pos = 0
        self.lock = lock
        """Held by ``extend`` and ``take_many`` when the kernels of one chunk run while
        the tick steps of the chunk before read (``jobs > 1``)."""

    def extend(self, ticks: list[int], values: list[Value]) -> None:
        if self.lock is None:
            self._extend(ticks, values)
            return
        with self.lock:
            self._extend(ticks, values)

    def _extend(self, ticks: list[int], values: list[Value]) -> None:
        if self.pos and self.pos * 2 >= len(self.ticks):
            del self.ticks[: self.pos], self.values[: self.pos]
            self.pos = 0
        self.ticks.extend(ticks)
        self.values.extend(values)

    def take(self, time: int, missing: Any) -> Any:
        """The value for the tick at ``time`` (``missing`` when there is none)."""
        ticks, pos = self.ticks, self.pos
        end = len(ticks)
        while pos < end and ticks[pos] < time:
            pos += 1
        if pos < end and ticks[pos] == time:
            self.pos = pos + 1
            return self.values[pos]
        self.pos = pos
        return missing

    def take_many(self, ticks: list[int], missing: Value) -> list[Value]:
        """The value for each of these sorted ticks (``missing`` where there is none),
        consuming every entry up to the last of them."""
        if self.lock is None:
            return self._take_many(ticks, missing)
        with self.lock:
            return self._take_many(ticks, missing)

    def _take_many(self, ticks: list[int], missing: Value) -> list[Value]:
        pos = self.pos
        end = bisect_right(self.ticks, ticks[-1], pos)
        self.pos = end
        have = self.ticks[pos:end]
        if have == ticks:  # every interval had rows: the usual case
            return self.values[pos:end]
        found: dict[int, Value] = {}
        for tick, value in zip(have, self.values[pos:end], strict=True):
            found.setdefault(tick, value)  # a repeated tick: the first, as take() does
        return [found.get(t, missing) for t in ticks]


@dataclasses.dataclass(slots=True)
class _Aggregate:
    node: PureNode
    queue: Precomputed
    empty: Value
    """The function's value over an empty interval (a tick whose interval had no row)."""


@dataclasses.dataclass(slots=True)
class _Schedule:
    index: int
    start_ns: int
    step_ns: int
    end_ns: int
    series: list[IntervalSeriesNode]
    aggregates: list[_Aggregate]


class TickSteps:
    """Runs the engine's tick steps up to a time, column-wise (see the module doc)."""

    def __init__(
        self,
        ev: Evaluator,
        schedules: list[_Schedule],
        slo_rules: list[Evaluate],
        guarantee_rules: list[Evaluate],
        empty: Series,
    ) -> None:
        self._ev = ev
        self._schedules = schedules
        self._slo_rules = slo_rules
        self._guarantee_rules = guarantee_rules
        self._empty = empty
        plan = ev.plan
        # per parameter: the schedule whose ticks give it new values (None: none do)
        self._param_sched: list[int | None] = [None] * len(plan.parameters)
        for s in schedules:
            for agg in s.aggregates:
                for p in agg.node.params:
                    self._param_sched[p] = s.index
        self.steps = 0
        """Tick steps done here (for tests)."""

    def advance(self, t: int) -> None:
        """:meth:`Evaluator.advance` (no lateness, so nothing is buffered)."""
        ev = self._ev
        ev._release(t)
        ev._watermark = max(ev._watermark, t)
        if ev._end is not None:
            t = min(t, ev._end)
        self.ticks_until(t)

    def ticks_until(self, t: int) -> None:
        """:meth:`Evaluator._begin` and ``_ticks_until`` up to ``t``."""
        ev = self._ev
        ev._begin(t)
        if not ev._next_tick <= t or ev._next_tick >= NEVER:
            return
        import numpy as np

        # each schedule's ticks up to t, from its cursor (fixed steps, no masks)
        own: list[tuple[_Schedule, Any]] = []
        for s in self._schedules:
            nxt = ev._sched_next[s.index]
            if nxt > t:
                continue
            k0 = ev._sched_k[s.index]
            upto = min(t, s.end_ns)
            k1 = max(k0, (upto - s.start_ns) // s.step_ns + 1)  # first k past upto
            ticks = s.start_ns + np.arange(k0, k1, dtype=np.int64) * s.step_ns
            ev._sched_k[s.index] = k1
            raw = s.start_ns + k1 * s.step_ns
            ev._sched_next[s.index] = raw if raw <= s.end_ns else NEVER
            if len(ticks):
                own.append((s, ticks))
        ev._next_tick = min(ev._sched_next, default=NEVER)
        if not own:
            return
        instants = own[0][1] if len(own) == 1 else np.unique(np.concatenate([x for _, x in own]))
        self._block(np, instants, own)

    def _block(self, np: Any, instants: Any, own: list[tuple[_Schedule, Any]]) -> None:
        ev = self._ev
        plan = ev.plan
        state = ev._state
        n = len(instants)
        first_step = ev._step + 1
        ev._step += n
        last_step = ev._step
        self.steps += n
        times: list[int] = instants.tolist()
        self._times = times
        param_nodes = ev._param_nodes
        n_params = len(plan.parameters)
        # what each parameter holds after each step: its value before the block, then
        # its aggregate's value at each tick of its schedule
        values: list[list[Value]] = [[] for _ in range(n_params)]
        new: list[list[bool]] = [[] for _ in range(n_params)]
        ticking = np.zeros((len(self._schedules), n), dtype=bool)
        sched_pos = {s.index: i for i, s in enumerate(self._schedules)}
        fresh: list[list[int]] = [[] for _ in range(n)]  # new parameters per step
        for s, ticks in own:
            at = np.searchsorted(instants, ticks)
            ticking[sched_pos[s.index], at] = True
            at_list = at.tolist()
            tick_list = ticks.tolist()
            flags = [False] * n
            for i in at_list:
                flags[i] = True
            for series in s.series:
                series.value = self._empty
                series.stamp = first_step + at_list[-1]
            for agg in s.aggregates:
                column = agg.queue.take_many(tick_list, agg.empty)
                node = agg.node
                if node.params:
                    filled = _fill(column, at_list, n, node.value)
                    for p in node.params:
                        values[p] = filled
                        new[p] = flags
                        state.param_stamp[p] = first_step + at_list[-1]
                        for i in at_list:
                            fresh[i].append(p)
                node.value = column[-1]
                node.stamp = first_step + at_list[-1]
        for p in range(n_params):
            if not values[p]:
                v = param_nodes[p].value
                values[p] = [v] * n
                new[p] = [False] * n
        # outcomes with their sort key step·ranks + rank (rank 0: parameter values,
        # 1 + i: SLO i, 1 + len(slos) + g: guarantee g); equal keys keep insertion order
        ranks = 1 + len(plan.slos) + len(plan.guarantees)
        out = _Out([], [])
        names = plan.parameter_names
        if ev._emit_params:
            for i, ps in enumerate(fresh):
                if ps:
                    t = times[i]
                    for p in sorted(set(ps)) if len(ps) > 1 else ps:
                        v = values[p][i]
                        out.keys.append(i * ranks)
                        out.objs.append(
                            ParameterValue(t, names[p], v.snapshot() if type(v) is Series else v)
                        )
        steps = _Steps(values, new, [], {})
        slo_steps: list[list[int]] = []
        for slo in plan.slos:
            triggered = np.zeros(n, dtype=bool)
            for p in slo.triggers:
                sp = self._param_sched[p]
                if sp is not None:
                    triggered |= ticking[sched_pos[sp]]
            if slo.schedule is not None and slo.schedule in sched_pos:
                triggered |= ticking[sched_pos[slo.schedule]]
            span = ev._slo_closed[slo.index]
            if span is not None:
                triggered &= (instants >= span[0]) & (instants <= span[1])
                idx = np.flatnonzero(triggered).tolist()
            else:
                idx = [i for i in np.flatnonzero(triggered).tolist() if slo.valid_at(times[i])]
            slo_steps.append(idx)
            results: Column = []
            if idx:
                results = self._slo_rules[slo.index](steps, idx)
                self._slo_outcomes(slo, idx, results, steps, out, ranks)
            # what Violation(slo) reads, for the guarantees: computed when one asks
            start: Truth = (
                kleene_not(state.slo_last[slo.index]) if state.slo_evaluated[slo.index] else False
            )
            steps.slo_results.append((idx, results, start))
            if idx:
                state.slo_last[slo.index] = results[-1]
                state.slo_evaluated[slo.index] = True
        for g in plan.guarantees:
            triggered = np.zeros(n, dtype=bool)
            for p in g.triggers:
                sp = self._param_sched[p]
                if sp is not None:
                    triggered |= ticking[sched_pos[sp]]
            if g.schedule is not None and g.schedule in sched_pos:
                triggered |= ticking[sched_pos[g.schedule]]
            for j in g.trigger_slos:
                if slo_steps[j]:
                    triggered[slo_steps[j]] = True
            idx = np.flatnonzero(triggered).tolist()
            if idx:
                results = self._guarantee_rules[g.index](steps, idx)
                rank = 1 + len(plan.slos) + g.index
                self._guarantee_outcomes(g, idx, times, results, steps, out, ranks, rank)
        state.step = last_step
        if out.objs:
            order = np.argsort(np.array(out.keys, dtype=np.int64), kind="stable").tolist()
            objs = out.objs
            ev._out.extend([objs[k] for k in order])

    def _slo_outcomes(  # noqa: PLR0917 (one SLO's columns)
        self, slo: Any, idx: list[int], result: Column, steps: _Steps, out: _Out, ranks: int
    ) -> None:
        """The SLO's outcomes over its evaluation steps (each SLOEvaluation, then its
        Violation or DataGap), and its summary track updated as the engine does."""
        ev = self._ev
        names = ev.plan.parameter_names
        times = self._times
        reads = slo.reads
        if len(reads) == 1:
            name = names[reads[0]]
            col = steps.values[reads[0]]
            vals = col if len(idx) == len(col) else [col[i] for i in idx]
            if Series in set(map(type, vals)):
                vals = list(map(_snap, vals))
            dicts = [{name: v} for v in vals]
        else:
            cols = [(names[p], steps.values[p]) for p in reads]
            dicts = [{nm: _snap(c[i]) for nm, c in cols} for i in idx]
        at = [times[i] for i in idx]
        sname, obliged = slo.name, slo.obliged
        rank = 1 + slo.index
        out.keys.extend([i * ranks + rank for i in idx])
        out.objs.extend(_evaluations(at, sname, result, dicts))
        track = ev._tracks[slo.index]
        trues = violations = unknowns = 0
        since, total, longest, periods = track.since, track.total, track.longest, track.periods
        keys, objs = out.keys, out.objs
        for i, t, r, values in zip(idx, at, result, dicts, strict=True):
            if r is True:
                trues += 1
                if since is not None:
                    length = t - since
                    total += length
                    longest = max(longest, length)
                    periods += 1
                    since = None
                continue
            keys.append(i * ranks + rank)  # after the evaluation (stable order)
            if r is False:
                violations += 1
                if since is None:
                    since = t
                objs.append(Violation(t, sname, obliged, values, -1))
            else:
                unknowns += 1
                undefined = [k for k, v in values.items() if v is None]
                detail = (
                    "undefined: " + ", ".join(undefined) if undefined else "expression is unknown"
                )
                objs.append(DataGap(t, "unknown", sname, detail))
        track.evaluations += len(idx)
        track.trues += trues
        track.violations += violations
        track.unknowns += unknowns
        track.since, track.total, track.longest, track.periods = since, total, longest, periods

    def _guarantee_outcomes(  # noqa: PLR0917 (one guarantee's columns)
        self,
        g: Any,
        idx: list[int],
        times: list[int],
        result: Column,
        steps: _Steps,
        out: _Out,
        ranks: int,
        rank: int,
    ) -> None:
        ev = self._ev
        names = ev.plan.parameter_names
        fire_rule = MODALITIES[g.modality]
        last = ev._g_last[g.index]
        keys, objs = out.keys, out.objs
        for i, r in zip(idx, result, strict=True):
            t = times[i]
            fire = fire_rule(r, last)
            if r is not None:
                last = r
            else:
                keys.append(i * ranks + rank)
                objs.append(DataGap(t, "unknown", g.name, "guarantee expression is unknown"))
            if fire:
                for request in action_requests(g, t, r, names, partial(_value_at, steps.values, i)):
                    keys.append(i * ranks + rank)
                    objs.append(request)
        ev._g_last[g.index] = last

    _times: list[int]


_EVALUATION_FIELDS = tuple(f.name for f in dataclasses.fields(SLOEvaluation))


def _evaluations(
    at: list[int], slo: str, results: Column, values: list[dict[str, Value]]
) -> list[SLOEvaluation]:
    """``SLOEvaluation(t, slo, r, v)`` for each step, field by field: the frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__`` in Python,
    which was a third of the cost of the 130 k evaluations of the 10 M workload; here
    each field's slot is set by its descriptor over all objects in one C-level pass.
    The objects are the same (equal, same fields; the class has no ``__post_init__``)."""
    columns = {"time": at, "slo": repeat(slo), "result": results, "values": values}
    if tuple(columns) != _EVALUATION_FIELDS:  # the class changed: its constructor
        return list(map(SLOEvaluation, at, repeat(slo), results, values))
    objs = list(map(object.__new__, repeat(SLOEvaluation, len(at))))
    slots = vars(SLOEvaluation)  # the slots' member descriptors
    for name, column in columns.items():
        deque(map(slots[name].__set__, objs, column), maxlen=0)
    return objs


def _value_at(values: Sequence[Sequence[Value]], i: int, p: int) -> Value:
    """Parameter ``p``'s value at step ``i`` of a block."""
    return values[p][i]


def _snap(v: Value) -> Value:
    return v.snapshot() if type(v) is Series else v


def _fill(column: Sequence[Any], at: list[int], n: int, start: Any) -> list[Any]:
    """A value per step of a block of ``n``: ``column[j]`` from step ``at[j]`` (sorted)
    on, ``start`` before the first."""
    if len(at) == n:
        return list(column)
    import numpy as np

    ext = [start, *column]
    pos = np.searchsorted(np.asarray(at, dtype=np.int64), np.arange(n), side="right")
    return [ext[j] for j in pos.tolist()]


def tick_steps(
    ev: Evaluator, series: set[int], vectorized: dict[int, tuple[PureNode, Precomputed]]
) -> TickSteps | None:
    """A :class:`TickSteps` for this engine, or None when some tick does more than the
    vectorized aggregates (then the engine's own loop runs). ``series`` holds the
    indices of the quieted interval series nodes, ``vectorized`` maps the index of each
    patched aggregate node to (node, its queue of precomputed values)."""
    plan = ev.plan
    if ev._lateness or ev._trace:
        return None
    empty = Series.of([], [])
    schedules: list[_Schedule] = []
    for s in plan.schedules:
        i = s.index
        nodes: Sequence[tuple[Node, bool]] = ev._sched_nodes[i]
        if not (nodes or ev._slos_by_sched[i] or ev._gs_by_sched[i]):
            continue
        ticker = s.ticker
        if ticker.mask is not None or ticker.months or ticker.fixed_ns <= 0:
            return None
        own: list[IntervalSeriesNode] = []
        aggregates: list[_Aggregate] = []
        for node, ticked in nodes:
            if ticked and node.index in series and isinstance(node, IntervalSeriesNode):
                own.append(node)
            elif not ticked and node.index in vectorized and node.plan.schedule is None:
                agg_node, queue = vectorized[node.index]
                first = agg_node.args[0]
                if not any(first is x for x in own):
                    return None
                # the function over an empty interval (as the patched node computes it)
                args = [empty if a is first else a.value for a in agg_node.args]
                aggregates.append(_Aggregate(agg_node, queue, agg_node.compute(*args)))
            else:
                return None
        schedules.append(
            _Schedule(i, ticker.start_ns, ticker.fixed_ns, ticker.end_ns, own, aggregates)
        )
    params = {name: i for i, name in enumerate(plan.parameter_names)}
    slo_names = {slo.name: slo.index for slo in plan.slos}
    spec_slos = plan.spec.obligations.all_slos()
    spec_guarantees = plan.spec.obligations.all_guarantees()
    if len(spec_slos) != len(plan.slos) or len(spec_guarantees) != len(plan.guarantees):
        return None
    try:
        slo_rules = [compile_column(s.expression, params, slo_names, own=True) for s in spec_slos]
        guarantee_rules = [
            compile_column(g.expression, params, slo_names, own=False) for g in spec_guarantees
        ]
    except _NoColumnRule:
        return None
    steps = TickSteps(ev, schedules, slo_rules, guarantee_rules, empty)
    return steps
