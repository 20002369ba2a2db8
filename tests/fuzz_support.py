"""Shared by the bounded fuzz tests (``tests/test_fuzz_*.py``) and the standalone fuzzers
(``fuzz/``): seed inputs, token- and tree-level mutators, and the invariant of each target.

The invariant is the same everywhere: an input produces a result and coded diagnostics
(every code registered, never the internal-error code ``C090``) or one of the target's
documented exceptions (``BindingError`` for a binding, ``DataAbort`` under the ``fail``
policy). Anything else raised is a crash; :func:`run_target` lets it propagate.

Mutators take a :class:`random.Random` so that a standalone fuzzer's seed reproduces a
case exactly and a hypothesis test can draw the generator.
"""

from __future__ import annotations

import io
import math
import random
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
FUZZ_PATH = "fuzz-input"


class InvariantViolation(AssertionError):
    """A target broke its contract without raising (e.g. reported C090 or no diagnostic)."""


# --------------------------------------------------------------------------- seeds


@cache
def xml_seeds() -> tuple[bytes, ...]:
    """The bundled specs, as bytes."""
    return tuple(p.read_bytes() for p in sorted(SPECS.glob("*.xml")))


@cache
def dsl_seeds() -> tuple[str, ...]:
    """The bundled specs printed as ``.wsla`` text, plus any ``.wsla`` file in specs/."""
    from wsla.dsl.printer import dumps_dsl
    from wsla.xml.reader import load_xml

    out: list[str] = [p.read_text("utf-8") for p in sorted(SPECS.glob("*.wsla"))]
    for data in xml_seeds():
        spec, _ = load_xml(data, None)
        if spec is not None:
            out.append(dumps_dsl(spec))
    return tuple(out)


@cache
def binding_seeds() -> tuple[str, ...]:
    return tuple(p.read_text("utf-8") for p in sorted(SPECS.glob("*.binding.toml")))


# Values that break naive readers: the edges of numbers, times, encodings and markup.
INTERESTING_TEXT: tuple[str, ...] = (
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1e308",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "0.0000000000000000000001",
    "1_000",
    "0x10",
    "true",
    "false",
    "NONE",
    "P1D",
    "2025-02-30T00:00:00Z",
    "2025-01-01T24:00:00Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",
    "10000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "2025-01-01T00:00:00+25:00",
    "2025-01-01T00:00:00.1234567890Z",
    "1735689600000",
    "-62135596800000",
    "253402300800000000",
    "Europe/Zurich",
    "Mars/Olympus",
    "\u00e9\u4e2d\U0001f600",
    "\u202e",
    "\ufeff",
    "a:b",
    "xsd:double",
    "{x}",
    "\\",
    '"',
    "'",
    "<",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x110000;",
    "x" * 300,
)

HOSTILE_XML: tuple[str, ...] = (
    '<!DOCTYPE SLA [<!ENTITY e "x">]>',
    '<!DOCTYPE SLA SYSTEM "http://127.0.0.1:9/x.dtd">',
    '<!DOCTYPE SLA [<!ENTITY e SYSTEM "http://127.0.0.1:9/e">]>',
    "&e;",
    "&lt;",
    "<![CDATA[x]]>",
    "<?pi data?>",
    "<!-- c -->",
    '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="http://127.0.0.1:9/x"/>',
    "</SLA>",
    "<",
    ">",
    "\x00",
    "\ufffe",
    '<Function xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Plus"/>',
)

DSL_WORDS: tuple[str, ...] = (
    "sla",
    "provider",
    "consumer",
    "obligations",
    "metric",
    "parameter",
    "slo",
    "guarantee",
    "schedule",
    "operation",
    "when",
    "and",
    "or",
    "not",
    "implies",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "=",
    "<",
    ">=",
    '"',
    "`",
    "/*",
    "*/",
    "//",
    "5 min",
    "ms",
    "years",
    "1e999",
    "-",
    "%",
    "\\",
    "\u00e9",
)


# --------------------------------------------------------------------------- mutators


def _pick(rng: random.Random, items: list[Any]) -> int:
    return rng.randrange(len(items)) if items else 0


