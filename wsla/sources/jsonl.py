"""JSON Lines measurement files (stdlib ``json``), streamed line by line.

Each non-blank line is one JSON object. Values keep their JSON types: ``42`` is a
number, ``true`` a boolean, ``"up"`` a string value; times are ISO 8601 strings or
epoch numbers as the binding declares. ``.gz`` files are decompressed on the fly.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from wsla.sources.binding import RawRecord, RowMapper
from wsla.sources.problems import DataProblems
from wsla.sources.record import Origin

__all__ = ["read_jsonl"]


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return path.open("r", encoding="utf-8-sig")


def read_jsonl(
    path: str | Path,
    compile_mapper: Callable[[], RowMapper],
    problems: DataProblems,
    *,
    source: str | None = None,
) -> Iterator[list[RawRecord]]:
    """Records from the JSON Lines file at ``path``; bad lines go to ``problems``."""
    path = Path(path)
    name = source if source is not None else str(path)
    try:
        handle = _open_text(path)
    except OSError as exc:
        problems.report("M010", f"cannot open {name}: {exc.strerror or exc}", Origin(name, 1))
        return
    mapper = compile_mapper()
    columns = mapper.columns
    map_row = mapper.map
    line = 0
    with handle:
        try:
            for line, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                origin = Origin(name, line)
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as exc:
                    problems.report(
                        "M001", f"not valid JSON: {exc.msg} (column {exc.colno})", origin
                    )
                    continue
                except (ValueError, RecursionError) as exc:
                    # numbers with more digits than Python converts; absurd nesting
                    problems.report("M001", f"not a usable JSON record: {exc}", origin)
                    continue
                if not isinstance(obj, dict):
                    problems.report(
                        "M001", f"a record is a JSON object, not {type(obj).__name__}", origin
                    )
                    continue
                missing = [c for c in columns if c not in obj]
                if missing:
                    problems.report(
                        "M002", f"no field {', '.join(repr(c) for c in missing)}", origin
                    )
                    continue
                made = map_row([obj[c] for c in columns], origin)
                if made:
                    yield made
        except UnicodeDecodeError as exc:
            problems.report(
                "M010", f"{name} is not UTF-8 text: {exc.reason}", Origin(name, line + 1)
            )
        except (OSError, EOFError) as exc:
            problems.report("M010", f"cannot read {name}: {exc}", Origin(name, line + 1))
