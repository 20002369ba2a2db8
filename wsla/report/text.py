"""The human renderer: rustc/ruff-style diagnostics with source snippets.

Output for one diagnostic::

    specs/bad.xml:3:9: X002 XML is not well-formed
      |
    3 | <SLA a=b>
      |        ^ error
      |
      = help: quote attribute values
      = note: nothing after this point was read

The header is exactly ``path:line:col: CODE message`` so editors and problem matchers
can parse it. The caret line under the primary span names the severity; secondary
labels are underlined with ``-`` and carry their own message. Multi-line spans use
rustc's gutter (``/``, ``|`` and a ``|__^`` closing underline). Tabs are shown as four
spaces and East Asian wide characters as two columns, so carets line up in a terminal;
columns in the header stay those of the file as written (1-based code points).

:func:`render_text` is a pure function: same diagnostics and sources, same string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import click

from wsla.diagnostics import Diagnostic, Severity
from wsla.model.span import Span

__all__ = ["escape_controls", "message_lines", "render_text", "source_lines", "summary_line"]

TAB_WIDTH = 4
# A multi-line span longer than this shows its first and last lines around "...".
_MAX_SPAN_LINES = 6

_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@dataclass(frozen=True, slots=True)
class _Annotation:
    span: Span
    message: str
    primary: bool

    @property
    def first(self) -> int:
        return self.span.line

    @property
    def last(self) -> int:
        end = self.span.end_line
        return end if end is not None and end > self.span.line else self.span.line

    @property
    def multiline(self) -> bool:
        return self.last > self.first


@dataclass(frozen=True, slots=True)
class _Style:
    """Colour functions; identity when colour is off so the layout never depends on it."""

    enabled: bool
    severity: Severity

    def _s(self, text: str, **kw: object) -> str:
        return click.style(text, **kw) if self.enabled and text else text  # type: ignore[arg-type]

    def gutter(self, text: str) -> str:
        return self._s(text, fg="blue", bold=True)

    def mark(self, text: str, primary: bool) -> str:
        return self._s(text, fg=_SEVERITY_COLOUR[self.severity] if primary else "blue", bold=True)

    def code(self, text: str) -> str:
        return self._s(text, fg=_SEVERITY_COLOUR[self.severity], bold=True)

    def bold(self, text: str) -> str:
        return self._s(text, bold=True)


def source_lines(text: str) -> list[str]:
    """Lines as lxml and pyparsing count them: split on ``\\n`` only, ``\\r`` dropped.

    (``str.splitlines`` would also split on form feeds and U+2028, shifting line numbers.)
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


# C0 controls but tab and line feed, DEL and C1: ESC sequences would drive the
# terminal, a stray carriage return would overwrite the line shown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _visible(found: re.Match[str]) -> str:
    char = found.group()
    return {"\n": "\\n", "\r": "\\r"}.get(char, f"\\x{ord(char):02x}")


def escape_controls(text: str, *, newlines: bool = True) -> str:
    r"""``text`` with control characters written as visible escapes (``\x1b``).

    Messages quote names and text from untrusted specs; printed raw, an ESC sequence
    reaches the terminal. ``newlines=False`` escapes line breaks too (``\n``), for text
    that must stay on one line.

    >>> print(escape_controls("a\x1b[2Jb\x07"))
    a\x1b[2Jb\x07
    >>> print(escape_controls("a\r\nb", newlines=False))
    a\r\nb
    """
    pattern = _CONTROL if newlines else _CONTROL_OR_NEWLINE
    return pattern.sub(_visible, text)


def message_lines(text: str) -> list[str]:
    r"""The lines of a message, help or note, safe to print in a CI log.

    Control characters are escaped; a line that would start with ``::`` (after the
    indentation the runner trims) gets a backslash first, because GitHub Actions runs
    such a line as a workflow command, and a newline in a quoted name could forge one.

    >>> print("\n".join(message_lines("undefined party 'x\n  ::error::forged'")))
    undefined party 'x
    \  ::error::forged'
    """
    lines = [escape_controls(line) for line in source_lines(text)]
    return ["\\" + line if line.lstrip().startswith("::") else line for line in lines]


