"""Hostile measurement data (``tests/hostile/data``, plus generated Parquet files) through
the source readers and ``wsla evaluate``: every bad record is a coded problem at its own
line, good records around it are kept, and nothing raises.

The data addresses the stock quote spec's measured metrics.
"""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wsla.cli import cli
from wsla.sources import DataAbort, DataProblems, OnError, Record, read_data
from wsla.sources.binding import binding_from_options
from wsla.sources.targets import TargetIndex
from wsla.xml.reader import load_xml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "hostile" / "data"
SPEC = ROOT / "specs" / "stock-quote.xml"
T0 = 1_735_689_600 * 10**9
S = 10**9
UTIL = "GetQuote/ProbedUtilization"

EXPECTED: dict[str, tuple[list[tuple[str, int]], list[int]]] = {
    "nan-inf.csv": ([("M006", line) for line in range(3, 10)], [2, 10]),
    "nan-inf.jsonl": ([("M006", line) for line in range(2, 6)], [1, 6]),
    "timestamps-out-of-range.csv": ([("M004", line) for line in range(3, 9)], [2]),
    "mixed-time-zones.csv": ([("M003", 6), ("M004", 7)], [2, 3, 4, 5]),
    "truncated-last-line.csv": ([("M001", 4)], [2, 3]),
    "truncated-quoted-field.csv": ([("M001", 3)], [2]),
    "truncated-last-line.jsonl": ([("M001", 2)], [1]),
    "wrong-column-types.csv": (
        [("M005", 3), ("M004", 4), ("M005", 5), ("M005", 6), ("M005", 7), ("M005", 8)],
        [2],
    ),
    "wrong-column-types.jsonl": (
        [("M005", 2), ("M005", 3), ("M005", 4), ("M004", 5), ("M005", 6), ("M001", 7), ("M004", 8)],
        [1],
    ),
    "bom-crlf.csv": ([("M005", 3)], [2]),
    "nul-byte.csv": ([("M005", 3)], [2, 4]),
    "invalid-utf8.csv": ([("M010", 3)], []),
    "duplicated-rows.csv": ([("M016", 4), ("M016", 6)], [2, 3, 4, 5, 6]),
    "unsorted-rows.csv": ([], [2, 3, 4, 5]),
    "late-records.csv": ([], list(range(2, 64))),
    "negative-response-time.csv": ([("M015", 3), ("M015", 4)], [2]),
}
"""File → (problems as (code, line), lines of the records read)."""

NEEDS_BINDING: set[str] = set()

LATE: dict[str, int] = {"unsorted-rows.csv": 2, "late-records.csv": 60}
"""File → records the engine finds late: readers pass them on, evaluate reports M017."""


@cache
def _index() -> TargetIndex:
    spec, diagnostics = load_xml(SPEC.read_bytes(), str(SPEC))
    assert spec is not None, diagnostics
    return TargetIndex.of(spec)


def _read(path: Path | Any, policy: OnError = OnError.REPORT) -> tuple[list[Record], DataProblems]:
    problems = DataProblems(policy)
    return list(read_data([path], None, _index(), problems)), problems


def _problems(problems: DataProblems) -> list[tuple[str, int]]:
    return [(d.code, d.span.line if d.span else 0) for d in problems.diagnostics()]


def test_every_corpus_file_has_an_expectation() -> None:
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED) | NEEDS_BINDING


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reader_reports_each_bad_record(name: str) -> None:
    problems_expected, lines = EXPECTED[name]
    records, problems = _read(CORPUS / name)
    assert _problems(problems) == problems_expected
    assert [r.origin.line if r.origin else 0 for r in records] == lines
    for record in records:
        assert type(record.time) is int
        assert not isinstance(record.value, float) or math.isfinite(record.value)


WARNINGS = {"M014", "M016"}  # reported, never a reason to stop


