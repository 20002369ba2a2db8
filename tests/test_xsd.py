"""The WSLA 1.0 schema ``xsd/wsla.xsd``: it compiles, and accepts and rejects the right documents.

Every case under ``tests/xsd_cases/`` is run through both validators we ship with (libxml2 via
lxml, and the pure-Python ``xmlschema``); they must agree. Each invalid case starts with a
comment ``INVALID: <why>`` and a line ``lxml-error: <text>`` naming a fragment of the libxml2
message, so that a case cannot pass by failing for an unintended reason (a typo, say).

``tests/xsd_cases/ext/`` holds a test-only schema in another namespace that imports ours and
derives from its abstract bases, the way ``xsd/wsla-ext.xsd`` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "xsd" / "wsla.xsd"
CASES = Path(__file__).resolve().parent / "xsd_cases"
TEST_EXT_SCHEMA = CASES / "ext" / "test-ext.xsd"
VALID = sorted((CASES / "valid").glob("*.xml"))
INVALID = sorted((CASES / "invalid").glob("*.xml"))
EXT_VALID = sorted((CASES / "ext").glob("valid_*.xml"))
EXT_INVALID = sorted((CASES / "ext").glob("invalid_*.xml"))

WSLA = "http://www.ibm.com/wsla"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XS = "{http://www.w3.org/2001/XMLSchema}"

# notes/xml-conventions.md: the complexType names xsi:type can name, by base type, and whether
# the base is abstract (then xsi:type is required).
SUBTYPES: dict[str, tuple[bool, tuple[str, ...]]] = {
    "ActionDescriptionType": (
        True,
        ("WSDLSOAPActionDescriptionType", "WSDLGetPostActionDescriptionType"),
    ),
    "OperationDescriptionType": (
        False,
        ("WSDLSOAPOperationDescriptionType", "StringOperationDescriptionType"),
    ),
    "MeasurementDirectiveType": (
        True,
        (
            "Counter",
            "Gauge",
            "ResponseTime",
            "SumResponseTime",
            "Status",
            "InvocationCount",
            "StatusRequest",
            "Downtime",
            "MaintenancePeriodQuery",
        ),
    ),
    "FunctionType": (
        True,
        (
            "QConstructor",
            "TSConstructor",
            "Size",
            "TSSelect",
            "Plus",
            "Minus",
            "Times",
            "Divide",
            "Average",
            "Mean",
            "Median",
            "Mode",
            "Max",
            "Sum",
            "Round",
            "ValueOccurs",
            "PercentageGreaterThanThreshold",
            "PercentageLessThanThreshold",
            "NumberGreaterThanThreshold",
            "NumberLessThanThreshold",
            "RateOfChange",
            "Span",
            "QualifyMeasurementTimeSeries",
        ),
    ),
    "PredicateType": (
        True,
        (
            "Greater",
            "Less",
            "Equal",
            "GreaterEqual",
            "LessEqual",
            "True",
            "False",
            "NewValue",
            "Violation",
        ),
    ),
    "ActionInvocationType": (False, ("Notification",)),
}
XSI_TYPE_NAMES = frozenset(name for _, names in SUBTYPES.values() for name in names)

# wsla-reference.md §1: the global elements of the original schema.
GLOBAL_ELEMENTS = frozenset(
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


@cache
def lxml_schema(path: Path = SCHEMA) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


@cache
def xmlschema_schema(path: Path = SCHEMA) -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(path))


def parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(str(path), parser)


def lxml_errors(path: Path, schema_path: Path = SCHEMA) -> list[str]:
    """libxml2's messages, with the WSLA namespace dropped from names for readability."""
    schema = lxml_schema(schema_path)
    if schema.validate(parse(path)):
        return []
    return [str(e.message).replace("{" + WSLA + "}", "") for e in schema.error_log]


