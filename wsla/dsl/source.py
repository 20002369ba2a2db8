"""The text being read: positions, and the lexical pre-pass over strings and comments.

The pre-pass finds comments (kept by the formatter) and unterminated strings or block
comments (reported with their own codes) in one regular-expression sweep, and hands the
grammar a copy of the text with comments blanked out. Blanking keeps every offset, line
and column as written, and the grammar then never has to try a comment between tokens.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from wsla.model.span import Span

_LEXICAL = re.compile(r'"(?:[^"\\\n]|\\.)*"|`(?:[^`\\\n]|\\.)*`|//[^\n]*|/\*[\s\S]*?\*/|"|`|/\*')


class Source(str):
    """A ``str`` that knows its path and where its lines start.

    pyparsing hands the very string it parses to every parse action, so parse actions
    turn offsets into :class:`Span` objects through it without any shared state.
    """

    path: str | None
    _starts: list[int]

    def __new__(cls, text: str, path: str | None = None) -> Source:
        self = super().__new__(cls, text)
        self.path = path
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self._starts = starts
        return self

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (code points, tabs not expanded) of ``offset``."""
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]`` (``end`` exclusive)."""
        starts = self._starts
        line = bisect.bisect_right(starts, start)
        last = max(start, end - 1)
        end_line = line
        if line < len(starts) and last >= starts[line]:
            end_line = bisect.bisect_right(starts, last, line)
        return Span(
            self.path,
            line,
            start - starts[line - 1] + 1,
            end_line,
            last - starts[end_line - 1] + 1,
        )


def span_at(text: str, start: int, end: int) -> Span:
    """A span in any string; fast when ``text`` is a :class:`Source`."""
    if isinstance(text, Source):
        return text.span(start, end)
    return Source(text).span(start, end)


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``//`` or ``/* */`` comment as written, with its offsets in the file."""

    text: str
    start: int
    end: int
    own_line: bool
    """Nothing but whitespace precedes it on its line."""


@dataclass(frozen=True, slots=True)
class Scan:
    blanked: str
    comments: tuple[Comment, ...]
    unterminated_string: int | None = None
    unterminated_comment: int | None = None


def scan(text: str) -> Scan:
    """Find comments and unterminated literals; blank comments out (newlines kept)."""
    pieces: list[str] = []
    comments: list[Comment] = []
    last = 0
    for match in _LEXICAL.finditer(text):
        token = match.group()
        start = match.start()
        if token in ('"', "`"):
            return Scan(text, tuple(comments), unterminated_string=start)
        if token == "/*":
            return Scan(text, tuple(comments), unterminated_comment=start)
        if token[0] in '"`':
            continue
        line_start = text.rfind("\n", 0, start) + 1
        own_line = not text[line_start:start].strip()
        comments.append(Comment(token, start, match.end(), own_line))
        pieces.append(text[last:start])
        pieces.append(re.sub(r"[^\n]", " ", token))
        last = match.end()
    if not comments:
        return Scan(text, ())
    pieces.append(text[last:])
    return Scan("".join(pieces), tuple(comments))


__all__ = ["Comment", "Scan", "Source", "scan", "span_at"]
