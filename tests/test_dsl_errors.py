"""Known-bad ``.wsla`` snippets and the exact diagnostics they produce (golden files).

Each ``tests/cases/dsl/NAME.wsla`` has ``NAME.expected``: the text renderer's output for
its diagnostics. Regenerate after an intended change with
``WSLA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_dsl_errors.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from wsla.codes import lookup
from wsla.dsl import format_source, loads_dsl
from wsla.report.text import render_text

CASES = sorted((Path(__file__).parent / "cases" / "dsl").glob("*.wsla"))


def test_the_catalogue_is_large_and_covers_every_dsl_code() -> None:
    assert len(CASES) >= 30
    codes = set()
    for case in CASES:
        expected = case.with_suffix(".expected").read_text(encoding="utf-8")
        codes.update(re.findall(r": (D\d{3}) ", expected))
    from wsla.codes.dsl import CODES

    assert {c.code for c in CODES} - codes == {"D031"}  # D031: see test_deep_nesting


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_known_bad_snippet(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    spec, diagnostics = loads_dsl(text, case.name)
    assert spec is None
    assert len(diagnostics) == 1
    diagnostic = diagnostics[0]
    assert lookup(diagnostic.code) is not None
    assert diagnostic.span is not None
    assert diagnostic.span.path == case.name
    rendered = render_text(diagnostics, {case.name: text})
    golden = case.with_suffix(".expected")
    if os.environ.get("WSLA_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
    # the formatter refuses the same text with the same diagnostic
    formatted, again = format_source(text, case.name)
    assert formatted is None
    assert again == diagnostics


def test_the_reader_never_raises_on_mutated_text() -> None:
    """Every prefix of a valid spec gives a spec or coded diagnostics, never an exception."""
    text = (Path(__file__).parent.parent / "specs" / "stock-quote.wsla").read_text()
    for cut in range(0, len(text), 97):
        spec, diagnostics = loads_dsl(text[:cut] + "\n", "cut.wsla")
        assert (spec is None) == bool(diagnostics)
        for d in diagnostics:
            assert lookup(d.code) is not None


def test_deep_nesting_is_a_diagnostic() -> None:
    depth = 3000
    text = (
        "sla S { provider P consumer C service D { metric M by P = "
        + "(" * depth
        + "a + 1"
        + ")" * depth
        + " } obligations }"
    )
    spec, diagnostics = loads_dsl(text)
    assert spec is None
    assert [d.code for d in diagnostics] == ["D031"]


SPEC = (Path(__file__).parent.parent / "specs" / "stock-quote.wsla").read_text(encoding="utf-8")


def test_a_huge_integer_is_a_diagnostic_not_a_traceback() -> None:
    text = SPEC.replace("window=12", "window=" + "1" * 5000)
    spec, diagnostics = loads_dsl(text, "x.wsla")
    assert spec is None
    assert [d.code for d in diagnostics] == ["D032"]


def test_messages_and_carets_stay_short_for_huge_tokens() -> None:
    spec, diagnostics = loads_dsl(SPEC + "x" * 1_000_000, "x.wsla")
    assert spec is None
    assert diagnostics[0].code == "D023"
    assert len(diagnostics[0].message) < 200
    span = diagnostics[0].span
    assert span is not None
    assert span.end_column is not None
    assert span.end_column - span.column < 250


def test_a_repeated_provider_stops_at_the_second() -> None:
    spec, diagnostics = loads_dsl("sla X { " + "provider " * 200_000, "x.wsla")
    assert spec is None
    assert diagnostics[0].code == "D007"
    assert diagnostics[0].span is not None
    assert diagnostics[0].span.column == 18


def test_a_byte_order_mark_is_not_a_column() -> None:
    broken = SPEC.replace("sla DemoSLA123", "sla DemoSLA123 ;")
    with_bom = loads_dsl("\ufeff" + broken, "x.wsla")[1]
    plain = loads_dsl(broken, "x.wsla")[1]
    assert with_bom
    assert [d.span for d in with_bom] == [d.span for d in plain]
