"""One line per diagnostic: ``path:line:col: CODE message`` (ruff's ``concise``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wsla.diagnostics import Diagnostic
from wsla.report.text import escape_controls

__all__ = ["render_concise"]


def render_concise(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    color: bool = False,
    strict: bool = False,
) -> str:
    """One line per diagnostic; line breaks inside a message become spaces, other
    control characters visible escapes (``\\x1b``).

    >>> from wsla.diagnostics import Severity, Span
    >>> d = Diagnostic("X002", Severity.ERROR, "bad\\nthing", Span("a.xml", 2, 5))
    >>> render_concise([d], {})
    'a.xml:2:5: X002 bad thing\\n'
    """
    # A message's own line breaks would split one finding over several lines (and one
    # from a quoted name could forge a CI workflow command); other control characters
    # from the input are shown escaped, never sent to the terminal.
    return "".join(f"{escape_controls(' '.join(str(d).split()))}\n" for d in diagnostics)
