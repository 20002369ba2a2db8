"""CSV measurement files (stdlib ``csv``), streamed row by row.

The first line is the header. Rows are mapped by a compiled binding table
(:func:`wsla.sources.binding.compile_table`); cells are text, so numbers and
``true``/``false`` are read from it. Files ending in ``.gz`` are decompressed on the fly.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO

from wsla.sources.binding import RawRecord, RowMapper
from wsla.sources.problems import DataProblems
from wsla.sources.record import Origin

__all__ = ["read_csv"]


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


def _first_undecodable_line(path: Path) -> int:
    """The line of the first invalid UTF-8 byte (decoding reads ahead in blocks, so the
    error does not say which line it met)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as raw:
        for line, chunk in enumerate(raw, start=1):
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                return line
    return 1


def _picker(positions: list[int]) -> Callable[[list[str]], Sequence[str]]:
    """The cells at ``positions``, in that order (``itemgetter``: one C call)."""
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    return itemgetter(*positions)


def read_csv(
    path: str | Path,
    compile_mapper: Callable[[], RowMapper],
    problems: DataProblems,
    *,
    source: str | None = None,
) -> Iterator[list[RawRecord]]:
    """Records from the CSV file at ``path``; bad rows go to ``problems``.

    ``compile_mapper`` builds the row mapper (called once, after the header was read).
    ``source`` names the file in origins (default: ``path`` as given).
    """
    path = Path(path)
    name = source if source is not None else str(path)
    try:
        handle = _open_text(path)
    except OSError as exc:
        problems.report("M010", f"cannot open {name}: {exc.strerror or exc}", Origin(name, 1))
        return
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                problems.report(
                    "M010", f"{name} is empty (a CSV file needs a header line)", Origin(name, 1)
                )
                return
            header = [h.strip() for h in header]
            mapper = compile_mapper()
            if problems.missing_columns(name, mapper.columns, header):
                return
            positions = [header.index(c) for c in mapper.columns]
            pick = _picker(positions)
            width = len(header)
            map_row = mapper.map
            while True:
                try:
                    for row in reader:
                        if len(row) != width:
                            if not row:
                                continue
                            problems.report(
                                "M001",
                                f"expected {width} fields, found {len(row)}",
                                Origin(name, reader.line_num),
                            )
                            continue
                        made = map_row(pick(row), Origin(name, reader.line_num))
                        if made:
                            yield made
                    break
                except csv.Error as exc:
                    # e.g. a field over the size limit: that row is lost, the rest read on
                    line = reader.line_num
                    problems.report("M001", f"unreadable CSV: {exc}", Origin(name, line))
        except UnicodeDecodeError as exc:
            where = Origin(name, _first_undecodable_line(path))
            problems.report("M010", f"{name} is not UTF-8 text: {exc.reason}", where)
        except csv.Error as exc:  # in the header
            problems.report("M001", f"unreadable CSV: {exc}", Origin(name, reader.line_num))
        except (OSError, EOFError) as exc:
            problems.report("M010", f"cannot read {name}: {exc}", Origin(name, reader.line_num))
