"""Evaluate a spec over measurement data: the API behind ``wsla evaluate``.

>>> result = wsla.evaluate("sla.xml", ["requests.csv", "probes.csv"],
...                        binding="workload.binding.toml")          # doctest: +SKIP
>>> for v in result.violations():                                    # doctest: +SKIP
...     print(v.time, v.slo, v.values)

The spec is loaded and checked (a spec with errors is refused, never half-run), the
inputs are read lazily (files stream in chunks, memory stays bounded) and merged by
event time, and every record is fed to the per-event engine
(:class:`wsla.runtime.engine.Evaluator`). The result is the engine's
:class:`~wsla.runtime.engine.Result`, extended with the data problems found on the way
(codes ``M``: malformed records with their file and line).

Exceptions: :class:`EvaluationError` (carrying diagnostics) when the spec, the binding
or, under ``on_error="fail"``, the data cannot be used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from wsla.api import WslaError
from wsla.diagnostics import Diagnostic, has_errors
from wsla.model import Spec
from wsla.runtime.engine import Evaluator, Result
from wsla.runtime.outcomes import LateRecord, Outcome
from wsla.runtime.plan import Plan, PlanError, compile_plan
from wsla.sources.binding import (
    DEFAULT_BINDING,
    Binding,
    BindingError,
    RawRecord,
    load_binding,
    parse_binding,
    with_zone,
)
from wsla.sources.problems import KEEP_PER_CODE, DataAbort, DataProblems, OnError
from wsla.sources.reader import detect_format, read_raw
from wsla.sources.record import Origin
from wsla.sources.targets import TargetIndex
from wsla.sources.timestamps import TimeFormat, TimestampError, parse_time

__all__ = [
    "EvaluationError",
    "EvaluationResult",
    "evaluate",
    "load_spec",
    "parse_instant",
]

DataInput = str | Path | Iterable[Any]
"""A data file path, an Arrow table, or an iterable of records, tuples or row mappings."""


class EvaluationError(WslaError):
    """The evaluation could not run; ``diagnostics`` say why."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(str(d) for d in self.diagnostics) or "evaluation failed")


@dataclass(frozen=True, slots=True)
class EvaluationResult(Result):
    """The engine's result plus what was found in the data.

    ``problems`` are the kept data diagnostics (codes ``M``, each with its file and
    line), ``problem_counts`` every problem counted by code, ``unused_rows`` the rows
    that fed no metric of this spec (a log may hold more than a spec measures),
    ``inputs`` the sources read, ``spec_name`` the SLA's name and ``spec_source`` its path
    when read from a file.
    """

    problems: tuple[Diagnostic, ...] = ()
    problem_counts: Mapping[str, int] = field(default_factory=dict)
    unused_rows: int = 0
    inputs: tuple[str, ...] = ()
    spec_name: str | None = None
    spec_source: str | None = None


# ------------------------------------------------------------------------------ spec


def load_spec(path: str | Path) -> Spec:
    """Read and check the spec at ``path`` (WSLA XML or ``.wsla``).

    Raises :class:`EvaluationError` with every error found (warnings do not stop it).
    """
    from wsla.codes import diagnostic
    from wsla.model.span import Span

    name = str(path)
    try:
        from wsla.limits import DEFAULT_LIMITS

        with Path(path).open("rb") as handle:  # no more than read_spec will accept (L101)
            data = handle.read(DEFAULT_LIMITS.max_input_bytes + 1)
    except OSError as exc:
        raise EvaluationError(
            [diagnostic("C001", f"cannot read {name}: {exc.strerror or exc}", Span(name, 1, 1))]
        ) from None
    from wsla.api import read_spec

    spec, found = read_spec(data, name)
    if spec is not None and not has_errors(found):
        from wsla.check import check

        found = [*found, *check(spec)]
    errors = [d.with_path(name) for d in found if d.is_error]
    if spec is None or errors:
        raise EvaluationError(errors or [d.with_path(name) for d in found])
    return spec


def _plan(spec: Spec | Plan | str | Path) -> Plan:
    if isinstance(spec, Plan):
        return spec
    model = spec if isinstance(spec, Spec) else load_spec(spec)
    try:
        return compile_plan(model)
    except PlanError as exc:
        raise EvaluationError(exc.diagnostics) from None


# ---------------------------------------------------------------------------- inputs