def _char_width(ch: str) -> int:
    if ch == "\t":
        return TAB_WIDTH
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _display(line: str) -> str:
    """The line as printed: tabs expanded, control characters made visible."""
    out: list[str] = []
    for ch in line:
        if ch == "\t":
            out.append(" " * TAB_WIDTH)
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def _width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


def _col(line: str, column: int) -> int:
    """Display offset (0-based) of 1-based code-point ``column`` in ``line``.

    Columns past the end (a span at the end of a line or file) continue one cell each.
    """
    idx = max(column - 1, 0)
    return _width(line[:idx]) + max(idx - len(line), 0)


def _cell_width(line: str, column: int) -> int:
    idx = column - 1
    return max(_char_width(line[idx]), 1) if 0 <= idx < len(line) else 1


def render_text(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    color: bool = False,
    strict: bool = False,
) -> str:
    """Render ``diagnostics`` with snippets taken from ``sources`` (path → file text).

    Diagnostics whose file is not in ``sources`` are shown without a snippet. Each
    diagnostic ends with a blank line; the result is ``""`` for no diagnostics.

    >>> from wsla.diagnostics import Diagnostic, Severity, Span
    >>> d = Diagnostic("X002", Severity.ERROR, "not well-formed", Span("a.xml", 1, 4))
    >>> print(render_text([d], {"a.xml": "<a><b></a>"}), end="")
    a.xml:1:4: X002 not well-formed
      |
    1 | <a><b></a>
      |    ^ error
    <BLANKLINE>
    """
    split = _Lines(sources)
    return "".join(_render_one(d, split, color) for d in diagnostics)


