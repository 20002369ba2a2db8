"""``wsla fmt``: rewrite ``.wsla`` files in canonical form, keeping their comments.

Exit status: 0 all files formatted (or, with ``--check``, already canonical); 1 a file
would change under ``--check``, or a file does not parse; 2 usage error; 3 internal error.
"""

from __future__ import annotations

import difflib
import os
import sys
import traceback
from pathlib import Path

import click

from wsla.cli.io import write_atomically

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given, and every ``*.wsla`` below each directory (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(path.rglob("*.wsla")))
        else:
            out.append(path)
    return out


@click.command("fmt", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    metavar="PATH...",
    type=click.Path(exists=True, path_type=Path),
)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would change.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the changes.")
def command(paths: tuple[Path, ...], check: bool, show_diff: bool) -> None:
    """Format .wsla files (directories: every *.wsla below them) canonically."""
    try:
        status = _run(paths, check, show_diff)
    except Exception as exc:
        click.echo(f"wsla: internal error: {type(exc).__name__}: {exc}", err=True)
        if os.environ.get("WSLA_TRACEBACK"):
            traceback.print_exc()
        sys.exit(EXIT_INTERNAL)
    sys.exit(status)


def _run(paths: tuple[Path, ...], check: bool, show_diff: bool) -> int:
    from wsla.diagnostics import Diagnostic
    from wsla.dsl import format_source
    from wsla.report.text import render_text
    from wsla.validation import decode_dsl, detect_format, display_text

    status = EXIT_OK
    changed: list[Path] = []
    for path in expand(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            click.echo(f"{path}: cannot read: {exc.strerror or exc}", err=True)
            status = EXIT_FINDINGS
            continue
        if detect_format(data) == "xml":
            click.echo(
                f"{path}: this is WSLA XML; wsla fmt formats .wsla files "
                f"(wsla convert {path} --to wsla makes one)",
                err=True,
            )
            status = EXIT_FINDINGS
            continue
        text_or_error = decode_dsl(data, str(path))
        if isinstance(text_or_error, Diagnostic):
            shown = {str(path): display_text(data)}
            click.echo(render_text([text_or_error], shown), err=True, nl=False)
            status = EXIT_FINDINGS
            continue
        text = text_or_error
        formatted, diagnostics = format_source(text, str(path))
        if formatted is None:
            click.echo(render_text(diagnostics, {str(path): text}), err=True, nl=False)
            status = EXIT_FINDINGS
            continue
        if formatted == text:
            continue
        changed.append(path)
        if show_diff:
            diff = difflib.unified_diff(
                text.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                fromfile=f"{path} (original)",
                tofile=f"{path} (formatted)",
            )
            click.echo("".join(diff), nl=False)
        if not check:
            write_atomically(path, formatted)
    for path in changed:
        if check:
            click.echo(f"would reformat {path}", err=True)
        else:
            click.echo(f"reformatted {path}", err=True)
    if check and changed:
        status = EXIT_FINDINGS
    return status
