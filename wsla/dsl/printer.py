"""The canonical ``.wsla`` printer: model → text, deterministic and idempotent.

``dumps_dsl(spec)`` prints a spec in the one canonical layout (two-space indentation,
statements of a block grouped by kind in WSLA's document order, minimal parentheses).
The formatter (:func:`wsla.dsl.format_source`) uses the same printer with the comments of
the source file: each comment is printed before the statement that followed it, and a
comment that ended a line of code stays at the end of that line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from wsla.dsl import vocabulary as vocab
from wsla.dsl.grammar import call_signature
from wsla.dsl.quantities import convert, literal_text, parameter_units
from wsla.model import (
    ActionDescription,
    ActionGuarantee,
    ActionInvocation,
    And,
    Arithmetic,
    CalendarPeriod,
    Comparison,
    Constant,
    ConstantRef,
    DirectiveAssignment,
    DirectiveVariable,
    Expression,
    FalsePredicate,
    FloatScalar,
    Function,
    GetPostActionDescription,
    Implies,
    LongScalar,
    MeasurementDirective,
    Metric,
    MetricMacroDefinition,
    MetricMacroExpansion,
    MetricRef,
    NewValuePredicate,
    Not,
    Notification,
    ObligationGroup,
    Obligations,
    OnSchedule,
    OperationGroup,
    Or,
    Party,
    Period,
    QualifiedAction,
    Schedule,
    ServiceDefinition,
    ServiceLevelObjective,
    ServiceObject,
    SLAParameter,
    SoapActionDescription,
    SoapOperation,
    Spec,
    StringOperation,
    StringScalar,
    SupportingParty,
    TimePeriod,
    Trigger,
    TruePredicate,
    ViolationPredicate,
    WebHosting,
)
from wsla.model.span import Span

INDENT = "  "

Position = tuple[int, int]


def dumps_dsl(spec: Spec) -> str:
    """The canonical ``.wsla`` text of ``spec``.

    >>> from wsla.dsl.reader import loads_dsl
    >>> spec, _ = loads_dsl("sla Demo { provider P consumer C obligations }")
    >>> print(dumps_dsl(spec), end="")
    sla Demo {
      provider P
      consumer C
    <BLANKLINE>
      obligations
    }
    """
    return Printer().document(spec)


class PrintedComment:
    """A comment to re-attach: its text and where it stood in the source."""

    __slots__ = ("end", "own_line", "start", "text")

    def __init__(self, text: str, start: Position, end: Position, own_line: bool) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.own_line = own_line


class Printer:
    """Prints one spec; optionally re-attaches comments by source position."""

    def __init__(self, comments: Sequence[PrintedComment] = ()) -> None:
        self.lines: list[str] = []
        self.comments = list(comments)
        self.next_comment = 0
        self.last_line: int | None = None
        """Source line of the code that ended the last printed line."""
        self.units: Mapping[str, str | None] = {}
        """SLA parameter units: a value written with a unit is printed so when it still
        converts to the value (see :func:`expression`)."""

    # --- output and comments ---------------------------------------------------------

    def document(self, spec: Spec) -> str:
        self.spec(spec)
        self.flush(None, 0)
        return "\n".join(self.lines) + "\n"

    def flush(self, before: Position | None, depth: int) -> None:
        """Print every pending comment that starts before ``before`` (all when None)."""
        while self.next_comment < len(self.comments):
            comment = self.comments[self.next_comment]
            if before is not None and comment.start >= before:
                return
            self.next_comment += 1
            if not comment.own_line and self.lines and self.last_line == comment.start[0]:
                self._attach(comment)
            else:
                text_lines = comment.text.splitlines() or [""]
                self.lines.append(INDENT * depth + text_lines[0])
                self.lines.extend(text_lines[1:])
                self.last_line = comment.end[0]

    def line(self, depth: int, text: str, node: Any, *, end: bool = True) -> None:
        """Print one statement line for ``node`` (comments before it first)."""
        span: Span | None = getattr(node, "span", None)
        if span is not None:
            self.flush((span.line, span.column), depth)
        else:
            self.flush_trailing()
        self.lines.append(INDENT * depth + text)
        # a line without a source position takes no trailing comment
        self.last_line = None
        if span is not None:
            self.last_line = (span.end_line or span.line) if end else span.line

    def _attach(self, comment: PrintedComment) -> None:
        """Append ``comment`` to the last line of code (a blank separator may follow it)."""
        at = len(self.lines) - 1
        while at > 0 and self.lines[at] == "":
            at -= 1
        first, *rest = comment.text.splitlines() or [""]
        self.lines[at] += "  " + first
        self.lines[at + 1 : at + 1] = rest
        self.last_line = comment.end[0]

    def flush_trailing(self) -> None:
        """Keep a comment that ended the last printed line of code on that line."""
        while self.next_comment < len(self.comments):
            comment = self.comments[self.next_comment]
            if comment.own_line or self.last_line != comment.start[0] or not self.lines:
                return
            self.next_comment += 1
            self._attach(comment)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "" and not self.lines[-1].endswith("{"):
            self.lines.append("")

    def block(
        self,
        depth: int,
        header: str,
        node: Any,
        sections: Sequence[Sequence[Callable[[int], None]]],
    ) -> None:
        """``header { … }`` with its sections separated by blank lines; no braces when
        every section is empty."""
        if not any(sections):
            self.line(depth, header, node)
            return
        self.line(depth, header + " {", node, end=False)
        for section in sections:
            if not section:
                continue
            self.blank()
            for index, emit in enumerate(section):
                emit(depth + 1)
                if index + 1 < len(section) and self.lines and self.lines[-1].endswith("}"):
                    self.blank()
        span: Span | None = getattr(node, "span", None)
        self.flush_trailing()
        if span is not None and span.end_line is not None and span.end_column is not None:
            self.flush((span.end_line, span.end_column), depth + 1)
        self.lines.append(INDENT * depth + "}")
        if span is not None:
            self.last_line = span.end_line

    # --- document ------------------------------------------------------------------------

    def spec(self, spec: Spec) -> None:
        self.units = parameter_units(spec)
        parties = spec.parties
        self.block(
            0,
            _header("sla", spec.name),
            spec,
            [
                [_bind(self.party, p) for p in parties.all()],
                *[[_bind(self.service_object, s)] for s in spec.service_definitions],
                [_bind(self.obligations, spec.obligations)],
            ],
        )

    def party(self, party: Party, depth: int) -> None:
        header = _header(_PARTY_WORDS[type(party).__name__], party.name)
        if isinstance(party, SupportingParty):
            if party.sponsors:
                header += " sponsors " + ", ".join(map(vocab.format_name, party.sponsors))
            if party.roles:
                header += " roles " + ", ".join(r.value for r in party.roles)
        items: list[Callable[[int], None]] = []
        if party.contact is not None:
            contact = party.contact
            text = (
                f"contact(street={vocab.quote(contact.street)}, city={vocab.quote(contact.city)})"
            )
            items.append(lambda d: self.line(d, text, contact))
        items.extend(_bind(self.action, a) for a in party.actions)
        self.block(depth, header, party, [items])

    def action(self, action: ActionDescription, depth: int) -> None:
        text = _header("action", action.name) + " "
        if isinstance(action, SoapActionDescription):
            text += _soap(action)
        elif isinstance(action, GetPostActionDescription):
            args = []
            if action.service_name is not None:
                args.append(f"service={vocab.quote(action.service_name)}")
            args.append(f"address={vocab.quote(action.address)}")
            text += f"getpost({', '.join(args)})"
        if action.party_name is not None:
            text += " by " + vocab.format_name(action.party_name)
        self.line(depth, text, action)

    # --- service objects -----------------------------------------------------------------

    def service_object(self, obj: ServiceObject, depth: int) -> None:
        header = _header(_OBJECT_WORDS[type(obj).__name__], obj.name)
        if isinstance(obj, SoapOperation):
            header += " " + _soap(obj)
        elif isinstance(obj, StringOperation):
            header += " described " + vocab.quote(obj.description)
        elif isinstance(obj, WebHosting) and obj.coverage:
            header += " covers " + ", ".join(map(vocab.quote, obj.coverage))
        sections: list[list[Callable[[int], None]]] = [
            [_bind(self.schedule, s) for s in obj.schedules],
            [_bind(self.trigger, t) for t in obj.triggers],
            [_bind(self.constant, c) for c in obj.constants],
            [_bind(self.macro, m) for m in obj.macro_definitions],
            [_bind(self.expansion, e) for e in obj.macro_expansions],
            [_bind(self.parameter, p) for p in obj.parameters],
            [_bind(self.metric, m) for m in obj.metrics],
        ]
        if isinstance(obj, ServiceDefinition | OperationGroup):
            sections.append([_bind(self.service_object, o) for o in obj.operations])
        if isinstance(obj, ServiceDefinition):
            sections.append([_bind(self.service_object, g) for g in obj.operation_groups])
            sections.append([_bind(self.service_object, w) for w in obj.web_hostings])
        self.block(depth, header, obj, sections)

    def schedule(self, schedule: Schedule, depth: int) -> None:
        text = (
            f"{_header('schedule', schedule.name)} every "
            f"{vocab.format_interval(schedule.interval)} {_period(schedule.period)}"
        )
        self.line(depth, text, schedule)

    def trigger(self, trigger: Trigger, depth: int) -> None:
        text = f"{_header('trigger', trigger.name)} at {vocab.format_datetime(trigger.time)}"
        self.line(depth, text, trigger)

    def constant(self, constant: Constant, depth: int) -> None:
        self.line(
            depth, f"{_header('const', constant.name)} = {_literal(constant.value)}", constant
        )

    def macro(self, macro: MetricMacroDefinition, depth: int) -> None:
        self.block(
            depth,
            _header("macro", macro.name),
            macro,
            [[_bind(self.metric, m) for m in macro.metrics]],
        )

    def expansion(self, expansion: MetricMacroExpansion, depth: int) -> None:
        header = _header("expand", expansion.macro_name)
        if expansion.expansion_name is not None:
            header += " as " + vocab.format_name(expansion.expansion_name)
        self.block(
            depth, header, expansion, [[_bind(self.assignment, a) for a in expansion.assignments]]
        )

    def assignment(self, assignment: DirectiveAssignment, depth: int) -> None:
        text = f"{_header('assign', assignment.metric_name)} = {_directive(assignment.directive)}"
        self.line(depth, text, assignment)

    def parameter(self, parameter: SLAParameter, depth: int) -> None:
        text = _declared("parameter", parameter.name, parameter.type, parameter.unit)
        text += " = " + vocab.format_name(parameter.metric)
        comm = parameter.communication
        if comm is not None:
            text += " source " + vocab.format_name(comm.source)
            if comm.pull is not None:
                text += " pull " + _names(comm.pull)
            if comm.push is not None:
                text += " push " + _names(comm.push)
        self.line(depth, text, parameter)

    def metric(self, metric: Metric, depth: int) -> None:
        text = _declared("metric", metric.name, metric.type, metric.unit)
        if metric.counter is not None:
            text += " counter " + ("true" if metric.counter else "false")
        text += " by " + vocab.format_name(metric.source)
        if metric.metric_uri is not None:
            text += " uri " + vocab.quote(metric.metric_uri)
        text += " = " + _definition(metric.definition)
        self.line(depth, text, metric)

    # --- obligations -----------------------------------------------------------------------

    def obligations(self, obligations: Obligations | ObligationGroup, depth: int) -> None:
        word = "obligations" if isinstance(obligations, Obligations) else "group"
        sections: list[list[Callable[[int], None]]] = [
            [_bind(self.constant, c) for c in obligations.constants],
            [_bind(self.slo, s) for s in obligations.slos],
            [_bind(self.guarantee, g) for g in obligations.guarantees],
        ]
        if isinstance(obligations, Obligations):
            sections.append([_bind(self.obligations, g) for g in obligations.groups])
        self.block(depth, _header(word, obligations.name), obligations, sections)

    def slo(self, slo: ServiceLevelObjective, depth: int) -> None:
        header = (
            f"{_header('slo', slo.name)} obliged {vocab.format_name(slo.obliged)} "
            f"{_evaluation(slo.evaluation)}"
        )
        items: list[Callable[[int], None]] = [
            _bind(lambda p, d: self.line(d, "valid " + _period(p), p), period)
            for period in slo.validity
        ]
        items.append(
            lambda d: self.line(d, expression(slo.expression, units=self.units), slo.expression)
        )
        self.line(depth, header + " {", slo, end=False)
        for emit in items:
            emit(depth + 1)
        self.close(depth, slo)

    def guarantee(self, guarantee: ActionGuarantee, depth: int) -> None:
        header = _header("guarantee", guarantee.name)
        if guarantee.obliged:
            header += " obliged " + ", ".join(map(vocab.format_name, guarantee.obliged))
        header += " " + _evaluation(guarantee.evaluation)
        self.line(depth, header + " {", guarantee, end=False)
        self.line(
            depth + 1,
            "when " + expression(guarantee.expression, units=self.units),
            guarantee.expression,
        )
        for action in guarantee.actions:
            self.line(depth + 1, _qualified(action), action)
        self.line(depth + 1, "modality " + vocab.MODALITY_NAMES[guarantee.modality], None)
        # the modality has no node of its own: a comment after it on its line stays there
        span = guarantee.span
        while span is not None and self.next_comment < len(self.comments):
            comment = self.comments[self.next_comment]
            if comment.own_line or comment.start >= (span.end_line or 0, span.end_column or 0):
                break
            self.next_comment += 1
            self._attach(comment)
        self.close(depth, guarantee)

    def close(self, depth: int, node: Any) -> None:
        span: Span | None = getattr(node, "span", None)
        self.flush_trailing()
        if span is not None and span.end_line is not None and span.end_column is not None:
            self.flush((span.end_line, span.end_column), depth + 1)
        self.lines.append(INDENT * depth + "}")
        if span is not None:
            self.last_line = span.end_line


_PARTY_WORDS = {
    "ServiceProvider": "provider",
    "ServiceConsumer": "consumer",
    "SupportingParty": "supporting",
}
_OBJECT_WORDS = {
    "ServiceDefinition": "service",
    "Operation": "operation",
    "SoapOperation": "operation",
    "StringOperation": "operation",
    "OperationGroup": "group",
    "WebHosting": "hosting",
}


def _bind(method: Callable[[Any, int], None], node: Any) -> Callable[[int], None]:
    return lambda depth: method(node, depth)


def _header(word: str, name: str | None) -> str:
    return word if name is None else f"{word} {vocab.format_name(name)}"


def _names(names: Sequence[str]) -> str:
    return "[" + ", ".join(map(vocab.format_name, names)) + "]"


def _declared(word: str, name: str | None, type_: Any, unit: str | None) -> str:
    text = _header(word, name)
    if type_ is not None:
        text += ": " + type_.value
    if unit is not None:
        text += " in " + (unit if vocab.is_bare_name(unit) else vocab.quote(unit))
    return text


def _literal(value: str | int | float) -> str:
    if isinstance(value, str):
        return vocab.quote(value)
    if isinstance(value, float):
        return vocab.format_float(value)
    return str(value)


def _soap(node: SoapActionDescription | SoapOperation) -> str:
    args = [f"wsdl={vocab.quote(node.wsdl_file)}"]
    if node.service_name is not None:
        args.append(f"service={vocab.quote(node.service_name)}")
    args.append(f"binding={vocab.quote(node.soap_binding_name)}")
    args.append(f"operation={vocab.quote(node.soap_operation_name)}")
    return f"soap({', '.join(args)})"


def _period(period: Period) -> str:
    if isinstance(period, TimePeriod):
        return f"from {vocab.format_datetime(period.start)} to {vocab.format_datetime(period.end)}"
    assert isinstance(period, CalendarPeriod)
    args = ", ".join(
        f"{key}={vocab.quote(getattr(period, field))}" for key, field in vocab.CALENDAR_FIELDS
    )
    return f"calendar({args})"


def _evaluation(evaluation: Any) -> str:
    if isinstance(evaluation, OnSchedule):
        return "on schedule " + vocab.format_name(evaluation.schedule)
    return "on new value"


def _definition(definition: Any) -> str:
    if isinstance(definition, DirectiveVariable):
        return "hole"
    if isinstance(definition, MeasurementDirective):
        return _directive(definition)
    return arithmetic(definition)


def _directive(directive: MeasurementDirective) -> str:
    name = vocab.directive_call_names()[type(directive)]
    text = f"measure {name}({_arguments(directive, 'directive')})"
    if directive.result_type is not None:
        text += " as " + directive.result_type.value
    return text


def _arguments(node: Any, family: str) -> str:
    primary = []
    keyed = []
    for key, field, kind, _required in call_signature(type(node), family):
        value = getattr(node, field)
        if value is None:
            continue
        text = _value(value, kind)
        if key:
            keyed.append(f"{key}={text}")
        else:
            primary.append(text)
    return ", ".join(primary + keyed)


def _value(value: Any, kind: str) -> str:
    if kind == "string":
        return vocab.quote(value)
    if kind == "name":
        return vocab.format_name(value)
    if kind == "int":
        return str(value)
    if kind == "float":
        return vocab.format_float(value)
    if kind == "interval":
        return vocab.format_interval(value)
    return arithmetic(value)


# --- expressions -----------------------------------------------------------------------

_ARITH_LEVEL = {"Plus": 1, "Minus": 1, "Times": 2, "Divide": 2}


def arithmetic(node: Any, level: int = 0) -> str:
    """An operand as infix text; parenthesised when its precedence is below ``level``."""
    if isinstance(node, Arithmetic):
        own = _ARITH_LEVEL[type(node).__name__]
        text = f"{arithmetic(node.left, own)} {node.symbol} {arithmetic(node.right, own + 1)}"
        if node.result_type is not None:
            return f"({text}) as {node.result_type.value}"
        return f"({text})" if own < level else text
    if isinstance(node, Function):
        name = vocab.function_call_names()[type(node)]
        text = f"{name}({_arguments(node, 'function')})"
        if node.result_type is not None:
            text += " as " + node.result_type.value
        return text
    if isinstance(node, MetricRef):
        return vocab.format_name(node.name)
    if isinstance(node, ConstantRef):
        return "const " + vocab.format_name(node.name)
    if isinstance(node, LongScalar):
        return str(node.value)
    if isinstance(node, FloatScalar):
        return vocab.format_float(node.value)
    if isinstance(node, StringScalar):
        return vocab.quote(node.value)
    raise TypeError(f"not an operand: {node!r}")


_LOGIC_LEVEL = {"Implies": 1, "Or": 2, "And": 3}
_NO_UNITS: Mapping[str, str | None] = MappingProxyType({})


def expression(
    node: Expression, level: int = 0, *, units: Mapping[str, str | None] = _NO_UNITS
) -> str:
    """A logical expression; ``implies`` is right-associative, ``and``/``or`` left.

    A comparison value written with a unit (``500 ms``) is printed as written when,
    with the parameter units ``units``, it still converts to the value; otherwise (a
    model from XML, a changed value or unit) the plain number is printed.
    """
    if isinstance(node, Implies):
        left = expression(node.left, 2, units=units)
        text = f"{left} implies {expression(node.right, 1, units=units)}"
        return f"({text})" if level > 1 else text
    if isinstance(node, Or | And):
        own = _LOGIC_LEVEL[type(node).__name__]
        word = "or" if isinstance(node, Or) else "and"
        left = expression(node.left, own, units=units)
        text = f"{left} {word} {expression(node.right, own + 1, units=units)}"
        return f"({text})" if own < level else text
    if isinstance(node, Not):
        return "not " + expression(node.operand, 4, units=units)
    if isinstance(node, Comparison):
        return f"{vocab.format_name(node.parameter)} {node.symbol} {_compared(node, units)}"
    if isinstance(node, TruePredicate):
        return "true"
    if isinstance(node, FalsePredicate):
        return "false"
    if isinstance(node, NewValuePredicate):
        return "new value(" + ", ".join(map(vocab.format_name, node.parameters)) + ")"
    if isinstance(node, ViolationPredicate):
        return f"violation({vocab.format_name(node.slo)})"
    raise TypeError(f"not an expression: {node!r}")


def _compared(node: Comparison, units: Mapping[str, str | None]) -> str:
    written = node.written
    if written is not None and node.parameter in units:
        value = convert(node, written, units)
        if isinstance(value, float) and (
            value == node.value or (math.isnan(value) and math.isnan(node.value))
        ):
            return literal_text(written)
    return vocab.format_float(node.value)


def _qualified(action: QualifiedAction) -> str:
    text = "do " + vocab.format_name(action.party)
    inner = action.action
    if inner.action_name is not None:
        text += "." + vocab.format_name(inner.action_name)
    if isinstance(inner, Notification):
        kind = inner.notification_type.value
        text += (
            f"(type={kind}, cause={vocab.format_name(inner.causing_guarantee)}, "
            f"parameters={_names(inner.parameters)})"
        )
    else:
        assert isinstance(inner, ActionInvocation)
    return text


__all__ = ["Printer", "arithmetic", "dumps_dsl", "expression"]
