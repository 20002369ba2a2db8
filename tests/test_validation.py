"""`wsla.validation`: format detection, file discovery, reading, never raising."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import wsla.validation
from wsla.config import Config
from wsla.limits import Limits
from wsla.validation import (
    detect_format,
    display_text,
    expand_paths,
    validate_paths,
    validate_run,
    validate_source,
)


def test_detect_format() -> None:
    assert detect_format(b"<SLA/>") == "xml"
    assert detect_format(b"\xef\xbb\xbf\n\t <?xml version='1.0'?><SLA/>") == "xml"
    assert detect_format("<SLA/>".encode("utf-16")) == "xml"
    assert detect_format(b"sla X {}") == "wsla"
    assert detect_format(b"// <comment>\nsla X {}") == "wsla"
    assert detect_format(b"") == "wsla"


def test_expand_paths(tmp_path: Path) -> None:
    for name in ("z.xml", "a/b.wsla", "a/.git/c.xml", "a/readme.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "empty").mkdir()
    files, found = expand_paths(
        [str(tmp_path), str(tmp_path / "z.xml"), "-", str(tmp_path / "empty"), "nope.xml"]
    )
    assert files == [str(tmp_path / "a" / "b.wsla"), str(tmp_path / "z.xml"), "-"]
    assert [d.code for d in found] == ["C010", "C001"]


def test_display_text_uses_declared_encoding() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><SLA name="Zürich"/>'.encode("latin-1")
    assert "Zürich" in display_text(data)
    assert display_text(b"\xff\xfe<\x00a\x00") == "<a"
    assert display_text(b'<?xml encoding="no-such-codec"?>\xff').endswith("\ufffd")


def test_input_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<SLA/>" + b" " * 100)
    outcome = validate_run([str(big)], limits=Limits(max_input_bytes=50))
    assert [d.code for d in outcome.diagnostics] == ["L101"]


def test_stdin_is_read_from_the_given_stream() -> None:
    outcome = validate_run(["-"], stdin=io.BytesIO(b"   "))
    assert list(outcome.sources) == ["<stdin>"]
    assert [d.code for d in outcome.diagnostics] == ["C005"]
    assert outcome.diagnostics[0].span is not None
    assert outcome.diagnostics[0].span.path == "<stdin>"


def test_config_filters_but_keeps_internal_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(data: bytes, path: str) -> list[object]:
        raise ValueError("bug")

    monkeypatch.setattr(wsla.validation, "_validate", crash)
    (tmp_path / "a.xml").write_text("<SLA/>")
    found = validate_paths([str(tmp_path / "a.xml")], Config(select=("X",)))
    assert [d.code for d in found] == ["C090"]
    assert found[0].notes == ()
    with_tb = validate_source(b"<SLA/>", "a.xml", traceback=True)
    assert "Traceback" in with_tb[0].notes[0]


def test_recursion_is_a_limit_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    def deep(data: bytes, path: str) -> list[object]:
        raise RecursionError

    monkeypatch.setattr(wsla.validation, "_validate", deep)
    assert [d.code for d in validate_source(b"sla", "x.wsla")] == ["L102"]


def test_dsl_decoding_errors() -> None:
    bad = validate_source(b"sla A {\n  caf\xe9 }\n", "a.wsla")
    assert [(d.code, d.span.line, d.span.column) for d in bad if d.span] == [("C004", 2, 6)]
    binary = validate_source(b"PK\x03\x04\x00\x00", "a.zip")
    assert [d.code for d in binary] == ["C003"]


@given(st.binary(max_size=300))
def test_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    found = validate_source(data, "fuzz.wsla")
    assert all(d.code != "C090" for d in found), found
    assert all(d.span is None or d.span.path == "fuzz.wsla" for d in found)
