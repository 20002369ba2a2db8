"""Schedules and time: intervals, periods, validity, calendar periods (codes ``S…``).

Calendar period syntax (reference §5): ``ConditionTime`` an ISO 8601 instant; month, day,
weekday and hour masks of 12, 31, 7 and 24 characters ``0``/``1``; ``ConditionTimeZone`` an
IANA zone name or a fixed offset ``±hh:mm``; ``ConditionLocalOrUtcTime`` ``Local`` or ``UTC``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from wsla.check import rule
from wsla.check.scope import Context, MetricEntry
from wsla.check.walk import obligation_refs, resolved_metric_refs
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic, Label
from wsla.model import (
    CalendarPeriod,
    Interval,
    MeasurementDirective,
    OnSchedule,
    Period,
    RateOfChange,
    Schedule,
    ServiceLevelObjective,
    Span,
    Spec,
    Status,
    TimePeriod,
)

_OFFSET = re.compile(r"^[+-](?:[01]\d|2[0-3]):[0-5]\d$")
_MASKS: tuple[tuple[str, str, int, str], ...] = (
    ("month_of_year_mask", "ConditionMonthOfYearMask", 12, "one per month, January first"),
    ("day_of_month_mask", "ConditionDayOfMonthMask", 31, "one per day of the month"),
    ("day_of_week_mask", "ConditionDayOfWeekMask", 7, "one per weekday, Monday first"),
    ("time_of_day_mask", "ConditionTimeOfDayMask", 24, "one per hour, 00–01 first"),
)


def _interval_problem(interval: Interval) -> str | None:
    parts = {p: getattr(interval, p) for p in Interval.PARTS}
    negative = [p for p, v in parts.items() if v is not None and v < 0]
    if negative:
        return f"has a negative {negative[0]}"
    if interval.total_months() == 0 and interval.fixed_milliseconds() == 0:
        return "is zero"
    return None


def _intervals(ctx: Context) -> Iterator[tuple[str, str | None, Interval, Span | None]]:
    """(description template, name, interval, span): the description is formatted only
    for a finding (``template.format(name)``); there is one interval per schedule."""
    for scope in ctx.scopes:
        for schedule in scope.obj.schedules:
            yield (
                "the interval of schedule `{}`",
                schedule.name,
                schedule.interval,
                (schedule.interval.span or schedule.span),
            )
    for entry in ctx.metrics:
        definition = entry.metric.definition
        if isinstance(definition, Status):
            yield (
                "the TimeOut of `{}`",
                entry.name,
                definition.timeout,
                (definition.timeout.span or definition.span),
            )
    for entry, fn in ctx.functions_of(RateOfChange):
        assert isinstance(fn, RateOfChange)
        yield (
            "the RateOfChange interval in `{}`",
            entry.name,
            fn.interval,
            (fn.interval.span or fn.span),
        )


@rule("S001", "S008")
def intervals(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for template, name, interval, span in _intervals(ctx):
        problem = _interval_problem(interval)
        if problem is not None:
            what = template.format(name)
            yield diagnostic(
                "S001",
                f"{what} {problem}: an interval must be longer than zero",
                span,
                help="give at least one part (Days, Hours, Minutes, …) a positive value",
            )
        elif interval.is_calendar and "RateOfChange" in (what := template.format(name)):
            yield diagnostic(
                "S008",
                f"{what} uses years or months, which have no fixed length",
                span,
                help="express the rate per days, hours, minutes or seconds",
            )


def _periods(spec: Spec, ctx: Context) -> Iterator[tuple[str, str | None, Period, Span | None]]:
    """(description template, name, period, span), formatted as in :func:`_intervals`."""
    for scope in ctx.scopes:
        for schedule in scope.obj.schedules:
            yield (
                "period of schedule `{}`",
                schedule.name,
                schedule.period,
                (schedule.period.span or schedule.span),
            )
    for slo in spec.obligations.all_slos():
        for period in slo.validity:
            yield "validity of SLO `{}`", slo.name, period, period.span or slo.span


def _calendar_problems(period: CalendarPeriod) -> Iterator[tuple[str, str, str]]:
    """(code, message, help) for each syntax problem of a calendar period."""
    try:
        datetime.fromisoformat(period.condition_time.strip())
    except ValueError:
        yield (
            "S006",
            f"ConditionTime `{period.condition_time}` is not an ISO 8601 instant",
            "write e.g. 2024-01-01T00:00:00+01:00",
        )
    for attr, element, length, meaning in _MASKS:
        mask: str = getattr(period, attr)
        if len(mask) != length or set(mask) - {"0", "1"}:
            yield (
                "S003",
                f"{element} `{mask}` must be {length} characters 0 or 1 ({meaning})",
                f"it has {len(mask)} characters"
                + (
                    f", including {sorted(set(mask) - {'0', '1'})[0]!r}"
                    if set(mask) - {"0", "1"}
                    else ""
                ),
            )
    zone = period.time_zone.strip()
    if not _OFFSET.match(zone):
        import zoneinfo  # only calendar periods need it: not loaded for every validate run

        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # a name too long
            yield (
                "S004",
                f"ConditionTimeZone `{period.time_zone}` is neither an IANA zone nor an offset",
                "write an IANA name such as Europe/Zurich, or an offset such as -05:00",
            )
    if period.local_or_utc not in ("Local", "UTC"):
        yield (
            "S005",
            f"ConditionLocalOrUtcTime is `{period.local_or_utc}`; expected `Local` or `UTC`",
            "Local reads the masks in ConditionTimeZone (DST-aware), UTC in UTC",
        )


@rule("S002", "S003", "S004", "S005", "S006")
def periods(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for template, name, period, span in _periods(spec, ctx):
        if isinstance(period, TimePeriod):
            if period.end > period.start:
                continue  # the common case: nothing to describe
            what = template.format(name)
            if period.end < period.start:
                yield diagnostic(
                    "S002",
                    f"{what} is inverted: it ends ({period.end.isoformat()}) before it starts"
                    f" ({period.start.isoformat()})",
                    span,
                    help="swap Start and End",
                )
            elif period.end == period.start:
                yield diagnostic(
                    "S002",
                    f"{what} is empty: it starts and ends at {period.start.isoformat()}",
                    span,
                    help="give End a later time than Start",
                )
            continue
        what = template.format(name)
        problems = list(_calendar_problems(period))
        for code, message, help_text in problems:
            yield diagnostic(code, f"{what}: {message}", span, help=help_text)
        if not problems:
            empty = [e for a, e, _n, _m in _MASKS if "1" not in getattr(period, a)]
            if empty:
                yield diagnostic(
                    "S002",
                    f"{what} is empty: {empty[0]} has no 1",
                    span,
                    help="a calendar period contains an instant only where every mask has a 1",
                )


def _upstream_schedules(
    ctx: Context, entry: MetricEntry, memo: dict[str, dict[int, Schedule]], active: set[str]
) -> dict[int, Schedule]:
    """The schedules that drive a metric (TSConstructors and reading schedules upstream),
    each resolved where it is named; memoised per metric, cycles cut."""
    done = memo.get(entry.key)
    if done is not None:
        return done
    if entry.key in active:
        return {}
    active.add(entry.key)
    out: dict[int, Schedule] = {}
    names: list[str] = []
    definition = entry.metric.definition
    if isinstance(definition, MeasurementDirective) and definition.reading_schedule:
        names.append(definition.reading_schedule)
    names.extend(name for name, _span, _fn in entry.schedules)
    for name in names:
        found = ctx.resolve_schedule(name, entry.scope)
        if found is not None:
            out[id(found)] = found
    for _name, _span, _fn, upstream in resolved_metric_refs(ctx, entry):
        if upstream is not None:
            more = _upstream_schedules(ctx, upstream, memo, active)
            if more:
                out.update(more)
    active.discard(entry.key)
    memo[entry.key] = out
    return out


def _overlaps(a: TimePeriod, b: TimePeriod) -> bool:
    return a.start <= b.end and b.start <= a.end


_TICK_BUDGET = 50_000
"""Schedule ticks S007 may enumerate per check run; beyond it a case counts as unknown."""


def _inverted(period: Period) -> bool:
    return isinstance(period, TimePeriod) and period.end <= period.start


def _ticks_inside(
    schedule: Schedule, validity: tuple[Period, ...], budget: list[int]
) -> bool | None:
    """Whether some tick of ``schedule`` lies in ``validity`` (None: cannot tell)."""
    # The runtime's own tick and membership arithmetic, so the check and the engine agree.
    from wsla.runtime.schedules import (
        NEVER,
        PeriodError,
        Ticker,
        compile_period,
    )

    try:
        ticker = Ticker(schedule.period, schedule.interval)
        tests = [compile_period(v) for v in validity]
        k = ticker.first_after(min(t.start_ns for t in tests) - 1)
    except (PeriodError, ValueError, OverflowError):
        return None
    latest = max(t.end_ns for t in tests)
    while budget[0] > 0:
        budget[0] -= 1
        ns = ticker.tick(k)
        if ns >= NEVER or ns > latest:
            return False
        if ticker.accepts(ns) and any(t.contains(ns) for t in tests):
            return True
        k += 1
    return None


def _scheduled_slo(
    slo: ServiceLevelObjective, schedule: Schedule, budget: list[int]
) -> Iterator[Diagnostic]:
    if _inverted(schedule.period) or any(_inverted(v) for v in slo.validity):
        return  # S002's finding; judging it here would only repeat it
    if _ticks_inside(schedule, slo.validity, budget) is False:
        yield diagnostic(
            "S007",
            f"schedule `{schedule.name}` never ticks inside the validity of SLO"
            f" `{slo.name}`: the SLO is never evaluated",
            slo.span,
            labels=(Label(schedule.span, f"`{schedule.name}` defined here"),)
            if schedule.span is not None
            else (),
            help="align the SLO's Validity with the schedule's ticks (its start, interval"
            " and masks)",
        )


def _common_window(ctx: Context) -> tuple[datetime, datetime] | None:
    """(latest start, earliest end) of every fixed, non-inverted schedule period in the
    spec: a validity period from at most the first to at least the second overlaps them
    all. None when there is no such schedule or the instants do not compare."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    for scope in ctx.scopes:
        for schedule in scope.obj.schedules:
            period = schedule.period
            if isinstance(period, TimePeriod) and period.end >= period.start:
                starts.append(period.start)
                ends.append(period.end)
    if not starts:
        return None
    try:
        return max(starts), min(ends)
    except TypeError:  # naive and aware instants mixed: judge each SLO the long way
        return None


