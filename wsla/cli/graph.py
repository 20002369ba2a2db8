"""``wsla graph``: print a spec's metric dependency graph.

Exit status: 0 printed, 1 the spec could not be read (its diagnostics go to stderr),
2 usage error (an unknown ``--focus`` name included).
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wsla.graph_export import FORMATS

if TYPE_CHECKING:
    from wsla.diagnostics import Diagnostic
    from wsla.model import Spec

EXIT_FINDINGS = 1


def _load(path: str) -> tuple[Spec | None, list[Diagnostic], str]:
    """(spec or None, diagnostics, source text) for a file or ``-`` (stdin)."""
    from wsla.diagnostics import has_errors
    from wsla.validation import detect_format, display_text

    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    shown = "<stdin>" if path == "-" else path
    text = display_text(data)
    if detect_format(data) == "xml":
        from wsla.xml.reader import load_xml

        spec, found = load_xml(data, shown)
    else:
        from wsla.dsl.reader import loads_dsl

        spec, found = loads_dsl(text, shown)
    if has_errors(found):
        spec = None
    return spec, [d.with_path(shown) for d in found], text


def _write(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    target = Path(output)
    directory = target.parent if str(target.parent) else Path(".")
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, delete=False, suffix=".tmp"
    ) as handle:
        handle.write(text)
    os.replace(handle.name, target)


@click.command("graph", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "spec", metavar="SPEC", type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="dot",
    show_default=True,
    help="Graph format: Graphviz DOT, Mermaid flowchart, networkx node-link JSON, GraphML.",
)
@click.option(
    "--focus",
    metavar="NAME",
    help="Only NAME (a metric, parameter, SLO, guarantee or node id), what it depends on "
    "and what depends on it.",
)
@click.option("-o", "--output-file", "output", metavar="FILE", help="Write to FILE.")
def command(spec: str, output_format: str, focus: str | None, output: str | None) -> None:
    """Print the dependency graph of SPEC (WSLA XML or .wsla; - reads stdin).

    Nodes run from measurement directives through metrics and functions to SLA
    parameters, SLOs, guarantees and actions; edges point the way values flow.
    """
    from wsla.graph import build_graph, find
    from wsla.graph import focus as focus_on
    from wsla.graph_export import export
    from wsla.report.text import render_text

    try:
        model, found, text = _load(spec)
    except OSError as exc:
        raise click.FileError(spec, hint=exc.strerror or str(exc)) from None
    if model is None:
        shown = "<stdin>" if spec == "-" else spec
        click.echo(render_text(found, {shown: text}), err=True, nl=False)
        raise SystemExit(EXIT_FINDINGS)
    g = build_graph(model)
    if focus is not None:
        if not find(g, focus):
            names = sorted({str(d.get("name", "")) for _n, d in g.nodes(data=True)})
            close = difflib.get_close_matches(focus, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise click.BadParameter(f"no node named {focus!r}{hint}", param_hint="--focus")
        g = focus_on(g, focus)
    _write(export(g, output_format), output)
