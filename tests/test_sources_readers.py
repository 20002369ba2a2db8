"""CSV, JSON Lines, Parquet and iterable readers: good records, and every bad one
reported with its code, file and line."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsla.model.directives import Gauge, InvocationCount, ResponseTime, StatusRequest
from wsla.sources import DataAbort, DataProblems, OnError, Origin, Record, read_data
from wsla.sources.binding import Binding, parse_binding
from wsla.sources.targets import MeasuredMetric, TargetIndex
from wsla.sources.timestamps import format_ns

T0 = 1_735_689_600 * 10**9


@pytest.fixture
def index() -> TargetIndex:
    return TargetIndex(
        [
            MeasuredMetric("getQuote", "RT", ResponseTime(measurement_uri="urn:rt:getQuote")),
            MeasuredMetric("getQuote", "Calls", InvocationCount()),
            MeasuredMetric("getQuote", "Load", Gauge(measurement_uri="urn:load")),
            MeasuredMetric("getQuote", "Up", StatusRequest(request_uri="urn:probe:getQuote")),
        ]
    )


def read(
    inputs: Iterable[Any],
    index: TargetIndex | None,
    binding: Binding | None = None,
    policy: OnError = OnError.REPORT,
) -> tuple[list[Record], DataProblems]:
    problems = DataProblems(policy)
    return list(read_data(list(inputs), binding, index, problems)), problems


def codes_at(problems: DataProblems) -> list[tuple[str, str | None, int | None]]:
    return [
        (d.code, d.span.path if d.span else None, d.span.line if d.span else None)
        for d in problems.diagnostics()
    ]


LONG_CSV = """time,target,value
2025-01-01T00:00:00Z,getQuote/RT,42.5
2025-01-01T00:00:01Z,urn:load,7
2025-01-01T00:00:02+01:00,getQuote/Up,true
2025-01-01T00:00:03Z,getQuote/Up,false
"""


def test_long_csv_without_binding(tmp_path: Path, index: TargetIndex) -> None:
    path = tmp_path / "m.csv"
    path.write_text(LONG_CSV)
    records, problems = read([path], index)
    assert problems.total == 0
    assert records == [
        Record(T0, "getQuote/RT", 42.5, Origin(str(path), 2)),
        Record(T0 + 10**9, "urn:load", 7, Origin(str(path), 3)),
        Record(T0 + 2 * 10**9 - 3600 * 10**9, "getQuote/Up", True, Origin(str(path), 4)),
        Record(T0 + 3 * 10**9, "getQuote/Up", False, Origin(str(path), 5)),
    ]
    assert type(records[1].value) is int


BAD_CSV = """time,target,value
2025-01-01T00:00:00Z,getQuote/RT,42.5
2025-01-01T00:00:01Z,getQuote/RT
2025-01-01T00:00:02,getQuote/RT,1
yesterday,getQuote/RT,1
2025-01-01T00:00:04Z,getQuote/RT,fast
2025-01-01T00:00:05Z,getQuote/RT,NaN
2025-01-01T00:00:06Z,getQuote/ResponseTme,1
2025-01-01T00:00:07Z,getQuote/RT,
"a ""quoted""
multi-line",getQuote/RT,1
2025-01-01T00:00:09Z,getQuote/RT,-inf
2025-01-01T00:00:10Z,getQuote/RT,43
"""


def test_malformed_csv_lines_are_reported_with_file_and_line(
    tmp_path: Path, index: TargetIndex
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV)
    records, problems = read([path], index)
    assert [(r.value, r.origin) for r in records] == [
        (42.5, Origin(str(path), 2)),
        (43, Origin(str(path), 13)),
    ]
    p = str(path)
    assert codes_at(problems) == [
        ("M001", p, 3),
        ("M003", p, 4),
        ("M004", p, 5),
        ("M005", p, 6),
        ("M006", p, 7),
        ("M007", p, 8),
        ("M005", p, 9),
        ("M004", p, 11),
        ("M006", p, 12),
    ]
    assert problems.counts == {"M001": 1, "M003": 1, "M004": 2, "M005": 2, "M006": 2, "M007": 1}
    unknown = next(d for d in problems.diagnostics() if d.code == "M007")
    assert unknown.help == "did you mean 'getQuote/RT'?"


def test_on_error_fail_stops_at_the_first_problem(tmp_path: Path, index: TargetIndex) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV)
    problems = DataProblems(OnError.FAIL)
    stream = read_data([path], None, index, problems)
    assert next(stream).value == 42.5
    with pytest.raises(DataAbort) as stop:
        next(stream)
    assert stop.value.diagnostic.code == "M001"
    assert stop.value.diagnostic.span is not None
    assert stop.value.diagnostic.span.line == 3


def test_missing_columns_reported_once_on_the_header(tmp_path: Path, index: TargetIndex) -> None:
    path = tmp_path / "m.csv"
    path.write_text("when,target,value\n2025-01-01T00:00:00Z,getQuote/RT,1\n")
    records, problems = read([path], index)
    assert records == []
    assert codes_at(problems) == [("M002", str(path), 1)]
    assert "'time'" in problems.diagnostics()[0].message


def test_unreadable_files(tmp_path: Path, index: TargetIndex) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"time,target,value\n2025-01-01T00:00:00Z,caf\xe9,1\n")
    unknown = tmp_path / "m.txt"
    unknown.write_text("x")
    _, problems = read([tmp_path / "missing.csv", empty, latin, unknown], index)
    assert sorted(codes_at(problems)) == sorted(
        [
            ("M010", str(tmp_path / "missing.csv"), 1),
            ("M010", str(empty), 1),
            ("M010", str(latin), 2),
            ("M011", str(unknown), 1),
        ]
    )


def test_gzip_csv(tmp_path: Path, index: TargetIndex) -> None:
    path = tmp_path / "m.csv.gz"
    with gzip.open(path, "wt") as out:
        out.write(LONG_CSV)
    records, problems = read([path], index)
    assert problems.total == 0
    assert len(records) == 4


def test_jsonl_good_and_bad_lines(tmp_path: Path, index: TargetIndex) -> None:
    path = tmp_path / "m.jsonl"
    lines = [
        json.dumps({"time": "2025-01-01T00:00:00Z", "target": "getQuote/RT", "value": 42}),
        "",
        "{not json",
        json.dumps([1, 2, 3]),
        json.dumps({"time": "2025-01-01T00:00:01Z", "value": 1}),
        json.dumps({"time": "2025-01-01T00:00:02Z", "target": "getQuote/Up", "value": "up"}),
        json.dumps({"time": "2025-01-01T00:00:03Z", "target": "getQuote/Up", "value": None}),
        json.dumps({"time": "2025-01-01T00:00:04Z", "target": "getQuote/Up", "value": True}),
        json.dumps({"time": 5, "target": "getQuote/Up", "value": True}),
    ]
    path.write_text("\n".join(lines) + "\n")
    records, problems = read([path], index)
    p = str(path)
    assert [(r.value, r.origin) for r in records] == [
        (42, Origin(p, 1)),
        ("up", Origin(p, 6)),  # JSON strings are typed string values
        (True, Origin(p, 8)),
    ]
    assert codes_at(problems) == [
        ("M001", p, 3),
        ("M001", p, 4),
        ("M002", p, 5),
        ("M005", p, 7),
        ("M004", p, 9),
    ]


def test_parquet_rows_are_numbered_from_one(tmp_path: Path, index: TargetIndex) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "m.parquet"
    table = pa.table(
        {
            "ts": pa.array([T0, T0 + 1000, T0 + 2000], pa.timestamp("ns", tz="UTC")),
            "target": ["getQuote/RT", "getQuote/Nope", "urn:load"],
            "value": [1.5, 2.5, float("nan")],
        }
    )
    pq.write_table(table, path)
    binding = parse_binding('[[table]]\ntime = "ts"\ntarget = "target"\ntime-format = "ms"\n')
    records, problems = read([path], index, binding)
    # A zoned timestamp column is exact nanoseconds whatever the declared format.
    assert records == [Record(T0, "getQuote/RT", 1.5, Origin(str(path), 1))]
    assert codes_at(problems) == [("M007", str(path), 2), ("M006", str(path), 3)]


def test_arrow_table_and_iterables(index: TargetIndex) -> None:
    import pyarrow as pa

    binding = parse_binding('[[table]]\ntime-format = "s"\ntarget = "target"\n')
    table = pa.table({"time": [1, 2], "target": ["getQuote/RT", "urn:load"], "value": [3, 4]})
    records, problems = read([table], index, binding)
    assert [(r.time, r.target, r.value) for r in records] == [
        (10**9, "getQuote/RT", 3),
        (2 * 10**9, "urn:load", 4),
    ]
    ready = Record(5, "getQuote/RT", 1.0)
    items: list[Any] = [ready, (3, "urn:load", 9), {"time": 4, "target": "urn:load"}, 17]
    records, problems = read([items], index, binding)
    assert records == [ready, Record(3 * 10**9, "urn:load", 9, Origin("<data>", 2))]
    assert codes_at(problems) == [("M002", "<data>", 3), ("M001", "<data>", 4)]


def test_inputs_merge_by_time_keeping_input_order_on_ties(index: TargetIndex) -> None:
    a = [Record(1, "getQuote/RT", 1), Record(3, "getQuote/RT", 3), Record(5, "getQuote/RT", 5)]
    b = [Record(1, "urn:load", 10), Record(4, "urn:load", 40)]
    records, _ = read([a, b], index)
    assert [(r.time, r.value) for r in records] == [(1, 1), (1, 10), (3, 3), (4, 40), (5, 5)]


def test_problems_are_counted_beyond_those_kept(tmp_path: Path, index: TargetIndex) -> None:
    path = tmp_path / "m.csv"
    path.write_text("time,target,value\n" + "x,getQuote/RT,1\n" * 120)
    problems = DataProblems(keep=5)
    assert list(read_data([path], None, index, problems)) == []
    shown = problems.diagnostics()
    assert problems.counts == {"M004": 120}
    assert [d.code for d in shown] == ["M004"] * 5 + ["M014"]
    assert "115 more M004" in shown[-1].message


_VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
)


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=4 * 10**18),
            st.sampled_from(["getQuote/RT", "urn:load", "getQuote/Up"]),
            _VALUES,
        ),
        max_size=30,
    )
)
def test_csv_and_jsonl_read_back_what_was_written(rows: list[tuple[int, str, object]]) -> None:
    import tempfile

    index = TargetIndex(
        [
            MeasuredMetric("getQuote", "RT", ResponseTime(measurement_uri="urn:rt")),
            MeasuredMetric("getQuote", "Load", Gauge(measurement_uri="urn:load")),
            MeasuredMetric("getQuote", "Up", StatusRequest(request_uri="urn:up")),
        ]
    )

    def text(value: object) -> str:
        return str(value).lower() if isinstance(value, bool) else repr(value)

    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "m.csv"
        csv_path.write_text(
            "time,target,value\n" + "".join(f"{format_ns(t)},{g},{text(v)}\n" for t, g, v in rows)
        )
        jsonl_path = Path(folder) / "m.jsonl"
        jsonl_path.write_text(
            "".join(
                json.dumps({"time": format_ns(t), "target": g, "value": v}) + "\n"
                for t, g, v in rows
            )
        )
        for path in (csv_path, jsonl_path):
            records, problems = read([path], index)
            # generated rows may repeat: a warning (M016), nothing else
            assert set(problems.counts) <= {"M016"}
            got = [(r.time, r.target, r.value, type(r.value)) for r in records]
            assert got == [(t, g, v, type(v)) for t, g, v in rows]


def test_hostile_cells_are_problems_not_crashes(tmp_path: Path, index: TargetIndex) -> None:
    huge = "9" * 5000
    path = tmp_path / "hostile.csv"
    path.write_text(
        "time,target,value\n"
        f"2025-01-01T00:00:00Z,getQuote/RT,{huge}\n"
        "2025-01-01T00:00:00Z,getQuote/RT,\u00b2\n"
        f'2025-01-01T00:00:00Z,getQuote/RT,"{"x" * 200_000}"\n'
        "2025-01-01T00:00:01Z,getQuote/RT,7\n"
    )
    records, problems = read([path], index)
    assert [(r.value, r.origin.line if r.origin else 0) for r in records] == [(7, 5)]
    assert codes_at(problems) == [
        ("M005", str(path), 2),
        ("M005", str(path), 3),
        ("M001", str(path), 4),
    ]
    wide = tmp_path / "wide.csv"
    wide.write_text(f"ts,target,value\n{huge},urn:load,1\n\u00b2,urn:load,1\n5,urn:load,1\n")
    binding = parse_binding('[[table]]\ntime = "ts"\ntime-format = "ms"\ntarget = "target"\n')
    records, problems = read([wide], index, binding)
    assert [r.time for r in records] == [5_000_000]
    assert [d.code for d in problems.diagnostics()] == ["M004", "M004"]
    jsonl = tmp_path / "hostile.jsonl"
    jsonl.write_text(
        '{"time": "2025-01-01T00:00:00Z", "target": "urn:load", "value": '
        + huge
        + "}\n"
        + "[" * 100_000
        + "]" * 100_000
        + "\n"
        + '{"time": "2025-01-01T00:00:00Z", "target": "urn:load", "value": {"a": 1}}\n'
        + '{"time": "2025-01-01T00:00:00Z", "target": ["urn:load"], "value": 1}\n'
    )
    records, problems = read([jsonl], index)
    assert records == []
    assert [d.code for d in problems.diagnostics()] == ["M001", "M001", "M005", "M005"]


def test_without_a_binding_python_tuples_take_integer_times_as_nanoseconds(
    index: TargetIndex,
) -> None:
    records, problems = read(
        [[(T0, "urn:load", 1), ("2025-01-01T00:00:01Z", "urn:load", 2)]], index
    )
    assert problems.total == 0
    assert [(r.time, r.value) for r in records] == [(T0, 1), (T0 + 10**9, 2)]
    # with a binding, its declared time-format rules
    binding = parse_binding('[[table]]\ntime-format = "s"\ntarget = "target"\n')
    records, _ = read([[(5, "urn:load", 1)]], index, binding)
    assert records[0].time == 5 * 10**9


def test_third_party_formats_come_from_entry_points(
    tmp_path: Path, index: TargetIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wsla.sources import reader

    def read_pipes(path: str, compile_mapper: Any, problems: DataProblems) -> Any:
        mapper = compile_mapper()
        for line, text in enumerate(Path(path).read_text().splitlines(), start=1):
            made = mapper.map(text.split("|"), Origin(path, line))
            if made:
                yield made

    class Entry:
        def __init__(self, name: str, obj: object) -> None:
            self.name = name
            self._obj = obj

        def load(self) -> object:
            return self._obj

    monkeypatch.setattr(
        reader, "_entry_points", lambda: [Entry("pipes", read_pipes), Entry(".csv", None)]
    )
    reader.formats.cache_clear()
    try:
        path = tmp_path / "m.pipes"
        path.write_text("2025-01-01T00:00:00Z|urn:load|0.5\n")
        records, problems = read([path], index)
        assert problems.total == 0
        assert [(r.target, r.value) for r in records] == [("urn:load", "0.5")]
        assert reader.formats()[".csv"][0] is reader.read_csv  # built-ins stay
    finally:
        monkeypatch.undo()
        reader.formats.cache_clear()
    assert ".pipes" not in reader.formats()
