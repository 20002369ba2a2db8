"""The element limit (L103) is decided before libxml2 builds a tree.

A cheap upper bound on the nodes (elements, comments, PIs) comes from counting bytes;
only when it exceeds the limit does a streaming parse count exactly. These tests pin the
bound (never below the true count, whatever the encoding or markup) and show that a
document far over the limit is refused within a small address space.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from wsla.limits import Limits
from wsla.xml.reader import _node_bound, _too_many_nodes, load_xml, parse_xml

VALID_XML = Path(__file__).parent / "hostile" / "xml" / "valid.xml"
NS = "http://www.ibm.com/wsla"


def _nodes(data: bytes) -> int:
    """Elements, comments and PIs libxml2 builds for ``data`` (root included)."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    return sum(1 for _ in root.iter())


_PIECES = st.sampled_from(
    [
        "<x/>",
        "<y a='1'>t</y>",
        "<!-- < </z> -->",
        "<![CDATA[ <a> </a> < ]]>",
        "<?pi <x/> ?>",
        "&lt;&amp;",
        "<w:v xmlns:w='urn:w'/>",
        "<é/>",
        "\u2f00",
        "text",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-16", "iso-8859-1"]),
)
def test_the_byte_bound_is_never_below_the_node_count(pieces: list[str], encoding: str) -> None:
    text = f"<r xmlns='{NS}'>{''.join(pieces)}</r>"
    if encoding == "iso-8859-1":
        text = text.replace("\u2f00", "x").replace("é", "e")
        data = f'<?xml version="1.0" encoding="{encoding}"?>{text}'.encode(encoding)
    elif encoding == "utf-16":
        data = text.encode("utf-16")  # with a byte-order mark
    else:
        data = text.encode(encoding)
        if encoding != "utf-8":
            data = b"\xff\xfe" + data if encoding == "utf-16-le" else b"\xfe\xff" + data
    assert _node_bound(data) >= _nodes(data)
    # Exactly at the count the document passes; one below, it is too many.
    count = _nodes(data)
    assert not _too_many_nodes(data, count)
    if count > 1:
        assert _too_many_nodes(data, count - 1)


def test_big_endian_utf16_names_do_not_hide_elements() -> None:
    # In UTF-16BE "<⼀" is 00 3C 2F 00: a 0x3C 0x2F pair that is not an end tag.
    text = f"<r xmlns='{NS}'>" + "<\u2f00/>" * 40 + "</r>"
    data = b"\xfe\xff" + text.encode("utf-16-be")
    assert _node_bound(data) >= 41
    assert _too_many_nodes(data, 40)
    assert not _too_many_nodes(data, 41)


def test_markup_inside_comments_and_cdata_is_counted_exactly_when_the_bound_is_loose() -> None:
    # 500 "<" in a comment and CDATA push the byte bound over the limit; the exact count
    # (4 nodes) is well under it.
    data = (
        f"<r xmlns='{NS}'><!-- {'<a>' * 250} --><x><![CDATA[{'<b>' * 250}]]></x><y/></r>"
    ).encode()
    assert _node_bound(data) > 100
    assert not _too_many_nodes(data, 100)
    assert parse_xml(data, "m.xml", limits=Limits(max_elements=100))[1] == []


def test_an_encoding_whose_less_than_is_not_byte_0x3c_is_counted_exactly() -> None:
    data = b'<?xml version="1.0" encoding="UTF-7"?><r/>'
    assert _node_bound(data) == len(data)
    not_xml = b"\x4c\x6f\xa7\x94 junk"  # EBCDIC "<?xm": the byte bound would say nothing
    assert _node_bound(not_xml) == len(not_xml)


def test_unexpanded_entity_references_count_as_nodes() -> None:
    data = (
        f'<!DOCTYPE r SYSTEM "r.dtd"><r xmlns="{NS}">' + "&e;" * 50 + "<x/>" * 10 + "</r>"
    ).encode()
    assert _too_many_nodes(data, 40)
    assert not _too_many_nodes(data, 61)


def test_limit_applies_to_utf16_documents() -> None:
    text = VALID_XML.read_text()
    data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    spec, diagnostics = load_xml(data, "v.xml", limits=Limits(max_elements=5))
    assert spec is None
    assert [d.code for d in diagnostics] == ["L103"]


def test_not_well_formed_under_the_count_is_still_a_syntax_error() -> None:
    data = (f"<r xmlns='{NS}'>" + "<x/>" * 20 + "<unclosed>").encode()
    diagnostics = parse_xml(data, "bad.xml", limits=Limits(max_elements=10))[1]
    assert [d.code for d in diagnostics] == ["L103"]
    diagnostics = parse_xml(data, "bad.xml", limits=Limits(max_elements=30))[1]
    assert [d.code for d in diagnostics] == ["X002"]


BOUNDED_SCRIPT = """
import resource, sys, time
from pathlib import Path
valid = Path(sys.argv[1]).read_text()
n = int(sys.argv[2])
body = '<Obligations name="O">' + '<x/>' * n + '</Obligations>'
data = valid.replace('<Obligations name="Obligations"/>', body).encode()
del body, valid
from wsla.xml.reader import load_xml
# The address space from here on: the document, the interpreter, lxml and wsla, and a
# margin; a tree of n elements would need about 130 bytes each.
limit = int(sys.argv[3]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
began = time.process_time()
try:
    codes = [d.code for d in load_xml(data, 'many.xml')[1]]
except MemoryError:
    codes = ['MemoryError']
print(time.process_time() - began, ' '.join(codes))
"""


@pytest.mark.parametrize("elements", [10_000_000])
def test_ten_million_elements_are_refused_in_a_small_address_space(elements: int) -> None:
    # Before the limit was checked during parsing, this document (38 MB) peaked at
    # ~1.35 GB: the whole tree was built, then counted. Now it must fit in 300 MB.
    began = time.monotonic()
    found = subprocess.run(
        [sys.executable, "-c", BOUNDED_SCRIPT, str(VALID_XML), str(elements), "300"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert found.returncode == 0, found.stderr[-2000:]
    seconds, *codes = found.stdout.split()
    assert codes == ["L103"]
    assert float(seconds) < 5
    assert time.monotonic() - began < 60


def test_the_same_document_under_the_limit_still_parses_in_that_space() -> None:
    # The control: the address space is not so small that nothing could be read.
    found = subprocess.run(
        [sys.executable, "-c", BOUNDED_SCRIPT, str(VALID_XML), "1000", "300"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert found.returncode == 0, found.stderr[-2000:]
    _, *codes = found.stdout.split()
    assert codes and "L103" not in codes and "MemoryError" not in codes


def test_unexpanded_entity_references_count_in_utf16_too() -> None:
    # The DOCTYPE is found by the streaming parse, not by searching the bytes for
    # "<!DOCTYPE" (which UTF-16 spells differently).
    text = f'<!DOCTYPE r SYSTEM "r.dtd"><r xmlns="{NS}">' + "&e;" * 50 + "</r>"
    data = text.encode("utf-16")
    assert _too_many_nodes(data, 40)
    assert not _too_many_nodes(data, 60)
