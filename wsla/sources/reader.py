"""Reading every data input of an evaluation as one time-ordered stream of records.

Each input (a file path, an Arrow table, or an iterable) is read lazily by the reader
its kind needs, through the binding table that matches its file name. The inputs are
merged by event time (:func:`heapq.merge`, which keeps input order among equal times,
so the result does not depend on chunking). Each input is expected in time order;
records out of order are passed on as they come and the engine counts them as late.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, partial
from itertools import chain
from pathlib import Path
from typing import Any

from wsla.sources.arrow import read_arrow_ipc, sniff_arrow
from wsla.sources.binding import (
    DEFAULT_BINDING,
    Binding,
    RawRecord,
    RowMapper,
    Table,
    compile_table,
)
from wsla.sources.csv import read_csv
from wsla.sources.iterables import read_iterable
from wsla.sources.jsonl import read_jsonl
from wsla.sources.parquet import read_arrow, read_parquet
from wsla.sources.problems import DataProblems
from wsla.sources.record import Origin, Record
from wsla.sources.targets import TargetIndex

__all__ = [
    "FORMATS",
    "data_format",
    "detect_format",
    "formats",
    "read_data",
    "read_input",
    "read_raw",
]

Reader = Callable[..., Iterator[list[RawRecord]]]
"""A reader yields, per row, the non-empty list of records the row made (all with the
row's time): merging and flattening whole rows is cheaper than record by record."""

FORMATS: dict[str, tuple[Reader, bool]] = {
    ".csv": (read_csv, False),
    ".csv.gz": (read_csv, False),
    ".jsonl": (read_jsonl, True),
    ".jsonl.gz": (read_jsonl, True),
    ".ndjson": (read_jsonl, True),
    ".ndjson.gz": (read_jsonl, True),
    ".parquet": (read_parquet, True),
    ".pq": (read_parquet, True),
    ".arrow": (read_arrow_ipc, True),
    ".arrows": (read_arrow_ipc, True),
    ".feather": (read_arrow_ipc, True),
    ".ipc": (read_arrow_ipc, True),
}
"""File suffix → (reader, whether its string cells are typed strings)."""

ENTRY_POINT_GROUP = "wsla.sources"
"""Third-party formats: an entry point named by its suffix (``.avro``) whose object is a
:data:`Reader` ``(path, compile_mapper, problems) -> Iterator[list[RawRecord]]``; its
cells are read as typed values. Built-in suffixes cannot be replaced."""


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    return list(entry_points(group=ENTRY_POINT_GROUP))


@cache
def formats() -> dict[str, tuple[Reader, bool]]:
    """:data:`FORMATS` plus the readers installed packages register (loaded once)."""
    found = dict(FORMATS)
    for entry in _entry_points():
        suffix = entry.name.lower()
        if not suffix.startswith("."):
            suffix = "." + suffix
        if suffix not in FORMATS:
            found[suffix] = (entry.load(), True)
    return found


def data_format(path: str | Path) -> str | None:
    """The :func:`formats` key of ``path`` (longest matching suffix), or None."""
    name = Path(path).name.lower()
    found = [suffix for suffix in formats() if name.endswith(suffix)]
    return max(found, key=len) if found else None


_SNIFFED = frozenset({None, ".parquet", ".pq"})
"""Names whose content is looked at: no known suffix, or a binary one that may be wrong."""


def detect_format(path: str | Path) -> str | None:
    """:func:`data_format`, except that an Arrow IPC file is one whatever its name says
    (its first bytes: ``ARROW1`` or a stream's continuation marker)."""
    suffix = data_format(path)
    if suffix in _SNIFFED and sniff_arrow(path) in ("file", "stream"):
        return ".arrow"
    return suffix


def _is_arrow(data: object) -> bool:
    module = type(data).__module__
    return module.startswith("pyarrow") and hasattr(data, "schema")


def read_input(
    data: str | Path | Iterable[Any],
    binding: Binding,
    index: TargetIndex | None,
    problems: DataProblems,
) -> Iterator[list[RawRecord]]:
    """The records of one input, in its own order, row by row (see :data:`Reader`)."""
    if isinstance(data, str | Path):
        name = str(data)
        suffix = detect_format(name)
        if suffix is None:
            problems.report(
                "M011",
                f"{name}: unknown data format (use .csv, .jsonl, .ndjson, .parquet or "
                ".arrow/.feather, optionally .gz for text)",
                Origin(name, 1),
            )
            return iter(())
        reader, typed = formats()[suffix]
        table = _table(binding, name, problems)
        if table is None:
            return iter(())
        compile_mapper = partial(compile_table, table, index, problems, text_is_typed=typed)
        return _flag_duplicates(reader(name, compile_mapper, problems), problems)
    table = binding.tables[0] if binding.tables else DEFAULT_BINDING.tables[0]
    mapper: Callable[[], RowMapper] = partial(
        compile_table, table, index, problems, text_is_typed=True
    )
    if _is_arrow(data):
        return read_arrow(data, mapper, problems)
    return read_iterable(data, mapper, problems, ints_are_ns=binding.implicit)


def _flag_duplicates(
    rows: Iterator[list[RawRecord]], problems: DataProblems
) -> Iterator[list[RawRecord]]:
    """The rows of one file, unchanged; a row that repeats the row on the line just
    before it (the same records but for their line) is reported as M016 and still applied."""
    previous: list[tuple[Any, ...]] | None = None
    previous_line = -1
    for made in rows:
        key = [(t, target, value) for t, target, value, _origin in made]
        origin = made[0][3]
        adjacent = isinstance(origin, Origin) and origin.line == previous_line + 1
        if adjacent and key == previous:
            problems.report(
                "M016",
                f"this row repeats line {previous_line} exactly",
                origin,
                help="a log shipped twice counts every invocation twice; remove the copies",
            )
        previous = key
        previous_line = origin.line if isinstance(origin, Origin) else 0
        yield made


def _table(binding: Binding, name: str, problems: DataProblems) -> Table | None:
    table = binding.table_for(name)
    if table is None:
        patterns = ", ".join(p for t in binding.tables for p in t.files)
        problems.report(
            "M008",
            f"{name}: no table of the binding applies to this file (patterns: {patterns})",
            Origin(name, 1),
        )
    return table


def read_raw(
    inputs: Sequence[str | Path | Iterable[Any]],
    binding: Binding | None,
    index: TargetIndex | None,
    problems: DataProblems,
) -> Iterator[RawRecord]:
    """All records of ``inputs`` as ``(time, target, value, origin)``, merged by time."""
    streams = [read_input(d, binding or DEFAULT_BINDING, index, problems) for d in inputs]
    if len(streams) == 1:
        return chain.from_iterable(streams[0])
    merged: Iterator[list[RawRecord]] = heapq.merge(*streams, key=_row_time)
    return chain.from_iterable(merged)


def _row_time(made: list[RawRecord]) -> int:
    return made[0][0]


def read_data(
    inputs: Sequence[str | Path | Iterable[Any]],
    binding: Binding | None,
    index: TargetIndex | None,
    problems: DataProblems,
) -> Iterator[Record]:
    """All records of ``inputs``, merged by event time."""
    for time, target, value, origin in read_raw(inputs, binding, index, problems):
        yield Record(time, target, value, origin)
