"""The fast readers of the ``.wsla`` grammar (``grammar.Fast``) give exactly the grammar's
results: the same model nodes with the same spans, and the same diagnostics (they hand
anything unusual or wrong back to the grammar)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import strategies as S
from hypothesis import given, settings
from hypothesis import strategies as st

from wsla import model as m
from wsla.dsl import grammar as g
from wsla.dsl.printer import dumps_dsl
from wsla.dsl.reader import loads_dsl
from wsla.dsl.source import Source


def _deep(value: Any) -> Any:
    """A comparable form of a model value that includes the spans (equality skips them)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple((f.name, _deep(getattr(value, f.name))) for f in dataclasses.fields(value))
        return (type(value).__name__, *fields)
    if isinstance(value, tuple | list):
        return tuple(_deep(item) for item in value)
    return repr(value)


def _read(text: str) -> tuple[Any, list[str]]:
    spec, diagnostics = loads_dsl(text)
    return _deep(spec), [str(d) for d in diagnostics]


def _grammar_only(text: str) -> tuple[Any, list[str]]:
    original = g.Fast.parseImpl

    def slow(self: g.Fast, instring: str, loc: int, do_actions: bool = True) -> Any:
        return self.expr._parse(instring, loc, do_actions, callPreParse=False)

    g.Fast.parseImpl = slow  # type: ignore[method-assign]
    try:
        return _read(text)
    finally:
        g.Fast.parseImpl = original  # type: ignore[method-assign]


def _sla(statements: str) -> str:
    return (
        "sla S {\n  provider P\n  consumer C\n  service D {\n"
        "    schedule Every every 5 min from 2026-01-01T00:00:00Z to 2026-12-31T00:00:00Z\n"
        f"    {statements}\n  }}\n  obligations {{ }}\n}}\n"
    )


STATEMENTS = [
    "metric M: float in seconds by P = mean(RTs) / 1000",
    'metric M: float in "transactions / hour" by P = (a - b) * 12 + c / d - e',
    "metric M by P = ts_select(S, element=-1) - ts_select(S, element=0)",
    'metric M : long counter true by P uri "u\\tv" = measure gauge(uri="http://x/\\u00e9")',
    'metric M: long counter false by P = measure response_time(uri="https://probe")',
    "metric M by P = hole",
    "metric M by P = ts_constructor(R, schedule=Every, window=12)",
    "metric M by P = percentage_greater_than_threshold(RTs, value=500.5e-1)",
    "metric M by P = mean(RTs) as float",
    'metric M by P = measure gauge(uri="u") as long',
    "metric M by P = mean(ts_constructor(R, schedule=Every, window=2 + 1))",
    "metric M by P = ts_constructor(R, schedule=Every, window=5 min)",
    "metric M by P = mean(`quoted name`)",
    "metric `Quoted` by P = mean(RTs)",
    "metric M by P = const K * mean(RTs)",
    'metric M by P = mean(RTs) + "text"',
    "metric M by P = inf * mean(RTs)",
    "metric M: TS by P = mean(RTs)",
    # errors: the grammar reports them, at the same place, in the same words
    "metric M by P = mean(RTs",
    "metric M by P = mean(RTs) +",
    "metric M by P = meen(RTs)",
    "metric M by P = mean(RTs, windw=3)",
    "metric M by P = mean()",
    "metric M by P = RTs",
    "metric M by P = 12",
    "metric M by by = mean(RTs)",
    "metric M in by by P = mean(RTs)",
    'metric M by P uri "bad \\q" = mean(RTs)',
    'metric M by P = mean("bad \\q")',
    "metric M by P = mean(RTs) * " + "9" * 4001,
    "metric M by P = percentage_greater_than_threshold(RTs, value=" + "9" * 400 + ")",
    "metric M by P == mean(RTs)",
    'metric M by P = measure nosuch(uri="u")',
    "metric M: floot by P = mean(RTs)",
    "metric M by P = mean(RTs) as",
    "schedule T every 1 h 30 min from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00+01:00",
    "schedule T every 5min\n from 2026-01-01T00:00 to 2026-02-01T00:00:00.5Z",
    "schedule T every empty from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z",
    "schedule T every 1 h 1 h from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z",
    "schedule T every 1 h 2 from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z",
    "schedule T every 1 hh from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z",
    "schedule T every 1 h from 2026-13-01T00:00:00Z to 2026-02-01T00:00:00Z",
    "schedule T every 1 h from 2026-01-01T00:00:00Z",
    "schedule T every 1 h",
    "schedule every 1 h from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z",
    "schedule T every " + "1" * 4001 + " h from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z",
    'schedule T every 1 h calendar(since="2026-01-05T00:00:00Z", months="111111111111", '
    'days="1111111111111111111111111111111", weekdays="1111100", '
    'hours="000000001111111111000000", zone="Europe/Zurich", clock="Local")',
    "parameter A: float in seconds = M source Meter push [Auditor]",
    "parameter A = M source Meter pull [] push [X, Y , Z]",
    "parameter A = M source Meter pull [X]",
    "parameter A = M source Meter",
    "parameter A = M",
    'parameter A: float in "a / b" = M',
    "parameter A = M source Meter push [X] pull [Y]",
    "parameter A = M source Meter push [X,]",
    "parameter A = M source Meter push [`q`]",
    "parameter A = M source",
    "parameter A = by",
    "parameter A = M source Meter push [by]",
]


