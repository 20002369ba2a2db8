"""Evaluation results as text (the summary table, evidence traces) and as JSON.

The JSON document is versioned: ``{"format": "wsla-evaluation", "version": 1, …}``,
described in ``docs/evaluation-json.md`` and ``docs/evaluation.schema.json``. Additions
that old readers can ignore keep the version; anything else raises it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from wsla._version import __version__
from wsla.diagnostics import Diagnostic
from wsla.runtime.outcomes import (
    ActionRequest,
    DataGap,
    LateRecord,
    ParameterValue,
    SLOEvaluation,
    Violation,
)
from wsla.runtime.values import ns_to_iso

if TYPE_CHECKING:
    from wsla.evaluation import EvaluationResult

__all__ = [
    "FORMAT",
    "VERSION",
    "format_duration",
    "render_json",
    "render_summary",
    "render_trace",
]

FORMAT = "wsla-evaluation"
VERSION = 1

_ROUTINE = (ParameterValue, SLOEvaluation)
"""Outcome types left out of the JSON unless every outcome is asked for."""


def format_duration(ns: int) -> str:
    """``0s``, ``45s``, ``5m``, ``1h 05m``, ``2d 03h`` (rounded down to the second)."""
    seconds = ns // 1_000_000_000
    if seconds < 60:
        if seconds == 0 and ns > 0:
            return f"{ns / 1e9:.3g}s"
        return f"{seconds}s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m" if sec == 0 else f"{minutes}m {sec:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours:02d}h"


def _when(ns: int | None) -> str:
    return "-" if ns is None else ns_to_iso(ns)


def render_summary(result: EvaluationResult) -> str:
    """The human summary: a header line, one row per SLO, and a totals line."""
    name = result.spec_name or "SLA"
    inputs = len(result.inputs)
    start, end = result.window
    lines = [
        f"{name}: {result.records:,} records from {inputs} input{'s' if inputs != 1 else ''}, "
        f"{_when(start)} .. {_when(end)}",
        "",
    ]
    headers = (
        "SLO",
        "evaluations",
        "violations",
        "unknown",
        "compliance",
        "in violation",
        "longest",
    )
    rows = [headers]
    for s in result.summaries.values():
        compliance = "-" if s.compliance is None else f"{s.compliance:.2f} %"
        rows.append(
            (
                s.slo,
                f"{s.evaluations:,}",
                f"{s.violations:,}",
                f"{s.unknowns:,}",
                compliance,
                format_duration(s.time_in_violation),
                format_duration(s.longest_violation),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    counts = _counts(result)
    violated = sum(1 for s in result.summaries.values() if s.violations)
    total = len(result.summaries)
    lines += [
        "",
        f"{violated} of {_plural(total, 'SLO')} violated; "
        + ", ".join(
            [
                _plural(counts["violations"], "violation"),
                _plural(counts["action_requests"], "action request"),
                _plural(counts["data_gaps"], "data gap"),
                _plural(result.late_records, "late record"),
                # late records (M017) are already counted as late just before
                _plural(
                    sum(n for code, n in result.problem_counts.items() if code != "M017"),
                    "malformed record",
                ),
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _counts(result: EvaluationResult) -> Counter[str]:
    counts: Counter[str] = Counter(violations=0, action_requests=0, data_gaps=0)
    for outcome in result.outcomes:
        if isinstance(outcome, Violation):
            counts["violations"] += 1
        elif isinstance(outcome, ActionRequest):
            counts["action_requests"] += 1
        elif isinstance(outcome, DataGap):
            counts["data_gaps"] += 1
        elif isinstance(outcome, LateRecord):
            counts["late_records"] += 1
    return counts


def render_trace(result: EvaluationResult, *, limit: int | None = None) -> str:
    """The evidence chain of each violation (the first ``limit``)."""
    violations = result.violations()
    shown = violations if limit is None else violations[:limit]
    lines: list[str] = []
    for v in shown:
        lines += ["", f"violation of {v.slo} at {ns_to_iso(v.time)} (obliged: {v.obliged})"]
        lines += [e.render(1) for e in result.explain(v)]
    if len(shown) < len(violations):
        lines += ["", f"... and {len(violations) - len(shown)} more violations (see --json)"]
    return "\n".join(lines) + "\n" if lines else ""


def _diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "path": None if d.span is None else d.span.path,
        "line": None if d.span is None else d.span.line,
        "help": d.help,
    }


def render_json(
    result: EvaluationResult, *, all_outcomes: bool = False, trace: bool = False
) -> dict[str, Any]:
    """The result as a JSON-able document (``docs/evaluation-json.md``, version 1)."""
    start, end = result.window
    counts = _counts(result)
    outcomes: list[dict[str, Any]] = []
    for outcome in result.outcomes:
        if not all_outcomes and isinstance(outcome, _ROUTINE):
            continue
        item = outcome.to_json()
        if trace and isinstance(outcome, Violation):
            item["evidence"] = [e.to_json() for e in result.explain(outcome)]
        outcomes.append(item)
    summaries = list(result.summaries.values())
    return {
        "format": FORMAT,
        "version": VERSION,
        "wsla": __version__,
        "spec": {"name": result.spec_name, "source": result.spec_source},
        "inputs": list(result.inputs),
        "window": {
            "from": None if start is None else ns_to_iso(start),
            "from_ns": start,
            "to": None if end is None else ns_to_iso(end),
            "to_ns": end,
        },
        "records": {
            "read": result.records,
            "late": result.late_records,
            "outside_window": result.outside_window,
            "malformed": sum(result.problem_counts.values()),
            "unused": result.unused_rows,
            "unknown_targets": dict(sorted(result.unknown_targets.items())),
        },
        "problems": {
            "counts": dict(result.problem_counts),
            "diagnostics": [_diagnostic_json(d) for d in result.problems],
        },
        "totals": {
            "slos": len(summaries),
            "violated_slos": sum(1 for s in summaries if s.violations),
            "violations": counts["violations"],
            "action_requests": counts["action_requests"],
            "data_gaps": counts["data_gaps"],
        },
        "slos": [s.to_json() for s in summaries],
        "outcomes": outcomes,
    }
