"""Compile a spec into an evaluation plan (reference §5 "Names and scope", "Macros").

:func:`compile_plan` resolves every name, expands macros, orders the metric graph
topologically and binds every function, directive and predicate to its implementation
from the registries. A spec that cannot be evaluated raises :class:`PlanError` with all
the diagnostics found (codes ``E…``); a plan is never half-built.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.limits import DEFAULT_LIMITS, Limits
from wsla.model import functions as f
from wsla.model.directives import MeasurementDirective
from wsla.model.obligations import ActionGuarantee, Notification, OnSchedule, ServiceLevelObjective
from wsla.model.service import (
    DirectiveVariable,
    MetricMacroDefinition,
    ServiceObject,
)
from wsla.model.span import Span
from wsla.model.spec import Spec
from wsla.model.types import ExecutionModality
from wsla.runtime.directives import DIRECTIVES, INVOKED
from wsla.runtime.functions import ANY, FUNCTIONS, SCALAR, SERIES
from wsla.runtime.nodes import Const
from wsla.runtime.predicates import (
    Compiled,
    UnsupportedExpression,
    compile_expression,
    parameters_read,
    slos_named,
)
from wsla.runtime.schedules import PeriodError, PeriodTest, Ticker, compile_period

Arg = int | Const
"""A node's operand: another node's index, or a constant value."""


class PlanError(Exception):
    """The spec cannot be evaluated; ``diagnostics`` says why (every problem found)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("; ".join(str(d) for d in diagnostics))


@dataclass(frozen=True, slots=True)
class PlanNode:
    """One node of the metric graph: a metric's directive or function, or a nested function."""

    index: int
    name: str
    definition: Any
    """The model object: a MeasurementDirective or a Function."""
    args: tuple[Arg, ...]
    arg_series: tuple[bool, ...]
    series: bool
    schedule: int | None
    ticker: Ticker | None = field(compare=False)
    metric: str | None
    """The metric's qualified name when this is a metric's own node (not nested)."""
    span: Span | None = field(compare=False)
    window: int | None = None
    """Elements a QConstructor/TSConstructor keeps (its Window bounded by the limits)."""

    @property
    def measured(self) -> bool:
        return isinstance(self.definition, MeasurementDirective)


@dataclass(frozen=True, slots=True)
class PlanSchedule:
    index: int
    name: str
    path: str
    ticker: Ticker = field(compare=False)


@dataclass(frozen=True, slots=True)
class PlanParameter:
    index: int
    name: str
    node: int
    span: Span | None = field(compare=False)


@dataclass(frozen=True, slots=True)
class PlanAction:
    party: str
    action: str | None
    notification_type: str | None
    causing_guarantee: str | None
    parameters: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PlanSLO:
    index: int
    name: str
    obliged: str
    validity: tuple[PeriodTest, ...]
    evaluate: Compiled = field(compare=False)
    reads: tuple[int, ...]
    """Parameters read by the expression (outcome values), first use first."""
    triggers: tuple[int, ...]
    """Parameters whose new values trigger an evaluation (NewValue event)."""
    schedule: int | None
    span: Span | None = field(compare=False)

    def valid_at(self, ns: int) -> bool:
        return any(p.contains(ns) for p in self.validity)

    @property
    def closed(self) -> tuple[int, int] | None:
        """``(start, end)`` when the validity is one closed interval (checked inline)."""
        if len(self.validity) == 1 and self.validity[0].mask is None:
            return self.validity[0].start_ns, self.validity[0].end_ns
        return None


@dataclass(frozen=True, slots=True)
class PlanGuarantee:
    index: int
    name: str
    obliged: tuple[str, ...]
    evaluate: Compiled = field(compare=False)
    reads: tuple[int, ...]
    triggers: tuple[int, ...]
    trigger_slos: tuple[int, ...]
    schedule: int | None
    modality: ExecutionModality
    actions: tuple[PlanAction, ...]
    span: Span | None = field(compare=False)


