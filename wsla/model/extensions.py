"""Functions beyond WSLA 1.0, in wsla's own namespace (:data:`wsla.model.types.EXT_NS`).

They are written in WSLA XML as ``Function xsi:type="wslax:Name"`` (``xmlns:wslax=
"urn:wsla-toolkit:ext:1"``) and validated by ``xsd/wsla-ext.xsd``. Their own children are in
our namespace, each holding WSLA content (an operand, a schedule name), while the input is
a direct WSLA ``<Metric>``/``<Function>`` child as in WSLA's own functions, e.g.::

    <Function xsi:type="wslax:Percentile" resultType="double">
      <Metric>RTWindow</Metric>
      <wslax:Percent><LongScalar>95</LongScalar></wslax:Percent>
    </Function>

Semantics are in ``docs/semantics.md`` ("Extensions").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wsla.model.functions import Aggregate, Function, Input, Operand, ValueFunction
from wsla.model.types import EXT_NS, Interval


@dataclass(frozen=True, slots=True, kw_only=True)
class IntervalSeries(Function):
    """All defined values of ``input`` that arrived in the schedule interval just closed.

    At each tick ``t_k`` of ``schedule`` the result is a new series holding the input's
    new defined values with step times in ``[t_{k-1}, t_k)`` (``t_0`` = the schedule's
    Start), even when empty. WSLA's own Q is bounded by a count; this one by time.
    """

    xsi_type: ClassVar[str] = "IntervalSeries"
    namespace: ClassVar[str] = EXT_NS
    schedule: str
    input: Input


@dataclass(frozen=True, slots=True, kw_only=True)
class Percentile(Function):
    """The ``percent``-th percentile (0–100) of a series, linear interpolation
    (numpy's default ``method="linear"``, DuckDB's ``quantile_cont``)."""

    xsi_type: ClassVar[str] = "Percentile"
    namespace: ClassVar[str] = EXT_NS
    input: Input
    percent: Operand


@dataclass(frozen=True, slots=True, kw_only=True)
class Min(Aggregate):
    """Smallest element of a series; undefined when empty."""

    xsi_type: ClassVar[str] = "Min"
    namespace: ClassVar[str] = EXT_NS


@dataclass(frozen=True, slots=True, kw_only=True)
class Count(Aggregate):
    """Number of elements of a series (0 when empty)."""

    xsi_type: ClassVar[str] = "Count"
    namespace: ClassVar[str] = EXT_NS


@dataclass(frozen=True, slots=True, kw_only=True)
class Ratio(ValueFunction):
    """Share of elements equal to ``value`` (numeric equality), in [0, 1]; undefined
    when empty. E.g. the error ratio of a series of 1/0 ``ok`` flags: ``Ratio(ok, 0)``."""

    xsi_type: ClassVar[str] = "Ratio"
    namespace: ClassVar[str] = EXT_NS


@dataclass(frozen=True, slots=True, kw_only=True)
class Rate(Function):
    """Events per ``per`` in each interval of ``schedule``: at each tick ``t_k`` the
    number of new defined values of ``input`` with step times in ``[t_{k-1}, t_k)``
    (the intervals of :class:`IntervalSeries`) times ``per`` / ``(t_k - t_{k-1})``.

    An interval without events has the rate 0.0 (a known zero, not a gap); before the
    first tick the rate is undefined. ``per`` is a fixed duration (no years or months).
    E.g. requests per second over each minute: ``Rate(schedule=minutely, input=RT,
    per=1 s)``.
    """

    xsi_type: ClassVar[str] = "Rate"
    namespace: ClassVar[str] = EXT_NS
    schedule: str
    input: Input
    per: Interval


EXT_FUNCTIONS: tuple[type[Function], ...] = (IntervalSeries, Percentile, Min, Count, Ratio, Rate)

__all__ = ["EXT_FUNCTIONS", "Count", "IntervalSeries", "Min", "Percentile", "Rate", "Ratio"]
