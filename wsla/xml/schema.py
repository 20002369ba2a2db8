"""XSD validation with lxml, and libxml2's errors turned into readable diagnostics.

The schema (``xsd/wsla-ext.xsd`` when present, which imports ``xsd/wsla.xsd``) is compiled
once per process. Each libxml2 error carries the XPath of the offending node, which we
evaluate to find the element: its line and column in a document, or, for a spec that came
from the DSL, the model node (and so the DSL span) that the element was written from.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path

from lxml import etree

from wsla import _resources
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.model.directives import DIRECTIVE_TYPES
from wsla.model.obligations import PREDICATE_TYPES
from wsla.model.parties import ACTION_DESCRIPTION_TYPES
from wsla.model.registry import FUNCTION_TYPES
from wsla.model.span import Span
from wsla.model.spec import Spec
from wsla.model.types import EXT_NS, WSLA_NS
from wsla.xml.mapping import XSI_NS
from wsla.xml.source import SourceText, element_span, shorten

__all__ = ["compiled_schema", "is_valid", "validate_model", "validate_tree"]

Element = etree._Element

_MAX_ERRORS = 200

_NAMESPACE_NOISE = (
    (f"{{{WSLA_NS}}}", ""),
    (f"{{{EXT_NS}}}", "wslax:"),
    (f"{{{XSI_NS}}}", "xsi:"),
)
_ELEMENT_PREFIX = re.compile(r"^Element '([^']+)'(?:, attribute '([^']+)')?: ")
_EXPECTED_TAIL = re.compile(r"\.? ?Expected is (?:one of )?\([^)]*\)\.?$")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")

_CONTENT = frozenset({"SCHEMAV_ELEMENT_CONTENT", "SCHEMAV_CVC_COMPLEX_TYPE_2_4"})
_XSI_TYPE = frozenset({"SCHEMAV_CVC_ELT_4_1", "SCHEMAV_CVC_ELT_4_2", "SCHEMAV_CVC_ELT_4_3"})
_ATTRIBUTE = frozenset(
    {
        "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1",
        "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2",
        "SCHEMAV_CVC_COMPLEX_TYPE_4",
        "SCHEMAV_CVC_AU",
    }
)

_SUBTYPES: dict[str, tuple[str, ...]] = {
    "Function": tuple(local if ns == WSLA_NS else f"wslax:{local}" for ns, local in FUNCTION_TYPES),
    "MeasurementDirective": tuple(DIRECTIVE_TYPES),
    "Predicate": tuple(PREDICATE_TYPES),
    "Action": (*ACTION_DESCRIPTION_TYPES, "Notification"),
    "Operation": ("WSDLSOAPOperationDescriptionType", "StringOperationDescriptionType"),
}


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _compile(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path), _safe_parser()))


@cache
def compiled_schema() -> tuple[etree.XMLSchema | None, str | None]:
    """The compiled WSLA schema (with the extension schema when it compiles), or
    ``(None, reason)`` when the installation lacks it."""
    main = _resources.xsd_path("wsla.xsd")
    if main is None:
        return None, "xsd/wsla.xsd was not found"
    ext = _resources.xsd_path("wsla-ext.xsd")
    if ext is not None:
        try:
            return _compile(ext), None
        except (etree.XMLSchemaParseError, etree.XMLSyntaxError):
            pass  # fall back to WSLA 1.0 alone; extension documents will then fail
    try:
        return _compile(main), None
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        return None, f"xsd/wsla.xsd does not compile: {exc}"


_OTHER_NAMESPACE = re.compile(r"\{[^}]*\}")


def _clean(text: str) -> str:
    for noise, short in _NAMESPACE_NOISE:
        text = text.replace(noise, short)
    return _OTHER_NAMESPACE.sub("", text)


def _help(type_name: str, raw: str, element: Element | None) -> str | None:
    expected = _EXPECTED.search(raw)
    if expected is not None:
        names = [_clean(n.strip()) for n in expected.group(1).split(",") if n.strip()]
        if len(names) == 1:
            return f"expected <{names[0]}> here"
        return "expected one of " + ", ".join(f"<{n}>" for n in names)
    if type_name in _XSI_TYPE or type_name == "SCHEMAV_CVC_TYPE_2":
        if element is None or not isinstance(element.tag, str):
            return None
        local = etree.QName(element).localname
        choices = _SUBTYPES.get(local)
        if not choices:
            return None
        given = shorten((element.get(f"{{{XSI_NS}}}type") or "").rpartition(":")[2], 100)
        close = difflib.get_close_matches(given, choices, n=1) if given else []
        if close:
            return f'did you mean xsi:type="{close[0]}"?'
        return "xsi:type must be one of: " + ", ".join(choices)
    return None


def _message(raw: str) -> tuple[str, str | None, str | None]:
    """libxml2's message without namespace noise, the element's and attribute's names."""
    match = _ELEMENT_PREFIX.match(raw)
    text = raw.strip().rstrip(".")
    name: str | None = None
    attribute: str | None = None
    if match is not None:
        name = _clean(match.group(1))
        attribute = match.group(2)
        rest = _clean(raw[match.end() :].strip().rstrip("."))
        where = f"<{name}>"
        if attribute is not None:
            attribute = _clean(attribute)
            where += f" attribute {attribute!r}"
        text = f"{where}: {rest[:1].lower()}{rest[1:]}"
    return _clean(_EXPECTED_TAIL.sub("", text)), name, attribute