def mutate_sequence(rng: random.Random, items: list[Any], fresh: Callable[[], Any]) -> list[Any]:
    """Delete, duplicate, swap, replace or insert one item (a line, word or token)."""
    out = list(items)
    op = rng.randrange(5)
    if not out:
        return [fresh()]
    i = _pick(rng, out)
    if op == 0:
        del out[i]
    elif op == 1:
        out.insert(i, out[i])
    elif op == 2:
        j = _pick(rng, out)
        out[i], out[j] = out[j], out[i]
    elif op == 3:
        out[i] = fresh()
    else:
        out.insert(i, fresh())
    return out


_XML_TOKEN = re.compile(r"<[^<>]*>|[^<]+")
_ATTRIBUTE = re.compile(r"""\s[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*')""")
_ATTRIBUTE_VALUE = re.compile(r"""(=\s*)("[^"]*"|'[^']*')""")
_WORD = re.compile(r"\S+|\s+")


def _xml_text_mutation(rng: random.Random, text: str) -> str:
    """One token-level mutation of XML text: lines, markup tokens, attributes, words."""
    kind = rng.randrange(8)
    fresh_text: Callable[[], str] = lambda: rng.choice(INTERESTING_TEXT)  # noqa: E731
    if kind == 0:
        lines = text.split("\n")
        return "\n".join(mutate_sequence(rng, lines, lambda: rng.choice(lines or [""])))
    if kind == 1:
        tokens = _XML_TOKEN.findall(text)
        return "".join(mutate_sequence(rng, tokens, lambda: rng.choice(HOSTILE_XML)))
    if kind == 2:
        attributes = list(_ATTRIBUTE.finditer(text))
        if not attributes:
            return text
        match = rng.choice(attributes)
        other = rng.choice(attributes).group()
        choice = rng.randrange(3)
        if choice == 0:
            return text[: match.start()] + text[match.end() :]
        if choice == 1:
            return text[: match.end()] + match.group() + text[match.end() :]
        return text[: match.start()] + other + text[match.end() :]
    if kind == 3:
        values = list(_ATTRIBUTE_VALUE.finditer(text))
        if not values:
            return text
        match = rng.choice(values)
        value = fresh_text().replace('"', "&quot;").replace("<", "&lt;")
        return text[: match.start(2)] + f'"{value}"' + text[match.end(2) :]
    if kind == 4:
        # Replace the text of one element (between > and <).
        spots = [m for m in re.finditer(r">([^<]+)<", text) if m.group(1).strip()]
        if not spots:
            return text
        match = rng.choice(spots)
        return text[: match.start(1)] + fresh_text() + text[match.end(1) :]
    if kind == 5:
        words = _WORD.findall(text)
        return "".join(mutate_sequence(rng, words, lambda: rng.choice(words or [""])))
    if kind == 6:
        cut = rng.randrange(len(text) + 1)
        return text[:cut]
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(HOSTILE_XML) + text[at:]


