"""``wsla evaluate``: exit codes, the summary table (golden file), JSON output checked
against docs/evaluation.schema.json, evidence traces."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wsla.cli import cli

CASES = Path(__file__).parent / "cases" / "evaluate"
SPEC = CASES / "small.xml"
DATA = CASES / "small.csv"
SCHEMA = json.loads(
    (Path(__file__).parents[1] / "docs" / "evaluation.schema.json").read_text(encoding="utf-8")
)


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(cli, ["evaluate", *map(str, args)])


# ------------------------------------------------------------- a tiny schema checker
# Only the JSON Schema keywords docs/evaluation.schema.json uses (no dependency).

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return schema_errors(value, SCHEMA["$defs"][name], where)
    errors: list[str] = []
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not schema_errors(value, s, where)]
        if len(matching) != 1:
            errors.append(f"{where}: matches {len(matching)} of oneOf")
        return errors
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_TYPES[k](value) for k in kinds):
            return [f"{where}: {value!r} is not of type {kinds}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if _TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                errors.append(f"{where}: missing {key!r}")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], f"{where}.{key}")
            elif extra is False:
                errors.append(f"{where}: unexpected {key!r}")
            elif isinstance(extra, dict):
                errors += schema_errors(item, extra, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{where}[{i}]")
    return errors


def test_the_checker_catches_what_the_schema_forbids() -> None:
    good = json.loads(run(SPEC, DATA, "--json", "-").stdout)
    assert schema_errors(good, SCHEMA) == []
    bad = json.loads(json.dumps(good))
    bad["version"] = 2
    bad["records"]["late"] = -1
    bad["slos"][0]["extra"] = True
    bad["outcomes"][0]["time"] = "yesterday"
    del bad["window"]
    errors = schema_errors(bad, SCHEMA)
    assert any("$.version" in e for e in errors)
    assert any("$.records.late" in e for e in errors)
    assert any("unexpected 'extra'" in e for e in errors)
    assert any("$.outcomes[0]" in e for e in errors)
    assert any("missing 'window'" in e for e in errors)


# ------------------------------------------------------------------------ behaviour


def test_summary_table_matches_golden_file() -> None:
    result = run(SPEC, DATA)
    assert result.exit_code == 0
    expected = (CASES / "small.summary.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
    # the malformed line is reported on stderr with its file and line
    assert f"{DATA}:10:1: M005 'oops' is not a number, true or false" in result.stderr


def test_trace_shows_the_records_behind_each_violation() -> None:
    result = run(SPEC, "--data", DATA, "--trace")
    assert result.exit_code == 0
    trace = result.stdout.split("violated;", 1)[1]
    assert "violation of FastEnough at 2025-03-01T10:00:40Z" in trace
    for line in (3, 4, 6):
        assert f"({DATA}:{line})" in trace
    assert f"record urn:load = 0.9 at 2025-03-01T10:00:30Z ({DATA}:5)" in trace


def test_json_output_is_valid_and_complete(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = run(SPEC, DATA, "--json", out, "--trace", "--all-outcomes")
    assert result.exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert schema_errors(document, SCHEMA) == []
    assert (document["format"], document["version"]) == ("wsla-evaluation", 1)
    assert document["records"] == {
        "read": 8,
        "late": 0,
        "outside_window": 0,
        "malformed": 1,
        "unused": 0,
        "unknown_targets": {},
    }
    assert document["problems"]["counts"] == {"M005": 1}
    assert document["problems"]["diagnostics"][0]["line"] == 10
    kinds = [o["type"] for o in document["outcomes"]]
    assert kinds.count("violation") == 3
    assert kinds.count("slo_evaluation") == 8
    assert kinds.count("action_request") == 1
    violation = next(o for o in document["outcomes"] if o["type"] == "violation")
    assert violation["values"] == {"Load": 0.9}
    assert violation["evidence"][0]["inputs"][0]["inputs"][0]["origin"] == f"{DATA}:5"


def test_json_without_all_outcomes_keeps_the_events_only() -> None:
    result = run(SPEC, DATA, "--json", "-")
    document = json.loads(result.stdout)
    assert {o["type"] for o in document["outcomes"]} == {"violation", "action_request"}
    assert "evidence" not in document["outcomes"][0]


def test_window_options(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run(
        SPEC,
        DATA,
        "--from",
        "2025-03-01T10:00:25Z",
        "--to",
        "2025-03-01T10:00:45+00:00",
        "--json",
        out,
    )
    assert result.exit_code == 0
    document = json.loads(out.read_text())
    assert document["window"]["from"] == "2025-03-01T10:00:25Z"
    assert document["window"]["to"] == "2025-03-01T10:00:45Z"
    assert document["records"]["read"] == 8
    assert document["records"]["outside_window"] == 6


def test_exit_status_with_fail_on_violation(tmp_path: Path) -> None:
    assert run(SPEC, DATA, "--fail-on-violation").exit_code == 1
    calm = tmp_path / "calm.csv"
    calm.write_text("time,target,value\n2025-03-01T10:00:00Z,urn:load,0.1\n")
    assert run(SPEC, calm, "--fail-on-violation").exit_code == 0


def test_on_error_fail_stops_with_status_1() -> None:
    result = run(SPEC, DATA, "--on-error", "fail")
    assert result.exit_code == 1
    assert "M005" in result.stderr
    assert "nothing was evaluated" in result.stderr
    assert result.stdout == ""


def test_invalid_spec_and_binding_give_status_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<SLA xmlns='http://www.ibm.com/wsla'>")
    result = run(broken, DATA)
    assert result.exit_code == 1
    assert "broken.xml" in result.stderr
    binding = tmp_path / "b.toml"
    binding.write_text("[[table]]\ntime-format = 'millis'\n")
    result = run(SPEC, DATA, "--binding", binding)
    assert result.exit_code == 1
    assert "M009" in result.stderr
    # a malformed --bind is a bad option: a usage error
    assert run(SPEC, DATA, "--bind", "nonsense").exit_code == 2


def test_bind_options_read_a_wide_file(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text("ts,op,load\n1740823200000,getQuote,0.95\n")
    result = run(
        SPEC,
        wide,
        "--bind",
        "time=ts",
        "--bind",
        "time-format=ms",
        "--bind",
        "key=op",
        "--bind",
        "load=Gauge",
        "--json",
        "-",
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["totals"]["violations"] == 1


@pytest.mark.parametrize(
    "args",
    [
        [SPEC],
        [SPEC, "--data", CASES / "missing.csv"],
        [CASES / "missing.xml", DATA],
        [SPEC, DATA, "--on-error", "ignore"],
        [SPEC, DATA, "--allowed-lateness", "soon"],
        [SPEC, DATA, "--binding", SPEC, "--bind", "time=ts"],
        [SPEC, DATA, "--frobnicate"],
        [SPEC, DATA, "--from", "yesterday"],
        [SPEC, DATA, "--to", "2025-03-01T10:00:00"],
        [SPEC, DATA, "--from", "2025-03-02T00:00:00Z", "--to", "2025-03-01T00:00:00Z"],
    ],
)
def test_usage_errors_give_status_2(args: list[str | Path]) -> None:
    assert run(*args).exit_code == 2


def test_internal_failure_gives_status_3(monkeypatch: pytest.MonkeyPatch) -> None:
    import wsla.evaluation

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(wsla.evaluation, "evaluate", explode)
    result = run(SPEC, DATA)
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    result = run(SPEC, DATA, "--traceback")
    assert "Traceback" in result.stderr


def test_no_progress_output_when_stderr_is_not_a_terminal() -> None:
    result = run(SPEC, DATA)
    assert "records read" not in result.stderr


def test_progress_line_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import wsla.cli.evaluate as cli_evaluate

    stream = io.StringIO()
    progress = cli_evaluate._Progress(stream)
    progress(65_536)
    progress(70_000)
    progress.clear()
    assert stream.getvalue() == ("\rwsla: 65,536 records read\rwsla: 70,000 records read\r\x1b[2K")
    # the command asks for one only when stderr is a terminal
    calls: list[object] = []
    import wsla.evaluation

    real = wsla.evaluation.evaluate

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(kwargs["progress"])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(wsla.evaluation, "evaluate", spy)
    monkeypatch.setattr(cli_evaluate, "_stderr_is_tty", lambda: True)
    assert run(SPEC, DATA).exit_code == 0
    monkeypatch.setattr(cli_evaluate, "_stderr_is_tty", lambda: False)
    assert run(SPEC, DATA).exit_code == 0
    assert isinstance(calls[0], cli_evaluate._Progress)
    assert calls[1] is None


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("0s", 0),
        ("30s", 30 * 10**9),
        ("5m", 300 * 10**9),
        ("250ms", 250 * 10**6),
        ("1.5h", 5400 * 10**9),
        ("2", 2 * 10**9),
        ("1d", 86_400 * 10**9),
    ],
)
def test_durations(text: str, ns: int) -> None:
    from wsla.cli.evaluate import parse_duration

    assert parse_duration(text) == ns


def test_allowed_lateness_applies_out_of_order_records(tmp_path: Path) -> None:
    shuffled = tmp_path / "late.csv"
    shuffled.write_text(
        "time,target,value\n2025-03-01T10:00:10Z,urn:load,0.9\n2025-03-01T10:00:05Z,urn:load,0.1\n"
    )
    strict = json.loads(run(SPEC, shuffled, "--json", "-").stdout)
    assert strict["records"]["late"] == 1
    assert [o["type"] for o in strict["outcomes"]].count("late_record") == 1
    lenient = json.loads(run(SPEC, shuffled, "--allowed-lateness", "10s", "--json", "-").stdout)
    assert lenient["records"]["late"] == 0
    assert lenient["totals"]["violations"] == 1


def test_quiet_prints_no_table_but_still_the_problems() -> None:
    result = run(SPEC, DATA, "-q")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "M005" in result.stderr


def test_zone_option_reads_naive_timestamps(tmp_path: Path) -> None:
    naive = tmp_path / "naive.csv"
    naive.write_text("time,target,value\n2025-03-01T11:00:30,urn:load,0.9\n")
    without = json.loads(run(SPEC, naive, "--json", "-").stdout)
    assert without["problems"]["counts"] == {"M003": 1}
    with_zone = json.loads(run(SPEC, naive, "--zone", "Europe/Zurich", "--json", "-").stdout)
    assert with_zone["problems"]["counts"] == {}
    (violation,) = [o for o in with_zone["outcomes"] if o["type"] == "violation"]
    assert violation["time"] == "2025-03-01T10:00:30Z"
    assert run(SPEC, naive, "--zone", "Mars/Olympus").exit_code == 2
