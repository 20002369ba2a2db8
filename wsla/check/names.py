"""Names: missing, undefined and duplicate names, and macro holes (codes ``N…``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from wsla.check import rule
from wsla.check.scope import Context, MetricEntry, did_you_mean
from wsla.check.walk import (
    notification_parameters,
    obligation_refs,
    obligations,
    resolved_metric_refs,
)
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic, Label
from wsla.model import (
    ActionGuarantee,
    DirectiveVariable,
    Function,
    MeasurementDirective,
    OnSchedule,
    ServiceLevelObjective,
    Span,
    Spec,
)


class _Named(Protocol):
    @property
    def name(self) -> str | None: ...
    @property
    def span(self) -> Span | None: ...


def _missing(kind: str, items: Iterable[_Named]) -> Iterator[Diagnostic]:
    for item in items:
        if not item.name:
            yield diagnostic(
                "N001",
                f"{kind} has no name",
                item.span,
                help=f"give the {kind} a name: the rest of the SLA and every report refer to"
                " it by name",
            )


@rule("N001")
def missing_names(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    yield from _missing("party", spec.parties.all())
    for party in spec.parties.all():
        yield from _missing("party action", party.actions)
    for scope in ctx.scopes:
        obj = scope.obj
        yield from _missing(obj.element or "service object", (obj,))
        yield from _missing("schedule", obj.schedules)
        yield from _missing("trigger", obj.triggers)
        yield from _missing("constant", obj.constants)
        yield from _missing("macro definition", obj.macro_definitions)
        for macro in obj.macro_definitions:
            yield from _missing("metric", macro.metrics)
        yield from _missing("SLA parameter", obj.parameters)
        yield from _missing("metric", obj.metrics)
        for expansion in obj.macro_expansions:
            for attr, what in (("macro_name", "macroName"), ("expansion_name", "expansionName")):
                if not getattr(expansion, attr):
                    yield diagnostic(
                        "N001",
                        f"macro expansion has no `{what}`",
                        expansion.span,
                        help=f"add `{what}`: without it the expansion creates no metrics",
                    )
            for assignment in expansion.assignments:
                if not assignment.metric_name:
                    yield diagnostic(
                        "N001",
                        "directive assignment has no `metricName`",
                        assignment.span or expansion.span,
                        help="name the macro metric whose hole this directive fills",
                    )
    yield from _missing("constant", spec.obligations.all_constants())
    yield from _missing("service level objective", spec.obligations.all_slos())
    yield from _missing("action guarantee", spec.obligations.all_guarantees())
    for guarantee in spec.obligations.all_guarantees():
        for qa in guarantee.actions:
            if not qa.action.action_name:
                yield diagnostic(
                    "N001",
                    "qualified action has no `actionName`",
                    qa.action.span or qa.span,
                    help="name the action the party offers (an `Action name=…` of that party)",
                )


def _undefined_party(ctx: Context, name: str, span: Span | None, role: str) -> Iterator[Diagnostic]:
    if name not in ctx.parties:
        yield diagnostic(
            "N002",
            f"{role} `{name}` is not a party of this SLA",
            span,
            help=did_you_mean(name, ctx.parties),
            notes=(f"known parties: {', '.join(ctx.parties) or 'none'}",),
        )


@rule("N002")
def undefined_parties(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for supporting in spec.parties.supporting:
        for sponsor in supporting.sponsors:
            yield from _undefined_party(ctx, sponsor, supporting.span, "sponsor")
    for party in spec.parties.all():
        for action in party.actions:
            if action.party_name:
                yield from _undefined_party(ctx, action.party_name, action.span, "partyName")
    parties = ctx.parties
    # The membership tests inline: these loops run once per metric and parameter.
    for entry in ctx.metrics:
        if entry.metric.source not in parties:
            yield from _undefined_party(ctx, entry.metric.source, entry.span, "metric source")
    for p in ctx.parameter_entries:
        comm = p.parameter.communication
        if comm is None:
            continue
        span = comm.span or p.parameter.span
        if comm.source not in parties:
            yield from _undefined_party(ctx, comm.source, span, "parameter source")
        for target in comm.push or ():
            if target not in parties:
                yield from _undefined_party(ctx, target, span, "push target")
        for target in comm.pull or ():
            if target not in parties:
                yield from _undefined_party(ctx, target, span, "pull party")
    for slo in spec.obligations.all_slos():
        yield from _undefined_party(ctx, slo.obliged, slo.span, "obliged party")
    for guarantee in spec.obligations.all_guarantees():
        for obliged in guarantee.obliged:
            yield from _undefined_party(ctx, obliged, guarantee.span, "obliged party")
        for qa in guarantee.actions:
            yield from _undefined_party(ctx, qa.party, qa.span or guarantee.span, "action party")


@rule("N003")
def undefined_metrics(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.metrics:
        definition = entry.metric.definition
        if not isinstance(definition, Function):
            continue
        for name, span, _fn, found in resolved_metric_refs(ctx, entry):
            if found is None:
                yield diagnostic(
                    "N003",
                    f"metric `{name}` is not defined in `{ctx.scopes[entry.scope].label}`"
                    " or an enclosing service object",
                    span,
                    help=did_you_mean(name, ctx.visible_metrics(entry, entry.scope)),
                )
    for p in ctx.parameter_entries:
        name = p.parameter.metric
        if ctx.resolve_metric(name, None, p.scope) is None:
            yield diagnostic(
                "N003",
                f"SLA parameter `{p.name}` exposes metric `{name}`, which is not defined in"
                f" `{ctx.scopes[p.scope].label}` or an enclosing service object",
                p.parameter.span,
                help=did_you_mean(name, ctx.visible_metrics(None, p.scope)),
            )


@rule("N004")
def undefined_parameters(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for ob in obligations(spec):
        refs = list(obligation_refs(ctx, ob)[0])
        if isinstance(ob, ActionGuarantee):
            refs.extend(notification_parameters(ob))
        for ref in refs:
            if ref.name not in ctx.parameters:
                yield diagnostic(
                    "N004",
                    f"SLA parameter `{ref.name}` is not defined",
                    ref.span,
                    help=did_you_mean(ref.name, ctx.parameters),
                    notes=("obligations read SLA parameters, never metrics directly",),
                )


def _undefined_schedule(
    ctx: Context, name: str, span: Span | None, scope: int | None, role: str
) -> Iterator[Diagnostic]:
    if ctx.resolve_schedule(name, scope) is None:
        where = "in the SLA" if scope is None else f"in `{ctx.scopes[scope].label}`"
        yield diagnostic(
            "N005",
            f"{role} `{name}` is not defined {where}",
            span,
            help=did_you_mean(name, ctx.visible_schedules(scope)),
        )


@rule("N005")
def undefined_schedules(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    resolve = ctx.resolve_schedule
    for entry in ctx.metrics:
        definition = entry.metric.definition
        if isinstance(definition, Function):
            for name, span, _fn in entry.schedules:
                if resolve(name, entry.scope) is None:
                    yield from _undefined_schedule(ctx, name, span, entry.scope, "schedule")
        elif isinstance(definition, MeasurementDirective) and definition.reading_schedule:
            yield from _undefined_schedule(
                ctx,
                definition.reading_schedule,
                definition.span or entry.span,
                entry.scope,
                "reading schedule",
            )
    for ob in obligations(spec):
        if isinstance(ob.evaluation, OnSchedule):
            yield from _undefined_schedule(
                ctx, ob.evaluation.schedule, ob.evaluation.span or ob.span, None, "schedule"
            )


@rule("N006")
def undefined_constants(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    # The ConstantRefs were found by build_context's walk of each metric (entry.constants).
    for entry in ctx.metrics:
        for name, span, _fn in entry.constants:
            if ctx.resolve_constant(name, entry.scope) is None:
                yield diagnostic(
                    "N006",
                    f"constant `{name}` is not defined",
                    span,
                    help=did_you_mean(name, ctx.visible_constants(entry.scope)),
                )


@rule("N007", "N009")
def macro_references(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for scope in ctx.scopes:
        for expansion in scope.obj.macro_expansions:
            if not expansion.macro_name:
                continue
            macro = ctx.resolve_macro(expansion.macro_name, scope.index)
            if macro is None:
                yield diagnostic(
                    "N007",
                    f"macro definition `{expansion.macro_name}` is not defined",
                    expansion.span,
                    help=did_you_mean(expansion.macro_name, ctx.visible_macros(scope.index)),
                )
                continue
            holes = [
                m.name
                for m in macro.metrics
                if m.name and isinstance(m.definition, DirectiveVariable)
            ]
            for assignment in expansion.assignments:
                name = assignment.metric_name
                if name and name not in holes:
                    exists = any(m.name == name for m in macro.metrics)
                    why = "has no directive variable" if exists else "is not a metric of it"
                    yield diagnostic(
                        "N009",
                        f"`{name}` {why} in macro `{macro.name}`: nothing to fill",
                        assignment.span or expansion.span,
                        help=did_you_mean(name, holes),
                        notes=(f"holes of `{macro.name}`: {', '.join(holes) or 'none'}",),
                    )


@rule("N010")
def unfilled_holes(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.metrics:
        if entry.template is not None and entry.expansion is not None:
            if not entry.filled:
                template_name = entry.name.split(".", 1)[1]
                yield diagnostic(
                    "N010",
                    f"expansion `{entry.expansion.expansion_name}` does not fill the hole"
                    f" of `{template_name}`; `{entry.name}` can never be evaluated",
                    entry.expansion.span,
                    help=f'add a MeasurementDirectiveAssignment with metricName "{template_name}"',
                )
        elif isinstance(entry.metric.definition, DirectiveVariable):
            yield diagnostic(
                "N010",
                f"metric `{entry.name}` is a MeasurementDirectiveVariable outside any macro"
                " definition; nothing can fill it, so it can never be evaluated",
                entry.metric.definition.span or entry.span,
                help="give the metric a MeasurementDirective, or move it into a"
                " MetricMacroDefinition and expand that",
            )


# --- duplicates --------------------------------------------------------------------


def _duplicates(kind: str, items: Iterable[_Named], where: str = "") -> Iterator[Diagnostic]:
    first: dict[str, _Named] = {}
    for item in items:
        name = item.name
        if not name:
            continue
        earlier = first.get(name)
        if earlier is None:
            first[name] = item
            continue
        labels = (
            (Label(earlier.span, f"`{name}` first defined here"),)
            if earlier.span is not None
            else ()
        )
        yield diagnostic(
            "N008",
            f"{kind} `{name}` is defined more than once{where}",
            item.span,
            labels=labels,
            help="rename one of them: references by name would be ambiguous",
        )


class _Alias:
    """A name and a span under a different name (e.g. an expansion's expansionName)."""

    __slots__ = ("name", "span")

    def __init__(self, name: str | None, span: Span | None) -> None:
        self.name = name
        self.span = span


@rule("N008")
def duplicate_names(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    yield from _duplicates("party", spec.parties.all())
    for party in spec.parties.all():
        yield from _duplicates("action", party.actions, f" by party `{party.name}`")
    yield from _duplicates("service definition", spec.service_definitions)
    metrics_of: list[list[MetricEntry]] = [[] for _ in ctx.scopes]
    for entry in ctx.metrics:
        metrics_of[entry.scope].append(entry)
    for scope in ctx.scopes:
        obj = scope.obj
        where = f" in `{scope.label}`"
        # A name is duplicated only among two or more: most lists here hold fewer.
        nested = obj.nested()
        if len(nested) > 1:
            yield from _duplicates("service object", nested, where)
        if len(obj.schedules) > 1:
            yield from _duplicates("schedule", obj.schedules, where)
        if len(obj.triggers) > 1:
            yield from _duplicates("trigger", obj.triggers, where)
        if len(obj.constants) > 1:
            yield from _duplicates("constant", obj.constants, where)
        if len(obj.macro_definitions) > 1:
            yield from _duplicates("macro definition", obj.macro_definitions, where)
        for macro in obj.macro_definitions:
            yield from _duplicates("metric", macro.metrics, f" in macro `{macro.name}`")
        if len(obj.macro_expansions) > 1:
            yield from _duplicates(
                "macro expansion",
                (_Alias(e.expansion_name, e.span) for e in obj.macro_expansions),
                where,
            )
        group = metrics_of[scope.index]
        # Names only when some repeat: most objects have none, and this runs per object.
        if len(group) > 1 and len({e.name for e in group}) < len(group):
            yield from _duplicates(
                "metric",
                (_Alias(e.name, e.expansion.span if e.expansion else e.span) for e in group),
                where,
            )
    yield from _duplicates(
        "SLA parameter", (p.parameter for p in ctx.parameter_entries), " in the SLA"
    )
    used = {
        ob.evaluation.schedule for ob in obligations(spec) if isinstance(ob.evaluation, OnSchedule)
    }
    # Per service object duplicates are reported above; across objects only names that an
    # obligation uses must be unique (obligations have no scope to choose one by).
    per_object = {
        (s.index, sch.name) for s in ctx.scopes for sch in s.obj.schedules if sch.name in used
    }
    seen_objects: dict[str, int] = {}
    for index, name in sorted(per_object, key=lambda t: t[0]):
        if name in seen_objects:
            schedule = ctx.schedules_by_scope[index][name]
            first = ctx.schedules_by_scope[seen_objects[name]][name]
            yield diagnostic(
                "N008",
                f"schedule `{name}` is defined in more than one service object, and an"
                " obligation uses it",
                schedule.span,
                labels=(Label(first.span, "also defined here"),) if first.span else (),
                help="schedule names used by obligations must be unique in the whole SLA",
            )
        else:
            seen_objects[name] = index
    yield from _duplicates("constant", spec.obligations.all_constants(), " in Obligations")
    named: list[ServiceLevelObjective | ActionGuarantee] = list(obligations(spec))
    named.sort(key=lambda o: (o.span.line, o.span.column) if o.span else (0, 0))
    yield from _duplicates("obligation", named, " (SLOs and guarantees share one namespace)")
