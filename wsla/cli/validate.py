"""``wsla validate``: check specs, made for terminals and for CI.

Exit status: 0 nothing failed, 1 an error (or a warning under ``--strict``), 2 a usage
or configuration error, 3 wsla itself failed (a short message; the traceback only with
``--traceback``).
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from wsla.config import FORMAT_NAMES, ConfigError, check_selectors, load_config
from wsla.diagnostics import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class ConfigProblem(click.ClickException):
    """A bad configuration file or selector: a usage error, exit status 2."""

    exit_code = EXIT_USAGE


def _env_flag(name: str) -> bool:
    return bool(os.environ.get(name, ""))


def use_colour(choice: str, stream: TextIO) -> bool:
    """``--color``: ``auto`` follows NO_COLOR, then FORCE_COLOR, then whether ``stream``
    is a terminal (https://no-color.org, https://force-color.org)."""
    if choice != "auto":
        return choice == "always"
    if _env_flag("NO_COLOR"):
        return False
    if _env_flag("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Automatic cyclic garbage collection off for the block (this process only); call
    :func:`gc.collect` between files instead.

    A validate run builds, per file, an lxml tree and a model of tens of thousands of
    objects that are freed by reference counting (the model is acyclic). The automatic
    collector would only traverse them again and again while they are built and checked:
    about a third of the CPU time of checking a 10 MB spec, a tenth of reading it
    (`benchmarks/validate.py --gc default`). Parsing a ``.wsla`` file does leave a few
    thousand objects in cycles, so the command collects once per file: memory stays
    bounded however many files a run checks. The objects alive on entry (imported
    modules) are frozen, so those collections do not traverse them either. Library
    functions only pause the collector while they build a model (the XML and ``.wsla``
    readers, restoring the state they found); freezing and per-file collections are this
    command's alone.
    """
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def pick_format(name: str) -> str:
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@click.command("validate", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="Output format [default: the config's, else auto: github under GitHub Actions, "
    "else text].",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output (auto honours NO_COLOR and FORCE_COLOR).",
)
@click.option(
    "--strict/--no-strict",
    default=None,
    help="Fail on warnings too [default: the config's, else no].",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODE",
    help="Report only these codes or prefixes (repeatable, or comma-separated).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODE",
    help="Never report these codes or prefixes (repeatable, or comma-separated).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the files and configuration used.")
@click.option(
    "--traceback", "show_traceback", is_flag=True, help="Show tracebacks of internal errors."
)
def command(
    *,
    paths: tuple[str, ...],
    output_format: str | None,
    output_file: Path | None,
    colour: str,
    strict: bool | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    show_traceback: bool,
) -> None:
    """Validate WSLA specs: XML or .wsla files, directories (searched for *.xml and
    *.wsla), or - for standard input.

    Each spec is checked against the WSLA XSD and the semantic rules. Settings can also
    live in [tool.wsla] of pyproject.toml or in wsla.toml.

    \b
    Exit status:
      0  no errors (and no warnings with --strict)
      1  errors found (or warnings with --strict)
      2  usage or configuration error
      3  internal error of wsla
    """
    from wsla.cli.io import check_writable

    check_writable(output_file, "'-o' / '--output-file'")
    try:
        code = _run(
            paths=paths,
            output_format=output_format,
            output_file=output_file,
            colour=colour,
            strict=strict,
            select=select,
            ignore=ignore,
            quiet=quiet,
            verbose=verbose,
            show_traceback=show_traceback,
        )
    except click.ClickException:
        raise
    except Exception as exc:
        if show_traceback:
            traceback.print_exc()
        click.echo(f"wsla: internal error: {type(exc).__name__}: {exc}", err=True)
        if not show_traceback:
            click.echo("wsla: rerun with --traceback for details", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


def _run(
    *,
    paths: tuple[str, ...],
    output_format: str | None,
    output_file: Path | None,
    colour: str,
    strict: bool | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    show_traceback: bool,
) -> int:
    # A path that does not exist is a mistake in the command (a typo in a CI job), not a
    # finding: a usage error, as check-jsonschema does. (The Python API reports C001.)
    for path in paths:
        if path != "-" and not os.path.lexists(path):
            raise click.BadParameter(f"Path {path!r} does not exist.", param_hint="'PATH...'")

    try:
        config = load_config().merged(
            select=select, ignore=ignore, strict=strict, format=output_format
        )
        selectors = (*config.select, *config.ignore)
        if selectors:
            # Loading every code family costs a few ms of start-up: only to check selectors.
            from wsla.codes import registry

            check_selectors(selectors, registry())
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None

    from wsla.report import get_renderer
    from wsla.validation import validate_run

    fmt = pick_format(config.format or "auto")
    if verbose:
        where = config.source or "none found; defaults"
        click.echo(f"wsla: configuration: {where}", err=True)

    with quiet_collector():
        outcome = validate_run(paths, config, traceback=show_traceback, after_each_file=gc.collect)
    if verbose:
        for path in outcome.sources:
            click.echo(f"wsla: checked {path}", err=True)

    out: TextIO = sys.stdout
    with (
        output_file.open("w", encoding="utf-8", newline="\n")
        if output_file is not None
        else _NoClose(out)
    ) as stream:
        colourful = use_colour(colour, stream) if fmt == "text" else False
        render = get_renderer(fmt)
        report = render(outcome.diagnostics, outcome.sources, color=colourful, strict=config.strict)
        if fmt in ("text", "concise") and not quiet:
            from wsla.report.text import summary_line

            report += summary_line(outcome.diagnostics, len(outcome.sources)) + "\n"
        stream.write(report)

    if outcome.internal_error:
        failed = sum(d.code == "C090" for d in outcome.diagnostics)
        click.echo(
            f"wsla: internal error while checking {failed} file{'s' if failed > 1 else ''}"
            + ("" if show_traceback else "; rerun with --traceback for details"),
            err=True,
        )
        return EXIT_INTERNAL
    threshold = Severity.WARNING.rank if config.strict else Severity.ERROR.rank
    failing = any(d.severity.rank >= threshold for d in outcome.diagnostics)
    return EXIT_FINDINGS if failing else EXIT_OK


class _NoClose:
    """Standard output as a context manager that is not closed on exit."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __enter__(self) -> TextIO:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        self.stream.flush()
