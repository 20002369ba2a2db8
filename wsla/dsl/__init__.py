"""The ``.wsla`` language: a readable text form of WSLA with exactly its expressive power.

>>> from wsla.dsl import dumps_dsl, loads_dsl
>>> spec, diagnostics = loads_dsl("sla Demo { provider P consumer C obligations }")
>>> loads_dsl(dumps_dsl(spec))[0] == spec
True

:func:`loads_dsl` reads text into a :class:`~wsla.model.Spec` (with spans) and coded
diagnostics; :func:`dumps_dsl` prints the canonical text; :func:`format_source` reformats
a file canonically and keeps its comments. The language is described in ``docs/dsl.md``
and, normatively, in ``grammar/wsla.ebnf``.
"""

from __future__ import annotations

from wsla.diagnostics import Diagnostic
from wsla.dsl.printer import PrintedComment, Printer, dumps_dsl
from wsla.dsl.reader import loads_dsl, parse
from wsla.dsl.source import Source


def format_source(text: str, path: str | None = None) -> tuple[str | None, list[Diagnostic]]:
    """The canonical form of ``.wsla`` text, keeping its ``//`` and ``/* */`` comments.

    Each comment is printed before the statement that followed it in the source; a
    comment that ended a line of code stays at the end of that line. Returns ``None`` and
    the diagnostics when the text does not parse.

    >>> print(format_source("sla D {provider P // the seller\\n consumer C obligations}")[0])
    sla D {
      provider P  // the seller
      consumer C
    <BLANKLINE>
      obligations
    }
    <BLANKLINE>
    """
    spec, diagnostics, lexical = parse(text, path)
    if spec is None:
        return None, diagnostics
    source = Source(text, path)
    comments = [
        PrintedComment(c.text, source.position(c.start), source.position(c.end - 1), c.own_line)
        for c in lexical.comments
    ]
    return Printer(comments).document(spec), diagnostics


__all__ = ["dumps_dsl", "format_source", "loads_dsl"]
