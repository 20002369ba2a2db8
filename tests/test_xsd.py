"""The WSLA 1.0 schema ``xsd/wsla.xsd``: it compiles, and accepts and rejects the right documents.

Every case under ``tests/xsd_cases/`` is run through both validators we ship with (libxml2 via
lxml, and the pure-Python ``xmlschema``); they must agree. Each invalid case starts with a
comment ``INVALID: <why>`` and a line ``lxml-error: <text>`` naming a fragment of the libxml2
message, so that a case cannot pass by failing for an unintended reason (a typo, say).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "xsd" / "wsla.xsd"
CASES = Path(__file__).resolve().parent / "xsd_cases"
VALID = sorted((CASES / "valid").glob("*.xml"))
INVALID = sorted((CASES / "invalid").glob("*.xml"))

WSLA = "http://www.ibm.com/wsla"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XS = "{http://www.w3.org/2001/XMLSchema}"


@cache
def lxml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@cache
def xmlschema_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA))


def parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(str(path), parser)


def lxml_errors(path: Path) -> list[str]:
    """libxml2's messages, with the WSLA namespace dropped from names for readability."""
    schema = lxml_schema()
    ok = schema.validate(parse(path))
    return [] if ok else [str(e.message).replace("{" + WSLA + "}", "") for e in schema.error_log]


def xmlschema_errors(path: Path) -> list[str]:
    """xmlschema's reasons.

    xmlschema 4.3 raises ``XMLSchemaKeyError`` from ``iter_errors`` (instead of reporting an
    error) when a non-root element's xsi:type names no type; that is still a rejection, and
    callers of xmlschema have to catch it, so it is reported here as a message.
    """
    try:
        return [str(e.reason) for e in xmlschema_schema().iter_errors(str(path))]
    except KeyError as exc:  # xmlschema.exceptions.XMLSchemaKeyError subclasses KeyError
        return [f"raised {type(exc).__name__}: {exc}"]


def test_compiles_with_lxml() -> None:
    assert isinstance(lxml_schema(), etree.XMLSchema)


def test_compiles_with_xmlschema() -> None:
    schema = xmlschema_schema()
    assert schema.target_namespace == WSLA
    assert schema.validity == "valid"


def test_there_are_cases() -> None:
    assert len(VALID) >= 10
    assert len(INVALID) >= 10


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_case(path: Path) -> None:
    from_lxml = lxml_errors(path)
    from_xmlschema = xmlschema_errors(path)
    assert from_lxml == [], from_lxml
    assert from_xmlschema == [], from_xmlschema


def invalid_header(path: Path) -> tuple[str, str]:
    """The ``INVALID:`` reason and the expected libxml2 message fragment of a case."""
    first = next(
        (node for node in parse(path).getroot().itersiblings(preceding=True)),
        None,
    )
    assert isinstance(first, etree._Comment), f"{path.name}: no leading comment"
    text = str(first.text)
    reason = re.search(r"INVALID:\s*(.+)", text)
    expected = re.search(r"lxml-error:\s*(.+)", text)
    assert reason is not None, f"{path.name}: no 'INVALID:' line"
    assert expected is not None, f"{path.name}: no 'lxml-error:' line"
    return reason.group(1).strip(), expected.group(1).strip()


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_case(path: Path) -> None:
    _reason, expected = invalid_header(path)
    from_lxml = lxml_errors(path)
    from_xmlschema = xmlschema_errors(path)
    assert from_lxml, "lxml accepted it"
    assert from_xmlschema, "xmlschema accepted it"
    assert any(expected in message for message in from_lxml), from_lxml