class _Lines:
    """Source lines by path, split only for the files that diagnostics point into."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self._sources = sources
        self._split: dict[str, list[str]] = {}

    def __contains__(self, path: str) -> bool:
        return path in self._sources

    def __getitem__(self, path: str) -> list[str]:
        lines = self._split.get(path)
        if lines is None:
            lines = self._split[path] = source_lines(self._sources[path])
        return lines


def _render_one(d: Diagnostic, sources: _Lines, color: bool) -> str:
    style = _Style(color, d.severity)
    where = escape_controls(str(d.span), newlines=False) if d.span is not None else "<input>"
    first, *more = message_lines(d.message)
    out = [f"{style.bold(where)}: {style.code(d.code)} {style.bold(first)}"]
    # Continuation lines of a multi-line message are indented so the header stays parseable.
    out.extend(f"  {line}" for line in more)

    annotations: list[_Annotation] = []
    if d.span is not None:
        annotations.append(_Annotation(d.span, d.severity.value, True))
    annotations.extend(
        _Annotation(lb.span, escape_controls(lb.message, newlines=False), False) for lb in d.labels
    )

    # Group by file: the primary file first, then the others in order of appearance.
    files: dict[str | None, list[_Annotation]] = {}
    for ann in annotations:
        files.setdefault(ann.span.path, []).append(ann)
    shown = {path: anns for path, anns in files.items() if path is not None and path in sources}
    width = max(
        (len(str(a.last)) for anns in shown.values() for a in anns),
        default=1,
    )
    pad = " " * width
    first_group = True
    for path, anns in shown.items():
        if not first_group or d.span is None or path != d.span.path:
            head = anns[0].span
            out.append(f"{pad}{style.gutter('::: ')}{escape_controls(str(head), newlines=False)}")
        first_group = False
        out.extend(_snippet(anns, sources[path], width, style))

    tail: list[str] = []
    if d.help:
        tail.extend(_footer(pad, "help", d.help, style))
    for note in d.notes:
        tail.extend(_footer(pad, "note", note, style))
    if tail:
        if shown:
            out.append(f"{pad} {style.gutter('|')}")
        out.extend(tail)
    out.append("")
    return "\n".join(out) + "\n"


def _footer(pad: str, kind: str, text: str, style: _Style) -> list[str]:
    first, *more = message_lines(text)
    indent = " " * (len(pad) + len(kind) + 5)
    return [f"{pad} {style.gutter('=')} {style.bold(kind)}: {first}"] + [
        f"{indent}{line}" for line in more
    ]


def _snippet(anns: list[_Annotation], lines: list[str], width: int, style: _Style) -> list[str]:
    anns = sorted(anns, key=lambda a: (a.first, a.span.column, not a.primary))
    multi = [a for a in anns if a.multiline]
    single = [a for a in anns if not a.multiline]

    def text_of(n: int) -> str:
        return lines[n - 1] if 0 < n <= len(lines) else ""

    def slash(a: _Annotation) -> bool:
        # rustc draws "/" when the span starts at the line's first non-blank character.
        line = text_of(a.first)
        indent = len(line) - len(line.lstrip())
        return a.span.column - 1 <= indent

    wanted: set[int] = {a.first for a in single}
    for a in multi:
        if a.last - a.first + 1 <= _MAX_SPAN_LINES:
            wanted.update(range(a.first, a.last + 1))
        else:
            wanted.update((a.first, a.first + 1, a.last - 1, a.last))
    order = sorted(n for n in wanted if n > 0)

    def gutter(line_no: int, kind: str, upto: int | None = None) -> str:
        """Columns for the multi-line spans; ``kind`` 'src' for a source line, 'cont' below it."""
        cells: list[str] = []
        for k, a in enumerate(multi):
            if upto is not None and k >= upto:
                break
            if kind == "src":
                if line_no == a.first and slash(a):
                    cells.append(style.mark("/", a.primary))
                elif a.first < line_no <= a.last:
                    cells.append(style.mark("|", a.primary))
                else:
                    cells.append(" ")
            else:
                active = (a.first <= line_no < a.last) and (line_no > a.first or slash(a))
                cells.append(style.mark("|", a.primary) if active else " ")
            cells.append(" ")
        return "".join(cells)

    bar = style.gutter("|")
    blank_num = " " * width
    out = [f"{blank_num} {bar}"]
    prev: int | None = None
    for n in order:
        if prev is not None and n > prev + 1:
            out.append(style.gutter("..."))
        prev = n
        line = text_of(n)
        shown = _display(line)
        row = f"{style.gutter(str(n).rjust(width))} {bar} {gutter(n, 'src')}{shown}".rstrip()
        out.append(row)
        for a in single:
            if a.first != n:
                continue
            start = _col(line, a.span.column)
            end_col = a.span.end_column
            if end_col is not None and end_col >= a.span.column:
                end = _col(line, end_col) + _cell_width(line, end_col)
            else:
                end = start + _cell_width(line, a.span.column)
            marks = style.mark(("^" if a.primary else "-") * max(end - start, 1), a.primary)
            msg = f" {style.mark(a.message, a.primary)}" if a.message else ""
            out.append(f"{blank_num} {bar} {gutter(n, 'cont')}{' ' * start}{marks}{msg}")
        for k, a in enumerate(multi):
            ch = "^" if a.primary else "-"
            if a.first == n and not slash(a):
                start = _col(line, a.span.column)
                lead = gutter(n, "cont", upto=k)
                rest = 2 * (len(multi) - k) - 1 + start
                conn = style.mark("_" * rest + ch, a.primary)
                out.append(f"{blank_num} {bar} {lead} {conn}")
            if a.last == n:
                end_col = a.span.end_column or 1
                end = _col(line, end_col) + _cell_width(line, end_col)
                lead = gutter(n, "cont", upto=k)
                rest = 2 * (len(multi) - k) - 1 + end - 1
                msg = f" {style.mark(a.message, a.primary)}" if a.message else ""
                close = style.mark("|" + "_" * rest + ch, a.primary)
                out.append(f"{blank_num} {bar} {lead}{close}{msg}")
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    """The last line of text output, e.g. ``Found 3 errors, 1 warning in 2 files (5 files
    checked).`` or ``All checks passed (5 files).``

    >>> summary_line([], 1)
    'All checks passed (1 file).'
    """
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    infos = len(diagnostics) - errors - warnings
    if not errors and not warnings:
        tail = f"; {_plural(infos, 'note')}" if infos else ""
        return f"All checks passed ({_plural(files_checked, 'file')}){tail}."
    counts = [_plural(errors, "error")] if errors else []
    if warnings:
        counts.append(_plural(warnings, "warning"))
    if infos:
        counts.append(_plural(infos, "note"))
    paths = {d.span.path for d in diagnostics if d.span is not None and d.severity.rank > 0}
    where = f" in {_plural(len(paths), 'file')}" if paths else ""
    return f"Found {', '.join(counts)}{where} ({_plural(files_checked, 'file')} checked)."
