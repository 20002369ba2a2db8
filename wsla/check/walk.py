"""Iterators over the references a spec makes, each with the span to report it at.

Names inside the model are plain strings; where a name has no node of its own, the span of
the construct holding it is the most precise place we have.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from wsla.check.scope import Context, MetricEntry, operands
from wsla.model import (
    ActionGuarantee,
    BinaryLogic,
    Comparison,
    ConstantRef,
    Expression,
    Function,
    MetricRef,
    NewValuePredicate,
    Not,
    Notification,
    QualifyMeasurementTimeSeries,
    ServiceLevelObjective,
    Span,
    Spec,
    ViolationPredicate,
)


@dataclass(frozen=True, slots=True)
class Ref:
    """A name used somewhere, the span to point at, and what uses it."""

    name: str
    span: Span | None
    role: str


def metric_refs(functions: Iterable[Function]) -> Iterator[tuple[Ref, Function]]:
    """Metric names read by ``functions`` (a metric's walked tree), with the reader."""
    for f in functions:
        if isinstance(f, QualifyMeasurementTimeSeries):
            yield Ref(f.base_metric, f.span, "BaseMetric"), f
            yield Ref(f.validation_metric, f.span, "ValidationMetric"), f
        for child in operands(f):
            if isinstance(child, MetricRef):
                yield Ref(child.name, child.span or f.span, "Metric"), f


ResolvedRef = tuple[str, Span | None, Function, MetricEntry | None]
"""A metric name a function reads, the span to report it at (as :func:`metric_refs`),
the function, and the metric the name resolves to."""


def resolved_metric_refs(ctx: Context, entry: MetricEntry) -> list[ResolvedRef]:
    """:func:`metric_refs` of ``entry`` with what each name resolves to, computed once
    per context (names, types, units, schedules and the graph rules all read them).

    The names come from the walk :func:`~wsla.check.scope.build_context` made
    (``entry.reads``); only the resolution is done here."""
    memo = ctx.metric_inputs
    found = memo.get(id(entry))
    if found is None:
        resolve = ctx.resolve_metric
        scope = entry.scope
        found = [(name, span, f, resolve(name, entry, scope)) for name, span, f in entry.reads]
        memo[id(entry)] = found
    return found


def constant_refs(functions: Iterable[Function]) -> Iterator[Ref]:
    for f in functions:
        for child in operands(f):
            if isinstance(child, ConstantRef):
                yield Ref(child.name, child.span or f.span, "Constant")


def function_schedule(fn: Function) -> str | None:
    """The schedule a function samples on (TSConstructor, extensions such as
    IntervalSeries): any function with a ``schedule`` name."""
    value = getattr(fn, "schedule", None)
    return value if isinstance(value, str) else None


def schedule_refs(functions: Iterable[Function]) -> Iterator[Ref]:
    for f in functions:
        name = function_schedule(f)
        if name is not None:
            yield Ref(name, f.span, "Schedule")


def _nodes(expr: Expression) -> list[Expression]:
    """Every node of ``expr`` in pre-order, without recursion (deep And-chains are fine)."""
    out: list[Expression] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, BinaryLogic):
            stack.append(node.right)
            stack.append(node.left)
        elif isinstance(node, Not):
            stack.append(node.operand)
    return out


def expression_parameters(expr: Expression, fallback: Span | None) -> Iterator[Ref]:
    """SLA parameter names an expression reads (comparisons and NewValue)."""
    for node in _nodes(expr):
        if isinstance(node, Comparison):
            yield Ref(node.parameter, node.span or fallback, node.xsi_type)
        elif isinstance(node, NewValuePredicate):
            for name in node.parameters:
                yield Ref(name, node.span or fallback, "NewValue")


def expression_violations(expr: Expression, fallback: Span | None) -> Iterator[Ref]:
    for node in _nodes(expr):
        if isinstance(node, ViolationPredicate):
            yield Ref(node.slo, node.span or fallback, "Violation")


def obligation_refs(
    ctx: Context, ob: ServiceLevelObjective | ActionGuarantee
) -> tuple[list[Ref], list[Ref]]:
    """The SLA parameters (:func:`expression_parameters`) and the SLOs
    (:func:`expression_violations`) that ``ob``'s expression reads, computed once per
    context and shared by the rules: do not mutate the lists."""
    memo = ctx.obligation_inputs
    found = memo.get(id(ob))
    if found is None:
        parameters: list[Ref] = []
        violations: list[Ref] = []
        fallback = ob.span
        for node in _nodes(ob.expression):
            if isinstance(node, Comparison):
                parameters.append(Ref(node.parameter, node.span or fallback, node.xsi_type))
            elif isinstance(node, NewValuePredicate):
                span = node.span or fallback
                parameters.extend(Ref(name, span, "NewValue") for name in node.parameters)
            elif isinstance(node, ViolationPredicate):
                violations.append(Ref(node.slo, node.span or fallback, "Violation"))
        found = memo[id(ob)] = (parameters, violations)
    return found


def obligations(spec: Spec) -> Iterator[ServiceLevelObjective | ActionGuarantee]:
    """SLOs then guarantees, in evaluation order."""
    yield from spec.obligations.all_slos()
    yield from spec.obligations.all_guarantees()


def notification_parameters(guarantee: ActionGuarantee) -> Iterator[Ref]:
    for qa in guarantee.actions:
        if isinstance(qa.action, Notification):
            span = qa.action.span or qa.span or guarantee.span
            for name in qa.action.parameters:
                yield Ref(name, span, "Notification")
