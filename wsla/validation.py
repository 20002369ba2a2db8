"""Validate spec files: find them, read them, run every check, collect diagnostics.

For each file the format is recognised from its content (the first character other than
a byte-order mark or whitespace is ``<`` ⇒ WSLA XML, else the ``.wsla`` DSL), then:

* XML: the hardened parser, the 2002-dialect normalisation, the XSD, the model reader
  (:func:`wsla.xml.reader.load_xml`);
* DSL: :func:`wsla.dsl.reader.loads_dsl`, then the XSD on the model's XML form
  (:func:`wsla.xml.schema.validate_model`);
* both: the semantic rules (:func:`wsla.check.check`) once the spec was built without
  errors, so that one typo does not cascade into a dozen follow-up findings.

A broken file never stops the run: reading errors, bad input and even a crash of wsla
itself (``C090``) become diagnostics of that file and the next file is checked.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import traceback as tb
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic, has_errors
from wsla.limits import DEFAULT_LIMITS, Limits
from wsla.model.span import Span

if TYPE_CHECKING:
    from wsla.config import Config

__all__ = [
    "STDIN",
    "Outcome",
    "decode_dsl",
    "detect_format",
    "expand_paths",
    "validate_paths",
    "validate_run",
    "validate_source",
]

STDIN = "-"
STDIN_NAME = "<stdin>"
SUFFIXES = (".xml", ".wsla")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a validation run found: the diagnostics, and the text of every file checked
    (for snippets; ``""`` for a file that could not be read)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def internal_error(self) -> bool:
        return any(d.code == "C090" for d in self.diagnostics)


def detect_format(data: bytes) -> str:
    """``"xml"`` or ``"wsla"``, from content only.

    >>> detect_format(b"\\xef\\xbb\\xbf  <SLA/>"), detect_format(b"sla X {}")
    ('xml', 'wsla')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with a byte-order mark: only XML declares such encodings.
        return "xml"
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    return "xml" if head.startswith(b"<") else "wsla"


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[Diagnostic]]:
    """Files to check for the given arguments, in order and without repeats.

    A directory contributes its ``*.xml`` and ``*.wsla`` files at any depth, sorted, and
    skipping hidden directories (``.git``, ``.venv``, …); a file named explicitly is
    checked whatever its suffix; ``-`` is standard input.
    """
    files: list[str] = []
    found: list[Diagnostic] = []
    for arg in paths:
        if arg == STDIN:
            files.append(STDIN)
        elif os.path.isdir(arg):
            inside, skipped = _walk(arg)
            found.extend(
                diagnostic(
                    "C011",
                    f"skipped {link!r}: it is a link to {target!r}, outside {arg!r}, or to "
                    "something that is not a regular file",
                    Span(link, 1, 1),
                    help="name the file explicitly if it is meant to be checked",
                )
                for link, target in skipped
            )
            if not inside and not skipped:
                found.append(
                    diagnostic(
                        "C010",
                        f"no *.xml or *.wsla files in directory {arg!r}",
                        Span(arg, 1, 1),
                    )
                )
            files.extend(inside)
        elif os.path.lexists(arg):
            files.append(arg)
        else:
            found.append(diagnostic("C001", f"file not found: {arg!r}", Span(arg, 1, 1)))
    return list(dict.fromkeys(files)), found


