"""Source positions for elements: lxml knows an element's line, we find its column.

libxml2 records the line where a start tag *ends* (and, past line 65535, the line after
it), so when ``<Tag`` is not on the reported line we look back a few lines for it.
Elements are looked up in document order, so a cursor finds repeated tags on one line
left to right.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from wsla.model.span import Span

__all__ = ["SourceText", "element_span", "make_span", "shorten"]

_SPAN: Any = Span
_new_span = object.__new__
_set_path = _SPAN.path.__set__
_set_line = _SPAN.line.__set__
_set_column = _SPAN.column.__set__
_set_end_line = _SPAN.end_line.__set__
_set_end_column = _SPAN.end_column.__set__


def make_span(path: str | None, line: int, column: int) -> Span:
    """``Span(path, line, column)``, built in about half the time.

    A 10 MB spec needs a hundred thousand spans, and the frozen dataclass's ``__init__``
    goes through ``object.__setattr__`` for each of its five fields; setting the slots
    directly gives the same, equal, immutable object.
    """
    span = _new_span(Span)
    _set_path(span, path)
    _set_line(span, line)
    _set_column(span, column)
    _set_end_line(span, None)
    _set_end_column(span, None)
    return span


_LOOK_BACK = 50
_LOOK_BACK_CHARS = 65_536
"""Bound on the text scanned upwards per lookup, so hostile layouts cannot make it slow."""

_QUOTE_LIMIT = 160


def shorten(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """``text`` cut to ``limit`` characters: messages quote documents, which may be huge."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


class SourceText:
    """The text of a document split into lines, decoded as the parser decoded it."""

    __slots__ = (
        "_data",
        "_encoding",
        "_last_index",
        "_last_line",
        "_lines",
        "_needles",
        "_plain",
        "path",
    )

    def __init__(self, data: bytes | None, path: str | None, encoding: str | None = None) -> None:
        self.path = path
        self._data = data
        self._encoding = encoding
        self._last_line = 0
        self._last_index = 0
        self._needles: dict[object, str] = {}
        self._lines: list[str] | None = None
        self._plain = False

    def lines(self) -> list[str] | None:
        """The decoded lines, split on first use (callers often need no position at all)."""
        if self._lines is None and self._data:
            try:
                text = self._data.decode(self._encoding or "utf-8", "replace")
                plain = True
            except LookupError:
                text = self._data.decode("utf-8", "replace")
                plain = False  # decoded as a guess: say nothing about its markup
            text = text.lstrip("\ufeff")
            if plain:
                # After the XML declaration, no "<!" (comment, CDATA, DOCTYPE) and no "<?"
                # (processing instruction). "!" and "?" are rare and a one-character
                # search is a memchr, while "<" is everywhere and slows a "<!" search:
                # look for the pair only where the character occurs at all.
                start = text.find("?>") + 2 if text.startswith("<?xml") else 0
                self._plain = (text.find("!", start) < 0 or text.find("<!", start) < 0) and (
                    text.find("?", start) < 0 or text.find("<?", start) < 0
                )
            self._lines = text.split("\n")
            self._data = None
        return self._lines

    def plain(self) -> bool:
        """Whether the document has elements, attributes and text only: no comment,
        processing instruction, CDATA section or DOCTYPE (so a tree parsed from it has
        no node other than elements and text). False when unsure or without a source."""
        self.lines()
        return self._plain

    def line_text(self, line: int) -> str | None:
        lines = self.lines()
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]

    def locate(self, line: int, needle: str) -> tuple[int, int]:
        """``(line, column)`` of ``needle`` (``<Tag``) at or before ``line``; column 1 if lost."""
        lines = self._lines if self._lines is not None else self.lines()
        if lines is None or not 1 <= line <= len(lines):
            return line, 1
        text = lines[line - 1]
        start = self._last_index if line == self._last_line else 0
        index = text.find(needle, start)
        if index < 0 and start:
            # Out of document order (rare): look only before the cursor, which bounds the
            # work on a one-line document to one pass per lookup direction.
            index = text.find(needle, 0, start + len(needle))
        if index >= 0:
            self._last_line = line
            self._last_index = index + 1
            return line, index + 1
        budget = _LOOK_BACK_CHARS
        for back in range(line - 1, max(0, line - 1 - _LOOK_BACK), -1):
            previous = lines[back - 1]
            index = previous.rfind(needle, max(0, len(previous) - budget))
            if index >= 0:
                return back, index + 1
            budget -= len(previous)
            if budget <= 0:
                break
        return line, 1

    def span(self, element: etree._Element) -> Span:
        """The span of ``element``'s start tag (the ``<`` of ``<Tag``)."""
        line = element.sourceline or 1
        lines = self._lines
        if lines is None:
            lines = self.lines()
            if lines is None:
                return make_span(self.path, line, 1)
        tag = element.tag
        prefix = element.prefix
        # Unprefixed tags (nearly all) are their own key: no tuple to build and hash.
        key: object = tag if prefix is None else (tag, prefix)
        needle = self._needles.get(key)
        if needle is None:
            if not isinstance(tag, str):
                return make_span(self.path, line, 1)
            local = tag.rpartition("}")[2]
            needle = f"<{prefix}:{local}" if prefix else f"<{local}"
            self._needles[key] = needle
        if line <= len(lines):
            # The common case inline: the tag is on the reported line, after the cursor.
            index = lines[line - 1].find(needle, self._last_index if line == self._last_line else 0)
            if index >= 0:
                self._last_line = line
                self._last_index = index + 1
                # make_span, inlined: this is the hottest path of reading a spec.
                span = _new_span(Span)
                _set_path(span, self.path)
                _set_line(span, line)
                _set_column(span, index + 1)
                _set_end_line(span, None)
                _set_end_column(span, None)
                return span
            if line > 1:
                # Past line 65535 libxml2 reports the line after many start tags.
                previous = lines[line - 2]
                index = previous.rfind(needle, max(0, len(previous) - _LOOK_BACK_CHARS))
                if index >= 0:
                    # Inlined as above: past line 65535 this is the path of most elements
                    # that have children.
                    span = _new_span(Span)
                    _set_path(span, self.path)
                    _set_line(span, line - 1)
                    _set_column(span, index + 1)
                    _set_end_line(span, None)
                    _set_end_column(span, None)
                    return span
        line, column = self.locate(line, needle)
        return make_span(self.path, line, column)


def element_span(source: SourceText, element: etree._Element) -> Span:
    """The span of ``element``'s start tag in ``source``."""
    return source.span(element)