def xmlschema_errors(path: Path, schema_path: Path = SCHEMA) -> list[str]:
    """xmlschema's reasons.

    xmlschema 4.3 raises ``XMLSchemaKeyError`` from ``iter_errors`` (instead of reporting an
    error) when a non-root element's xsi:type names no type at all; that is still a rejection,
    and callers of xmlschema have to catch it, so it is reported here as a message.
    """
    schema = xmlschema_schema(schema_path)
    try:
        return [str(e.reason) for e in schema.iter_errors(str(path))]
    except KeyError as exc:  # xmlschema.exceptions.XMLSchemaKeyError subclasses KeyError
        return [f"raised {type(exc).__name__}: {exc}"]


def invalid_header(path: Path) -> tuple[str, str]:
    """The ``INVALID:`` reason and the expected libxml2 message fragment of a case."""
    first = next(parse(path).getroot().itersiblings(preceding=True), None)
    assert isinstance(first, etree._Comment), f"{path.name}: no leading comment"
    text = str(first.text)
    reason = re.search(r"INVALID:\s*(.+)", text)
    expected = re.search(r"lxml-error:\s*(.+)", text)
    assert reason is not None, f"{path.name}: no 'INVALID:' line"
    assert expected is not None, f"{path.name}: no 'lxml-error:' line"
    return reason.group(1).strip(), expected.group(1).strip()


def check_valid(path: Path, schema_path: Path) -> None:
    from_lxml = lxml_errors(path, schema_path)
    from_xmlschema = xmlschema_errors(path, schema_path)
    assert (from_lxml == []) == (from_xmlschema == []), (from_lxml, from_xmlschema)
    assert from_lxml == [], from_lxml
    assert from_xmlschema == [], from_xmlschema


def check_invalid(path: Path, schema_path: Path) -> None:
    reason, expected = invalid_header(path)
    assert reason
    from_lxml = lxml_errors(path, schema_path)
    from_xmlschema = xmlschema_errors(path, schema_path)
    assert (from_lxml == []) == (from_xmlschema == []), (from_lxml, from_xmlschema)
    assert from_lxml, "lxml accepted it"
    assert from_xmlschema, "xmlschema accepted it"
    assert any(expected in message for message in from_lxml), from_lxml


# -- compilation ---------------------------------------------------------------------------


def test_compiles_with_lxml() -> None:
    assert isinstance(lxml_schema(), etree.XMLSchema)


def test_compiles_with_xmlschema() -> None:
    schema = xmlschema_schema()
    assert schema.target_namespace == WSLA
    assert schema.validity == "valid"
    assert schema.XSD_VERSION == "1.0"


def test_there_are_cases() -> None:
    assert len(VALID) >= 20
    assert len(INVALID) >= 50
    assert EXT_VALID
    assert EXT_INVALID


# -- the cases -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_case(path: Path) -> None:
    check_valid(path, SCHEMA)


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_case(path: Path) -> None:
    check_invalid(path, SCHEMA)


@pytest.mark.parametrize("path", EXT_VALID, ids=[p.stem for p in EXT_VALID])
def test_extension_from_another_namespace_valid(path: Path) -> None:
    check_valid(path, TEST_EXT_SCHEMA)


@pytest.mark.parametrize("path", EXT_INVALID, ids=[p.stem for p in EXT_INVALID])
def test_extension_from_another_namespace_invalid(path: Path) -> None:
    check_invalid(path, TEST_EXT_SCHEMA)


def test_extension_cases_need_the_extension_schema() -> None:
    # Without the importing schema, the foreign xsi:type names nothing: the extension really
    # comes from the other namespace, not from something wsla.xsd lets through.
    for path in EXT_VALID:
        assert lxml_errors(path, SCHEMA)
        assert xmlschema_errors(path, SCHEMA)


# -- the schema's components ---------------------------------------------------------------


def test_global_elements_are_those_of_the_reference() -> None:
    assert set(xmlschema_schema().elements) == GLOBAL_ELEMENTS


def test_wsdlsoapoperation_substitutes_for_operation() -> None:
    schema = xmlschema_schema()
    element = schema.elements["WSDLSOAPOperation"]
    assert element.substitution_group == f"{{{WSLA}}}Operation"
    assert element.type is schema.types["WSDLSOAPOperationDescriptionType"]


