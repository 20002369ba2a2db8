"""Small spec builders for the runtime tests (model classes only, no XML)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from wsla.model import (
    ActionGuarantee,
    ExecutionModality,
    Gauge,
    Interval,
    Metric,
    MetricRef,
    Notification,
    NotificationType,
    Obligations,
    OnNewValue,
    OnSchedule,
    Parties,
    QualifiedAction,
    Schedule,
    ServiceConsumer,
    ServiceDefinition,
    ServiceLevelObjective,
    ServiceProvider,
    SLAParameter,
    Spec,
    TimePeriod,
)
from wsla.runtime.values import datetime_to_ns

T0 = datetime(2026, 1, 1, tzinfo=UTC)
END = T0 + timedelta(days=400)
MIN = 60 * 10**9


def at(minutes: float = 0, seconds: float = 0) -> int:
    """Epoch ns of T0 + minutes + seconds."""
    return datetime_to_ns(T0) + round(minutes * MIN) + round(seconds * 10**9)


def ref(name: str) -> MetricRef:
    return MetricRef(name=name)


def gauge(name: str, uri: str | None = None, schedule: str | None = None) -> Metric:
    return Metric(
        name=name,
        source="P",
        definition=Gauge(measurement_uri=uri or f"urn:{name}", reading_schedule=schedule),
    )


def metric(name: str, definition: Any) -> Metric:
    return Metric(name=name, source="P", definition=definition)


def schedule(
    name: str, minutes: int = 1, start: datetime = T0, end: datetime = END, **parts: int
) -> Schedule:
    interval = Interval(minutes=minutes or None, **parts)
    return Schedule(name=name, period=TimePeriod(start=start, end=end), interval=interval)


def param(name: str, metric_name: str) -> SLAParameter:
    return SLAParameter(name=name, metric=metric_name)


def slo(
    name: str,
    expression: Any,
    *,
    on: str | None = None,
    validity: Sequence[Any] | None = None,
) -> ServiceLevelObjective:
    return ServiceLevelObjective(
        name=name,
        obliged="P",
        validity=tuple(validity)
        if validity
        else (TimePeriod(start=T0 - timedelta(days=1), end=END),),
        expression=expression,
        evaluation=OnNewValue() if on is None else OnSchedule(schedule=on),
    )


def guarantee(
    name: str,
    expression: Any,
    modality: ExecutionModality = ExecutionModality.ALWAYS,
    *,
    on: str | None = None,
    parameters: tuple[str, ...] = (),
) -> ActionGuarantee:
    return ActionGuarantee(
        name=name,
        obliged=("P",),
        expression=expression,
        evaluation=OnNewValue() if on is None else OnSchedule(schedule=on),
        actions=(
            QualifiedAction(
                party="C",
                action=Notification(
                    action_name="notify",
                    notification_type=NotificationType.VIOLATION,
                    causing_guarantee=name,
                    parameters=parameters,
                ),
            ),
        ),
        modality=modality,
    )


def make_spec(
    metrics: Sequence[Metric] = (),
    *,
    parameters: Sequence[SLAParameter] = (),
    schedules: Sequence[Schedule] = (),
    slos: Sequence[ServiceLevelObjective] = (),
    guarantees: Sequence[ActionGuarantee] = (),
    constants: Sequence[Any] = (),
    operations: Sequence[Any] = (),
) -> Spec:
    return Spec(
        name="T",
        parties=Parties(provider=ServiceProvider(name="P"), consumer=ServiceConsumer(name="C")),
        service_definitions=(
            ServiceDefinition(
                name="Svc",
                schedules=tuple(schedules),
                constants=tuple(constants),
                parameters=tuple(parameters),
                metrics=tuple(metrics),
                operations=tuple(operations),
            ),
        ),
        obligations=Obligations(name="O", slos=tuple(slos), guarantees=tuple(guarantees)),
    )


def last_value(spec: Spec, records: Sequence[tuple[str, int, Any]], parameter: str) -> Any:
    """Feed ``(target, time, value)`` records and return the parameter's last value."""
    from wsla.runtime.engine import Evaluator
    from wsla.runtime.outcomes import ParameterValue

    ev = Evaluator(spec)
    for target, time, value in records:
        ev.feed(target, time, value)
    values = [
        o.value
        for o in ev.finish().outcomes
        if isinstance(o, ParameterValue) and o.parameter == parameter
    ]
    assert values, f"{parameter} never got a value"
    return values[-1]


def over_queue(make: Any, values: Sequence[Any], window: int | None = None) -> Any:
    """The value of ``make(ref("Q"))`` after feeding ``values`` into a Q over a gauge."""
    from wsla.model import QConstructor

    spec = make_spec(
        [
            gauge("G"),
            metric("Q", QConstructor(input=ref("G"), window=window)),
            metric("F", make(ref("Q"))),
        ],
        parameters=[param("PF", "F")],
    )
    return last_value(spec, [("Svc/G", at(seconds=i), v) for i, v in enumerate(values)], "PF")


def over_scalars(make: Any, *values: Any) -> Any:
    """The value of ``make(ref("A"), ref("B"))`` for gauges A, B fed ``values``."""
    spec = make_spec(
        [gauge("A"), gauge("B"), metric("F", make(ref("A"), ref("B")))],
        parameters=[param("PF", "F")],
    )
    a, b = values
    return last_value(spec, [("Svc/A", at(0), a), ("Svc/B", at(0), b)], "PF")


def chunks(rows: list[Any], cuts: list[int]) -> list[list[Any]]:
    """``rows`` cut at the sorted positions ``cuts`` (a cut before the last is empty)."""
    out, lo = [], 0
    for c in [*cuts, len(rows)]:
        out.append(rows[lo:c])
        lo = max(lo, c)
    return out