@dataclass(frozen=True, slots=True)
class Plan:
    """A compiled spec: nodes, schedules, parameters and obligations, all by index."""

    spec: Spec = field(compare=False)
    nodes: tuple[PlanNode, ...]
    order: tuple[int, ...]
    """Node indices in topological order (inputs before users)."""
    schedules: tuple[PlanSchedule, ...]
    parameters: tuple[PlanParameter, ...]
    slos: tuple[PlanSLO, ...]
    guarantees: tuple[PlanGuarantee, ...]
    targets: Mapping[str, tuple[int, ...]]
    """Record target → measured nodes it feeds (``Object/Metric``, full path, URIs)."""
    operations: Mapping[str, tuple[int, ...]]
    """Service object (name or path) → directive nodes fed by its invocation records."""
    parameter_names: tuple[str, ...] = ()
    """``parameters[i].name``, for outcomes."""
    bounded: tuple[int, ...] = ()
    """QConstructor/TSConstructor nodes whose Window (absent or larger) is bounded by
    ``Limits.max_window``; reaching the bound is reported (L104) in the result."""

    def metric_node(self, name: str) -> PlanNode:
        """A metric's node by qualified name (``Svc/Op/Metric``) or ``Op/Metric``."""
        for node in self.nodes:
            if node.metric == name or (node.metric and node.metric.endswith("/" + name)):
                return node
        raise KeyError(name)


@dataclass(slots=True)
class _Scope:
    obj: ServiceObject
    parent: _Scope | None
    path: str
    metrics: dict[str, int] = field(default_factory=dict)
    schedules: dict[str, int] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    macros: dict[str, MetricMacroDefinition] = field(default_factory=dict)

    def chain(self) -> Iterable[_Scope]:
        scope: _Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent


@dataclass(slots=True)
class _Pending:
    scope: _Scope
    name: str
    definition: Any
    span: Span | None


def _rename(fn: Any, names: Mapping[str, str]) -> Any:
    """``fn`` with metric references in ``names`` renamed (a macro's internal references)."""
    changes: dict[str, Any] = {}
    for fld in dataclasses.fields(fn):
        value = getattr(fn, fld.name)
        if isinstance(value, f.MetricRef) and value.name in names:
            changes[fld.name] = dataclasses.replace(value, name=names[value.name])
        elif isinstance(value, f.Function):
            changes[fld.name] = _rename(value, names)
        elif (
            isinstance(value, str)
            and fld.name in ("base_metric", "validation_metric")
            and value in names
        ):
            changes[fld.name] = names[value]
    return dataclasses.replace(fn, **changes) if changes else fn


