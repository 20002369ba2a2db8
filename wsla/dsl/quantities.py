"""Comparison values written with a unit (``Latency < 500 ms``, ``UpTime > 99.5 %``).

WSLA compares an SLA parameter with a plain double in the parameter's own unit, and XML
has no place for a unit on ``Value``. The DSL lets the value carry a unit and converts it
into the parameter's unit: exactly (decimal text and unit scales as fractions), then
rounded once to the nearest double. The parameter may be declared anywhere in the file,
so the conversion runs on the finished spec (:func:`resolve_units`), not in a parse
action. Units are the vocabulary of :mod:`wsla.check.units`.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.dsl import vocabulary as vocab
from wsla.model import (
    BinaryLogic,
    Comparison,
    Expression,
    Not,
    ObligationGroup,
    Obligations,
    Spec,
)
from wsla.model.obligations import UnitLiteral

if TYPE_CHECKING:
    from wsla.check.units import Unit

_Holder = TypeVar("_Holder", Obligations, ObligationGroup)

_BLANK = "[ \t\r\n]*"
_WORD = f"(?!(?:{'|'.join(sorted(vocab.RESERVED))})(?![A-Za-z0-9_])){vocab.IDENT_PATTERN}"
BARE_UNIT_PATTERN = f"%|{_WORD}(?:{_BLANK}/{_BLANK}{_WORD})?"
"""A unit written without quotes after a comparison value: ``%``, a word, ``what/time``."""
_BARE_UNIT = re.compile(BARE_UNIT_PATTERN)

KNOWN_SPELLINGS: tuple[str, ...] = (
    "ms",
    "msec",
    "milliseconds",
    "s",
    "sec",
    "seconds",
    "min",
    "minutes",
    "h",
    "hr",
    "hours",
    "d",
    "days",
    "%",
    "percent",
    "pct",
    "ratio",
    "fraction",
)
"""Spellings offered by "did you mean" (each one a unit of :mod:`wsla.check.units`)."""

_EXAMPLES = {"time": "ms, s, min, h or d", "fraction": "% or ratio"}

# Longer numbers are first rounded to this many significant digits: Fraction arithmetic on
# a megabyte of digits would take minutes, and no double needs more than 767 of them.
_MAX_DIGITS = 4000
# Past these decimal exponents the result is certainly infinite or zero for every unit
# scale of the vocabulary (at most 10^8 apart), and Fraction would build huge integers.
_HUGE_EXPONENT = 400


def unit_text(unit: str) -> str:
    """The unit as the printer writes it: bare when it reads back bare, else quoted."""
    return unit if _BARE_UNIT.fullmatch(unit) else vocab.quote(unit)


def literal_text(written: UnitLiteral) -> str:
    return f"{written.number} {unit_text(written.unit)}"


def scaled(number: str, factor: Fraction) -> float:
    """``number`` (decimal text as the grammar reads it) times ``factor``, rounded once.

    >>> scaled("99.5", Fraction(1, 100)), scaled("500", Fraction(1, 1000))
    (0.995, 0.5)
    """
    try:
        exact = Decimal(number)
    except InvalidOperation:  # the grammar only hands over numbers; be safe anyway
        return math.nan
    if not exact.is_finite():
        return float(exact)  # inf and nan keep their sign: the factor is positive
    sign = -1.0 if exact.is_signed() else 1.0
    if exact.is_zero() or exact.adjusted() < -_HUGE_EXPONENT:
        return math.copysign(0.0, sign)
    if exact.adjusted() > _HUGE_EXPONENT:
        return math.copysign(math.inf, sign)
    if len(exact.as_tuple().digits) > _MAX_DIGITS:
        exact = Context(prec=_MAX_DIGITS, rounding=ROUND_HALF_EVEN).plus(exact)
    try:
        result = float(Fraction(exact) * factor)
    except OverflowError:
        return math.copysign(math.inf, sign)
    return math.copysign(result, sign) if result == 0 else result


def parameter_units(spec: Spec) -> dict[str, str | None]:
    """Each named SLA parameter's declared unit (the first declaration of a name wins,
    as in name resolution)."""
    units: dict[str, str | None] = {}
    for obj, _parents in spec.service_objects():
        for parameter in obj.parameters:
            if parameter.name is not None:
                units.setdefault(parameter.name, parameter.unit)
    return units


def convert(
    comparison: Comparison, written: UnitLiteral, units: Mapping[str, str | None]
) -> float | Diagnostic:
    """The value ``written`` denotes in the compared parameter's unit, or why it has none."""
    from wsla.check.units import parse_unit

    name = comparison.parameter
    shown = f"`{literal_text(written)}`"
    quoted_name = vocab.format_name(name)
    if name not in units:
        return diagnostic(
            "D013",
            f"{shown} needs the unit of SLA parameter `{name}`, which is not defined",
            written.span,
            help=f"define `parameter {quoted_name}: float in {unit_text(written.unit)} = …`"
            " (or fix the name), or compare with a plain number",
        )
    target_text = units[name]
    if target_text is None:
        return diagnostic(
            "D013",
            f"{shown} cannot be converted: SLA parameter `{name}` declares no unit",
            written.span,
            help=f"declare the parameter's unit (`parameter {quoted_name}: float in "
            f"{unit_text(written.unit)} = …`), or compare with a plain number",
        )
    source = parse_unit(written.unit)
    if source is None:
        from wsla.dsl.grammar import did_you_mean

        return diagnostic(
            "D033",
            f"unknown unit `{written.unit}` in {shown}",
            written.span,
            help=did_you_mean(written.unit, KNOWN_SPELLINGS)
            or "known units: ms, s, min, h, d, %, ratio, and rates such as `requests/min`",
        )
    target = parse_unit(target_text)
    if target is None:
        return diagnostic(
            "D033",
            f"{shown} cannot be converted into `{target_text}`, the unit of SLA parameter"
            f" `{name}`: wsla does not know that unit",
            written.span,
            help=f"compare with a plain number in {target_text}, or declare the parameter"
            " in a known unit (ms, s, min, h, d, %, ratio, or a rate such as `requests/min`)",
        )
    if source.dimension != target.dimension:
        return diagnostic(
            "D034",
            f"{shown} is {_kind(source)}, but SLA parameter `{name}` is in {target_text}"
            f" ({_kind(target)})",
            written.span,
            help=f"write the value in {_examples(target)}, or compare it with a parameter"
            f" that is {_kind(source)}",
        )
    return scaled(written.number, source.scale / target.scale)


