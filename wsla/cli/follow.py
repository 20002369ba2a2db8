"""``wsla evaluate SPEC --follow [FILE]``: live evaluation of JSON Lines.

Reads JSON Lines from standard input (no FILE) or from a growing FILE (like ``tail -f``:
new lines are read as they are appended) and prints every outcome as one JSON line as
soon as it is known. Records are in the long format (``{"time": "…", "target": "…",
"value": …}``) or as ``--binding``/``--bind`` declare, exactly as for ``wsla evaluate``.

Event time comes from the data: the evaluation is a :class:`wsla.Monitor` on a clock
that stands at the newest record's time (minus ``--allowed-lateness``), so schedules tick
as the data passes them, whatever the wall clock says. The input ends at end of file on
standard input, or — following a file — after ``--idle-exit`` seconds without a new line
(by default it follows until interrupted); then the evaluation is finished and each SLO's
summary is printed as a last ``{"type": "summary", …}`` line.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import click

from wsla.diagnostics import Diagnostic

__all__ = ["add_follow_option", "follow", "follow_lines"]


def follow_lines(
    path: Path, *, poll: float = 0.2, idle_exit: float | None = None
) -> Iterator[str | None]:
    """The lines of ``path`` as they are appended; ``None`` whenever no complete line is
    waiting (a chance to flush output); ends after ``idle_exit`` seconds without one."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        partial = ""
        idle_since = time.monotonic()
        while True:
            chunk = handle.readline()
            if chunk:
                partial += chunk
                if partial.endswith("\n"):
                    line, partial = partial, ""
                    idle_since = time.monotonic()
                    yield line
                continue
            if idle_exit is not None and time.monotonic() - idle_since >= idle_exit:
                if partial.strip():
                    yield partial  # a last line without its newline
                return
            yield None
            time.sleep(poll)


def stream_lines(handle: IO[str]) -> Iterator[str | None]:
    """The lines of a stream (standard input) as they come, until end of file."""
    while True:
        line = handle.readline()
        if not line:
            return
        yield line


def follow(
    spec: Any,
    lines: Iterator[str | None],
    emit: Callable[[dict[str, Any]], None],
    report: Callable[[Diagnostic], None],
    *,
    source: str = "<stdin>",
    binding: Any = None,
    start: int | None = None,
    allowed_lateness_ns: int = 0,
    on_error: str = "report",
) -> int:
    """Evaluate ``lines`` live; ``emit`` each outcome's JSON, ``report`` each problem.

    Returns the number of records read. Raises :class:`wsla.sources.problems.DataAbort`
    under ``on_error="fail"`` at the first bad line.
    """
    from wsla.monitor import FakeClock, Monitor
    from wsla.runtime.plan import Plan, compile_plan
    from wsla.sources.binding import DEFAULT_BINDING, compile_table
    from wsla.sources.problems import DataProblems
    from wsla.sources.record import Origin
    from wsla.sources.targets import TargetIndex

    plan = spec if isinstance(spec, Plan) else compile_plan(spec)
    problems = DataProblems(on_error, keep=1_000)
    chosen = binding or DEFAULT_BINDING
    table = chosen.table_for(source) or chosen.tables[0]
    mapper = compile_table(table, TargetIndex.of_plan(plan), problems, text_is_typed=True)
    columns = mapper.columns
    clock: FakeClock | None = None
    monitor: Monitor | None = None
    shown = 0
    count = 0

    def show_problems() -> None:
        nonlocal shown
        kept = [d for d in problems.diagnostics() if d.code != "M014"]
        for found in kept[shown:]:
            report(found)
        shown = len(kept)

    def publish(outcomes: list[Any]) -> None:
        for outcome in outcomes:
            emit(outcome.to_json())

    for number, text in enumerate(lines, start=1):
        if text is None:
            continue
        if not text.strip():
            continue
        origin = Origin(source, number)
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError) as exc:
            problems.report("M001", f"not a usable JSON record: {exc}", origin)
            show_problems()
            continue
        if not isinstance(obj, dict):
            problems.report("M001", f"a record is a JSON object, not {type(obj).__name__}", origin)
            show_problems()
            continue
        missing = [c for c in columns if c not in obj]
        if missing:
            problems.report("M002", f"no field {', '.join(repr(c) for c in missing)}", origin)
            show_problems()
            continue
        records = mapper.map([obj[c] for c in columns], origin)
        show_problems()
        for t, target, value, _ in records:
            count += 1
            if monitor is None or clock is None:
                clock = FakeClock(t if start is None else start)
                monitor = Monitor(
                    plan,
                    clock=clock,
                    start=start,
                    allowed_lateness=allowed_lateness_ns / 1e9,
                )
            if t > clock.now_ns():
                clock.set(t)
            monitor.record(target, value, t)
        if monitor is not None:
            publish(monitor.tick())
    if monitor is not None:
        result = monitor.finish()
        publish(list(result.outcomes))
        for summary in result.summaries.values():
            emit({"type": "summary", **summary.to_json()})
        monitor.close()
    show_problems()
    return count


