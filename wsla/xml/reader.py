"""Read WSLA XML safely into the object model.

:func:`parse_xml` is the hardened parser (no entities, no DTDs, no network, no XInclude,
libxml2's depth and size limits on); :func:`read_tree` turns a normalised, schema-valid
tree into a :class:`~wsla.model.Spec` with a :class:`~wsla.model.Span` on every node;
:func:`load_xml` runs the whole pipeline: parse → XSD → model, with the legacy
normalisation (and the XSD again) only for a document not valid as written.

Every failure is a coded :class:`~wsla.diagnostics.Diagnostic`; nothing here raises for
bad input.
"""

from __future__ import annotations

import dataclasses
import gc
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any, Final, TypedDict, cast

from lxml import etree

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic, has_errors
from wsla.limits import DEFAULT_LIMITS, Limits
from wsla.model.construct import constructor as _fast
from wsla.model.directives import DIRECTIVE_TYPES, MeasurementDirective
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
    PREDICATE_TYPES,
    ActionGuarantee,
    ActionInvocation,
    And,
    Evaluation,
    Expression,
    Implies,
    NewValuePredicate,
    Not,
    Notification,
    ObligationGroup,
    Obligations,
    OnNewValue,
    OnSchedule,
    Or,
    Predicate,
    QualifiedAction,
    ServiceLevelObjective,
)
from wsla.model.parties import (
    ACTION_DESCRIPTION_TYPES,
    ActionDescription,
    Contact,
    Parties,
    Party,
    ServiceConsumer,
    ServiceProvider,
    SupportingParty,
)
from wsla.model.registry import FUNCTION_TYPES
from wsla.model.service import (
    Communication,
    Constant,
    Definition,
    DirectiveAssignment,
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
    SoapOperation,
    StringOperation,
    Trigger,
    WebHosting,
)
from wsla.model.span import Span
from wsla.model.spec import Spec
from wsla.model.types import (
    WSLA_NS,
    CalendarPeriod,
    ExecutionModality,
    Interval,
    MetricType,
    NotificationType,
    Period,
    Role,
    TimePeriod,
)
from wsla.xml.elements import CALENDAR_ELEMENTS, INTERVAL_ELEMENTS
from wsla.xml.mapping import XSI_TYPE, FieldMap, Kind, child_namespace, element_fields
from wsla.xml.source import SourceText, element_span, shorten

__all__ = ["GLOBAL_ELEMENTS", "load_xml", "parse_xml", "read_tree"]

Element = etree._Element
ElementTree = etree._ElementTree

_W = f"{{{WSLA_NS}}}"
# Tags as constants: building them per comparison costs measurably on 10 MB specs.
_T_ACTION = _W + "Action"
_T_ACTIONGUARANTEE = _W + "ActionGuarantee"
_T_CONSTANT = _W + "Constant"
_T_CONTACT = _W + "Contact"
_T_COVERAGE = _W + "Coverage"
_T_EVALUATIONEVENT = _W + "EvaluationEvent"
_T_FLOAT = _W + "Float"
_T_FLOATSCALAR = _W + "FloatScalar"
_T_FUNCTION = _W + "Function"
_T_INTEGER = _W + "Integer"
_T_LONGSCALAR = _W + "LongScalar"
_T_MEASUREMENTDIRECTIVE = _W + "MeasurementDirective"
_T_MEASUREMENTDIRECTIVEASSIGNMENT = _W + "MeasurementDirectiveAssignment"
_T_MEASUREMENTDIRECTIVEVARIABLE = _W + "MeasurementDirectiveVariable"
_T_METRIC = _W + "Metric"
_T_METRICMACRODEFINITION = _W + "MetricMacroDefinition"
_T_METRICMACROEXPANSION = _W + "MetricMacroExpansion"
_T_METRICURI = _W + "MetricURI"
_T_NOT = _W + "Not"
_T_OBLIGATIONGROUP = _W + "ObligationGroup"
_T_OBLIGED = _W + "Obliged"
_T_OPERATION = _W + "Operation"
_T_OPERATIONGROUP = _W + "OperationGroup"
_T_PARTIES = _W + "Parties"
_T_PREDICATE = _W + "Predicate"
_T_ROLE = _W + "Role"
_T_SLAPARAMETER = _W + "SLAParameter"
_T_SCHEDULE = _W + "Schedule"
_T_SERVICEDEFINITION = _W + "ServiceDefinition"
_T_SERVICELEVELOBJECTIVE = _W + "ServiceLevelObjective"
_T_SOURCE = _W + "Source"
_T_SPONSOR = _W + "Sponsor"
_T_START = _W + "Start"
_T_STRING = _W + "String"
_T_STRINGSCALAR = _W + "StringScalar"
_T_TRIGGER = _W + "Trigger"
_T_WSDLSOAPOPERATION = _W + "WSDLSOAPOperation"
_T_WEBHOSTING = _W + "WebHosting"

GLOBAL_ELEMENTS: frozenset[str] = frozenset(
    {
        "SLA",
        "Parties",
        "Schedule",
        "OperationGroup",
        "Operation",
        "WebHosting",
        "SLAParameter",
        "Metric",
        "MetricMacroDefinition",
        "MetricMacroExpansion",
        "Constant",
        "Trigger",
        "ObligationGroup",
        "QualifiedAction",
        "WSDLSOAPOperation",
    }
)
"""Global elements of the WSLA 1.0 schema: possible document roots."""

# --- parsing -------------------------------------------------------------------------

_UNICODE_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
_ENCODING_ERRORS = frozenset(
    {
        etree.ErrorTypes.ERR_INVALID_ENCODING,
        etree.ErrorTypes.ERR_UNKNOWN_ENCODING,
        etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING,
    }
)


class _BlockExternal(etree.Resolver):
    """Answers every request for an external resource with nothing, and remembers it.

    The parser flags keep libxml2 from *using* DTDs and entities, but libxml2 still
    fetches an external subset or parameter entity in some cases (a namespaced root with
    a DOCTYPE SYSTEM is enough). Routing every fetch here means no file is ever read and
    no connection is ever made, whatever libxml2 decides.
    """

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        self.blocked.append(system_url or public_id or "")
        return self.resolve_string("", context)


