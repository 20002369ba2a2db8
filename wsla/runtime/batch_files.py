"""Columns straight from Parquet row groups and CSV blocks, for the batch engine.

:func:`file_streams` reads wide tables bound by a binding (epoch time column, key column,
feeds of a column by directive or as invocations) with pyarrow, chunk by chunk, and
yields for each span of time the streams :meth:`BatchEvaluator.feed_streams` takes:
exactly the records the row readers (``wsla.sources``) make, merged by time as they
merge them. Anything else (ISO timestamps, long tables, derived or negated feeds, empty
cells, NaN/inf, negative response times, times outside int64 nanoseconds, unreadable row
groups, unknown keys, out-of-order files, compressed text) raises :class:`Unsupported`
and the caller evaluates through the row readers instead (they report what is wrong,
with file and line). Memory holds one chunk per input.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from wsla.runtime.engine import INVOCATION_SUFFIX
from wsla.sources.binding import Binding, Derive, Table
from wsla.sources.problems import DataProblems
from wsla.sources.targets import TargetIndex
from wsla.sources.timestamps import TimeFormat

CHUNK_ROWS = 1 << 20
# pyarrow's streaming CSV reader keeps several blocks in flight: with 1 M-row blocks a
# 10 M-request evaluation peaked at ~800 MB RSS (470 MB in pyarrow's pool) and was slower
# than with 64 k-row blocks (~300 MB, 1.65 s against 2.1 s; benchmarks/evaluate.py
# --csv-only). Parquet row batches stay at CHUNK_ROWS, where the engine is fastest.
CSV_CHUNK_ROWS = 1 << 16

Stream = tuple[Any, Any, Any]


class Unsupported(Exception):
    """These inputs need the row readers."""


def _kind(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".parquet"):
        return "parquet"
    if lower.endswith(".csv"):
        return "csv"
    raise Unsupported(path)


def _check(table: Table | None) -> Table:
    if table is None or table.is_long or table.key is None:
        raise Unsupported("table")
    if table.time_format is TimeFormat.ISO:
        raise Unsupported("ISO time")
    for feed in table.feeds:
        if (
            feed.column is None
            or feed.negate
            or feed.derive is not Derive.VALUE
            or feed.metric is not None
            or feed.target is not None
            or (feed.directive is None and not feed.invocation)
        ):
            raise Unsupported("feed")
    return table


def _read_ahead(batches: Iterator[Any]) -> Iterator[Any]:
    """``batches``, each read while the one before is evaluated: pyarrow decodes
    without the GIL, so reading overlaps the engine's work (same batches, same order;
    one more chunk in memory)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="wsla-read") as pool:
        future = pool.submit(next, batches, None)
        while True:
            batch = future.result()  # a read error is raised here, to pull()
            if batch is None:
                return
            future = pool.submit(next, batches, None)
            yield batch


def _batches(path: str, columns: list[str], rows: int) -> Iterator[Any]:
    return _read_ahead(_file_batches(path, columns, rows))


def _batch_rows(source: Any, rows: int) -> int:
    """About ``rows`` rows per batch, dividing the largest row group evenly: pyarrow
    ends a batch at the end of a row group, so 2^20-row batches over 10^6-row groups
    came as 10^6 rows then a 48,576-row remainder, and every chunk after it was cut in
    two (twice the chunks, each with its fixed costs)."""
    meta = source.metadata
    largest = max((meta.row_group(i).num_rows for i in range(meta.num_row_groups)), default=0)
    if largest <= 0:
        return rows
    parts = -(-largest // rows)
    return -(-largest // parts)


def _file_batches(path: str, columns: list[str], rows: int) -> Iterator[Any]:
    if _kind(path) == "parquet":
        import pyarrow.parquet as pq

        # the key column (columns[1]) as a dictionary: no Python strings per row
        source = pq.ParquetFile(path, read_dictionary=[columns[1]])
        yield from source.iter_batches(batch_size=_batch_rows(source, rows), columns=columns)
        return
    import pyarrow.csv as pacsv

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=min(rows, CSV_CHUNK_ROWS) * 40),
        convert_options=pacsv.ConvertOptions(include_columns=columns, auto_dict_encode=True),
    )
    yield from reader


