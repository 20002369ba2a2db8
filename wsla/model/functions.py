"""Functions that compute a metric from other metrics, and their operands.

WSLA 1.0 has 23 function types (``xsi:type`` of ``Function``). Each is a frozen
dataclass here; `wsla.model.registry.FUNCTION_TYPES` maps ``(namespace, xsi:type)`` to the class.
Extensions beyond WSLA 1.0 live in :mod:`wsla.model.extensions` under our namespace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from wsla.model.span import Span
from wsla.model.types import WSLA_NS, Interval, MetricType


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricRef:
    """A reference to a metric by name (``<Metric>name</Metric>`` as input or operand)."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConstantRef:
    """``<Constant>name</Constant>`` as an operand."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class LongScalar:
    value: int
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FloatScalar:
    value: float
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class StringScalar:
    value: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Function:
    """Abstract base of every function (``FunctionType``)."""

    xsi_type: ClassVar[str] = ""
    namespace: ClassVar[str] = WSLA_NS
    result_type: MetricType | None = None
    span: Span | None = field(default=None, compare=False, repr=False)


Input = MetricRef | Function
"""What WSLA calls a function's input: a metric name or a nested function."""

Scalar = LongScalar | FloatScalar | StringScalar
Operand = MetricRef | Function | LongScalar | FloatScalar | StringScalar | ConstantRef
"""``OperandType``: one of Metric, Function, LongScalar, FloatScalar, StringScalar, Constant."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QConstructor(Function):
    xsi_type: ClassVar[str] = "QConstructor"
    input: Input
    window: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TSConstructor(Function):
    xsi_type: ClassVar[str] = "TSConstructor"
    schedule: str
    input: Input
    window: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Size(Function):
    xsi_type: ClassVar[str] = "Size"
    operand: Operand


@dataclass(frozen=True, slots=True, kw_only=True)
class TSSelect(Function):
    xsi_type: ClassVar[str] = "TSSelect"
    operand: Operand
    element: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Arithmetic(Function):
    """Base of the binary operations; ``left``/``right`` are the two ``Operand``s."""

    symbol: ClassVar[str] = ""
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True, kw_only=True)
class Plus(Arithmetic):
    xsi_type: ClassVar[str] = "Plus"
    symbol: ClassVar[str] = "+"


@dataclass(frozen=True, slots=True, kw_only=True)
class Minus(Arithmetic):
    xsi_type: ClassVar[str] = "Minus"
    symbol: ClassVar[str] = "-"


@dataclass(frozen=True, slots=True, kw_only=True)
class Times(Arithmetic):
    xsi_type: ClassVar[str] = "Times"
    symbol: ClassVar[str] = "*"


@dataclass(frozen=True, slots=True, kw_only=True)
class Divide(Arithmetic):
    xsi_type: ClassVar[str] = "Divide"
    symbol: ClassVar[str] = "/"


@dataclass(frozen=True, slots=True, kw_only=True)
class Aggregate(Function):
    """Base of the one-input aggregates over a TS or Q."""

    input: Input


@dataclass(frozen=True, slots=True, kw_only=True)
class Average(Aggregate):
    """Legacy name of :class:`Mean`; kept distinct so documents round-trip."""

    xsi_type: ClassVar[str] = "Average"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mean(Aggregate):
    xsi_type: ClassVar[str] = "Mean"


@dataclass(frozen=True, slots=True, kw_only=True)
class Median(Aggregate):
    xsi_type: ClassVar[str] = "Median"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mode(Aggregate):
    xsi_type: ClassVar[str] = "Mode"


@dataclass(frozen=True, slots=True, kw_only=True)
class Max(Aggregate):
    xsi_type: ClassVar[str] = "Max"


@dataclass(frozen=True, slots=True, kw_only=True)
class Sum(Aggregate):
    xsi_type: ClassVar[str] = "Sum"


@dataclass(frozen=True, slots=True, kw_only=True)
class Round(Function):
    xsi_type: ClassVar[str] = "Round"
    input: Input
    digits: Operand


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueFunction(Function):
    """Base of the functions with an input and a ``Value`` operand."""

    input: Input
    value: Operand


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueOccurs(ValueFunction):
    xsi_type: ClassVar[str] = "ValueOccurs"


@dataclass(frozen=True, slots=True, kw_only=True)
class PercentageGreaterThanThreshold(ValueFunction):
    xsi_type: ClassVar[str] = "PercentageGreaterThanThreshold"


@dataclass(frozen=True, slots=True, kw_only=True)
class PercentageLessThanThreshold(ValueFunction):
    xsi_type: ClassVar[str] = "PercentageLessThanThreshold"


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberGreaterThanThreshold(ValueFunction):
    xsi_type: ClassVar[str] = "NumberGreaterThanThreshold"


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberLessThanThreshold(ValueFunction):
    xsi_type: ClassVar[str] = "NumberLessThanThreshold"


@dataclass(frozen=True, slots=True, kw_only=True)
class SpanFunction(ValueFunction):
    """``Span``: length of the newest run of elements equal to ``value``."""

    xsi_type: ClassVar[str] = "Span"


@dataclass(frozen=True, slots=True, kw_only=True)
class RateOfChange(Function):
    xsi_type: ClassVar[str] = "RateOfChange"
    input: Input
    interval: Interval


@dataclass(frozen=True, slots=True, kw_only=True)
class QualifyMeasurementTimeSeries(Function):
    xsi_type: ClassVar[str] = "QualifyMeasurementTimeSeries"
    base_metric: str
    validation_metric: str
    value: Operand


WSLA_FUNCTIONS: tuple[type[Function], ...] = (
    QConstructor,
    TSConstructor,
    Size,
    TSSelect,
    Plus,
    Minus,
    Times,
    Divide,
    Average,
    Mean,
    Median,
    Mode,
    Max,
    Sum,
    Round,
    ValueOccurs,
    PercentageGreaterThanThreshold,
    PercentageLessThanThreshold,
    NumberGreaterThanThreshold,
    NumberLessThanThreshold,
    RateOfChange,
    SpanFunction,
    QualifyMeasurementTimeSeries,
)


def children(fn: Function) -> tuple[Operand, ...]:
    """The operands and inputs of ``fn`` in document order (names of metrics excluded)."""
    out: list[Operand] = []
    for name in fn.__dataclass_fields__:
        value = getattr(fn, name)
        if isinstance(
            value, MetricRef | Function | LongScalar | FloatScalar | StringScalar | ConstantRef
        ):
            out.append(value)
    return tuple(out)