def _code(type_name: str, raw: str) -> str:
    if type_name == "SCHEMAV_CVC_ELT_1":
        return "X022"
    if type_name in _CONTENT:
        return "X030"
    if type_name in _XSI_TYPE:
        return "X032"
    if type_name == "SCHEMAV_CVC_TYPE_2" and "abstract" in raw:
        return "X032"
    if type_name in _ATTRIBUTE:
        return "X033"
    if "VALID" in type_name or "FACET" in type_name or "DATATYPE" in type_name:
        return "X031"
    return "X034"


def _prefixes(tree: etree._ElementTree) -> dict[str, str]:
    """Every prefix declared in ``tree``: libxml2's error paths use the document's own.

    Only the declarations are visited: the XPath namespace axis would list every
    in-scope namespace of every element, elements times declarations (a million empty
    elements took a gigabyte, 10,000 declarations on the root a minute).
    """
    out: dict[str, str] = {}
    for _, item in etree.iterwalk(tree, events=("start-ns",)):
        if isinstance(item, tuple) and item[0]:
            out.setdefault(str(item[0]), str(item[1]))
    return out


_PREFIX = re.compile(r"([A-Za-z_][\w.-]*):")


def _find(tree: etree._ElementTree, xpath: str | None, prefixes: dict[str, str]) -> Element | None:
    if not xpath:
        return None
    # Only the prefixes this path uses: registering thousands per query is slow.
    used = {p: prefixes[p] for p in set(_PREFIX.findall(xpath)) if p in prefixes}
    try:
        found = tree.xpath(xpath, namespaces=used)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


_Error = tuple[str, str, str | None, Element | None, int, str | None]


def _errors(schema: etree.XMLSchema, tree: etree._ElementTree) -> list[_Error]:
    """``(code, message, help, element, line, attribute)`` per error, noise removed."""
    out: list[_Error] = []
    typed_paths: set[str] = set()
    prefixes: dict[str, str] | None = None
    for entry in schema.error_log:
        raw = entry.message or ""
        type_name = entry.type_name
        path = entry.path
        if type_name in _XSI_TYPE and path:
            typed_paths.add(path)
        elif type_name == "SCHEMAV_CVC_TYPE_2" and path in typed_paths:
            continue  # "type is abstract" after a bad xsi:type says nothing new
        if prefixes is None:
            prefixes = _prefixes(tree)
        element = _find(tree, path, prefixes)
        message, name, attribute = _message(raw)
        code = _code(type_name, raw)
        help_text = _help(type_name, raw, element)
        local = etree.QName(element).localname if element is not None else name or "element"
        given = element.get(f"{{{XSI_NS}}}type") if element is not None else None
        if code == "X032" and type_name == "SCHEMAV_CVC_TYPE_2":
            message = f"<{local}> needs an xsi:type naming one of its subtypes"
        elif type_name == "SCHEMAV_CVC_ELT_4_2" and given is not None:
            message = f"<{local}>: unknown xsi:type {shorten(given)!r}"
        elif type_name == "SCHEMAV_CVC_ELT_4_3" and given is not None:
            message = f"<{local}>: xsi:type {shorten(given)!r} is not a kind of <{local}>"
        message = shorten(message, 300)
        out.append((code, message, help_text, element, entry.line, attribute))
        if len(out) >= _MAX_ERRORS:
            break
    return out


