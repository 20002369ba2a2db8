"""Typed outcomes of an evaluation and the per-SLO summary.

Every outcome is a frozen dataclass with an event ``time`` (epoch ns, UTC) and a
``to_json()`` giving a stable, JSON-able dict (``type`` first, ``time`` as ISO 8601 UTC
plus ``time_ns``). Outcomes come out in a deterministic order: by step, and within a step
series gaps, then parameter values, then SLO evaluations (each followed by its violation
or data gap), then action requests.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from wsla.runtime.values import Value, json_value, ns_to_iso


def _head(kind: str, time: int) -> dict[str, Any]:
    return {"type": kind, "time": ns_to_iso(time), "time_ns": time}


def _values(values: Mapping[str, Value]) -> dict[str, Any]:
    return {k: json_value(v) for k, v in values.items()}


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """An SLA parameter took a new value (possibly undefined: ``None``)."""

    kind: ClassVar[str] = "parameter_value"
    time: int
    parameter: str
    value: Value

    def to_json(self) -> dict[str, Any]:
        return {
            **_head(self.kind, self.time),
            "parameter": self.parameter,
            "value": json_value(self.value),
        }


@dataclass(frozen=True, slots=True)
class SLOEvaluation:
    """An SLO was evaluated: ``result`` True, False or None (unknown)."""

    kind: ClassVar[str] = "slo_evaluation"
    time: int
    slo: str
    result: bool | None
    values: Mapping[str, Value]

    def to_json(self) -> dict[str, Any]:
        return {
            **_head(self.kind, self.time),
            "slo": self.slo,
            "result": self.result,
            "values": _values(self.values),
        }


@dataclass(frozen=True, slots=True)
class Violation:
    """A false SLO evaluation."""

    kind: ClassVar[str] = "violation"
    time: int
    slo: str
    obliged: str
    values: Mapping[str, Value]
    key: int = field(default=-1, compare=False, repr=False)
    """Engine-internal handle for :meth:`Result.explain`."""

    def to_json(self) -> dict[str, Any]:
        return {
            **_head(self.kind, self.time),
            "slo": self.slo,
            "obliged": self.obliged,
            "values": _values(self.values),
        }


@dataclass(frozen=True, slots=True)
class NotificationContent:
    """What a notification carries: its type, causing guarantee, listed parameter values."""

    type: str
    causing_guarantee: str | None
    values: Mapping[str, Value]

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "causing_guarantee": self.causing_guarantee,
            "values": _values(self.values),
        }


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """An action guarantee asks a party to perform an action."""

    kind: ClassVar[str] = "action_request"
    time: int
    guarantee: str
    party: str
    action: str | None
    modality: str
    notification: NotificationContent | None
    result: bool | None
    """The guarantee's evaluation that caused the request (None = unknown)."""

    def to_json(self) -> dict[str, Any]:
        return {
            **_head(self.kind, self.time),
            "guarantee": self.guarantee,
            "party": self.party,
            "action": self.action,
            "modality": self.modality,
            "result": self.result,
            "notification": None if self.notification is None else self.notification.to_json(),
        }


@dataclass(frozen=True, slots=True)
class DataGap:
    """Something could not be known: ``kind`` is ``missing_sample`` (a TSConstructor tick
    whose input had no value), ``unknown`` (an SLO or guarantee evaluated to unknown) or
    ``unknown_target`` (records for a target no metric reads; reported once per target)."""

    kind_: ClassVar[str] = "data_gap"
    time: int
    kind: str
    subject: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            **_head(self.kind_, self.time),
            "kind": self.kind,
            "subject": self.subject,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class LateRecord:
    """A record older than the watermark: counted and reported, never applied.

    ``time`` is the newest event time seen when it arrived."""

    kind: ClassVar[str] = "late_record"
    time: int
    target: str
    record_time: int
    watermark: int
    origin: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            **_head(self.kind, self.time),
            "target": self.target,
            "record_time": ns_to_iso(self.record_time),
            "record_time_ns": self.record_time,
            "watermark_ns": self.watermark,
            "origin": self.origin,
        }


Outcome = ParameterValue | SLOEvaluation | Violation | ActionRequest | DataGap | LateRecord


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return outcome.to_json()


@dataclass(frozen=True, slots=True)
class Summary:
    """Per SLO over the evaluation window (see ``docs/semantics.md`` "Summary").

    ``compliance`` = 100 · true / (true + false) evaluations, ``None`` without any known
    evaluation. A violation period starts at a false evaluation when the last known result
    was not false and ends at the next true evaluation (unknowns change nothing), or at the
    window's end; ``time_in_violation`` sums them, ``longest_violation`` is the longest (ns).
    """

    slo: str
    evaluations: int
    violations: int
    unknowns: int
    compliance: float | None
    time_in_violation: int
    longest_violation: int
    violation_periods: int

    def to_json(self) -> dict[str, Any]:
        return {
            "slo": self.slo,
            "evaluations": self.evaluations,
            "violations": self.violations,
            "unknowns": self.unknowns,
            "compliance": self.compliance,
            "time_in_violation_ns": self.time_in_violation,
            "longest_violation_ns": self.longest_violation,
            "violation_periods": self.violation_periods,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """One link of an evidence chain: a value of something, and what produced it.

    ``what`` is ``parameter``, ``metric``, ``element`` (a series element) or ``record``."""

    what: str
    name: str
    time: int
    value: Value
    origin: str | None = None
    inputs: tuple[Evidence, ...] = ()

    def records(self) -> Iterator[Evidence]:
        """The input records at the leaves, in order."""
        if self.what == "record":
            yield self
        for child in self.inputs:
            yield from child.records()

    def render(self, indent: int = 0) -> str:
        where = f" ({self.origin})" if self.origin else ""
        value = json_value(self.value)
        line = (
            f"{'  ' * indent}{self.what} {self.name} = {value!r} at {ns_to_iso(self.time)}{where}"
        )
        return "\n".join([line, *(c.render(indent + 1) for c in self.inputs)])

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "name": self.name,
            "time": ns_to_iso(self.time),
            "value": json_value(self.value),
            "origin": self.origin,
            "inputs": [c.to_json() for c in self.inputs],
        }
