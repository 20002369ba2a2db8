"""Golden tests: for every semantic code, a bad spec in each syntax that yields exactly that
code, rendered in full (position, snippet, help) as ``tests/cases/check/<CODE>[.wsla].txt``.

Regenerate after an intended change with ``WSLA_UPDATE_GOLDEN=1 pytest tests/test_check_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from wsla.codes import semantic
from wsla.report.text import render_text
from wsla.validation import validate_source

CASES = Path(__file__).parent / "cases" / "check"
CODES = [c.code for c in semantic.CODES]
UPDATE = os.environ.get("WSLA_UPDATE_GOLDEN") == "1"


_EXPECT = re.compile(r"^(?:<!--|//) (?P<code>\w+): .*; expect (?P<pos>[\d:, ]+?)(?: -->)?$", re.M)


def _run(case: Path) -> tuple[list[str], list[str], str]:
    shown = f"tests/cases/check/{case.name}"
    text = case.read_text(encoding="utf-8")
    found = validate_source(case.read_bytes(), shown)
    where = sorted({f"{d.span.line}:{d.span.column}" for d in found if d.span is not None})
    return [d.code for d in found], where, render_text(found, {shown: text})


@pytest.mark.parametrize("suffix", [".xml", ".wsla"])
@pytest.mark.parametrize("code", CODES)
def test_case_yields_exactly_its_code(code: str, suffix: str) -> None:
    case = CASES / f"{code}{suffix}"
    assert case.exists(), f"no golden case {case.name} for {code}"
    codes, where, rendered = _run(case)
    assert codes, f"{case.name} produced no diagnostic"
    assert set(codes) == {code}, rendered
    # The header comment states the code and the line:column it must be reported at.
    header = _EXPECT.search(case.read_text(encoding="utf-8"))
    assert header is not None and header["code"] == code, "header: <code>: …; expect L:C"
    assert where == sorted(header["pos"].split(", ")), rendered
    golden = case.with_name(case.name + ".txt")
    if UPDATE:
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), f"missing {golden.name}: run with WSLA_UPDATE_GOLDEN=1"
    assert rendered == golden.read_text(encoding="utf-8")


def test_golden_files_belong_to_known_codes() -> None:
    stems = {p.name.split(".", 1)[0] for p in CASES.iterdir()}
    assert stems <= set(CODES), sorted(stems - set(CODES))


def test_every_code_documented() -> None:
    for code in semantic.CODES:
        assert code.title and len(code.explanation) > 80, code.code
        assert code.bad and code.good and code.bad != code.good, code.code
        assert code.code[0] in "NRATUSG"