def _tree_mutation(rng: random.Random, data: bytes) -> bytes | None:
    """One element-level mutation through lxml (delete, duplicate, swap, move, rename,
    retype); None when ``data`` does not parse."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    if len(elements) < 2:
        return None
    target = rng.choice(elements[1:])
    parent = target.getparent()
    assert parent is not None
    op = rng.randrange(7)
    if op == 0:
        parent.remove(target)
    elif op == 1:
        import copy

        target.addnext(copy.deepcopy(target))
    elif op == 2:
        siblings = [e for e in parent if isinstance(e.tag, str)]
        other = rng.choice(siblings)
        if other is not target:
            a, b = parent.index(target), parent.index(other)
            first, second = (target, other) if a < b else (other, target)
            second_next = second.getnext()
            first.addprevious(second)
            if second_next is None:
                parent.append(first)
            else:
                second_next.addprevious(first)
    elif op == 3:
        host = rng.choice(elements)
        if target not in host.iterancestors() and host is not target:
            host.append(target)
    elif op == 4:
        namespace = etree.QName(target).namespace
        new = etree.QName(rng.choice(elements)).localname
        target.tag = f"{{{namespace}}}{new}" if namespace else new
    elif op == 5:
        typed = [e for e in elements if e.get(_XSI_TYPE) is not None]
        if typed:
            values = [str(e.get(_XSI_TYPE)) for e in typed]
            rng.choice(typed).set(_XSI_TYPE, rng.choice([*values, "Nope", "xsd:string"]))
    else:
        target.text = rng.choice(INTERESTING_TEXT)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _byte_mutation(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buf = bytearray(data)
    op = rng.randrange(4)
    i = rng.randrange(len(buf))
    if op == 0:
        buf[i] = rng.randrange(256)
    elif op == 1:
        buf[i] ^= 1 << rng.randrange(8)
    elif op == 2:
        del buf[i : i + rng.randrange(1, 16)]
    else:
        buf[i:i] = rng.choice(
            [b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xc3", b"\xed\xa0\x80", b"\r", b"\r\n"]
        )
    return bytes(buf)


def mutate_xml(rng: random.Random, data: bytes, rounds: int = 3) -> bytes:
    """``rounds`` mutations of XML bytes, mixing tree, token and byte level."""
    for _ in range(rounds):
        level = rng.randrange(10)
        if level < 4:
            changed = _tree_mutation(rng, data)
            if changed is not None:
                data = changed
                continue
        if level < 9:
            text = data.decode("utf-8", "surrogateescape")
            data = _xml_text_mutation(rng, text).encode("utf-8", "surrogateescape")
        else:
            data = _byte_mutation(rng, data)
    return data


def _chooser(rng: random.Random, items: list[str]) -> Callable[[], str]:
    return lambda: rng.choice(items)


_DSL_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`\n]*`|\w+|\s+|.', re.DOTALL)


def mutate_dsl(rng: random.Random, text: str, rounds: int = 3) -> str:
    """``rounds`` token- or line-level mutations of ``.wsla`` text."""
    for _ in range(rounds):
        kind = rng.randrange(5)
        if kind == 0:
            lines = text.split("\n") or [""]
            text = "\n".join(mutate_sequence(rng, lines, _chooser(rng, lines)))
        elif kind in (1, 2):
            tokens = _DSL_TOKEN.findall(text)
            pool = [t for t in tokens if not t.isspace()] or list(DSL_WORDS)
            words = list(DSL_WORDS) if kind == 1 else pool + list(INTERESTING_TEXT)
            text = "".join(mutate_sequence(rng, tokens, _chooser(rng, words)))
        elif kind == 3:
            text = text[: rng.randrange(len(text) + 1)]
        else:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(DSL_WORDS) + text[at:]
    return text


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class DataCase:
    """A measurement file to read: its suffix, its bytes, the binding (TOML text or
    None for the long format) and whether the spec's target index is used."""

    suffix: str
    data: bytes
    binding: str | None = None
    use_index: bool = True
    fail_fast: bool = False


LONG_TARGETS = ("getQuote/RT", "urn:load", "getQuote/Up", "getQuote/Calls", "nope/x", "")
TIMES = (
    "2025-01-01T00:00:00Z",
    "2025-01-01T00:00:01+01:00",
    "2025-01-01T00:00:02-05:30",
    "2025-01-01T00:00:00",
    "2025-01-01 00:00:03Z",
    "1735689600",
    "-1",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
)
VALUES = ("42.5", "7", "-3", "true", "false", "0", "1e3", "NaN", "inf", "-inf", "", "fast")

WIDE_BINDING = """version = 1
[[table]]
time = "ts"
time-format = "ms"
key = "op"
[[table.feed]]
column = "rt_ms"
directive = "ResponseTime"
[[table.feed]]
column = "ok"
directive = "Gauge"
[[table.feed]]
directive = "InvocationCount"
derive = "running-count"
[[table.feed]]
column = "rt_ms"
directive = "SumResponseTime"
derive = "running-sum"
"""


def _cell(rng: random.Random, pool: tuple[str, ...]) -> str:
    return rng.choice(pool) if rng.random() < 0.85 else rng.choice(INTERESTING_TEXT)


def long_rows(rng: random.Random, n: int) -> list[list[str]]:
    return [[_cell(rng, TIMES), _cell(rng, LONG_TARGETS), _cell(rng, VALUES)] for _ in range(n)]


