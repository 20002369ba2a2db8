"""The dependency graph: from measurement directives through metrics and functions to SLA
parameters, SLOs, guarantees and actions.

Edges point the way values flow (an input → what reads it). :func:`dependencies` computes
the nodes and edges as plain data without networkx (the checks use it);
:func:`build_graph` turns them into a ``networkx.DiGraph`` whose node attributes are plain
strings: ``kind``, ``name``, ``service_object``, ``span`` and ``detail``.

Node ids: ``metric:<ServiceDefinition>/…/<Metric>``, ``directive:<same>``,
``function:<same>#<n>`` (``n`` = pre-order position in the metric's function tree, the
metric's own function is 0), ``parameter:<name>``, ``slo:<name>``, ``guarantee:<name>``,
``action:<party>.<actionName>``.

Example (the stock quote SLA of ``specs/``)::

    g = build_graph(spec)
    impact(g, "ProbedUtilization")
    # ['action:XInc.notification',
    #  'guarantee:ConditionalSLOForTransactionRateGuarantee',
    #  'slo:ConditionalSLOForTransactionRate']
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from wsla.check.scope import Context, MetricEntry, build_context, operands
from wsla.check.walk import expression_parameters, expression_violations, function_schedule
from wsla.model import (
    ActionGuarantee,
    DirectiveVariable,
    Function,
    MeasurementDirective,
    MetricRef,
    MetricType,
    Notification,
    QualifyMeasurementTimeSeries,
    ServiceLevelObjective,
    Span,
    Spec,
)

if TYPE_CHECKING:
    import networkx as nx

KINDS: tuple[str, ...] = (
    "directive",
    "metric",
    "function",
    "parameter",
    "slo",
    "guarantee",
    "action",
)
"""Node kinds, in the order values flow."""


class Node(NamedTuple):
    """One node of the dependency graph (a named tuple: cheap to build by the thousand)."""

    id: str
    kind: str
    name: str
    service_object: str = ""
    span: Span | None = None
    detail: str = ""
    """``xsi:type`` of directives and functions; ``type unit`` of metrics and parameters."""

    def attributes(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "name": self.name,
            "service_object": self.service_object,
            "span": "" if self.span is None else str(self.span),
            "detail": self.detail,
        }


class Edge(NamedTuple):
    """``source`` feeds ``target``; ``role`` says how (measures, input, exposes, reads,
    violation, invokes, carries)."""

    source: str
    target: str
    role: str


@dataclass(frozen=True, slots=True)
class Dependencies:
    """Nodes (by id, in document order) and edges of a spec's dependency graph."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: tuple[Edge, ...] = ()

    dangling: int = 0
    """How many metric and parameter references did not resolve (and have no edge)."""
    succ: dict[str, list[str]] = field(default_factory=dict)
    pred: dict[str, list[str]] = field(default_factory=dict)

    def successors(self) -> dict[str, list[str]]:
        """Node id → the ids it feeds (computed once; do not mutate)."""
        return self.succ

    def predecessors(self) -> dict[str, list[str]]:
        """Node id → the ids it reads (computed once; do not mutate)."""
        return self.pred


def metric_id(entry: MetricEntry) -> str:
    return f"metric:{entry.key}"


def _describe(type_: MetricType | None, unit: str | None) -> str:
    if type_ is None:
        return unit or ""
    return type_.value if unit is None else f"{type_.value} {unit}"