@pytest.mark.parametrize(
    "name", sorted(n for n, (p, _) in EXPECTED.items() if any(c not in WARNINGS for c, _ in p))
)
def test_fail_policy_stops_at_the_first_problem(name: str) -> None:
    first = next(p for p in EXPECTED[name][0] if p[0] not in WARNINGS)
    with pytest.raises(DataAbort) as stopped:
        _read(CORPUS / name, OnError.FAIL)
    span = stopped.value.diagnostic.span
    assert (stopped.value.diagnostic.code, span.line if span else 0) == first


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_evaluate_counts_the_problems(name: str, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = CliRunner().invoke(
        cli, ["evaluate", str(SPEC), str(CORPUS / name), "--json", str(out), "-q"]
    )
    # a file none of whose records could be used is no evaluation: exit 1
    problems_expected, lines = EXPECTED[name]
    assert result.exit_code == (1 if problems_expected and not lines else 0), result.output
    assert "Traceback" not in result.output
    report = json.loads(out.read_text("utf-8"))
    expected = Counter(code for code, _ in EXPECTED[name][0])
    if name in LATE:
        expected["M017"] = LATE[name]
    assert report["problems"]["counts"] == dict(expected)
    assert report["records"]["late"] == LATE.get(name, 0)
    assert report["records"]["read"] == len(EXPECTED[name][1])


def test_mixed_offsets_are_exact_instants() -> None:
    records, _ = _read(CORPUS / "mixed-time-zones.csv")
    # 00:00Z, 01:00+01:00, 18:30-05:30 (the day before) and 14:00+14:00 are one instant.
    assert [r.time for r in records] == [T0] * 4
    assert [r.value for r in records] == [1, 2, 3, 4]


def test_a_named_zone_reads_the_naive_timestamp() -> None:
    problems = DataProblems()
    binding = binding_from_options(["zone=Europe/Zurich"])
    records = list(read_data([CORPUS / "mixed-time-zones.csv"], binding, _index(), problems))
    # The naive 2025-01-01T00:00:00 is midnight in Zurich: 23:00 UTC the day before.
    assert [r.time for r in records if r.origin and r.origin.line == 6] == [T0 - 3600 * S]


def test_unsorted_and_late_records_are_counted(tmp_path: Path) -> None:
    records, problems = _read(CORPUS / "unsorted-rows.csv")
    assert [r.time for r in records] == [T0 + 5 * S, T0 + S, T0 + 9 * S, T0 + 2 * S]
    assert problems.total == 0
    out = tmp_path / "result.json"
    CliRunner().invoke(
        cli, ["evaluate", str(SPEC), str(CORPUS / "unsorted-rows.csv"), "--json", str(out)]
    )
    assert json.loads(out.read_text("utf-8"))["records"]["late"] == 2
    CliRunner().invoke(
        cli,
        [
            "evaluate",
            str(SPEC),
            str(CORPUS / "unsorted-rows.csv"),
            "--allowed-lateness",
            "10s",
            "--json",
            str(out),
        ],
    )
    assert json.loads(out.read_text("utf-8"))["records"]["late"] == 0


def test_duplicated_rows_are_records_in_input_order() -> None:
    """Duplicates are reported (M016, a warning) and still applied: nothing is lost."""
    records, problems = _read(CORPUS / "duplicated-rows.csv")
    assert _problems(problems) == [("M016", 4), ("M016", 6)]
    strict, _ = _read(CORPUS / "duplicated-rows.csv", OnError.FAIL)
    assert len(strict) == 5  # the fail policy does not stop at a warning
    assert [(r.time, r.value) for r in records] == [
        (T0, 1),
        (T0 + S, 2),
        (T0 + S, 2),
        (T0 + 2 * S, 3),
        (T0 + 2 * S, 3),
    ]


# ------------------------------------------------------------------------ Parquet


def _parquet(tmp_path: Path, columns: dict[str, Any], name: str = "data.parquet") -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / name
    pq.write_table(pa.table(columns), path)
    return path


def test_parquet_nan_and_infinities(tmp_path: Path) -> None:
    import pyarrow as pa

    path = _parquet(
        tmp_path,
        {
            "time": pa.array([T0 + i for i in range(4)], pa.timestamp("ns", tz="UTC")),
            "target": [UTIL] * 4,
            "value": [0.5, math.nan, math.inf, -math.inf],
        },
    )
    records, problems = _read(path)
    assert [r.value for r in records] == [0.5]
    assert _problems(problems) == [("M006", 2), ("M006", 3), ("M006", 4)]


def test_parquet_wrong_column_types(tmp_path: Path) -> None:
    import pyarrow as pa

    path = _parquet(
        tmp_path,
        {
            "time": pa.array(["2025-01-01T00:00:00Z", "soon", None, "2025-01-01T00:00:00"]),
            "target": pa.array([UTIL, UTIL, UTIL, UTIL]),
            "value": pa.array(["0.5", "fast", "1", "2"]),
        },
    )
    records, problems = _read(path)
    # Typed strings are string values in Parquet, as in JSON Lines.
    assert [(r.origin.line if r.origin else 0, r.value) for r in records] == [(1, "0.5")]
    assert _problems(problems) == [("M004", 2), ("M004", 3), ("M003", 4)]


def test_parquet_naive_timestamp_column_needs_a_zone(tmp_path: Path) -> None:
    import pyarrow as pa

    path = _parquet(
        tmp_path,
        {
            "time": pa.array([T0 // 1000], pa.timestamp("us")),
            "target": [UTIL],
            "value": [0.5],
        },
    )
    records, problems = _read(path)
    assert records == []
    assert _problems(problems) == [("M003", 1)]


def test_parquet_nulls_are_missing_values(tmp_path: Path) -> None:
    import pyarrow as pa

    path = _parquet(
        tmp_path,
        {
            "time": pa.array([T0, T0], pa.timestamp("ns", tz="UTC")),
            "target": pa.array([UTIL, None]),
            "value": pa.array([None, 1.0]),
        },
    )
    records, problems = _read(path)
    assert records == []
    assert _problems(problems) == [("M005", 1), ("M005", 2)]


@pytest.mark.parametrize("cut", [0, 4, 100, -8, -1])
def test_truncated_or_garbage_parquet_cannot_be_read(tmp_path: Path, cut: int) -> None:
    import pyarrow as pa

    good = _parquet(
        tmp_path,
        {
            "time": pa.array([T0], pa.timestamp("ns", tz="UTC")),
            "target": [UTIL],
            "value": [0.5],
        },
        name="good.parquet",
    )
    data = good.read_bytes()
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(data[:cut] if cut else b"PAR1 this is not parquet")
    records, problems = _read(bad)
    assert records == []
    assert [code for code, _ in _problems(problems)] == ["M010"]


def test_parquet_missing_column(tmp_path: Path) -> None:
    path = _parquet(tmp_path, {"when": [1], "target": [UTIL], "value": [0.5]})
    records, problems = _read(path)
    assert records == []
    assert _problems(problems) == [("M002", 1)]


def test_gzip_truncated_csv(tmp_path: Path) -> None:
    import gzip

    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as f:
        header, _, rows = (CORPUS / "duplicated-rows.csv").read_bytes().partition(b"\n")
        f.write(header + b"\n" + rows * 50)
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(buffer.getvalue()[:-20])
    records, problems = _read(path)
    assert [code for code, _ in _problems(problems) if code not in WARNINGS] == ["M010"]
    assert all(type(r.time) is int for r in records)


def test_oversized_csv_field_is_one_malformed_record(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(
        b"time,target,value\n"
        + f"2025-01-01T00:00:00Z,{UTIL},".encode()
        + b"1" * 300_000
        + f"\n2025-01-01T00:00:01Z,{UTIL},2\n".encode()
    )
    records, problems = _read(path)
    assert [r.value for r in records] == [2]
    assert [code for code, _ in _problems(problems)] == ["M001"]


def test_deeply_nested_json_value_is_one_malformed_record(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(
        f'{{"time": "2025-01-01T00:00:00Z", "target": "{UTIL}", "value": {deep}}}\n'
        f'{{"time": "2025-01-01T00:00:01Z", "target": "{UTIL}", "value": 2}}\n'
    )
    records, problems = _read(path)
    assert [r.value for r in records] == [2]
    assert _problems(problems) == [("M001", 1)]