def wide_rows(rng: random.Random, n: int) -> list[list[str]]:
    ops = ("getQuote", "getQuote", "nope", "")
    out = []
    for _ in range(n):
        ts = str(1_735_689_600_000 + rng.randrange(-10, 10_000))
        out.append([_cell(rng, (ts, ts, "-5", "1e20")), _cell(rng, ops), _cell(rng, VALUES)])
        out[-1].append(_cell(rng, ("true", "false", "1", "0")))
    return out


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _jsonl_text(header: list[str], rows: list[list[str]], rng: random.Random) -> str:
    import json

    lines = []
    for row in rows:
        obj: dict[str, Any] = {}
        for name, cell in zip(header, row, strict=True):
            value: Any = cell
            if rng.random() < 0.5:
                # Typed JSON values too: numbers, booleans, null, nested.
                value = rng.choice(
                    [cell, _number(cell), None, True, [1], {"a": 1}, 1e308, -0.0, 2**70]
                )
            obj[name] = value
        if rng.random() < 0.05:
            obj.pop(rng.choice(header), None)
        lines.append(json.dumps(obj, allow_nan=True))
    return "\n".join(lines) + "\n"


def _number(cell: str) -> Any:
    try:
        return int(cell)
    except ValueError:
        try:
            return float(cell)
        except ValueError:
            return cell


def data_case(rng: random.Random) -> DataCase:
    """A CSV or JSON Lines file, long or wide, then mutated at line and byte level."""
    wide = rng.random() < 0.5
    header = ["ts", "op", "rt_ms", "ok"] if wide else ["time", "target", "value"]
    n = rng.randrange(0, 12)
    rows = wide_rows(rng, n) if wide else long_rows(rng, n)
    if rng.random() < 0.3:
        rows.reverse()
    if rng.random() < 0.3 and rows:
        rows.extend(rows[: rng.randrange(len(rows)) + 1])
    suffix = rng.choice([".csv", ".jsonl"])
    text = _csv_text(header, rows) if suffix == ".csv" else _jsonl_text(header, rows, rng)
    for _ in range(rng.randrange(3)):
        lines = text.split("\n")
        text = "\n".join(mutate_sequence(rng, lines, lambda: rng.choice(INTERESTING_TEXT)))
    data = text.encode("utf-8")
    if rng.random() < 0.2:
        data = _byte_mutation(rng, data)
    if rng.random() < 0.1:
        data = data[: rng.randrange(len(data) + 1)]
    return DataCase(
        suffix=suffix,
        data=data,
        binding=WIDE_BINDING if wide else None,
        use_index=rng.random() < 0.8,
        fail_fast=rng.random() < 0.1,
    )


def _random_table(rng: random.Random) -> Any:
    """A long table of arbitrary column types (nulls, NaN, zoned and naive timestamps,
    dictionaries), sometimes with a column misnamed."""
    import pyarrow as pa

    n = rng.randrange(0, 8)
    time_kind = rng.randrange(5)
    times: Any
    if time_kind == 0:
        times = pa.array(
            [1_735_689_600_000 * 10**6 + rng.randrange(10**12) for _ in range(n)],
            pa.timestamp("ns", tz=rng.choice(["UTC", "Europe/Zurich", "+05:30"])),
        )
    elif time_kind == 1:
        times = pa.array([1_735_689_600 * 10**6 for _ in range(n)], pa.timestamp("us"))
    elif time_kind == 2:
        times = pa.array([rng.choice(TIMES) for _ in range(n)], pa.string())
    elif time_kind == 3:
        times = pa.array([rng.choice([1.5, math.nan, None, -1.0]) for _ in range(n)])
    else:
        times = pa.array([rng.choice([None, 0, 2**62]) for _ in range(n)], pa.int64())
    targets = pa.array([rng.choice([*LONG_TARGETS, None]) for _ in range(n)], pa.string())
    if rng.random() < 0.3:
        targets = targets.dictionary_encode()
    value_kind = rng.randrange(4)
    if value_kind == 0:
        values = pa.array([rng.choice([1.0, math.nan, math.inf, -0.0, None]) for _ in range(n)])
    elif value_kind == 1:
        values = pa.array([rng.choice(VALUES) for _ in range(n)], pa.string())
    elif value_kind == 2:
        values = pa.array([rng.choice([True, False, None]) for _ in range(n)], pa.bool_())
    else:
        values = pa.array([rng.randrange(-(2**63), 2**63) for _ in range(n)], pa.int64())
    names = ["time", "target", "value"]
    if rng.random() < 0.1:
        names[rng.randrange(3)] = "other"
    return pa.table([times, targets, values], names=names)


