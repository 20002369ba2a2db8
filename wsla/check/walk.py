"""Iterators over the references a spec makes, each with the span to report it at.

Names inside the model are plain strings; where a name has no node of its own, the span of
the construct holding it is the most precise place we have.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from wsla.check.scope import walk_functions
from wsla.model import (
    ActionGuarantee,
    Comparison,
    ConstantRef,
    Expression,
    Function,
    MetricRef,
    NewValuePredicate,
    Notification,
    QualifyMeasurementTimeSeries,
    ServiceLevelObjective,
    Span,
    Spec,
    TSConstructor,
    ViolationPredicate,
    children,
    walk_expression,
)


@dataclass(frozen=True, slots=True)
class Ref:
    """A name used somewhere, the span to point at, and what uses it."""

    name: str
    span: Span | None
    role: str


def metric_refs(fn: Function) -> Iterator[tuple[Ref, Function]]:
    """Metric names read by ``fn`` and its nested functions, with the reading function."""
    for f in walk_functions(fn):
        if isinstance(f, QualifyMeasurementTimeSeries):
            yield Ref(f.base_metric, f.span, "BaseMetric"), f
            yield Ref(f.validation_metric, f.span, "ValidationMetric"), f
        for child in children(f):
            if isinstance(child, MetricRef):
                yield Ref(child.name, child.span or f.span, "Metric"), f


def constant_refs(fn: Function) -> Iterator[Ref]:
    for f in walk_functions(fn):
        for child in children(f):
            if isinstance(child, ConstantRef):
                yield Ref(child.name, child.span or f.span, "Constant")


def schedule_refs(fn: Function) -> Iterator[Ref]:
    for f in walk_functions(fn):
        if isinstance(f, TSConstructor):
            yield Ref(f.schedule, f.span, "Schedule")


def expression_parameters(expr: Expression, fallback: Span | None) -> Iterator[Ref]:
    """SLA parameter names an expression reads (comparisons and NewValue)."""
    for node in walk_expression(expr):
        if isinstance(node, Comparison):
            yield Ref(node.parameter, node.span or fallback, node.xsi_type)
        elif isinstance(node, NewValuePredicate):
            for name in node.parameters:
                yield Ref(name, node.span or fallback, "NewValue")


def expression_violations(expr: Expression, fallback: Span | None) -> Iterator[Ref]:
    for node in walk_expression(expr):
        if isinstance(node, ViolationPredicate):
            yield Ref(node.slo, node.span or fallback, "Violation")


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
