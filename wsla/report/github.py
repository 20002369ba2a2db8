"""GitHub Actions workflow commands (``::error file=…,line=…::message``).

GitHub turns these into annotations on the pull request. Values are escaped as the
runner expects: in the message ``%``, ``\\r`` and ``\\n``; in properties also ``:`` and
``,``, which would otherwise end the property.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from wsla.codes import lookup
from wsla.diagnostics import Diagnostic, Severity

__all__ = ["escape_data", "escape_property", "render_github"]

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


# Control characters other than CR and LF (which the runner's escapes carry): an ESC
# sequence from spec text would otherwise reach the log viewer.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape_data(text: str) -> str:
    """Escape a command's message (``%`` first, so escapes are not escaped again).

    >>> escape_data("100%\\ndone")
    '100%25%0Adone'
    """
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, where ``:`` and ``,`` are separators.

    >>> escape_property("a:b,c")
    'a%3Ab%2Cc'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _title(code: str) -> str:
    known = lookup(code)
    return f"{code} {known.title}" if known is not None else code


def render_github(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    color: bool = False,
    strict: bool = False,
) -> str:
    lines: list[str] = []
    for d in diagnostics:
        props: list[tuple[str, str]] = []
        if d.span is not None and d.span.path is not None:
            props += [("file", d.span.path), ("line", str(d.span.line))]
            props.append(("col", str(d.span.column)))
            if d.span.end_line is not None:
                props.append(("endLine", str(d.span.end_line)))
            if d.span.end_column is not None:
                props.append(("endColumn", str(d.span.end_column)))
        props.append(("title", _title(d.code)))
        body = [f"{d.code} {d.message}"]
        if d.help:
            body.append(f"help: {d.help}")
        body.extend(f"note: {n}" for n in d.notes)
        head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
        lines.append(f"::{_LEVEL[d.severity]} {head}::{escape_data(chr(10).join(body))}\n")
    return "".join(lines)
