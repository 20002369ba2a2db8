"""Arrow IPC files (file format / Feather v2 and stream format) as measurement sources:
the same records as the same table in Parquet or CSV, chunked, recognised by content,
and every bad file a coded problem, never an exception."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyarrow import feather

import wsla
from wsla.sources import DataProblems, Record, read_data
from wsla.sources import arrow as arrow_source
from wsla.sources.reader import detect_format
from wsla.sources.targets import TargetIndex
from wsla.xml.reader import load_xml

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "stock-quote.xml"
SHOP = ROOT / "specs" / "workload-shop.xml"
BINDING = ROOT / "specs" / "workload.binding.toml"
T0 = 1_735_689_600 * 10**9
S = 10**9
UTIL = "GetQuote/ProbedUtilization"


def _index() -> TargetIndex:
    spec, diagnostics = load_xml(SPEC.read_bytes(), str(SPEC))
    assert spec is not None, diagnostics
    return TargetIndex.of(spec)


def long_table(n: int = 7) -> pa.Table:
    return pa.table(
        {
            "time": pa.array([T0 + i * S + 123 for i in range(n)], pa.timestamp("ns", tz="UTC")),
            "target": pa.array([UTIL] * n).dictionary_encode(),
            "value": [0.5 + i for i in range(n)],
        }
    )


def write_ipc(table: pa.Table, path: Path, *, stream: bool, rows: int = 3, **kw: Any) -> Path:
    sink = pa.OSFile(str(path), "wb")
    options = pa.ipc.IpcWriteOptions(**kw)
    opener = pa.ipc.new_stream if stream else pa.ipc.new_file
    with sink, opener(sink, table.schema, options=options) as writer:
        for batch in table.to_batches(max_chunksize=rows):
            writer.write_batch(batch)
    return path


def read(path: Path, index: TargetIndex | None = None) -> tuple[list[Record], DataProblems]:
    problems = DataProblems()
    records = list(read_data([path], None, index or _index(), problems))
    return records, problems


def where(problems: DataProblems) -> list[tuple[str, int]]:
    return [(d.code, d.span.line if d.span else 0) for d in problems.diagnostics()]


@pytest.mark.parametrize(
    ("name", "stream", "compression"),
    [
        ("data.arrow", False, None),
        ("data.feather", False, "zstd"),
        ("data.ipc", False, "lz4"),
        ("data.arrows", True, None),
        ("data.arrow", True, "zstd"),  # a stream named like a file: its content decides
    ],
)
def test_same_records_as_parquet(
    tmp_path: Path, name: str, stream: bool, compression: str | None
) -> None:
    table = long_table()
    pq.write_table(table, tmp_path / "data.parquet", row_group_size=2)
    expected, _ = read(tmp_path / "data.parquet")
    path = write_ipc(table, tmp_path / name, stream=stream, compression=compression)
    got, problems = read(path)
    assert problems.total == 0
    assert [(r.time, r.target, r.value) for r in got] == [
        (r.time, r.target, r.value) for r in expected
    ]
    assert [r.origin.line if r.origin else 0 for r in got] == list(range(1, 8))
    assert got[0].time == T0 + 123  # zoned timestamps exactly, to the nanosecond


def test_feather_writer_output(tmp_path: Path) -> None:
    feather.write_feather(long_table(), tmp_path / "f.feather", chunksize=2)
    got, problems = read(tmp_path / "f.feather")
    assert problems.total == 0
    assert [r.value for r in got] == [0.5 + i for i in range(7)]


def test_large_batches_are_read_in_slices(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(arrow_source, "BATCH_ROWS", 2)
    seen: list[int] = []
    real = arrow_source.batch_columns

    def spy(batch: Any, mapper: Any) -> Any:
        seen.append(batch.num_rows)
        return real(batch, mapper)

    monkeypatch.setattr(arrow_source, "batch_columns", spy)
    path = write_ipc(long_table(7), tmp_path / "big.arrow", stream=False, rows=5)
    got, problems = read(path)
    assert problems.total == 0
    assert seen == [2, 2, 1, 2]  # batches of 5 and 2 rows, cut at 2
    assert [r.origin.line if r.origin else 0 for r in got] == list(range(1, 8))


@pytest.mark.parametrize("name", ["data", "data.bin", "data.parquet"])
@pytest.mark.parametrize("stream", [False, True])
def test_recognised_by_content(tmp_path: Path, name: str, stream: bool) -> None:
    path = write_ipc(long_table(), tmp_path / name, stream=stream)
    assert detect_format(path) == ".arrow"
    got, problems = read(path)
    assert problems.total == 0
    assert len(got) == 7


def test_text_is_not_taken_for_arrow(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_text("time,target,value\n")
    assert detect_format(path) is None
    _, problems = read(path)
    assert [d.code for d in problems.diagnostics()] == ["M011"]


def test_wide_table_through_a_binding_evaluates_like_csv(tmp_path: Path) -> None:
    rows = [
        (1735689600000 + 700 * i, ["getQuote", "placeOrder"][i % 2], 10.0 + i, i % 5 != 0)
        for i in range(200)
    ]
    table = pa.table(
        {
            "ts": pa.array([r[0] for r in rows], pa.int64()),
            "op": [r[1] for r in rows],
            "rt_ms": [r[2] for r in rows],
            "ok": [r[3] for r in rows],
        }
    )
    csv = tmp_path / "requests.csv"
    csv.write_text(
        "ts,op,rt_ms,ok\n" + "".join(f"{t},{op},{rt},{str(ok).lower()}\n" for t, op, rt, ok in rows)
    )
    ipc = write_ipc(table, tmp_path / "requests.feather", stream=False, rows=64)
    expected = wsla.evaluate(SHOP, [csv], binding=BINDING, engine="event").to_json()
    for engine in ("batch", "event"):
        got = wsla.evaluate(SHOP, [ipc], binding=BINDING, engine=engine)
        assert got.problems == ()
        assert json.dumps(got.to_json()["summaries"]) == json.dumps(expected["summaries"])
        assert got.to_json()["outcomes"] == expected["outcomes"]


def test_missing_column_even_in_an_empty_file(tmp_path: Path) -> None:
    table = pa.table({"time": pa.array([], pa.int64()), "what": pa.array([], pa.string())})
    for stream in (False, True):
        path = write_ipc(table, tmp_path / f"e{stream}.arrow", stream=stream)
        got, problems = read(path)
        assert got == []
        assert where(problems) == [("M002", 1)]
        assert "'target'" in problems.diagnostics()[0].message


def test_empty_file_with_the_columns_is_no_problem(tmp_path: Path) -> None:
    path = write_ipc(long_table(0), tmp_path / "empty.arrow", stream=False)
    got, problems = read(path)
    assert (got, problems.total) == ([], 0)


def test_feather_v1_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "old.feather"
    with pytest.warns(DeprecationWarning, match="Feather V1"):
        feather.write_feather(
            pa.table({"time": ["2025-01-01T00:00:00Z"], "target": [UTIL], "value": [1.0]}),
            path,
            version=1,
        )
    _, problems = read(path)
    assert where(problems) == [("M010", 1)]
    found = problems.diagnostics()[0]
    assert "Feather version 1" in found.message and found.help and "v2" in found.help


def test_without_pyarrow_it_is_m012(tmp_path: Path, monkeypatch: Any) -> None:
    path = write_ipc(long_table(), tmp_path / "d.arrow", stream=False)
    import wsla.sources.parquet as parquet_source  # where the check lives, for both readers

    monkeypatch.setattr(parquet_source, "pyarrow_available", lambda: False)
    got, problems = read(path)
    assert got == []
    assert where(problems) == [("M012", 1)]


def test_a_bad_batch_keeps_the_rows_before_it(tmp_path: Path) -> None:
    good = pa.record_batch(
        [pa.array([T0, T0 + S], pa.int64()), pa.array([UTIL, UTIL]), pa.array([1.0, 2.0])],
        names=["time", "target", "value"],
    )
    # a string column whose bytes are not UTF-8: the writer does not look, the reader must
    bad_targets = pa.Array.from_buffers(
        pa.string(),
        1,
        [None, pa.py_buffer(b"\x00\x00\x00\x00\x02\x00\x00\x00"), pa.py_buffer(b"\xff\xfe")],
    )
    bad = pa.record_batch(
        [pa.array([T0 + 2 * S], pa.int64()), bad_targets, pa.array([3.0])], schema=good.schema
    )
    for stream in (False, True):
        path = tmp_path / f"bad{stream}.arrow"
        sink = pa.OSFile(str(path), "wb")
        opener = pa.ipc.new_stream if stream else pa.ipc.new_file
        with sink, opener(sink, good.schema) as writer:
            writer.write_batch(good)
            writer.write_batch(bad)
            writer.write_batch(good)
        problems = DataProblems()
        records = list(read_data([path], ns_binding(), _index(), problems))
        assert [r.value for r in records] == [1.0, 2.0]
        assert where(problems) == [("M010", 3)]
        assert "row 3" in problems.diagnostics()[0].message


def ns_binding() -> Any:
    from wsla.sources.binding import binding_from_options

    return binding_from_options(["time-format=ns"])


@pytest.mark.parametrize("stream", [False, True])
def test_truncated_and_mutated_files_are_problems_not_exceptions(
    tmp_path: Path, stream: bool
) -> None:
    path = write_ipc(long_table(9), tmp_path / "src.arrow", stream=stream, rows=2)
    data = path.read_bytes()
    rng = random.Random(f"arrow-{stream}")
    cases = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 40))]
    for _ in range(60):
        mutated = bytearray(data)
        for _ in range(rng.randrange(1, 8)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        cases.append(bytes(mutated))
    target = tmp_path / "case.arrow"
    for case in cases:
        target.write_bytes(case)
        records, problems = read(target)
        for record in records:
            assert type(record.time) is int and isinstance(record.target, str)
        for found in problems.diagnostics():
            assert found.code.startswith("M"), found
        # never more rows than were written, whatever a mutation did to the framing
        assert len(records) <= 9