def _slo(expression: str) -> str:
    return (
        "sla S {\n  provider P\n  consumer C\n  service D { parameter A: float in ms = M }\n"
        "  obligations {\n    slo O obliged P on new value {\n"
        "      valid from 2026-01-01T00:00:00Z to 2026-12-31T00:00:00Z\n"
        f"      {expression}\n    }}\n  }}\n}}\n"
    )


PREDICATES = [
    "A < 1000.0 implies A < 0.5 and not A > 0.05",
    "A < 1 implies A > 2 implies A == 3",
    "(A < 1 or A >= 2) and (not (A <= 3))",
    "not not A < 1 or true and false",
    "A < 0.5 s",
    "A < 500 ms and A > 1 %",
    'A < 0.5 "s" or A > 1 "bad \\q"',
    "A < 2 requests / min",
    "A < 2 seconds implies true",
    "new value(A) and violation(O)",
    "`A` < 1",
    "A<1and A>2",
    "A < 1 and",
    "A < and",
    "A = 1",
    "A < 1 or by < 2",
    "A < " + "9" * 4001,
    "A < 1 implies (A > 2",
    "A < 1 xyz",
    "A < " + "9" * 400,
    "A < " + "9" * 400 + " s",
]


@pytest.mark.parametrize("predicate", PREDICATES)
def test_fast_predicates_match_the_grammar(predicate: str) -> None:
    text = _slo(predicate)
    assert _read(text) == _grammar_only(text)


SLOS = [
    "slo O obliged P on schedule Every { A < 1 }",
    "slo O obliged P on new value{valid from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z\n"
    "valid from 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z A < 1}",
    "slo O obliged P on new value { true }",
    "slo O obliged P on new value { valid A < 1 }",
    "slo O obliged P on new value { A < 1",
    "slo O obliged P on new value { A < 1 A < 2 }",
    "slo O obliged P on schedule by { A < 1 }",
    "slo obliged P on new value { A < 1 }",
    "slo O obliged P on value { A < 1 }",
    'slo O obliged P on new value { valid calendar(since="2026-01-05T00:00:00Z", '
    'months="111111111111", days="1111111111111111111111111111111", weekdays="1111100", '
    'hours="000000001111111111000000", zone="UTC", clock="Local") A < 1 }',
]


@pytest.mark.parametrize("slo", SLOS)
def test_fast_slos_match_the_grammar(slo: str) -> None:
    text = (
        "sla S {\n  provider P\n  consumer C\n  service D {\n"
        "    schedule Every every 5 min from 2026-01-01T00:00:00Z to 2026-12-31T00:00:00Z\n"
        "    parameter A: float in ms = M\n  }\n"
        f"  obligations {{\n    {slo}\n  }}\n}}\n"
    )
    assert _read(text) == _grammar_only(text)


@pytest.mark.parametrize("statement", STATEMENTS)
def test_fast_readers_match_the_grammar(statement: str) -> None:
    text = _sla(statement)
    assert _read(text) == _grammar_only(text)


