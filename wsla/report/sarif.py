"""SARIF 2.1.0 (the OASIS standard read by GitHub code scanning and IDEs).

Rule metadata (title, explanation, default level, bad/good example) comes from the code
registry. Columns are counted in Unicode code points (``columnKind``), as our spans are;
SARIF's ``endColumn`` is exclusive, ours inclusive, hence the ``+ 1``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from wsla._version import __version__
from wsla.codes import lookup
from wsla.diagnostics import Diagnostic, Severity
from wsla.model.span import Span

__all__ = ["SCHEMA_URI", "render_sarif"]

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix)
    return quote(posix)


def _region(span: Span) -> dict[str, int]:
    # SARIF requires positive positions; a span of 0 from a careless producer is clamped
    # rather than making the whole log invalid.
    region = {"startLine": max(span.line, 1), "startColumn": max(span.column, 1)}
    if span.end_line is not None:
        region["endLine"] = max(span.end_line, 1)
    if span.end_column is not None:
        region["endColumn"] = max(span.end_column, 0) + 1
    return region


def _location(span: Span, message: str | None = None, ident: int | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {}
    if ident is not None:
        loc["id"] = ident
    loc["physicalLocation"] = {
        "artifactLocation": {"uri": _uri(span.path or "<input>")},
        "region": _region(span),
    }
    if message is not None:
        loc["message"] = {"text": message}
    return loc


def _rule(code: str, level: str) -> dict[str, Any]:
    known = lookup(code)
    if known is None:
        return {"id": code, "defaultConfiguration": {"level": level}}
    lang = known.bad_lang
    markdown = [known.explanation]
    if known.bad:
        markdown.append(f"Bad:\n\n```{lang}\n{known.bad}\n```")
    if known.good:
        markdown.append(f"Good:\n\n```{lang}\n{known.good}\n```")
    return {
        "id": code,
        "shortDescription": {"text": known.title},
        "fullDescription": {"text": known.explanation},
        "help": {"text": known.explanation, "markdown": "\n\n".join(markdown)},
        "defaultConfiguration": {"level": _LEVEL[known.severity]},
    }


def _result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    text = d.message
    extra = ([f"help: {d.help}"] if d.help else []) + [f"note: {n}" for n in d.notes]
    if extra:
        text = "\n".join([text, *extra])
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[d.severity],
        "message": {"text": text},
    }
    if d.span is not None:
        result["locations"] = [_location(d.span)]
    if d.labels:
        result["relatedLocations"] = [
            _location(lb.span, lb.message, i) for i, lb in enumerate(d.labels, start=1)
        ]
    return result


def render_sarif(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    color: bool = False,
    strict: bool = False,
) -> str:
    codes = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    first_level: dict[str, str] = {}
    for d in diagnostics:
        first_level.setdefault(d.code, _LEVEL[d.severity])
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "wsla",
                        "version": __version__,
                        "rules": [_rule(code, first_level[code]) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [{"location": {"uri": _uri(path)}} for path in sorted(sources)],
                "results": [_result(d, index[d.code]) for d in diagnostics],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
