"""Parquet batches of the file path follow the row groups (no remainder batches)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wsla.runtime.batch_files import _file_batches


def _write(path: Path, rows: int, group: int) -> None:
    table = pa.table(
        {
            "ts": pa.array(range(rows), type=pa.int64()),
            "op": pa.array(["a", "b"] * (rows // 2)),
            "rt": pa.array([1.5] * rows),
        }
    )
    pq.write_table(table, path, row_group_size=group)


@pytest.mark.parametrize(
    ("rows", "group", "wanted", "sizes"),
    [
        (4000, 1000, 1024, [1000] * 4),  # a batch size just above the row group's
        (4000, 1000, 300, [250] * 16),  # each group in equal parts, no remainder
        (2600, 1000, 1024, [1000, 1000, 600]),  # the last, smaller group as it is
        (1000, 1000, 5000, [1000]),
    ],
)
def test_batches_divide_row_groups(
    tmp_path: Path, rows: int, group: int, wanted: int, sizes: list[int]
) -> None:
    path = tmp_path / "t.parquet"
    _write(path, rows, group)
    batches = list(_file_batches(str(path), ["ts", "op", "rt"], wanted))
    assert [b.num_rows for b in batches] == sizes
    assert pa.types.is_dictionary(batches[0].column(1).type)
    times = [t for b in batches for t in b.column(0).to_pylist()]
    assert times == list(range(rows))


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    _write(path, 0, 1000)
    assert sum(b.num_rows for b in _file_batches(str(path), ["ts", "op", "rt"], 100)) == 0
