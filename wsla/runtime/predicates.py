"""Predicates and three-valued logic (reference §5 "Obligations").

An expression compiles to a closure ``(state) -> True | False | None`` where ``None`` is
*unknown*. Comparisons over an undefined or non-numeric parameter value are unknown;
``And``/``Or``/``Not``/``Implies`` follow Kleene's strong logic. Registries map each model
class to its compiler.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, Protocol

from wsla.model import obligations as o
from wsla.runtime.nodes import Node
from wsla.runtime.values import is_number

Truth = bool | None
Compiled = Callable[["ObligationState"], Truth]


class ObligationState:
    """What predicates read: parameter values, which got a new value in this step,
    and each SLO's latest evaluation."""

    __slots__ = ("param_nodes", "param_stamp", "slo_evaluated", "slo_last", "step")

    def __init__(self, param_nodes: list[Node], slo_count: int) -> None:
        self.param_nodes = param_nodes
        self.param_stamp = [-1] * len(param_nodes)
        self.slo_last: list[Truth] = [None] * slo_count
        self.slo_evaluated = [False] * slo_count
        self.step = 0


class Resolver(Protocol):
    def parameter(self, name: str, where: Any) -> int: ...
    def slo(self, name: str, where: Any) -> int: ...


def kleene_and(a: Truth, b: Truth) -> Truth:
    if a is False or b is False:
        return False
    if a is True and b is True:
        return True
    return None


def kleene_or(a: Truth, b: Truth) -> Truth:
    if a is True or b is True:
        return True
    if a is False and b is False:
        return False
    return None


def kleene_not(a: Truth) -> Truth:
    return None if a is None else not a


def kleene_implies(a: Truth, b: Truth) -> Truth:
    return kleene_or(kleene_not(a), b)


COMPARISONS: dict[type[o.Comparison], Callable[[Any, Any], bool]] = {
    # the operator of each comparison predicate (also used by the batch engine)
    o.Greater: operator.gt,
    o.Less: operator.lt,
    o.Equal: operator.eq,
    o.GreaterEqual: operator.ge,
    o.LessEqual: operator.le,
}


def _comparison(pred: Any, resolve: Resolver) -> Compiled:
    index = resolve.parameter(pred.parameter, pred)
    test = COMPARISONS[type(pred)]
    limit = pred.value

    def evaluate(state: ObligationState) -> Truth:
        value = state.param_nodes[index].value
        if not is_number(value):
            return None
        return bool(test(value, limit))

    return evaluate


def _true(pred: Any, resolve: Resolver) -> Compiled:
    return lambda state: True


def _false(pred: Any, resolve: Resolver) -> Compiled:
    return lambda state: False


def _new_value(pred: Any, resolve: Resolver) -> Compiled:
    indices = tuple(resolve.parameter(name, pred) for name in pred.parameters)

    def evaluate(state: ObligationState) -> Truth:
        step = state.step
        stamps = state.param_stamp
        return any(stamps[i] == step for i in indices)

    return evaluate


def _violation(pred: Any, resolve: Resolver) -> Compiled:
    index = resolve.slo(pred.slo, pred)

    def evaluate(state: ObligationState) -> Truth:
        if not state.slo_evaluated[index]:
            return False
        return kleene_not(state.slo_last[index])

    return evaluate


PREDICATES: dict[type[o.Predicate], Callable[[Any, Resolver], Compiled]] = {
    **dict.fromkeys(COMPARISONS, _comparison),
    o.TruePredicate: _true,
    o.FalsePredicate: _false,
    o.NewValuePredicate: _new_value,
    o.ViolationPredicate: _violation,
}
"""Compilers of every predicate, by model class."""

_BINARY: dict[type[o.BinaryLogic], Callable[[Truth, Truth], Truth]] = {
    o.And: kleene_and,
    o.Or: kleene_or,
    o.Implies: kleene_implies,
}


def _binary(expr: Any, resolve: Resolver) -> Compiled:
    combine = _BINARY[type(expr)]
    left = compile_expression(expr.left, resolve)
    right = compile_expression(expr.right, resolve)
    return lambda state: combine(left(state), right(state))


def _not(expr: Any, resolve: Resolver) -> Compiled:
    inner = compile_expression(expr.operand, resolve)
    return lambda state: kleene_not(inner(state))


LOGIC: dict[type[Any], Callable[[Any, Resolver], Compiled]] = {
    **dict.fromkeys(_BINARY, _binary),
    o.Not: _not,
}
"""Compilers of the logic operators, by model class."""


class UnsupportedExpression(ValueError):
    pass


def compile_expression(expr: o.Expression, resolve: Resolver) -> Compiled:
    compiler = PREDICATES.get(type(expr)) or LOGIC.get(type(expr))  # type: ignore[arg-type]
    if compiler is None:
        raise UnsupportedExpression(f"no evaluation rule for {type(expr).__name__}")
    return compiler(expr, resolve)


def parameters_read(expr: o.Expression) -> tuple[str, ...]:
    """Parameter names an expression reads (comparisons and NewValue), first use first."""
    seen: dict[str, None] = {}
    for node in o.walk_expression(expr):
        if isinstance(node, o.Comparison):
            seen.setdefault(node.parameter)
        elif isinstance(node, o.NewValuePredicate):
            for name in node.parameters:
                seen.setdefault(name)
    return tuple(seen)


def slos_named(expr: o.Expression) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for node in o.walk_expression(expr):
        if isinstance(node, o.ViolationPredicate):
            seen.setdefault(node.slo)
    return tuple(seen)