class _SafeOptions(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    huge_tree: bool
    dtd_validation: bool
    attribute_defaults: bool
    collect_ids: bool


# The hardening every parser here shares: no entity expansion, no DTD, no network, no
# libxml2 "huge" mode (its own size limits stay on), no defaults or IDs from a DTD.
_SAFE_OPTIONS: Final[_SafeOptions] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "collect_ids": False,
}


def safe_parser() -> tuple[etree.XMLParser, _BlockExternal]:
    """A hardened parser and the resolver that records what it refused to load."""
    # A parser per call: parsers are not thread-safe and carry state.
    parser = etree.XMLParser(**_SAFE_OPTIONS)
    blocker = _BlockExternal()
    parser.resolvers.add(blocker)
    return parser, blocker


def _line_of(data: bytes, marker: bytes, start: int = 0) -> tuple[int, int]:
    """Line number of the first ``marker`` at or after ``start`` and its offset."""
    index = data.find(marker, start)
    if index < 0:
        return 1, start
    return data.count(b"\n", 0, index) + 1, index


def _syntax_diagnostic(exc: etree.XMLSyntaxError, path: str | None) -> Diagnostic:
    line, column = exc.position
    span = Span(path, max(line, 1), max(column, 1))
    message = str(exc.msg or "").strip()
    # libxml2 appends ", line L, column C" which the span already says.
    cut = message.rfind(", line ")
    if cut > 0:
        message = message[:cut]
    # Some messages go on with a line break and a piece of the document (an unfinished
    # CDATA section): the first line says what is wrong, the span says where.
    message = shorten(message.split("\n", 1)[0].strip())
    lower = message.lower()
    if exc.code == etree.ErrorTypes.ERR_DOCUMENT_EMPTY:
        return diagnostic("X001", "the document is empty", span)
    if "amplification" in lower or exc.code == etree.ErrorTypes.ERR_ENTITY_LOOP:
        # libxml2 measures what entity references would expand to even when it does not
        # expand them, and stops a billion-laughs document before we see its DOCTYPE.
        return diagnostic(
            "X010",
            "the document declares and uses entities, which are not allowed "
            "(libxml2 stopped at its entity amplification limit)",
            span,
            help="remove the DOCTYPE and write the text out instead of the entity",
        )
    if "depth" in lower:
        return diagnostic(
            "X013",
            f"elements are nested too deeply ({message})",
            span,
            help="WSLA documents never need more than a few dozen levels; "
            "split nested functions into named metrics",
        )
    if exc.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT or "huge" in lower:
        return diagnostic("X014", f"parser resource limit exceeded: {message}", span)
    if exc.code in _ENCODING_ERRORS:
        return diagnostic(
            "X003",
            f"invalid character encoding: {message}",
            span,
            help="save the file as UTF-8 or declare its encoding in the XML declaration",
        )
    return diagnostic("X002", f"XML is not well-formed: {message}", span)