def parquet_case(rng: random.Random) -> DataCase:
    """A Parquet file of :func:`_random_table`, sometimes with its bytes mutated."""
    import pyarrow.parquet as pq

    table = _random_table(rng)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    data = buffer.getvalue()
    if rng.random() < 0.15:
        data = _byte_mutation(rng, data)
    return DataCase(suffix=".parquet", data=data, use_index=rng.random() < 0.7)


def arrow_case(rng: random.Random) -> DataCase:
    """An Arrow IPC file (file or stream format, batches of random sizes, sometimes
    compressed) of :func:`_random_table`, under an IPC or a misleading name, often with
    its bytes mutated or cut."""
    import pyarrow as pa

    table = _random_table(rng)
    stream = rng.random() < 0.5
    options = pa.ipc.IpcWriteOptions(compression=rng.choice([None, None, "lz4", "zstd"]))
    sink = pa.BufferOutputStream()
    opener = pa.ipc.new_stream if stream else pa.ipc.new_file
    with opener(sink, table.schema, options=options) as writer:
        for batch in table.to_batches(max_chunksize=rng.randrange(1, 5)):
            writer.write_batch(batch)
    data = sink.getvalue().to_pybytes()
    if rng.random() < 0.35:
        data = _byte_mutation(rng, data)
    if rng.random() < 0.15:
        data = data[: rng.randrange(len(data) + 1)]
    suffix = rng.choice([".arrow", ".feather", ".arrows", ".ipc", ".bin", ".parquet"])
    return DataCase(suffix=suffix, data=data, use_index=rng.random() < 0.7)


def mutate_binding(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randrange(1, 4)):
        lines = mutate_sequence(rng, lines, lambda: rng.choice(BINDING_LINES))
    return "\n".join(lines)


BINDING_LINES: tuple[str, ...] = (
    "[[table]]",
    "[[table.feed]]",
    "version = 2",
    'time-format = "millis"',
    'time-format = "ns"',
    'zone = "Mars/Olympus"',
    'zone = "+99:00"',
    'derive = "running-sum"',
    "negate = true",
    'directive = "Nope"',
    'metric = "RT"',
    'target = "{key}/RT"',
    'files = ["*"]',
    "files = 3",
    "[table.objects]",
    'x = "getQuote"',
    "column = 7",
    'key = ""',
    "= broken",
)


# --------------------------------------------------------------------------- targets


def check_diagnostics(diagnostics: object) -> None:
    """Every item is a Diagnostic with a registered code, and none is C090."""
    from wsla.codes import registry
    from wsla.diagnostics import Diagnostic

    assert isinstance(diagnostics, list), type(diagnostics)
    known = registry()
    for d in diagnostics:
        assert isinstance(d, Diagnostic), type(d)
        assert d.code in known, f"unregistered code {d.code}"
        assert isinstance(d.message, str) and d.message, d
        if d.code == "C090":
            raise InvariantViolation(f"internal error reported: {d.message}\n{d.notes}")


def run_xml(data: bytes) -> None:
    from wsla.model.spec import Spec
    from wsla.xml.reader import load_xml

    spec, diagnostics = load_xml(data, FUZZ_PATH)
    check_diagnostics(diagnostics)
    if spec is None:
        if not diagnostics:
            raise InvariantViolation("no spec and no diagnostic")
    else:
        assert isinstance(spec, Spec)


def run_dsl(text: str) -> None:
    from wsla.diagnostics import has_errors
    from wsla.dsl.reader import loads_dsl
    from wsla.model.spec import Spec

    spec, diagnostics = loads_dsl(text, FUZZ_PATH)
    check_diagnostics(diagnostics)
    if spec is None:
        if not has_errors(diagnostics):
            raise InvariantViolation("no spec and no error")
    else:
        assert isinstance(spec, Spec)


def run_validate(data: bytes, suffix: str = ".xml") -> None:
    from wsla.validation import validate_source

    check_diagnostics(validate_source(data, FUZZ_PATH + suffix))


def run_cli(data: bytes, suffix: str = ".xml") -> None:
    """``wsla validate FILE`` through click: exit 0 or 1, never 3 or a traceback."""
    from click.testing import CliRunner

    from wsla.cli import cli

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"case{suffix}"
        path.write_bytes(data)
        result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code not in (0, 1) or "Traceback" in result.output:
        raise InvariantViolation(f"exit {result.exit_code}: {result.output[-2000:]}")


