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


@pytest.mark.parametrize(
    ("document", "plain"),
    [
        (b'<?xml version="1.0"?>\n<a><b/>text &amp; &lt;x&gt;</a>', True),
        (b'<a attr="x > y"><b/></a>', True),
        (b'<a uri="http://h/p?q=1">wow! a <b>?</b> ! ?</a>', True),
        (b"<a>wow!<!--c--></a>", False),
        (b"<a>what?<?pi?></a>", False),
        (b"<a><!--c--><b/></a>", False),
        (b"<a><?pi x?><b/></a>", False),
        (b'<?xml version="1.0"?><?xml-stylesheet href="s"?><a/>', False),
        (b"<a><![CDATA[<b/>]]></a>", False),
        (b"<!DOCTYPE a [<!ELEMENT a ANY>]><a/>", False),
        ('<?xml version="1.0" encoding="UTF-16"?><a><!--c--></a>'.encode("utf-16"), False),
        ('<?xml version="1.0" encoding="UTF-16"?><a><b/></a>'.encode("utf-16"), True),
    ],
)
def test_a_source_is_plain_only_without_comments_pis_cdata_or_doctype(
    document: bytes, plain: bool
) -> None:
    from wsla.xml.source import SourceText

    encoding = "UTF-16" if document.startswith(b"\xff\xfe") else None
    assert SourceText(document, "a.xml", encoding).plain() is plain
    assert SourceText(None, "a.xml").plain() is False


def test_comments_and_pis_give_the_spec_the_plain_document_gives() -> None:
    """A plain source reads children with list(); one with comments and PIs through
    _children: both must give the same model, with the same spans for the same layout."""
    data = VALID_XML.read_bytes()
    start = data.index(b"<Parties")
    # Comment and PI on a line of their own, so every later element moves down one line
    # in both documents alike.
    marked = data[:start] + b"<!-- c --><?p x?>" + data[start:]
    plain_doc = data[:start] + b"                 " + data[start:]
    results = []
    from wsla.xml.source import SourceText

    for document in (plain_doc, marked):
        assert SourceText(document, "v.xml").plain() is (document is plain_doc)
        tree, diagnostics = parse_xml(document, "v.xml")
        assert tree is not None, diagnostics
        spec, diagnostics = read_tree(tree, "v.xml", source=document)
        assert spec is not None, diagnostics
        results.append(spec)
    assert results[0] == results[1]
    spans = [
        [(m.span.line, m.span.column) for m in s.service_definitions[0].metrics if m.span]
        for s in results
    ]
    assert spans[0] == spans[1] and spans[0]
