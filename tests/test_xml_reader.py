"""The reader: spans on every node, value conversion, fragments, and no tracebacks."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from wsla.model import Function, Metric, MetricRef, QConstructor, Span, Spec, TimePeriod
from wsla.xml.reader import load_xml, parse_datetime, parse_xml, read_tree

CASES = Path(__file__).parent / "cases" / "xml"
MINIMAL = (CASES / "minimal.xml").read_bytes()
SPECS = sorted((Path(__file__).parent.parent / "specs").glob("*.xml"))


def _load(data: bytes = MINIMAL) -> Spec:
    spec, diagnostics = load_xml(data, "m.xml")
    assert diagnostics == []
    assert spec is not None
    return spec


def _nodes(value: Any) -> list[Any]:
    """Every model node (dataclass instance with a span field) inside ``value``."""
    out: list[Any] = []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if any(f.name == "span" for f in dataclasses.fields(value)):
            out.append(value)
        for f in dataclasses.fields(value):
            out.extend(_nodes(getattr(value, f.name)))
    elif isinstance(value, tuple):
        for item in value:
            out.extend(_nodes(item))
    return out


def test_spans_point_at_start_tags() -> None:
    spec = _load()
    metrics = spec.service_definitions[0].metrics
    assert metrics[0].span == Span("m.xml", 17, 5)
    function = metrics[1].definition
    assert isinstance(function, QConstructor)
    assert function.span == Span("m.xml", 25, 7)
    assert isinstance(function.input, MetricRef)
    assert function.input.span == Span("m.xml", 26, 9)
    assert spec.span == Span("m.xml", 2, 1)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_every_node_has_a_span_on_its_tag(path: Path) -> None:
    data = path.read_bytes()
    spec, _ = load_xml(data, path.name)
    assert spec is not None
    lines = data.decode().splitlines()
    for node in _nodes(spec):
        span = node.span
        assert span is not None, type(node).__name__
        assert span.path == path.name
        assert lines[span.line - 1][span.column - 1] == "<", (type(node).__name__, span)


def test_repeated_tags_on_one_line_get_their_own_columns() -> None:
    data = MINIMAL.replace(
        b"<Metric>RT</Metric>\n        <Window>12</Window>",
        b"<Metric>RT</Metric><Window>12</Window>",
    ).replace(
        b'<Metric name="RTs" type="Q">',
        b'<Metric name="RTs" type="Q"><Source>ACME</Source><Function xsi:type="Size">'
        b'<Operand><Metric>RT</Metric></Operand></Function></Metric><Metric name="X">',
    )
    spec = _load(data)
    size = spec.service_definitions[0].metrics[1].definition
    assert isinstance(size, Function)
    columns = [size.span.column if size.span else 0]
    operand = size.operand  # type: ignore[attr-defined]
    columns.append(operand.span.column)
    assert columns[1] > columns[0] > 1


def test_without_source_columns_are_one() -> None:
    tree, _ = parse_xml(MINIMAL, "m.xml")
    assert tree is not None
    spec, diagnostics = read_tree(tree, "m.xml")
    assert diagnostics == []
    assert spec is not None
    assert spec.service_definitions[0].metrics[0].span == Span("m.xml", 17, 1)


def test_multiline_start_tag_is_found_above() -> None:
    data = MINIMAL.replace(
        b'<Metric name="RT" type="long"', b'<Metric\n      name="RT" type="long"'
    )
    spec = _load(data)
    assert spec.service_definitions[0].metrics[0].span == Span("m.xml", 17, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-01T00:00:00Z", datetime(2026, 1, 1, tzinfo=UTC)),
        ("2026-01-01T00:00:00", datetime(2026, 1, 1, tzinfo=UTC)),
        (
            "2001-11-30T14:00:00-05:00",
            datetime(2001, 11, 30, 14, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("2026-01-01T24:00:00Z", datetime(2026, 1, 2, tzinfo=UTC)),
        ("2026-01-01T10:00:00.1234567Z", datetime(2026, 1, 1, 10, 0, 0, 123456, tzinfo=UTC)),
    ],
)
def test_datetimes(text: str, expected: datetime) -> None:
    value = parse_datetime(text)
    assert value == expected
    assert value.utcoffset() == expected.utcoffset()


def test_naive_start_reads_as_utc() -> None:
    spec = _load(
        MINIMAL.replace(
            b"<Start>2026-01-01T00:00:00Z</Start>", b"<Start>2026-01-01T00:00:00</Start>"
        )
    )
    period = spec.service_definitions[0].schedules[0].period
    assert isinstance(period, TimePeriod)
    assert period.start.tzinfo is UTC


def test_values_keep_their_types() -> None:
    spec = _load()
    metric: Metric = spec.service_definitions[0].metrics[1]
    assert isinstance(metric.definition, QConstructor)
    assert metric.definition.window == 12
    assert type(metric.definition.window) is int


def test_read_tree_on_an_invalid_tree_gives_a_diagnostic() -> None:
    bad = [
        b'<SLA xmlns="http://www.ibm.com/wsla"/>',
        b'<SLA xmlns="http://www.ibm.com/wsla"><Parties/><Obligations/></SLA>',
        MINIMAL.replace(b"<Window>12</Window>", b"<Window>x</Window>"),
        MINIMAL.replace(b'xsi:type="QConstructor"', b'xsi:type="Nope"'),
        MINIMAL.replace(b'type="long" unit', b'type="longer" unit'),
    ]
    for data in bad:
        root = etree.fromstring(data)
        spec, diagnostics = read_tree(root.getroottree(), "b.xml", source=data)
        assert spec is None
        assert len(diagnostics) == 1
        assert diagnostics[0].is_error


@given(
    st.lists(
        st.tuples(st.integers(0, len(MINIMAL)), st.integers(0, 8), st.binary(max_size=6)),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=150)
def test_mutated_documents_never_raise(edits: list[tuple[int, int, bytes]]) -> None:
    data = MINIMAL
    for at, cut, insert in edits:
        data = data[:at] + insert + data[at + cut :]
    spec, diagnostics = load_xml(data, "fuzz.xml")
    assert spec is not None or any(d.is_error or d.code == "X021" for d in diagnostics)


@given(st.sampled_from(SPECS), st.data())
@settings(max_examples=60)
def test_mutated_specs_never_raise(path: Path, data: st.DataObject) -> None:
    """Deleting one element anywhere in a real spec gives diagnostics, not tracebacks."""
    tree = etree.parse(str(path))
    elements = list(tree.getroot().iter(etree.Element))[1:]
    victim = data.draw(st.sampled_from(elements))
    parent = victim.getparent()
    assert parent is not None
    parent.remove(victim)
    spec, diagnostics = load_xml(etree.tostring(tree), "mutated.xml")
    assert spec is not None or diagnostics


@given(st.sampled_from(SPECS), st.data())
@settings(max_examples=120)
def test_reading_unvalidated_mutated_trees_never_raises(path: Path, data: st.DataObject) -> None:
    """read_tree is meant for schema-valid trees, but a skipped validation must still give
    diagnostics, never a traceback."""
    source = path.read_bytes()
    tree, _ = parse_xml(source, path.name)
    assert tree is not None
    elements = list(tree.getroot().iter(etree.Element))[1:]
    for victim in data.draw(st.lists(st.sampled_from(elements), min_size=1, max_size=3)):
        parent = victim.getparent()
        if parent is not None:
            parent.remove(victim)
    spec, diagnostics = read_tree(tree, path.name, source=source)
    assert spec is not None or any(d.is_error for d in diagnostics)


def test_spans_past_line_65535_are_exact() -> None:
    """libxml2 reports many elements past line 65535 one line late; spans must not be."""
    head, tail = MINIMAL.decode().split("  </ServiceDefinition>")
    metric = (
        '    <Metric name="G{i}">\n      <Source>ACME</Source>\n'
        '      <MeasurementDirective xsi:type="Gauge">\n'
        "        <MeasurementURI>u{i}</MeasurementURI>\n"
        "      </MeasurementDirective>\n    </Metric>\n"
    )
    body = "".join(metric.format(i=i) for i in range(12_000))
    data = (head + body + "  </ServiceDefinition>" + tail).encode()
    lines = data.decode().split("\n")
    assert len(lines) > 70_000
    spec = _load(data)
    for m in spec.service_definitions[0].metrics[-3:]:
        assert m.span is not None and m.definition.span is not None
        assert lines[m.span.line - 1].strip().startswith(f'<Metric name="{m.name}"')
        directive = lines[m.definition.span.line - 1]
        assert directive[m.definition.span.column - 1 :].startswith("<MeasurementDirective")
        assert m.definition.span.line == m.span.line + 2