def dependencies(spec: Spec, context: Context | None = None) -> Dependencies:
    """The dependency graph of ``spec`` as plain data (unresolved names are left out)."""
    ctx = context if context is not None else build_context(spec)
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    dangling = [0]  # a cell: nested helpers count into it

    def add(node: Node) -> None:
        nodes.setdefault(node.id, node)

    for entry in ctx.metrics:
        where = ctx.scopes[entry.scope].label
        m = entry.metric
        add(Node(metric_id(entry), "metric", entry.name, where, m.span, _describe(m.type, m.unit)))

    for entry in ctx.metrics:
        where = ctx.scopes[entry.scope].label
        target = metric_id(entry)
        definition = entry.metric.definition
        if isinstance(definition, MeasurementDirective):
            source = f"directive:{entry.key}"
            add(Node(source, "directive", entry.name, where, definition.span, definition.xsi_type))
            edges.append(Edge(source, target, "measures"))
        elif isinstance(definition, Function):
            dangling[0] += _function_edges(
                ctx, entry=entry, root=definition, target=target, where=where, add=add, edges=edges
            )
        elif isinstance(definition, DirectiveVariable):
            pass  # an unfilled hole: no value ever arrives

    for p in ctx.parameter_entries:
        if not p.name:
            continue
        param = p.parameter
        pid = f"parameter:{p.name}"
        add(
            Node(
                pid,
                "parameter",
                p.name,
                ctx.scopes[p.scope].label,
                param.span,
                _describe(param.type, param.unit),
            )
        )
        found = ctx.resolve_metric(param.metric, None, p.scope)
        if found is not None:
            edges.append(Edge(metric_id(found), pid, "exposes"))
        else:
            dangling[0] += 1

    for slo in spec.obligations.all_slos():
        if slo.name:
            add(Node(f"slo:{slo.name}", "slo", slo.name, "", slo.span, slo.obliged))
    for guarantee in spec.obligations.all_guarantees():
        if guarantee.name:
            add(
                Node(
                    f"guarantee:{guarantee.name}",
                    "guarantee",
                    guarantee.name,
                    "",
                    guarantee.span,
                    guarantee.modality.value,
                )
            )

    kinds: list[tuple[str, ServiceLevelObjective | ActionGuarantee]] = [
        *(("slo", o) for o in spec.obligations.all_slos()),
        *(("guarantee", o) for o in spec.obligations.all_guarantees()),
    ]
    for kind, ob in kinds:
        if not ob.name:
            continue
        oid = f"{kind}:{ob.name}"
        for ref in expression_parameters(ob.expression, ob.span):
            if ref.name in ctx.parameters:
                edges.append(Edge(f"parameter:{ref.name}", oid, "reads"))
            else:
                dangling[0] += 1
        for ref in expression_violations(ob.expression, ob.span):
            if ref.name in ctx.slos:
                edges.append(Edge(f"slo:{ref.name}", oid, "violation"))

    for guarantee in spec.obligations.all_guarantees():
        if not guarantee.name:
            continue
        gid = f"guarantee:{guarantee.name}"
        for qa in guarantee.actions:
            name = qa.action.action_name or "?"
            aid = f"action:{qa.party}.{name}"
            add(
                Node(
                    aid,
                    "action",
                    f"{qa.party}.{name}",
                    "",
                    qa.span,
                    "Notification" if isinstance(qa.action, Notification) else "Action",
                )
            )
            edges.append(Edge(gid, aid, "invokes"))
            if isinstance(qa.action, Notification):
                for pname in qa.action.parameters:
                    if pname in ctx.parameters:
                        edges.append(Edge(f"parameter:{pname}", aid, "carries"))
                    else:
                        dangling[0] += 1

    seen: set[tuple[str, str]] = set()
    unique_edges: list[Edge] = []
    for e in edges:
        pair = (e.source, e.target)
        if pair not in seen and e.source in nodes and e.target in nodes:
            seen.add(pair)
            unique_edges.append(e)
    unique = tuple(unique_edges)
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    pred: dict[str, list[str]] = {n: [] for n in nodes}
    for e in unique:
        succ[e.source].append(e.target)
        pred[e.target].append(e.source)
    return Dependencies(nodes=nodes, edges=unique, dangling=dangling[0], succ=succ, pred=pred)


def _function_edges(
    ctx: Context,
    *,
    entry: MetricEntry,
    root: Function,
    target: str,
    where: str,
    add: Callable[[Node], None],
    edges: list[Edge],
) -> int:
    """Add the nodes and edges of one metric's functions; return unresolved names."""
    missing = 0
    counter = 0

    def visit(fn: Function, parent: str) -> None:
        nonlocal counter, missing
        fid = f"function:{entry.key}#{counter}"
        counter += 1
        schedule = function_schedule(fn)
        detail = fn.xsi_type + (f" @{schedule}" if schedule is not None else "")
        add(Node(fid, "function", f"{entry.name}#{fid.rsplit('#', 1)[1]}", where, fn.span, detail))
        edges.append(Edge(fid, parent, "input"))
        names: list[str] = []
        if isinstance(fn, QualifyMeasurementTimeSeries):
            names.extend((fn.base_metric, fn.validation_metric))
        for child in operands(fn):
            if isinstance(child, MetricRef):
                names.append(child.name)
            elif isinstance(child, Function):
                visit(child, fid)
        for name in names:
            found = ctx.resolve_metric(name, entry, entry.scope)
            if found is not None:
                edges.append(Edge(metric_id(found), fid, "input"))
            else:
                missing += 1

    visit(root, target)
    return missing


