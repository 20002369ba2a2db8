"""Bindings: how the columns of a data file become records for the spec's metrics.

A binding is a small TOML (or JSON) file with one ``[[table]]`` per kind of file::

    version = 1

    [[table]]
    files = ["requests*"]      # file-name patterns this table applies to (default: any)
    time = "ts"                # the time column
    time-format = "ms"         # iso | s | ms | us | ns
    key = "op"                 # column naming the service object of each row

    [[table.feed]]             # each row is one call of that operation, rt_ms its
    column = "rt_ms"           # response time: feeds its ResponseTime, InvocationCount
    invocation = true          # and SumResponseTime directives in one step

    [[table.feed]]             # ok feeds every Gauge metric of that operation
    column = "ok"
    directive = "Gauge"

A table is either *long* (``target`` and ``value`` name the columns holding the target
and the value of each row) or *wide* (its feeds say which column feeds which metric).
Without any binding, files are read in the long format ``time,target,value`` with ISO
8601 times. Everything here is checked when the binding is read (code M009); targets
are resolved against the spec when the binding is compiled for a file.
"""

from __future__ import annotations

import enum
import fnmatch
import json
import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.model.directives import DIRECTIVE_TYPES
from wsla.model.span import Span
from wsla.sources.problems import DataProblems
from wsla.sources.record import Origin
from wsla.sources.targets import INVOCATION_SUFFIX, TargetIndex
from wsla.sources.timestamps import (
    MAX_NS,
    MIN_NS,
    TimeFormat,
    TimestampError,
    in_range,
    parse_time,
    parse_zone,
)
from wsla.sources.values import ValueProblem, text_value, typed_value

__all__ = [
    "LONG_TABLE",
    "Binding",
    "BindingError",
    "Derive",
    "Feed",
    "RowMapper",
    "Table",
    "binding_from_options",
    "compile_table",
    "load_binding",
    "parse_binding",
    "with_zone",
]


class Derive(enum.StrEnum):
    """What a feed sends: the cell's value, or a running count or sum per target."""

    VALUE = "value"
    RUNNING_COUNT = "running-count"
    RUNNING_SUM = "running-sum"


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    """One column of a wide table feeding metrics.

    Exactly one of ``metric`` (a metric name in the row's service object), ``directive``
    (every metric of that object measured by this directive type), ``target`` (a fixed
    ``ServiceObject/Metric`` path or URI; ``{key}`` is replaced by the row's key) or
    ``invocation`` (the row is one invocation of its service object, ``column`` its
    response time: one step that feeds the object's ResponseTime, InvocationCount and
    SumResponseTime directives together) names what is fed.
    """

    column: str | None = None
    metric: str | None = None
    directive: str | None = None
    target: str | None = None
    invocation: bool = False
    derive: Derive = Derive.VALUE
    negate: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    files: tuple[str, ...] = ()
    time: str = "time"
    time_format: TimeFormat = TimeFormat.ISO
    zone: str | None = None
    key: str | None = None
    objects: tuple[tuple[str, str], ...] = ()
    object: str | None = None
    target: str | None = None
    value: str | None = None
    feeds: tuple[Feed, ...] = ()

    @property
    def is_long(self) -> bool:
        return self.target is not None

    def matches(self, path: str) -> bool:
        if not self.files:
            return True
        name = Path(path).name
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.files)


LONG_TABLE = Table(target="target", value="value")
"""The long format read without a binding: ``time,target,value`` with ISO 8601 times."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Binding:
    tables: tuple[Table, ...]
    path: str | None = None
    implicit: bool = False
    """True for the long format read when no binding was given."""

    def table_for(self, path: str) -> Table | None:
        """The first table whose ``files`` patterns match ``path``'s file name."""
        return next((t for t in self.tables if t.matches(path)), None)


DEFAULT_BINDING = Binding(tables=(LONG_TABLE,), implicit=True)


def with_zone(binding: Binding, zone: str) -> Binding:
    """``binding`` with ``zone`` for every table that names none (``--zone``).

    Raises :class:`BindingError` (M013) for an unknown zone.
    """
    try:
        parse_zone(zone)
    except TimestampError as exc:
        raise BindingError([diagnostic(exc.code, exc.message)]) from None
    tables = tuple(t if t.zone else replace(t, zone=zone) for t in binding.tables)
    return replace(binding, tables=tables)


