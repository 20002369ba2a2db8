"""``wsla graph``: print a spec's metric dependency graph.

Exit status: 0 printed, 1 the spec could not be read (its diagnostics go to stderr),
2 usage error (an unknown ``--focus`` name included).
"""

from __future__ import annotations

import difflib

import click

from wsla.cli.io import check_writable, load_spec, write_output
from wsla.graph_export import FORMATS

EXIT_FINDINGS = 1


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

    check_writable(output)
    model, found, text, shown = load_spec(spec)
    if model is None:
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
    write_output(export(g, output_format), output)