@cache
def _index() -> Any:
    from wsla.model.directives import Gauge, InvocationCount, ResponseTime, StatusRequest
    from wsla.sources.targets import MeasuredMetric, TargetIndex

    return TargetIndex(
        [
            MeasuredMetric("getQuote", "RT", ResponseTime(measurement_uri="urn:rt:getQuote")),
            MeasuredMetric("getQuote", "Calls", InvocationCount()),
            MeasuredMetric("getQuote", "Load", Gauge(measurement_uri="urn:load")),
            MeasuredMetric("getQuote", "Up", StatusRequest(request_uri="urn:probe:getQuote")),
        ]
    )


def read_records(case: DataCase) -> tuple[list[Any], list[Any]]:
    """The records and diagnostics of reading ``case``; checks every record's shape."""
    from wsla.sources import DataAbort, DataProblems, OnError, Record, read_data
    from wsla.sources.binding import parse_binding

    binding = parse_binding(case.binding) if case.binding is not None else None
    policy = OnError.FAIL if case.fail_fast else OnError.REPORT
    problems = DataProblems(policy)
    records: list[Any] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{case.suffix}"
        path.write_bytes(case.data)
        index = _index() if case.use_index else None
        try:
            records.extend(read_data([path], binding, index, problems))
        except DataAbort as abort:
            assert case.fail_fast, "DataAbort outside the fail policy"
            check_diagnostics([abort.diagnostic])
    for record in records:
        assert isinstance(record, Record), type(record)
        assert type(record.time) is int, record
        assert isinstance(record.target, str) and record.target, record
        value = record.value
        assert isinstance(value, bool | int | float | str), record
        if isinstance(value, float):
            assert math.isfinite(value), record
    diagnostics = problems.diagnostics()
    check_diagnostics(diagnostics)
    return records, diagnostics


def run_data(case: DataCase) -> None:
    read_records(case)


def run_binding(text: str, json_syntax: bool = False) -> None:
    from wsla.sources.binding import Binding, BindingError, parse_binding

    try:
        binding = parse_binding(text, source=FUZZ_PATH, json_syntax=json_syntax)
    except BindingError as exc:
        check_diagnostics(exc.diagnostics)
        if not exc.diagnostics:
            raise InvariantViolation("BindingError without diagnostics") from None
        return
    assert isinstance(binding, Binding)


def run_bind_options(options: list[str]) -> None:
    from wsla.sources.binding import Binding, BindingError, binding_from_options

    try:
        binding = binding_from_options(options)
    except BindingError as exc:
        check_diagnostics(exc.diagnostics)
        return
    assert isinstance(binding, Binding)


# --------------------------------------------------------------------------- cases


def xml_case(rng: random.Random) -> bytes:
    """Random bytes, a mutated spec, or a mutated generated model (when given)."""
    roll = rng.random()
    if roll < 0.1:
        return rng.randbytes(rng.randrange(0, 200))
    seed = rng.choice(xml_seeds())
    return mutate_xml(rng, seed, rounds=rng.randrange(1, 5))


