"""Parquet files and Arrow tables (the optional ``parquet`` extra: pyarrow, imported lazily).

Files are read in record batches, only the columns the binding needs. A record's
"line" is its 1-based row number. Timestamp columns with a time zone are read as
exact epoch nanoseconds; naive timestamp columns need a zone, as naive text does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from wsla.sources.binding import RawRecord, RowMapper
from wsla.sources.problems import DataProblems
from wsla.sources.record import Origin
from wsla.sources.timestamps import Nanoseconds

__all__ = ["BATCH_ROWS", "pyarrow_available", "read_arrow", "read_parquet"]

BATCH_ROWS = 65_536


def pyarrow_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def _column_values(column: Any) -> list[Any]:
    import pyarrow as pa

    kind = column.type
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        # Epoch nanoseconds, exactly; to_pylist would go through datetime (microseconds).
        return list(column.cast(pa.timestamp("ns", tz="UTC")).cast(pa.int64()).to_pylist())
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
    return list(column.to_pylist())


def _rows(
    batches: Iterable[Any],
    mapper: RowMapper,
    name: str,
) -> Iterator[list[RawRecord]]:
    import pyarrow as pa

    map_row = mapper.map
    first = 1
    for batch in batches:
        columns = [_column_values(batch.column(c)) for c in mapper.columns]
        time_type = batch.schema.field(mapper.columns[0]).type
        if pa.types.is_timestamp(time_type) and time_type.tz is not None:
            # Exact instants whatever the binding's time-format says.
            columns[0] = [Nanoseconds(v) if v is not None else None for v in columns[0]]
        for offset, row in enumerate(zip(*columns, strict=True)):
            made = map_row(row, Origin(name, first + offset))
            if made:
                yield made
        first += batch.num_rows


def read_parquet(
    path: str | Path,
    compile_mapper: Callable[[], RowMapper],
    problems: DataProblems,
    *,
    source: str | None = None,
) -> Iterator[list[RawRecord]]:
    """Records from the Parquet file at ``path``, batch by batch."""
    name = source if source is not None else str(path)
    if not pyarrow_available():
        problems.report(
            "M012",
            f"cannot read {name}: pyarrow is not installed",
            Origin(name, 1),
            help="pip install 'wsla[parquet]'",
        )
        return
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(str(path))
    except (OSError, ValueError) as exc:
        problems.report("M010", f"cannot read {name}: {exc}", Origin(name, 1))
        return
    mapper = compile_mapper()
    header = list(handle.schema_arrow.names)
    missing = [c for c in mapper.columns if c not in header]
    if missing:
        problems.report(
            "M002",
            f"{name} has no column {', '.join(repr(c) for c in missing)} "
            f"(columns: {', '.join(header)})",
            Origin(name, 1),
        )
        return
    wanted = list(dict.fromkeys(mapper.columns))
    batches = handle.iter_batches(batch_size=BATCH_ROWS, columns=wanted)
    try:
        yield from _rows(batches, mapper, name)
    except OSError as exc:
        problems.report("M010", f"cannot read {name}: {exc}", Origin(name, 1))


def read_arrow(
    table: Any,
    compile_mapper: Callable[[], RowMapper],
    problems: DataProblems,
    *,
    source: str = "<arrow>",
) -> Iterator[list[RawRecord]]:
    """Records from an in-memory ``pyarrow.Table`` or ``RecordBatch``."""
    mapper = compile_mapper()
    header = list(table.schema.names)
    missing = [c for c in mapper.columns if c not in header]
    if missing:
        problems.report(
            "M002",
            f"{source} has no column {', '.join(repr(c) for c in missing)}",
            Origin(source, 1),
        )
        return
    batches = (
        table.to_batches(max_chunksize=BATCH_ROWS) if hasattr(table, "to_batches") else [table]
    )
    yield from _rows(batches, mapper, source)
