"""Write a :class:`~wsla.model.Spec` as WSLA 1.0 XML: deterministic, pretty, UTF-8.

WSLA is the default namespace, ``xsi`` is declared on the root, and ``wslax``
(:data:`~wsla.model.types.EXT_NS`) only when an extension construct is used. ``xsi:type``
values are QNames resolvable in scope (``Gauge``, ``wslax:Percentile``). Floats are
written with ``repr`` so they read back equal.
"""

from __future__ import annotations

import math
from dataclasses import fields
from datetime import datetime
from functools import cache
from typing import Any

from lxml import etree

from wsla.model.directives import MeasurementDirective
from wsla.model.functions import (
    ConstantRef,
    FloatScalar,
    Function,
    LongScalar,
    MetricRef,
    Operand,
    StringScalar,
)
from wsla.model.obligations import (
    ActionGuarantee,
    ActionInvocation,
    BinaryLogic,
    Evaluation,
    Expression,
    NewValuePredicate,
    Not,
    Notification,
    ObligationGroup,
    Obligations,
    OnNewValue,
    Predicate,
    QualifiedAction,
    ServiceLevelObjective,
)
from wsla.model.parties import ActionDescription, Parties, Party, SupportingParty
from wsla.model.service import (
    Constant,
    DirectiveVariable,
    Metric,
    MetricMacroDefinition,
    MetricMacroExpansion,
    Operation,
    OperationGroup,
    Schedule,
    ServiceDefinition,
    ServiceObject,
    SLAParameter,
    Trigger,
    WebHosting,
)
from wsla.model.spec import Spec
from wsla.model.types import EXT_NS, WSLA_NS, Interval, Period, TimePeriod
from wsla.xml.elements import CALENDAR_ELEMENTS, INTERVAL_ELEMENTS
from wsla.xml.mapping import ATTRIBUTES, XSI_NS, XSI_TYPE, Kind, child_namespace, element_fields

__all__ = [
    "XMLWriteError",
    "dumps_xml",
    "format_datetime",
    "format_double",
    "to_tree",
    "to_tree_with_map",
]

Element = etree._Element

_W = f"{{{WSLA_NS}}}"
_NSMAP: dict[str | None, str] = {None: WSLA_NS, "xsi": XSI_NS}
_EXT_PREFIX = "wslax"


@cache
def _service_object_fields() -> frozenset[str]:
    return frozenset(f.name for f in fields(ServiceObject))