def _walk(root: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Spec files below ``root``, and the ``(link, target)`` pairs skipped.

    A directory from a pull request may hold a link such as ``evil.wsla ->
    /proc/self/environ``: checking it would print the target's first line in a public CI
    log. Links are followed only to regular files inside ``root``; what a user names
    explicitly is always checked.
    """
    out: list[str] = []
    skipped: list[tuple[str, str]] = []
    inside = os.path.realpath(root)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.endswith(SUFFIXES):
                continue
            path = os.path.join(folder, name)
            real = os.path.realpath(path)
            regular = os.path.isfile(real) and stat.S_ISREG(os.stat(real).st_mode)
            within = os.path.commonpath([inside, real]) == inside
            if (os.path.islink(path) and not within) or not regular:
                skipped.append((path, real))
            else:
                out.append(path)
    return sorted(out, key=lambda p: Path(p).parts), skipped


def _read(path: str, stdin: BinaryIO | None, limits: Limits) -> bytes | Diagnostic:
    cap = limits.max_input_bytes
    name = STDIN_NAME if path == STDIN else path
    try:
        if path == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(cap + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(cap + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return diagnostic("C002", f"cannot read {name!r}: {reason}", Span(name, 1, 1))
    if len(data) > cap:
        return diagnostic(
            "L101",
            f"the input is larger than the limit of {cap:,} bytes",
            Span(name, 1, 1),
            help="raise Limits.max_input_bytes if the file is trusted",
        )
    return data


def display_text(data: bytes) -> str:
    """The file as text for snippets: its declared or marked encoding, else UTF-8;
    undecodable bytes are replaced, never fatal."""
    encoding = "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        m = _XML_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
        if m is not None:
            encoding = m.group(1).decode("ascii")
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8-sig", errors="replace")


def validate_source(data: bytes, path: str, *, traceback: bool = False) -> list[Diagnostic]:
    """Every finding for one file's content; never raises for any input.

    A failure of wsla itself becomes a ``C090`` diagnostic (with the traceback in its
    notes when ``traceback`` is true).
    """
    try:
        return _validate(data, path)
    except RecursionError:
        return [
            diagnostic(
                "L102",
                "the spec is nested too deeply to be read",
                Span(path, 1, 1),
                help="flatten deeply nested expressions",
            )
        ]
    except Exception as exc:
        notes = (tb.format_exc().rstrip(),) if traceback else ()
        return [
            diagnostic(
                "C090",
                f"internal error while checking this file: {type(exc).__name__}: {exc}",
                Span(path, 1, 1),
                help="this is a bug in wsla; rerun with --traceback and report it",
                notes=notes,
            )
        ]


def _validate(data: bytes, path: str) -> list[Diagnostic]:
    from wsla.api import read_spec

    spec, found = read_spec(data, path)
    if spec is not None and not has_errors(found):
        from wsla.check import check

        found = [*found, *check(spec)]
    return [d.with_path(path) for d in found]


def decode_dsl(data: bytes, path: str) -> str | Diagnostic:
    """The text of a ``.wsla`` file, or the diagnostic saying why it is not text."""
    if b"\x00" in data[:8192]:
        return diagnostic(
            "C003",
            "the file is binary (it contains NUL bytes), not a WSLA spec",
            Span(path, data[: data.index(b"\x00")].count(b"\n") + 1, 1),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return diagnostic(
            "C004",
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            Span(path, line, column),
            help="save the file as UTF-8",
        )
    if not text.strip():
        return diagnostic("C005", "the input is empty", Span(path, 1, 1))
    return text


def validate_run(
    paths: Sequence[str],
    config: Config | None = None,
    *,
    stdin: BinaryIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
    traceback: bool = False,
    after_each_file: Callable[[], object] | None = None,
) -> Outcome:
    """Validate ``paths`` (files, directories, ``-``) and keep the sources for rendering.

    Diagnostics come per file in the order of the files, each file's sorted by position;
    codes that ``config`` does not select are dropped (never ``C090``: a crash of wsla is
    always reported). ``after_each_file`` is called once each file is done (the CLI
    collects cyclic garbage there, see :func:`wsla.cli.validate.quiet_collector`).
    """
    files, found = expand_paths(paths)
    sources: dict[str, str] = {}
    for path in files:
        name = STDIN_NAME if path == STDIN else path
        data = _read(path, stdin, limits)
        if isinstance(data, Diagnostic):
            sources[name] = ""
            found.append(data)
            continue
        sources[name] = display_text(data)
        found.extend(sorted(validate_source(data, name, traceback=traceback), key=_position))
        if after_each_file is not None:
            after_each_file()
    if config is not None:
        found = [d for d in found if d.code == "C090" or config.enabled(d.code)]
    return Outcome(diagnostics=found, sources=sources)


def _position(d: Diagnostic) -> tuple[int, int, str]:
    if d.span is None:
        return (0, 0, d.code)
    return (d.span.line, d.span.column, d.code)


def validate_paths(paths: Sequence[str], config: Config | None = None) -> list[Diagnostic]:
    """Every finding for the files and directories in ``paths`` (``-`` reads stdin)."""
    return validate_run(paths, config).diagnostics
