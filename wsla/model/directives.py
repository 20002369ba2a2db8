"""Measurement directives: how a measured metric reads the instrumentation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from wsla.model.span import Span
from wsla.model.types import EXT_NS, WSLA_NS, Interval, MetricType


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasurementDirective:
    """Abstract base (``MeasurementDirectiveType``); subclasses name their ``xsi:type``."""

    xsi_type: ClassVar[str] = ""
    namespace: ClassVar[str] = WSLA_NS
    result_type: MetricType | None = None
    reading_schedule: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def uris(self) -> tuple[str, ...]:
        """The measurement, request or counter URIs by which streams address it."""
        return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Counter(MeasurementDirective):
    xsi_type: ClassVar[str] = "Counter"
    measurement_uri: str

    @property
    def uris(self) -> tuple[str, ...]:
        return (self.measurement_uri,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Gauge(MeasurementDirective):
    xsi_type: ClassVar[str] = "Gauge"
    measurement_uri: str

    @property
    def uris(self) -> tuple[str, ...]:
        return (self.measurement_uri,)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseTime(MeasurementDirective):
    xsi_type: ClassVar[str] = "ResponseTime"
    measurement_uri: str

    @property
    def uris(self) -> tuple[str, ...]:
        return (self.measurement_uri,)


@dataclass(frozen=True, slots=True, kw_only=True)
class SumResponseTime(MeasurementDirective):
    xsi_type: ClassVar[str] = "SumResponseTime"


@dataclass(frozen=True, slots=True, kw_only=True)
class Status(MeasurementDirective):
    xsi_type: ClassVar[str] = "Status"
    measurement_uri: str
    timeout: Interval

    @property
    def uris(self) -> tuple[str, ...]:
        return (self.measurement_uri,)


@dataclass(frozen=True, slots=True, kw_only=True)
class InvocationCount(MeasurementDirective):
    xsi_type: ClassVar[str] = "InvocationCount"
    counter_uri: str | None = None

    @property
    def uris(self) -> tuple[str, ...]:
        return () if self.counter_uri is None else (self.counter_uri,)


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusRequest(MeasurementDirective):
    xsi_type: ClassVar[str] = "StatusRequest"
    request_uri: str

    @property
    def uris(self) -> tuple[str, ...]:
        return (self.request_uri,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Downtime(MeasurementDirective):
    xsi_type: ClassVar[str] = "Downtime"


@dataclass(frozen=True, slots=True, kw_only=True)
class MaintenancePeriodQuery(MeasurementDirective):
    xsi_type: ClassVar[str] = "MaintenancePeriodQuery"


DIRECTIVE_TYPES: dict[str, type[MeasurementDirective]] = {
    cls.xsi_type: cls
    for cls in (
        Counter,
        Gauge,
        ResponseTime,
        SumResponseTime,
        Status,
        InvocationCount,
        StatusRequest,
        Downtime,
        MaintenancePeriodQuery,
    )
}

__all__ = [
    "DIRECTIVE_TYPES",
    "EXT_NS",
    "Counter",
    "Downtime",
    "Gauge",
    "InvocationCount",
    "MaintenancePeriodQuery",
    "MeasurementDirective",
    "ResponseTime",
    "Status",
    "StatusRequest",
    "SumResponseTime",
]