def format_double(value: float) -> str:
    """xs:double / xs:float lexical form that reads back to the same Python float."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(float(value))


def format_datetime(value: datetime) -> str:
    """xs:dateTime; UTC is written ``Z``."""
    text = value.isoformat()
    if value.tzinfo is not None and text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


class _Writer:
    """Builds the tree; optionally records which model node each element came from."""

    def __init__(self, record: bool) -> None:
        self.record = record
        self.nodes: list[tuple[Element, object]] = []
        self.uses_ext = False
        self.last: object = None

    # --- helpers ------------------------------------------------------------------

    def el(self, parent: Element, local: str, node: object = None, ns: str = WSLA_NS) -> Element:
        if node is not None:
            self.last = node
        if ns == WSLA_NS:
            child = etree.SubElement(parent, _W + local)
        else:
            self.uses_ext = True
            child = etree.SubElement(parent, f"{{{ns}}}{local}", nsmap={_EXT_PREFIX: ns})
        if self.record and node is not None:
            self.nodes.append((child, node))
        return child

    def text(self, parent: Element, local: str, value: str, ns: str = WSLA_NS) -> Element:
        child = self.el(parent, local, ns=ns)
        child.text = value
        return child

    def attrs(self, element: Element, node: object) -> None:
        for name, attr in ATTRIBUTES.items():
            value = getattr(node, name, None)
            if value is None:
                continue
            if isinstance(value, bool):
                element.set(attr, "true" if value else "false")
            else:
                element.set(attr, str(value))

    def xsi_type(self, element: Element, namespace: str, local: str) -> None:
        if namespace == WSLA_NS:
            element.set(XSI_TYPE, local)
        else:
            self.uses_ext = True
            element.set(XSI_TYPE, f"{_EXT_PREFIX}:{local}")

    # --- document -----------------------------------------------------------------

    def spec(self, spec: Spec) -> Element:
        root = etree.Element(_W + "SLA", nsmap=_NSMAP)
        if self.record:
            self.nodes.append((root, spec))
        if spec.name is not None:
            root.set("name", spec.name)
        self.parties(root, spec.parties)
        for definition in spec.service_definitions:
            self.service_object(root, definition)
        self.obligations(root, spec.obligations)
        if self.uses_ext:
            etree.cleanup_namespaces(
                root, top_nsmap={_EXT_PREFIX: EXT_NS}, keep_ns_prefixes=[_EXT_PREFIX]
            )
        return root

    # --- parties ------------------------------------------------------------------

    def parties(self, parent: Element, parties: Parties) -> None:
        element = self.el(parent, "Parties", parties)
        for party in parties.all():
            self.party(element, party)

    def party(self, parent: Element, party: Party) -> None:
        element = self.el(parent, party.element, party)
        self.attrs(element, party)
        if party.contact is not None:
            contact = self.el(element, "Contact", party.contact)
            self.text(contact, "Street", party.contact.street)
            self.text(contact, "City", party.contact.city)
        for action in party.actions:
            self.action_description(element, action)
        if isinstance(party, SupportingParty):
            for sponsor in party.sponsors:
                self.text(element, "Sponsor", sponsor)
            for role in party.roles:
                self.text(element, "Role", role.value)

    def action_description(self, parent: Element, action: ActionDescription) -> None:
        element = self.el(parent, "Action", action)
        self.attrs(element, action)
        self.xsi_type(element, WSLA_NS, action.xsi_type)
        self.fields(element, action, WSLA_NS)

    # --- service objects ----------------------------------------------------------

    def service_object(self, parent: Element, obj: ServiceObject) -> None:
        element = self.el(parent, obj.element, obj)
        if obj.name is not None:
            element.set("name", obj.name)
        if isinstance(obj, Operation) and obj.xsi_type is not None:
            self.xsi_type(element, WSLA_NS, obj.xsi_type)
        for schedule in obj.schedules:
            self.schedule(element, schedule)
        for trigger in obj.triggers:
            self.trigger(element, trigger)
        for constant in obj.constants:
            self.constant(element, constant)
        for macro in obj.macro_definitions:
            self.macro_definition(element, macro)
        for expansion in obj.macro_expansions:
            self.macro_expansion(element, expansion)
        for parameter in obj.parameters:
            self.parameter(element, parameter)
        for metric in obj.metrics:
            self.metric(element, metric)
        if isinstance(obj, ServiceDefinition):
            for nested in obj.nested():
                self.service_object(element, nested)
        elif isinstance(obj, OperationGroup):
            for operation in obj.operations:
                self.service_object(element, operation)
        elif isinstance(obj, WebHosting):
            for uri in obj.coverage:
                self.text(element, "Coverage", uri)
        elif isinstance(obj, Operation):
            self.fields(element, obj, WSLA_NS, _service_object_fields())

    def schedule(self, parent: Element, schedule: Schedule) -> None:
        element = self.el(parent, "Schedule", schedule)
        self.attrs(element, schedule)
        self.period(element, "Period", schedule.period)
        self.interval(element, "Interval", schedule.interval)

    def period(self, parent: Element, local: str, period: Period) -> None:
        element = self.el(parent, local, period)
        if isinstance(period, TimePeriod):
            self.text(element, "Start", format_datetime(period.start))
            self.text(element, "End", format_datetime(period.end))
        else:
            for name, child in CALENDAR_ELEMENTS:
                self.text(element, child, getattr(period, name))

    def interval(self, parent: Element, local: str, interval: Interval, ns: str = WSLA_NS) -> None:
        element = self.el(parent, local, interval, ns)
        for name, child in INTERVAL_ELEMENTS:
            value = getattr(interval, name)
            if value is not None:
                self.text(element, child, str(value))

    def trigger(self, parent: Element, trigger: Trigger) -> None:
        element = self.el(parent, "Trigger", trigger)
        self.attrs(element, trigger)
        self.text(element, "Time", format_datetime(trigger.time))

    def constant(self, parent: Element, constant: Constant) -> None:
        element = self.el(parent, "Constant", constant)
        self.attrs(element, constant)
        value = constant.value
        if isinstance(value, str):
            self.text(element, "String", value)
        elif isinstance(value, int):
            self.text(element, "Integer", str(value))
        else:
            self.text(element, "Float", format_double(value))

    def macro_definition(self, parent: Element, macro: MetricMacroDefinition) -> None:
        element = self.el(parent, "MetricMacroDefinition", macro)
        self.attrs(element, macro)
        for metric in macro.metrics:
            self.metric(element, metric)

    def macro_expansion(self, parent: Element, expansion: MetricMacroExpansion) -> None:
        element = self.el(parent, "MetricMacroExpansion", expansion)
        self.attrs(element, expansion)
        for assignment in expansion.assignments:
            child = self.el(element, "MeasurementDirectiveAssignment", assignment)
            self.attrs(child, assignment)
            self.directive(child, assignment.directive)

    def parameter(self, parent: Element, parameter: SLAParameter) -> None:
        element = self.el(parent, "SLAParameter", parameter)
        self.attrs(element, parameter)
        self.text(element, "Metric", parameter.metric)
        communication = parameter.communication
        if communication is not None:
            child = self.el(element, "Communication", communication)
            self.text(child, "Source", communication.source)
            if communication.pull is not None:
                self.text(child, "Pull", " ".join(communication.pull))
            if communication.push is not None:
                self.text(child, "Push", " ".join(communication.push))

    def metric(self, parent: Element, metric: Metric) -> None:
        element = self.el(parent, "Metric", metric)
        self.attrs(element, metric)
        self.text(element, "Source", metric.source)
        if metric.metric_uri is not None:
            self.text(element, "MetricURI", metric.metric_uri)
        definition = metric.definition
        if isinstance(definition, MeasurementDirective):
            self.directive(element, definition)
        elif isinstance(definition, Function):
            self.function(element, definition, WSLA_NS)
        else:
            assert isinstance(definition, DirectiveVariable)
            self.el(element, "MeasurementDirectiveVariable", definition)

    def directive(self, parent: Element, directive: MeasurementDirective) -> None:
        element = self.el(parent, "MeasurementDirective", directive)
        self.xsi_type(element, directive.namespace, directive.xsi_type)
        self.attrs(element, directive)
        self.fields(element, directive, child_namespace(directive.namespace))

    # --- functions and operands ---------------------------------------------------

    def function(self, parent: Element, function: Function, ns: str) -> None:
        element = self.el(parent, "Function", function, ns)
        self.xsi_type(element, function.namespace, function.xsi_type)
        self.attrs(element, function)
        self.fields(element, function, child_namespace(function.namespace))

    def fields(
        self, element: Element, node: object, ns: str, skip: frozenset[str] = frozenset()
    ) -> None:
        """Write the child-element fields of ``node`` as the mapping tables say."""
        for fm in element_fields(type(node), skip):
            value: Any = getattr(node, fm.field)
            if value is None:
                continue
            kind = fm.kind
            if kind is Kind.TEXT:
                self.text(element, fm.element, value, ns)
            elif kind is Kind.LONG:
                self.text(element, fm.element, str(value), ns)
            elif kind is Kind.DOUBLE:
                self.text(element, fm.element, format_double(value), ns)
            elif kind is Kind.BOOL:
                self.text(element, fm.element, "true" if value else "false", ns)
            elif kind is Kind.LIST:
                self.text(element, fm.element, " ".join(value), ns)
            elif kind is Kind.INTERVAL:
                self.interval(element, fm.element, value, ns)
            elif kind is Kind.INPUT:
                self.input(element, value)
            elif kind is Kind.INPUTS:
                for item in value:
                    self.input(element, item)
            elif kind is Kind.OPERAND:
                self.operand(self.el(element, fm.element, ns=ns), value)
            else:
                for item in value:
                    self.operand(self.el(element, fm.element, ns=ns), item)

    def input(self, parent: Element, value: MetricRef | Function) -> None:
        """A function's input: WSLA's ``FunctionInput`` group, reused by extensions."""
        if isinstance(value, MetricRef):
            self.el(parent, "Metric", value).text = value.name
        else:
            self.function(parent, value, WSLA_NS)

    def operand(self, parent: Element, value: Operand) -> None:
        """Operand content: always the WSLA ``OperandType``'s own elements."""
        if isinstance(value, MetricRef):
            self.el(parent, "Metric", value).text = value.name
        elif isinstance(value, Function):
            self.function(parent, value, WSLA_NS)
        elif isinstance(value, LongScalar):
            self.el(parent, "LongScalar", value).text = str(value.value)
        elif isinstance(value, FloatScalar):
            self.el(parent, "FloatScalar", value).text = format_double(value.value)
        elif isinstance(value, StringScalar):
            self.el(parent, "StringScalar", value).text = value.value
        else:
            assert isinstance(value, ConstantRef)
            self.el(parent, "Constant", value).text = value.name

    # --- obligations --------------------------------------------------------------

    def obligations(self, parent: Element, obligations: Obligations) -> None:
        element = self.el(parent, "Obligations", obligations)
        self.attrs(element, obligations)
        self.obligation_content(element, obligations)
        for group in obligations.groups:
            child = self.el(element, "ObligationGroup", group)
            self.attrs(child, group)
            self.obligation_content(child, group)

    def obligation_content(self, element: Element, owner: Obligations | ObligationGroup) -> None:
        for constant in owner.constants:
            self.constant(element, constant)
        for slo in owner.slos:
            self.slo(element, slo)
        for guarantee in owner.guarantees:
            self.guarantee(element, guarantee)

    def slo(self, parent: Element, slo: ServiceLevelObjective) -> None:
        element = self.el(parent, "ServiceLevelObjective", slo)
        self.attrs(element, slo)
        self.text(element, "Obliged", slo.obliged)
        for period in slo.validity:
            self.period(element, "Validity", period)
        self.expression(self.el(element, "Expression"), slo.expression)
        self.evaluation(element, slo.evaluation)

    def guarantee(self, parent: Element, guarantee: ActionGuarantee) -> None:
        element = self.el(parent, "ActionGuarantee", guarantee)
        self.attrs(element, guarantee)
        for obliged in guarantee.obliged:
            self.text(element, "Obliged", obliged)
        self.expression(self.el(element, "Expression"), guarantee.expression)
        self.evaluation(element, guarantee.evaluation)
        for action in guarantee.actions:
            self.qualified_action(element, action)
        self.text(element, "ExecutionModality", guarantee.modality.value)

    def evaluation(self, parent: Element, evaluation: Evaluation) -> None:
        if isinstance(evaluation, OnNewValue):
            self.el(parent, "EvaluationEvent", evaluation).text = "NewValue"
        else:
            self.el(parent, "Schedule", evaluation).text = evaluation.schedule

    def qualified_action(self, parent: Element, action: QualifiedAction) -> None:
        element = self.el(parent, "QualifiedAction", action)
        self.text(element, "Party", action.party)
        invocation: ActionInvocation | Notification = action.action
        child = self.el(element, "Action", invocation)
        if invocation.action_name is not None:
            child.set("actionName", invocation.action_name)
        if isinstance(invocation, Notification):
            self.xsi_type(child, WSLA_NS, "Notification")
            self.text(child, "NotificationType", invocation.notification_type.value)
            self.text(child, "CausingGuarantee", invocation.causing_guarantee)
            self.text(child, "SLAParameter", " ".join(invocation.parameters) or "NONE")

    def expression(self, holder: Element, expression: Expression) -> None:
        """Write ``expression`` as the single child of ``holder`` (an Expression element)."""
        if self.record:
            self.nodes.append((holder, expression))
        if isinstance(expression, Predicate):
            element = self.el(holder, "Predicate", expression)
            self.xsi_type(element, WSLA_NS, expression.xsi_type)
            if isinstance(expression, NewValuePredicate):
                if len(expression.parameters) == 1:
                    self.text(element, "SLAParameter", expression.parameters[0])
                else:
                    self.text(element, "SLAParameterList", " ".join(expression.parameters))
            else:
                self.fields(element, expression, WSLA_NS)
        elif isinstance(expression, BinaryLogic):
            element = self.el(holder, expression.element, expression)
            self.expression(self.el(element, "Expression"), expression.left)
            self.expression(self.el(element, "Expression"), expression.right)
        else:
            assert isinstance(expression, Not)
            element = self.el(holder, "Not", expression)
            self.expression(self.el(element, "Expresssion"), expression.operand)


