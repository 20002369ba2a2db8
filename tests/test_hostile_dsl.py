"""The hostile ``.wsla`` corpus (``tests/hostile/dsl``) and generated hostile texts through
``loads_dsl``, ``validate_source`` and ``wsla validate``: each gives its own code, none
a traceback, and none takes more than a few seconds."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wsla.cli import cli
from wsla.diagnostics import Diagnostic, Severity
from wsla.dsl.reader import loads_dsl
from wsla.limits import Limits
from wsla.model.span import Span
from wsla.validation import validate_source

CORPUS = Path(__file__).parent / "hostile" / "dsl"
VALID = (CORPUS / "valid.wsla").read_text("utf-8")

EXPECTED = {
    "unterminated-string.wsla": ("D002", 8),
    "unterminated-quoted-name.wsla": ("D002", 9),
    "unterminated-comment.wsla": ("D003", 13),
    "unclosed-brace.wsla": ("D004", 14),
    "unbalanced-parenthesis.wsla": ("D001", 10),
    "stray-character.wsla": ("D019", 1),
    "only-comments.wsla": ("D022", 1),
}
"""Corpus file → (code, line) from both ``loads_dsl`` and ``wsla validate``."""

BYTES_EXPECTED = {
    "empty.wsla": ("C005", 1),
    "nul-byte.wsla": ("C003", 2),
    "invalid-utf8.wsla": ("C004", 2),
}
"""Files that are not text ``wsla validate`` reads: refused before the grammar runs."""

LOADS = frozenset({"valid.wsla", "bom.wsla"})


def _errors(diagnostics: list[Diagnostic]) -> list[tuple[str, int | None]]:
    return [
        (d.code, d.span.line if d.span else None)
        for d in diagnostics
        if d.severity is Severity.ERROR
    ]


def test_every_corpus_file_has_an_expectation() -> None:
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED) | set(BYTES_EXPECTED) | LOADS


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_loads_dsl_gives_the_code(name: str, expected: tuple[str, int]) -> None:
    spec, diagnostics = loads_dsl((CORPUS / name).read_text("utf-8"), name)
    assert spec is None
    assert _errors(diagnostics) == [expected]
    assert diagnostics[0].span is not None
    assert diagnostics[0].span.path == name


@pytest.mark.parametrize(("name", "expected"), sorted({**EXPECTED, **BYTES_EXPECTED}.items()))
def test_validate_source_gives_the_code(name: str, expected: tuple[str, int]) -> None:
    diagnostics = validate_source((CORPUS / name).read_bytes(), name)
    assert _errors(diagnostics) == [expected]


@pytest.mark.parametrize("name", sorted({**EXPECTED, **BYTES_EXPECTED}))
def test_cli_gives_the_code(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(CORPUS / name)])
    assert result.exit_code == 1, result.output
    code, line = {**EXPECTED, **BYTES_EXPECTED}[name]
    assert f"{name}:{line}:" in result.output
    assert code in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(LOADS))
def test_valid_files_load(name: str) -> None:
    assert _errors(validate_source((CORPUS / name).read_bytes(), name)) == []


# --------------------------------------------------------------------- generated cases


# These tests read 10 MB texts through the grammar, above the default .wsla size limit
# (L108, tested in test_hostile_regressions.py): they raise it to the general one.
RAISED = Limits(max_dsl_bytes=Limits().max_input_bytes)


def _timed(text: str, limit: float = 60.0) -> tuple[Any, list[Diagnostic]]:
    began = time.monotonic()
    result = loads_dsl(text, "big.wsla", limits=RAISED)
    assert time.monotonic() - began < limit
    return result


TEN_MB = 10 * 1024 * 1024


def test_ten_megabyte_single_line_spec_loads() -> None:
    one_line = " ".join(line.strip() for line in VALID.splitlines())
    text = f"{one_line} /* {'x' * TEN_MB} */"
    assert text.count("\n") == 0
    spec, diagnostics = _timed(text)
    assert spec is not None, diagnostics
    assert spec.name == "Hostile"


def test_ten_megabyte_line_after_the_sla_is_one_error() -> None:
    spec, diagnostics = _timed(VALID + "x" * TEN_MB)
    assert spec is None
    assert _errors(diagnostics) == [("D023", VALID.count("\n") + 1)]


def test_ten_megabyte_unterminated_string_is_found_at_its_start() -> None:
    text = VALID.replace('uri="http://acme.example/rt")', 'uri="' + "x" * TEN_MB)
    spec, diagnostics = _timed(text)
    assert spec is None
    assert _errors(diagnostics) == [("D002", 8)]


@pytest.mark.parametrize("depth", [10_000])
def test_ten_thousand_nested_parentheses(depth: int) -> None:
    text = VALID.replace("mean(RTs)", "mean(" + "(" * depth + "RTs" + ")" * depth + ")")
    spec, diagnostics = _timed(text)
    assert spec is None
    assert [code for code, _ in _errors(diagnostics)] == ["D031"]
    assert [code for code, _ in _errors(validate_source(text.encode(), "deep.wsla"))] == ["D031"]


def test_ten_thousand_nested_calls() -> None:
    text = VALID.replace("mean(RTs)", "mean(" * 10_000 + "RTs" + ")" * 10_000)
    spec, diagnostics = _timed(text)
    assert spec is None
    assert [code for code, _ in _errors(diagnostics)] == ["D031"]


def test_deep_nesting_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "deep.wsla"
    path.write_text(VALID.replace("mean(RTs)", "mean(" + "(" * 10_000 + "RTs" + ")" * 10_001))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "D031" in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------- encodings and line ends


def _spans(node: object) -> Iterator[tuple[str, int, int]]:
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        span = getattr(node, "span", None)
        if isinstance(span, Span):
            yield type(node).__name__, span.line, span.column
        for f in dataclasses.fields(node):
            if f.name != "span":
                yield from _spans(getattr(node, f.name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _spans(item)


def _positions(text: str) -> list[tuple[str, int, int]]:
    spec, diagnostics = loads_dsl(text, "spec.wsla")
    assert spec is not None, diagnostics
    return list(_spans(spec))


def test_crlf_loads_with_the_same_positions() -> None:
    reference = _positions(VALID)
    assert len({line for _, line, _ in reference}) >= 5
    assert _positions(VALID.replace("\n", "\r\n")) == reference


def test_crlf_error_positions() -> None:
    broken = (CORPUS / "unterminated-string.wsla").read_text("utf-8")
    first = loads_dsl(broken, "x.wsla")[1]
    second = loads_dsl(broken.replace("\n", "\r\n"), "x.wsla")[1]
    assert [(d.code, d.span) for d in second] == [(d.code, d.span) for d in first]


def test_bom_is_not_a_column() -> None:
    bom = (CORPUS / "bom.wsla").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf")
    assert _positions(bom.decode("utf-8-sig")) == _positions(VALID)
    broken = (CORPUS / "stray-character.wsla").read_bytes()
    spans = [d.span for d in validate_source(b"\xef\xbb\xbf" + broken, "x.wsla")]
    plain = [d.span for d in validate_source(broken, "x.wsla")]
    assert spans == plain
    assert spans
