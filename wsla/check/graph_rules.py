"""The dependency graph: cycles, unused metrics and parameters, Violation targets (``G…``).

These rules use :func:`wsla.graph.dependencies` (plain data, no networkx): the cycle
search is an iterative Tarjan over at most a few nodes per metric, cheaper than importing
networkx for ``wsla validate``.
"""

from __future__ import annotations

from collections.abc import Iterator

from wsla.check import rule
from wsla.check.scope import Context, did_you_mean
from wsla.check.walk import expression_violations, metric_refs, obligations
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic, Label
from wsla.graph import Dependencies
from wsla.model import Function, Spec


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
    deps = ctx.dependencies
    # A misspelt reference makes its intended target look unused: report the name only.
    if deps.dangling:
        return
    pred = deps.predecessors()
    succ = deps.successors()
    feeding: set[str] = set()
    frontier = [n for n, node in deps.nodes.items() if node.kind == "parameter"]
    while frontier:
        current = frontier.pop()
        for p in pred[current]:
            if p not in feeding:
                feeding.add(p)
                frontier.append(p)
    copies = {f"metric:{e.key}" for e in ctx.metrics if e.expansion is not None}
    for node_id, node in deps.nodes.items():
        # A macro is a template: expansions may leave some of its metrics unused.
        if node.kind == "metric" and node_id not in feeding and node_id not in copies:
            yield diagnostic(
                "G002",
                f"metric `{node.name}` is not used by any SLA parameter",
                node.span,
                help="expose it through an SLA parameter, or remove it",
            )
        elif node.kind == "parameter" and not succ[node_id]:
            yield diagnostic(
                "G003",
                f"SLA parameter `{node.name}` is not read by any obligation or notification",
                node.span,
                help="use it in an SLO or guarantee, or remove it",
            )


@rule("G004")
def violation_targets(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for ob in obligations(spec):
        for ref in expression_violations(ob.expression, ob.span):
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
        if isinstance(definition, Function) and next(metric_refs(entry.functions), None) is None:
            yield diagnostic(
                "G005",
                f"metric `{entry.name}` reads no metric: it never gets a value",
                definition.span or entry.span,
                help="a function is recomputed when an input metric changes; use a Constant"
                " where a fixed value is meant",
            )
