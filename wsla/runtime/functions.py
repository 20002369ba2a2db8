"""Implementations of every WSLA 1.0 function and of wsla's extensions.

:data:`FUNCTIONS` maps each model class to a :class:`FunctionSpec`: which operands it
takes (in order), which must be series or scalars, whether it yields a series, and the
runtime node class. Pure functions are plain Python callables over operand values; the
few with state over time (constructors, RateOfChange over a scalar, IntervalSeries, Rate) are
node classes. Rules follow reference §5 "Functions"; every choice left open there is in
``docs/semantics.md``.
"""

from __future__ import annotations

import math
import operator
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from itertools import compress, islice, repeat
from typing import Any

from wsla.model import extensions as x
from wsla.model import functions as f
from wsla.runtime.nodes import Node
from wsla.runtime.values import NS_PER_MS, Series, Value, is_number

# --- helpers over values ------------------------------------------------------------


def equal(a: Value, b: Value) -> bool:
    """WSLA equality: numeric across int and float, strings exactly, nothing else."""
    if is_number(a) and is_number(b):
        return bool(a == b)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


def count_equal(values: Sequence[Value], wanted: Value) -> int:
    """How many elements equal ``wanted`` (:func:`equal`), without a call per element.

    Elements are numbers or strings (bools were read as 1/0), and Python's ``==`` between
    a number and a string is false, so ``count`` is exactly WSLA equality here.
    """
    if is_number(wanted) or isinstance(wanted, str):
        return values.count(wanted)
    return sum(1 for v in values if equal(v, wanted))


def numbers(series: Series) -> Sequence[int | float] | None:
    """The series' values when all are numbers, else ``None`` (undefined aggregate)."""
    return series.values if series.non_numbers == 0 else None


def exact_sum(values: Sequence[int | float], known_fsum: float | None = None) -> int | float:
    """Sum of ints exactly, or a correctly rounded float sum (``math.fsum``; ``known_fsum``
    is that sum when already computed)."""
    if all(type(v) is int for v in values):
        return sum(values)
    if known_fsum is not None:
        return known_fsum
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):  # ±inf partial sums: IEEE arithmetic says what
        return float(sum(float(v) for v in values))


def _arith(op: Callable[[Any, Any], Any]) -> Callable[[Value, Value], Value]:
    def compute(a: Value, b: Value) -> Value:
        if not (is_number(a) and is_number(b)):
            return None
        try:
            return op(a, b)
        except OverflowError:
            return None

    return compute


def divide(a: Value, b: Value) -> Value:
    """True division (``7 / 2 == 3.5``, ``6 / 3 == 2.0``): always a float; ÷0 undefined."""
    if not (is_number(a) and is_number(b)) or b == 0:
        return None
    try:
        return a / b
    except OverflowError:
        return None


def size(s: Series) -> Value:
    return len(s)


def mean(s: Series) -> Value:
    vals = numbers(s)
    if not vals:
        return None
    try:
        return exact_sum(vals, s.known_fsum) / len(vals)
    except OverflowError:
        return None


def median(s: Series) -> Value:
    vals = numbers(s)
    if not vals:
        return None
    return statistics.median(vals)