@pytest.mark.parametrize("base", sorted(SUBTYPES))
def test_xsi_type_names_derive_from_their_base(base: str) -> None:
    types = xmlschema_schema().types
    abstract, names = SUBTYPES[base]
    assert types[base].abstract is abstract
    for name in names:
        assert types[name].abstract is False, name
        assert types[name].is_derived(types[base], "extension"), name
        for other in SUBTYPES:
            if other != base:
                assert not types[name].is_derived(types[other]), (name, other)


def test_every_other_named_complex_type_is_not_a_wsla_local_name() -> None:
    # Helper types end in Type so that they never shadow a name xsi:type may use.
    names = {name for name, t in xmlschema_schema().types.items() if t.is_complex()}
    for name in names - XSI_TYPE_NAMES:
        assert name.endswith("Type"), name


def test_enumerations() -> None:
    types = xmlschema_schema().types
    assert types["TypeEnum"].enumeration == [
        "Q",
        "TS",
        "integer",
        "float",
        "double",
        "long",
        "byte",
        "boolean",
        "string",
        "time",
    ]
    assert types["RoleEnum"].enumeration == [
        "MeasurementService",
        "ManagementService",
        "ConditionEvaluationService",
    ]
    assert types["ExecutionModalityEnum"].enumeration == [
        "Always",
        "OnEnteringCondition",
        "OnEnteringAndOnLeavingCondition",
        "OnEveryEvaluation",
    ]
    assert types["NotificationTypeEnum"].enumeration == ["Violation", "Information"]
    assert types["EvaluationEventEnum"].enumeration == ["NewValue"]
    for name in ("StringList", "IntegerList", "FloatList"):
        assert types[name].is_list(), name


def test_schema_agrees_with_the_model_registries() -> None:
    from wsla.model import (
        ACTION_DESCRIPTION_TYPES,
        DIRECTIVE_TYPES,
        FUNCTION_TYPES,
        PREDICATE_TYPES,
    )

    assert set(ACTION_DESCRIPTION_TYPES) == set(SUBTYPES["ActionDescriptionType"][1])
    assert set(DIRECTIVE_TYPES) == set(SUBTYPES["MeasurementDirectiveType"][1])
    assert set(PREDICATE_TYPES) == set(SUBTYPES["PredicateType"][1])
    wsla_functions = {name for namespace, name in FUNCTION_TYPES if namespace == WSLA}
    assert wsla_functions == set(SUBTYPES["FunctionType"][1])


# -- the valid cases cover the whole schema --------------------------------------------------


def valid_elements() -> Iterator[etree._Element]:
    for path in VALID:
        yield from parse(path).getroot().iter(etree.Element)


def resolved_xsi_type(element: etree._Element) -> str | None:
    value = element.get(XSI_TYPE)
    if value is None:
        return None
    prefix, _, local = value.rpartition(":")
    return f"{{{element.nsmap.get(prefix or None)}}}{local}"


def test_valid_cases_use_every_xsi_type_name() -> None:
    used = {resolved_xsi_type(e) for e in valid_elements()}
    assert {f"{{{WSLA}}}{name}" for name in XSI_TYPE_NAMES} - used == set()


def test_valid_cases_use_every_global_element_as_root() -> None:
    roots = {etree.QName(parse(path).getroot()).localname for path in VALID}
    assert GLOBAL_ELEMENTS - roots == set()


def test_valid_cases_use_every_declared_element_name() -> None:
    xsd = parse(SCHEMA)
    declared = {str(e.get("name")) for e in xsd.iter(f"{XS}element") if e.get("name")}
    used = {etree.QName(e).localname for e in valid_elements() if etree.QName(e).namespace == WSLA}
    assert declared - used == set()


def test_valid_cases_use_every_enumeration_value() -> None:
    values: set[str] = set()
    for element in valid_elements():
        values.update(element.attrib.values())
        if element.text:
            values.add(element.text.strip())
    xsd = parse(SCHEMA)
    enumerated = {str(e.get("value")) for e in xsd.iter(f"{XS}enumeration")}
    assert enumerated - values == set()
