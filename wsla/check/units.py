"""Units: combining or exposing values of incompatible units (codes ``U…``).

WSLA units are free strings and never convert values (reference §5), so a metric in
milliseconds exposed as a parameter in seconds is off by a factor of 1000. wsla knows a
small vocabulary; any other unit is left alone (never an error).

==========  =========================================================================
dimension   spellings (case-insensitive, surrounding spaces ignored)
==========  =========================================================================
time        ``ms`` ``msec`` ``millisecond(s)``; ``s`` ``sec(s)`` ``second(s)``;
            ``min`` ``mins`` ``minute(s)``; ``h`` ``hr(s)`` ``hour(s)``; ``d`` ``day(s)``
fraction    ``%`` ``percent`` ``percentage`` ``pct`` (×0.01); ``ratio`` ``fraction`` (×1)
rate        ``<what> / <time unit>`` or ``<what> per <time unit>``, e.g.
            ``transactions / hour``; ``<what>`` matches ignoring case and a plural ``s``
==========  =========================================================================

Two known units are compatible when they have the same dimension and the same scale
(``ms`` and ``milliseconds`` are; ``ms`` and ``s`` are not; ``%`` and ``ratio`` are not).
A function carries its input's unit when it keeps values as they are (TSConstructor,
QConstructor, TSSelect, Mean, Average, Median, Mode, Max, Sum, Round, Plus and Minus of
like units, QualifyMeasurementTimeSeries, and our Min, Percentile and IntervalSeries);
``Times`` and ``Divide`` convert, and counts and shares (Size, ValueOccurs,
Number…/Percentage…Threshold, Span, RateOfChange, our Count and Ratio) have no known unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from wsla.check import rule
from wsla.check.scope import Context, MetricEntry
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.model import (
    Average,
    Function,
    Max,
    Mean,
    Median,
    MetricRef,
    Minus,
    Mode,
    Operand,
    Plus,
    QConstructor,
    QualifyMeasurementTimeSeries,
    Round,
    Spec,
    Sum,
    TSConstructor,
    TSSelect,
)
from wsla.model.extensions import IntervalSeries, Min, Percentile

# Tuples, not unions: ``A | B`` builds a union object at every call.
_PLUS_MINUS = (Plus, Minus)
_INPUT_TYPES = (MetricRef, Function)
_KEEPS_UNIT: tuple[type[Function], ...] = (
    TSConstructor,
    QConstructor,
    Average,
    Mean,
    Median,
    Mode,
    Max,
    Sum,
    Round,
    Min,
    Percentile,
    IntervalSeries,
)
"""Functions whose result is in the unit of their ``input`` (Count, a count, is not)."""


@dataclass(frozen=True, slots=True)
class Unit:
    dimension: str
    scale: Fraction
    canonical: str

    def compatible(self, other: Unit) -> bool:
        # parse_unit is cached: one spelling is one object, and the same object is the
        # common case (comparing Fractions is not cheap).
        return self is other or (self.dimension == other.dimension and self.scale == other.scale)


_TIME_UNITS: tuple[tuple[str, Fraction, tuple[str, ...]], ...] = (
    ("ms", Fraction(1, 1000), ("ms", "msec", "millisecond", "milliseconds")),
    ("s", Fraction(1), ("s", "sec", "secs", "second", "seconds")),
    ("min", Fraction(60), ("min", "mins", "minute", "minutes")),
    ("h", Fraction(3600), ("h", "hr", "hrs", "hour", "hours")),
    ("d", Fraction(86400), ("d", "day", "days")),
)
_TIME: dict[str, tuple[str, Fraction]] = {
    name: (canon, scale) for canon, scale, names in _TIME_UNITS for name in names
}

_FRACTION: dict[str, tuple[str, Fraction]] = {
    "%": ("%", Fraction(1, 100)),
    "percent": ("%", Fraction(1, 100)),
    "percentage": ("%", Fraction(1, 100)),
    "pct": ("%", Fraction(1, 100)),
    "ratio": ("ratio", Fraction(1)),
    "fraction": ("ratio", Fraction(1)),
}

_RATE = re.compile(r"^(?P<what>[^/]+?)\s*(?:/|\bper\b)\s*(?P<per>[^/]+)$")


@lru_cache(maxsize=1024)
def parse_unit(text: str | None) -> Unit | None:
    """The known unit ``text`` spells, or None.

    >>> parse_unit("Milliseconds") == parse_unit("ms")
    True
    >>> parse_unit("transactions / hour").canonical
    'transaction/h'
    >>> parse_unit("furlongs") is None
    True
    """
    if text is None:
        return None
    word = " ".join(text.strip().lower().split())
    if word in _TIME:
        canon, scale = _TIME[word]
        return Unit("time", scale, canon)
    if word in _FRACTION:
        canon, scale = _FRACTION[word]
        return Unit("fraction", scale, canon)
    match = _RATE.match(word)
    if match is not None and match["per"].strip() in _TIME:
        what = match["what"].strip().removesuffix("s") or match["what"].strip()
        canon, scale = _TIME[match["per"].strip()]
        return Unit(f"{what}/time", 1 / scale, f"{what}/{canon}")
    return None


_PENDING = object()
"""Memo mark of a metric whose unit is being worked out (a cycle reads it as unknown)."""

Lookup = Callable[[MetricEntry], "Unit | None"]


def metric_unit(ctx: Context, entry: MetricEntry) -> Unit | None:
    """The declared unit of a metric, or the one its definition carries.

    Worked out once per metric, iteratively in dependency order (a chain of thousands of
    metrics must not exhaust the stack); a metric in a cycle carries no known unit.
    """
    memo = ctx.units
    key = entry.key
    if key in memo:
        known = memo[key]
        return None if known is _PENDING else known  # type: ignore[return-value]
    text = entry.metric.unit
    if text is not None:
        # What _carried gives a metric with a declared unit, without the dependency pass.
        declared = memo[key] = parse_unit(text)
        return declared
    stack = [entry]
    while stack:
        current = stack[-1]
        if current.key not in memo:
            memo[current.key] = _PENDING
            stack.extend(dep for dep in _dependencies(ctx, current) if dep.key not in memo)
            continue
        stack.pop()
        if memo[current.key] is _PENDING:
            memo[current.key] = _carried(ctx, current, _memo_lookup(memo))
    result = memo[entry.key]
    return None if result is _PENDING else result  # type: ignore[return-value]


def _dependencies(ctx: Context, entry: MetricEntry) -> list[MetricEntry]:
    """The metrics whose units ``entry``'s unit is worked out from."""
    needed: list[MetricEntry] = []

    def record(dep: MetricEntry) -> None:
        needed.append(dep)

    _carried(ctx, entry, record)
    return needed