def _overlaps_every_schedule(
    slo: ServiceLevelObjective, window: tuple[datetime, datetime] | None
) -> bool:
    """Whether a judged validity period of ``slo`` overlaps every schedule period that
    S007 could weigh (so the SLO cannot be reported, whichever schedules it uses)."""
    if window is None:
        return False
    latest_start, earliest_end = window
    try:
        return any(
            isinstance(v, TimePeriod)
            and v.end >= v.start
            and v.start <= earliest_end
            and latest_start <= v.end
            for v in slo.validity
        )
    except TypeError:
        return False


@rule("S007")
def validity_inside_schedules(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    # The usual spec: every SLO valid while all schedules run. Those SLOs need no
    # tracing of the schedules upstream of their parameters.
    window = _common_window(ctx)
    memo: dict[str, dict[int, Schedule]] = {}
    active: set[str] = set()  # empty again after each _upstream_schedules call
    budget = [_TICK_BUDGET]
    for slo in spec.obligations.all_slos():
        used: list[Schedule] = []
        used_ids: set[int] = set()
        if isinstance(slo.evaluation, OnSchedule):
            found = ctx.resolve_schedule(slo.evaluation.schedule, None)
            if found is not None:
                yield from _scheduled_slo(slo, found, budget)
            continue
        if _overlaps_every_schedule(slo, window):
            continue
        for ref in obligation_refs(ctx, slo)[0]:
            param = ctx.parameters.get(ref.name)
            if param is None:
                continue
            metric = ctx.resolve_metric(param.parameter.metric, None, param.scope)
            if metric is not None:
                for key, schedule in _upstream_schedules(ctx, metric, memo, active).items():
                    if key not in used_ids:  # keys are ids: the same schedule once
                        used_ids.add(key)
                        used.append(schedule)
        # Inverted periods are S002's; judging them here would only repeat it.
        validity = [v for v in slo.validity if isinstance(v, TimePeriod) and v.end >= v.start]
        timed = [
            s for s in used if isinstance(s.period, TimePeriod) and s.period.end >= s.period.start
        ]
        # Calendar periods are open-ended; only all-fixed periods can be judged.
        if not used or len(timed) != len(used) or len(validity) != len(slo.validity):
            continue
        if not validity or not timed:
            continue
        if any(
            _overlaps(v, s.period)
            for v in validity
            for s in timed
            if isinstance(s.period, TimePeriod)
        ):
            continue
        names = ", ".join(f"`{s.name}`" for s in timed)
        yield diagnostic(
            "S007",
            f"SLO `{slo.name}` is valid only outside the periods of the schedules it uses"
            f" ({names}): it is never evaluated",
            slo.span,
            labels=tuple(
                Label(s.span, f"schedule `{s.name}` runs from {s.period.start.isoformat()}")
                for s in timed
                if s.span is not None and isinstance(s.period, TimePeriod)
            ),
            help="align the SLO's Validity with the schedules' periods",
        )
