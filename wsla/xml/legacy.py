"""The 2002 dialect of WSLA, rewritten in memory into valid WSLA 1.0.

Documents written for the 2002 publications (the stock quote example among them) use a
handful of constructs that the 1.0 schema rejects. wsla reads them anyway: each construct
kind gives one warning code with a fix hint, and the tree is rewritten before XSD
validation, so the rest of the pipeline only ever sees 1.0. ``wsla fmt``/``wsla convert``
then write the 1.0 form. See ``docs/xml-mapping.md``.
"""

from __future__ import annotations

from lxml import etree

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.model.registry import FUNCTION_TYPES
from wsla.model.types import WSLA_NS, Role
from wsla.xml.mapping import XSI_TYPE, element_fields
from wsla.xml.source import SourceText, element_span, shorten

__all__ = ["normalize"]

Element = etree._Element

_W = f"{{{WSLA_NS}}}"
_PARTIES = frozenset({_W + "ServiceProvider", _W + "ServiceConsumer", _W + "SupportingParty"})
_ROLES = frozenset(role.value for role in Role)


def _xsi_type(element: Element) -> tuple[str | None, str] | None:
    value = element.get(XSI_TYPE)
    if value is None:
        return None
    prefix, _, local = value.strip().rpartition(":")
    return element.nsmap.get(prefix or None), local


def _with_local(element: Element, local: str) -> str:
    """``element``'s xsi:type value with its local part replaced (same prefix)."""
    value = (element.get(XSI_TYPE) or "").strip()
    prefix, colon, _ = value.rpartition(":")
    return f"{prefix}{colon}{local}"


def _is_integer(text: str) -> bool:
    try:
        int(text.strip())
    except ValueError:
        return False
    return True


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


def _has_schedule_child(namespace: str | None, local: str) -> bool:
    cls = FUNCTION_TYPES.get((namespace or "", local))
    if cls is None:
        return False
    return any(fm.element == "Schedule" for fm in element_fields(cls))


def normalize(
    tree: etree._ElementTree | Element, path: str | None, *, source: bytes | None = None
) -> list[Diagnostic]:
    """Rewrite 2002-dialect constructs in ``tree`` into WSLA 1.0; one warning each."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    text = SourceText(source, path, root.getroottree().docinfo.encoding)
    out: list[Diagnostic] = []
    # Collect first: the rewrites change tags, which must not disturb the iteration.
    role_parties: list[Element] = []
    party_actions: list[Element] = []
    request_urls: list[Element] = []
    long_scalars: list[Element] = []
    function_schedules: list[Element] = []
    for element in root.iter(
        _W + "SupportingParty", _W + "Action", _W + "RequestURL", _W + "LongScalar", _W + "Schedule"
    ):
        tag = element.tag
        parent = element.getparent()
        if tag == _W + "SupportingParty":
            if element.get("role") is not None:
                role_parties.append(element)
        elif tag == _W + "Action":
            if parent is not None and parent.tag in _PARTIES:
                typed = _xsi_type(element)
                if typed == (WSLA_NS, "WSDLSOAPOperationDescriptionType"):
                    party_actions.append(element)
        elif tag == _W + "RequestURL":
            request_urls.append(element)
        elif tag == _W + "LongScalar":
            value = element.text or ""
            if not _is_integer(value) and _is_number(value):
                long_scalars.append(element)
        elif parent is not None and parent.tag == _W + "Function":
            typed = _xsi_type(parent)
            if typed is not None and not _has_schedule_child(*typed):
                function_schedules.append(element)

    for element in role_parties:
        out.append(_fix_role(element, text))
    for element in party_actions:
        span = element_span(text, element)
        element.set(XSI_TYPE, _with_local(element, "WSDLSOAPActionDescriptionType"))
        out.append(
            diagnostic(
                "X051",
                "a party's Action typed WSDLSOAPOperationDescriptionType (2002 dialect); "
                "read as WSDLSOAPActionDescriptionType",
                span,
                help='write xsi:type="WSDLSOAPActionDescriptionType" on party actions',
            )
        )
    for element in request_urls:
        span = element_span(text, element)
        directive = element.getparent()
        typed = _xsi_type(directive) if directive is not None else None
        new = "RequestURI" if typed == (WSLA_NS, "StatusRequest") else "MeasurementURI"
        element.tag = _W + new
        out.append(
            diagnostic(
                "X052",
                f"<RequestURL> (2002 dialect) read as <{new}>",
                span,
                help=f"rename <RequestURL> to <{new}>",
            )
        )
    for element in long_scalars:
        span = element_span(text, element)
        element.tag = _W + "FloatScalar"
        out.append(
            diagnostic(
                "X053",
                f"<LongScalar> holds the non-integer {shorten((element.text or '').strip())!r}; "
                "read as <FloatScalar>",
                span,
                help="write non-integer constants as <FloatScalar>",
            )
        )
    for element in function_schedules:
        span = element_span(text, element)
        function = element.getparent()
        assert function is not None
        typed = _xsi_type(function)
        kind = typed[1] if typed is not None else "function"
        schedule = shorten((element.text or "").strip(), 80)
        function.remove(element)
        out.append(
            diagnostic(
                "X054",
                f"<Schedule>{schedule}</Schedule> inside a {kind} function (2002 dialect) "
                "has no meaning in WSLA 1.0 and was dropped",
                span,
                help=f"sample the input on a schedule with a TSConstructor: a metric "
                f'<Function xsi:type="TSConstructor"><Schedule>{schedule}</Schedule>'
                f"<Metric>…</Metric></Function>, and use that metric as the {kind}'s input",
            )
        )
    out.sort(key=lambda d: (d.span.line, d.span.column) if d.span is not None else (0, 0))
    return out


def _fix_role(element: Element, text: SourceText) -> Diagnostic:
    span = element_span(text, element)
    value = element.attrib.pop("role", "")
    names = value.split()
    existing = {(child.text or "").strip() for child in element.iterchildren(_W + "Role")}
    for name in names:
        if name in existing:
            continue
        # Role elements close the SupportingParty content, so appending keeps the order.
        role = etree.SubElement(element, _W + "Role")
        role.text = name
        role.tail = element[-2].tail if len(element) > 1 else None
    unknown = [n for n in names if n not in _ROLES]
    notes = (f"unknown role(s): {shorten(', '.join(unknown))}",) if unknown else ()
    return diagnostic(
        "X050",
        f'SupportingParty role="{shorten(value)}" (2002 dialect) read as <Role> element(s)',
        span,
        help="write the roles as <Role>…</Role> elements after the <Sponsor>s",
        notes=notes,
    )
