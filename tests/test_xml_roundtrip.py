"""XML round trips: write → read is the identity, the written XML is valid, and
read → write reaches a fixed point after one pass (generated specs and specs/*.xml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from strategies import specs

from wsla.diagnostics import Severity
from wsla.model import Spec
from wsla.xml.reader import load_xml, parse_xml
from wsla.xml.schema import validate_tree
from wsla.xml.writer import dumps_xml

SPECS = sorted((Path(__file__).parent.parent / "specs").glob("*.xml"))


def _reload(data: bytes) -> Spec:
    spec, diagnostics = load_xml(data, "written.xml")
    assert [str(d) for d in diagnostics] == []
    assert spec is not None
    return spec


@given(specs())
@settings(max_examples=40)
def test_generated_specs_round_trip_and_validate(spec: Spec) -> None:
    data = dumps_xml(spec)
    tree, diagnostics = parse_xml(data, "written.xml")
    assert tree is not None, diagnostics
    assert [str(d) for d in validate_tree(tree, "written.xml", source=data)] == []
    again = _reload(data)
    assert again == spec
    assert dumps_xml(again) == data


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_spec_files_reach_a_fixed_point(path: Path) -> None:
    spec, diagnostics = load_xml(path.read_bytes(), str(path))
    assert spec is not None, [str(d) for d in diagnostics]
    assert all(d.severity is not Severity.ERROR for d in diagnostics)
    once = dumps_xml(spec)
    again = _reload(once)
    assert again == spec
    assert dumps_xml(again) == once


def test_there_are_spec_files() -> None:
    assert SPECS, "specs/*.xml should exist"


def test_written_form_is_pinned() -> None:
    """The writer's layout (declaration, namespaces, indentation, attribute order) is
    fixed: the legacy sample, upgraded, is written exactly as the golden file."""
    cases = Path(__file__).parent / "cases" / "xml"
    spec, _ = load_xml((cases / "legacy" / "stock-quote-2002.xml").read_bytes(), "sq.xml")
    assert spec is not None
    golden = cases / "golden" / "stock-quote-2002.written.xml"
    assert dumps_xml(spec) == golden.read_bytes()
