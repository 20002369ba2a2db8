"""Runtime values: time conversion, series, numeric helpers.

Conventions (see ``docs/semantics.md``):

* time is an ``int``: epoch nanoseconds, UTC;
* a metric's value is ``int``, ``float``, ``str``, a :class:`Series`, or ``None``, which
  stands both for "no value yet" and for "undefined" (division by zero, mean of nothing);
* ``bool`` inputs are read as ``1``/``0``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NS_PER_MS = 1_000_000
NS_PER_S = 1_000_000_000

Value = Any
"""A runtime value: ``int | float | str | Series | None``."""


def datetime_to_ns(moment: datetime) -> int:
    """Exact epoch nanoseconds of an aware ``datetime`` (naive is refused)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no UTC offset")
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * NS_PER_S + delta.microseconds * 1000


def to_ns(moment: int | datetime) -> int:
    """Accept epoch nanoseconds or an aware ``datetime``."""
    if isinstance(moment, datetime):
        return datetime_to_ns(moment)
    if isinstance(moment, bool) or not isinstance(moment, int):
        raise TypeError(f"time must be int epoch nanoseconds or datetime, not {moment!r}")
    return moment


def ns_to_datetime(ns: int) -> datetime:
    """UTC ``datetime`` of ``ns`` (microsecond precision: the rest is dropped)."""
    return EPOCH + timedelta(microseconds=ns // 1000)


def _civil(days: int) -> tuple[int, int, int]:
    """Proleptic Gregorian (year, month, day) of a day count from 1970-01-01, for any year
    (``datetime`` stops at 9999; records can be later)."""
    days += 719_468
    era = days // 146_097
    doe = days - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def ns_to_iso(ns: int) -> str:
    """ISO 8601 UTC text of ``ns`` with nanosecond digits only when needed (years past
    9999 or before 1 in the expanded ``±YYYYY`` form)."""
    seconds, rest = divmod(ns, NS_PER_S)
    try:
        base = (EPOCH + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
    except OverflowError:
        days, second = divmod(seconds, 86_400)
        year, month, day = _civil(days)
        hour, second = divmod(second, 3600)
        minute, second = divmod(second, 60)
        sign = "+" if year > 0 else "-"
        base = f"{sign}{abs(year):05d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
    if rest:
        frac = f"{rest:09d}".rstrip("0")
        return f"{base}.{frac}Z"
    return f"{base}Z"


def normalize(value: object) -> Value:
    """A record value as the engine holds it: bools become 1/0, the rest is kept."""
    if value is True:
        return 1
    if value is False:
        return 0
    return value


def is_number(value: object) -> bool:
    kind = type(value)
    if kind is float or kind is int:  # nearly always: no isinstance walk
        return True
    return isinstance(value, int | float) and not isinstance(value, bool)


class Series:
    """A TS or Q: elements with the step time at which each was appended.

    ``window`` keeps the newest n elements (``None`` = unbounded). Functions read
    ``values`` and ``times`` (deques, oldest first). ``non_numbers`` counts the elements
    that are not numbers, so numeric aggregates need not scan for them.
    """

    __slots__ = ("_fsum", "_non_numbers", "times", "values", "window")

    def __init__(self, window: int | None = None) -> None:
        self.window = window
        # deques bound the window; an unbounded series built at once may hold plain lists
        self.times: deque[int] | list[int] = deque(maxlen=window)
        self.values: deque[Value] | list[Value] = deque(maxlen=window)
        self._non_numbers = 0  # -1: not counted yet (a series built at once)
        self._fsum: float | None = None

    @property
    def non_numbers(self) -> int:
        """How many elements are not numbers (counted on first use for :meth:`of`)."""
        if self._non_numbers < 0:
            values = self.values
            try:
                # C speed; raises on a string (bools were read as 1/0); kept for Mean
                self._fsum = math.fsum(values)
                self._non_numbers = 0
            except (TypeError, OverflowError, ValueError):  # ValueError: inf + -inf
                self._non_numbers = sum(1 for v in values if not is_number(v))
        return self._non_numbers

    @property
    def known_fsum(self) -> float | None:
        """``math.fsum(values)`` when counting the non-numbers computed it, else ``None``."""
        return self._fsum

    @classmethod
    def of(cls, times: list[int], values: list[Value]) -> Series:
        """An unbounded series of these elements (oldest first); takes the lists as they are.

        Its non-numbers are counted only when a function asks (a Ratio over it never does)."""
        # not through __init__: its two deques would be thrown away at once (one series
        # per interval buffer per tick)
        out = cls.__new__(cls)
        out.window = None
        out.times = times
        out.values = values
        out._non_numbers = -1 if values else 0
        out._fsum = None
        return out

    def append(self, time: int, value: Value) -> None:
        if self._non_numbers < 0:
            self._non_numbers = self.non_numbers
        self._fsum = None
        values = self.values
        if self.window is not None and len(values) == self.window:
            if not values:
                return
            old = values[0]
            if type(old) is not float and type(old) is not int and not is_number(old):
                self._non_numbers -= 1
        if type(value) is not float and type(value) is not int and not is_number(value):
            self._non_numbers += 1
        self.times.append(time)
        values.append(value)

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[tuple[int, Value]]:
        return zip(self.times, self.values, strict=True)

    def snapshot(self) -> list[Value]:
        """The elements' values, oldest first, as a new list (for outcomes)."""
        return list(self.values)

    def __repr__(self) -> str:
        return f"Series({list(self.values)!r})"


def snapshot(value: Value) -> Value:
    """A value safe to keep in an outcome: series are copied to lists."""
    if isinstance(value, Series):
        return value.snapshot()
    return value


def json_value(value: Value) -> Any:
    """A JSON-able form of a value: non-finite floats become strings."""
    if isinstance(value, Series):
        return [json_value(v) for v in value.values]
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value
