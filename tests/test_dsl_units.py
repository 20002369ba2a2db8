"""Comparison values written with a unit (``Latency < 500 ms``): converted exactly into the
compared SLA parameter's unit, written back as written, and plain numbers in XML.

Errors (no parameter unit D013, unknown unit D033, incompatible units D034) are golden
cases in ``tests/cases/dsl/comparison-*``; here are the conversions and the round trips.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wsla.dsl import dumps_dsl, format_source, loads_dsl
from wsla.dsl.quantities import KNOWN_SPELLINGS, resolve_units, scaled
from wsla.model import And, Comparison, Spec, walk_expression
from wsla.model.obligations import UnitLiteral
from wsla.xml.reader import load_xml
from wsla.xml.writer import dumps_xml

VALID = "valid from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z"


def _text(parameter_unit: str | None, predicate: str, *, service_last: bool = False) -> str:
    unit = "" if parameter_unit is None else f" in {parameter_unit}"
    service = (
        f"  service D {{\n    parameter X: float{unit} = M\n\n    metric M by P = hole\n  }}\n"
    )
    obligations = (
        f"  obligations {{\n    slo O obliged P on new value {{\n      {VALID}\n"
        f"      {predicate}\n    }}\n  }}\n"
    )
    body = obligations + "\n" + service if service_last else service + "\n" + obligations
    return f"sla S {{\n  provider P\n  consumer C\n\n{body}}}\n"


def _read(text: str) -> Spec:
    spec, diagnostics = loads_dsl(text, "t.wsla")
    assert diagnostics == [], diagnostics
    assert spec is not None
    return spec


def _comparisons(spec: Spec) -> list[Comparison]:
    return [
        node
        for slo in spec.obligations.all_slos()
        for node in walk_expression(slo.expression)
        if isinstance(node, Comparison)
    ]


def _value(parameter_unit: str | None, literal: str) -> float:
    (comparison,) = _comparisons(_read(_text(parameter_unit, f"X < {literal}")))
    return comparison.value


# --- conversions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter_unit", "literal", "expected"),
    [
        ("s", "500 ms", 0.5),
        ("seconds", "1.5 min", 90.0),
        ("min", "2 h", 120.0),
        ("h", "1 d", 24.0),
        ("ms", "0.25 s", 250.0),
        ("d", "36 h", 1.5),
        ("ratio", "99.5 %", 0.995),
        ('"%"', "0.07 ratio", 7.0),
        ("fraction", "50 percent", 0.5),
        ("percent", "12.5 pct", 12.5),
        ('"transactions / hour"', "100 transactions/min", 6000.0),
        ('"requests/s"', '120 "requests per minute"', 2.0),
        ('"requests per minute"', "3 request/s", 180.0),
        ("Milliseconds", "2 SECONDS", 2000.0),
        ("s", "-500 ms", -0.5),
        ("s", "5e2 ms", 0.5),
        ("s", ".5 min", 30.0),
    ],
)
def test_a_value_is_converted_into_the_parameter_unit(
    parameter_unit: str, literal: str, expected: float
) -> None:
    assert _value(parameter_unit, literal) == expected


@pytest.mark.parametrize(
    ("parameter_unit", "literal", "expected"),
    [
        # the float of the exact product, not the product of floats
        ("s", "1.1 h", 3960.0),  # 1.1 * 3600 == 3960.0000000000005
        ("ratio", "33.3 %", 0.333),  # 33.3 / 100 == 0.33299999999999996
        ('"%"', "4.35 ratio", 435.0),  # 4.35 * 100 == 434.99999999999994
    ],
)
def test_the_conversion_is_exact_then_rounded_once(
    parameter_unit: str, literal: str, expected: float
) -> None:
    number, unit = literal.split()
    assert _value(parameter_unit, literal) == expected
    naive = float(number) * (3600 if unit == "h" else 100) if unit != "%" else float(number) / 100
    assert naive != expected  # the case would not tell exact from naive otherwise


@pytest.mark.parametrize(
    ("parameter_unit", "literal"),
    [("s", "0.1 s"), ("ms", "500 milliseconds"), ('"%"', "99.5 percent"), ("h", "1e-3 hr")],
)
def test_the_same_unit_leaves_the_number_as_written(parameter_unit: str, literal: str) -> None:
    assert _value(parameter_unit, literal) == float(literal.split(maxsplit=1)[0])


def test_special_numbers() -> None:
    assert _value("s", "inf ms") == math.inf
    assert _value("s", "-inf ms") == -math.inf
    assert math.isnan(_value("ratio", "nan %"))
    assert math.copysign(1.0, _value("s", "-0 ms")) == -1.0
    assert _value("ms", "1e400 s") == math.inf  # as the plain number 1e400 reads
    assert _value("ms", "1e308 d") == math.inf  # overflows only once converted
    assert _value("ms", "-1e308 d") == -math.inf
    zero = _value("d", "1e-400 ms")
    assert zero == 0.0
    assert math.copysign(1.0, _value("d", "-1e-320 ms")) == -1.0


def test_a_very_long_number_is_converted_quickly() -> None:
    # beyond 4000 significant digits the number is rounded to 4000 first (documented)
    long_number = "1." + "0" * 200_000 + "1"
    assert _value("s", f"{long_number} ms") == 0.001
    assert _value("s", f"-{'9' * 50_000}.5 ms") == -math.inf
    assert scaled("0." + "3" * 10_000, Fraction(3)) == 1.0


def test_the_parameter_may_be_declared_after_the_obligations() -> None:
    spec = _read(_text("s", "X < 500 ms", service_last=True))
    assert _comparisons(spec)[0].value == 0.5


def test_parameters_of_operations_and_every_expression_position_are_converted() -> None:
    text = """sla S {
  provider P
  consumer C
  service D {
    group G {
      operation O {
        parameter Latency: float in s = M
        metric M by P = hole
      }
    }
  }
  obligations {
    group OG {
      slo A obliged P on new value {
        VALIDITY
        not (Latency > 2 min) implies Latency < 500 ms or Latency <= 0.5 min
      }
      guarantee B on new value {
        when Latency >= 1 h
        modality always
      }
    }
  }
}
""".replace("VALIDITY", VALID)
    spec = _read(text)
    slo_values = [c.value for c in _comparisons(spec)]
    assert slo_values == [120.0, 0.5, 30.0]
    (guarantee,) = spec.obligations.all_guarantees()
    assert isinstance(guarantee.expression, Comparison)
    assert guarantee.expression.value == 3600.0
    assert dumps_dsl(spec).count(" min") == 2


def test_a_plain_number_is_not_converted_and_has_no_written_form() -> None:
    (comparison,) = _comparisons(_read(_text("ms", "X < 500")))
    assert comparison.value == 500.0
    assert comparison.written is None


def test_a_keyword_after_the_number_is_not_a_unit() -> None:
    spec = _read(_text(None, "X < 5 and X > 1"))
    assert [c.value for c in _comparisons(spec)] == [5.0, 1.0]


def test_every_unconvertible_value_is_reported_in_file_order() -> None:
    text = _text("s", "X < 5 % or X < 1 s or X > 3 furlongs or Y > 1 ms")
    spec, diagnostics = loads_dsl(text, "t.wsla")
    assert spec is None
    assert [d.code for d in diagnostics] == ["D034", "D033", "D013"]
    columns = [d.span.column for d in diagnostics if d.span is not None]
    assert columns == sorted(columns)
    first = diagnostics[0].span
    assert first is not None
    assert (first.line, first.column, first.end_column) == (14, 11, 13)  # `5 %`


def test_the_did_you_mean_spellings_are_units() -> None:
    from wsla.check.units import parse_unit

    assert all(parse_unit(word) is not None for word in KNOWN_SPELLINGS)


def test_a_long_chain_of_unit_comparisons_is_resolved_without_recursion() -> None:
    predicate = " and ".join(["X < 500 ms"] * 3000)
    spec = _read(_text("s", predicate))
    expression = spec.obligations.all_slos()[0].expression
    node = expression
    while not isinstance(node, Comparison):
        node = node.right  # type: ignore[union-attr]
    assert node.value == 0.5
    again, problems = resolve_units(spec)  # converts from the written text: idempotent
    assert problems == []
    last = again.obligations.all_slos()[0].expression
    assert isinstance(last, And)
    assert isinstance(last.right, Comparison)
    assert last.right.value == 0.5


# --- presentation and round trips -------------------------------------------------------


def test_the_printer_writes_the_value_as_written() -> None:
    text = _text("s", "X < 500 ms")
    spec = _read(text)
    assert dumps_dsl(spec) == text
    (comparison,) = _comparisons(spec)
    assert comparison.written == UnitLiteral(number="500", unit="ms")


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("500ms", "500 ms"),
        ('99.5 "%"', "99.5 %"),
        ('2 "transactions per hour"', '2 "transactions per hour"'),
        ("2 transactions /\n   min", "2 transactions / min"),
        ("+5E2 ms", "+5E2 ms"),
    ],
)
def test_the_canonical_form_of_a_written_value(written: str, printed: str) -> None:
    unit = "ratio" if "%" in written else '"transactions/h"' if "trans" in written else "s"
    spec = _read(_text(unit, f"X < {written}"))
    text = dumps_dsl(spec)
    assert f"X < {printed}\n" in text
    assert dumps_dsl(_read(text)) == text
    assert _read(text) == spec


def test_fmt_keeps_the_unit_and_is_idempotent() -> None:
    text = _text("s", "X < 500   ms // fast enough").replace("hole\n", "hole  // measured\n")
    once, diagnostics = format_source(text, "t.wsla")
    assert diagnostics == []
    assert once is not None
    assert "X < 500 ms  // fast enough" in once
    assert format_source(once, "t.wsla")[0] == once


def test_xml_carries_the_converted_number_and_reads_back_equal() -> None:
    spec = _read(_text("ratio", "X > 99.5 %"))
    xml = dumps_xml(spec)
    assert b"<Value>0.995</Value>" in xml
    assert b"99.5" not in xml
    from_xml, diagnostics = load_xml(xml, None)
    assert diagnostics == []
    assert from_xml == spec
    # no unit was written in XML: the number is printed plainly
    assert from_xml is not None
    assert "X > 0.995\n" in dumps_dsl(from_xml)


def test_a_stale_written_value_is_not_printed() -> None:
    spec = _read(_text("s", "X < 500 ms"))
    (comparison,) = _comparisons(spec)
    slo = spec.obligations.slos[0]
    changed = dataclasses.replace(comparison, value=0.25)  # keeps `written`
    edited = dataclasses.replace(
        spec,
        obligations=dataclasses.replace(
            spec.obligations, slos=(dataclasses.replace(slo, expression=changed),)
        ),
    )
    assert "X < 0.25\n" in dumps_dsl(edited)
    assert _read(dumps_dsl(edited)) == edited
    # the parameter's unit changed under the literal: `500 ms` would now mean 500
    service = spec.service_definitions[0]
    in_ms = dataclasses.replace(
        spec,
        service_definitions=(
            dataclasses.replace(
                service, parameters=(dataclasses.replace(service.parameters[0], unit="ms"),)
            ),
        ),
    )
    assert "X < 0.5\n" in dumps_dsl(in_ms)
    assert _read(dumps_dsl(in_ms)) == in_ms


# --- generated round trips -------------------------------------------------------------

# Scales in seconds (time), in ones (fraction), in events per second (rates): written here
# independently of wsla's vocabulary, so a wrong factor there fails these properties.
_SCALES: dict[str, dict[str, Fraction]] = {
    "time": {
        "ms": Fraction(1, 1000),
        "millisecond": Fraction(1, 1000),
        "s": Fraction(1),
        "sec": Fraction(1),
        "seconds": Fraction(1),
        "min": Fraction(60),
        "minutes": Fraction(60),
        "h": Fraction(3600),
        "hours": Fraction(3600),
        "d": Fraction(86400),
        "days": Fraction(86400),
    },
    "fraction": {"%": Fraction(1, 100), "percent": Fraction(1, 100), "ratio": Fraction(1)},
    "rate": {
        "calls/s": Fraction(1),
        "calls/min": Fraction(1, 60),
        "call/h": Fraction(1, 3600),
        "calls per d": Fraction(1, 86400),
    },
}


def _declared(unit: str) -> str:
    """After `in`: a word or a string."""
    return unit if unit.isalpha() else f'"{unit}"'


def _written(unit: str) -> str:
    """After a value: `%`, a word or `word/word` bare, anything else a string."""
    return unit if unit == "%" or unit.replace("/", "").isalpha() else f'"{unit}"'


@st.composite
def unit_comparisons(draw: st.DrawFn) -> tuple[str, str, str, float]:
    """(parameter unit, written value, operator, expected converted value)."""
    dimension = draw(st.sampled_from(sorted(_SCALES)))
    parameter_unit = draw(st.sampled_from(sorted(_SCALES[dimension])))
    literal_unit = draw(st.sampled_from(sorted(_SCALES[dimension])))
    number = draw(st.decimals(min_value=-(10**9), max_value=10**9, places=draw(st.integers(0, 6))))
    text = str(number)
    if "E" in text or "e" in text:
        text = f"{number:f}"
    expected = float(
        Fraction(text) * _SCALES[dimension][literal_unit] / _SCALES[dimension][parameter_unit]
    )
    if expected == 0 and text.startswith("-"):
        expected = -0.0  # a written minus zero stays one
    operator = draw(st.sampled_from(["<", "<=", "==", ">=", ">"]))
    return _declared(parameter_unit), f"{text} {_written(literal_unit)}", operator, expected


@settings(max_examples=60, deadline=None)
@given(unit_comparisons())
def test_generated_unit_comparisons_round_trip(case: tuple[str, str, str, float]) -> None:
    parameter_unit, written, operator, expected = case
    text = _text(parameter_unit, f"X {operator} {written}")
    spec = _read(text)
    (comparison,) = _comparisons(spec)
    assert comparison.value == expected
    assert math.copysign(1.0, comparison.value) == math.copysign(1.0, expected)
    # DSL -> model -> DSL keeps the unit; printing is canonical and fmt idempotent
    printed = dumps_dsl(spec)
    assert f"X {operator} {written}\n" in printed
    assert _read(printed) == spec
    assert dumps_dsl(_read(printed)) == printed
    assert format_source(printed)[0] == printed
    # DSL -> XML -> model equals the DSL model
    from_xml, diagnostics = load_xml(dumps_xml(spec), None)
    assert diagnostics == []
    assert from_xml == spec


def test_the_editor_grammar_highlights_comparison_units() -> None:
    import json
    import re
    from pathlib import Path

    grammar = Path(__file__).resolve().parent.parent / "grammar" / "wsla.tmLanguage.json"
    rule = json.loads(grammar.read_text(encoding="utf-8"))["repository"]["comparison-values"]
    pattern = re.compile(rule["match"])
    found = pattern.search("X >= 100 transactions/min")
    assert found is not None
    assert found.groups() == ("100", "transactions/min")
    assert pattern.search("X < 5 and Y > 1") is None  # `and` is no unit
