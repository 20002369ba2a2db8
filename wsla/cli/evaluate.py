"""``wsla evaluate``: evaluate a spec's obligations over measurement data.

Prints a summary table per SLO; ``--json`` writes the result in the versioned format of
``docs/evaluation-json.md``; ``--trace`` shows the evidence of each violation.

Exit status: 0 evaluated (violations or not), 1 with ``--fail-on-violation`` when an SLO
was violated, and when the spec, the binding or (under ``--on-error fail``) the data
cannot be used; 2 usage error; 3 wsla itself failed.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from wsla.diagnostics import Diagnostic

if TYPE_CHECKING:
    from wsla.runtime.outcomes import Outcome

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|s|m|min|h|d)?\s*$")
_UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "min": 60_000_000_000,
    "h": 3_600_000_000_000,
    "d": 86_400_000_000_000,
}
TRACE_LIMIT = 20
"""Violations whose evidence the text output shows (the JSON output has all)."""


def parse_duration(text: str) -> int:
    """``250ms``, ``30s``, ``5m``, ``1h``, ``2d`` (a bare number is seconds) → ns."""
    found = _DURATION.match(text)
    if found is None:
        raise ValueError(text)
    from decimal import Decimal

    number = Decimal(found.group(1)) * _UNIT_NS[found.group(2) or "s"]
    return int(number)


class _Duration(click.ParamType[int]):
    name = "DURATION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_duration(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a duration such as 30s, 5m or 250ms", param, ctx)


class _Instant(click.ParamType[int]):
    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        from wsla.sources.timestamps import TimeFormat, TimestampError, parse_time

        try:
            return parse_time(str(value), TimeFormat.ISO)
        except TimestampError as exc:
            self.fail(f"{exc.message} (ISO 8601 with an offset, e.g. 2025-01-01T00:00:00Z)")


@click.command("evaluate", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "files", nargs=-1, type=click.Path(exists=True, dir_okay=False), metavar="[FILE]..."
)
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE",
    help="A measurement file (.csv, .jsonl, .ndjson, .parquet, .arrow/.feather; .gz for "
    "text). Repeatable; "
    "files may also follow SPEC directly.",
)
@click.option(
    "--binding",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Binding file (TOML, or JSON by extension) mapping wide tables to metrics.",
)
@click.option(
    "--bind",
    "bind",
    multiple=True,
    metavar="NAME=VALUE",
    help="Inline binding instead of a file: time=COL, time-format=ms, key=COL, "
    "COL=ResponseTime, COL=invocation, … (see docs/evaluate.md).",
)
@click.option("--from", "start", type=_Instant(), help="Window start (ISO 8601 with offset).")
@click.option("--to", "end", type=_Instant(), help="Window end (ISO 8601 with offset).")
@click.option(
    "--zone",
    metavar="ZONE",
    help="Time zone of timestamps written without an offset (IANA name or +01:00), for "
    "every table whose binding names none; without it they are errors (M003).",
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, allow_dash=True),
    metavar="OUT",
    help="Write the result as JSON (docs/evaluation-json.md) to OUT ('-' for stdout).",
)
@click.option(
    "--all-outcomes",
    is_flag=True,
    help="Include every parameter value and SLO evaluation in the JSON output.",
)
@click.option("--trace", is_flag=True, help="Show the evidence chain of each violation.")
@click.option(
    "--fail-on-violation", is_flag=True, help="Exit with status 1 when any SLO was violated."
)
@click.option(
    "--on-error",
    type=click.Choice(["report", "fail"]),
    default="report",
    show_default=True,
    help="A malformed record is reported and skipped, or stops the evaluation.",
)
@click.option(
    "--allowed-lateness",
    type=_Duration(),
    default="0s",
    show_default=True,
    help="How late a record may arrive and still be applied in event-time order.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "batch", "event"]),
    default="auto",
    show_default=True,
    help="batch: numpy, vectorized (auto: when numpy is installed); event: per event. "
    "Both give the same result.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Batch engine: compute independent metrics (per operation) on N threads.",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write a self-contained HTML report (charts need the 'report' extra).",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary table (errors still print).")
@click.option(
    "--traceback", "show_traceback", is_flag=True, help="Show tracebacks of internal errors."
)
def command(
    *,
    spec: Path,
    files: tuple[str, ...],
    data: tuple[str, ...],
    binding: Path | None,
    bind: tuple[str, ...],
    start: int | None,
    end: int | None,
    zone: str | None,
    json_out: str | None,
    all_outcomes: bool,
    trace: bool,
    fail_on_violation: bool,
    on_error: str,
    allowed_lateness: int,
    engine: str,
    jobs: int,
    html_out: str | None,
    quiet: bool,
    show_traceback: bool,
) -> None:
    """Evaluate SPEC's obligations over measurement data.

    Without a binding, files are in the long format time,target,value (ISO 8601 times);
    wide tables such as access logs need --binding or --bind.
    """
    inputs = [*files, *data]
    if not inputs:
        raise click.UsageError("no measurement data: give FILE arguments or --data FILE")
    if binding is not None and bind:
        raise click.UsageError("--binding and --bind exclude each other")
    if start is not None and end is not None and start > end:
        raise click.UsageError("--from is after --to")
    if zone is not None:
        from wsla.sources.timestamps import TimestampError, parse_zone

        try:
            parse_zone(zone)
        except TimestampError as exc:
            raise click.BadParameter(exc.message, param_hint="'--zone'") from None
    from wsla.cli.io import check_writable

    check_writable(json_out, "'--json'")
    check_writable(html_out, "'--html'")
    try:
        code = _run(
            spec=spec,
            inputs=inputs,
            binding=binding,
            bind=bind,
            start=start,
            end=end,
            zone=zone,
            json_out=json_out,
            all_outcomes=all_outcomes,
            trace=trace,
            fail_on_violation=fail_on_violation,
            on_error=on_error,
            allowed_lateness=allowed_lateness,
            engine=engine,
            jobs=jobs,
            html_out=html_out,
            quiet=quiet,
        )
    except click.ClickException:
        raise
    except Exception as exc:
        click.echo(f"wsla: internal error: {type(exc).__name__}: {exc}", err=True)
        if show_traceback:
            click.echo(traceback.format_exc().rstrip(), err=True)
        else:
            click.echo("wsla: rerun with --traceback for details", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(f"{d} [{d.severity.value}]", err=True)
        if d.help:
            click.echo(f"  help: {d.help}", err=True)


def _run(
    *,
    spec: Path,
    inputs: list[str],
    binding: Path | None,
    bind: tuple[str, ...],
    start: int | None,
    end: int | None,
    zone: str | None,
    json_out: str | None,
    all_outcomes: bool,
    trace: bool,
    fail_on_violation: bool,
    on_error: str,
    allowed_lateness: int,
    engine: str,
    jobs: int,
    html_out: str | None,
    quiet: bool,
) -> int:
    from wsla.evaluation import EvaluationError, evaluate
    from wsla.report.evaluation import render_json, render_summary, render_trace
    from wsla.sources.binding import Binding, BindingError, binding_from_options

    chosen: Binding | Path | None = binding
    if bind:
        try:
            chosen = binding_from_options(bind)
        except BindingError as exc:
            # --bind is an option: a malformed one is a usage error, like any bad option
            _print_diagnostics(exc.diagnostics)
            return EXIT_USAGE
    progress = _Progress() if _stderr_is_tty() else None
    try:
        result = evaluate(
            spec,
            inputs,
            binding=chosen,
            start=start,
            end=end,
            zone=zone,
            on_error=on_error,
            trace=trace,
            allowed_lateness_ns=allowed_lateness,
            # Parameter values are only written with --all-outcomes (or charted in the
            # HTML report); not keeping routine outcomes bounds memory on long inputs.
            parameter_values=all_outcomes or html_out is not None,
            progress=progress,
            engine=engine,
            jobs=jobs,
            keep=None if all_outcomes else _keeper(charts=html_out is not None),
        )
    except EvaluationError as exc:
        if progress is not None:
            progress.clear()
        _print_diagnostics(exc.diagnostics)
        click.echo("wsla: nothing was evaluated", err=True)
        return EXIT_FINDINGS
    if progress is not None:
        progress.clear()
    _print_diagnostics([*result.problems, *result.diagnostics])
    if json_out is not None:
        document = render_json(result, all_outcomes=all_outcomes, trace=trace)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if json_out == "-":
            click.echo(text, nl=False)
        else:
            Path(json_out).write_text(text, encoding="utf-8")
    if not quiet and json_out != "-":
        click.echo(render_summary(result), nl=False)
        if trace:
            click.echo(render_trace(result, limit=TRACE_LIMIT), nl=False)
    if html_out is not None:
        from wsla.evaluation import load_spec
        from wsla.report.html import render_html

        page = render_html(result, load_spec(spec))
        Path(html_out).write_text(page, encoding="utf-8")
    if result.records == 0 and result.problems:
        # every input was refused: an evaluation of nothing is no "evaluated" answer
        click.echo("wsla: no measurement could be used; nothing was evaluated", err=True)
        return EXIT_FINDINGS
    violated = any(s.violations for s in result.summaries.values())
    return EXIT_FINDINGS if fail_on_violation and violated else EXIT_OK


def _keeper(*, charts: bool) -> Callable[[Outcome], bool]:
    """Which outcomes to keep without --all-outcomes: all but the routine ones (the
    parameter values too when the HTML report charts them)."""
    from wsla.runtime.outcomes import ParameterValue, SLOEvaluation

    routine: tuple[type[Any], ...] = (SLOEvaluation,) if charts else (ParameterValue, SLOEvaluation)

    def keep(outcome: Outcome) -> bool:
        return not isinstance(outcome, routine)

    return keep


def _stderr_is_tty() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


class _Progress:
    """A one-line record counter on stderr, redrawn in place (terminals only)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.shown = False

    def __call__(self, count: int) -> None:
        self.stream.write(f"\rwsla: {count:,} records read")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False


# --follow: live evaluation of JSON Lines (wsla/cli/follow.py)
from wsla.cli.follow import add_follow_option  # noqa: E402

command = add_follow_option(command)