def parse_instant(value: int | datetime | str | None) -> int | None:
    """A window bound: epoch ns, an aware ``datetime``, or ISO 8601 text with an offset."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    try:
        return parse_time(value, TimeFormat.ISO)
    except TimestampError as exc:
        from wsla.codes import diagnostic

        raise EvaluationError([diagnostic(exc.code, f"window bound: {exc.message}")]) from None


def _binding(binding: Binding | str | Path | Mapping[str, Any] | None) -> Binding | None:
    if binding is None or isinstance(binding, Binding):
        return binding
    try:
        if isinstance(binding, Mapping):
            import json

            return parse_binding(json.dumps(binding), source="<binding>", json_syntax=True)
        return load_binding(binding)
    except BindingError as exc:
        raise EvaluationError(exc.diagnostics) from None


def _inputs(data: DataInput | Sequence[DataInput]) -> list[DataInput]:
    if isinstance(data, str | Path):
        return [data]
    if isinstance(data, Sequence) and data and all(isinstance(d, str | Path) for d in data):
        return list(data)
    if isinstance(data, list | tuple) and data and all(_is_table(d) for d in data):
        return list(data)
    return [data]


def _is_table(data: object) -> bool:
    return type(data).__module__.startswith("pyarrow") and hasattr(data, "schema")


def _describe(data: DataInput) -> str:
    if isinstance(data, str | Path):
        return str(data)
    return "<arrow>" if _is_table(data) else "<data>"


# -------------------------------------------------------------------------- evaluate


def evaluate(
    spec: Spec | Plan | str | Path,
    data: DataInput | Sequence[DataInput],
    *,
    binding: Binding | str | Path | Mapping[str, Any] | None = None,
    start: int | datetime | str | None = None,
    end: int | datetime | str | None = None,
    zone: str | None = None,
    on_error: OnError | str = OnError.REPORT,
    trace: bool = False,
    allowed_lateness_ns: int = 0,
    parameter_values: bool = True,
    progress: Callable[[int], None] | None = None,
    engine: str = "auto",
    keep: Callable[[Outcome], bool] | None = None,
    jobs: int = 1,
) -> EvaluationResult:
    """Evaluate ``spec`` over ``data`` and return the result.

    ``spec`` is a :class:`~wsla.model.Spec`, a compiled plan or a path. ``data`` is a file
    path (``.csv``, ``.jsonl``, ``.parquet``, …), a list of them, an Arrow table, or an
    iterable of :class:`~wsla.sources.record.Record` objects, ``(time, target, value)``
    tuples or row mappings. ``binding`` (a :class:`~wsla.sources.binding.Binding`, a TOML
    or JSON file, or its content as a dict) maps wide tables to the spec's metrics;
    without one, files are in the long format ``time,target,value``. ``start``/``end``
    fix the evaluation window (epoch ns, aware datetime or ISO 8601 text); by default it
    runs from the first record to the last. ``zone`` (an IANA name or an offset) is the
    zone of naive ISO timestamps for every table whose binding names none (without it a
    naive timestamp is an M003 problem). ``on_error="fail"`` stops at the first
    malformed record. ``trace`` keeps the evidence for ``result.explain(violation)``.
    ``progress`` is called now and then with the number of records read so far.
    ``engine``: ``"batch"`` (numpy, :mod:`wsla.runtime.batch`), ``"event"`` (the
    per-event engine) or ``"auto"`` (batch when numpy is installed); both give the same
    result. ``keep`` keeps only the outcomes it accepts (bounded memory on long runs;
    summaries and counts are complete whatever it drops). ``jobs``: the batch engine
    computes independent metrics (e.g. per operation) on that many threads.
    """
    plan = _plan(spec)
    table_binding = _binding(binding)
    if zone is not None:
        try:
            table_binding = with_zone(table_binding or DEFAULT_BINDING, zone)
        except BindingError as exc:
            raise EvaluationError(exc.diagnostics) from None
    begin, finish_at = parse_instant(start), parse_instant(end)
    problems = DataProblems(on_error)
    inputs = _inputs(data)
    index = TargetIndex.of_plan(plan)
    evaluator = Evaluator(
        plan,
        allowed_lateness_ns=allowed_lateness_ns,
        start=begin,
        end=finish_at,
        trace=trace,
        parameter_values=parameter_values,
    )
    if _use_batch(engine):
        options: dict[str, Any] = {
            "allowed_lateness_ns": allowed_lateness_ns,
            "start": begin,
            "end": finish_at,
            "trace": trace,
            "parameter_values": parameter_values,
            "jobs": jobs,
        }
        # late records are reported (M017) from the first ones the engine emits, whatever
        # the caller keeps; the engine counts them all
        late = _LateRecords(keep) if keep is not None else None
        done = _evaluate_batch(
            plan, inputs, table_binding, index, on_error, options, progress, late or keep, engine
        )
        if done is not None:
            result, found = done
            if result.late_records:
                first = late.first if late is not None else result.outcomes
                _report_late(first, result.late_records, found)
            return _extend(result, plan, found, inputs, spec)
    records = read_raw(inputs, table_binding, index, problems)
    if progress is not None:
        records = _counting(records, progress)
    try:
        # the sources' tuples are exactly what the engine's fast loop takes
        evaluator.feed_rows(records)
    except DataAbort as stop:
        raise EvaluationError([stop.diagnostic]) from None
    result = evaluator.finish(finish_at)
    if result.late_records:
        _report_late(result.outcomes, result.late_records, problems)
    if keep is not None:
        result = dataclasses.replace(result, outcomes=tuple(o for o in result.outcomes if keep(o)))
    return _extend(result, plan, problems, inputs, spec)


ENGINES = ("auto", "batch", "event")


def _use_batch(engine: str) -> bool:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "event":
        return False
    from wsla.runtime.batch import numpy_available

    return numpy_available()


def _evaluate_batch(  # noqa: PLR0917 (evaluate's own arguments, passed on)
    plan: Plan,
    inputs: list[DataInput],
    binding: Binding | None,
    index: TargetIndex,
    on_error: OnError | str,
    options: dict[str, Any],
    progress: Callable[[int], None] | None,
    keep: Callable[[Outcome], bool] | None,
    engine: str,
) -> tuple[Result, DataProblems] | None:
    """Columns straight from Parquet/CSV when the binding allows, else the row readers
    feeding the batch engine (see ``docs/batch.md``). None: ``engine="auto"`` and the
    spec has nothing the batch engine vectorizes (the per-event engine it is)."""
    from wsla.runtime.batch import BatchEvaluator
    from wsla.runtime.batch_files import Unsupported, file_streams

    problems = DataProblems(on_error)
    batch = BatchEvaluator(plan, keep=keep, **options)
    if engine == "auto" and not batch.vectorized_targets:
        return None
    try:
        seen = 0
        vectorized = frozenset(batch.vectorized_targets)
        for streams in file_streams(inputs, binding, index, problems, vectorized):
            batch.feed_streams(streams)
            if progress is not None:
                seen += sum(len(s[0]) for s in streams)
                progress(seen)
        return batch.finish(options["end"]), problems
    except Unsupported:
        pass  # from the start, through the row readers (they report what is wrong)
    problems = DataProblems(on_error)
    if isinstance(keep, _LateRecords):
        keep.first.clear()  # the outcomes of the attempt given up
    batch = BatchEvaluator(plan, keep=keep, **options)
    records = read_raw(inputs, binding, index, problems)
    if progress is not None:
        records = _counting(records, progress)
    try:
        batch.feed_rows(records)
    except DataAbort as stop:
        raise EvaluationError([stop.diagnostic]) from None
    return batch.finish(options["end"]), problems


def _counting(records: Iterator[RawRecord], progress: Callable[[int], None]) -> Iterator[RawRecord]:
    count = 0
    for record in records:
        count += 1
        if not count & 0xFFFF:
            progress(count)
        yield record
    progress(count)


class _LateRecords:
    """A ``keep`` that also holds the first late records the engine emits (the ones
    reported with their place), so that M017 does not depend on what the caller keeps
    and memory stays bounded."""

    def __init__(self, keep: Callable[[Outcome], bool]) -> None:
        self.keep = keep
        self.first: list[LateRecord] = []

    def __call__(self, outcome: Outcome) -> bool:
        if isinstance(outcome, LateRecord) and len(self.first) < KEEP_PER_CODE:
            self.first.append(outcome)
        return self.keep(outcome)


def _report_late(outcomes: Iterable[Outcome], total: int, problems: DataProblems) -> None:
    """M017 for the first late records, at their file and line, the rest counted (M014
    says how many), as for every data code."""
    from wsla.runtime.values import ns_to_iso

    shown = 0
    for outcome in outcomes:
        if shown == problems.keep:
            break
        if not isinstance(outcome, LateRecord):
            continue
        shown += 1
        problems.report(
            "M017",
            f"record for {outcome.target} at {ns_to_iso(outcome.record_time)} is older than "
            f"the watermark {ns_to_iso(outcome.watermark)}: counted, not applied",
            _origin(outcome.origin),
            help="sort the input by time, or allow lateness (--allowed-lateness)",
        )
    problems.tally("M017", total - shown)


def _origin(text: str | None) -> Origin | None:
    """The engine keeps a record's origin as ``file:line`` text; back to an Origin."""
    if text is None:
        return None
    source, _, line = text.rpartition(":")
    if source and line.isdigit():
        return Origin(source, int(line))
    return Origin(text, 1)


def _extend(
    result: Result,
    plan: Plan,
    problems: DataProblems,
    inputs: list[DataInput],
    spec: Spec | Plan | str | Path,
) -> EvaluationResult:
    base = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    return EvaluationResult(
        **base,
        problems=tuple(problems.diagnostics()),
        problem_counts=dict(sorted(problems.counts.items())),
        unused_rows=problems.unused,
        inputs=tuple(_describe(d) for d in inputs),
        spec_name=plan.spec.name,
        spec_source=str(spec) if isinstance(spec, str | Path) else None,
    )


def input_formats(inputs: Sequence[str]) -> dict[str, str | None]:
    """The format of each input path (``csv``, ``jsonl``, ``parquet``, ``arrow``, …;
    None = unknown)."""
    out: dict[str, str | None] = {}
    for path in inputs:
        suffix = detect_format(path)
        out[path] = None if suffix is None else suffix.lstrip(".").split(".")[0]
    return out
