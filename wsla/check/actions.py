"""Actions: qualified actions name offered actions; notifications name guarantees (``A…``)."""

from __future__ import annotations

from collections.abc import Iterator

from wsla.check import rule
from wsla.check.scope import Context, did_you_mean
from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.model import Notification, Spec


@rule("A001")
def offered_actions(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for guarantee in spec.obligations.all_guarantees():
        for qa in guarantee.actions:
            party = ctx.parties.get(qa.party)
            name = qa.action.action_name
            if party is None or not name:
                continue
            offered = [a.name for a in party.actions if a.name]
            if name not in offered:
                yield diagnostic(
                    "A001",
                    f"party `{qa.party}` offers no action `{name}`",
                    qa.action.span or qa.span or guarantee.span,
                    help=did_you_mean(name, offered),
                    notes=(f"`{qa.party}` offers: {', '.join(offered) or 'no actions'}",),
                )


@rule("A002")
def causing_guarantees(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for guarantee in spec.obligations.all_guarantees():
        for qa in guarantee.actions:
            action = qa.action
            if not isinstance(action, Notification):
                continue
            cause = action.causing_guarantee
            if cause not in ctx.guarantees:
                what = "an SLO, not a guarantee" if cause in ctx.slos else "not defined"
                yield diagnostic(
                    "A002",
                    f"causing guarantee `{cause}` is {what}",
                    action.span or qa.span or guarantee.span,
                    help=did_you_mean(cause, ctx.guarantees)
                    or f"name the guarantee that sends it (`{guarantee.name}`)",
                )


@rule("A003")
def action_party_names(spec: Spec, ctx: Context) -> Iterator[Diagnostic]:
    for party in spec.parties.all():
        for action in party.actions:
            owner = action.party_name
            if owner and party.name and owner != party.name and owner in ctx.parties:
                yield diagnostic(
                    "A003",
                    f"action `{action.name}` is listed under `{party.name}` but its partyName"
                    f" is `{owner}`",
                    action.span,
                    help=f'set partyName="{party.name}", or move the action to `{owner}`',
                )
