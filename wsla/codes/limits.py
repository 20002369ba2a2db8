"""Codes ``L``: resource limits (see :mod:`wsla.limits`)."""

from __future__ import annotations

from wsla.codes import Code
from wsla.diagnostics import Severity

CODES: tuple[Code, ...] = (
    Code(
        "L101",
        Severity.ERROR,
        "input too large",
        "The spec file is larger than the configured maximum input size "
        "(`Limits.max_input_bytes`, 64 MiB by default). wsla refuses it before parsing "
        "so that a hostile file cannot exhaust memory. Split the SLA, or raise the limit "
        "when you trust the file.",
        bad="a 200 MB generated SLA document",
        good="one SLA per service, each well below the limit",
        bad_lang="text",
    ),
    Code(
        "L102",
        Severity.ERROR,
        "nesting too deep",
        "Elements (XML) or parentheses (DSL) are nested deeper than `Limits.max_depth` "
        "(256 by default, libxml2's own default). Real SLAs nest a few levels; very deep "
        "nesting is a sign of a generated or hostile document.",
        bad="<Expression><Not><Expresssion><Not>… 40,000 levels …",
        good="<Expression><Not><Expresssion>…</Expresssion></Not></Expression>",
    ),
    Code(
        "L103",
        Severity.ERROR,
        "too many elements",
        "The document has more elements than `Limits.max_elements` (2,000,000 by default).",
        bad="a document with millions of empty <Coverage/> elements",
        good="a document of realistic size",
    ),
    Code(
        "L104",
        Severity.ERROR,
        "series window too large",
        "A Q or TS keeps more elements than `Limits.max_window` (1,000,000 by default). "
        "A `Window` absent means unbounded in WSLA; wsla bounds it by this limit and "
        "reports it when reached instead of growing without end. Give the constructor "
        "an explicit `Window`, or aggregate per schedule interval.",
        bad='<Function xsi:type="QConstructor"><Metric>RT</Metric></Function>',
        good='<Function xsi:type="QConstructor"><Metric>RT</Metric><Window>1000</Window>'
        "</Function>",
    ),
    Code(
        "L105",
        Severity.ERROR,
        "too many distinct streams",
        "The measurement data addresses more distinct targets than `Limits.max_streams` "
        "(100,000 by default): usually a binding that turns a high-cardinality column "
        "(a request id, a URL with parameters) into targets.",
        bad="target column = full request URL",
        good="target column = operation name",
        bad_lang="text",
    ),
    Code(
        "L106",
        Severity.ERROR,
        "too many pending action requests",
        "The action outbox holds more undelivered requests than "
        "`Limits.max_pending_actions` (100,000 by default). The receivers are not "
        "keeping up or are down; new requests are refused rather than filling the disk. "
        "Inspect them with `wsla actions list --status pending`.",
        bad="a webhook endpoint that has been down for a month",
        good="`wsla actions retry` after fixing the endpoint, `wsla actions purge`",
        bad_lang="text",
    ),
    Code(
        "L107",
        Severity.WARNING,
        "record too far ahead",
        "Applying the record would make the evaluator process more schedule ticks than "
        "`Limits.max_ticks_per_step` (1,000,000 by default), counting every schedule's "
        "ticks from the last one processed up to the record's time. A schedule with no "
        "End ticks forever, so one record with a mistaken or hostile timestamp (year 2100) "
        "would make the evaluator grind through decades of minute ticks. The record is not "
        "applied: it is counted with the records outside the window, the watermark stays "
        "where it was, and evaluation goes on with the next record. Fix the record's "
        "timestamp, or raise the limit when the data really has such a gap.",
        bad="2026-03-02T10:00:00Z,getQuote,212\n2100-03-02T10:00:01Z,getQuote,198",
        good="2026-03-02T10:00:00Z,getQuote,212\n2026-03-02T10:00:01Z,getQuote,198",
        bad_lang="text",
    ),
    Code(
        "L108",
        Severity.ERROR,
        "DSL input too large",
        "The `.wsla` text is larger than `Limits.max_dsl_bytes` (8 MiB by default). The "
        "DSL reader is a pyparsing grammar: linear, but at about 2 to 4 microseconds of "
        "CPU per byte, so a spec at the general input limit (`L101`, 64 MiB) could keep "
        "a CI job busy for minutes. Real specs are a few kilobytes to a few hundred; a "
        "larger one is generated or hostile. Split it, write it as XML (which has no "
        "such limit below `L101`), or raise the limit for a trusted file.",
        bad="a 10 MB .wsla file (one generated line of `x < 1 and x < 1 and …`)",
        good="specs of realistic size; generated specs as XML",
        bad_lang="text",
    ),
)