def to_tree_with_map(spec: Spec) -> tuple[Element, list[tuple[Element, object]]]:
    """The XML tree of ``spec`` and, in document order, each element's model node.

    Elements without a model node of their own (``Start``, ``Operand``…) are not listed;
    map them to the nearest listed ancestor.
    """
    writer = _Writer(record=True)
    return _build(writer, spec), writer.nodes


def to_tree(spec: Spec) -> Element:
    """The root ``SLA`` element of ``spec`` written as WSLA 1.0 XML.

    Raises :class:`XMLWriteError` when a string holds characters XML cannot carry.
    """
    return _build(_Writer(record=False), spec)


class XMLWriteError(ValueError):
    """A spec value that XML 1.0 cannot carry (a control character in a name, say).

    ``node`` is the model node being written, whose ``span`` locates the value.
    """

    def __init__(self, message: str, node: object) -> None:
        super().__init__(message)
        self.node = node


def _build(writer: _Writer, spec: Spec) -> Element:
    try:
        return writer.spec(spec)
    except ValueError as exc:  # lxml: "All strings must be XML compatible"
        raise XMLWriteError(str(exc), writer.last or spec) from None


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def serialize(root: Element) -> bytes:
    """Pretty UTF-8 bytes with an XML declaration (double-quoted, as people write it)."""
    return _DECLARATION + etree.tostring(
        root, pretty_print=True, xml_declaration=False, encoding="UTF-8"
    )


def dumps_xml(spec: Spec) -> bytes:
    """``spec`` as a pretty-printed UTF-8 WSLA document with an XML declaration."""
    return serialize(to_tree(spec))
