"""Long chains of metric references (found by fuzzing): the semantic checks and the
runtime work them out iteratively, never by one recursion per link."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wsla.check import check
from wsla.dsl.reader import loads_dsl
from wsla.validation import validate_source


def _chain(n: int) -> str:
    lines = [
        "sla Chain {",
        "  provider P",
        "  consumer C",
        "  service S {",
        '    metric M0: long by P = measure gauge(uri="u") as long',
    ]
    lines += [f"    metric M{i}: long by P = (M{i - 1} + 1) as long" for i in range(1, n)]
    lines.append(f"    parameter Last: long = M{n - 1} source P push [C]")
    lines += ["  }", "  obligations O", "}"]
    return "\n".join(lines)


def test_a_chain_of_1000_metrics_is_checked() -> None:
    # 46 KB, nothing nested: M1 = M0 + 1, M2 = M1 + 1, ... Units used to be resolved by
    # one recursion per link (RecursionError at ~330 links, reported as L102).
    spec, diagnostics = loads_dsl(_chain(1000), "chain.wsla")
    assert spec is not None, diagnostics
    assert [d.code for d in check(spec) if d.severity.value == "error"] == []
    codes = [d.code for d in validate_source(_chain(1000).encode(), "chain.wsla")]
    assert "L102" not in codes


def test_evaluate_a_long_chain_is_not_an_internal_error(tmp_path: Path) -> None:
    spec = tmp_path / "chain.wsla"
    spec.write_text(_chain(1000))
    data = tmp_path / "data.csv"
    data.write_text("time,target,value\n2025-01-01T00:00:00Z,S/M0,1\n")
    found = subprocess.run(
        [sys.executable, "-m", "wsla", "evaluate", str(spec), str(data), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert found.returncode != 3, found.stderr
