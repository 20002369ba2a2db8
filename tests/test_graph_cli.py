"""``wsla graph``: formats, focus, output file, DSL input, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from wsla.cli import cli

ROOT = Path(__file__).parent.parent
STOCK = str(ROOT / "specs" / "stock-quote.xml")
CASES = ROOT / "tests" / "cases" / "check"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["graph", *args])
    return result.exit_code, result.stdout, result.stderr


def test_dot_is_the_default_and_graphviz_reads_it() -> None:
    code, out, _ = _run(STOCK)
    assert code == 0
    assert out.startswith('digraph "DemoSLA123" {')
    dot = shutil.which("dot")
    assert dot is not None, "Graphviz `dot` is required (apt-get install graphviz)"
    canon = subprocess.run([dot, "-Tcanon"], check=False, input=out, capture_output=True, text=True)
    assert canon.returncode == 0 and not canon.stderr


def test_json_focus_keeps_only_related_nodes() -> None:
    code, out, _ = _run(STOCK, "--format", "json", "--focus", "UpTimeSLO")
    assert code == 0
    g = nx.node_link_graph(json.loads(out), edges="edges")
    assert "slo:UpTimeSLO" in g
    assert "slo:ContinuousDowntimeSLO" not in g
    assert "directive:DemoService/GetQuote/MeasuredStatus" in g


def test_unknown_focus_is_a_usage_error_with_a_suggestion() -> None:
    code, _, err = _run(STOCK, "--focus", "UpTimeSL")
    assert code == 2
    assert "did you mean 'UpTimeSLO'" in err


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "g.mmd"
    code, out, _ = _run(STOCK, "--format", "mermaid", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("flowchart LR\n")
    assert [p.name for p in tmp_path.iterdir()] == ["g.mmd"]  # no temporary file left


def test_dsl_input() -> None:
    code, out, _ = _run(str(CASES / "G002.wsla"), "--format", "graphml")
    assert code == 0
    assert "metric:Service/Op/Unused" in out


def test_unreadable_spec_exits_1_with_diagnostics(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<SLA", encoding="utf-8")
    code, out, err = _run(str(bad))
    assert code == 1
    assert out == ""
    assert "bad.xml:1:" in err


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "nope.xml"))
    assert code == 2
    assert "nope.xml" in err
