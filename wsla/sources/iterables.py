"""Plain Python data: records, ``(time, target, value)`` tuples, or row mappings.

* :class:`~wsla.sources.record.Record` objects pass through unchanged (their time is
  already epoch nanoseconds).
* ``(time, target, value)`` tuples are long-format rows; ``time`` is read as the
  table declares (an aware ``datetime`` is always accepted). Without a binding, an
  integer time is epoch nanoseconds, as in a :class:`Record`.
* mappings (``{"ts": …, "op": …, "rt_ms": …}``) are rows of a wide or long table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from wsla.sources.binding import RawRecord, RowMapper
from wsla.sources.problems import DataProblems
from wsla.sources.record import Origin, Record
from wsla.sources.timestamps import MAX_NS, MIN_NS, Nanoseconds

__all__ = ["read_iterable"]


def read_iterable(
    items: Iterable[Any],
    compile_mapper: Callable[[], RowMapper],
    problems: DataProblems,
    *,
    source: str = "<data>",
    ints_are_ns: bool = False,
) -> Iterator[list[RawRecord]]:
    """Records from ``items``; an item's "line" in origins is its 1-based position."""
    mapper: RowMapper | None = None
    for position, item in enumerate(items, start=1):
        if isinstance(item, Record):
            if type(item.time) is not int or not MIN_NS <= item.time <= MAX_NS:
                problems.report(
                    "M004",
                    f"Record time {item.time!r} is not an int64 epoch-nanosecond instant "
                    "(1677-09-21 to 2262-04-11)",
                    item.origin or Origin(source, position),
                )
                continue
            yield [(item.time, item.target, item.value, item.origin)]
            continue
        if mapper is None:
            mapper = compile_mapper()
        origin = Origin(source, position)
        row: list[Any]
        if isinstance(item, Mapping):
            missing = [c for c in mapper.columns if c not in item]
            if missing:
                problems.report("M002", f"no field {', '.join(repr(c) for c in missing)}", origin)
                continue
            row = [item[c] for c in mapper.columns]
        elif isinstance(item, tuple | list) and len(item) == len(mapper.columns):
            row = list(item)
        else:
            problems.report(
                "M001",
                f"expected a Record, a mapping or a {len(mapper.columns)}-tuple, "
                f"not {type(item).__name__}",
                origin,
            )
            continue
        if ints_are_ns and type(row[0]) is int:
            row[0] = Nanoseconds(row[0])
        made = mapper.map(row, origin)
        if made:
            yield made
