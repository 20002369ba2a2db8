"""Codes ``M``: measurement data (records, timestamps, bindings, data files).

Every malformed record is reported with its file and line and counted; evaluation goes
on under ``--on-error report`` (the default) and stops at the first one under
``--on-error fail``.
"""

from __future__ import annotations

from wsla.codes import Code
from wsla.diagnostics import Severity

_E = Severity.ERROR
_W = Severity.WARNING

CODES: tuple[Code, ...] = (
    Code(
        "M001",
        _E,
        "malformed record",
        "A line of a data file could not be read as a record: a CSV row with the wrong "
        "number of fields, a JSON Lines line that is not a JSON object, or a row of the "
        "wrong shape. The record is skipped and counted.",
        bad="time,target,value\n2025-01-01T00:00:00Z,getQuote/RT",
        good="time,target,value\n2025-01-01T00:00:00Z,getQuote/RT,42.5",
        bad_lang="csv",
    ),
    Code(
        "M002",
        _E,
        "missing column or field",
        "A column (CSV, Parquet) or field (JSON Lines) that the binding or the long format "
        "needs is absent. For a whole file this is reported once, on its header; for a "
        "JSON Lines record, on that record.",
        bad="when,target,value\n2025-01-01T00:00:00Z,getQuote/RT,42.5",
        good="time,target,value\n2025-01-01T00:00:00Z,getQuote/RT,42.5",
        bad_lang="csv",
    ),
    Code(
        "M003",
        _E,
        "timestamp without offset",
        "An ISO 8601 timestamp has no UTC offset. wsla never guesses a time zone: write the "
        "offset (`Z`, `+01:00`), or name the zone the data was written in (`--zone` or "
        '`zone = "Europe/Zurich"` in the binding).',
        bad='{"time": "2025-01-01T12:00:00", "target": "getQuote/RT", "value": 42}',
        good='{"time": "2025-01-01T12:00:00+01:00", "target": "getQuote/RT", "value": 42}',
        bad_lang="json",
    ),
    Code(
        "M004",
        _E,
        "unreadable timestamp",
        "A timestamp is not in the declared form: ISO 8601 (`2025-01-01T12:00:00Z`) or an "
        "integer or decimal count of epoch seconds, milliseconds, microseconds or "
        "nanoseconds, as the binding's `time-format` declares.",
        bad="ts,target,value\nyesterday,getQuote/RT,42.5",
        good="ts,target,value\n1735732800000,getQuote/RT,42.5",
        bad_lang="csv",
    ),
    Code(
        "M005",
        _E,
        "bad value",
        "A measurement value is not a number, `true` or `false` (JSON Lines may also carry "
        "JSON strings for string metrics). Empty cells are bad values too.",
        bad="time,target,value\n2025-01-01T00:00:00Z,getQuote/RT,fast",
        good="time,target,value\n2025-01-01T00:00:00Z,getQuote/RT,42.5",
        bad_lang="csv",
    ),
    Code(
        "M006",
        _E,
        "value is not a finite number",
        "NaN and infinities are not measurements: an aggregate over them would be NaN or "
        "infinite and every comparison with them false. Leave the record out instead; a "
        "missing value is a data gap that wsla reports.",
        bad="time,target,value\n2025-01-01T00:00:00Z,getQuote/RT,NaN",
        good="time,target,value\n2025-01-01T00:00:00Z,getQuote/RT,42.5",
        bad_lang="csv",
    ),
    Code(
        "M007",
        _E,
        "unknown target",
        "A record names a target that is no measured metric of the spec: neither a "
        "`ServiceObject/Metric` path of a metric with a measurement directive nor one of "
        "the directives' measurement, request or counter URIs.",
        bad="time,target,value\n2025-01-01T00:00:00Z,getQuote/ResponseTme,42.5",
        good="time,target,value\n2025-01-01T00:00:00Z,getQuote/ResponseTime,42.5",
        bad_lang="csv",
    ),
    Code(
        "M008",
        _E,
        "binding finds no metric for a record",
        "A wide table's key column names a service object that the spec does not have, or "
        "that has no metric the binding's feed names (by metric name or directive type). "
        "Check the key values in the data, the binding's `objects` map and the feed.",
        bad='[[table.feed]]\ncolumn = "rt_ms"\ndirective = "ResponseTme"',
        good='[[table.feed]]\ncolumn = "rt_ms"\ndirective = "ResponseTime"',
        bad_lang="toml",
    ),
    Code(
        "M009",
        _E,
        "invalid binding",
        "The binding file (TOML or JSON) or a `--bind` option is not valid: a syntax error, "
        "an unknown field, a field of the wrong type, an unknown time format or derivation, "
        "or a feed without a target. Nothing is evaluated with an invalid binding.",
        bad='[[table]]\ntime = "ts"\ntime-format = "millis"',
        good='[[table]]\ntime = "ts"\ntime-format = "ms"',
        bad_lang="toml",
    ),
    Code(
        "M010",
        _E,
        "cannot read data file",
        "A data file does not exist, cannot be opened, is not valid UTF-8, or is empty "
        "(a CSV file needs a header line); or a Parquet or Arrow IPC file is truncated or "
        "corrupt (reported at the first row that cannot be read; the rows before it are "
        "kept), or is Feather version 1 (rewrite it as Feather v2).",
        bad="wsla evaluate sla.xml --data missing.csv",
        good="wsla evaluate sla.xml --data requests.csv",
        bad_lang="shell",
    ),
    Code(
        "M011",
        _E,
        "unknown data format",
        "The format of a data file is chosen by its extension: `.csv`, `.jsonl` (or "
        "`.ndjson`), `.parquet`, `.arrow` (or `.arrows`, `.feather`, `.ipc`: Arrow IPC), "
        "`.gz` for compressed CSV and JSON Lines. An Arrow IPC file is recognised by its "
        "content (`ARROW1`, or a stream's `FF FF FF FF` marker) whatever its name.",
        bad="wsla evaluate sla.xml --data requests.txt",
        good="wsla evaluate sla.xml --data requests.csv",
        bad_lang="shell",
    ),
    Code(
        "M012",
        _E,
        "Parquet support is not installed",
        "Reading Parquet or Arrow IPC (Feather) files needs pyarrow, which is the optional "
        "extra `parquet`: "
        "`pip install 'wsla[parquet]'`.",
        bad="wsla evaluate sla.xml --data requests.parquet   # without pyarrow",
        good="pip install 'wsla[parquet]'",
        bad_lang="shell",
    ),
    Code(
        "M013",
        _E,
        "unknown time zone",
        "The zone named for naive timestamps is neither an IANA zone name "
        "(`Europe/Zurich`) nor a fixed offset (`+01:00`, `Z`).",
        bad='zone = "CET+1"',
        good='zone = "Europe/Berlin"',
        bad_lang="toml",
    ),
    Code(
        "M014",
        _W,
        "more problems than shown",
        "Only the first problems of each code are listed; the rest are counted. The "
        "summary and the JSON output give the full counts per code.",
        bad="(a file with a million malformed lines)",
        good="(fix the producer, or filter the file)",
        bad_lang="text",
    ),
    Code(
        "M015",
        _E,
        "negative response time",
        "A value known to be a response time is below zero: the value of an invocation "
        "record (`ServiceObject#invocation`), or a cell fed by `invocation = true` or by "
        "a `ResponseTime` directive feed of a binding. A clock that stepped back or a "
        "producer that subtracted the wrong way wrote it; averaged in, it would make the "
        "service look faster than it is. The record is reported and not applied (nothing "
        "it would feed moves, invocation counts included). Other metrics are not checked: "
        "a negative gauge may be meaningful.",
        bad="time,target,value\n2025-01-01T00:00:01Z,GetQuote#invocation,-5",
        good="time,target,value\n2025-01-01T00:00:01Z,GetQuote#invocation,5",
        bad_lang="csv",
    ),
    Code(
        "M016",
        _W,
        "duplicated row",
        "A row repeats the row just before it in the same input exactly (same time, same "
        "key and the same values in every bound column). It is applied like any other row "
        "(two identical requests in the same millisecond are possible), but a whole block "
        "of such rows usually means a log shipped twice or a retry that wrote again, which "
        "would count every invocation twice. Remove the copies, or ignore the warning when "
        "the repeats are real.",
        bad="time,target,value\n2025-01-01T00:00:01Z,GetQuote/Load,2\n"
        "2025-01-01T00:00:01Z,GetQuote/Load,2",
        good="time,target,value\n2025-01-01T00:00:01Z,GetQuote/Load,2",
        bad_lang="csv",
    ),
    Code(
        "M017",
        _W,
        "late record",
        "A record is older than the watermark when it arrives: the newest event time seen "
        "so far minus the allowed lateness (0 by default). Records must come in event-time "
        "order up to that lateness; an older one is counted and reported here with its file "
        "and line, and not applied (it would change outcomes already decided). Sort the "
        "input by time, or allow lateness (`--allowed-lateness 10s`): records up to that "
        "much older than the newest are then buffered and applied in event-time order.",
        bad="time,target,value\n2025-01-01T00:00:05Z,GetQuote/Load,2\n"
        "2025-01-01T00:00:01Z,GetQuote/Load,3",
        good="time,target,value\n2025-01-01T00:00:01Z,GetQuote/Load,3\n"
        "2025-01-01T00:00:05Z,GetQuote/Load,2",
        bad_lang="csv",
    ),
)
