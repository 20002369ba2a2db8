"""The service definition: service objects and what they hold."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from wsla.model.directives import MeasurementDirective
from wsla.model.functions import Function
from wsla.model.span import Span
from wsla.model.types import Interval, MetricType, Period


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """``Schedule``: every ``interval`` during ``period``."""

    name: str | None = None
    period: Period
    interval: Interval
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Trigger:
    name: str | None = None
    time: datetime
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Constant:
    """``Constant``: the Python type of ``value`` says which child it has
    (``str`` → ``String``, ``int`` → ``Integer``, ``float`` → ``Float``)."""

    name: str | None = None
    value: str | int | float
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectiveVariable:
    """``MeasurementDirectiveVariable``: a hole that a macro expansion fills."""

    span: Span | None = field(default=None, compare=False, repr=False)


Definition = MeasurementDirective | Function | DirectiveVariable
"""How a metric gets its value: measured, computed, or a macro hole."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Metric:
    name: str | None = None
    type: MetricType | None = None
    unit: str | None = None
    counter: bool | None = None
    source: str
    metric_uri: str | None = None
    definition: Definition
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Communication:
    source: str
    pull: tuple[str, ...] | None = None
    push: tuple[str, ...] | None = None
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class SLAParameter:
    name: str | None = None
    type: MetricType | None = None
    unit: str | None = None
    metric: str
    communication: Communication | None = None
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricMacroDefinition:
    name: str | None = None
    metrics: tuple[Metric, ...]
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectiveAssignment:
    """``MeasurementDirectiveAssignment``: fills the hole of ``metric_name``."""

    metric_name: str | None = None
    directive: MeasurementDirective
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricMacroExpansion:
    macro_name: str | None = None
    expansion_name: str | None = None
    assignments: tuple[DirectiveAssignment, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceObject:
    """Content shared by every service object, in document order."""

    element: ClassVar[str] = ""
    name: str | None = None
    schedules: tuple[Schedule, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    constants: tuple[Constant, ...] = ()
    macro_definitions: tuple[MetricMacroDefinition, ...] = ()
    macro_expansions: tuple[MetricMacroExpansion, ...] = ()
    parameters: tuple[SLAParameter, ...] = ()
    metrics: tuple[Metric, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)

    def nested(self) -> tuple[ServiceObject, ...]:
        """Service objects directly inside this one."""
        return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation(ServiceObject):
    """A plain ``Operation``."""

    element: ClassVar[str] = "Operation"
    xsi_type: ClassVar[str | None] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapOperation(Operation):
    """``WSDLSOAPOperationDescriptionType`` (``Operation xsi:type=…`` or ``WSDLSOAPOperation``)."""

    xsi_type: ClassVar[str | None] = "WSDLSOAPOperationDescriptionType"
    wsdl_file: str
    service_name: str | None = None
    soap_binding_name: str
    soap_operation_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StringOperation(Operation):
    """``StringOperationDescriptionType``."""

    xsi_type: ClassVar[str | None] = "StringOperationDescriptionType"
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationGroup(ServiceObject):
    element: ClassVar[str] = "OperationGroup"
    operations: tuple[Operation, ...] = ()

    def nested(self) -> tuple[ServiceObject, ...]:
        return self.operations


@dataclass(frozen=True, slots=True, kw_only=True)
class WebHosting(ServiceObject):
    element: ClassVar[str] = "WebHosting"
    coverage: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceDefinition(ServiceObject):
    element: ClassVar[str] = "ServiceDefinition"
    operations: tuple[Operation, ...] = ()
    operation_groups: tuple[OperationGroup, ...] = ()
    web_hostings: tuple[WebHosting, ...] = ()

    def nested(self) -> tuple[ServiceObject, ...]:
        return (*self.operations, *self.operation_groups, *self.web_hostings)


def walk_service_objects(
    root: ServiceObject, parents: tuple[ServiceObject, ...] = ()
) -> Iterator[tuple[ServiceObject, tuple[ServiceObject, ...]]]:
    """Yield ``(service_object, enclosing_objects)`` depth-first in document order.

    ``enclosing_objects`` runs from the outermost (the service definition) inwards.
    """
    yield root, parents
    for child in root.nested():
        yield from walk_service_objects(child, (*parents, root))
