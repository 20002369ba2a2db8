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

__all__ = [
    "BATCH_ROWS",
    "batch_columns",
    "map_batch",
    "pyarrow_available",
    "pyarrow_missing",
    "read_arrow",
    "read_parquet",
    "short_error",
]

BATCH_ROWS = 65_536


def pyarrow_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def pyarrow_missing(problems: DataProblems, name: str) -> bool:
    """Report ``M012`` for the file ``name`` when pyarrow is not installed; whether so."""
    if pyarrow_available():
        return False
    problems.report(
        "M012",
        f"cannot read {name}: pyarrow is not installed",
        Origin(name, 1),
        help="pip install 'wsla[parquet]'",
    )
    return True


def _column_values(column: Any) -> list[Any]:
    import pyarrow as pa

    kind = column.type
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        # Epoch nanoseconds, exactly; to_pylist would go through datetime (microseconds).
        return list(column.cast(pa.timestamp("ns", tz="UTC")).cast(pa.int64()).to_pylist())
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
    return list(column.to_pylist())


def batch_columns(batch: Any, mapper: RowMapper) -> list[list[Any]]:
    import pyarrow as pa

    columns = [_column_values(batch.column(c)) for c in mapper.columns]
    time_type = batch.schema.field(mapper.columns[0]).type
    if pa.types.is_timestamp(time_type) and time_type.tz is not None:
        # Exact instants whatever the binding's time-format says.
        columns[0] = [Nanoseconds(v) if v is not None else None for v in columns[0]]
    return columns


def map_batch(
    columns: list[list[Any]], mapper: RowMapper, name: str, first: int
) -> Iterator[list[RawRecord]]:
    map_row = mapper.map
    for offset, row in enumerate(zip(*columns, strict=True)):
        made = map_row(row, Origin(name, first + offset))
        if made:
            yield made


def _rows(
    batches: Iterable[Any],
    mapper: RowMapper,
    name: str,
) -> Iterator[list[RawRecord]]:
    first = 1
    for batch in batches:
        yield from map_batch(batch_columns(batch, mapper), mapper, name, first)
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
    if pyarrow_missing(problems, name):
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(str(path))
        header = list(handle.schema_arrow.names)
    except (OSError, ValueError, pa.ArrowException) as exc:
        # ArrowNotImplementedError (a mutated footer: "Integers with more than 64 bits")
        # is neither an OSError nor a ValueError.
        problems.report("M010", f"cannot read {name}: {short_error(exc)}", Origin(name, 1))
        return
    mapper = compile_mapper()
    if problems.missing_columns(name, mapper.columns, header):
        return
    wanted = list(dict.fromkeys(mapper.columns))
    first = 1
    # Row group by row group, so a corrupt one (bad compression, invalid UTF-8 in a
    # string column) is reported and the others are still read.
    for group in range(handle.num_row_groups):
        batches = handle.iter_batches(batch_size=BATCH_ROWS, columns=wanted, row_groups=[group])
        while True:
            try:
                batch = next(batches, None)
                if batch is None:
                    break
                columns = batch_columns(batch, mapper)
            except (OSError, ValueError, OverflowError, pa.ArrowException) as exc:
                # UnicodeDecodeError is a ValueError, ArrowInvalid both; OverflowError:
                # a naive timestamp beyond datetime's range (year 9999).
                problems.report(
                    "M010",
                    f"cannot read row group {group} of {name}: {short_error(exc)}",
                    Origin(name, first),
                )
                break
            # Mapping is outside the try: a DataAbort (fail policy) must pass through.
            yield from map_batch(columns, mapper, name, first)
            first += batch.num_rows
        first = 1 + sum(handle.metadata.row_group(g).num_rows for g in range(group + 1))


def short_error(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


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
    if problems.missing_columns(source, mapper.columns, header, list_header=False):
        return
    batches = (
        table.to_batches(max_chunksize=BATCH_ROWS) if hasattr(table, "to_batches") else [table]
    )
    yield from _rows(batches, mapper, source)
