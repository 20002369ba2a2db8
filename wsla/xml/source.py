"""Source positions for elements: lxml knows an element's line, we find its column.

libxml2 records the line where a start tag *ends*; for a start tag spread over several
lines we look back for its ``<Tag``. Elements are looked up in document order, so a
cursor per line finds repeated tags on one line left to right.
"""

from __future__ import annotations

from lxml import etree

from wsla.model.span import Span

__all__ = ["SourceText", "element_span"]

_LOOK_BACK = 50


class SourceText:
    """The text of a document split into lines, decoded as the parser decoded it."""

    __slots__ = ("_cursor", "_lines", "path")

    def __init__(self, data: bytes | None, path: str | None, encoding: str | None = None) -> None:
        self.path = path
        self._cursor: dict[int, int] = {}
        self._lines: list[str] | None = None
        if data:
            try:
                text = data.decode(encoding or "utf-8", "replace")
            except LookupError:
                text = data.decode("utf-8", "replace")
            self._lines = text.lstrip("\ufeff").split("\n")

    def line_text(self, line: int) -> str | None:
        if self._lines is None or not 1 <= line <= len(self._lines):
            return None
        return self._lines[line - 1]

    def locate(self, line: int, needle: str) -> tuple[int, int]:
        """``(line, column)`` of ``needle`` (``<Tag``) at or before ``line``; column 1 if lost."""
        lines = self._lines
        if lines is None or not 1 <= line <= len(lines):
            return line, 1
        text = lines[line - 1]
        start = self._cursor.get(line, 0)
        index = text.find(needle, start)
        if index < 0 and start:
            index = text.find(needle)
        if index >= 0:
            self._cursor[line] = index + 1
            return line, index + 1
        for back in range(line - 1, max(0, line - 1 - _LOOK_BACK), -1):
            index = lines[back - 1].rfind(needle)
            if index >= 0:
                return back, index + 1
        return line, 1

    def span(self, element: etree._Element) -> Span:
        return element_span(self, element)


def element_span(source: SourceText, element: etree._Element) -> Span:
    """The span of ``element``'s start tag (``<`` of ``<Tag``)."""
    line = element.sourceline or 1
    tag = element.tag
    if not isinstance(tag, str):
        return Span(source.path, line, 1)
    local = tag.rpartition("}")[2]
    prefix = element.prefix
    needle = f"<{prefix}:{local}" if prefix else f"<{local}"
    line, column = source.locate(line, needle)
    return Span(source.path, line, column)