def _kind(unit: Unit) -> str:
    if unit.dimension == "time":
        return "a duration"
    if unit.dimension == "fraction":
        return "a fraction"
    what = unit.dimension.removesuffix("/time")
    return f"a rate ({what}s per unit of time)"


def _examples(unit: Unit) -> str:
    if unit.dimension in _EXAMPLES:
        return _EXAMPLES[unit.dimension]
    what = unit.dimension.removesuffix("/time")
    return f"{what}s/s, {what}s/min, {what}s/h or {what}s/d"


def resolve_units(spec: Spec) -> tuple[Spec, list[Diagnostic]]:
    """``spec`` with every comparison value written with a unit converted into its
    parameter's unit, or the diagnostics (in file order) of the values that cannot be."""
    if not any(map(_has_written, _expressions(spec.obligations))):
        return spec, []
    units = parameter_units(spec)
    problems: list[Diagnostic] = []

    def value_of(comparison: Comparison) -> Comparison:
        assert comparison.written is not None
        result = convert(comparison, comparison.written, units)
        if isinstance(result, Diagnostic):
            problems.append(result)
            return comparison
        return dataclasses.replace(comparison, value=result)

    obligations = _map_obligations(spec.obligations, lambda e: _map_expression(e, value_of))
    if problems:
        problems.sort(key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))
        return spec, problems
    return dataclasses.replace(spec, obligations=obligations), []


def _expressions(obligations: Obligations) -> list[Expression]:
    return [
        *(s.expression for s in obligations.all_slos()),
        *(g.expression for g in obligations.all_guarantees()),
    ]


def _has_written(expression: Expression) -> bool:
    # iterative: a long chain of `and`s is a deep tree
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, BinaryLogic):
            stack.extend((node.left, node.right))
        elif isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, Comparison) and node.written is not None:
            return True
    return False


def _map_expression(
    expression: Expression, change: Callable[[Comparison], Comparison]
) -> Expression:
    """``expression`` with ``change`` applied to each comparison written with a unit
    (iteratively, post-order; unchanged subtrees are reused)."""
    done: list[Expression] = []
    stack: list[tuple[Expression, bool]] = [(expression, False)]
    while stack:
        node, children_done = stack.pop()
        if isinstance(node, BinaryLogic):
            if children_done:
                right, left = done.pop(), done.pop()
                if left is not node.left or right is not node.right:
                    node = dataclasses.replace(node, left=left, right=right)
                done.append(node)
            else:
                stack.extend(((node, True), (node.right, False), (node.left, False)))
        elif isinstance(node, Not):
            if children_done:
                operand = done.pop()
                if operand is not node.operand:
                    node = dataclasses.replace(node, operand=operand)
                done.append(node)
            else:
                stack.extend(((node, True), (node.operand, False)))
        elif isinstance(node, Comparison) and node.written is not None:
            done.append(change(node))
        else:
            done.append(node)
    return done[0]


def _map_obligations(
    obligations: Obligations, change: Callable[[Expression], Expression]
) -> Obligations:
    def slos_and_guarantees(holder: _Holder) -> _Holder:
        return dataclasses.replace(
            holder,
            slos=tuple(
                dataclasses.replace(s, expression=change(s.expression)) for s in holder.slos
            ),
            guarantees=tuple(
                dataclasses.replace(g, expression=change(g.expression)) for g in holder.guarantees
            ),
        )

    return dataclasses.replace(
        slos_and_guarantees(obligations),
        groups=tuple(slos_and_guarantees(g) for g in obligations.groups),
    )


__all__ = [
    "BARE_UNIT_PATTERN",
    "KNOWN_SPELLINGS",
    "convert",
    "literal_text",
    "parameter_units",
    "resolve_units",
    "scaled",
    "unit_text",
]
