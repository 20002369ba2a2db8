"""``wsla explain CODE``: what a diagnostic code means, with a bad and a good example."""

from __future__ import annotations

import difflib
import shutil
import sys
import textwrap

import click

from wsla.codes import Code, lookup, registry


def explain_text(code: Code, width: int = 88) -> str:
    """The terminal form of a registry entry (the docs pages have the Markdown form)."""
    from wsla.codes.docs import family_of

    out = [
        f"{code.code}: {code.title}",
        "",
        f"Severity: {code.severity.value}    Family: {family_of(code.code)}",
        "",
    ]
    for para in code.explanation.split("\n\n"):
        out += [*textwrap.wrap(para, width=width), ""]
    for heading, example in (("Bad", code.bad), ("Good", code.good)):
        if example:
            out += [f"{heading} ({code.bad_lang}):", ""]
            out += [f"    {line}" if line else "" for line in example.split("\n")]
            out.append("")
    return "\n".join(out)


def listing() -> str:
    return "".join(f"{c.code}  {c.severity.value:<7}  {c.title}\n" for c in registry().values())


@click.command("explain", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("code", required=False)
def command(code: str | None) -> None:
    """Explain a diagnostic CODE (e.g. X002): its meaning, severity, and a bad and a
    good example. Without CODE, list every code."""
    if code is None:
        click.echo(listing(), nl=False)
        return
    entry = lookup(code.strip())
    if entry is None:
        known = list(registry())
        close = difflib.get_close_matches(code.strip().upper(), known, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        click.echo(f"Error: unknown diagnostic code {code!r}.{hint}", err=True)
        click.echo("Run 'wsla explain' to list every code.", err=True)
        sys.exit(2)
    width = min(shutil.get_terminal_size((88, 24)).columns, 88)
    click.echo(explain_text(entry, width=max(width, 40)), nl=False)
