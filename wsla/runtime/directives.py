"""Measurement directives: how records become values of measured metrics (reference §5
"Directives").

Each record is a new value of its metric. With a ``ReadingSchedule`` a record only stores
the reading, and at each tick of that schedule the metric takes the latest reading as a new
value (even if unchanged; nothing if never read). ``InvocationCount`` and
``SumResponseTime`` are running totals: fed either as cumulative readings (a record's
value replaces the total) or by invocation records (:meth:`DirectiveNode.invoke`).
"""

from __future__ import annotations

from typing import Any

from wsla.model import directives as d
from wsla.runtime.nodes import Node
from wsla.runtime.values import NS_PER_MS, Value, is_number


class DirectiveNode(Node):
    """Latest reading (Counter, Gauge, Downtime, MaintenancePeriodQuery, StatusRequest)."""

    __slots__ = ("has_reading", "reading", "reading_t", "scheduled")

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        self.scheduled = plan.schedule is not None
        self.reading: Value = None
        self.reading_t = 0
        self.has_reading = False

    def reset(self) -> None:
        super().reset()
        self.reading, self.reading_t, self.has_reading = None, 0, False

    def feed(self, time: int, value: Value) -> bool:
        """A record for this metric; returns whether the metric took a new value."""
        if self.scheduled:
            self.reading, self.reading_t, self.has_reading = value, time, True
            return False
        self.reading, self.reading_t, self.has_reading = value, time, True
        self.value = value
        return True

    def invoke(self, time: int, response_time: Value) -> bool:
        """An invocation of the operation; directives that ignore invocations return False."""
        return False

    def on_tick(self, time: int) -> bool:
        if not self.has_reading:
            return False
        self.value = self.reading
        return True


class ResponseTimeNode(DirectiveNode):
    """Each invocation's response time (or each record's value)."""

    __slots__ = ()

    def invoke(self, time: int, response_time: Value) -> bool:
        return self.feed(time, response_time)


class RunningCountNode(DirectiveNode):
    """``InvocationCount``: cumulative readings, or +1 per invocation."""

    __slots__ = ()

    def invoke(self, time: int, response_time: Value) -> bool:
        current = self.reading if self.has_reading else 0
        return self.feed(time, (current if is_number(current) else 0) + 1)


class RunningSumNode(DirectiveNode):
    """``SumResponseTime``: cumulative readings, or + response time per invocation."""

    __slots__ = ()

    def invoke(self, time: int, response_time: Value) -> bool:
        if not is_number(response_time):
            return False
        current = self.reading if self.has_reading else 0
        return self.feed(time, (current if is_number(current) else 0) + response_time)


class StatusNode(DirectiveNode):
    """``Status``: at a sampling instant a reading older than ``TimeOut`` reads as 0."""

    __slots__ = ("timeout_ns",)

    def __init__(self, plan: Any, args: tuple[Any, ...]) -> None:
        super().__init__(plan, args)
        directive = plan.definition
        assert isinstance(directive, d.Status)
        self.timeout_ns = directive.timeout.fixed_milliseconds() * NS_PER_MS

    def _sampled(self, time: int) -> Value:
        return 0 if time - self.reading_t > self.timeout_ns else self.reading

    def on_tick(self, time: int) -> bool:
        if not self.has_reading:
            return False
        self.value = self._sampled(time)
        return True

    def sample(self, time: int) -> Value:
        if self.scheduled:
            return self.value
        return self._sampled(time) if self.has_reading else None


DIRECTIVES: dict[type[d.MeasurementDirective], type[DirectiveNode]] = {
    d.Counter: DirectiveNode,
    d.Gauge: DirectiveNode,
    d.Downtime: DirectiveNode,
    d.MaintenancePeriodQuery: DirectiveNode,
    d.StatusRequest: DirectiveNode,
    d.ResponseTime: ResponseTimeNode,
    d.InvocationCount: RunningCountNode,
    d.SumResponseTime: RunningSumNode,
    d.Status: StatusNode,
}
"""Every measurement directive the runtime can read, by model class."""

INVOKED: tuple[type[d.MeasurementDirective], ...] = (
    d.ResponseTime,
    d.InvocationCount,
    d.SumResponseTime,
)
"""Directives fed by an operation's invocation records."""
