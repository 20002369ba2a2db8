"""The dependency graph: cycles, unused metrics and parameters, Violation targets (``G…``).

The full graph of :func:`wsla.graph.dependencies` (plain data, no networkx) has a node per
directive, metric, function, parameter, obligation and action. Whether it has a cycle, and
which metrics and parameters feed nothing, only depend on two much smaller graphs: metrics
by node key (a metric's function nodes always flow into it, and a function only reads
metrics and its own nested functions), and SLOs reading SLOs through ``Violation``
(parameters, guarantees and actions have no edge back). So the rules answer from those
(:class:`MetricFlow`), and build the full graph only to report a cycle it has, with the
path the iterative Tarjan below finds there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wsla.check import rule
from wsla.check.scope import Context, MetricEntry, ParameterEntry, did_you_mean
from wsla.check.walk import (
    notification_parameters,
    obligation_refs,
    obligations,
    resolved_metric_refs,
)
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic, Label
from wsla.model import ActionGuarantee, Function, Spec

if TYPE_CHECKING:
    # The full graph is built (and wsla.graph imported) only to report a cycle.
    from wsla.graph import Dependencies


@dataclass(frozen=True, slots=True)
class MetricFlow:
    """The dependency graph reduced to metrics, by node key (``ServiceDefinition/…/M``;
    entries sharing a key are one node, as in :func:`wsla.graph.dependencies`)."""

    first: dict[str, MetricEntry]
    """Node key → the first entry with that key (the node's name and span)."""
    inputs: dict[str, list[str]]
    """Node key → keys of the metrics its functions read (resolved names only)."""
    readers: dict[str, list[str]]
    """Node key → keys of the metrics whose functions read it."""
    dangling: int
    """Names in metric functions that resolve to no metric."""


def metric_flow(ctx: Context) -> MetricFlow:
    first: dict[str, MetricEntry] = {}
    for entry in ctx.metrics:
        first.setdefault(entry.key, entry)
    inputs: dict[str, list[str]] = {key: [] for key in first}
    readers: dict[str, list[str]] = {key: [] for key in first}
    dangling = 0
    for entry in ctx.metrics:
        if not isinstance(entry.metric.definition, Function):
            continue
        reads = inputs[entry.key]
        for _name, _span, _fn, found in resolved_metric_refs(ctx, entry):
            if found is None:
                dangling += 1
            else:
                reads.append(found.key)
                readers[found.key].append(entry.key)
    return MetricFlow(first=first, inputs=inputs, readers=readers, dangling=dangling)


def _has_cycle(succ: dict[str, list[str]]) -> bool:
    """Whether the graph ``succ`` (every target is a key) has a cycle (Kahn's algorithm)."""
    indegree = dict.fromkeys(succ, 0)
    for targets in succ.values():
        for target in targets:
            indegree[target] += 1
    ready = [n for n, d in indegree.items() if d == 0]
    done = 0
    while ready:
        node = ready.pop()
        done += 1
        for target in succ[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return done < len(succ)


def _violation_flow(spec: Spec, ctx: Context) -> dict[str, list[str]]:
    """SLO name → names of the SLOs reading its violation (the only edges between SLOs)."""
    succ: dict[str, list[str]] = {name: [] for name in ctx.slos}
    for slo in spec.obligations.all_slos():
        if not slo.name:
            continue
        for ref in obligation_refs(ctx, slo)[1]:
            if ref.name in ctx.slos:
                succ[ref.name].append(slo.name)
    return succ


def may_have_cycle(spec: Spec, ctx: Context) -> bool:
    """False when the dependency graph certainly has no cycle (see the module docstring)."""
    return _has_cycle(ctx.metric_flow.readers) or _has_cycle(_violation_flow(spec, ctx))


def strongly_connected(deps: Dependencies) -> list[list[str]]:
    """Strongly connected components with a cycle (size > 1, or a self-loop)."""
    succ = deps.successors()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in deps.nodes:
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            nexts = succ[node]
            if i < len(nexts):
                work.append((node, i + 1))
                child = nexts[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1 or node in succ[node]:
                    out.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def cycle_path(deps: Dependencies, component: list[str]) -> list[str]:
    """One cycle through the component, starting and ending at its first node."""
    members = set(component)
    order = list(deps.nodes)
    start = min(component, key=order.index)
    succ = deps.successors()
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt: list[str] = []
        for node in frontier:
            for child in succ[node]:
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [start, *reversed(path[:-1]), start] if node != start else [start, start]
                if child in members and child not in parent:
                    parent[child] = node
                    nxt.append(child)
        frontier = nxt
    return [start, start]


@rule("G001")
def cycles(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    if not may_have_cycle(spec, ctx):
        return
    deps = ctx.dependencies
    for component in strongly_connected(deps):
        path = cycle_path(deps, component)
        # Function nodes are steps inside a metric; the cycle reads best by names.
        named = [deps.nodes[n] for n in path if deps.nodes[n].kind != "function"]
        shown = [n.name for n in named]
        if shown[0] != shown[-1]:
            shown.append(shown[0])
        first = named[0]
        yield diagnostic(
            "G001",
            f"dependency cycle: {' → '.join(shown)}",
            first.span,
            labels=tuple(
                Label(n.span, f"`{n.name}` is part of the cycle")
                for n in named[1:-1]
                if n.span is not None
            ),
            help="a value cannot depend on itself: break the cycle by reading an earlier"
            " value through a TSConstructor or TSSelect of another metric",
        )


@rule("G002", "G003")
def unused(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    # The metric and parameter nodes of the dependency graph and what reaches them, from
    # the reduced graphs (module docstring): the same findings as walking the full graph.
    flow = ctx.metric_flow
    dangling = flow.dangling
    exposed: list[str] = []
    first_parameter: dict[str, ParameterEntry] = {}  # a parameter node: the first by name
    for p in ctx.parameter_entries:
        if not p.name:
            continue
        first_parameter.setdefault(p.name, p)
        found = ctx.resolve_metric(p.parameter.metric, None, p.scope)
        if found is None:
            dangling += 1
        else:
            exposed.append(found.key)
    read: set[str] = set()
    for ob in obligations(spec):
        if not ob.name:
            continue
        for ref in obligation_refs(ctx, ob)[0]:
            if ref.name in ctx.parameters:
                read.add(ref.name)
            else:
                dangling += 1
        if isinstance(ob, ActionGuarantee):
            for ref in notification_parameters(ob):
                if ref.name in ctx.parameters:
                    read.add(ref.name)
                else:
                    dangling += 1
    # A misspelt reference makes its intended target look unused: report the name only.
    if dangling:
        return
    feeding: set[str] = set()
    frontier = exposed
    while frontier:
        key = frontier.pop()
        if key not in feeding:
            feeding.add(key)
            frontier.extend(flow.inputs[key])
    copies = {e.key for e in ctx.metrics if e.expansion is not None}
    for key, entry in flow.first.items():
        # A macro is a template: expansions may leave some of its metrics unused.
        if key not in feeding and key not in copies:
            yield diagnostic(
                "G002",
                f"metric `{entry.name}` is not used by any SLA parameter",
                entry.metric.span,
                help="expose it through an SLA parameter, or remove it",
            )
    for name, p in first_parameter.items():
        if name not in read:
            yield diagnostic(
                "G003",
                f"SLA parameter `{name}` is not read by any obligation or notification",
                p.parameter.span,
                help="use it in an SLO or guarantee, or remove it",
            )


@rule("G004")
def violation_targets(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for ob in obligations(spec):
        for ref in obligation_refs(ctx, ob)[1]:
            if ref.name in ctx.slos:
                continue
            what = "an action guarantee" if ref.name in ctx.guarantees else "not defined"
            yield diagnostic(
                "G004",
                f"Violation names `{ref.name}`, which is {what}: only an SLO can be violated",
                ref.span,
                help=did_you_mean(ref.name, ctx.slos),
            )


@rule("G005")
def metrics_without_inputs(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.metrics:
        definition = entry.metric.definition
        if isinstance(definition, Function) and not resolved_metric_refs(ctx, entry):
            yield diagnostic(
                "G005",
                f"metric `{entry.name}` reads no metric: it never gets a value",
                definition.span or entry.span,
                help="a function is recomputed when an input metric changes; use a Constant"
                " where a fixed value is meant",
            )
