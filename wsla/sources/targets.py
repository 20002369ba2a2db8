"""The measured metrics of a spec, as records address them.

A measured metric (one defined by a measurement directive, directly or through a macro
expansion's assignment) is addressed as ``ServiceObject/Metric`` or by one of its
directive's URIs (reference §5, "Names and scope"). Bindings look metrics up by service
object and metric name or directive type.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wsla.model import Spec
from wsla.model.directives import (
    InvocationCount,
    MeasurementDirective,
    ResponseTime,
    SumResponseTime,
)

if TYPE_CHECKING:
    from wsla.runtime.plan import Plan

__all__ = ["INVOCATION_SUFFIX", "MeasuredMetric", "TargetIndex"]

INVOCATION_SUFFIX = "#invocation"
"""``<ServiceObject>#invocation``: one invocation of an operation, its value the response
time; the engine feeds the object's ResponseTime, InvocationCount and SumResponseTime
directives from it in one step."""

_INVOKED = (ResponseTime, InvocationCount, SumResponseTime)


@dataclass(frozen=True, slots=True)
class MeasuredMetric:
    service_object: str
    metric: str
    directive: MeasurementDirective

    @property
    def path(self) -> str:
        return f"{self.service_object}/{self.metric}"


def _measured(spec: Spec) -> list[MeasuredMetric]:
    out: list[MeasuredMetric] = []
    for obj, _parents in spec.service_objects():
        if obj.name is None:
            continue
        for metric in obj.metrics:
            if metric.name is not None and isinstance(metric.definition, MeasurementDirective):
                out.append(MeasuredMetric(obj.name, metric.name, metric.definition))
        for expansion in obj.macro_expansions:
            for assignment in expansion.assignments:
                if expansion.expansion_name is None or assignment.metric_name is None:
                    continue
                name = f"{expansion.expansion_name}.{assignment.metric_name}"
                out.append(MeasuredMetric(obj.name, name, assignment.directive))
    return out


class TargetIndex:
    """Lookup of measured metrics by path, URI, service object and directive type."""

    def __init__(self, metrics: list[MeasuredMetric], aliases: Iterable[str] = ()) -> None:
        self.metrics = tuple(metrics)
        self._by_object: dict[str, list[MeasuredMetric]] = {}
        self._targets: set[str] = set(aliases)
        for measured in metrics:
            self._by_object.setdefault(measured.service_object, []).append(measured)
            self._targets.add(measured.path)
            self._targets.update(measured.directive.uris)
            if isinstance(measured.directive, _INVOKED):
                self._targets.add(measured.service_object + INVOCATION_SUFFIX)

    @classmethod
    def of(cls, spec: Spec) -> TargetIndex:
        """From the spec's model (macro expansions included)."""
        return cls(_measured(spec))

    @classmethod
    def of_plan(cls, plan: Plan) -> TargetIndex:
        """From a compiled plan: exactly the targets its engine accepts."""
        metrics: list[MeasuredMetric] = []
        for node in plan.nodes:
            if node.metric is None or not isinstance(node.definition, MeasurementDirective):
                continue
            *outer, metric = node.metric.split("/")
            if outer:
                metrics.append(MeasuredMetric(outer[-1], metric, node.definition))
        invocations = (name + INVOCATION_SUFFIX for name in plan.operations)
        return cls(metrics, aliases=(*plan.targets, *invocations))

    def __contains__(self, target: object) -> bool:
        return target in self._targets

    @property
    def targets(self) -> frozenset[str]:
        return frozenset(self._targets)

    def has_object(self, name: str) -> bool:
        return name in self._by_object

    def invocable(self, service_object: str) -> bool:
        """Whether records ``<service_object>#invocation`` feed anything."""
        return service_object + INVOCATION_SUFFIX in self._targets

    def by_metric(self, service_object: str, metric: str) -> list[str]:
        return [m.path for m in self._by_object.get(service_object, ()) if m.metric == metric]

    def by_directive(self, service_object: str, directive: str) -> list[str]:
        return [
            m.path
            for m in self._by_object.get(service_object, ())
            if m.directive.xsi_type == directive
        ]
