"""Reading inputs and writing outputs for the commands, the same way everywhere.

* ``-`` is standard input (or standard output);
* a spec is read with :func:`wsla.api.read_spec`, so every command reports the same
  codes for the same bad file (``C003`` binary, ``C004`` not UTF-8, ``X…``, ``D…``);
* outputs are written atomically (temporary file in the same directory, then
  :func:`os.replace`); an output that cannot be written is a usage error (exit 2),
  found before any work is done where possible.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from wsla.diagnostics import Diagnostic
    from wsla.model import Spec

STDIO = "-"
STDIN_NAME = "<stdin>"


def read_bytes(path: str | Path) -> tuple[bytes, str]:
    """The content of ``path`` (``-``: standard input) and the name to show for it."""
    from wsla.limits import DEFAULT_LIMITS

    cap = DEFAULT_LIMITS.max_input_bytes + 1  # read_spec refuses more (L101): read no more
    if str(path) == STDIO:
        return sys.stdin.buffer.read(cap), STDIN_NAME
    try:
        with Path(path).open("rb") as handle:
            return handle.read(cap), str(path)
    except OSError as exc:
        raise click.FileError(str(path), hint=exc.strerror or str(exc)) from None


def load_spec(path: str | Path) -> tuple[Spec | None, list[Diagnostic], str, str]:
    """``(spec or None, diagnostics, source text for snippets, shown name)``.

    ``spec`` is ``None`` when the file has errors; diagnostics carry the shown name.
    """
    from wsla.api import read_spec
    from wsla.diagnostics import has_errors
    from wsla.validation import display_text

    data, shown = read_bytes(path)
    spec, found = read_spec(data, shown)
    if has_errors(found):
        spec = None
    return spec, [d.with_path(shown) for d in found], display_text(data), shown


def check_writable(output: str | Path | None, option: str = "'-o'") -> None:
    """A usage error now, rather than an internal error after the work, when ``output``
    cannot be created (its directory is missing or not writable, or it is a directory)."""
    if output is None or str(output) == STDIO:
        return
    target = Path(output)
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise click.BadParameter(f"{str(output)!r} is a directory", param_hint=option)
    if not directory.is_dir():
        raise click.BadParameter(f"directory {str(directory)!r} does not exist", param_hint=option)
    if not os.access(directory, os.W_OK):
        raise click.BadParameter(f"cannot write in {str(directory)!r}", param_hint=option)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` so that readers see the old or the new file, never
    a half-written one (temporary file in the same directory, then ``os.replace``)."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    directory = path.parent if str(path.parent) else Path(".")
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=directory, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
        temp = Path(handle.name)
    try:
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_output(text: str, output: str | Path | None, option: str = "'-o'") -> None:
    """``text`` to standard output (``None`` or ``-``) or atomically to ``output``."""
    if output is None or str(output) == STDIO:
        click.echo(text, nl=False)
        return
    try:
        write_atomically(Path(output), text)
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {str(output)!r}: {exc.strerror or exc}", param_hint=option
        ) from None
