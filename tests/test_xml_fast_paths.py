"""The reader's fast paths give exactly what the slow, obvious code gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree

from wsla.model import MetricType, Span
from wsla.xml.reader import _children, parse_xml, read_tree
from wsla.xml.source import make_span

VALID_XML = Path(__file__).parent / "hostile" / "xml" / "valid.xml"


@pytest.mark.parametrize(("path", "line", "column"), [("a.xml", 3, 7), (None, 1, 1)])
def test_make_span_is_the_dataclass(path: str | None, line: int, column: int) -> None:
    fast, slow = make_span(path, line, column), Span(path, line, column)
    assert type(fast) is Span
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    # Every field is set (a field added to Span must be set by make_span too).
    assert dataclasses.astuple(fast) == dataclasses.astuple(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.line = 2  # type: ignore[misc]


def test_children_skip_comments_pis_and_entities_only() -> None:
    root = etree.fromstring(b"<a><b/><!--c--><c>t</c><?p x?>tail<d/></a>")
    assert [c.tag for c in _children(root)] == ["b", "c", "d"]
    assert [c.tag for c in _children(root)] == [c.tag for c in root if isinstance(c.tag, str)]


def test_metric_type_attributes_are_read_as_before() -> None:
    # A dict replaced the Enum call: surrounding blanks still read, unknown names are X031.
    data = VALID_XML.read_text()
    assert 'type="long"' in data
    for written, expected in ((" long ", MetricType.LONG), ("long", MetricType.LONG)):
        tree, _ = parse_xml(data.replace('type="long"', f'type="{written}"', 1).encode(), "v")
        assert tree is not None
        spec, diagnostics = read_tree(tree, "v.xml")
        assert spec is not None, diagnostics
        metric = spec.service_definitions[0].metrics[0]
        assert metric.type is expected
    tree, _ = parse_xml(data.replace('type="long"', 'type="lang"', 1).encode(), "v")
    assert tree is not None
    spec, diagnostics = read_tree(tree, "v.xml")
    assert spec is None
    assert [d.code for d in diagnostics] == ["X031"]
    assert "'lang' is not a WSLA type" in diagnostics[0].message


def test_dates_read_through_the_memo_are_the_dates_parsed() -> None:
    from wsla.xml.reader import _parse_datetime, parse_datetime

    for text in (
        "2025-01-01T00:00:00Z",
        "2025-01-01T24:00:00+02:00",
        " 2025-03-01T12:30:00 ",
        " " * 100 + "2025-01-01T00:00:00Z",  # too long for the memo: parsed directly
    ):
        element = etree.fromstring(f"<Start>{text}</Start>")
        first, again = _parse_datetime(element), _parse_datetime(element)
        assert first == again == parse_datetime(text)
        assert first.tzinfo is not None
    with pytest.raises(Exception, match="not a date and time"):
        _parse_datetime(etree.fromstring("<Start>2025-13-01T00:00:00Z</Start>"))
