"""The registry of diagnostic codes.

Each family of codes lives in its own module (``wsla.codes.<family>``) as a tuple
``CODES`` of :class:`Code`. :func:`registry` collects them once (cached, no module
state is mutated). ``wsla explain CODE`` and ``docs/diagnostics/`` are generated from it.

Prefixes: ``C`` input/output and CLI, ``X`` XML (syntax, safety, schema, legacy),
``D`` DSL syntax, ``N`` names, ``R`` parties and roles, ``A`` actions, ``T`` types,
``U`` units, ``S`` schedules and time, ``G`` graph, ``E`` evaluation, ``M`` measurement
data, ``L`` resource limits.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from wsla.diagnostics import Diagnostic, Label, Severity
from wsla.model.span import Span

FAMILIES: tuple[str, ...] = ("io", "xml", "dsl", "semantic", "runtime", "data", "limits")


@dataclass(frozen=True, slots=True)
class Code:
    """One diagnostic code: its default severity and its documentation."""

    code: str
    severity: Severity
    title: str
    explanation: str
    bad: str = ""
    good: str = ""
    bad_lang: str = "xml"


@cache
def registry() -> dict[str, Code]:
    """Every known code, by code string, in family order."""
    out: dict[str, Code] = {}
    for family in FAMILIES:
        try:
            module = importlib.import_module(f"wsla.codes.{family}")
        except ModuleNotFoundError as exc:
            if exc.name != f"wsla.codes.{family}":
                raise
            continue
        for code in module.CODES:
            if code.code in out:
                raise RuntimeError(f"duplicate diagnostic code {code.code}")
            out[code.code] = code
    return out


def lookup(code: str) -> Code | None:
    return registry().get(code.upper())


def diagnostic(
    code: str,
    message: str,
    span: Span | None = None,
    *,
    help: str | None = None,
    notes: tuple[str, ...] = (),
    labels: tuple[Label, ...] = (),
    severity: Severity | None = None,
) -> Diagnostic:
    """Build a :class:`Diagnostic` whose severity defaults to the code's registered one."""
    known = registry().get(code)
    if known is None:
        raise KeyError(f"unregistered diagnostic code {code}")
    return Diagnostic(
        code=code,
        severity=severity or known.severity,
        message=message,
        span=span,
        labels=labels,
        help=help,
        notes=notes,
    )


__all__ = ["FAMILIES", "Code", "diagnostic", "lookup", "registry"]
