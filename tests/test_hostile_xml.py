"""The hostile XML corpus (``tests/hostile/xml``) and generated hostile documents, through
every public entry point: ``load_xml``, ``validate_source``, ``wsla validate`` (click's
runner) and one real ``python -m wsla validate`` process.

Each case gives its own code; none reads a file, opens a connection, leaks a file's
content into any output, or takes more than a few seconds.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hostile_support import Listener, Secret, assert_no_leak, instantiate, listening, secret_file

from wsla.cli import cli
from wsla.diagnostics import Diagnostic, Severity
from wsla.limits import Limits
from wsla.model.span import Span
from wsla.validation import validate_run, validate_source
from wsla.xml.reader import load_xml

CORPUS = Path(__file__).parent / "hostile" / "xml"
ROOT = Path(__file__).resolve().parents[1]

EXPECTED = {
    "xxe-file.xml": "X011",
    "xxe-http.xml": "X011",
    "xxe-file-in-attribute.xml": "X002",
    "parameter-entity-file.xml": "X011",
    "parameter-entity-http.xml": "X011",
    "parameter-entity-exfiltration.xml": "X002",
    "internal-entity.xml": "X010",
    "billion-laughs.xml": "X010",
    "external-dtd-file.xml": "X012",
    "external-dtd-http.xml": "X012",
    "external-dtd-public.xml": "X012",
    "xinclude-file.xml": "X030",
    "xinclude-http.xml": "X030",
    "schema-location-http-invalid.xml": "X030",
    "nul-byte.xml": "X004",
    "invalid-utf8.xml": "X003",
    "unknown-encoding.xml": "X003",
}
"""Corpus file → the one error code it gives."""

LOADS = frozenset(
    {
        "valid.xml",
        "schema-location-http.xml",
        "no-namespace-schema-location-http.xml",
        "stylesheet-http.xml",
    }
)
"""Corpus files that load: hints to fetch something (a schema, a stylesheet) are ignored."""


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    # No wsla.toml or pyproject.toml of the checkout may change these runs.
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as found:
        yield found


@pytest.fixture(params=["file", "fifo"])
def secret(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Secret]:
    with secret_file(tmp_path, fifo=request.param == "fifo") as found:
        yield found


def _case(name: str, listener: Listener, secret: Secret) -> bytes:
    return instantiate((CORPUS / name).read_bytes(), listener, secret)


def _errors(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics if d.severity is Severity.ERROR]


def test_the_leak_detectors_detect(tmp_path: Path) -> None:
    # The checks below are only worth something if a read or a connection is noticed.
    import socket

    with listening() as probe, secret_file(tmp_path, fifo=True) as fifo:
        with socket.create_connection(("127.0.0.1", int(probe.url.rsplit(":", 1)[1]))):
            pass
        with fifo.path.open("rb") as handle:
            content = handle.read()
        deadline = time.monotonic() + 5
        while not probe.connections and time.monotonic() < deadline:
            time.sleep(0.01)
        assert probe.connections
        assert fifo.opened.is_set()
        assert b"WSLA-SECRET" in content
        with pytest.raises(AssertionError):
            assert_no_leak([], probe, fifo)


def test_every_corpus_file_has_an_expectation() -> None:
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED) | LOADS


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_load_xml_gives_the_code(name: str, code: str, listener: Listener, secret: Secret) -> None:
    spec, diagnostics = load_xml(_case(name, listener, secret), name)
    assert spec is None
    assert _errors(diagnostics) == [code]
    span = diagnostics[0].span
    assert span is not None
    assert span.path == name
    assert span.line >= 1
    assert_no_leak([repr(diagnostics)], listener, secret)


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_validate_source_gives_the_code(
    name: str, code: str, listener: Listener, secret: Secret
) -> None:
    diagnostics = validate_source(_case(name, listener, secret), name)
    assert _errors(diagnostics) == [code]
    assert_no_leak([repr(diagnostics)], listener, secret)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("output", ["text", "json", "sarif"])
def test_cli_reports_the_code_without_leaking(
    name: str,
    output: str,
    listener: Listener,
    secret: Secret,
    tmp_path: Path,
) -> None:
    path = tmp_path / name
    path.write_bytes(_case(name, listener, secret))
    result = CliRunner().invoke(cli, ["validate", "--format", output, str(path)])
    assert result.exit_code == 1, result.output
    assert EXPECTED[name] in result.output
    assert "Traceback" not in result.output
    assert_no_leak([result.output], listener, secret)


@pytest.mark.parametrize("name", sorted(LOADS))
def test_fetch_hints_are_ignored_and_the_spec_loads(
    name: str, listener: Listener, secret: Secret
) -> None:
    data = _case(name, listener, secret)
    spec, diagnostics = load_xml(data, name)
    assert spec is not None
    assert _errors(diagnostics) == []
    assert _errors(validate_source(data, name)) == []
    assert_no_leak([repr(diagnostics)], listener, secret)


def test_real_process_reads_nothing_and_connects_nowhere(
    listener: Listener, tmp_path: Path
) -> None:
    with secret_file(tmp_path, fifo=True) as fifo:
        names = [
            "xxe-file.xml",
            "parameter-entity-http.xml",
            "external-dtd-file.xml",
            "external-dtd-http.xml",
            "xinclude-file.xml",
            "schema-location-http.xml",
        ]
        for name in names:
            (tmp_path / name).write_bytes(_case(name, listener, fifo))
        env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
        found = subprocess.run(
            [sys.executable, "-m", "wsla", "validate", "--format", "json", *names],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=120,
            check=False,
        )
        assert found.returncode == 1, found.stderr
        assert "Traceback" not in found.stderr
        report = json.loads(found.stdout)
        text = json.dumps(report)
        for name in names:
            if name in EXPECTED:
                assert EXPECTED[name] in text
        assert_no_leak([found.stdout, found.stderr], listener, fifo)


# --------------------------------------------------------------------- generated cases


def _timed(data: bytes, name: str, limit: float = 60.0) -> tuple[Any, list[Diagnostic]]:
    began = time.monotonic()
    result = load_xml(data, name)
    assert time.monotonic() - began < limit
    return result


def _envelope(doctype: str, content: str) -> bytes:
    valid = (CORPUS / "valid.xml").read_text("utf-8")
    head, _, rest = valid.partition("\n")
    body = rest.replace(
        '<Obligations name="Obligations"/>', f"<Obligations>{content}</Obligations>"
    )
    return f"{head}\n{doctype}\n{body}".encode()


def test_quadratic_blowup_is_refused_quickly() -> None:
    # One 50 kB entity referenced 50,000 times: a 250 kB file expanding to 2.5 GB.
    data = _envelope(f'<!DOCTYPE SLA [<!ENTITY a "{"x" * 50_000}">]>', "&a;" * 50_000)
    spec, diagnostics = _timed(data, "quadratic.xml")
    assert spec is None
    assert _errors(diagnostics) == ["X010"]
    assert _errors(validate_source(data, "quadratic.xml")) == ["X010"]


def test_huge_text_node_is_a_resource_limit() -> None:
    data = _envelope("", "x" * (11 * 1024 * 1024))
    spec, diagnostics = _timed(data, "huge-text.xml")
    assert spec is None
    assert _errors(diagnostics) == ["X014"]


def test_huge_attribute_is_a_resource_limit() -> None:
    valid = (CORPUS / "valid.xml").read_bytes()
    data = valid.replace(b'name="Hostile"', b'name="' + b"a" * (11 * 1024 * 1024) + b'"')
    spec, diagnostics = _timed(data, "huge-attribute.xml")
    assert spec is None
    assert _errors(diagnostics) == ["X014"]


def test_many_huge_attributes_are_a_resource_limit() -> None:
    # Many 1 MB attribute values: each below libxml2's limits, 20 MB together.
    extra = " ".join(f'a{i}="{"v" * 1_000_000}"' for i in range(20))
    valid = (CORPUS / "valid.xml").read_bytes()
    data = valid.replace(b'name="Hostile"', f'name="Hostile" {extra}'.encode())
    spec, diagnostics = _timed(data, "many-attributes.xml")
    assert spec is None
    assert _errors(diagnostics) == ["X014"]


@pytest.mark.parametrize("depth", [300, 40_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    data = _envelope("", "<Not>" * depth + "</Not>" * depth)
    spec, diagnostics = _timed(data, "deep.xml")
    assert spec is None
    assert _errors(diagnostics) == ["X013"]
    assert _errors(validate_source(data, "deep.xml")) == ["X013"]


def test_deep_nesting_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_bytes(_envelope("", "<a>" * 40_000 + "</a>" * 40_000))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "X013" in result.output
    assert "Traceback" not in result.output


def test_input_larger_than_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes((CORPUS / "valid.xml").read_bytes() + b"<!--" + b"x" * 5000 + b"-->")
    outcome = validate_run([str(path)], limits=Limits(max_input_bytes=4096))
    assert [d.code for d in outcome.diagnostics] == ["L101"]


def test_nul_bytes_after_the_first_block_are_still_refused() -> None:
    valid = (CORPUS / "valid.xml").read_bytes()
    data = valid.replace(b"</SLA>", b"<!--" + b" " * 10_000 + b"-->\x00</SLA>")
    spec, diagnostics = load_xml(data, "late-nul.xml")
    assert spec is None
    assert _errors(diagnostics) == ["X002"]
    span = diagnostics[0].span
    assert span is not None
    assert span.line == data[: data.index(b"\x00")].count(b"\n") + 1


# ------------------------------------------------------------- encodings and line ends


def _spans(node: object) -> Iterator[tuple[str, Span]]:
    """Every (class name, span) in a model, depth first."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        span = getattr(node, "span", None)
        if isinstance(span, Span):
            yield type(node).__name__, span
        for f in dataclasses.fields(node):
            if f.name != "span":
                yield from _spans(getattr(node, f.name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _spans(item)


def _positions(data: bytes) -> list[tuple[str, int, int]]:
    spec, diagnostics = load_xml(data, "spec.xml")
    assert spec is not None, diagnostics
    assert _errors(diagnostics) == []
    return [(name, s.line, s.column) for name, s in _spans(spec)]


STOCK = ROOT / "specs" / "stock-quote.xml"


def test_crlf_line_endings_load_with_the_same_positions() -> None:
    lf = STOCK.read_bytes()
    assert b"\r\n" not in lf
    reference = _positions(lf)
    assert len({line for _, line, _ in reference}) > 50
    assert _positions(lf.replace(b"\n", b"\r\n")) == reference


def test_crlf_positions_in_diagnostics() -> None:
    lf = (CORPUS / "valid.xml").read_bytes().replace(b"<Source>ACME</Source>", b"<Sauce/>")
    crlf = lf.replace(b"\n", b"\r\n")
    first = [(d.code, d.span) for d in load_xml(lf, "x.xml")[1]]
    second = [(d.code, d.span) for d in load_xml(crlf, "x.xml")[1]]
    assert first
    assert second == first


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_documents_with_a_byte_order_mark_load_with_the_same_positions(
    encoding: str, bom: bytes
) -> None:
    text = STOCK.read_text("utf-8")
    if encoding != "utf-8":
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = bom + text.encode(encoding)
    assert _positions(data) == _positions(STOCK.read_bytes())
    assert _errors(validate_source(data, "bom.xml")) == []


def test_utf16_through_the_cli(tmp_path: Path) -> None:
    text = STOCK.read_text("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "utf16.xml"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
