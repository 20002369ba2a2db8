"""Late records (M017): each record older than the watermark is a coded warning at its
file and line, alike from both engines, capped like every data code, and never lost
from the report because the caller's ``keep`` drops the outcomes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import wsla
from wsla.cli import cli
from wsla.evaluation import EvaluationResult
from wsla.runtime.outcomes import LateRecord
from wsla.sources import DataProblems, Origin, Record

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "stock-quote.xml"
CORPUS = ROOT / "tests" / "hostile" / "data"
UNSORTED = CORPUS / "unsorted-rows.csv"
LATE = CORPUS / "late-records.csv"
T0 = 1_735_689_600 * 10**9
S = 10**9
UTIL = "GetQuote/ProbedUtilization"


def _where(result: EvaluationResult) -> list[tuple[str, str | None, int]]:
    return [
        (d.code, d.span.path if d.span else None, d.span.line if d.span else 0)
        for d in result.problems
    ]


@pytest.mark.parametrize("engine", ["batch", "event"])
def test_each_late_record_is_reported_at_its_line(engine: str) -> None:
    result = wsla.evaluate(SPEC, [UNSORTED], engine=engine)
    assert result.late_records == 2
    assert _where(result) == [("M017", str(UNSORTED), 3), ("M017", str(UNSORTED), 5)]
    assert all(not d.is_error for d in result.problems)
    first = result.problems[0]
    assert "2025-01-01T00:00:01Z" in first.message  # the record's own time
    assert "2025-01-01T00:00:05Z" in first.message  # the watermark it missed
    assert result.problem_counts == {"M017": 2}


def test_both_engines_agree_on_late_records() -> None:
    results = [wsla.evaluate(SPEC, [LATE], engine=e) for e in ("batch", "event")]
    assert results[0].to_json() == results[1].to_json()
    assert _where(results[0]) == _where(results[1])


@pytest.mark.parametrize("engine", ["batch", "event"])
def test_many_late_records_are_counted_not_flooded(engine: str) -> None:
    result = wsla.evaluate(SPEC, [LATE], engine=engine)
    assert result.late_records == 60
    assert result.problem_counts == {"M017": 60}
    codes = [d.code for d in result.problems]
    assert codes == ["M017"] * 50 + ["M014"]
    assert [line for _, _, line in _where(result)[:50]] == list(range(3, 53))
    assert "10 more M017 problems not shown (60 in all)" in result.problems[-1].message


@pytest.mark.parametrize("engine", ["batch", "event"])
def test_reported_even_when_keep_drops_the_outcomes(engine: str) -> None:
    result = wsla.evaluate(SPEC, [UNSORTED], engine=engine, keep=lambda o: False)
    assert result.outcomes == ()
    assert [line for _, _, line in _where(result)] == [3, 5]


def test_keep_still_decides_which_late_outcomes_are_kept() -> None:
    kept = wsla.evaluate(SPEC, [UNSORTED], keep=lambda o: isinstance(o, LateRecord))
    assert [o.record_time for o in kept.outcomes if isinstance(o, LateRecord)] == [
        T0 + S,
        T0 + 2 * S,
    ]
    assert all(isinstance(o, LateRecord) for o in kept.outcomes)


def test_allowed_lateness_makes_them_not_late() -> None:
    result = wsla.evaluate(SPEC, [UNSORTED], allowed_lateness_ns=10 * S)
    assert result.late_records == 0
    assert result.problems == ()


def test_records_without_origin_are_reported_without_a_place() -> None:
    records = [Record(T0 + 5 * S, UTIL, 1), Record(T0 + S, UTIL, 2)]
    result = wsla.evaluate(SPEC, records)
    assert [(d.code, d.span) for d in result.problems] == [("M017", None)]
    with_origin = [Record(T0 + 5 * S, UTIL, 1), Record(T0 + S, UTIL, 2, Origin("feed: a", 7))]
    result = wsla.evaluate(SPEC, with_origin)
    assert _where(result) == [("M017", "feed: a", 7)]


def test_cli_prints_them_and_does_not_stop_under_fail(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    run = CliRunner().invoke(
        cli, ["evaluate", str(SPEC), str(UNSORTED), "--on-error", "fail", "--json", str(out)]
    )
    assert run.exit_code == 0, run.output
    assert f"{UNSORTED}:3:1: M017 record for {UTIL}" in run.output
    assert f"{UNSORTED}:5:1: M017" in run.output
    assert "2 late records, 0 malformed records" in run.output  # not counted twice
    report = json.loads(out.read_text("utf-8"))
    assert report["problems"]["counts"] == {"M017": 2}
    assert report["records"]["late"] == 2


@pytest.mark.parametrize("engine", ["batch", "event"])
def test_capped_when_keep_drops_everything(engine: str) -> None:
    result = wsla.evaluate(SPEC, [LATE], engine=engine, keep=lambda o: False)
    assert result.outcomes == ()
    assert result.problem_counts == {"M017": 60}
    assert [d.code for d in result.problems] == ["M017"] * 50 + ["M014"]
    assert [line for _, _, line in _where(result)[:50]] == list(range(3, 53))


def test_warnings_are_capped_under_the_fail_policy_too() -> None:
    result = wsla.evaluate(SPEC, [LATE], on_error="fail")
    assert result.problem_counts == {"M017": 60}
    assert [d.code for d in result.problems] == ["M017"] * 50 + ["M014"]


def test_tally_counts_without_keeping() -> None:
    problems = DataProblems(keep=2)
    for line in range(1, 4):
        problems.report("M016", "again", Origin("f", line))
    problems.tally("M016", 10)
    problems.tally("M016", 0)
    assert problems.counts["M016"] == 13
    assert [d.code for d in problems.diagnostics()] == ["M016", "M016", "M014"]
    assert "11 more M016 problems not shown (13 in all)" in problems.diagnostics()[-1].message


def test_fail_policy_caps_repeated_warnings() -> None:
    """A warning never stops the fail policy, and past the cap it is only counted (a log
    shipped twice must not keep a million M016 diagnostics in memory)."""
    problems = DataProblems("fail", keep=3)
    for line in range(1, 8):
        problems.report("M016", "again", Origin("f", line))
    assert problems.counts["M016"] == 7
    assert [d.code for d in problems.diagnostics()] == ["M016"] * 3 + ["M014"]


def test_cli_text_matches_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary (stdout) and the late-record diagnostics (stderr) as a user sees them,
    with paths relative to the repository."""
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(
        cli, ["evaluate", "specs/stock-quote.xml", "tests/hostile/data/unsorted-rows.csv"]
    )
    assert run.exit_code == 0
    golden = ROOT / "tests" / "cases" / "evaluate" / "late-records.txt"
    assert run.stdout + "--- stderr ---\n" + run.stderr == golden.read_text("utf-8")