class _Input:
    """One file's chunks as (times, key codes, per feed (values, target per key))."""

    def __init__(  # noqa: PLR0917
        self,
        path: str,
        table: Table,
        index: TargetIndex,
        problems: DataProblems,
        vectorized: frozenset[str],
        rows: int,
    ) -> None:
        import numpy as np

        self.np = np
        self.table = table
        self.index = index
        self.problems = problems
        self.vectorized = vectorized
        assert table.key is not None
        self.columns = [table.time, table.key]
        for feed in table.feeds:
            assert feed.column is not None
            if feed.column not in self.columns:
                self.columns.append(feed.column)
        self.batches = _batches(path, self.columns, rows)
        self.scale = table.time_format.scale
        self.objects = dict(table.objects)
        self.targets: dict[str, list[str | None]] = {}
        self.last: int | None = None
        self.tail: tuple[Any, ...] | None = None  # the last row read, for M016 across chunks
        self.done = False
        # pending rows: times, key codes (per chunk names), values per feed
        self.t: Any = np.zeros(0, dtype=np.int64)
        self.codes: Any = np.zeros(0, dtype=np.int32)
        self.names: list[str] = []
        self.values: list[Any] = [np.zeros(0) for _ in table.feeds]

    def _resolve(self, key: str) -> list[str | None]:
        """Per feed the target a row with this key feeds (None: nothing)."""
        if key in self.targets:
            return self.targets[key]
        obj = self.objects.get(key, key)
        if not self.index.has_object(obj):
            raise Unsupported(f"key {key!r}")  # the row readers report it (M008)
        out: list[str | None] = []
        for feed in self.table.feeds:
            if feed.invocation:
                out.append(obj + INVOCATION_SUFFIX if self.index.invocable(obj) else None)
                continue
            assert feed.directive is not None
            found = self.index.by_directive(obj, feed.directive)
            if len(found) > 1:
                raise Unsupported("several targets")
            out.append(found[0] if found else None)
        self.targets[key] = out
        return out

    def _refuse_duplicates(self, t: Any, names: list[str], codes: Any, values: list[Any]) -> None:
        """Unsupported when a row repeats the row before it in what it feeds: the row
        readers report those (M016), comparing the records of adjacent rows."""
        np = self.np
        # per key, which feeds reach a metric
        feeds = np.array(
            [[x is not None for x in self._resolve(n)] for n in names], dtype=bool
        ).reshape(len(names), len(values))
        if self.tail is not None:
            t0, name0, values0 = self.tail
            used0 = feeds[codes[0]]
            if (
                int(t[0]) == t0
                and names[codes[0]] == name0
                and used0.any()
                and all(not used0[f] or v[0] == values0[f] for f, v in enumerate(values))
            ):
                raise Unsupported("duplicated rows")
        if len(t) > 1:
            # only rows at the same time as the row before them can repeat it: look at
            # those few instead of comparing every column of every row
            at = np.flatnonzero(t[1:] == t[:-1])
            if len(at):
                at = at[codes[at + 1] == codes[at]]
            if len(at):
                used = feeds[codes[at + 1]]
                same = used.any(axis=1)
                for f, v in enumerate(values):
                    same &= ~used[:, f] | (v[at + 1] == v[at])
                if same.any():
                    raise Unsupported("duplicated rows")
        self.tail = (int(t[-1]), names[codes[-1]], tuple(v[-1] for v in values))

    def pull(self) -> bool:
        """Read the next chunk into the pending rows; False at the end of the file."""
        np = self.np
        try:
            batch = next(self.batches)
        except StopIteration:
            self.done = True
            return False
        except Exception as exc:  # unreadable file or row group: the row readers say so
            raise Unsupported(f"read: {exc}") from None
        import pyarrow as pa

        if batch.num_rows == 0:
            return True
        cols = [batch.column(c) for c in self.columns]
        if any(c.null_count for c in cols):
            raise Unsupported("empty cells")
        time = cols[0]
        if not pa.types.is_integer(time.type):
            raise Unsupported("time type")
        raw = time.to_numpy().astype(np.int64, copy=False)
        if len(raw) > 1 and bool((raw[1:] < raw[:-1]).any()):
            raise Unsupported("unsorted")
        limit = (1 << 63) // self.scale
        # sorted: the first and the last row are the extremes
        if len(raw) and (int(raw[-1]) >= limit or int(raw[0]) < -limit):
            raise Unsupported("time outside int64 nanoseconds")  # M004 by the row readers
        t = raw * self.scale
        if self.last is not None and t[0] < self.last:
            raise Unsupported("unsorted")
        self.last = int(t[-1])
        keys = cols[1]
        if pa.types.is_dictionary(keys.type):
            encoded = keys
            kind = keys.type.value_type
        else:
            encoded = None
            kind = keys.type
        if not pa.types.is_string(kind) and not pa.types.is_large_string(kind):
            raise Unsupported("key type")
        if encoded is None:
            encoded = keys.dictionary_encode()
        names = encoded.dictionary.to_pylist()
        codes = encoded.indices.to_numpy()
        values = []
        for feed in self.table.feeds:
            column = batch.column(feed.column)
            if pa.types.is_boolean(column.type):
                values.append(column.to_numpy(zero_copy_only=False).astype(np.int64))
            elif pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
                array = column.to_numpy()
                # the extremes tell both (NaN propagates through min and max)
                low, high = (array.min(), array.max()) if len(array) else (0, 0)
                if array.dtype.kind == "f" and not (math.isfinite(low) and math.isfinite(high)):
                    raise Unsupported("NaN or infinite value")  # M006 by the row readers
                if (feed.invocation or feed.directive == "ResponseTime") and low < 0:
                    raise Unsupported("negative response time")  # M015 by the row readers
                values.append(array)
            else:
                raise Unsupported("value type")
        for name in names:
            targets = self._resolve(name)
            if len(self.table.feeds) > 1 and any(
                x is not None and x not in self.vectorized for x in targets
            ):
                raise Unsupported("a row's records in order")
        self._refuse_duplicates(t, names, codes, values)
        # append to the pending rows (re-coding keys to the union of names)
        where = {n: i for i, n in enumerate(self.names)}
        remap = np.array([where.setdefault(n, len(where)) for n in names], dtype=np.int32)
        self.names = list(where)
        codes = remap[codes] if len(names) else codes
        self.t = np.concatenate((self.t, t)) if len(self.t) else t
        self.codes = np.concatenate((self.codes, codes)) if len(self.codes) else codes
        self.values = [
            np.concatenate((old, new)) if len(old) else new
            for old, new in zip(self.values, values, strict=True)
        ]
        return True

    def take(self, cut: int | None) -> list[Stream]:
        """The pending rows with time < ``cut`` (all for None) as streams, one per feed;
        rows none of whose feeds reaches a metric are counted as unused."""
        np = self.np
        n = len(self.t) if cut is None else int(np.searchsorted(self.t, cut, side="left"))
        if n == 0:
            return []
        t, codes = self.t[:n], self.codes[:n]
        values = [v[:n] for v in self.values]
        self.t, self.codes = self.t[n:], self.codes[n:]
        self.values = [v[n:] for v in self.values]
        per_key = [self.targets[name] for name in self.names]
        useless = np.array([all(x is None for x in ts) for ts in per_key], dtype=bool)
        if useless.any():
            self.problems.unused += int(useless[codes].sum())
        out: list[Stream] = []
        for i in range(len(self.table.feeds)):
            names = [ts[i] for ts in per_key]
            reach = np.array([x is not None for x in names], dtype=bool)
            if not reach.any():
                continue
            if reach.all():
                out.append((t, (codes, [x or "" for x in names]), values[i]))
                continue
            keep = reach[codes]
            out.append((t[keep], (codes[keep], [x or "" for x in names]), values[i][keep]))
        return out


