"""``wsla.evaluate``: every kind of input gives the same outcomes, windows, errors as
values with diagnostics, and the workload specs evaluating with only a binding file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import wsla
from wsla.evaluation import EvaluationError, EvaluationResult, evaluate
from wsla.runtime.outcomes import Violation
from wsla.sources import Origin, Record

REPO = Path(__file__).parents[1]
SHARED = Path(__file__).parents[2] / "shared"
CASES = Path(__file__).parent / "cases" / "evaluate"
SPEC = CASES / "small.xml"
DATA = CASES / "small.csv"


def outcomes_json(result: EvaluationResult) -> str:
    return json.dumps([o.to_json() for o in result.outcomes], sort_keys=True)


def test_top_level_api_is_the_evaluation_function() -> None:
    assert wsla.evaluate is evaluate
    result = wsla.evaluate(SPEC, DATA)
    assert isinstance(result, EvaluationResult)
    assert [v.slo for v in result.violations()] == ["LoadBelow80", "FastEnough", "LoadBelow80"]
    assert result.problem_counts == {"M005": 1}
    assert result.problems[0].span is not None
    assert (result.problems[0].span.path, result.problems[0].span.line) == (str(DATA), 10)


def _rows() -> list[tuple[str, str, float]]:
    lines = DATA.read_text().splitlines()[1:-1]  # the malformed last line left out
    return [(t, target, float(v)) for t, target, v in (line.split(",") for line in lines)]


def test_csv_jsonl_parquet_records_and_tuples_agree(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _rows()
    csv = tmp_path / "m.csv"
    csv.write_text("time,target,value\n" + "".join(f"{t},{g},{v}\n" for t, g, v in rows))
    jsonl = tmp_path / "m.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"time": t, "target": g, "value": v}) + "\n" for t, g, v in rows)
    )
    parquet = tmp_path / "m.parquet"
    pq.write_table(
        pa.table(
            {
                "time": [t for t, _, _ in rows],
                "target": [g for _, g, _ in rows],
                "value": [v for _, _, v in rows],
            }
        ),
        parquet,
    )
    ns = [wsla.sources.parse_time(t, wsla.sources.TimeFormat.ISO) for t, _, _ in rows]
    records = [
        Record(n, g, v, Origin("mem", i))
        for i, (n, (_, g, v)) in enumerate(zip(ns, rows, strict=True))
    ]
    tuples = [(t, g, v) for t, g, v in rows]
    results = [evaluate(SPEC, source) for source in (csv, jsonl, parquet, records, tuples, [csv])]
    first = outcomes_json(results[0])
    assert first.count('"violation"') == 3
    for other in results[1:]:
        assert outcomes_json(other) == first
        assert other.summaries == results[0].summaries


def test_split_inputs_merge_to_the_same_result(tmp_path: Path) -> None:
    rows = DATA.read_text().splitlines()
    loads = tmp_path / "loads.csv"
    rts = tmp_path / "rts.csv"
    loads.write_text("\n".join([rows[0], *(r for r in rows[1:-1] if "urn:load" in r)]) + "\n")
    rts.write_text("\n".join([rows[0], *(r for r in rows[1:-1] if "RT" in r)]) + "\n")
    whole = evaluate(SPEC, DATA)
    split = evaluate(SPEC, [rts, loads])
    assert outcomes_json(split) == outcomes_json(whole)


def test_window_bounds() -> None:
    result = evaluate(
        SPEC,
        DATA,
        start="2025-03-01T10:00:25Z",
        end=datetime(2025, 3, 1, 10, 0, 45, tzinfo=UTC),
    )
    assert result.window == (
        wsla.sources.parse_time("2025-03-01T10:00:25Z", wsla.sources.TimeFormat.ISO),
        wsla.sources.parse_time("2025-03-01T10:00:45Z", wsla.sources.TimeFormat.ISO),
    )
    # inside the window only: load 0.9 at :30, and RT 150 alone in the queue at :40
    assert [(v.slo, v.values) for v in result.violations()] == [
        ("LoadBelow80", {"Load": 0.9}),
        ("FastEnough", {"MeanRT": 150.0}),
    ]
    with pytest.raises(EvaluationError) as err:
        evaluate(SPEC, DATA, start="2025-03-01T10:00:25")
    assert [d.code for d in err.value.diagnostics] == ["M003"]


def test_errors_are_evaluation_errors_with_diagnostics(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError) as err:
        evaluate(SPEC, DATA, on_error="fail")
    assert [(d.code, d.span.line if d.span else 0) for d in err.value.diagnostics] == [("M005", 10)]
    with pytest.raises(EvaluationError) as err:
        evaluate(SPEC, DATA, binding={"version": 1, "table": []})
    assert {d.code for d in err.value.diagnostics} == {"M009"}
    broken = tmp_path / "broken.xml"
    broken.write_text("<SLA xmlns='http://www.ibm.com/wsla'>")
    with pytest.raises(EvaluationError) as err:
        evaluate(broken, DATA)
    assert err.value.diagnostics
    assert all(d.span is not None and d.span.path == str(broken) for d in err.value.diagnostics)
    with pytest.raises(EvaluationError) as err:
        evaluate(tmp_path / "missing.xml", DATA)
    assert [d.code for d in err.value.diagnostics] == ["C001"]


def test_binding_as_a_mapping_and_progress_reports() -> None:
    seen: list[int] = []
    rows = [
        {"ts": 1740823200, "op": "getQuote", "load": 0.9, "rt": 120.0},
        {"ts": 1740823260, "op": "getQuote", "load": 0.1, "rt": 20.0},
    ]
    binding = {
        "version": 1,
        "table": [
            {
                "time": "ts",
                "time-format": "s",
                "key": "op",
                "feed": [
                    {"column": "load", "directive": "Gauge"},
                    {"column": "rt", "metric": "RT"},
                ],
            }
        ],
    }
    result = evaluate(SPEC, rows, binding=binding, progress=seen.append)
    assert seen[-1] == 4
    assert result.records == 4
    assert [v.slo for v in result.violations()] == ["LoadBelow80", "FastEnough"]


def test_trace_links_violations_to_input_lines() -> None:
    result = evaluate(SPEC, DATA, trace=True)
    first = result.violations()[0]
    assert isinstance(first, Violation)
    leaves = [e for chain in result.explain(first) for e in chain.records()]
    assert [leaf.origin for leaf in leaves] == [f"{DATA}:5"]


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("workload")
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "data" / "gen_workload.py"),
            "--out",
            str(out),
            "--requests",
            "20000",
            "--days",
            "2",
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_workload_spec_evaluates_with_only_the_binding_file(workload: Path) -> None:
    binding = REPO / "specs" / "workload.binding.toml"
    from_csv = evaluate(
        REPO / "specs" / "workload-shop.xml",
        [workload / "requests.csv", workload / "probes.csv"],
        binding=binding,
    )
    from_parquet = evaluate(
        REPO / "specs" / "workload-shop.xml",
        [workload / "requests.parquet", workload / "probes.parquet"],
        binding=binding,
    )
    assert from_csv.problem_counts == {}
    assert from_csv.unknown_targets == {}
    # 20 000 calls (invocation + success flag) and 2 days of probes every 10 s for 5 ops
    assert from_csv.records == 2 * 20_000 + 2 * 8640 * 5
    assert outcomes_json(from_parquet) == outcomes_json(from_csv)
    assert len(from_csv.summaries) == 20
    assert all(s.evaluations > 0 for s in from_csv.summaries.values())


def test_throughput_spec_uses_invocation_count_and_sum(workload: Path) -> None:
    result = evaluate(
        REPO / "specs" / "workload-throughput.xml",
        [workload / "requests.csv", workload / "probes.csv"],
        binding=REPO / "specs" / "workload.binding.toml",
        end="2025-01-03T00:00:00Z",
    )
    assert result.problem_counts == {}
    # the probe log is of no use to this spec: unused, not malformed
    assert result.unused_rows == 2 * 8640 * 5
    assert result.records == 20_000
    calls = [
        o.value for o in result.outcomes if getattr(o, "parameter", None) == "getQuoteCallsPerHour"
    ]
    # 48 hourly ticks; the first has no previous sample (undefined), the others the
    # calls of their hour, which add up to every call but those of the first hour
    assert len(calls) == 48
    assert calls[0] is None
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(workload / "requests.csv")
    ts = table["ts"].to_pylist()
    ops = table["op"].to_pylist()
    first_hour_end = 1_735_689_600_000 + 3_600_000
    expected = sum(1 for t, op in zip(ts, ops, strict=True) if op == "getQuote")
    expected -= sum(
        1 for t, op in zip(ts, ops, strict=True) if op == "getQuote" and t < first_hour_end
    )
    assert sum(calls[1:]) == expected


def test_a_dsl_spec_evaluates_like_its_xml(tmp_path: Path) -> None:
    from wsla.dsl.printer import dumps_dsl
    from wsla.evaluation import load_spec

    dsl = tmp_path / "small.wsla"
    dsl.write_text(dumps_dsl(load_spec(SPEC)), encoding="utf-8")
    assert outcomes_json(evaluate(dsl, DATA)) == outcomes_json(evaluate(SPEC, DATA))