def dsl_case(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return rng.randbytes(rng.randrange(0, 200)).decode("latin-1")
    return mutate_dsl(rng, rng.choice(dsl_seeds()), rounds=rng.randrange(1, 5))


def validate_case(rng: random.Random) -> tuple[bytes, str]:
    if rng.random() < 0.5:
        return xml_case(rng), ".xml"
    text = dsl_case(rng)
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:
        data = _byte_mutation(rng, data)
    return data, ".wsla"


def binding_case(rng: random.Random) -> tuple[str, bool]:
    seeds = [*binding_seeds(), WIDE_BINDING]
    text = mutate_binding(rng, rng.choice(seeds))
    if rng.random() < 0.2:
        import json
        import tomllib

        try:
            return json.dumps(tomllib.loads(text)), True
        except tomllib.TOMLDecodeError:
            return text, True
    return text, False


TARGETS: dict[str, tuple[Callable[[random.Random], Any], Callable[[Any], None]]] = {
    "xml": (xml_case, run_xml),
    "dsl": (dsl_case, run_dsl),
    "validate": (validate_case, lambda case: run_validate(*case)),
    "cli": (validate_case, lambda case: run_cli(*case)),
    "data": (data_case, run_data),
    "parquet": (parquet_case, run_data),
    "arrow": (arrow_case, run_data),
    "binding": (binding_case, lambda case: run_binding(*case)),
}
"""Target name → (case generator, invariant runner)."""


def case_for(target: str, seed: int, number: int) -> Any:
    """Case ``number`` of ``target`` under ``seed``: reproducible on its own."""
    make, _ = TARGETS[target]
    return make(random.Random(f"{target}:{seed}:{number}"))


def cases(target: str, seed: int) -> Iterator[Any]:
    """An endless, reproducible stream of inputs for ``target``."""
    number = 0
    while True:
        yield case_for(target, seed, number)
        number += 1


def run_target(target: str, case: Any) -> None:
    TARGETS[target][1](case)


# --------------------------------------------------------------------------- runtime


@cache
def runtime_plans() -> tuple[Any, ...]:
    """Compiled plans of the bundled specs that compile."""
    from wsla.runtime.plan import compile_plan
    from wsla.xml.reader import load_xml

    plans = []
    for data in xml_seeds():
        spec, _ = load_xml(data, None)
        if spec is None:
            continue
        try:
            plans.append(compile_plan(spec))
        except Exception:  # a spec the runtime refuses is simply not a seed
            continue
    return tuple(plans)


RUNTIME_SPAN_NS = 3 * 86_400 * 10**9
"""Records fall within three days of T0: far-future times are a known, separate issue."""


@dataclass(frozen=True, slots=True)
class RuntimeCase:
    plan: int
    records: tuple[tuple[int, str, Any], ...]
    lateness_ns: int
    trace: bool


def runtime_case(rng: random.Random) -> RuntimeCase:
    plans = runtime_plans()
    index = rng.randrange(len(plans))
    targets = sorted(plans[index].targets) or ["none"]
    t0 = 1_735_689_600 * 10**9
    time = t0
    records = []
    for _ in range(rng.randrange(0, 60)):
        step = rng.choice([0, 1, 10**6, 10**9, 60 * 10**9, 3600 * 10**9, -(10**9)])
        time = min(max(t0, time + step), t0 + RUNTIME_SPAN_NS)
        target = rng.choice(targets) if rng.random() < 0.95 else rng.choice(LONG_TARGETS)
        value: Any = rng.choice(
            [
                rng.randrange(-5, 1000),
                rng.random() * 1000,
                -rng.random(),
                True,
                False,
                0,
                2**63,
                -(2**63),
                1e308,
                5e-324,
                "up",
                "",
            ]
        )
        records.append((time, target, value))
    return RuntimeCase(
        plan=index,
        records=tuple(records),
        lateness_ns=rng.choice([0, 0, 10**9, 3600 * 10**9]),
        trace=rng.random() < 0.3,
    )


def run_runtime(case: RuntimeCase) -> None:
    from wsla.runtime.engine import Evaluator

    evaluator = Evaluator(
        runtime_plans()[case.plan], allowed_lateness_ns=case.lateness_ns, trace=case.trace
    )
    for time, target, value in case.records:
        evaluator.feed(target, time, value)
    result = evaluator.finish()
    check_diagnostics(list(result.diagnostics))
    import json

    json.dumps(result.to_json())
    if case.trace:
        for violation in result.violations():
            result.explain(violation)


TARGETS["runtime"] = (runtime_case, run_runtime)


class EngineMismatch(InvariantViolation):
    """The batch and the per-event engine disagree on the same input."""


def run_engines(case: RuntimeCase) -> None:
    """``wsla.evaluate`` with both engines: no exception but EvaluationError, and the
    same summaries and outcomes (the engines promise the same result)."""
    from wsla.evaluation import EvaluationError, evaluate

    plan = runtime_plans()[case.plan]
    results = []
    for engine in ("batch", "event"):
        try:
            result = evaluate(
                plan,
                list(case.records),
                engine=engine,
                allowed_lateness_ns=case.lateness_ns,
            )
        except EvaluationError as exc:
            check_diagnostics(list(exc.diagnostics))
            results.append(("error", [d.code for d in exc.diagnostics]))
            continue
        check_diagnostics(list(result.diagnostics))
        shown = result.to_json()
        results.append(("ok", shown))
    if results[0] != results[1]:
        raise EngineMismatch(f"batch {results[0]!r:.1500}\nevent {results[1]!r:.1500}")


TARGETS["engines"] = (runtime_case, run_engines)
