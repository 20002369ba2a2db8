"""``wsla convert``: convert a spec between WSLA XML and the ``.wsla`` DSL.

The input format is detected from the content (the first character that is not
whitespace or a byte-order mark is ``<`` for XML), not from the file name. The output
format is ``--to``, else taken from the extension of ``-o``, else the other format.

Exit status: 0 converted; 1 the input has errors; 2 usage error; 3 internal error.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from wsla.cli.io import check_writable, load_spec, write_output
from wsla.diagnostics import has_errors

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@click.command("convert", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "source",
    metavar="IN",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of standard output.",
)
@click.option(
    "--to",
    "target",
    type=click.Choice(["xml", "wsla"]),
    default=None,
    help="Output format [default: from -o's extension, else the other format].",
)
def command(source: Path, output: Path | None, target: str | None) -> None:
    """Convert IN between WSLA XML and the .wsla DSL (IN may be - for standard input).

    The content is the same in both forms; comments are not carried across.
    """
    check_writable(output)
    try:
        status = _run(source, output, target)
    except Exception as exc:
        click.echo(f"wsla: internal error: {type(exc).__name__}: {exc}", err=True)
        if os.environ.get("WSLA_TRACEBACK"):
            traceback.print_exc()
        sys.exit(EXIT_INTERNAL)
    sys.exit(status)


def _run(source: Path, output: Path | None, target: str | None) -> int:
    from wsla.report.text import render_text

    spec, diagnostics, text_for_report, name = load_spec(source)
    if diagnostics:
        click.echo(render_text(diagnostics, {name: text_for_report}), err=True, nl=False)
    if spec is None or has_errors(diagnostics):
        return EXIT_FINDINGS
    source_format = "xml" if text_for_report.lstrip("\ufeff \t\r\n").startswith("<") else "wsla"
    if target is None and output is not None and output.suffix in (".xml", ".wsla"):
        target = output.suffix[1:]
    if target is None:
        target = "wsla" if source_format == "xml" else "xml"
    from wsla.api import dumps

    write_output(dumps(spec, format="xml" if target == "xml" else "wsla"), output)
    return EXIT_OK