class _Compiler:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.problems: list[Diagnostic] = []
        self.scopes: list[_Scope] = []
        self.schedules: list[PlanSchedule] = []
        self.schedules_by_name: dict[str, list[int]] = {}
        self.pending: list[_Pending] = []
        self.built: list[dict[str, Any]] = []
        self.parameters: list[PlanParameter] = []
        self.param_index: dict[str, int] = {}
        self.slo_index: dict[str, int] = {}

    def error(self, code: str, message: str, where: Any = None, help: str | None = None) -> None:
        span = getattr(where, "span", None) if where is not None else None
        found = diagnostic(code, message, span, help=help)
        if found not in self.problems:  # a name may be resolved more than once
            self.problems.append(found)

    @staticmethod
    def _suggest(name: str, known: Iterable[str]) -> str | None:
        close = difflib.get_close_matches(name, list(known), n=1)
        return f"did you mean `{close[0]}`?" if close else None

    # --- pass 1: scopes, schedules, constants, macro definitions ------------------------

    def collect(self) -> None:
        by_id: dict[int, _Scope] = {}
        for obj, parents in self.spec.service_objects():
            parent = by_id[id(parents[-1])] if parents else None
            name = obj.name or "?"
            path = f"{parent.path}/{name}" if parent else name
            scope = _Scope(obj, parent, path)
            by_id[id(obj)] = scope
            self.scopes.append(scope)
            for schedule in obj.schedules:
                sname = schedule.name or "?"
                try:
                    ticker = Ticker(schedule.period, schedule.interval)
                except PeriodError as exc:
                    self.error("E012", f"schedule `{sname}`: {exc}", schedule)
                    continue
                index = len(self.schedules)
                self.schedules.append(PlanSchedule(index, sname, f"{path}/{sname}", ticker))
                scope.schedules.setdefault(sname, index)
                self.schedules_by_name.setdefault(sname, []).append(index)
            for constant in obj.constants:
                scope.constants.setdefault(constant.name or "?", constant.value)
            for macro in obj.macro_definitions:
                scope.macros.setdefault(macro.name or "?", macro)
        self.global_constants = {
            c.name or "?": c.value for c in reversed(self.spec.obligations.all_constants())
        }

    # --- pass 2: metrics, macro expansion --------------------------------------------

    def declare(self) -> None:
        filled: set[tuple[int, str]] = set()
        for scope in self.scopes:
            for metric in scope.obj.metrics:
                if isinstance(metric.definition, DirectiveVariable):
                    self.error(
                        "E007",
                        f"metric `{scope.path}/{metric.name}` is a MeasurementDirectiveVariable "
                        "outside a macro definition: nothing fills it",
                        metric,
                    )
                    continue
                self._declare(scope, metric.name or "?", metric.definition, metric)
            for expansion in scope.obj.macro_expansions:
                self._expand(scope, expansion, filled)
        for scope in self.scopes:
            for macro in scope.obj.macro_definitions:
                for metric in macro.metrics:
                    if isinstance(metric.definition, DirectiveVariable) and (
                        (id(macro), metric.name or "?") not in filled
                    ):
                        self.error(
                            "E007",
                            f"hole `{metric.name}` of macro `{macro.name}` in `{scope.path}` is "
                            "filled by no MetricMacroExpansion",
                            metric,
                        )

    def _declare(self, scope: _Scope, name: str, definition: Any, where: Any) -> None:
        if name in scope.metrics:
            self.error("E010", f"two metrics named `{name}` in `{scope.path}`", where)
            return
        scope.metrics[name] = len(self.pending)
        self.pending.append(_Pending(scope, name, definition, getattr(where, "span", None)))

    def _expand(self, scope: _Scope, expansion: Any, filled: set[tuple[int, str]]) -> None:
        macro = next(
            (
                s.macros[expansion.macro_name]
                for s in scope.chain()
                if expansion.macro_name in s.macros
            ),
            None,
        )
        if macro is None:
            known = [m for s in scope.chain() for m in s.macros]
            self.error(
                "E006",
                f"macro expansion `{expansion.expansion_name}` names unknown macro "
                f"`{expansion.macro_name}`",
                expansion,
                self._suggest(expansion.macro_name or "", known),
            )
            return
        prefix = expansion.expansion_name or "?"
        names = {m.name or "?": f"{prefix}.{m.name}" for m in macro.metrics}
        holes = {m.name for m in macro.metrics if isinstance(m.definition, DirectiveVariable)}
        assigned: dict[str, MeasurementDirective] = {}
        for assignment in expansion.assignments:
            if assignment.metric_name not in holes:
                self.error(
                    "E011",
                    f"assignment in expansion `{prefix}` names `{assignment.metric_name}`, "
                    f"which is not a hole of macro `{macro.name}`",
                    assignment,
                    self._suggest(assignment.metric_name or "", [h or "" for h in holes]),
                )
                continue
            assigned[assignment.metric_name or "?"] = assignment.directive
        for metric in macro.metrics:
            mname = metric.name or "?"
            definition: Any = metric.definition
            if isinstance(definition, DirectiveVariable):
                if mname not in assigned:
                    self.error(
                        "E007",
                        f"hole `{mname}` of macro `{macro.name}` is not filled by expansion "
                        f"`{prefix}` (metric `{scope.path}/{names[mname]}`)",
                        expansion,
                    )
                    # declared anyway so that references to it do not cascade into E001
                    self._declare(scope, names[mname], definition, metric)
                    continue
                filled.add((id(macro), mname))
                definition = assigned[mname]
            elif isinstance(definition, f.Function):
                definition = _rename(definition, names)
            self._declare(scope, names[mname], definition, metric)

    # --- pass 3: nodes ---------------------------------------------------------------

    def resolve_metric(self, scope: _Scope, name: str, where: Any) -> int:
        for s in scope.chain():
            if name in s.metrics:
                return s.metrics[name]
        known = [m for s in scope.chain() for m in s.metrics]
        self.error(
            "E001",
            f"metric `{name}` is not defined in `{scope.path}` or an enclosing service object",
            where,
            self._suggest(name, known),
        )
        return -1

    def resolve_schedule(self, scope: _Scope | None, name: str, where: Any) -> int | None:
        if scope is not None:
            for s in scope.chain():
                if name in s.schedules:
                    return s.schedules[name]
        found = self.schedules_by_name.get(name, [])
        if len(found) == 1:
            return found[0]
        if found:
            self.error(
                "E003", f"schedule name `{name}` is ambiguous: {len(found)} schedules", where
            )
        else:
            self.error(
                "E003",
                f"schedule `{name}` does not exist",
                where,
                self._suggest(name, self.schedules_by_name),
            )
        return None

    def build(self) -> None:
        self.built = [{} for _ in self.pending]
        for index, item in enumerate(self.pending):
            self._build(
                index,
                item.scope,
                item.definition,
                f"{item.scope.path}/{item.name}",
                True,
                item.span,
            )

    def _new_slot(self) -> int:
        self.built.append({})
        return len(self.built) - 1

    def _build(  # noqa: PLR0917
        self, index: int, scope: _Scope, definition: Any, name: str, top: bool, span: Span | None
    ) -> None:
        entry = self.built[index]
        entry.update(
            index=index,
            name=name,
            definition=definition,
            metric=name if top else None,
            span=span if top else getattr(definition, "span", None),
            args=(),
            kinds=(),
            series=False,
            schedule=None,
        )
        if isinstance(definition, DirectiveVariable):
            return  # an unfilled hole, already reported
        if isinstance(definition, MeasurementDirective):
            if type(definition) not in DIRECTIVES:
                self.error(
                    "E009", f"no runtime for directive {type(definition).__name__}", definition
                )
            if definition.reading_schedule is not None:
                entry["schedule"] = self.resolve_schedule(
                    scope, definition.reading_schedule, definition
                )
            timeout = getattr(definition, "timeout", None)
            if timeout is not None and timeout.is_calendar:
                self.error("E009", f"`{name}`: Status TimeOut in years or months", definition)
            return
        spec = FUNCTIONS.get(type(definition))
        if spec is None:
            self.error(
                "E009", f"`{name}`: no runtime for function {type(definition).__name__}", definition
            )
            return
        problem = spec.check(definition)
        if problem:
            self.error("E009", f"`{name}`: {problem}", definition)
        sched = spec.schedule(definition)
        if sched is not None:
            entry["schedule"] = self.resolve_schedule(scope, sched, definition)
        entry["series"] = spec.series
        entry["kinds"] = spec.kinds
        args: list[Arg] = []
        for operand in spec.operands(definition):
            args.append(self._arg(scope, operand, name, definition))
        entry["args"] = tuple(args)

    def _arg(self, scope: _Scope, operand: Any, name: str, where: Any) -> Arg:
        if isinstance(operand, str):
            return self.resolve_metric(scope, operand, where)
        if isinstance(operand, f.MetricRef):
            return self.resolve_metric(scope, operand.name, operand)
        if isinstance(operand, f.LongScalar | f.FloatScalar | f.StringScalar):
            return Const(operand.value)
        if isinstance(operand, f.ConstantRef):
            for s in scope.chain():
                if operand.name in s.constants:
                    return Const(s.constants[operand.name])
            if operand.name in self.global_constants:
                return Const(self.global_constants[operand.name])
            self.error("E002", f"constant `{operand.name}` is not defined", operand)
            return Const(None)
        if isinstance(operand, f.Function):
            child = self._new_slot()
            self._build(child, scope, operand, f"{name}#{child}", False, None)
            return child
        self.error("E009", f"`{name}`: operand {operand!r} cannot be evaluated", where)
        return Const(None)

    def check_kinds(self) -> None:
        for entry in self.built:
            arg_series = []
            for arg, kind in zip(entry["args"], entry["kinds"], strict=True):
                is_series = isinstance(arg, int) and arg >= 0 and self.built[arg]["series"]
                arg_series.append(is_series)
                if (kind == SERIES and not is_series) or (kind == SCALAR and is_series):
                    what = "a series (TS or Q)" if kind == SERIES else "a single value"
                    shown = (
                        self.built[arg]["name"] if isinstance(arg, int) and arg >= 0 else repr(arg)
                    )
                    if not (isinstance(arg, int) and arg < 0):
                        self.error(
                            "E009",
                            f"`{entry['name']}` ({type(entry['definition']).__name__}) "
                            f"needs {what}, got `{shown}`",
                            entry["definition"],
                        )
                assert kind in (SERIES, SCALAR, ANY)
            entry["arg_series"] = tuple(arg_series)

    def topological(self) -> tuple[int, ...]:
        order: list[int] = []
        state = [0] * len(self.built)  # 0 new, 1 on stack, 2 done
        for root in range(len(self.built)):
            if state[root]:
                continue
            stack: list[tuple[int, int]] = [(root, 0)]
            state[root] = 1
            while stack:
                node, i = stack[-1]
                deps = [a for a in self.built[node]["args"] if isinstance(a, int) and a >= 0]
                if i < len(deps):
                    stack[-1] = (node, i + 1)
                    dep = deps[i]
                    if state[dep] == 1:
                        cycle = [n for n, _ in stack[[n for n, _ in stack].index(dep) :]]
                        names = " → ".join(self.built[n]["name"] for n in [*cycle, dep])
                        self.error("E008", f"metric cycle: {names}", self.built[dep]["definition"])
                        return tuple(order)
                    if state[dep] == 0:
                        state[dep] = 1
                        stack.append((dep, 0))
                else:
                    state[node] = 2
                    order.append(node)
                    stack.pop()
        return tuple(order)

    # --- obligations ------------------------------------------------------------------

    def declare_parameters(self) -> None:
        for scope in self.scopes:
            for parameter in scope.obj.parameters:
                pname = parameter.name or "?"
                if pname in self.param_index:
                    self.error("E010", f"two SLA parameters named `{pname}`", parameter)
                    continue
                node = self.resolve_metric(scope, parameter.metric, parameter)
                index = len(self.parameters)
                self.param_index[pname] = index
                self.parameters.append(PlanParameter(index, pname, node, parameter.span))

    def parameter(self, name: str, where: Any) -> int:
        if name in self.param_index:
            return self.param_index[name]
        self.error(
            "E004",
            f"SLA parameter `{name}` is not declared",
            where,
            self._suggest(name, self.param_index),
        )
        return 0

    def slo(self, name: str, where: Any) -> int:
        if name in self.slo_index:
            return self.slo_index[name]
        self.error(
            "E005",
            f"service level objective `{name}` does not exist",
            where,
            self._suggest(name, self.slo_index),
        )
        return 0

    def _expression(self, owner: str, expr: Any) -> Compiled:
        try:
            return compile_expression(expr, self)
        except UnsupportedExpression as exc:
            self.error("E009", f"`{owner}`: {exc}", expr)
            return lambda state: None

    def obligations(self) -> tuple[tuple[PlanSLO, ...], tuple[PlanGuarantee, ...]]:
        obligations = self.spec.obligations
        all_slos: tuple[ServiceLevelObjective, ...] = obligations.all_slos()
        for i, slo in enumerate(all_slos):
            sname = slo.name or f"#slo{i}"
            if sname in self.slo_index:
                self.error("E010", f"two service level objectives named `{sname}`", slo)
            self.slo_index.setdefault(sname, i)
        slos: list[PlanSLO] = []
        for i, slo in enumerate(all_slos):
            sname = slo.name or f"#slo{i}"
            validity: list[PeriodTest] = []
            for period in slo.validity:
                try:
                    validity.append(compile_period(period))
                except PeriodError as exc:
                    self.error("E012", f"validity of `{sname}`: {exc}", period)
            evaluate = self._expression(sname, slo.expression)
            reads = tuple(self.parameter(n, slo) for n in parameters_read(slo.expression))
            schedule = None
            if isinstance(slo.evaluation, OnSchedule):
                schedule = self.resolve_schedule(None, slo.evaluation.schedule, slo.evaluation)
            slos.append(
                PlanSLO(
                    i,
                    sname,
                    slo.obliged,
                    tuple(validity),
                    evaluate,
                    reads,
                    reads if schedule is None else (),
                    schedule,
                    slo.span,
                )
            )
        guarantees: list[PlanGuarantee] = []
        all_guarantees: tuple[ActionGuarantee, ...] = obligations.all_guarantees()
        for i, guarantee in enumerate(all_guarantees):
            gname = guarantee.name or f"#guarantee{i}"
            evaluate = self._expression(gname, guarantee.expression)
            reads = tuple(
                self.parameter(n, guarantee) for n in parameters_read(guarantee.expression)
            )
            named = tuple(self.slo(n, guarantee) for n in slos_named(guarantee.expression))
            schedule = None
            if isinstance(guarantee.evaluation, OnSchedule):
                schedule = self.resolve_schedule(
                    None, guarantee.evaluation.schedule, guarantee.evaluation
                )
            actions: list[PlanAction] = []
            for qa in guarantee.actions:
                action = qa.action
                if isinstance(action, Notification):
                    params = tuple(self.parameter(n, action) for n in action.parameters)
                    actions.append(
                        PlanAction(
                            qa.party,
                            action.action_name,
                            str(action.notification_type),
                            action.causing_guarantee,
                            params,
                        )
                    )
                else:
                    actions.append(PlanAction(qa.party, action.action_name, None, None, ()))
            guarantees.append(
                PlanGuarantee(
                    i,
                    gname,
                    guarantee.obliged,
                    evaluate,
                    reads,
                    reads if schedule is None else (),
                    named if schedule is None else (),
                    schedule,
                    guarantee.modality,
                    tuple(actions),
                    guarantee.span,
                )
            )
        return tuple(slos), tuple(guarantees)

    # --- targets ---------------------------------------------------------------------

    def targets(self) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
        targets: dict[str, list[int]] = {}
        operations: dict[str, list[int]] = {}
        for scope in self.scopes:
            for mname, index in scope.metrics.items():
                definition = self.pending[index].definition
                if not isinstance(definition, MeasurementDirective):
                    continue
                keys = {f"{scope.obj.name}/{mname}", f"{scope.path}/{mname}", *definition.uris}
                for key in sorted(keys):
                    targets.setdefault(key, []).append(index)
                if isinstance(definition, INVOKED):
                    for key in sorted({scope.obj.name or "?", scope.path}):
                        operations.setdefault(key, []).append(index)
        return (
            {k: tuple(dict.fromkeys(v)) for k, v in targets.items()},
            {k: tuple(dict.fromkeys(v)) for k, v in operations.items()},
        )