def test_fast_readers_read_the_common_statements_themselves() -> None:
    metric = "metric M: float in seconds by P = (mean(RTs) - 1) / 1000  "
    end, node = g._fast_metric(Source(metric), 0)
    assert end == len(metric.rstrip())
    assert isinstance(node, m.Metric)
    assert isinstance(node.definition, m.Divide)
    assert node.span is not None and node.span.end_column == len(metric.rstrip())
    predicate = "A < 1 implies not (B > 2 or C == 3.5 ms) and true  }"
    end, node = g._fast_implies(Source(predicate), 0)
    assert predicate[end:] == "  }"
    assert isinstance(node, m.Implies)
    assert isinstance(node.right, m.And)
    parameter = "parameter A: float = M source Meter pull [] push [X, Y]\n"
    end, param = g._fast_parameter(Source(parameter), 0)
    assert end == len(parameter.rstrip())
    assert param.communication is not None
    assert param.communication.pull == ()
    assert param.communication.push == ("X", "Y")


@pytest.mark.parametrize(
    "statement",
    [
        "metric M by P = mean(RTs) as float",
        "metric M by P = const K",
        "metric M by P = meen(RTs)",
        "parameter A = M source Meter push [X] pull [Y]",
    ],
)
def test_fast_readers_leave_the_unusual_to_the_grammar(statement: str) -> None:
    read = g._fast_metric if statement.startswith("metric") else g._fast_parameter
    with pytest.raises((g._Bail, g.DslError)):
        read(Source(statement), 0)


_NAMES = st.sampled_from(["a", "RTs", "x_1", "by", "`q`", "inf", "mean"])
_NUMBERS = st.sampled_from(["0", "12", "-1", "1.5", "2e3", ".5", "+7", "1.", "99999"])
_SPACES = st.sampled_from(["", " ", "  ", "\n", "\t"])


@st.composite
def _expressions(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["name", "number", "call", "paren", "binary", "string"]))
    if depth > 2 or kind == "name":
        return draw(_NAMES)
    if kind == "number":
        return draw(_NUMBERS)
    if kind == "string":
        return draw(st.sampled_from(['"s"', '"a\\"b"', '"\\x"']))
    inner = draw(_expressions(depth + 1))
    space = draw(_SPACES)
    if kind == "paren":
        return f"({space}{inner}{draw(_SPACES)})"
    if kind == "call":
        fname = draw(st.sampled_from(["mean", "ts_select", "nosuch", "ts_constructor"]))
        key = draw(st.sampled_from(["", "element=", "window =", "schedule= "]))
        more = draw(st.sampled_from(["", ", window=2", ", element=0", ",", " as long"]))
        return f"{fname}{space}({key}{inner}{more})"
    op = draw(st.sampled_from(["+", "-", "*", "/", "", "=="]))
    return f"{inner}{space}{op}{draw(_SPACES)}{draw(_expressions(depth + 1))}"


@settings(max_examples=60, deadline=None)
@given(_expressions())
def test_fast_expressions_match_the_grammar(expression: str) -> None:
    text = _sla(f"metric M by P = {expression}")
    assert _read(text) == _grammar_only(text)


@pytest.mark.parametrize("text", [_sla("metric M by P = mean(RTs)"), _sla("metric M by P = (")])
def test_reading_restores_the_garbage_collector(text: str) -> None:
    import gc

    assert gc.isenabled()
    loads_dsl(text)
    assert gc.isenabled()
    gc.disable()
    try:
        loads_dsl(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("value", ["9" * 400, "9" * 400 + " s"])
def test_a_comparison_value_beyond_doubles_is_a_diagnostic(value: str) -> None:
    spec, diagnostics = loads_dsl(_slo(f"A < {value}"))
    assert spec is None
    assert [d.code for d in diagnostics] == ["D032"]
    assert "too large for a number" in diagnostics[0].message


@settings(max_examples=10, deadline=None)
@given(S.specs())
def test_printed_specs_read_the_same_as_with_the_grammar_alone(spec: m.Spec) -> None:
    text = dumps_dsl(spec)
    assert _read(text) == _grammar_only(text)
