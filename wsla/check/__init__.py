"""Semantic rules over the object model: names, parties, actions, types, units, time, graph.

Each rule is a function ``(spec, context) -> Iterator[Diagnostic]`` decorated with
:func:`rule`, which wraps it in a :class:`Rule` naming the codes it may emit. The rule
modules are listed in :data:`RULE_MODULES`; :func:`rules` collects their :class:`Rule`
objects once (cached, nothing is mutated at import time).

>>> from wsla.check import rules
>>> all(r.codes for r in rules())
True
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from wsla.check.scope import Context, build_context
from wsla.diagnostics import Diagnostic
from wsla.model import Spec

RuleFunction = Callable[[Spec, Context], Iterator[Diagnostic]]

RULE_MODULES: tuple[str, ...] = (
    "wsla.check.names",
    "wsla.check.parties",
    "wsla.check.actions",
    "wsla.check.types",
    "wsla.check.units",
    "wsla.check.schedules",
    "wsla.check.graph_rules",
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: the codes it may emit and the function that finds them."""

    name: str
    codes: tuple[str, ...]
    function: RuleFunction

    def __call__(self, spec: Spec, context: Context) -> Iterator[Diagnostic]:
        return self.function(spec, context)


def rule(*codes: str) -> Callable[[RuleFunction], Rule]:
    """Mark a function as a rule emitting ``codes``."""

    def wrap(function: RuleFunction) -> Rule:
        return Rule(name=function.__name__, codes=codes, function=function)

    return wrap


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule, in module order then definition order."""
    found: list[Rule] = []
    for name in RULE_MODULES:
        module = importlib.import_module(name)
        # Only rules defined in the module: a rule imported from another is not a second rule.
        found.extend(
            v
            for v in vars(module).values()
            if isinstance(v, Rule) and v.function.__module__ == name
        )
    return tuple(found)


def _position(d: Diagnostic) -> tuple[str, int, int, str, str]:
    span = d.span
    if span is None:
        return ("\uffff", 0, 0, d.code, d.message)
    return (span.path or "", span.line, span.column, d.code, d.message)


def check(
    spec: Spec,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
) -> list[Diagnostic]:
    """Run the semantic rules on ``spec``; diagnostics sorted by position.

    ``select``/``ignore`` take codes or code prefixes (``"N"``, ``"G002"``); a rule runs
    when at least one of its codes is selected, and findings are filtered the same way.
    """
    chosen = tuple(select) if select is not None else None
    dropped = tuple(ignore)

    def wanted(code: str) -> bool:
        if any(code.startswith(p) for p in dropped):
            return False
        return chosen is None or any(code.startswith(p) for p in chosen)

    context = build_context(spec)
    seen: set[Diagnostic] = set()
    out: list[Diagnostic] = []
    for r in rules():
        if not any(wanted(c) for c in r.codes):
            continue
        for d in r(spec, context):
            # Macro copies share their template's spans: the same finding once is enough.
            if wanted(d.code) and d not in seen:
                seen.add(d)
                out.append(d)
    out.sort(key=_position)
    return out


class _CallableModule(types.ModuleType):
    """``wsla.check`` names both this package and, in the public API, :func:`check`; a
    submodule import rebinds the package attribute, so the package is callable too."""

    def __call__(
        self,
        spec: Spec,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
    ) -> list[Diagnostic]:
        return check(spec, select=select, ignore=ignore)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["RULE_MODULES", "Context", "Rule", "build_context", "check", "rule", "rules"]