# --- networkx -----------------------------------------------------------------------


def build_graph(spec: Spec) -> nx.DiGraph[str]:
    """The dependency graph of ``spec`` as a ``networkx.DiGraph`` (attributes: plain data)."""
    import networkx as nx

    deps = dependencies(spec)
    g: nx.DiGraph[str] = nx.DiGraph(name=spec.name or "")
    for node in deps.nodes.values():
        g.add_node(node.id, **node.attributes())
    for edge in deps.edges:
        g.add_edge(edge.source, edge.target, role=edge.role)
    return g


def find(g: nx.DiGraph[str], name: str) -> list[str]:
    """Node ids for ``name``: a node id, a node's name, or ``ServiceObject/…/Metric``."""
    if name in g:
        return [name]
    found = [n for n, data in g.nodes(data=True) if data.get("name") == name]
    if not found:
        found = [n for n in g if n.split(":", 1)[1] == name or n.endswith("/" + name)]
    return found


def _resolve(g: nx.DiGraph[str], name: str) -> list[str]:
    found = find(g, name)
    if not found:
        raise KeyError(f"no node named {name!r} in the graph")
    return found


def evaluation_order(g: nx.DiGraph[str]) -> list[list[str]]:
    """Generations of nodes: every node comes after all its inputs.

    Raises ``networkx.NetworkXUnfeasible`` when the graph has a cycle (rule G001).
    """
    import networkx as nx

    return [sorted(generation) for generation in nx.topological_generations(g)]


def impact(g: nx.DiGraph[str], name: str) -> list[str]:
    """The SLOs, guarantees and actions that depend on ``name`` (sorted node ids)."""
    import networkx as nx

    out: set[str] = set()
    for node in _resolve(g, name):
        out.update(nx.descendants(g, node))
    return sorted(n for n in out if g.nodes[n]["kind"] in ("slo", "guarantee", "action"))


def inputs(
    g: nx.DiGraph[str],
    name: str,
    kinds: Iterable[str] = ("directive", "metric", "parameter", "slo"),
) -> list[str]:
    """What ``name`` depends on, directly or not (sorted node ids of the given kinds)."""
    import networkx as nx

    wanted = set(kinds)
    out: set[str] = set()
    for node in _resolve(g, name):
        out.update(nx.ancestors(g, node))
    return sorted(n for n in out if g.nodes[n]["kind"] in wanted)


def focus(g: nx.DiGraph[str], name: str) -> nx.DiGraph[str]:
    """The subgraph of ``name`` with everything it depends on and everything depending on it."""
    import networkx as nx

    keep: set[str] = set()
    for node in _resolve(g, name):
        keep.add(node)
        keep.update(nx.ancestors(g, node))
        keep.update(nx.descendants(g, node))
    # A subgraph view iterates its node set in hash order; keep the graph's order instead.
    out: nx.DiGraph[str] = nx.DiGraph(**g.graph)
    out.add_nodes_from((n, g.nodes[n]) for n in g if n in keep)
    out.add_edges_from((u, v, d) for u, v, d in g.edges(data=True) if u in keep and v in keep)
    return out


class _CallableModule(types.ModuleType):
    """``wsla.graph`` names both this module and, in the public API, :func:`build_graph`;
    a module import rebinds the package attribute, so the module is callable too."""

    def __call__(self, spec: Spec) -> nx.DiGraph[str]:
        return build_graph(spec)


sys.modules[__name__].__class__ = _CallableModule

__all__ = [
    "KINDS",
    "Dependencies",
    "Edge",
    "Node",
    "build_graph",
    "dependencies",
    "evaluation_order",
    "find",
    "focus",
    "impact",
    "inputs",
]