def is_valid(tree: etree._ElementTree | Element) -> bool:
    """Whether ``tree`` is valid against the schema (``False`` when there is none): the
    check alone, without working out diagnostics."""
    schema, _ = compiled_schema()
    if schema is None:
        return False
    doc = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
    return schema.validate(doc)


def validate_tree(
    tree: etree._ElementTree | Element, path: str | None, *, source: bytes | None = None
) -> list[Diagnostic]:
    """XSD errors of ``tree`` as diagnostics located in the document ``path``.

    ``source`` (the parsed bytes) lets spans carry columns; without it columns are 1.
    """
    schema, reason = compiled_schema()
    if schema is None:
        return [diagnostic("X090", f"cannot validate: {reason}", Span(path, 1, 1))]
    doc = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
    if schema.validate(doc):
        return []
    text = SourceText(source, path, doc.docinfo.encoding)
    out: list[Diagnostic] = []
    for code, message, help_text, element, line, attribute in _errors(schema, doc):
        span = Span(path, max(line, 1), 1)
        if element is not None:
            span = element_span(text, element)
            if attribute is not None:
                span = _attribute_span(text, span, element, attribute)
        out.append(diagnostic(code, message, span, help=help_text))
    return out


def _attribute_span(text: SourceText, tag: Span, element: Element, attribute: str) -> Span:
    """Where ``attribute=`` is written in ``element``'s start tag (else the tag)."""
    last = max(element.sourceline or tag.line, tag.line)
    for line in range(tag.line, last + 1):
        content = text.line_text(line)
        if content is None:
            break
        start = tag.column if line == tag.line else 0
        index = content.find(f"{attribute}=", start)
        if index >= 0:
            return Span(tag.path, line, index + 1)
    return tag


def validate_model(spec: Spec) -> list[Diagnostic]:
    """Write ``spec`` to WSLA XML, validate it, and locate each error on the model node
    (and so the source span, e.g. in a ``.wsla`` file) the offending element came from."""
    from wsla.xml.writer import XMLWriteError, serialize, to_tree_with_map

    schema, reason = compiled_schema()
    if schema is None:
        return [diagnostic("X090", f"cannot validate: {reason}", spec.span)]
    try:
        root, pairs = to_tree_with_map(spec)
    except XMLWriteError as exc:
        return [
            diagnostic(
                "X031",
                f"a value cannot be written as XML: {exc}",
                getattr(exc.node, "span", None) or spec.span,
                help="remove control characters (other than tab and newline) from names and texts",
            )
        ]
    # Validate what a user would get from `wsla convert`, so line numbers are meaningful.
    data = serialize(root)
    written = etree.fromstring(data, _safe_parser()).getroottree()
    if schema.validate(written):
        return []
    nodes: dict[Element, object] = dict(pairs)
    built = root.getroottree()
    out: list[Diagnostic] = []
    for code, message, help_text, element, line, _ in _errors(schema, written):
        span: Span | None = None
        if element is not None:
            counterpart = _find(built, written.getpath(element), {})
            while counterpart is not None and span is None:
                node = nodes.get(counterpart)
                span = getattr(node, "span", None) if node is not None else None
                counterpart = counterpart.getparent()
        out.append(
            diagnostic(
                code,
                message,
                span or spec.span,
                help=help_text,
                notes=(f"in the WSLA XML written from this spec, line {line}",),
            )
        )
    return out
