"""Arrow IPC files: the file format (Feather v2, magic ``ARROW1``) and the stream format.

Part of the optional ``parquet`` extra (pyarrow, imported lazily). Files are memory-mapped
and read record batch by record batch, each cut into slices of at most
:data:`~wsla.sources.parquet.BATCH_ROWS` rows, so memory holds one slice of Python values
whatever the batch sizes the writer chose. Columns, bindings and line numbers (1-based
row numbers) are exactly those of Parquet files. A file's content decides its format: the
magic ``ARROW1`` is the file format, the continuation marker ``FF FF FF FF`` the stream
format; Feather v1 (``FEA1``) is refused with a hint to rewrite it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from wsla.sources.binding import RawRecord, RowMapper
from wsla.sources.parquet import (
    BATCH_ROWS,
    batch_columns,
    map_batch,
    pyarrow_missing,
    short_error,
)
from wsla.sources.problems import DataProblems
from wsla.sources.record import Origin

__all__ = ["ARROW_FILE_MAGIC", "ARROW_STREAM_MARKER", "read_arrow_ipc", "sniff_arrow"]

ARROW_FILE_MAGIC = b"ARROW1"
ARROW_STREAM_MARKER = b"\xff\xff\xff\xff"
FEATHER_V1_MAGIC = b"FEA1"


def sniff_arrow(path: str | Path) -> str | None:
    """``"file"``, ``"stream"``, ``"feather1"`` by the first bytes of ``path``, or None
    (not Arrow, or unreadable: the reader reports that)."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return None
    if head.startswith(ARROW_FILE_MAGIC):
        return "file"
    if head.startswith(ARROW_STREAM_MARKER):
        return "stream"
    if head.startswith(FEATHER_V1_MAGIC):
        return "feather1"
    return None


def _batches(kind: str, reader: Any) -> Iterator[Any]:
    """The record batches of an open IPC reader, lazily (errors surface on ``next``)."""
    if kind == "file":
        for i in range(reader.num_record_batches):
            yield reader.get_batch(i)
    else:
        yield from reader


def _slices(batch: Any) -> Iterator[Any]:
    if batch.num_rows <= BATCH_ROWS:
        yield batch
        return
    for offset in range(0, batch.num_rows, BATCH_ROWS):
        yield batch.slice(offset, BATCH_ROWS)  # zero-copy


def read_arrow_ipc(
    path: str | Path,
    compile_mapper: Callable[[], RowMapper],
    problems: DataProblems,
    *,
    source: str | None = None,
) -> Iterator[list[RawRecord]]:
    """Records from the Arrow IPC file (file or stream format) at ``path``, batch by batch.

    A batch that cannot be read or fails validation (a truncated or corrupt file) is
    M010 at the row it would start; reading stops there (the rows after it cannot be
    numbered), the records before it are kept.
    """
    name = source if source is not None else str(path)
    if pyarrow_missing(problems, name):
        return
    kind = sniff_arrow(path)
    if kind == "feather1":
        problems.report(
            "M010",
            f"cannot read {name}: Feather version 1 is not supported",
            Origin(name, 1),
            help="rewrite it as Feather v2 (pyarrow.feather.write_feather(table, path))",
        )
        return
    import pyarrow as pa

    try:
        mapped = pa.memory_map(str(path), "r")
    except (OSError, ValueError, pa.ArrowException) as exc:
        problems.report("M010", f"cannot read {name}: {short_error(exc)}", Origin(name, 1))
        return
    with mapped:
        yield from _read(kind or "file", mapped, compile_mapper, problems, name)


def _read(
    kind: str,
    mapped: Any,
    compile_mapper: Callable[[], RowMapper],
    problems: DataProblems,
    name: str,
) -> Iterator[list[RawRecord]]:
    import pyarrow as pa

    try:
        reader = pa.ipc.open_file(mapped) if kind == "file" else pa.ipc.open_stream(mapped)
        header = list(reader.schema.names)
    except (OSError, ValueError, pa.ArrowException) as exc:
        problems.report("M010", f"cannot read {name}: {short_error(exc)}", Origin(name, 1))
        return
    mapper = compile_mapper()
    if problems.missing_columns(name, mapper.columns, header):
        return
    batches = _batches(kind, reader)
    first = 1
    while True:
        try:
            batch = next(batches, None)
            if batch is None:
                return
            # the reader checks the framing only; a crafted buffer (offsets past the
            # end, invalid UTF-8) must be refused before any value is read
            batch.validate(full=True)
        except (OSError, ValueError, pa.ArrowException) as exc:
            where = "" if first == 1 else f" at row {first}"
            problems.report(
                "M010", f"cannot read {name}{where}: {short_error(exc)}", Origin(name, first)
            )
            return
        for part in _slices(batch):
            try:
                columns = batch_columns(part, mapper)
            except (ValueError, OverflowError, pa.ArrowException) as exc:
                problems.report(
                    "M010",
                    f"cannot read {name} at row {first}: {short_error(exc)}",
                    Origin(name, first),
                )
                return
            # mapping is outside the try: a DataAbort (fail policy) must pass through
            yield from map_batch(columns, mapper, name, first)
            first += part.num_rows
