"""Types: operand shapes, result types, indices and windows (codes ``T…``).

Types are compared by category, not by exact name: ``TS`` and ``Q`` are series (and
different from each other), every numeric ``Type`` (integer, long, float, double, byte,
boolean) is ``number``, and ``string`` and ``time`` stand alone. A declared type never
converts a value (reference §5), so only category clashes are errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Flag, auto
from functools import cache

from wsla.check import rule
from wsla.check.scope import Context, MetricEntry
from wsla.check.walk import obligation_refs, obligations
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.model import (
    Aggregate,
    Arithmetic,
    ConstantRef,
    FloatScalar,
    Function,
    LongScalar,
    MeasurementDirective,
    MetricRef,
    MetricType,
    Operand,
    QConstructor,
    QualifyMeasurementTimeSeries,
    RateOfChange,
    Round,
    Size,
    Spec,
    StringScalar,
    TSConstructor,
    TSSelect,
    ValueFunction,
    ValueOccurs,
)
from wsla.model.extensions import IntervalSeries, Percentile, Rate
from wsla.model.functions import SpanFunction

SERIES = frozenset({"TS", "Q"})


def _category(t: MetricType) -> str:
    if t.is_series:
        return t.value
    if t.is_numeric:
        return "number"
    return t.value  # string, time


_CATEGORIES: dict[MetricType | None, str | None] = {
    None: None,
    **{t: _category(t) for t in MetricType},
}
"""Each type's category, computed once: the rules ask for it per metric and operand."""


def category(t: MetricType | None) -> str | None:
    return _CATEGORIES[t]


def natural_category(fn: Function) -> str | None:
    """What a function produces whatever its ``resultType`` says (None: unknown)."""
    if isinstance(fn, TSConstructor):
        return "TS"
    if isinstance(fn, QualifyMeasurementTimeSeries):
        # A series like its base metric (TS or Q): any series resultType fits.
        declared = category(fn.result_type)
        return declared if declared in SERIES else "TS"
    if isinstance(fn, QConstructor):
        return "Q"
    if isinstance(fn, RateOfChange | Arithmetic | Size | ValueFunction | Round | Rate):
        return "number"
    if isinstance(fn, TSSelect | Aggregate):
        return None  # an element of the series: its type is the elements'
    return None


def function_category(fn: Function) -> str | None:
    natural = natural_category(fn)
    return natural if natural is not None else category(fn.result_type)


def metric_category(entry: MetricEntry) -> str | None:
    declared = category(entry.metric.type)
    if declared is not None:
        return declared
    definition = entry.metric.definition
    if isinstance(definition, Function):
        return function_category(definition)
    if isinstance(definition, MeasurementDirective):
        return category(definition.result_type) or "number"
    return None


def operand_category(ctx: Context, holder: MetricEntry, operand: Operand) -> str | None:
    if isinstance(operand, MetricRef):
        found = ctx.resolve_metric(operand.name, holder, holder.scope)
        return None if found is None else metric_category(found)
    if isinstance(operand, Function):
        return function_category(operand)
    if isinstance(operand, LongScalar | FloatScalar):
        return "number"
    if isinstance(operand, StringScalar):
        return "string"
    assert isinstance(operand, ConstantRef)
    constant = ctx.resolve_constant(operand.name, holder.scope)
    if constant is None:
        return None
    return "string" if isinstance(constant.value, str) else "number"


class Need(Flag):
    SERIES = auto()
    SCALAR = auto()
    NUMERIC = auto()


SIGNATURES: dict[type[Function], tuple[tuple[str, Need], ...]] = {
    QConstructor: (("input", Need.SCALAR),),
    TSConstructor: (("input", Need.SCALAR),),
    Size: (("operand", Need.SERIES),),
    TSSelect: (("operand", Need.SERIES),),
    Round: (("input", Need.SCALAR | Need.NUMERIC), ("digits", Need.SCALAR | Need.NUMERIC)),
    ValueOccurs: (("input", Need.SERIES), ("value", Need.SCALAR)),
    SpanFunction: (("input", Need.SERIES), ("value", Need.SCALAR)),
    RateOfChange: (("input", Need.NUMERIC),),
    IntervalSeries: (("input", Need.SCALAR),),
    Rate: (("input", Need.SCALAR),),
    Percentile: (("input", Need.SERIES), ("percent", Need.SCALAR | Need.NUMERIC)),
}
"""Per function class: (field, what it needs). Subclasses not listed inherit by MRO."""

_BASES: dict[type[Function], tuple[tuple[str, Need], ...]] = {
    Arithmetic: (("left", Need.SCALAR | Need.NUMERIC), ("right", Need.SCALAR | Need.NUMERIC)),
    Aggregate: (("input", Need.SERIES),),
    ValueFunction: (("input", Need.SERIES), ("value", Need.SCALAR | Need.NUMERIC)),
}


def signature(fn: Function) -> tuple[tuple[str, Need], ...]:
    for cls in type(fn).__mro__:
        found = SIGNATURES.get(cls) or _BASES.get(cls)
        if found is not None:
            return found
    return ()


@cache
def _needs(cls: type) -> tuple[tuple[str, bool, bool, bool], ...]:
    """:func:`signature` of a class as (field, series, scalar, numeric) flags."""
    for base in cls.__mro__:
        found = SIGNATURES.get(base) or _BASES.get(base)
        if found is not None:
            return tuple(
                (name, Need.SERIES in need, Need.SCALAR in need, Need.NUMERIC in need)
                for name, need in found
            )
    return ()


