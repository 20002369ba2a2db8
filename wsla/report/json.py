"""Machine-readable JSON: every field of every diagnostic, plus a summary.

The document is ``{"version": 1, "summary": {...}, "files": [...], "diagnostics": [...]}``;
positions are 1-based code points, ``end_column`` inclusive, absent values ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from wsla.diagnostics import Diagnostic, Severity
from wsla.model.span import Span

__all__ = ["diagnostic_to_dict", "render_json"]

FORMAT_VERSION = 1


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "path": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "location": _span(d.span),
        "labels": [{"message": lb.message, "location": _span(lb.span)} for lb in d.labels],
        "help": d.help,
        "notes": list(d.notes),
    }


def render_json(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    color: bool = False,
    strict: bool = False,
) -> str:
    counts = {s.value: sum(d.severity is s for d in diagnostics) for s in Severity}
    doc = {
        "version": FORMAT_VERSION,
        "summary": {
            "files_checked": len(sources),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
        },
        "files": sorted(sources),
        "diagnostics": [diagnostic_to_dict(d) for d in diagnostics],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
