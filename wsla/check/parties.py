"""Parties and roles: who may sponsor, measure, provide, receive and be obliged (``R…``).

Undefined party names are ``N002`` (names); these rules judge parties that exist.
A signatory (provider or consumer) may play any role itself; a supporting party plays
exactly the roles it lists.
"""

from __future__ import annotations

from collections.abc import Iterator

from wsla.check import rule
from wsla.check.scope import Context
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.model import (
    MeasurementDirective,
    Party,
    Role,
    ServiceConsumer,
    ServiceProvider,
    Span,
    Spec,
    SupportingParty,
)


def _is_signatory(party: Party) -> bool:
    return isinstance(party, ServiceProvider | ServiceConsumer)


def _plays(party: Party, *roles: Role) -> bool:
    return _is_signatory(party) or (
        isinstance(party, SupportingParty) and any(r in party.roles for r in roles)
    )


def _kind(party: Party) -> str:
    if isinstance(party, ServiceProvider):
        return "the service provider"
    if isinstance(party, ServiceConsumer):
        return "the service consumer"
    assert isinstance(party, SupportingParty)
    roles = ", ".join(party.roles) or "no role"
    return f"a supporting party ({roles})"


@rule("R001")
def sponsors_are_signatories(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for party in spec.parties.supporting:
        for sponsor in party.sponsors:
            found = ctx.parties.get(sponsor)
            if found is not None and not _is_signatory(found):
                yield diagnostic(
                    "R001",
                    f"supporting party `{party.name}` is sponsored by `{sponsor}`, which is"
                    f" {_kind(found)}, not a signatory",
                    party.span,
                    help="a sponsor must be the service provider or the service consumer",
                )


@rule("R002")
def measuring_sources(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.metrics:
        if not isinstance(entry.metric.definition, MeasurementDirective):
            continue
        source = ctx.parties.get(entry.metric.source)
        if source is None:
            continue
        fits = isinstance(source, ServiceProvider) or (
            isinstance(source, SupportingParty) and Role.MEASUREMENT_SERVICE in source.roles
        )
        if not fits:
            yield diagnostic(
                "R002",
                f"measured metric `{entry.name}` has source `{source.name}`, which is"
                f" {_kind(source)}: it cannot read the provider's instrumentation",
                entry.span,
                help="make the provider the source, or a supporting party with the role"
                " MeasurementService",
            )


@rule("R003")
def parameter_sources(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for p in ctx.parameter_entries:
        comm = p.parameter.communication
        if comm is None:
            continue
        source = ctx.parties.get(comm.source)
        if source is None:
            continue
        if isinstance(source, SupportingParty) and Role.MEASUREMENT_SERVICE not in source.roles:
            yield diagnostic(
                "R003",
                f"SLA parameter `{p.name}` is provided by `{source.name}`, which is"
                f" {_kind(source)}: only a measurement service computes parameter values",
                comm.span or p.parameter.span,
                help="give that party the role MeasurementService, or let a signatory or a"
                " measurement service provide the parameter",
            )


def _receivers(
    ctx: Context, names: tuple[str, ...], span: Span | None, param: str, verb: str
) -> Iterator[Diagnostic]:
    for name in names:
        party = ctx.parties.get(name)
        if party is None:
            continue
        if not _plays(party, Role.CONDITION_EVALUATION_SERVICE, Role.MANAGEMENT_SERVICE):
            yield diagnostic(
                "R004",
                f"SLA parameter `{param}` is {verb} `{name}`, which is {_kind(party)}",
                span,
                help="parameter values go to a signatory or to a supporting party with the"
                " role ConditionEvaluationService or ManagementService",
            )


@rule("R004")
def push_pull_receivers(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for p in ctx.parameter_entries:
        comm = p.parameter.communication
        if comm is None:
            continue
        span = comm.span or p.parameter.span
        yield from _receivers(ctx, comm.push or (), span, p.name, "pushed to")
        yield from _receivers(ctx, comm.pull or (), span, p.name, "pulled by")


@rule("R005")
def slo_obliged_signatory(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for slo in spec.obligations.all_slos():
        party = ctx.parties.get(slo.obliged)
        if party is not None and not _is_signatory(party):
            yield diagnostic(
                "R005",
                f"SLO `{slo.name}` obliges `{party.name}`, which is {_kind(party)}",
                slo.span,
                help="a service level objective binds a signatory: the provider (usually)"
                " or the consumer",
            )


@rule("R006")
def guarantee_obliged_role(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for guarantee in spec.obligations.all_guarantees():
        for name in guarantee.obliged:
            party = ctx.parties.get(name)
            if party is None:
                continue
            if not _plays(party, Role.CONDITION_EVALUATION_SERVICE, Role.MANAGEMENT_SERVICE):
                yield diagnostic(
                    "R006",
                    f"guarantee `{guarantee.name}` obliges `{name}`, which is {_kind(party)}:"
                    " it neither evaluates conditions nor manages actions",
                    guarantee.span,
                    help="oblige a signatory, or a supporting party with the role"
                    " ConditionEvaluationService or ManagementService",
                )