def parse_xml(
    data: bytes, path: str | None, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[ElementTree | None, list[Diagnostic]]:
    """Parse ``data`` with entity expansion, DTDs, network and XInclude off.

    Returns the tree, or ``None`` with error diagnostics for input that is empty, binary,
    badly encoded, not well-formed, nested too deeply, has more elements than
    ``limits.max_elements`` (L103), declares entities (internal or external), references
    an external DTD, or whose root is not in the WSLA namespace.
    """
    if not data or data.isspace():
        return None, [diagnostic("X001", "the document is empty", Span(path, 1, 1))]
    head = data[:8192]
    if b"\x00" in head and not data.startswith(_UNICODE_MARKS):
        index = head.index(b"\x00")
        line = head.count(b"\n", 0, index) + 1
        return None, [
            diagnostic(
                "X004",
                "the input is binary (it contains NUL bytes), not an XML document",
                Span(path, line, 1),
            )
        ]
    if _too_many_nodes(data, limits.max_elements):
        return None, [
            diagnostic(
                "L103",
                f"the document has more than {limits.max_elements:,} elements "
                "(Limits.max_elements)",
                Span(path, 1, 1),
                help="split the spec, or raise the limit for a trusted document",
            )
        ]
    parser, blocker = safe_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return None, [_syntax_diagnostic(exc, path)]
    tree = root.getroottree()
    diagnostics = _doctype_diagnostics(tree, data, path)
    if blocker.blocked and not diagnostics:
        diagnostics.append(
            diagnostic(
                "X012",
                "the document refers to external resources "
                f"({shorten(', '.join(blocker.blocked))}); they were not loaded",
                Span(path, _line_of(data, b"<!DOCTYPE")[0], 1),
                help="remove the DOCTYPE",
            )
        )
    if diagnostics:
        return None, diagnostics
    namespace = etree.QName(root).namespace
    if namespace != WSLA_NS:
        found = f"namespace {shorten(namespace)!r}" if namespace else "no namespace"
        return None, [
            diagnostic(
                "X020",
                f"root element <{shorten(etree.QName(root).localname)}> is in {found}, "
                f"not in the WSLA namespace",
                element_span(SourceText(data, path, tree.docinfo.encoding), root),
                help=f'declare the WSLA namespace on the root: xmlns="{WSLA_NS}"',
            )
        ]
    return tree, []


# Encodings in which every byte 0x3C is "<" and every 0x2F is "/" (ASCII supersets).
_BYTE_ENCODINGS = re.compile(
    rb"(?i)(?:utf-?8|(?:us-)?ascii|iso[-_]?8859[-_]\d+|latin-?\d+|windows-125\d|cp125\d)\Z"
)
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([^"']{0,40})["']""")
_WIDE_MARKS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00")
_COUNT_CHUNK = 1 << 20


class _TooMany(Exception):
    """Raised by :class:`_NodeCounter` to stop the parser once the limit is crossed."""


class _NodeCounter:
    """Parser target counting elements, comments and processing instructions."""

    def __init__(self, limit: int) -> None:
        self.count = 0
        self.limit = limit
        self.has_doctype = False

    def _one(self) -> None:
        self.count += 1
        if self.count > self.limit:
            raise _TooMany

    def start(self, tag: object, attrib: object) -> None:
        self._one()

    def comment(self, text: object) -> None:
        self._one()

    def pi(self, target: object, data: object = None) -> None:
        self._one()

    def doctype(self, name: object, public_id: object, system_url: object) -> None:
        self.has_doctype = True

    def close(self) -> int:
        return self.count


def _node_bound(data: bytes) -> int:
    """An upper bound on the elements, comments and PIs of ``data``, found at C speed.

    Every one of them begins with a "<" that is not followed by "/", and a "<" in text
    or an attribute must be escaped; a "<" inside a comment or CDATA section only makes
    the bound looser. Entity references become nodes too when a DOCTYPE lets them stand
    unexpanded, so every "&" counts.
    """
    if data.startswith(_WIDE_MARKS):
        # UTF-16/32: each "<" is still a 0x3C byte, but a 0x3C 0x2F pair may be part of
        # a character, so nothing is subtracted.
        return data.count(b"<") + data.count(b"&")
    head = data[:512].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    found = _DECLARED_ENCODING.match(head)
    if not head.startswith(b"<") or (
        found is not None and not _BYTE_ENCODINGS.match(found.group(1).strip())
    ):
        # EBCDIC, UTF-7, ISO-2022…: "<" need not be the byte 0x3C. Count exactly.
        return len(data)
    return data.count(b"<") - data.count(b"</") + data.count(b"&")


def _too_many_nodes(data: bytes, limit: int) -> bool:
    """Whether ``data`` has more than ``limit`` elements (comments and PIs count too),
    decided before libxml2 builds a tree: ten million empty elements (38 MB) would take
    over a gigabyte as a tree.

    The smallest node (an entity reference ``&e;``) takes three bytes, and
    :func:`_node_bound` bounds the count from above at C speed; only when both exceed
    ``limit`` does a streaming parse (no tree, the same hardened options) count exactly,
    stopping at ``limit + 1``.
    """
    if len(data) // 3 <= limit or _node_bound(data) <= limit:
        return False
    counter = _NodeCounter(limit)
    # The options of :func:`safe_parser`, with a target instead of a tree.
    parser = etree.XMLParser(**_SAFE_OPTIONS, target=cast("etree.ParserTarget[int]", counter))
    parser.resolvers.add(_BlockExternal())
    try:
        for at in range(0, len(data), _COUNT_CHUNK):
            parser.feed(data[at : at + _COUNT_CHUNK])
        parser.close()
    except _TooMany:
        return True
    except etree.LxmlError:
        # Not well-formed: the full parse reports it, having built at most ``limit`` nodes.
        return False
    if counter.has_doctype:
        # Entity references left unexpanded are nodes the target never sees.
        return counter.count + data.count(b"&") > limit
    return False


def _doctype_diagnostics(tree: ElementTree, data: bytes, path: str | None) -> list[Diagnostic]:
    docinfo = tree.docinfo
    out: list[Diagnostic] = []
    dtd = docinfo.internalDTD
    if dtd is None and not (docinfo.system_url or docinfo.public_id):
        return out  # no DOCTYPE: spare a search through the whole document
    doctype_line, doctype_at = _line_of(data, b"<!DOCTYPE")
    if docinfo.system_url or docinfo.public_id:
        out.append(
            diagnostic(
                "X012",
                "the DOCTYPE references an external DTD "
                f"({shorten(docinfo.system_url or docinfo.public_id or '')}); it was not loaded",
                Span(path, doctype_line, 1),
                help="remove the DOCTYPE; WSLA documents are checked against the XSD",
            )
        )
    if dtd is None:
        return out
    for entity in dtd.iterentities():
        name = re.escape(str(entity.name).encode())
        found = re.compile(rb"<!ENTITY\s+(?:%\s+)?" + name + rb"\s").search(data, doctype_at)
        span = Span(path, doctype_line, 1)
        if found:
            start = found.start()
            column = start - data.rfind(b"\n", 0, start)
            span = Span(path, data.count(b"\n", 0, start) + 1, column)
        if entity.system_url:
            out.append(
                diagnostic(
                    "X011",
                    f"the DOCTYPE declares the external entity {entity.name!r}; it was not read",
                    span,
                    help="remove the DOCTYPE and write the content into the document",
                )
            )
        else:
            out.append(
                diagnostic(
                    "X010",
                    f"the DOCTYPE declares the entity {entity.name!r}; entities are never expanded",
                    span,
                    help="remove the DOCTYPE and write the text out instead of the entity",
                )
            )
    return out


# --- reading the tree into the model -------------------------------------------------


class _Invalid(Exception):
    """The tree does not have the shape the reader needs (it was not schema-valid)."""

    def __init__(self, element: Element, message: str, code: str = "X034") -> None:
        super().__init__(message)
        self.element = element
        self.message = message
        self.code = code


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _text(element: Element) -> str:
    return element.text or ""


def _parse_long(element: Element) -> int:
    text = _text(element).strip()
    try:
        return int(text)
    except ValueError:
        if text.lstrip("+-").isdigit():
            # Python refuses to convert integers of more than 4300 digits (CVE-2020-10735).
            raise _Invalid(
                element,
                f"<{_local(element.tag)}> holds an integer of {len(text)} digits, "
                "more than wsla can read",
                "X040",
            ) from None
        raise _Invalid(element, f"<{_local(element.tag)}> is not an integer", "X031") from None


def _parse_double(element: Element) -> float:
    text = _text(element).strip()
    try:
        return float(text)
    except ValueError:
        raise _Invalid(element, f"<{_local(element.tag)}> is not a number", "X031") from None


def _parse_bool(element: Element, text: str) -> bool:
    text = text.strip()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise _Invalid(element, f"{text!r} is not a boolean", "X031")


def parse_datetime(text: str) -> datetime:
    """An xs:dateTime as an aware datetime (no offset = UTC). Raises ``ValueError``."""
    text = text.strip()
    next_day = False
    if "T24:00:00" in text:
        # xs:dateTime allows 24:00:00 for the end of a day; Python does not.
        date_part, _, rest = text.partition("T24:00:00")
        rest = rest.lstrip("0123456789.") if rest.startswith(".") else rest
        text = f"{date_part}T00:00:00{rest}"
        next_day = True
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if next_day:
        value += timedelta(days=1)
    return value


# Specs repeat the same few instants (validity periods, schedule periods) thousands of
# times; datetimes are immutable, so one parse per distinct text is enough. Only short
# texts are kept: a date padded with megabytes of blanks is valid too.
_parse_datetime_text = lru_cache(maxsize=4096)(parse_datetime)
_CACHED_DATETIME_CHARS = 64


def _parse_datetime(element: Element) -> datetime:
    text = _text(element)
    try:
        if len(text) <= _CACHED_DATETIME_CHARS:
            return _parse_datetime_text(text)
        return parse_datetime(text)
    except (ValueError, OverflowError):
        raise _Invalid(
            element,
            f"<{_local(element.tag)}> {_text(element).strip()!r} is not a date and time "
            "that wsla can represent (years 1–9999)",
            "X040",
        ) from None


_ELEMENTS_ONLY = etree.Element
_METRIC_TYPES: dict[str, MetricType] = {t.value: t for t in MetricType}
"""``MetricType(text)`` by a dict: calling an Enum costs a microsecond, a lookup 50 ns."""


def _children(element: Element) -> list[Element]:
    # Child elements without comments and PIs, filtered by libxml2 (twice as fast as a
    # comprehension testing each child's tag).
    return list(element.iterchildren(_ELEMENTS_ONLY))


@cache
def _plan(cls: type, skip: frozenset[str] = frozenset()) -> tuple[tuple[FieldMap, str], ...]:
    namespace = getattr(cls, "namespace", WSLA_NS)
    ns = child_namespace(namespace)
    return tuple((fm, f"{{{ns}}}{fm.element}") for fm in element_fields(cls, skip))


def _resolve_qname(element: Element, value: str) -> tuple[str | None, str]:
    prefix, _, local = value.strip().rpartition(":")
    if (prefix or None) == element.prefix:
        # The element's own prefix is bound to the element's own namespace: no need to
        # build the in-scope nsmap (the common case: unprefixed WSLA everywhere).
        tag = element.tag
        if isinstance(tag, str) and tag.startswith("{"):
            return tag[1 : tag.index("}")], local
    return element.nsmap.get(prefix or None), local


class _Reader:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.span: Callable[[Element], Span] = source.span
        # The child elements of an element: in a tree with no comment, PI or entity
        # node (its source says so) plain list() is all of them, and a third faster.
        self.children: Callable[[Element], list[Element]] = list if source.plain() else _children
        self.diagnostics: list[Diagnostic] = []

    # --- shared helpers -----------------------------------------------------------

    def xsi_type(self, element: Element) -> tuple[str | None, str]:
        value = element.get(XSI_TYPE)
        if value is None:
            raise _Invalid(element, f"<{_local(element.tag)}> has no xsi:type", "X032")
        return _resolve_qname(element, value)

    def attr_type(self, element: Element, name: str) -> MetricType | None:
        value = element.get(name)
        if value is None:
            return None
        found = _METRIC_TYPES.get(value)
        if found is None:
            found = _METRIC_TYPES.get(value.strip())
            if found is None:
                raise _Invalid(element, f"{name}={value!r} is not a WSLA type", "X031")
        return found

    def fields(
        self, cls: type, children: list[Element], skip: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """Read the child-element fields of ``cls`` (but ``skip``) from ``children``."""
        out: dict[str, Any] = {}
        n = len(children)
        i = 0
        for fm, tag in _plan(cls, skip):
            kind = fm.kind
            if kind is Kind.INPUT or kind is Kind.INPUTS:
                inputs: list[MetricRef | Function] = []
                while i < n and children[i].tag in _INPUT_TAGS:
                    inputs.append(self.input(children[i]))
                    i += 1
                    if kind is Kind.INPUT:
                        break
                if kind is Kind.INPUTS:
                    out[fm.field] = tuple(inputs)
                elif inputs:
                    out[fm.field] = inputs[0]
                elif not fm.optional:
                    raise _Invalid(children[i] if i < n else children[0], "missing input")
                continue
            if kind is Kind.OPERANDS:
                items: list[Operand] = []
                while i < n and children[i].tag == tag:
                    items.append(self.operand_of(children[i]))
                    i += 1
                out[fm.field] = tuple(items)
                continue
            if i >= n or children[i].tag != tag:
                if fm.optional:
                    continue
                where = children[i] if i < n else (children[-1] if children else None)
                if where is None:
                    raise _Invalid(children[0] if children else etree.Element("x"), "empty")
                raise _Invalid(where, f"expected <{fm.element}>", "X030")
            child = children[i]
            i += 1
            if kind is Kind.TEXT:
                out[fm.field] = _text(child)
            elif kind is Kind.LONG:
                out[fm.field] = _parse_long(child)
            elif kind is Kind.DOUBLE:
                out[fm.field] = _parse_double(child)
            elif kind is Kind.BOOL:
                out[fm.field] = _parse_bool(child, _text(child))
            elif kind is Kind.LIST:
                out[fm.field] = tuple(_text(child).split())
            elif kind is Kind.INTERVAL:
                out[fm.field] = self.interval(child)
            else:
                out[fm.field] = self.operand_of(child)
        if i < n:
            raise _Invalid(children[i], f"unexpected <{_local(children[i].tag)}>", "X030")
        return out

    def interval(self, element: Element) -> Interval:
        values: dict[str, int] = {}
        names = _INTERVAL_FIELDS
        for child in element:
            if isinstance(child.tag, str):
                name = names.get(_local(child.tag))
                if name is None:
                    raise _Invalid(child, f"unexpected <{_local(child.tag)}> in an interval")
                values[name] = _parse_long(child)
        return _fast(Interval)(**values, span=self.span(element))

    def period(self, element: Element) -> Period:
        children = self.children(element)
        if children and children[0].tag == _T_START and len(children) == 2:
            return _fast(TimePeriod)(
                start=_parse_datetime(children[0]),
                end=_parse_datetime(children[1]),
                span=self.span(element),
            )
        if len(children) != len(CALENDAR_ELEMENTS):
            raise _Invalid(element, "a period needs Start and End or the seven Condition…")
        values = {
            name: _text(child) for (name, _), child in zip(CALENDAR_ELEMENTS, children, strict=True)
        }
        return CalendarPeriod(**values, span=self.span(element))

    # --- parties --------------------------------------------------------------------

    def parties(self, element: Element) -> Parties:
        children = self.children(element)
        provider = self.party(children[0], ServiceProvider)
        consumer = self.party(children[1], ServiceConsumer)
        supporting = tuple(self.party(child, SupportingParty) for child in children[2:])
        assert isinstance(provider, ServiceProvider)
        assert isinstance(consumer, ServiceConsumer)
        return Parties(
            provider=provider,
            consumer=consumer,
            supporting=tuple(p for p in supporting if isinstance(p, SupportingParty)),
            span=self.span(element),
        )

    def party(self, element: Element, cls: type[Party]) -> Party:
        if element.tag != _W + cls.element:
            raise _Invalid(element, f"expected <{cls.element}>", "X030")
        span = self.span(element)
        contact: Contact | None = None
        actions: list[ActionDescription] = []
        sponsors: list[str] = []
        roles: list[Role] = []
        for child in element:
            tag = child.tag
            if tag == _T_CONTACT:
                parts = self.children(child)
                contact = Contact(
                    street=_text(parts[0]), city=_text(parts[1]), span=self.span(child)
                )
            elif tag == _T_ACTION:
                actions.append(self.action_description(child))
            elif tag == _T_SPONSOR:
                sponsors.append(_text(child))
            elif tag == _T_ROLE:
                try:
                    roles.append(Role(_text(child).strip()))
                except ValueError:
                    raise _Invalid(child, f"{_text(child)!r} is not a role", "X031") from None
            elif isinstance(tag, str):
                raise _Invalid(child, f"unexpected <{_local(tag)}>", "X030")
        name = element.get("name")
        if cls is SupportingParty:
            return SupportingParty(
                name=name,
                contact=contact,
                actions=tuple(actions),
                sponsors=tuple(sponsors),
                roles=tuple(roles),
                span=span,
            )
        return cls(name=name, contact=contact, actions=tuple(actions), span=span)

    def action_description(self, element: Element) -> ActionDescription:
        ns, local = self.xsi_type(element)
        cls = ACTION_DESCRIPTION_TYPES.get(local) if ns == WSLA_NS else None
        if cls is None:
            raise _Invalid(element, f"unknown party action type {local!r}", "X032")
        values = self.fields(cls, self.children(element))
        return cls(
            name=element.get("name"),
            party_name=element.get("partyName"),
            span=self.span(element),
            **values,
        )

    # --- service objects ----------------------------------------------------------

    def service_object(self, element: Element) -> ServiceObject:
        tag = element.tag
        span = self.span(element)
        lists: dict[str, list[Any]] = {}
        rest: list[Element] = []
        shared = _SHARED
        for child in element:
            ctag = child.tag
            if not isinstance(ctag, str):
                continue
            entry = shared.get(ctag)
            if entry is None or rest:
                rest.append(child)
                continue
            field, read = entry
            lists.setdefault(field, []).append(read(self, child))
        common: dict[str, Any] = {k: tuple(v) for k, v in lists.items()}
        common["name"] = element.get("name")
        common["span"] = span
        if tag == _T_SERVICEDEFINITION:
            operations: list[Operation] = []
            groups: list[OperationGroup] = []
            hostings: list[WebHosting] = []
            for child in rest:
                nested = self.service_object(child)
                if isinstance(nested, Operation):
                    operations.append(nested)
                elif isinstance(nested, OperationGroup):
                    groups.append(nested)
                elif isinstance(nested, WebHosting):
                    hostings.append(nested)
                else:
                    raise _Invalid(child, f"unexpected <{_local(child.tag)}>", "X030")
            return ServiceDefinition(
                **common,
                operations=tuple(operations),
                operation_groups=tuple(groups),
                web_hostings=tuple(hostings),
            )
        if tag == _T_OPERATIONGROUP:
            inner = [self.service_object(child) for child in rest]
            ops = tuple(op for op in inner if isinstance(op, Operation))
            if len(ops) != len(inner):
                raise _Invalid(element, "an OperationGroup holds only operations", "X030")
            return OperationGroup(**common, operations=ops)
        if tag == _T_WEBHOSTING:
            for child in rest:
                if child.tag != _T_COVERAGE:
                    raise _Invalid(child, f"unexpected <{_local(child.tag)}>", "X030")
            return WebHosting(**common, coverage=tuple(_text(c) for c in rest))
        if tag == _T_WSDLSOAPOPERATION:
            cls: type[Operation] = SoapOperation
        elif tag == _T_OPERATION:
            value = element.get(XSI_TYPE)
            if value is None:
                cls = Operation
            else:
                ns, local = _resolve_qname(element, value)
                found = _OPERATION_TYPES.get(local) if ns == WSLA_NS else None
                if found is None:
                    raise _Invalid(element, f"unknown operation type {local!r}", "X032")
                cls = found
        else:
            raise _Invalid(element, f"unexpected <{_local(tag)}>", "X030")
        extra = self.fields(cls, rest, _SERVICE_OBJECT_FIELDS) if cls is not Operation else {}
        if cls is Operation and rest:
            raise _Invalid(rest[0], f"unexpected <{_local(rest[0].tag)}>", "X030")
        return _fast(cls)(**common, **extra)

    def schedule(self, element: Element) -> Schedule:
        children = self.children(element)
        if len(children) != 2:
            raise _Invalid(element, "a Schedule needs Period and Interval", "X030")
        return _fast(Schedule)(
            name=element.get("name"),
            period=self.period(children[0]),
            interval=self.interval(children[1]),
            span=self.span(element),
        )

    def trigger(self, element: Element) -> Trigger:
        children = self.children(element)
        if len(children) != 1:
            raise _Invalid(element, "a Trigger needs one Time", "X030")
        return Trigger(
            name=element.get("name"), time=_parse_datetime(children[0]), span=self.span(element)
        )

    def constant(self, element: Element) -> Constant:
        children = self.children(element)
        if len(children) != 1:
            raise _Invalid(element, "a Constant needs one String, Integer or Float", "X030")
        child = children[0]
        tag = child.tag
        value: str | int | float
        if tag == _T_STRING:
            value = _text(child)
        elif tag == _T_INTEGER:
            value = _parse_long(child)
        elif tag == _T_FLOAT:
            value = _parse_double(child)
        else:
            raise _Invalid(child, f"unexpected <{_local(tag)}>", "X030")
        return Constant(name=element.get("name"), value=value, span=self.span(element))

    def macro_definition(self, element: Element) -> MetricMacroDefinition:
        return MetricMacroDefinition(
            name=element.get("name"),
            metrics=tuple(self.metric(child) for child in self.children(element)),
            span=self.span(element),
        )

    def macro_expansion(self, element: Element) -> MetricMacroExpansion:
        assignments: list[DirectiveAssignment] = []
        for child in self.children(element):
            inner = self.children(child)
            if child.tag != _T_MEASUREMENTDIRECTIVEASSIGNMENT or len(inner) != 1:
                raise _Invalid(child, "expected <MeasurementDirectiveAssignment>", "X030")
            assignments.append(
                DirectiveAssignment(
                    metric_name=child.get("metricName"),
                    directive=self.directive(inner[0]),
                    span=self.span(child),
                )
            )
        return MetricMacroExpansion(
            macro_name=element.get("macroName"),
            expansion_name=element.get("expansionName"),
            assignments=tuple(assignments),
            span=self.span(element),
        )

    def parameter(self, element: Element) -> SLAParameter:
        children = self.children(element)
        if not children or children[0].tag != _T_METRIC:
            raise _Invalid(element, "an SLAParameter needs <Metric>", "X030")
        communication: Communication | None = None
        if len(children) > 1:
            comm = children[1]
            parts = self.children(comm)
            values: dict[str, tuple[str, ...]] = {}
            for part in parts[1:]:
                values[_local(part.tag).lower()] = tuple(_text(part).split())
            communication = _fast(Communication)(
                source=_text(parts[0]),
                pull=values.get("pull"),
                push=values.get("push"),
                span=self.span(comm),
            )
        return _fast(SLAParameter)(
            name=element.get("name"),
            type=self.attr_type(element, "type"),
            unit=element.get("unit"),
            metric=_text(children[0]),
            communication=communication,
            span=self.span(element),
        )

    def metric(self, element: Element) -> Metric:
        children = self.children(element)
        if len(children) < 2 or children[0].tag != _T_SOURCE:
            raise _Invalid(element, "a Metric needs <Source> and a definition", "X030")
        metric_uri: str | None = None
        index = 1
        if children[1].tag == _T_METRICURI:
            metric_uri = _text(children[1])
            index = 2
        if index >= len(children):
            raise _Invalid(element, "a Metric needs a definition", "X030")
        holder = children[index]
        tag = holder.tag
        definition: Definition
        if tag == _T_MEASUREMENTDIRECTIVE:
            definition = self.directive(holder)
        elif tag == _T_FUNCTION:
            definition = self.function(holder)
        elif tag == _T_MEASUREMENTDIRECTIVEVARIABLE:
            definition = DirectiveVariable(span=self.span(holder))
        else:
            raise _Invalid(holder, f"unexpected <{_local(tag)}>", "X030")
        counter = element.get("counter")
        return _fast(Metric)(
            name=element.get("name"),
            type=self.attr_type(element, "type"),
            unit=element.get("unit"),
            counter=None if counter is None else _parse_bool(element, counter),
            source=_text(children[0]),
            metric_uri=metric_uri,
            definition=definition,
            span=self.span(element),
        )

    def directive(self, element: Element) -> MeasurementDirective:
        span = self.span(element)
        ns, local = self.xsi_type(element)
        cls = DIRECTIVE_TYPES.get(local) if ns == WSLA_NS else None
        if cls is None:
            raise _Invalid(element, f"unknown measurement directive type {local!r}", "X032")
        values = self.fields(cls, self.children(element))
        return _fast(cls)(result_type=self.attr_type(element, "resultType"), span=span, **values)

    # --- functions ----------------------------------------------------------------

    def function(self, element: Element) -> Function:
        span = self.span(element)
        ns, local = self.xsi_type(element)
        cls = FUNCTION_TYPES.get((ns or "", local))
        if cls is None:
            raise _Invalid(element, f"unknown function type {local!r}", "X032")
        values = self.fields(cls, self.children(element))
        return _fast(cls)(result_type=self.attr_type(element, "resultType"), span=span, **values)

    def input(self, element: Element) -> MetricRef | Function:
        if element.tag == _T_FUNCTION:
            return self.function(element)
        return _fast(MetricRef)(name=_text(element), span=self.span(element))

    def operand_of(self, wrapper: Element) -> Operand:
        children = self.children(wrapper)
        if len(children) != 1:
            raise _Invalid(wrapper, f"<{_local(wrapper.tag)}> needs exactly one operand", "X030")
        element = children[0]
        tag = element.tag
        if tag == _T_METRIC:
            return _fast(MetricRef)(name=_text(element), span=self.span(element))
        if tag == _T_FUNCTION:
            return self.function(element)
        if tag == _T_LONGSCALAR:
            return _fast(LongScalar)(value=_parse_long(element), span=self.span(element))
        if tag == _T_FLOATSCALAR:
            return _fast(FloatScalar)(value=_parse_double(element), span=self.span(element))
        if tag == _T_STRINGSCALAR:
            return _fast(StringScalar)(value=_text(element), span=self.span(element))
        if tag == _T_CONSTANT:
            return _fast(ConstantRef)(name=_text(element), span=self.span(element))
        raise _Invalid(element, f"<{_local(tag)}> is not an operand", "X030")

    # --- obligations --------------------------------------------------------------

    def obligations(self, element: Element) -> Obligations:
        constants, slos, guarantees, groups = self.obligation_content(element, nested=True)
        return Obligations(
            name=element.get("name"),
            constants=constants,
            slos=slos,
            guarantees=guarantees,
            groups=groups,
            span=self.span(element),
        )

    def obligation_content(
        self, element: Element, nested: bool
    ) -> tuple[
        tuple[Constant, ...],
        tuple[ServiceLevelObjective, ...],
        tuple[ActionGuarantee, ...],
        tuple[ObligationGroup, ...],
    ]:
        constants: list[Constant] = []
        slos: list[ServiceLevelObjective] = []
        guarantees: list[ActionGuarantee] = []
        groups: list[ObligationGroup] = []
        for child in self.children(element):
            tag = child.tag
            if tag == _T_CONSTANT:
                constants.append(self.constant(child))
            elif tag == _T_SERVICELEVELOBJECTIVE:
                slos.append(self.slo(child))
            elif tag == _T_ACTIONGUARANTEE:
                guarantees.append(self.guarantee(child))
            elif tag == _T_OBLIGATIONGROUP and nested:
                groups.append(self.group(child))
            else:
                raise _Invalid(child, f"unexpected <{_local(tag)}>", "X030")
        return tuple(constants), tuple(slos), tuple(guarantees), tuple(groups)

    def group(self, element: Element) -> ObligationGroup:
        constants, slos, guarantees, _ = self.obligation_content(element, nested=False)
        return ObligationGroup(
            name=element.get("name"),
            constants=constants,
            slos=slos,
            guarantees=guarantees,
            span=self.span(element),
        )

    def evaluation(self, element: Element) -> Evaluation:
        if element.tag == _T_EVALUATIONEVENT:
            if _text(element).strip() != "NewValue":
                raise _Invalid(element, "the only EvaluationEvent is NewValue", "X031")
            return _fast(OnNewValue)(span=self.span(element))
        if element.tag == _T_SCHEDULE:
            return _fast(OnSchedule)(schedule=_text(element), span=self.span(element))
        raise _Invalid(element, "expected <EvaluationEvent> or <Schedule>", "X030")

    def slo(self, element: Element) -> ServiceLevelObjective:
        span = self.span(element)
        children = self.children(element)
        if len(children) < 4:
            raise _Invalid(element, "an SLO needs Obliged, Validity, Expression, event", "X030")
        return _fast(ServiceLevelObjective)(
            name=element.get("name"),
            obliged=_text(children[0]),
            validity=tuple(self.period(child) for child in children[1:-2]),
            expression=self.expression(children[-2]),
            evaluation=self.evaluation(children[-1]),
            span=span,
        )

    def guarantee(self, element: Element) -> ActionGuarantee:
        span = self.span(element)
        children = self.children(element)
        obliged: list[str] = []
        i = 0
        while i < len(children) and children[i].tag == _T_OBLIGED:
            obliged.append(_text(children[i]))
            i += 1
        if len(children) < i + 4:
            raise _Invalid(element, "incomplete ActionGuarantee", "X030")
        expression = self.expression(children[i])
        evaluation = self.evaluation(children[i + 1])
        actions = tuple(self.qualified_action(child) for child in children[i + 2 : -1])
        modality_text = _text(children[-1]).strip()
        try:
            modality = ExecutionModality(modality_text)
        except ValueError:
            raise _Invalid(children[-1], f"{modality_text!r} is not a modality", "X031") from None
        return ActionGuarantee(
            name=element.get("name"),
            obliged=tuple(obliged),
            expression=expression,
            evaluation=evaluation,
            actions=actions,
            modality=modality,
            span=span,
        )

    def qualified_action(self, element: Element) -> QualifiedAction:
        span = self.span(element)
        children = self.children(element)
        if len(children) != 2:
            raise _Invalid(element, "a QualifiedAction needs Party and Action", "X030")
        action_el = children[1]
        action: ActionInvocation | Notification
        if action_el.get(XSI_TYPE) is None:
            action = ActionInvocation(
                action_name=action_el.get("actionName"), span=self.span(action_el)
            )
        else:
            ns, local = self.xsi_type(action_el)
            if ns != WSLA_NS or local != "Notification":
                raise _Invalid(action_el, f"unknown action type {local!r}", "X032")
            parts = self.children(action_el)
            if len(parts) != 3:
                raise _Invalid(action_el, "a Notification needs three children", "X030")
            try:
                kind = NotificationType(_text(parts[0]).strip())
            except ValueError:
                raise _Invalid(parts[0], "not a notification type", "X031") from None
            names = tuple(_text(parts[2]).split())
            action = Notification(
                action_name=action_el.get("actionName"),
                notification_type=kind,
                causing_guarantee=_text(parts[1]),
                parameters=() if names == ("NONE",) else names,
                span=self.span(action_el),
            )
        return QualifiedAction(party=_text(children[0]), action=action, span=span)

    def expression(self, holder: Element) -> Expression:
        children = self.children(holder)
        if len(children) != 1:
            raise _Invalid(holder, "an Expression holds exactly one element", "X030")
        element = children[0]
        tag = element.tag
        if tag == _T_PREDICATE:
            return self.predicate(element)
        logic = _LOGIC.get(tag)
        span = self.span(element)
        if logic is not None:
            parts = self.children(element)
            if len(parts) != 2:
                raise _Invalid(element, f"<{_local(tag)}> needs two Expressions", "X030")
            return _fast(logic)(
                left=self.expression(parts[0]), right=self.expression(parts[1]), span=span
            )
        if tag == _T_NOT:
            parts = self.children(element)
            if len(parts) != 1:
                raise _Invalid(element, "<Not> needs one <Expresssion>", "X030")
            return Not(operand=self.expression(parts[0]), span=span)
        raise _Invalid(element, f"<{_local(tag)}> is not an expression", "X030")

    def predicate(self, element: Element) -> Predicate:
        span = self.span(element)
        ns, local = self.xsi_type(element)
        cls = PREDICATE_TYPES.get(local) if ns == WSLA_NS else None
        if cls is None:
            raise _Invalid(element, f"unknown predicate type {local!r}", "X032")
        children = self.children(element)
        if cls is NewValuePredicate:
            if len(children) != 1:
                raise _Invalid(element, "NewValue needs SLAParameter or SLAParameterList")
            names = tuple(_text(children[0]).split())
            if children[0].tag == _T_SLAPARAMETER:
                names = (_text(children[0]),)
            return NewValuePredicate(parameters=names, span=span)
        return _fast(cls)(span=span, **self.fields(cls, children))

    # --- document -----------------------------------------------------------------

    def spec(self, root: Element) -> Spec:
        children = self.children(root)
        if len(children) < 3 or children[0].tag != _T_PARTIES:
            raise _Invalid(root, "an SLA needs Parties, ServiceDefinition and Obligations")
        definitions: list[ServiceDefinition] = []
        for child in children[1:-1]:
            definition = self.service_object(child)
            if not isinstance(definition, ServiceDefinition):
                raise _Invalid(child, f"unexpected <{_local(child.tag)}>", "X030")
            definitions.append(definition)
        return Spec(
            name=root.get("name"),
            parties=self.parties(children[0]),
            service_definitions=tuple(definitions),
            obligations=self.obligations(children[-1]),
            span=self.span(root),
        )


# What a service object may hold, by tag (unbound: a reader holding its own bound
# methods would be a reference cycle, kept alive until the cyclic collector runs).
_SHARED: dict[str, tuple[str, Callable[[_Reader, Element], Any]]] = {
    _T_SCHEDULE: ("schedules", _Reader.schedule),
    _T_TRIGGER: ("triggers", _Reader.trigger),
    _T_CONSTANT: ("constants", _Reader.constant),
    _T_METRICMACRODEFINITION: ("macro_definitions", _Reader.macro_definition),
    _T_METRICMACROEXPANSION: ("macro_expansions", _Reader.macro_expansion),
    _T_SLAPARAMETER: ("parameters", _Reader.parameter),
    _T_METRIC: ("metrics", _Reader.metric),
}
_SERVICE_OBJECT_FIELDS = frozenset(f.name for f in dataclasses.fields(ServiceObject))
_INPUT_TAGS = (_T_METRIC, _T_FUNCTION)
_INTERVAL_FIELDS: dict[str, str] = {child: name for name, child in INTERVAL_ELEMENTS}
_OPERATION_TYPES: dict[str, type[Operation]] = {
    SoapOperation.xsi_type or "": SoapOperation,
    StringOperation.xsi_type or "": StringOperation,
}
_LOGIC: dict[object, type[And] | type[Or] | type[Implies]] = {
    _W + cls.element: cls for cls in (And, Or, Implies)
}


def read_tree(
    tree: ElementTree | Element, path: str | None, *, source: bytes | None = None
) -> tuple[Spec | None, list[Diagnostic]]:
    """The model of a normalised, schema-valid tree; ``source`` (the bytes it was parsed
    from) gives spans their columns.

    A root other than ``SLA`` (a WSLA fragment such as a bare ``Metric``) gives ``None``
    with an X021 info; a tree of the wrong shape gives ``None`` with an error.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    encoding = root.getroottree().docinfo.encoding
    text = SourceText(source, path, encoding)
    reader = _Reader(text)
    qname = etree.QName(root)
    if qname.namespace != WSLA_NS:
        return None, [
            diagnostic(
                "X020",
                f"root element <{qname.localname}> is not in the WSLA namespace",
                reader.span(root),
            )
        ]
    if qname.localname != "SLA":
        if qname.localname in GLOBAL_ELEMENTS:
            return None, [
                diagnostic(
                    "X021",
                    f"the document is a <{qname.localname}> fragment; only an <SLA> is "
                    "loaded as a spec",
                    reader.span(root),
                )
            ]
        return None, [
            diagnostic(
                "X022", f"<{qname.localname}> is not a WSLA global element", reader.span(root)
            )
        ]
    # Building a large model allocates hundreds of thousands of objects that all stay
    # alive; the cyclic GC would rescan them over and over (40 % of the time at 10 MB).
    enabled = gc.isenabled()
    gc.disable()
    try:
        spec = reader.spec(root)
    except _Invalid as exc:
        return None, [
            *reader.diagnostics,
            diagnostic(exc.code, shorten(exc.message, 300), reader.span(exc.element)),
        ]
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        # Only a tree that skipped XSD validation gets here: say so instead of a traceback.
        return None, [
            *reader.diagnostics,
            diagnostic(
                "X034",
                f"the document does not have the structure WSLA requires ({type(exc).__name__})",
                reader.span(root),
                help="validate the document against the XSD (wsla validate) to see where",
            ),
        ]
    finally:
        if enabled:
            gc.enable()
    return spec, reader.diagnostics


def load_xml(
    data: bytes, path: str | None, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[Spec | None, list[Diagnostic]]:
    """Parse, validate against the XSD (normalising the 2002 dialect first when the
    document is not valid as written) and read ``data``."""
    from wsla.xml import schema

    tree, diagnostics = parse_xml(data, path, limits=limits)
    if tree is None:
        return None, diagnostics
    # Every construct of the 2002 dialect breaks the 1.0 schema (an unknown attribute or
    # element, a non-integer xs:long, an xsi:type of the wrong base): a document valid as
    # written has nothing to normalise, and skipping the walk saves a pass over the tree.
    if not schema.is_valid(tree):
        from wsla.xml import legacy

        diagnostics.extend(legacy.normalize(tree, path, source=data))
        errors = schema.validate_tree(tree, path, source=data)
        diagnostics.extend(errors)
        if has_errors(errors):
            return None, diagnostics
    spec, read = read_tree(tree, path, source=data)
    diagnostics.extend(read)
    return spec, diagnostics
