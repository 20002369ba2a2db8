"""Name resolution (reference §5), computed once per spec and shared by every rule.

A name used inside a metric resolves in its own service object, then in the enclosing
ones (Operation → OperationGroup → ServiceDefinition); constants then in ``Obligations``.
Metric names are unique within their service object; SLA parameter names, and the schedule
names obligations use, are unique in the whole SLA. A ``MetricMacroExpansion`` instantiates
every metric of its definition as ``<expansionName>.<metricName>`` in the service object where
the expansion stands; inside such a copy, a name of a sibling template metric resolves to the
same expansion's copy.

The :class:`Context` is plain data built by :func:`build_context`; lookups are functions.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING

from wsla.model import (
    ActionGuarantee,
    Constant,
    ConstantRef,
    DirectiveVariable,
    FloatScalar,
    Function,
    LongScalar,
    Metric,
    MetricMacroDefinition,
    MetricMacroExpansion,
    MetricRef,
    Operand,
    Party,
    QualifyMeasurementTimeSeries,
    Schedule,
    ServiceLevelObjective,
    ServiceObject,
    SLAParameter,
    Span,
    Spec,
    StringScalar,
)
from wsla.model.construct import constructor as _fast

if TYPE_CHECKING:
    from wsla.check.graph_rules import MetricFlow
    from wsla.check.walk import Ref
    from wsla.graph import Dependencies


@dataclass(frozen=True, slots=True, eq=False)
class ObjectScope:
    """One service object and where it stands."""

    index: int
    obj: ServiceObject
    parent: int | None
    path: tuple[str, ...]
    """Names of the service objects from the service definition down to this one."""
    label: str = ""
    """``path`` joined with ``/``."""


NameUse = tuple[str, Span | None, Function]
"""A name a function reads, the span to report it at (the reference's own, else the
function's), and the function."""


@dataclass(frozen=True, slots=True, eq=False)
class MetricEntry:
    """One metric instance: a metric as written, or a macro expansion's copy."""

    name: str
    metric: Metric
    scope: int
    key: str
    """``ServiceDefinition/…/Metric``: unique node key for the graph."""
    expansion: MetricMacroExpansion | None = None
    template: MetricMacroDefinition | None = None
    filled: bool = True
    """False for a copy whose ``MeasurementDirectiveVariable`` no assignment fills."""
    functions: tuple[Function, ...] = ()
    """The metric's function and every nested one, pre-order (empty when not computed)."""
    reads: tuple[NameUse, ...] = ()
    """Metric names its functions read, in :attr:`functions` order: a
    QualifyMeasurementTimeSeries' base and validation metrics, then ``MetricRef``
    operands (found by the walk that finds :attr:`functions`)."""
    constants: tuple[NameUse, ...] = ()
    """Constant names its functions read (``ConstantRef`` operands), in the same order."""
    schedules: tuple[NameUse, ...] = ()
    """Schedule names its functions sample on (any function with a ``schedule`` name,
    spanned at the function), in the same order."""

    @property
    def span(self) -> Span | None:
        return self.metric.span


@dataclass(frozen=True, slots=True, eq=False)
class ParameterEntry:
    parameter: SLAParameter
    scope: int

    @property
    def name(self) -> str:
        return self.parameter.name or ""


@dataclass(eq=False)
class Context:
    """Everything a rule needs to resolve names, indexed once."""

    spec: Spec
    scopes: list[ObjectScope] = field(default_factory=list)
    metrics: list[MetricEntry] = field(default_factory=list)
    metrics_by_scope: list[dict[str, MetricEntry]] = field(default_factory=list)
    schedules_by_scope: list[dict[str, Schedule]] = field(default_factory=list)
    constants_by_scope: list[dict[str, Constant]] = field(default_factory=list)
    macros_by_scope: list[dict[str, MetricMacroDefinition]] = field(default_factory=list)
    parties: dict[str, Party] = field(default_factory=dict)
    parameters: dict[str, ParameterEntry] = field(default_factory=dict)
    parameter_entries: list[ParameterEntry] = field(default_factory=list)
    schedules: dict[str, Schedule] = field(default_factory=dict)
    obligation_constants: dict[str, Constant] = field(default_factory=dict)
    slos: dict[str, ServiceLevelObjective] = field(default_factory=dict)
    guarantees: dict[str, ActionGuarantee] = field(default_factory=dict)
    _resolved: dict[tuple[int, str], MetricEntry | None] = field(default_factory=dict, repr=False)
    """Memo of plain (non-macro) metric lookups; filled only after indexing is complete."""
    metric_inputs: dict[int, list[tuple[str, Span | None, Function, MetricEntry | None]]] = field(
        default_factory=dict, repr=False
    )
    """Memo of :func:`wsla.check.walk.resolved_metric_refs` by ``id`` of the entry: the
    names, types, units, schedules and graph rules all read a metric's inputs."""
    obligation_inputs: dict[int, tuple[list[Ref], list[Ref]]] = field(
        default_factory=dict, repr=False
    )
    """Memo of :func:`wsla.check.walk.obligation_refs` by ``id`` of the obligation."""
    units: dict[str, object] = field(default_factory=dict, repr=False)
    """Memo of :func:`wsla.check.units.metric_unit` by metric key."""

    @cached_property
    def dependencies(self) -> Dependencies:
        """The dependency structure of :mod:`wsla.graph`, built on first use."""
        from wsla.graph import dependencies

        return dependencies(self.spec, self)

    @cached_property
    def metric_flow(self) -> MetricFlow:
        """The dependency graph reduced to metrics (:mod:`wsla.check.graph_rules`)."""
        from wsla.check.graph_rules import metric_flow

        return metric_flow(self)

    @cached_property
    def functions(self) -> list[tuple[MetricEntry, Function]]:
        """Every function of every metric with its metric: metrics in order, each one's
        functions pre-order (the type, unit and schedule rules read this list)."""
        return [(entry, fn) for entry in self.metrics for fn in entry.functions]

    @cached_property
    def _function_positions(self) -> dict[type, list[int]]:
        """Positions in :attr:`functions` by exact function class."""
        positions: dict[type, list[int]] = {}
        for i, (_entry, fn) in enumerate(self.functions):
            cls: type = type(fn)
            found = positions.get(cls)
            if found is None:
                positions[cls] = [i]
            else:
                found.append(i)
        return positions

    def functions_of(self, *classes: type) -> list[tuple[MetricEntry, Function]]:
        """The entries of :attr:`functions` that are instances of ``classes``, in the
        same order: a rule about a few function classes need not scan all of them."""
        picked = [
            found for cls, found in self._function_positions.items() if issubclass(cls, classes)
        ]
        if not picked:
            return []
        positions = picked[0] if len(picked) == 1 else sorted(i for p in picked for i in p)
        functions = self.functions
        return [functions[i] for i in positions]

    # --- lookups -------------------------------------------------------------------

    def chain(self, scope: int) -> Iterator[ObjectScope]:
        """``scope`` and its enclosing scopes, innermost first."""
        current: int | None = scope
        while current is not None:
            found = self.scopes[current]
            yield found
            current = found.parent

    def resolve_metric(
        self, name: str, holder: MetricEntry | None, scope: int
    ) -> MetricEntry | None:
        """The metric ``name`` means when used inside ``holder`` (or in ``scope``)."""
        if holder is not None and holder.expansion is not None:
            # Inside a macro copy, a sibling template metric means this expansion's copy.
            copy = self.metrics_by_scope[holder.scope].get(
                f"{holder.expansion.expansion_name}.{name}"
            )
            if copy is not None and copy.expansion is holder.expansion:
                return copy
        key = (scope, name)
        if key in self._resolved:
            return self._resolved[key]
        found: MetricEntry | None = None
        current: int | None = scope
        while current is not None and found is None:
            found = self.metrics_by_scope[current].get(name)
            current = self.scopes[current].parent
        self._resolved[key] = found
        return found

    def visible_metrics(self, holder: MetricEntry | None, scope: int) -> list[str]:
        names: list[str] = []
        if holder is not None and holder.template is not None:
            names.extend(m.name for m in holder.template.metrics if m.name)
        for s in self.chain(scope):
            names.extend(self.metrics_by_scope[s.index])
        return names

    def resolve_schedule(self, name: str, scope: int | None) -> Schedule | None:
        """A schedule seen from a service object, or (``scope is None``) from obligations."""
        if scope is None:
            return self.schedules.get(name)
        current: int | None = scope
        while current is not None:
            found = self.schedules_by_scope[current].get(name)
            if found is not None:
                return found
            current = self.scopes[current].parent
        return None

    def visible_schedules(self, scope: int | None) -> list[str]:
        if scope is None:
            return list(self.schedules)
        return [n for s in self.chain(scope) for n in self.schedules_by_scope[s.index]]

    def resolve_constant(self, name: str, scope: int) -> Constant | None:
        current: int | None = scope
        while current is not None:
            found = self.constants_by_scope[current].get(name)
            if found is not None:
                return found
            current = self.scopes[current].parent
        return self.obligation_constants.get(name)

    def visible_constants(self, scope: int) -> list[str]:
        names = [n for s in self.chain(scope) for n in self.constants_by_scope[s.index]]
        return [*names, *self.obligation_constants]

    def resolve_macro(self, name: str, scope: int) -> MetricMacroDefinition | None:
        for s in self.chain(scope):
            found = self.macros_by_scope[s.index].get(name)
            if found is not None:
                return found
        return None

    def visible_macros(self, scope: int) -> list[str]:
        return [n for s in self.chain(scope) for n in self.macros_by_scope[s.index]]


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A ``help:`` text suggesting the closest known name, if one is close."""
    pool = sorted({c for c in candidates if c and c != name})
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


_NOT_OPERANDS = frozenset({"result_type", "span"})
_OPERAND_TYPES = (MetricRef, Function, LongScalar, FloatScalar, StringScalar, ConstantRef)


@cache
def _operand_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in _NOT_OPERANDS)


def operands(fn: Function) -> list[Operand]:
    """The inputs and operands of ``fn`` in document order (as ``model.children``, faster:
    the candidate fields are looked up once per class)."""
    out: list[Operand] = []
    cls: type = type(fn)
    for name in _operand_fields(cls):
        value = getattr(fn, name)
        if isinstance(value, _OPERAND_TYPES):
            out.append(value)
    return out


def walk_functions(fn: Function) -> tuple[Function, ...]:
    """``fn`` and every function nested in it, pre-order."""
    return walk_definition(fn)[0]


Walk = tuple[tuple[Function, ...], tuple[NameUse, ...], tuple[NameUse, ...], tuple[NameUse, ...]]
"""What :func:`walk_definition` finds: functions, metric, constant and schedule names."""


def walk_definition(fn: Function) -> Walk:
    """The functions of a metric definition (as :func:`walk_functions`) with the metric,
    constant and schedule names they read, found in the same pass.

    Every metric is walked once here, in :func:`build_context`; the name, type, unit,
    schedule and graph rules read the results instead of walking the functions again.
    """
    functions: list[Function] = []
    reads: list[NameUse] = []
    constants: list[NameUse] = []
    schedules: list[NameUse] = []
    stack = [fn]
    while stack:
        current = stack.pop()
        functions.append(current)
        cls: type = type(current)
        fields, scheduled, qualifies = _shape(cls)
        span = current.span
        if scheduled:
            # Any function with a schedule name (TSConstructor, extensions such as
            # IntervalSeries), as wsla.check.walk.function_schedule says.
            schedule = getattr(current, "schedule", None)
            if isinstance(schedule, str):
                schedules.append((schedule, span, current))
        if qualifies:
            reads.append((current.base_metric, span, current))  # type: ignore[attr-defined]
            reads.append((current.validation_metric, span, current))  # type: ignore[attr-defined]
        nested: list[Function] = []
        for name in fields:
            child = getattr(current, name)
            kind = type(child)
            # Exact types first: references are never subclassed, and a type test is
            # cheaper than isinstance on the hot path of every metric.
            if kind is MetricRef:
                reads.append((child.name, child.span or span, current))
            elif kind is ConstantRef:
                constants.append((child.name, child.span or span, current))
            elif isinstance(child, Function):
                nested.append(child)
            elif isinstance(child, MetricRef):
                reads.append((child.name, child.span or span, current))
            elif isinstance(child, ConstantRef):
                constants.append((child.name, child.span or span, current))
        if nested:
            nested.reverse()
            stack.extend(nested)
    return (
        tuple(functions),
        tuple(reads) if reads else (),
        tuple(constants) if constants else (),
        tuple(schedules) if schedules else (),
    )


@cache
def _shape(cls: type) -> tuple[tuple[str, ...], bool, bool]:
    """Per function class: its operand fields, whether it may name a schedule, and
    whether it is a QualifyMeasurementTimeSeries (which names two metrics)."""
    return (
        _operand_fields(cls),
        hasattr(cls, "schedule"),
        issubclass(cls, QualifyMeasurementTimeSeries),
    )


_NO_WALK: Walk = ((), (), (), ())


def build_context(spec: Spec) -> Context:
    """Index ``spec`` for name resolution (first definition wins; duplicates are a rule)."""
    ctx = Context(spec=spec)
    for party in spec.parties.all():
        if party.name and party.name not in ctx.parties:
            ctx.parties[party.name] = party

    index_of: dict[int, int] = {}
    for obj, parents in spec.service_objects():
        parent = index_of[id(parents[-1])] if parents else None
        path = (*(p.name or "?" for p in parents), obj.name or "?")
        scope = _fast(ObjectScope)(
            index=len(ctx.scopes), obj=obj, parent=parent, path=path, label="/".join(path)
        )
        index_of[id(obj)] = scope.index
        ctx.scopes.append(scope)
        ctx.metrics_by_scope.append({})
        ctx.schedules_by_scope.append({})
        ctx.constants_by_scope.append({})
        ctx.macros_by_scope.append({})

    # Locals and constructors hoisted: these loops run once per service object and metric.
    new_parameter = _fast(ParameterEntry)
    new_metric = _fast(MetricEntry)
    schedules_all = ctx.schedules
    parameters_all = ctx.parameters
    parameter_entries = ctx.parameter_entries
    metrics = ctx.metrics
    for scope in ctx.scopes:
        obj = scope.obj
        index = scope.index
        if obj.schedules:
            by_name = ctx.schedules_by_scope[index]
            for schedule in obj.schedules:
                if schedule.name:
                    by_name.setdefault(schedule.name, schedule)
                    schedules_all.setdefault(schedule.name, schedule)
        for constant in obj.constants:
            if constant.name:
                ctx.constants_by_scope[index].setdefault(constant.name, constant)
        for macro in obj.macro_definitions:
            if macro.name:
                ctx.macros_by_scope[index].setdefault(macro.name, macro)
        for parameter in obj.parameters:
            entry = new_parameter(parameter=parameter, scope=index)
            parameter_entries.append(entry)
            if parameter.name:
                parameters_all.setdefault(parameter.name, entry)

    for scope in ctx.scopes:
        index = scope.index
        label = scope.label
        own = ctx.metrics_by_scope[index]
        for metric in scope.obj.metrics:
            definition = metric.definition
            functions, reads, constants, schedules = (
                walk_definition(definition) if isinstance(definition, Function) else _NO_WALK
            )
            name = metric.name
            # As _add_metric, inlined.
            made = new_metric(
                name=name or "",
                metric=metric,
                scope=index,
                key=f"{label}/{name or '?'}",
                functions=functions,
                reads=reads,
                constants=constants,
                schedules=schedules,
            )
            metrics.append(made)
            if name:
                own.setdefault(name, made)
        for expansion in scope.obj.macro_expansions:
            found = ctx.resolve_macro(expansion.macro_name or "", index)
            if found is None or not expansion.expansion_name:
                continue
            for copy in expand(found, expansion, scope):
                _add_metric(ctx, scope, copy)

    for constant in spec.obligations.all_constants():
        if constant.name:
            ctx.obligation_constants.setdefault(constant.name, constant)
    for slo in spec.obligations.all_slos():
        if slo.name:
            ctx.slos.setdefault(slo.name, slo)
    for guarantee in spec.obligations.all_guarantees():
        if guarantee.name:
            ctx.guarantees.setdefault(guarantee.name, guarantee)
    return ctx


def _add_metric(ctx: Context, scope: ObjectScope, entry: MetricEntry) -> None:
    ctx.metrics.append(entry)
    if entry.metric.name:
        ctx.metrics_by_scope[scope.index].setdefault(entry.name, entry)


def expand(
    macro: MetricMacroDefinition, expansion: MetricMacroExpansion, scope: ObjectScope
) -> Iterator[MetricEntry]:
    """The copies a macro expansion creates, holes filled by its assignments."""
    fills = {a.metric_name: a.directive for a in expansion.assignments if a.metric_name}
    for template in macro.metrics:
        if not template.name:
            continue
        name = f"{expansion.expansion_name}.{template.name}"
        metric = dataclasses.replace(template, name=name)
        filled = True
        if isinstance(template.definition, DirectiveVariable):
            directive = fills.get(template.name)
            if directive is None:
                filled = False
            else:
                metric = dataclasses.replace(metric, definition=directive)
        definition = metric.definition
        functions, reads, constants, schedules = (
            walk_definition(definition) if isinstance(definition, Function) else _NO_WALK
        )
        yield _fast(MetricEntry)(
            name=name,
            metric=metric,
            scope=scope.index,
            key=f"{scope.label}/{name}",
            expansion=expansion,
            template=macro,
            filled=filled,
            functions=functions,
            reads=reads,
            constants=constants,
            schedules=schedules,
        )
