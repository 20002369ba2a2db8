"""The strategies in tests/strategies.py reach every kind of construct they promise."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import directives, expressions, functions, parties, periods, predicates, specs

from wsla.model import (
    ACTION_DESCRIPTION_TYPES,
    DIRECTIVE_TYPES,
    FUNCTION_TYPES,
    PREDICATE_TYPES,
    CalendarPeriod,
    Function,
    MetricMacroDefinition,
    MetricMacroExpansion,
    Not,
    ObligationGroup,
    OperationGroup,
    SoapOperation,
    StringOperation,
    TimePeriod,
    WebHosting,
)


def _seen(
    strategy: st.SearchStrategy[Any], kinds: Callable[[Any], Iterator[type]], n: int
) -> set[type]:
    """The set of kinds found in ``n`` generated examples."""
    out: set[type] = set()

    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        derandomize=True,  # a coverage claim must not depend on the draw
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        out.update(kinds(value))

    collect()
    return out


def _nested(fn: Any) -> Iterator[type]:
    yield type(fn)
    for name in fn.__dataclass_fields__:
        value = getattr(fn, name)
        if isinstance(value, Function):
            yield from _nested(value)


def _depth(fn: Any) -> int:
    inner = [getattr(fn, f) for f in fn.__dataclass_fields__]
    return 1 + max((_depth(v) for v in inner if isinstance(v, Function)), default=0)


def test_every_function_kind() -> None:
    assert _seen(functions(), _nested, 1000) >= set(FUNCTION_TYPES.values())


def test_functions_nest() -> None:
    depths: list[int] = []

    @settings(max_examples=100, database=None, deadline=None, derandomize=True)
    @given(functions())
    def collect(fn: Any) -> None:
        depths.append(_depth(fn))

    collect()
    assert max(depths) >= 3


def test_every_directive_predicate_period_and_action_kind() -> None:
    assert _seen(directives(), lambda d: iter([type(d)]), 250) >= set(DIRECTIVE_TYPES.values())
    assert _seen(predicates(), lambda p: iter([type(p)]), 250) >= set(PREDICATE_TYPES.values())
    assert _seen(periods(), lambda p: iter([type(p)]), 60) == {TimePeriod, CalendarPeriod}
    actions = _seen(parties(), lambda ps: (type(a) for p in ps.all() for a in p.actions), 60)
    assert actions >= set(ACTION_DESCRIPTION_TYPES.values())


def test_expressions_go_deep() -> None:
    def nots(e: Any) -> Iterator[type]:
        if isinstance(e, Not) and not isinstance(e.operand, Not):
            yield type(e.operand)

    assert len(_seen(expressions(), nots, 200)) >= 3


def test_specs_have_every_service_object_and_groups() -> None:
    def kinds(spec: Any) -> Iterator[type]:
        for definition in spec.service_definitions:
            yield from (type(m) for m in definition.macro_definitions)
            yield from (type(m) for m in definition.macro_expansions)
            yield from (type(op) for op in definition.operations)
            yield from (type(g) for g in definition.operation_groups)
            yield from (type(w) for w in definition.web_hostings)
        yield from (type(g) for g in spec.obligations.groups)

    assert _seen(specs(), kinds, 40) >= {
        SoapOperation,
        StringOperation,
        OperationGroup,
        WebHosting,
        MetricMacroDefinition,
        MetricMacroExpansion,
        ObligationGroup,
    }