def mode(s: Series) -> Value:
    values = s.values
    if not values:
        return None
    counts: dict[Value, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1  # 1 and 1.0 share a key: numeric equality
    top = max(counts.values())
    tied = [v for v, c in counts.items() if c == top]
    try:
        return min(tied)
    except TypeError:  # strings tied with numbers: no order
        return None


def maximum(s: Series) -> Value:
    try:
        return max(s.values) if s.values else None
    except TypeError:
        return None


def minimum(s: Series) -> Value:
    try:
        return min(s.values) if s.values else None
    except TypeError:
        return None


def total(s: Series) -> Value:
    vals = numbers(s)
    if vals is None:
        return None
    return exact_sum(vals) if vals else 0


_ROUNDING = Context(prec=1200, rounding=ROUND_HALF_UP)


def round_half_away(value: Value, digits: Value) -> Value:
    """Half away from zero on the shortest decimal form of the double: 2.675 → 2.68."""
    if not is_number(value) or not is_number(digits):
        return None
    if isinstance(digits, float):
        if not digits.is_integer():
            return None
        digits = int(digits)
    if isinstance(value, float) and not math.isfinite(value):
        return value
    try:
        exact = Decimal(repr(value))
        quantum = Decimal(1).scaleb(-digits)
        return float(exact.quantize(quantum, context=_ROUNDING))
    except (InvalidOperation, OverflowError):
        return None


def value_occurs(s: Series, value: Value) -> Value:
    if value is None:
        return None
    return count_equal(s.values, value)


def _greater(v: Value, t: Value) -> bool:
    return is_number(v) and v > t


def _less(v: Value, t: Value) -> bool:
    return is_number(v) and v < t


def _threshold(
    test: Callable[[Value, Value], bool], share: bool
) -> Callable[[Series, Value], Value]:
    def compute(s: Series, threshold: Value) -> Value:
        if not is_number(threshold):
            return None
        n = len(s.values)
        count = sum(1 for v in s.values if test(v, threshold))
        if not share:
            return count
        return count / n if n else None

    return compute


def span(s: Series, value: Value) -> Value:
    if value is None:
        return None
    run = 0
    for v in reversed(s.values):
        if not equal(v, value):
            break
        run += 1
    return run


def ratio(s: Series, value: Value) -> Value:
    if value is None or not s.values:
        return None
    return count_equal(s.values, value) / len(s.values)


def count(s: Series) -> Value:
    return len(s)


_FLOAT_SAFE_WEIGHT = 2**53
"""Above this, interpolation weights are no longer exact doubles."""


@cache
def _cut(percent: int | float) -> tuple[int, int]:
    """``percent`` / 100 as an exact fraction ``i / n`` (the quantiles cut to take)."""
    share = Fraction(repr(percent)) / 100
    return share.numerator, share.denominator


def percentile(s: Series, percent: Value) -> Value:
    """Linear interpolation between closest ranks (numpy ``linear``, DuckDB ``quantile_cont``).

    The interior comes from ``statistics.quantiles(method="inclusive")`` with the
    percent as an exact fraction ``i/n``; 0 and 100 are the extremes.
    """
    vals = numbers(s)
    if not vals or not is_number(percent) or not 0 <= percent <= 100:
        return None
    if percent == 0:
        return float(min(vals))
    if percent == 100 or len(vals) == 1:
        return float(max(vals))
    i, n = _cut(percent)
    # the i-th of statistics.quantiles(vals, n=n, method="inclusive"), computed alone with
    # the very same arithmetic (quantiles would build all n-1 cut points)
    data = sorted(vals)
    j, delta = divmod(i * (len(data) - 1), n)
    if n > _FLOAT_SAFE_WEIGHT:
        # weights beyond a double's range (a percent like 1e-320): the same interpolation
        # computed exactly and rounded once
        low, high = Fraction(data[j]), Fraction(data[j + 1])
        return float((low * (n - delta) + high * delta) / n)
    return float((data[j] * (n - delta) + data[j + 1] * delta) / n)


def rate(new_v: Value, old_v: Value, new_t: int, old_t: int, interval_ns: int) -> Value:
    """(new − old) · Interval / (t_new − t_old), computed exactly and rounded once."""
    if not (is_number(new_v) and is_number(old_v)) or new_t == old_t:
        return None
    try:
        diff = Fraction(new_v) - Fraction(old_v)
    except (ValueError, OverflowError):
        return None
    try:
        return float(diff * interval_ns / (new_t - old_t))
    except OverflowError:
        return None


# --- node classes ---------------------------------------------------------------------


class PureNode(Node):
    """A function of its operands' current values, recomputed when one of them changes."""

    __slots__ = ("compute",)

    def __init__(self, plan: Any, args: tuple[Any, ...], compute: Callable[..., Value]) -> None:
        super().__init__(plan, args)
        self.compute = compute

    def on_change(self, time: int) -> bool:
        self.value = self.compute(*[a.value for a in self.args])
        return True


class Pure1(PureNode):
    __slots__ = ("a",)

    def __init__(self, plan: Any, args: tuple[Any, ...], compute: Callable[..., Value]) -> None:
        super().__init__(plan, args, compute)
        self.a = args[0]

    def on_change(self, time: int) -> bool:
        self.value = self.compute(self.a.value)
        return True


class Pure2(PureNode):
    __slots__ = ("a", "b")

    def __init__(self, plan: Any, args: tuple[Any, ...], compute: Callable[..., Value]) -> None:
        super().__init__(plan, args, compute)
        self.a, self.b = args

    def on_change(self, time: int) -> bool:
        self.value = self.compute(self.a.value, self.b.value)
        return True


class TSSelectNode(Node):
    __slots__ = ("element",)

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        fn = plan.definition
        assert isinstance(fn, f.TSSelect)
        self.element = fn.element

    def on_change(self, time: int) -> bool:
        series = self.args[0].value
        if not isinstance(series, Series):
            self.value = None
            return True
        values = series.values
        index = len(values) - 1 + self.element
        self.value = values[index] if index >= 0 else None
        return True


class QConstructorNode(Node):
    """Appends each new defined value of its input."""

    __slots__ = ()

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        assert isinstance(plan.definition, f.QConstructor)
        self.value = Series(plan.window)

    def reset(self) -> None:
        super().reset()
        self.value = Series(self.value.window)

    def on_change(self, time: int) -> bool:
        v = self.args[0].value
        if v is None:
            return False
        self.value.append(time, v)
        return True


class TSConstructorNode(Node):
    """Appends the input's current value at each tick of its schedule; a tick where the
    input has no (or an undefined) value appends nothing and is reported as a gap."""

    __slots__ = ("gaps",)
    listens = False
    changes_on_input = False

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        assert isinstance(plan.definition, f.TSConstructor)
        self.value = Series(plan.window)
        self.gaps: list[int] = []

    def reset(self) -> None:
        super().reset()
        self.value = Series(self.value.window)

    def on_tick(self, time: int) -> bool:
        v = self.args[0].sample(time)
        if v is None:
            self.gaps.append(time)
            return False
        self.value.append(time, v)
        return True


class RateOfChangeNode(Node):
    __slots__ = ("interval_ns", "prev_t", "prev_v", "seen", "series_input")

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        fn = plan.definition
        assert isinstance(fn, f.RateOfChange)
        self.interval_ns = fn.interval.fixed_milliseconds() * NS_PER_MS
        self.series_input: bool = plan.arg_series[0]
        self.prev_t = 0
        self.prev_v: Value = None
        self.seen = False

    def reset(self) -> None:
        super().reset()
        self.prev_t, self.prev_v, self.seen = 0, None, False

    def on_change(self, time: int) -> bool:
        v = self.args[0].value
        if self.series_input:
            if not isinstance(v, Series) or len(v) < 2:
                self.value = None
            else:
                self.value = rate(
                    v.values[-1], v.values[0], v.times[-1], v.times[0], self.interval_ns
                )
            return True
        # over a scalar: its last two values (undefined included) with their arrival times
        self.value = (
            rate(v, self.prev_v, time, self.prev_t, self.interval_ns) if self.seen else None
        )
        self.prev_v, self.prev_t, self.seen = v, time, True
        return True


class QualifyNode(Node):
    """Base elements whose latest validation element at or before them equals Value."""

    __slots__ = ()

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        self.value = Series()

    def reset(self) -> None:
        super().reset()
        self.value = Series()

    def on_change(self, time: int) -> bool:
        base, validation, wanted = (a.value for a in self.args)
        if wanted is None or not isinstance(base, Series) or not isinstance(validation, Series):
            self.value = Series()
        else:
            self.value = qualify(base, validation, wanted)
        return True


def qualify(base: Series, validation: Series, wanted: Value) -> Series:
    """The elements of ``base`` whose latest ``validation`` element at or before them equals
    ``wanted`` (a new unbounded series)."""
    btimes, vtimes = base.times, validation.times
    if (
        (is_number(wanted) or isinstance(wanted, str))
        and len(btimes) == len(vtimes)
        and all(map(operator.eq, btimes, vtimes))
        and all(map(operator.lt, vtimes, islice(vtimes, 1, None)))
    ):
        # the common case, both sampled at the same strictly increasing instants (two
        # TSConstructors on one schedule): each base element's latest validation element
        # is its twin, and ``==`` is WSLA equality for numbers and strings
        keep = list(map(operator.eq, validation.values, repeat(wanted)))
        return Series.of(list(compress(btimes, keep)), list(compress(base.values, keep)))
    out = Series()
    vt = list(vtimes)
    vv = list(validation.values)
    for t, v in base:
        i = bisect_right(vt, t) - 1
        if i >= 0 and equal(vv[i], wanted):
            out.append(t, v)
    return out


class IntervalSeriesNode(Node):
    """Collects the input's defined values; at each tick emits those of the closed interval."""

    __slots__ = ("pending_t", "pending_v", "ticker")
    changes_on_input = False

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        self.ticker = plan.ticker
        self.pending_t: list[int] = []
        self.pending_v: list[Value] = []
        self.value = Series()

    def reset(self) -> None:
        super().reset()
        self.value = Series()
        self.pending_t.clear()
        self.pending_v.clear()

    def on_change(self, time: int) -> bool:
        v = self.args[0].value
        if v is not None:
            self.pending_t.append(time)
            self.pending_v.append(v)
        return False

    def on_tick(self, time: int) -> bool:
        lower = interval_start(self.ticker, time)
        times, values = self.pending_t, self.pending_v
        cut = len(times)
        while cut and times[cut - 1] >= time:  # values of this very step: next interval
            cut -= 1
        first = bisect_left(times, lower, 0, cut)
        self.value = Series.of(times[first:cut], values[first:cut])
        # in place: the engine's fast path appends to these very lists
        del times[:cut]
        del values[:cut]
        return True


def interval_start(ticker: Any, time: int) -> int:
    """The raw tick before the tick at ``time``: the interval it closes starts there."""
    if ticker.months:
        return int(ticker.raw(ticker.first_after(time - 1) - 1))
    return time - int(ticker.fixed_ns)  # fixed steps


class RateNode(Node):
    """Counts the input's new defined values; at each tick, their number in the interval
    just closed per ``Per`` (see :class:`wsla.model.extensions.Rate`)."""

    # ``interval_ns`` (Per) and ``ticker`` are structure for checkpoints, ``pending_t`` state
    __slots__ = ("interval_ns", "pending_t", "ticker")
    changes_on_input = False

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        fn = plan.definition
        assert isinstance(fn, x.Rate)
        self.ticker = plan.ticker
        self.interval_ns = fn.per.fixed_milliseconds() * NS_PER_MS
        self.pending_t: list[int] = []

    def reset(self) -> None:
        super().reset()
        self.pending_t.clear()

    def on_change(self, time: int) -> bool:
        if self.args[0].value is not None:
            self.pending_t.append(time)
        return False

    def on_tick(self, time: int) -> bool:
        lower = interval_start(self.ticker, time)
        times = self.pending_t
        cut = len(times)
        while cut and times[cut - 1] >= time:  # events of this very step: next interval
            cut -= 1
        events = cut - bisect_left(times, lower, 0, cut)
        # ints divided once: correctly rounded, whatever the sizes
        self.value = events * self.interval_ns / (time - lower)
        del times[:cut]
        return True


# --- the registry ---------------------------------------------------------------------

SERIES = "series"
SCALAR = "scalar"
ANY = "any"


def _node_factory(
    compute: Callable[..., Value], arity: int
) -> Callable[[Any, tuple[Any, ...]], Node]:
    cls: type[PureNode] = Pure1 if arity == 1 else Pure2 if arity == 2 else PureNode

    def make(plan: Any, args: tuple[Any, ...]) -> Node:
        return cls(plan, args, compute)

    return make


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """How the runtime treats one function class."""

    operands: Callable[[Any], tuple[Any, ...]]
    """The function's operands in order (model operands, or ``str`` metric names)."""
    kinds: tuple[str, ...]
    """Per operand: must it be a series, a scalar, or either."""
    series: bool
    """Whether the result is a series."""
    make: Callable[[Any, tuple[Any, ...]], Node]
    schedule: Callable[[Any], str | None] = field(default=lambda fn: None)
    check: Callable[[Any], str | None] = field(default=lambda fn: None)


def _input(fn: Any) -> tuple[Any, ...]:
    return (fn.input,)


def _input_value(fn: Any) -> tuple[Any, ...]:
    return (fn.input, fn.value)


def _pure(
    compute: Callable[..., Value],
    operands: Callable[[Any], tuple[Any, ...]],
    kinds: tuple[str, ...],
) -> FunctionSpec:
    if SERIES in kinds:
        compute = _needs_series(compute, kinds.index(SERIES))
    return FunctionSpec(operands, kinds, False, _node_factory(compute, len(kinds)))


def _needs_series(compute: Callable[..., Value], position: int) -> Callable[..., Value]:
    """Undefined when the series operand has no value (never a crash)."""

    def guarded(*args: Value) -> Value:
        if not isinstance(args[position], Series):
            return None
        return compute(*args)

    return guarded


def _window_check(fn: Any) -> str | None:
    if fn.window is not None and fn.window < 0:
        return f"Window {fn.window} is negative"
    return None


def _tsselect_check(fn: Any) -> str | None:
    if fn.element > 0:
        return f"TSSelect Element {fn.element} is positive: 0 is the newest, -1 the one before"
    return None


def _rate_check(fn: Any) -> str | None:
    if fn.interval.is_calendar:
        return "RateOfChange Interval has years or months, which have no fixed length"
    return None


def _per_check(fn: Any) -> str | None:
    if fn.per.is_calendar:
        return "Rate Per has years or months, which have no fixed length"
    if fn.per.fixed_milliseconds() <= 0:
        return "Rate Per is not a positive duration"
    return None


_ARITH = {
    f.Plus: lambda a, b: a + b,
    f.Minus: lambda a, b: a - b,
    f.Times: lambda a, b: a * b,
}

FUNCTIONS: dict[type[f.Function], FunctionSpec] = {
    f.QConstructor: FunctionSpec(_input, (SCALAR,), True, QConstructorNode, check=_window_check),
    f.TSConstructor: FunctionSpec(
        _input,
        (SCALAR,),
        True,
        TSConstructorNode,
        schedule=lambda fn: fn.schedule,
        check=_window_check,
    ),
    f.Size: _pure(size, lambda fn: (fn.operand,), (SERIES,)),
    f.TSSelect: FunctionSpec(
        lambda fn: (fn.operand,), (SERIES,), False, TSSelectNode, check=_tsselect_check
    ),
    **{
        cls: _pure(_arith(op), lambda fn: (fn.left, fn.right), (SCALAR, SCALAR))
        for cls, op in _ARITH.items()
    },
    f.Divide: _pure(divide, lambda fn: (fn.left, fn.right), (SCALAR, SCALAR)),
    f.Average: _pure(mean, _input, (SERIES,)),
    f.Mean: _pure(mean, _input, (SERIES,)),
    f.Median: _pure(median, _input, (SERIES,)),
    f.Mode: _pure(mode, _input, (SERIES,)),
    f.Max: _pure(maximum, _input, (SERIES,)),
    f.Sum: _pure(total, _input, (SERIES,)),
    f.Round: _pure(round_half_away, lambda fn: (fn.input, fn.digits), (SCALAR, SCALAR)),
    f.ValueOccurs: _pure(value_occurs, _input_value, (SERIES, SCALAR)),
    f.PercentageGreaterThanThreshold: _pure(
        _threshold(_greater, True), _input_value, (SERIES, SCALAR)
    ),
    f.PercentageLessThanThreshold: _pure(_threshold(_less, True), _input_value, (SERIES, SCALAR)),
    f.NumberGreaterThanThreshold: _pure(
        _threshold(_greater, False), _input_value, (SERIES, SCALAR)
    ),
    f.NumberLessThanThreshold: _pure(_threshold(_less, False), _input_value, (SERIES, SCALAR)),
    f.RateOfChange: FunctionSpec(_input, (ANY,), False, RateOfChangeNode, check=_rate_check),
    f.SpanFunction: _pure(span, _input_value, (SERIES, SCALAR)),
    f.QualifyMeasurementTimeSeries: FunctionSpec(
        lambda fn: (fn.base_metric, fn.validation_metric, fn.value),
        (SERIES, SERIES, SCALAR),
        True,
        QualifyNode,
    ),
    # extensions (urn:wsla-toolkit:ext:1)
    x.IntervalSeries: FunctionSpec(
        _input, (SCALAR,), True, IntervalSeriesNode, schedule=lambda fn: fn.schedule
    ),
    x.Percentile: _pure(percentile, lambda fn: (fn.input, fn.percent), (SERIES, SCALAR)),
    x.Min: _pure(minimum, _input, (SERIES,)),
    x.Count: _pure(count, _input, (SERIES,)),
    x.Ratio: _pure(ratio, _input_value, (SERIES, SCALAR)),
    x.Rate: FunctionSpec(
        _input, (SCALAR,), False, RateNode, schedule=lambda fn: fn.schedule, check=_per_check
    ),
}
"""Every function the runtime can evaluate, by model class."""
