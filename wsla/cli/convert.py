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

from wsla.diagnostics import Diagnostic, has_errors

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def is_xml(data: bytes) -> bool:
    """True when the first significant character of ``data`` is ``<``."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<")


@click.command("convert", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "source", metavar="IN", type=click.Path(exists=True, dir_okay=False, path_type=Path)
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
    """Convert IN between WSLA XML and the .wsla DSL."""
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

    data = source.read_bytes()
    name = str(source)
    diagnostics: list[Diagnostic]
    text_for_report: str
    if is_xml(data):
        from wsla.xml.reader import load_xml

        spec, diagnostics = load_xml(data, name)
        source_format = "xml"
        text_for_report = data.decode("utf-8", errors="replace")
    else:
        from wsla.dsl.reader import loads_dsl

        try:
            text_for_report = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            click.echo(f"{name}: not UTF-8 text: {exc}", err=True)
            return EXIT_FINDINGS
        spec, diagnostics = loads_dsl(text_for_report, name)
        source_format = "wsla"
    if diagnostics:
        click.echo(render_text(diagnostics, {name: text_for_report}), err=True, nl=False)
    if spec is None or has_errors(diagnostics):
        return EXIT_FINDINGS
    if target is None and output is not None and output.suffix in (".xml", ".wsla"):
        target = output.suffix[1:]
    if target is None:
        target = "wsla" if source_format == "xml" else "xml"
    if target == "xml":
        from wsla.xml.writer import dumps_xml

        result = dumps_xml(spec)
    else:
        from wsla.dsl.printer import dumps_dsl

        result = dumps_dsl(spec).encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(result)
        sys.stdout.flush()
    else:
        from wsla.cli.fmt import write_atomically

        write_atomically(output, result.decode("utf-8"))
    return EXIT_OK
