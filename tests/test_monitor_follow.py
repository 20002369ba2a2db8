"""``wsla evaluate --follow``: JSON Lines in, outcomes out as JSON Lines as they occur."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from wsla.cli import cli
from wsla.cli.follow import follow
from wsla.evaluation import load_spec
from wsla.runtime.engine import Evaluator
from wsla.runtime.values import ns_to_iso

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "example-shop-service.xml"
T0 = 1_767_225_600 * 10**9  # 2026-01-01T00:00:00Z


def _line(seconds: float, target: str, value: Any) -> str:
    return json.dumps(
        {"time": ns_to_iso(T0 + round(seconds * 1e9)), "target": target, "value": value}
    )


def _stream() -> list[tuple[float, str, Any]]:
    out: list[tuple[float, str, Any]] = []
    for i in range(40):
        slow = 20 <= i < 30
        out.append((i * 9.0, "getItem#invocation", 90.0 if slow else 20.0))
        out.append((i * 9.0, "getItem/Succeeded", True))
        out.append((i * 9.0 + 1, "urn:example-shop:placeOrder:response-time", 100 + i))
        out.append((i * 9.0 + 1, "urn:example-shop:placeOrder:succeeded", i % 7 != 0))
    return out


def _expected(records: list[tuple[float, str, Any]]) -> list[dict[str, Any]]:
    ev = Evaluator(load_spec(SPEC))
    for seconds, target, value in records:
        ev.feed(target, T0 + round(seconds * 1e9), value)
    return [o.to_json() for o in ev.finish().outcomes]


def test_follow_from_stdin_prints_the_outcomes_of_a_batch_evaluation() -> None:
    records = _stream()
    text = "\n".join(_line(*r) for r in records) + "\n"
    result = CliRunner().invoke(cli, ["evaluate", str(SPEC), "--follow"], input=text)
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    outcomes = [o for o in lines if o["type"] != "summary"]
    assert outcomes == _expected(records)
    assert any(o["type"] == "action_request" for o in outcomes)
    summaries = {o["slo"]: o for o in lines if o["type"] == "summary"}
    assert set(summaries) == {
        "getItemLatency",
        "getItemErrors",
        "placeOrderLatency",
        "placeOrderErrors",
    }
    assert summaries["getItemLatency"]["violations"] >= 1


def test_bad_lines_are_reported_with_their_line_and_skipped() -> None:
    text = "\n".join(
        [
            _line(0, "getItem#invocation", 10.0),
            "{not json",
            "[1, 2]",
            json.dumps({"time": ns_to_iso(T0), "value": 1}),
            json.dumps({"time": "yesterday", "target": "getItem/Succeeded", "value": 1}),
            _line(70, "getItem#invocation", 12.0),
        ]
    )
    result = CliRunner().invoke(cli, ["evaluate", str(SPEC), "--follow"], input=text)
    assert result.exit_code == 0, result.stderr
    for line, code in [(2, "M001"), (3, "M001"), (4, "M002"), (5, "M00")]:
        assert f"<stdin>:{line}:1: {code}" in result.stderr
    means = [
        json.loads(line)["value"]
        for line in result.stdout.splitlines()
        if '"getItemMeanResponseTime"' in line and '"parameter_value"' in line
    ]
    assert means == [10.0]


def test_follow_stops_at_the_first_bad_line_under_on_error_fail() -> None:
    text = _line(0, "getItem#invocation", 10.0) + "\n{oops\n"
    result = CliRunner().invoke(
        cli, ["evaluate", str(SPEC), "--follow", "--on-error", "fail"], input=text
    )
    assert result.exit_code == 1
    assert "M001" in result.stderr


def test_follow_usage_errors() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", str(SPEC), "--follow", "--json", "-"], input="")
    assert result.exit_code == 2
    result = runner.invoke(cli, ["evaluate", str(SPEC), "x.jsonl", "--idle-exit", "1"])
    assert result.exit_code == 2


def test_follow_a_growing_file_prints_outcomes_before_the_file_is_complete(
    tmp_path: Path,
) -> None:
    data = tmp_path / "live.jsonl"
    data.write_text(_line(1, "getItem#invocation", 95.0) + "\n")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wsla",
            "evaluate",
            str(SPEC),
            str(data),
            "--follow",
            "--idle-exit",
            "3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        with data.open("a") as handle:  # a record past the minute: its tick closes 00:00-00:01
            handle.write(_line(61, "getItem#invocation", 5.0) + "\n")
        seen: list[dict[str, Any]] = []
        while not any(o["type"] == "violation" for o in seen):
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            seen.append(json.loads(line))
        # the violation of the first minute arrived while the file was still open for more
        assert process.poll() is None
        assert seen[-1]["slo"] == "getItemLatency"
        with data.open("a") as handle:
            handle.write(_line(125, "getItem#invocation", 7.0) + "\n")
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    tail = [json.loads(line) for line in rest.splitlines()]
    means = [o["value"] for o in seen + tail if o.get("parameter") == "getItemMeanResponseTime"]
    assert means[:2] == [95.0, 5.0]
    assert any(o["type"] == "summary" for o in tail)


def test_follow_function_skips_idle_markers() -> None:
    spec = load_spec(SPEC)
    got: list[dict[str, Any]] = []
    problems: list[Any] = []
    lines = iter(
        [None, _line(0, "getItem#invocation", 70.0), None, _line(60, "getItem#invocation", 1.0)]
    )
    count = follow(spec, lines, got.append, problems.append)
    assert count == 2
    assert problems == []
    assert [o["slo"] for o in got if o["type"] == "violation"] == ["getItemLatency"]


def test_follow_reads_wide_rows_through_a_binding() -> None:
    rows = [
        {"ts": T0 // 10**6 + 1_000 * i, "op": "getItem", "rt": 80.0, "ok": True} for i in range(3)
    ] + [{"ts": T0 // 10**6 + 61_000, "op": "getItem", "rt": 5.0, "ok": False}]
    text = "\n".join(json.dumps(r) for r in rows) + "\n"
    binds = ["time=ts", "time-format=ms", "key=op", "rt=invocation", "ok=Gauge"]
    args = ["evaluate", str(SPEC), "--follow", *(f"--bind={b}" for b in binds)]
    result = CliRunner().invoke(cli, args, input=text)
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    values = {o["parameter"]: o["value"] for o in lines if o["type"] == "parameter_value"}
    assert values["getItemMeanResponseTime"] == 80.0
    assert values["getItemErrorRatio"] == 0.0
    assert [o["slo"] for o in lines if o["type"] == "violation"] == ["getItemLatency"]