class BindingError(Exception):
    """An invalid binding; ``diagnostics`` are M009 (or M013) errors."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


# ---------------------------------------------------------------------------- reading

_TABLE_KEYS = frozenset(
    {"files", "time", "time-format", "zone", "key", "objects", "object", "target", "value", "feed"}
)
_FEED_KEYS = frozenset(
    {"column", "metric", "directive", "target", "invocation", "derive", "negate"}
)


class _Checker:
    """Turns the parsed document into a :class:`Binding`, collecting every problem."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []

    def error(self, where: str, message: str, code: str = "M009") -> None:
        span = Span(self.source, 1, 1) if self.source else None
        text = f"{where}: {message}" if where else message
        self.problems.append(diagnostic(code, text, span))

    def string(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            self.error(where, f"`{key}` must be a non-empty string, not {value!r}")
            return None
        return value

    def unknown_keys(self, data: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.error(
                    where, f"unknown field `{key}` (expected one of {', '.join(sorted(allowed))})"
                )

    def feed(self, data: object, where: str) -> Feed | None:
        if not isinstance(data, Mapping):
            self.error(where, "a feed must be a table of fields")
            return None
        self.unknown_keys(data, _FEED_KEYS, where)
        column = self.string(data, "column", where)
        metric = self.string(data, "metric", where)
        directive = self.string(data, "directive", where)
        target = self.string(data, "target", where)
        invocation = data.get("invocation", False)
        if not isinstance(invocation, bool):
            self.error(where, f"`invocation` must be true or false, not {invocation!r}")
            invocation = False
        named = [n for n in (metric, directive, target) if n is not None]
        if len(named) + invocation != 1:
            self.error(
                where,
                "a feed names exactly one of `metric`, `directive`, `target`, `invocation`",
            )
        if directive is not None and directive not in DIRECTIVE_TYPES:
            self.error(
                where,
                f"unknown directive `{directive}` (one of {', '.join(sorted(DIRECTIVE_TYPES))})",
            )
        derive_text = data.get("derive", "value")
        try:
            derive = Derive(derive_text)
        except ValueError:
            self.error(where, f"unknown derive {derive_text!r} (value, running-count, running-sum)")
            derive = Derive.VALUE
        negate = data.get("negate", False)
        if not isinstance(negate, bool):
            self.error(where, f"`negate` must be true or false, not {negate!r}")
            negate = False
        if column is None and derive is not Derive.RUNNING_COUNT:
            self.error(where, f"a feed with derive = {derive.value!r} needs a `column`")
        if negate and column is None:
            self.error(where, "`negate` needs a `column`")
        if invocation and (derive is not Derive.VALUE or negate):
            self.error(where, "an `invocation` feed takes no `derive` or `negate`")
        return Feed(
            column=column,
            metric=metric,
            directive=directive,
            target=target,
            invocation=invocation,
            derive=derive,
            negate=negate,
        )

    def table(self, data: object, where: str) -> Table | None:
        if not isinstance(data, Mapping):
            self.error(where, "a table must be a table of fields")
            return None
        self.unknown_keys(data, _TABLE_KEYS, where)
        files_raw = data.get("files", [])
        if isinstance(files_raw, str):
            files_raw = [files_raw]
        if not isinstance(files_raw, list) or not all(isinstance(f, str) and f for f in files_raw):
            self.error(where, "`files` must be a list of file-name patterns")
            files_raw = []
        time = self.string(data, "time", where) or "time"
        fmt_text = data.get("time-format", "iso")
        try:
            time_format = TimeFormat(fmt_text)
        except ValueError:
            self.error(where, f"unknown time-format {fmt_text!r} (iso, s, ms, us, ns)")
            time_format = TimeFormat.ISO
        zone = self.string(data, "zone", where)
        if zone is not None:
            try:
                parse_zone(zone)
            except TimestampError as exc:
                self.error(where, exc.message, code="M013")
        key = self.string(data, "key", where)
        obj = self.string(data, "object", where)
        objects_raw = data.get("objects", {})
        objects: tuple[tuple[str, str], ...] = ()
        if not isinstance(objects_raw, Mapping) or not all(
            isinstance(v, str) for v in objects_raw.values()
        ):
            self.error(where, "`objects` must map key values to service object names")
        else:
            objects = tuple(sorted(objects_raw.items()))
        if objects and key is None:
            self.error(where, "`objects` needs a `key` column")
        if key is not None and obj is not None:
            self.error(where, "`key` and `object` exclude each other")
        target = self.string(data, "target", where)
        value = self.string(data, "value", where)
        feeds_raw = data.get("feed", [])
        if not isinstance(feeds_raw, list):
            self.error(where, "`feed` must be an array of tables ([[table.feed]])")
            feeds_raw = []
        feeds = [self.feed(f, f"{where}.feed[{i + 1}]") for i, f in enumerate(feeds_raw)]
        if target is not None:
            if feeds_raw:
                self.error(where, "a long table (with `target`) has no feeds")
            value = value or "value"
        elif not feeds_raw:
            self.error(where, "a table needs feeds ([[table.feed]]) or a `target` column")
        elif value is not None:
            self.error(where, "`value` belongs to long tables (with `target`)")
        for i, f in enumerate(feeds):
            by_object = f is not None and (f.metric or f.directive or f.invocation)
            if by_object and key is None and obj is None:
                self.error(
                    f"{where}.feed[{i + 1}]",
                    "a feed by `metric`, `directive` or `invocation` "
                    "needs the table's `key` column or a fixed `object`",
                )
        return Table(
            files=tuple(files_raw),
            time=time,
            time_format=time_format,
            zone=zone,
            key=key,
            objects=objects,
            object=obj,
            target=target,
            value=value,
            feeds=tuple(f for f in feeds if f is not None),
        )

    def binding(self, data: object) -> Binding:
        if not isinstance(data, Mapping):
            self.error("", "a binding is a table with `version` and `table` entries")
            raise BindingError(self.problems)
        self.unknown_keys(data, frozenset({"version", "table"}), "")
        version = data.get("version", 1)
        if version != 1:
            self.error("", f"unsupported binding version {version!r} (this wsla reads 1)")
        tables_raw = data.get("table")
        if not isinstance(tables_raw, list) or not tables_raw:
            self.error("", "a binding needs at least one [[table]]")
            tables_raw = []
        tables = [self.table(t, f"table[{i + 1}]") for i, t in enumerate(tables_raw)]
        if self.problems:
            raise BindingError(self.problems)
        return Binding(tables=tuple(t for t in tables if t is not None), path=self.source)


def parse_binding(text: str, *, source: str | None = None, json_syntax: bool = False) -> Binding:
    """A binding from TOML (or JSON) text; raises :class:`BindingError`."""
    checker = _Checker(source)
    try:
        data: object = json.loads(text) if json_syntax else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        span = Span(source, exc.lineno, exc.colno)
        raise BindingError([diagnostic("M009", f"not valid JSON: {exc.msg}", span)]) from None
    except tomllib.TOMLDecodeError as exc:
        line, column = 1, 1
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if found:
            line, column = int(found.group(1)), int(found.group(2))
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise BindingError(
            [diagnostic("M009", f"not valid TOML: {message}", Span(source, line, column))]
        ) from None
    return checker.binding(data)


def load_binding(path: str | Path) -> Binding:
    """Read a binding file (``.json`` is read as JSON, anything else as TOML)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BindingError(
            [diagnostic("M009", f"cannot read binding file: {exc}", Span(name, 1, 1))]
        ) from None
    return parse_binding(text, source=name, json_syntax=name.endswith(".json"))


_MODIFIERS = frozenset({"negate", *(d.value for d in Derive)})
_SETTINGS = {"time", "time-format", "zone", "key", "object", "target", "value", "files"}


def binding_from_options(options: Sequence[str]) -> Binding:
    """A one-table binding from ``--bind`` options.

    ``NAME=VALUE`` with NAME one of the table fields (``time``, ``time-format``, ``zone``,
    ``key``, ``object``, ``target``, ``value``, ``files``) sets it; any other
    ``COLUMN=NAME[:MODIFIER…]`` is a feed of that column, where NAME is ``invocation``, a
    directive type (``ResponseTime``), a metric name, or with neither ``key`` nor
    ``object`` a target, and modifiers are ``running-count``, ``running-sum`` and
    ``negate``. An empty COLUMN (``=InvocationCount:running-count``) is a feed of the
    running count alone.
    """
    table: dict[str, Any] = {}
    feeds: list[dict[str, Any]] = []
    bad: list[Diagnostic] = []
    for option in options:
        name, sep, value = option.partition("=")
        name = name.strip()
        if not sep or not value.strip():
            bad.append(diagnostic("M009", f"--bind {option!r}: expected NAME=VALUE"))
            continue
        if name in _SETTINGS:
            table[name] = [value] if name == "files" else value.strip()
            continue
        parts = value.strip().split(":")
        modifiers: list[str] = []
        # Modifiers are the known words at the end; a target URI may contain colons.
        while len(parts) > 1 and parts[-1] in _MODIFIERS:
            modifiers.insert(0, parts.pop())
        feed: dict[str, Any] = {"name": ":".join(parts)}
        if name:
            feed["column"] = name
        for modifier in modifiers:
            if modifier == "negate":
                feed["negate"] = True
            else:
                feed["derive"] = modifier
        feeds.append(feed)
    keyed = "key" in table or "object" in table
    resolved: list[dict[str, Any]] = []
    for feed in feeds:
        name = feed.pop("name")
        if name == "invocation":
            feed["invocation"] = True
        elif not keyed:
            feed["target"] = name
        elif name in DIRECTIVE_TYPES:
            feed["directive"] = name
        else:
            feed["metric"] = name
        resolved.append(feed)
    if resolved:
        table["feed"] = resolved
    elif "target" not in table:
        table.setdefault("target", "target")
    if bad:
        raise BindingError(bad)
    return _Checker("--bind").binding({"version": 1, "table": [table]})


# -------------------------------------------------------------------------- compiling

Row = Sequence[object]
RawRecord = tuple[int, str, Any, Origin | None]
"""A record as the readers pass it on: ``(time, target, value, origin)``; building
:class:`Record` objects is left to consumers that want them (it costs as much as
reading the row)."""
MapFn = Callable[[Row, Origin], list[RawRecord]]


@dataclass(slots=True)
class _RunningSum:
    """An exactly rounded running sum (Shewchuk's partials, as ``math.fsum`` keeps)."""

    partials: list[float] = field(default_factory=list)
    integer: int = 0
    is_int: bool = True

    def add(self, value: float | int) -> float | int:
        if isinstance(value, int):
            self.integer += value
        else:
            self.is_int = False
            x = value
            kept = 0
            for y in self.partials:
                if abs(x) < abs(y):
                    x, y = y, x
                high = x + y
                low = y - (high - x)
                if low:
                    self.partials[kept] = low
                    kept += 1
                x = high
            del self.partials[kept:]
            self.partials.append(x)
        if self.is_int:
            return self.integer
        return math.fsum((*self.partials, self.integer))


@dataclass(frozen=True, slots=True)
class RowMapper:
    """A table compiled for one file: which columns to read and how rows become records.

    ``columns`` are the column names a reader must hand over, in this order, as the row
    given to ``map``. ``typed_strings`` tells whether string cells are typed strings.
    """

    columns: tuple[str, ...]
    map: MapFn


def _time_reader(table: Table) -> Callable[[object], int]:
    fmt = table.time_format
    zone = parse_zone(table.zone) if table.zone else None
    if fmt is not TimeFormat.ISO:
        scale = fmt.scale

        def epoch(raw: object) -> int:
            # The common case (an integer cell) without the general parser; anything
            # else, out-of-range instants included, goes through it for its message.
            if type(raw) is int:
                ns = raw * scale
                if MIN_NS <= ns <= MAX_NS:
                    return ns
            elif type(raw) is str and len(raw) < 40:
                try:
                    ns = int(raw) * scale
                except ValueError:
                    pass  # decimals, or not a number: the general parser says which
                else:
                    if MIN_NS <= ns <= MAX_NS:
                        return ns
            return in_range(parse_time(raw, fmt, zone), raw)

        return epoch
    return lambda raw: in_range(parse_time(raw, fmt, zone), raw)


def compile_table(
    table: Table,
    index: TargetIndex | None,
    problems: DataProblems,
    *,
    text_is_typed: bool = False,
) -> RowMapper:
    """Compile ``table`` for the spec's measured metrics (``index``; None = accept any).

    Problems with rows are reported to ``problems`` with the row's origin; the
    returned mapper yields the records a row makes (none for a bad row).
    """
    read_time = _time_reader(table)
    if table.is_long:
        return _compile_long(table, index, problems, read_time, text_is_typed)
    return _compile_wide(table, index, problems, read_time, text_is_typed)


def _compile_long(
    table: Table,
    index: TargetIndex | None,
    problems: DataProblems,
    read_time: Callable[[object], int],
    text_is_typed: bool,
) -> RowMapper:
    assert table.target is not None
    value_column = table.value or "value"
    known: set[str] = set()
    read_cell = typed_value if text_is_typed else text_value

    def map_row(row: Row, origin: Origin) -> list[RawRecord]:
        raw_time, raw_target, raw_value = row
        try:
            time = read_time(raw_time)
        except TimestampError as exc:
            problems.report(exc.code, exc.message, origin)
            return []
        target = raw_target.strip() if isinstance(raw_target, str) else ""
        if not target:
            problems.report("M005", f"target {raw_target!r} is not a name", origin)
            return []
        if target not in known:
            if index is not None and target not in index:
                problems.report(
                    "M007",
                    f"no measured metric has the target {target!r}",
                    origin,
                    help=_suggest(target, index),
                )
                return []
            if not problems.admit(target, origin):
                return []
            known.add(target)
        try:
            value = read_cell(raw_value)
        except ValueProblem as exc:
            problems.report(exc.code, exc.message, origin)
            return []
        if target.endswith(INVOCATION_SUFFIX) and _negative(value):
            problems.report("M015", f"response time {value!r} is negative", origin)
            return []
        return [(time, target, value, origin)]

    return RowMapper((table.time, table.target, value_column), map_row)


def _negative(value: object) -> bool:
    return type(value) in (int, float) and value < 0  # type: ignore[operator]


def _suggest(target: str, index: TargetIndex) -> str | None:
    import difflib

    close = difflib.get_close_matches(target, sorted(index.targets), n=1)
    return f"did you mean {close[0]!r}?" if close else None


def _compile_wide(
    table: Table,
    index: TargetIndex | None,
    problems: DataProblems,
    read_time: Callable[[object], int],
    text_is_typed: bool,
) -> RowMapper:
    columns: list[str] = [table.time]
    if table.key is not None:
        columns.append(table.key)
    feed_columns: list[int | None] = []
    for feed in table.feeds:
        if feed.column is None:
            feed_columns.append(None)
            continue
        if feed.column not in columns:
            columns.append(feed.column)
        feed_columns.append(columns.index(feed.column))
    objects = dict(table.objects)
    keyed = table.key is not None
    why_by_key: dict[str, str] = {}
    running: dict[tuple[int, str], _RunningSum] = {}
    counts: dict[tuple[int, str], int] = {}
    feeds = table.feeds
    plan = tuple(zip(feeds, feed_columns, strict=True))
    # Feeds whose cells are response times: a negative one is refused (M015).
    timed = frozenset(
        i for i, feed in enumerate(feeds) if feed.invocation or feed.directive == "ResponseTime"
    )
    read_cell = typed_value if text_is_typed else text_value

    def resolve(key: str | None) -> tuple[list[list[str]] | None, str | None]:
        obj = table.object if key is None else objects.get(key, key)
        out: list[list[str]] = []
        missing: list[str] = []
        for feed in feeds:
            if feed.target is not None:
                target = feed.target.replace("{key}", key or "")
                ok = index is None or target in index
                out.append([target] if ok else [])
                if not ok:
                    missing.append(f"target {target!r}")
                continue
            assert obj is not None
            if feed.invocation:
                # Like a directive feed: an operation without invoked directives is fine.
                ok = index is None or index.invocable(obj)
                out.append([obj + INVOCATION_SUFFIX] if ok else [])
                continue
            if index is None:
                if feed.metric is None:
                    missing.append(f"{feed.directive} in {obj!r} (no spec to look in)")
                    out.append([])
                    continue
                out.append([f"{obj}/{feed.metric}"])
                continue
            if not index.has_object(obj):
                return None, f"no service object {obj!r} with measured metrics"
            if feed.metric is not None:
                found = index.by_metric(obj, feed.metric)
                what = f"metric {feed.metric!r}"
            else:
                assert feed.directive is not None
                found = index.by_directive(obj, feed.directive)
                what = f"{feed.directive} metric"
            # A directive feeds every metric it measures, possibly none in this object
            # (one binding serves several specs); a named metric must exist.
            if not found and feed.metric is not None:
                missing.append(f"{what} in {obj!r}")
            out.append(found)
        if missing:
            return None, "the binding finds no " + ", no ".join(missing)
        # A known object none of whose metrics these feeds reach: the row is of no use
        # to this spec (one binding serves several specs), not malformed.
        return out, None

    # Per key value: the feeds that reach something, compiled to plain tuples
    # (index, column position, negate, derive code, targets, feed); None = a bad key.
    Active = tuple[tuple[int, int | None, bool, int, tuple[str, ...], Feed], ...]
    active_by_key: dict[object, Active | None] = {}
    derive_code = {Derive.VALUE: 0, Derive.RUNNING_COUNT: 1, Derive.RUNNING_SUM: 2}

    def activate(key: object, origin: Origin) -> Active | None:
        if keyed and (not isinstance(key, str) or not key):
            problems.report("M005", f"key {key!r} is not a name", origin)
            return None
        assert key is None or isinstance(key, str)
        found, why = resolve(key)
        if found is None:
            active_by_key[key] = None
            why_by_key[key or ""] = why or "no metric"
            problems.report("M008", why_by_key[key or ""], origin)
            return None
        active: Active = tuple(
            (i, position, feed.negate, derive_code[feed.derive], tuple(found[i]), feed)
            for i, (feed, position) in enumerate(plan)
            if found[i]
        )
        for entry in active:
            for target in entry[4]:
                if not problems.admit(target, origin):
                    return None  # not cached: each row of this key is reported
        active_by_key[key] = active
        return active

    def bad_cell(feed: Feed, message: str, origin: Origin, code: str = "M005") -> list[RawRecord]:
        problems.report(code, f"column {feed.column!r}: {message}", origin)
        return []

    def map_row(row: Row, origin: Origin) -> list[RawRecord]:
        try:
            time = read_time(row[0])
        except TimestampError as exc:
            problems.report(exc.code, exc.message, origin)
            return []
        key = row[1] if keyed else None
        try:
            active = active_by_key[key]
        except (KeyError, TypeError):
            active = activate(key, origin)
            if active is None:
                return []
        else:
            if active is None:
                problems.report("M008", why_by_key[key or ""], origin)  # type: ignore[index]
                return []
        if not active:
            # A known object none of whose metrics these feeds reach: the row is of no
            # use to this spec (one binding serves several specs), not malformed.
            problems.unused += 1
            return []
        # First read every cell (a bad cell drops the whole row), then emit: running
        # counts and sums must not move for a dropped row.
        cells: list[Any] = []
        for i, position, negate, derive, _, feed in active:
            if position is None:
                cells.append(None)
                continue
            try:
                value = read_cell(row[position])
            except ValueProblem as exc:
                return bad_cell(feed, exc.message, origin, exc.code)
            if i in timed and _negative(value):
                return bad_cell(feed, f"response time {value!r} is negative", origin, "M015")
            if negate:
                if value in (0, 1):  # True and False included
                    value = not value
                else:
                    return bad_cell(feed, f"{value!r} is not true or false", origin)
            elif derive == 2 and isinstance(value, str):
                return bad_cell(feed, f"{value!r} cannot be summed", origin)
            cells.append(value)
        out: list[RawRecord] = []
        for (i, _, _, derive, targets, _), value in zip(active, cells, strict=True):
            if derive == 0:
                for target in targets:
                    out.append((time, target, value, origin))
            elif derive == 1:
                for target in targets:
                    slot = (i, target)
                    count = counts.get(slot, 0) + 1
                    counts[slot] = count
                    out.append((time, target, count, origin))
            else:
                for target in targets:
                    total = running.get((i, target))
                    if total is None:
                        total = running[(i, target)] = _RunningSum()
                    out.append((time, target, total.add(value), origin))
        return out

    return RowMapper(tuple(columns), map_row)