def file_streams(  # noqa: PLR0917
    inputs: Sequence[Any],
    binding: Binding | None,
    index: TargetIndex,
    problems: DataProblems,
    vectorized: frozenset[str],
    rows: int = CHUNK_ROWS,
) -> Iterator[list[Stream]]:
    """Streams of all inputs, span of time by span of time (see the module doc).

    A table with several feeds gives one stream per feed; the row readers interleave a
    row's records instead, which only matters for records the per-event engine takes,
    so such a table needs every target it feeds in ``vectorized``."""
    if binding is None or not inputs:
        raise Unsupported("no binding")
    files: list[_Input] = []
    for data in inputs:
        if not isinstance(data, str | Path):
            raise Unsupported("not a file")
        name = str(data)
        _kind(name)
        table = _check(binding.table_for(name))
        files.append(_Input(name, table, index, problems, vectorized, rows))
    for f in files:
        f.pull()
    while True:
        live = [f for f in files if not f.done]
        if not live:
            out = [s for f in files for s in f.take(None)]
            if out:
                yield out
            return
        # rows older than every open file's newest row are final: no file can still
        # have older ones (each is sorted); equal times wait (files' order on ties)
        cut = min(int(f.t[-1]) if len(f.t) else -(1 << 63) for f in live)
        out = [s for f in files for s in f.take(cut)]
        if out:
            yield out
        for f in live:
            if len(f.t) == 0 or int(f.t[-1]) <= cut:
                f.pull()