def _describe(operand: Operand) -> str:
    if isinstance(operand, MetricRef):
        return f"metric `{operand.name}`"
    if isinstance(operand, ConstantRef):
        return f"constant `{operand.name}`"
    if isinstance(operand, Function):
        return f"a {operand.xsi_type}"
    return f"the literal {operand.value!r}"


@rule("T001", "T002", "T003")
def operand_types(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for entry, fn in ctx.functions:
        cls: type = type(fn)
        for field_name, series, scalar, numeric in _needs(cls):
            operand: Operand = getattr(fn, field_name)
            got = operand_category(ctx, entry, operand)
            if got is None:
                continue
            if series and got not in SERIES:
                span = operand.span or fn.span
                what = _describe(operand)
                yield diagnostic(
                    "T001",
                    f"{fn.xsi_type} needs a TS or Q as its {field_name}, but {what} is a {got}",
                    span,
                    help="build a series first, e.g. a TSConstructor over the metric",
                )
            elif scalar and got in SERIES:
                span = operand.span or fn.span
                what = _describe(operand)
                yield diagnostic(
                    "T002",
                    f"{fn.xsi_type} needs a single value as its {field_name}, but {what} is a"
                    f" {got}",
                    span,
                    help="select or aggregate the series first (TSSelect, Mean, Max, …)",
                )
            elif numeric and got == "string":
                span = operand.span or fn.span
                what = _describe(operand)
                yield diagnostic(
                    "T003",
                    f"{fn.xsi_type} needs a number as its {field_name}, but {what} is a string",
                    span,
                    help="strings only compare for equality (ValueOccurs, Span)",
                )


@rule("T004")
def function_result_types(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for _entry, fn in ctx.functions:
        natural = natural_category(fn)
        declared = category(fn.result_type)
        if natural is None or declared is None:
            # An element of a series (TSSelect, aggregates) has the elements' type,
            # which a scalar type describes; a series resultType is wrong there too.
            if isinstance(fn, TSSelect | Aggregate) and declared in SERIES:
                yield diagnostic(
                    "T004",
                    f"{fn.xsi_type} yields one element, but its resultType is {declared}",
                    fn.span,
                    help="use the element type (e.g. long or float) as resultType",
                )
            continue
        if natural != declared and not (natural == "number" and declared == "time"):
            yield diagnostic(
                "T004",
                f"{fn.xsi_type} yields a {natural}, but its resultType is {fn.result_type}",
                fn.span,
                help=f"set resultType to {'a numeric type' if natural == 'number' else natural}",
            )


@rule("T005")
def declared_types(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.metrics:
        declared = category(entry.metric.type)
        definition = entry.metric.definition
        produced: str | None = None
        if isinstance(definition, Function):
            produced = function_category(definition)
        elif isinstance(definition, MeasurementDirective):
            produced = category(definition.result_type)
            if produced in SERIES:
                produced = None  # a directive's reading is a value; reported by the XSD-like T004
        if declared is not None and produced is not None and declared != produced:
            yield diagnostic(
                "T005",
                f"metric `{entry.name}` is declared {entry.metric.type}, but its definition"
                f" yields a {produced}",
                entry.span,
                help="declare the type the definition produces: types never convert values",
            )
    for p in ctx.parameter_entries:
        declared = category(p.parameter.type)
        metric = ctx.resolve_metric(p.parameter.metric, None, p.scope)
        if declared is None or metric is None:
            continue
        produced = metric_category(metric)
        if produced is not None and produced != declared:
            yield diagnostic(
                "T005",
                f"SLA parameter `{p.name}` is declared {p.parameter.type}, but metric"
                f" `{metric.name}` is a {produced}",
                p.parameter.span,
                help="an SLA parameter exposes its metric's value unchanged",
            )


@rule("T006", "T007")
def indices_and_windows(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for _entry, fn in ctx.functions_of(TSSelect, TSConstructor, QConstructor):
        if isinstance(fn, TSSelect) and fn.element > 0:
            yield diagnostic(
                "T006",
                f"TSSelect Element is {fn.element}: positive indices select the future",
                fn.span,
                help=f"0 is the newest element, -1 the one before; use -{fn.element}?",
            )
        window = fn.window if isinstance(fn, TSConstructor | QConstructor) else None
        if window is not None and window <= 0:
            yield diagnostic(
                "T007",
                f"{fn.xsi_type} Window is {window}: a series keeps at least one element",
                fn.span,
                help="use a positive Window, or leave it out for an unbounded series",
            )


@rule("T008")
def predicate_parameter_types(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for ob in obligations(spec):
        for ref in obligation_refs(ctx, ob)[0]:
            if ref.role == "NewValue":
                continue
            entry = ctx.parameters.get(ref.name)
            if entry is None:
                continue
            got = category(entry.parameter.type)
            if got is None:
                metric = ctx.resolve_metric(entry.parameter.metric, None, entry.scope)
                got = None if metric is None else metric_category(metric)
            if got is not None and got != "number":
                yield diagnostic(
                    "T008",
                    f"{ref.role} compares SLA parameter `{ref.name}`, which is a {got}, with a"
                    " number",
                    ref.span,
                    help="compare a numeric parameter; reduce a series with an aggregate first",
                )
