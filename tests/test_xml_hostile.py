"""Hostile and broken XML gives one specific code and never a traceback, a file read,
a network connection or a hang."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from wsla.diagnostics import Diagnostic, Severity
from wsla.model import Span
from wsla.xml.reader import load_xml, parse_xml

CASES = Path(__file__).parent / "cases" / "xml"

EXPECTED = {
    "empty.xml": "X001",
    "whitespace.xml": "X001",
    "malformed.xml": "X002",
    "bad-utf8.xml": "X003",
    "binary.bin": "X004",
    "billion-laughs.xml": "X010",
    "xxe-file.xml": "X011",
    "xxe-parameter.xml": "X011",
    "external-dtd.xml": "X012",
    "no-namespace.xml": "X020",
    "wrong-namespace.xml": "X020",
    "fragment-metric.xml": "X021",
    "unknown-root.xml": "X022",
    "invalid-order.xml": "X030",
    "xinclude.xml": "X030",
    "invalid-value.xml": "X031",
    "invalid-xsi-type.xml": "X032",
    "invalid-attribute.xml": "X033",
    "date-out-of-range.xml": "X040",
}


def _codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_case_gives_its_code(name: str, code: str) -> None:
    spec, diagnostics = load_xml((CASES / name).read_bytes(), name)
    assert spec is None
    assert _codes(diagnostics) == [code]
    assert diagnostics[0].span is not None
    assert diagnostics[0].span.path == name


def test_every_case_file_is_listed() -> None:
    on_disk = {p.name for p in CASES.iterdir() if p.is_file()} - {"minimal.xml"}
    assert on_disk == set(EXPECTED)


def test_minimal_document_loads() -> None:
    spec, diagnostics = load_xml((CASES / "minimal.xml").read_bytes(), "minimal.xml")
    assert diagnostics == []
    assert spec is not None
    assert spec.name == "Minimal"


def test_syntax_error_position() -> None:
    _, diagnostics = parse_xml((CASES / "malformed.xml").read_bytes(), "m.xml")
    assert diagnostics[0].span is not None
    assert (diagnostics[0].span.line, diagnostics[0].span.column) == (5, 13)


def test_schema_error_has_line_column_and_help() -> None:
    _, diagnostics = load_xml((CASES / "invalid-order.xml").read_bytes(), "o.xml")
    (d,) = diagnostics
    assert d.span is not None
    assert (d.span.line, d.span.column) == (18, 7)
    assert "{" not in d.message
    assert d.help == "expected <Source> here"


def test_unknown_xsi_type_suggests_the_closest() -> None:
    _, diagnostics = load_xml((CASES / "invalid-xsi-type.xml").read_bytes(), "t.xml")
    assert diagnostics[0].message == "<Function>: unknown xsi:type 'QConstructr'"
    assert diagnostics[0].span == Span("t.xml", 25, 17)  # at xsi:type=
    assert diagnostics[0].help == 'did you mean xsi:type="QConstructor"?'


def test_attribute_errors_point_at_the_attribute() -> None:
    _, diagnostics = load_xml((CASES / "invalid-attribute.xml").read_bytes(), "a.xml")
    assert diagnostics[0].span == Span("a.xml", 17, 23)


def test_fragment_is_info_not_error() -> None:
    _, diagnostics = load_xml((CASES / "fragment-metric.xml").read_bytes(), "f.xml")
    assert diagnostics[0].severity is Severity.INFO


def test_deep_nesting_is_stopped() -> None:
    depth = 40_000
    data = (
        b'<SLA xmlns="http://www.ibm.com/wsla">'
        + b"<Parties>" * depth
        + b"</Parties>" * depth
        + b"</SLA>"
    )
    spec, diagnostics = load_xml(data, "deep.xml")
    assert spec is None
    assert _codes(diagnostics) == ["X013"]


def test_huge_text_node_is_stopped() -> None:
    data = b'<SLA xmlns="http://www.ibm.com/wsla" name="x">' + b"a" * 11_000_000 + b"</SLA>"
    spec, diagnostics = load_xml(data, "huge.xml")
    assert spec is None
    assert _codes(diagnostics) == ["X014"]


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00\x00garbage", b"<", b"<SLA", b"<?xml?>", b"\x00" * 64, b"<a>&#0;</a>"],
)
def test_odd_inputs_give_one_error(data: bytes) -> None:
    spec, diagnostics = load_xml(data, "odd.xml")
    assert spec is None
    assert len(diagnostics) == 1
    assert diagnostics[0].is_error


# --- no file is read, no connection is made ---------------------------------------------

SECRET = "SECRET-MARKER-7f3a9c"


def _everything(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(f"{d.message} {d.help} {' '.join(d.notes)}" for d in diagnostics)


@pytest.fixture
def secret_files(tmp_path: Path) -> tuple[Path, Path]:
    text = tmp_path / "secret.txt"
    text.write_text(SECRET + "\n")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak "{SECRET}">\n<!ATTLIST SLA name CDATA "{SECRET}">\n')
    return text, dtd


def _documents(text: Path, dtd: Path) -> list[bytes]:
    ns = 'xmlns="http://www.ibm.com/wsla"'
    return [
        f'<!DOCTYPE SLA [<!ENTITY e SYSTEM "{text.as_uri()}">]><SLA {ns}>&e;</SLA>'.encode(),
        (
            f'<!DOCTYPE SLA [<!ENTITY % p SYSTEM "{dtd.as_uri()}"> %p;]><SLA {ns}>&leak;</SLA>'
        ).encode(),
        f'<!DOCTYPE SLA SYSTEM "{dtd.as_uri()}"><SLA {ns}>&leak;</SLA>'.encode(),
        f'<!DOCTYPE SLA SYSTEM "{dtd.as_uri()}"><SLA {ns}/>'.encode(),
        (
            f'<SLA {ns} xmlns:xi="http://www.w3.org/2001/XInclude">'
            f'<xi:include href="{text.as_uri()}" parse="text"/></SLA>'
        ).encode(),
    ]


def test_local_files_never_leak(secret_files: tuple[Path, Path]) -> None:
    from lxml import etree

    for data in _documents(*secret_files):
        tree, diagnostics = parse_xml(data, "x.xml")
        assert SECRET not in _everything(diagnostics)
        if tree is not None:
            assert SECRET.encode() not in etree.tostring(tree)
        spec, diagnostics = load_xml(data, "x.xml")
        assert spec is None
        assert SECRET not in _everything(diagnostics)
        assert any(d.is_error for d in diagnostics)


def test_external_loads_go_to_the_blocking_resolver(secret_files: tuple[Path, Path]) -> None:
    """libxml2 does try to fetch an external subset here; the resolver answers with nothing."""
    from lxml import etree

    from wsla.xml.reader import safe_parser

    _, dtd = secret_files
    parser, blocker = safe_parser()
    data = f'<!DOCTYPE SLA SYSTEM "{dtd.as_uri()}"><SLA xmlns="http://www.ibm.com/wsla"/>'
    root = etree.fromstring(data.encode(), parser)
    assert blocker.blocked == [dtd.as_uri()]
    assert root.get("name") is None  # the DTD's attribute default was never applied


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on 127.0.0.1 that records every connection it receives."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    contacts: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(0.5)
                try:
                    contacts.append(conn.recv(1024))
                except OSError:
                    contacts.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], contacts
    finally:
        stop.set()
        thread.join(2)
        server.close()


def test_no_network_access(listener: tuple[int, list[bytes]]) -> None:
    port, contacts = listener
    url = f"http://127.0.0.1:{port}/evil"
    ns = 'xmlns="http://www.ibm.com/wsla"'
    documents = [
        f'<!DOCTYPE SLA SYSTEM "{url}.dtd"><SLA {ns}/>',
        f'<!DOCTYPE SLA [<!ENTITY e SYSTEM "{url}.txt">]><SLA {ns}>&e;</SLA>',
        f'<!DOCTYPE SLA [<!ENTITY % p SYSTEM "{url}.dtd"> %p;]><SLA {ns}/>',
        f'<!DOCTYPE SLA PUBLIC "-//X//Y" "{url}.dtd"><SLA {ns}/>',
        f'<SLA {ns} xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{url}"/></SLA>',
        (
            f'<SLA {ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="http://www.ibm.com/wsla {url}.xsd"/>'
        ),
    ]
    for data in documents:
        spec, diagnostics = load_xml(data.encode(), "net.xml")
        assert spec is None
        assert diagnostics
    # Prove the listener works, so that "no contact" above means something.
    with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
        probe.sendall(b"probe")
    for _ in range(50):
        if contacts:
            break
        threading.Event().wait(0.02)
    assert contacts == [b"probe"]


def test_each_entity_declaration_is_located() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE SLA [\n  <!ENTITY ab "y">\n  <!ENTITY a "x">\n'
        b'  <!ENTITY % p "z">\n]>\n<SLA xmlns="http://www.ibm.com/wsla"/>'
    )
    tree, diagnostics = parse_xml(data, "e.xml")
    assert tree is None
    located = sorted((d.code, d.span.line if d.span else 0) for d in diagnostics)
    assert located == [("X010", 3), ("X010", 4), ("X010", 5)]


# --- huge or hostile layouts: messages stay short, lookups stay linear ------------------


def test_messages_never_quote_megabytes() -> None:
    big = "x" * 1_000_000
    documents = [
        f'<SLA xmlns="urn:{big}"/>',
        f'<SLA xmlns="http://www.ibm.com/wsla"><{big}></{big}x></SLA>',
        (CASES / "minimal.xml")
        .read_text()
        .replace("<Window>12</Window>", f"<Window>{big}</Window>"),
        (CASES / "minimal.xml").read_text().replace('xsi:type="QConstructor"', f'xsi:type="{big}"'),
    ]
    for data in documents:
        spec, diagnostics = load_xml(data.encode(), "big.xml")
        assert spec is None
        assert diagnostics
        for d in diagnostics:
            assert len(d.message) < 400
            # a help may list every registered xsi:type (X032), which grows with the
            # registry, never with the input
            assert len(d.help or "") < 1000
            assert "x" * 100 not in (d.help or "")


def test_one_line_document_with_mixed_prefixes_is_fast() -> None:
    """Columns are searched left to right per line; a 4 MB single line with alternating
    prefixes for the same namespace must not turn that search quadratic."""
    import time

    ns = 'xmlns="http://www.ibm.com/wsla" xmlns:a="http://www.ibm.com/wsla"'
    metric = (
        '<Metric name="M"><Source>P</Source><MeasurementDirective xsi:type="Gauge">'
        "<MeasurementURI>u</MeasurementURI></MeasurementDirective></Metric>"
        '<a:Metric name="N"><a:Source>P</a:Source><a:MeasurementDirective xsi:type="Gauge">'
        "<a:MeasurementURI>u</a:MeasurementURI></a:MeasurementDirective></a:Metric>"
    )
    head = (CASES / "minimal.xml").read_text().split("<Metric ")[0]
    head = head.replace('xmlns="http://www.ibm.com/wsla"', ns)
    data = (
        " ".join(head.split()) + metric * 15_000 + "</ServiceDefinition><Obligations/></SLA>"
    ).encode()
    assert data.count(b"\n") <= 1
    assert len(data) > 4_000_000
    start = time.process_time()
    spec, diagnostics = load_xml(data, "line.xml")
    elapsed = time.process_time() - start
    assert spec is not None, diagnostics
    metrics = spec.service_definitions[0].metrics
    assert len(metrics) == 30_000
    spans = [m.span for m in metrics[-4:]]
    assert all(s is not None and s.column > 1 for s in spans)
    assert elapsed < 20


def test_integer_with_thousands_of_digits_is_x040() -> None:
    data = (
        (CASES / "minimal.xml")
        .read_bytes()
        .replace(b"<Hours>1</Hours>", b"<Hours>" + b"9" * 5000 + b"</Hours>")
    )
    spec, diagnostics = load_xml(data, "digits.xml")
    assert spec is None
    assert [d.code for d in diagnostics] == ["X040"]
    assert diagnostics[0].span == Span("digits.xml", 15, 17)