def _run_follow(
    *,
    spec: Path,
    inputs: list[str],
    binding: Path | None,
    bind: tuple[str, ...],
    start: int | None,
    allowed_lateness: int,
    on_error: str,
    idle_exit: float | None,
    poll: float,
) -> int:
    from wsla.cli.evaluate import EXIT_FINDINGS, EXIT_OK, _print_diagnostics
    from wsla.evaluation import EvaluationError, load_spec
    from wsla.runtime.plan import PlanError, compile_plan
    from wsla.sources.binding import Binding, BindingError, binding_from_options, load_binding
    from wsla.sources.problems import DataAbort

    if len(inputs) > 1:
        raise click.UsageError("--follow reads one FILE (or standard input)")
    try:
        plan = compile_plan(load_spec(spec))
    except (EvaluationError, PlanError) as exc:
        _print_diagnostics(exc.diagnostics)
        return EXIT_FINDINGS
    chosen: Binding | None = None
    try:
        if bind:
            chosen = binding_from_options(bind)
        elif binding is not None:
            chosen = load_binding(binding)
    except BindingError as exc:
        _print_diagnostics(exc.diagnostics)
        return EXIT_FINDINGS
    out = sys.stdout

    def emit(data: dict[str, Any]) -> None:
        out.write(json.dumps(data, separators=(",", ":")) + "\n")
        out.flush()

    def report(found: Diagnostic) -> None:
        _print_diagnostics([found])

    if inputs:
        source = inputs[0]
        lines: Iterator[str | None] = follow_lines(Path(source), poll=poll, idle_exit=idle_exit)
    else:
        source = "<stdin>"
        lines = stream_lines(sys.stdin)
    try:
        follow(
            plan,
            lines,
            emit,
            report,
            source=source,
            binding=chosen,
            start=start,
            allowed_lateness_ns=allowed_lateness,
            on_error=on_error,
        )
    except DataAbort as exc:
        _print_diagnostics([exc.diagnostic])
        click.echo("wsla: stopped at the first bad record (--on-error fail)", err=True)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return EXIT_OK
    return EXIT_OK


def add_follow_option(command: click.Command) -> click.Command:
    """Give ``wsla evaluate`` its ``--follow`` and ``--idle-exit`` options: with
    ``--follow`` the command runs :func:`follow` instead of the batch evaluation."""
    command.params.append(
        click.Option(
            ["--follow"],
            is_flag=True,
            help="Evaluate JSON Lines live from standard input (no FILE) or a growing FILE, "
            "printing each outcome as a JSON line as it occurs.",
        )
    )
    command.params.append(
        click.Option(
            ["--idle-exit"],
            type=float,
            default=None,
            metavar="SECONDS",
            help="With --follow FILE: stop after this many seconds without a new line "
            "(default: follow until interrupted).",
        )
    )
    batch = command.callback
    assert batch is not None

    def callback(**options: Any) -> Any:
        follow_flag = options.pop("follow", False)
        idle_exit = options.pop("idle_exit", None)
        if not follow_flag:
            if idle_exit is not None:
                raise click.UsageError("--idle-exit goes with --follow")
            return batch(**options)
        for flag in ("json_out", "trace", "end"):
            if options.get(flag):
                raise click.UsageError(f"--{flag.replace('_out', '')} does not go with --follow")
        if options.get("binding") is not None and options.get("bind"):
            raise click.UsageError("--binding and --bind exclude each other")
        sys.exit(
            _run_follow(
                spec=options["spec"],
                inputs=[*options["files"], *options["data"]],
                binding=options["binding"],
                bind=options["bind"],
                start=options["start"],
                allowed_lateness=options["allowed_lateness"],
                on_error=options["on_error"],
                idle_exit=idle_exit,
                poll=0.1,
            )
        )

    command.callback = callback
    return command
