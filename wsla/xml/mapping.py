"""The generic part of the XML mapping: dataclass field → child element and value kind.

The reader and the writer share these tables, so a new function, directive, predicate or
action class (including extensions registered in :mod:`wsla.model.registry`) gets XML
support from its field names and type annotations alone:

* ``input`` (annotated ``Input``) is a direct ``<Metric>`` or ``<Function>`` child;
* a field annotated ``Operand`` is an element (``Operand``, ``Value``, ``Digits``…) that
  wraps one operand (``Metric``, ``Function``, ``LongScalar``, ``FloatScalar``,
  ``StringScalar``, ``Constant``);
* ``int`` → xs:long text, ``float`` → xs:double text, ``str`` → text, ``bool`` →
  xs:boolean, ``Interval`` → an ``Interval``-shaped element, ``tuple[str, ...]`` → a
  whitespace-separated list, ``tuple[Operand, ...]`` → a repeated element;
* ``X | None`` makes the element optional.

Element names come from :data:`FIELD_ELEMENTS`; a field not listed there is written in
UpperCamelCase (``base_metric`` → ``BaseMetric``).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

from wsla.model.functions import Input, Operand
from wsla.model.types import EXT_NS, WSLA_NS, Interval

__all__ = [
    "ATTRIBUTES",
    "FIELD_ELEMENTS",
    "FieldMap",
    "Kind",
    "child_namespace",
    "element_fields",
]

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSI_TYPE = f"{{{XSI_NS}}}type"


class Kind(enum.Enum):
    TEXT = "text"
    LONG = "long"
    DOUBLE = "double"
    BOOL = "boolean"
    INTERVAL = "interval"
    INPUT = "input"
    INPUTS = "inputs"
    OPERAND = "operand"
    OPERANDS = "operands"
    LIST = "list"


FIELD_ELEMENTS: dict[str, str] = {
    # functions
    "schedule": "Schedule",
    "window": "Window",
    "operand": "Operand",
    "left": "Operand",
    "right": "Operand",
    "operands": "Operand",
    "element": "Element",
    "digits": "Digits",
    "value": "Value",
    "interval": "Interval",
    "base_metric": "BaseMetric",
    "validation_metric": "ValidationMetric",
    # measurement directives
    "reading_schedule": "ReadingSchedule",
    "measurement_uri": "MeasurementURI",
    "timeout": "TimeOut",
    "counter_uri": "CounterURI",
    "request_uri": "RequestURI",
    # party actions and operations
    "wsdl_file": "WSDLFile",
    "service_name": "ServiceName",
    "soap_binding_name": "SOAPBindingName",
    "soap_operation_name": "SOAPOperationName",
    "address": "Address",
    "description": "Description",
    # predicates
    "parameter": "SLAParameter",
    "slo": "ServiceLevelObjective",
}
"""Field name → child element local name, for fields stored as child elements."""

ATTRIBUTES: dict[str, str] = {
    "name": "name",
    "party_name": "partyName",
    "result_type": "resultType",
    "type": "type",
    "unit": "unit",
    "counter": "counter",
    "macro_name": "macroName",
    "expansion_name": "expansionName",
    "metric_name": "metricName",
    "action_name": "actionName",
}
"""Field name → attribute name, for fields stored as attributes (never child elements)."""


@dataclass(frozen=True, slots=True)
class FieldMap:
    """How one dataclass field is stored: as child element ``element`` of ``kind``."""

    field: str
    element: str
    kind: Kind
    optional: bool


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _same_union(hint: object, union: object) -> bool:
    return set(typing.get_args(hint)) == set(typing.get_args(union))


def _kind(hint: object) -> tuple[Kind, bool]:
    optional = False
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and type(None) in args:
        optional = True
        rest = tuple(a for a in args if a is not type(None))
        hint = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007
    if hint is bool:
        return Kind.BOOL, optional
    if hint is int:
        return Kind.LONG, optional
    if hint is float:
        return Kind.DOUBLE, optional
    if hint is str:
        return Kind.TEXT, optional
    if hint is Interval:
        return Kind.INTERVAL, optional
    if _same_union(hint, Input):
        return Kind.INPUT, optional
    if _same_union(hint, Operand):
        return Kind.OPERAND, optional
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        if item is str:
            return Kind.LIST, optional
        if _same_union(item, Operand):
            return Kind.OPERANDS, optional
        if _same_union(item, Input):
            return Kind.INPUTS, optional
    raise TypeError(f"no XML mapping for a field annotated {hint!r}")


def element_fields(cls: type, skip: frozenset[str] = frozenset()) -> tuple[FieldMap, ...]:
    """The fields of ``cls`` stored as child elements, in document order.

    Attribute fields (:data:`ATTRIBUTES`), fields outside equality (``span``, a
    comparison's ``written`` unit) and the names in ``skip`` (fields a
    caller maps by hand, such as a service object's shared content) are left out.
    """
    return _element_fields(cls, skip)


@cache
def _element_fields(cls: Any, skip: frozenset[str]) -> tuple[FieldMap, ...]:
    hints = typing.get_type_hints(cls)
    out: list[FieldMap] = []
    for f in dataclasses.fields(cls):
        if not f.compare or f.name in ATTRIBUTES or f.name in skip:
            continue
        kind, optional = _kind(hints[f.name])
        element = FIELD_ELEMENTS.get(f.name) or _camel(f.name)
        out.append(FieldMap(f.name, element, kind, optional))
    return tuple(out)


def child_namespace(namespace: str) -> str:
    """Namespace of the child elements of a typed element whose type is in ``namespace``.

    Both schemas qualify local elements, so an extension type's own children are in the
    extension namespace, while WSLA types keep WSLA's. Inputs (``Metric``/``Function``) and
    operand content always come from WSLA's ``FunctionInput`` group and ``OperandType``.
    """
    return EXT_NS if namespace == EXT_NS else WSLA_NS