def _windows(built: list[dict[str, Any]], max_window: int) -> tuple[list[int | None], list[int]]:
    """Each node's effective series window: a constructor keeps at most ``max_window``
    elements (``Limits.max_window``); returns the windows and the nodes so bounded."""
    windows: list[int | None] = []
    bounded: list[int] = []
    for e in built:
        fn = e["definition"]
        if not isinstance(fn, f.QConstructor | f.TSConstructor):
            windows.append(None)
        elif fn.window is None or fn.window > max_window:
            windows.append(max_window)
            bounded.append(e["index"])
        else:
            windows.append(fn.window)
    return windows, bounded


def compile_plan(spec: Spec, *, limits: Limits | None = None) -> Plan:
    """Compile ``spec`` for evaluation, or raise :class:`PlanError` with every problem.

    ``limits`` (default ``wsla.limits.DEFAULT_LIMITS``) bounds series windows."""
    c = _Compiler(spec)
    c.collect()
    c.declare()
    c.build()
    c.check_kinds()
    order = c.topological()
    c.declare_parameters()
    slos, guarantees = c.obligations()
    targets, operations = c.targets()
    if c.problems:
        raise PlanError(c.problems)
    windows, bounded = _windows(c.built, (limits or DEFAULT_LIMITS).max_window)
    schedules = tuple(c.schedules)
    nodes = tuple(
        PlanNode(
            index=e["index"],
            name=e["name"],
            definition=e["definition"],
            args=e["args"],
            arg_series=e["arg_series"],
            series=e["series"],
            schedule=e["schedule"],
            ticker=schedules[e["schedule"]].ticker if e["schedule"] is not None else None,
            metric=e["metric"],
            span=e["span"],
            window=windows[e["index"]],
        )
        for e in c.built
    )
    return Plan(
        spec=spec,
        nodes=nodes,
        order=order,
        schedules=schedules,
        parameters=tuple(c.parameters),
        slos=slos,
        guarantees=guarantees,
        targets=targets,
        operations=operations,
        bounded=tuple(bounded),
        parameter_names=tuple(p.name for p in c.parameters),
    )


__all__ = [
    "Plan",
    "PlanAction",
    "PlanError",
    "PlanGuarantee",
    "PlanNode",
    "PlanParameter",
    "PlanSLO",
    "PlanSchedule",
    "compile_plan",
]