def _memo_lookup(memo: dict[str, object]) -> Lookup:
    def lookup(dep: MetricEntry) -> Unit | None:
        value = memo.get(dep.key)
        return value if isinstance(value, Unit) else None

    return lookup


def _carried(ctx: Context, entry: MetricEntry, lookup: Lookup) -> Unit | None:
    declared = parse_unit(entry.metric.unit)
    if declared is not None or entry.metric.unit is not None:
        return declared
    if isinstance(entry.metric.definition, Function):
        return _function_unit(ctx, entry, entry.metric.definition, lookup)
    return None


def operand_unit(ctx: Context, holder: MetricEntry, operand: Operand) -> Unit | None:
    """The unit an operand carries (literals and constants carry none)."""
    return _operand_unit(ctx, holder, operand, lambda dep: metric_unit(ctx, dep))


def function_unit(ctx: Context, holder: MetricEntry, fn: Function) -> Unit | None:
    """The unit a function's result carries, if wsla knows it."""
    return _function_unit(ctx, holder, fn, lambda dep: metric_unit(ctx, dep))


def _operand_unit(
    ctx: Context, holder: MetricEntry, operand: Operand, lookup: Lookup
) -> Unit | None:
    if isinstance(operand, MetricRef):
        found = ctx.resolve_metric(operand.name, holder, holder.scope)
        return None if found is None else lookup(found)
    if isinstance(operand, Function):
        return _function_unit(ctx, holder, operand, lookup)
    return None  # literals and constants adopt the unit of what they meet


def _function_unit(ctx: Context, holder: MetricEntry, fn: Function, lookup: Lookup) -> Unit | None:
    if isinstance(fn, _KEEPS_UNIT):
        source = getattr(fn, "input", None)
        if isinstance(source, _INPUT_TYPES):
            return _operand_unit(ctx, holder, source, lookup)
        return None
    if isinstance(fn, TSSelect):
        return _operand_unit(ctx, holder, fn.operand, lookup)
    if isinstance(fn, _PLUS_MINUS):
        left = _operand_unit(ctx, holder, fn.left, lookup)
        right = _operand_unit(ctx, holder, fn.right, lookup)
        if left is None:
            return right
        if right is None or left.compatible(right):
            return left
        return None
    if isinstance(fn, QualifyMeasurementTimeSeries):
        base = ctx.resolve_metric(fn.base_metric, holder, holder.scope)
        return None if base is None else lookup(base)
    return None


@rule("U001")
def parameter_units(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for p in ctx.parameter_entries:
        declared = parse_unit(p.parameter.unit)
        metric = ctx.resolve_metric(p.parameter.metric, None, p.scope)
        if declared is None or metric is None:
            continue
        exposed = metric_unit(ctx, metric)
        if exposed is not None and not exposed.compatible(declared):
            yield diagnostic(
                "U001",
                f"SLA parameter `{p.name}` is in {p.parameter.unit}, but metric"
                f" `{metric.name}` is in {metric.metric.unit or exposed.canonical}",
                p.parameter.span,
                help="units never convert values: expose a metric that converts"
                " (Times/Divide) or declare the metric's unit",
            )


@rule("U002")
def combined_units(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for entry, fn in ctx.functions_of(*_PLUS_MINUS):
        assert isinstance(fn, _PLUS_MINUS)
        left = operand_unit(ctx, entry, fn.left)
        right = operand_unit(ctx, entry, fn.right)
        if left is not None and right is not None and not left.compatible(right):
            yield diagnostic(
                "U002",
                f"{fn.xsi_type} combines {left.canonical} with {right.canonical}",
                fn.span,
                help="convert one operand first (Times or Divide by the factor)",
            )


@rule("U003")
def definition_units(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.metrics:
        declared = parse_unit(entry.metric.unit)
        definition = entry.metric.definition
        if declared is None or not isinstance(definition, Function):
            continue
        carried = function_unit(ctx, entry, definition)
        if carried is not None and not carried.compatible(declared):
            yield diagnostic(
                "U003",
                f"metric `{entry.name}` is declared in {entry.metric.unit}, but its"
                f" {definition.xsi_type} carries {carried.canonical}",
                entry.span,
                help="convert with Times/Divide, or declare the unit the values are in",
            )
