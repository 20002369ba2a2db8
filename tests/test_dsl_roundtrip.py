"""The DSL is lossless: printing and reading back gives the same model, for arbitrary models
(the shared strategies), for awkward names and strings, and for every example spec."""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import strategies as S
from hypothesis import given, settings
from hypothesis import strategies as st

from wsla.dsl import dumps_dsl, format_source, loads_dsl
from wsla.dsl.vocabulary import RESERVED
from wsla.model import (
    Constant,
    DirectiveVariable,
    FloatScalar,
    Interval,
    LongScalar,
    Metric,
    MetricRef,
    ServiceDefinition,
    Spec,
    Times,
)
from wsla.xml.reader import load_xml
from wsla.xml.writer import dumps_xml

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "specs").glob("*.xml"))


def _read(text: str) -> Spec:
    spec, diagnostics = loads_dsl(text)
    assert diagnostics == [], (diagnostics, text)
    assert spec is not None
    return spec


# One generated model feeds all three properties: generating WSLA models is the slow part.
@settings(max_examples=50)
@given(S.specs())
def test_dsl_roundtrip_xml_twin_and_fmt_properties(spec: Spec) -> None:
    # loads(dumps(m)) == m, and printing is a fixed point (canonical)
    text = dumps_dsl(spec)
    back = _read(text)
    assert back == spec
    assert dumps_dsl(back) == text
    # XML -> DSL -> XML gives the same model
    from_xml, diagnostics = load_xml(dumps_xml(spec), None)
    assert from_xml is not None, diagnostics
    via_dsl = _read(dumps_dsl(from_xml))
    again, _ = load_xml(dumps_xml(via_dsl), None)
    assert again == from_xml == via_dsl
    # fmt is idempotent on its own output
    once, diagnostics = format_source(text)
    assert diagnostics == []
    assert once == text
    twice, _ = format_source(once)  # type: ignore[arg-type]
    assert twice == once


_AWKWARD = st.one_of(
    st.sampled_from(sorted(RESERVED)),
    st.text(min_size=1, max_size=12),
    st.sampled_from(["5minuteschedule", "a.b", "x-y", "`tick`", 'q"uote', "back\\slash", "é"]),
)


def _tiny(**service: object) -> Spec:
    from wsla.model import Obligations, Parties, ServiceConsumer, ServiceProvider

    return Spec(
        name="S",
        parties=Parties(provider=ServiceProvider(name="P"), consumer=ServiceConsumer(name="C")),
        service_definitions=(ServiceDefinition(name="D", **service),),  # type: ignore[arg-type]
        obligations=Obligations(),
    )


@settings(max_examples=150)
@given(_AWKWARD, _AWKWARD)
def test_any_name_and_string_survive(name: str, text: str) -> None:
    spec = _tiny(
        constants=(Constant(name=name, value=text),),
        metrics=(
            Metric(
                name=name,
                unit=text,
                source=name,
                definition=Times(left=MetricRef(name=name), right=LongScalar(value=2)),
            ),
        ),
    )
    assert _read(dumps_dsl(spec)) == spec


@pytest.mark.parametrize(
    ("value", "kind"),
    [(1, int), (1.0, float), (-0.0, float), (1e300, float), (-5, int), (2.5e-7, float)],
)
def test_int_and_float_literals_keep_their_kind(value: float, kind: type) -> None:
    spec = _tiny(constants=(Constant(name="K", value=value),))
    back = _read(dumps_dsl(spec))
    got = back.service_definitions[0].constants[0].value
    assert type(got) is kind
    assert got == value
    assert math.copysign(1, got) == math.copysign(1, value)


def test_infinities_and_long_float_scalars() -> None:
    times = Times(left=FloatScalar(value=math.inf), right=FloatScalar(value=-math.inf))
    spec = _tiny(metrics=(Metric(name="M", source="P", definition=times),))
    assert _read(dumps_dsl(spec)) == spec


def test_absent_and_empty_are_distinct() -> None:
    spec = _tiny(
        metrics=(Metric(source="P", definition=DirectiveVariable()),),
    )
    text = dumps_dsl(spec)
    back = _read(text)
    assert back.service_definitions[0].metrics[0].name is None
    assert back == spec
    empty = Interval()
    from wsla.model import Schedule, TimePeriod

    moment = datetime.fromisoformat("2001-11-30T14:00:00-05:00")
    schedules = (
        Schedule(name="A", interval=empty, period=TimePeriod(start=moment, end=moment)),
        Schedule(
            name="B", interval=Interval(minutes=0), period=TimePeriod(start=moment, end=moment)
        ),
    )
    back = _read(dumps_dsl(_tiny(schedules=schedules)))
    assert back.service_definitions[0].schedules == schedules
    assert back.service_definitions[0].schedules[1].interval.minutes == 0
    assert back.service_definitions[0].schedules[0].interval.minutes is None


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_every_spec_has_an_equal_wsla_twin(path: Path) -> None:
    twin = path.with_suffix(".wsla")
    assert twin.exists(), f"{twin.name} is missing: run `wsla convert {path} -o {twin}`"
    from_xml, diagnostics = load_xml(path.read_bytes(), str(path))
    assert from_xml is not None, diagnostics
    text = twin.read_text(encoding="utf-8")
    assert _read(text) == from_xml
    formatted, _ = format_source(text, str(twin))
    assert formatted == text, f"{twin.name} is not formatted: run `wsla fmt {twin}`"


def test_spans_point_into_the_file_as_written() -> None:
    text = (
        "sla S {\n\tprovider P\n\tconsumer C\n\tservice D {\n"
        "\t\tmetric M by P = mean(RTs) / 1000\n\t}\n\tobligations\n}\n"
    )
    spec, _ = loads_dsl(text, "t.wsla")
    assert spec is not None
    metric = spec.service_definitions[0].metrics[0]
    assert metric.span is not None
    assert (metric.span.path, metric.span.line, metric.span.column) == ("t.wsla", 5, 3)
    assert (metric.span.end_line, metric.span.end_column) == (5, 34)
    divide = metric.definition
    assert divide.span is not None
    assert (divide.span.column, divide.span.end_column) == (19, 34)
    mean = divide.left  # type: ignore[attr-defined]
    assert (mean.span.column, mean.span.end_column) == (19, 27)
    assert spec.parties.provider.span.column == 2  # type: ignore[union-attr]


@settings(max_examples=15)
@given(S.specs(), st.data())
def test_fmt_keeps_comments_anywhere_between_statements(spec: Spec, data: st.DataObject) -> None:
    lines = dumps_dsl(spec).splitlines()
    marked: list[str] = []
    comments: list[str] = []
    for index, line in enumerate(lines):
        if data.draw(st.booleans(), label=f"before {index}"):
            comments.append(f"// note <{len(comments)}>")
            marked.append(comments[-1])
        if data.draw(st.booleans(), label=f"after {index}"):
            comments.append(f"/* tail <{len(comments)}> */")
            line += " " + comments[-1]
        marked.append(line)
    text = "\n".join(marked) + "\n"
    formatted, diagnostics = format_source(text)
    assert diagnostics == []
    assert formatted is not None
    for comment in comments:
        assert formatted.count(comment) == 1, comment
    assert _read(formatted) == spec
    assert format_source(formatted)[0] == formatted


def _with_units(expression: Any, seconds: set[str]) -> Any:
    """``expression`` with every finite comparison value written in ms (its parameter
    is declared in seconds), the value converted as a reader would."""
    from fractions import Fraction

    from wsla.model import BinaryLogic, Comparison, Not
    from wsla.model.obligations import UnitLiteral

    if isinstance(expression, BinaryLogic):
        return dataclasses.replace(
            expression,
            left=_with_units(expression.left, seconds),
            right=_with_units(expression.right, seconds),
        )
    if isinstance(expression, Not):
        return dataclasses.replace(expression, operand=_with_units(expression.operand, seconds))
    if isinstance(expression, Comparison) and math.isfinite(expression.value):
        seconds.add(expression.parameter)
        number = repr(expression.value)
        return dataclasses.replace(
            expression,
            value=float(Fraction(number) / 1000),
            written=UnitLiteral(number=number, unit="ms"),
        )
    return expression


# The shared strategy's comparisons, re-written with units inside whatever expression shapes,
# obligation groups, guarantees and names it generates.
@settings(max_examples=20)
@given(S.specs())
def test_generated_comparisons_written_with_units_round_trip(spec: Spec) -> None:
    from wsla.model import SLAParameter

    seconds: set[str] = set()
    obligations = spec.obligations

    def rewrite(holder: Any) -> Any:
        return dataclasses.replace(
            holder,
            slos=tuple(
                dataclasses.replace(s, expression=_with_units(s.expression, seconds))
                for s in holder.slos
            ),
            guarantees=tuple(
                dataclasses.replace(g, expression=_with_units(g.expression, seconds))
                for g in holder.guarantees
            ),
        )

    obligations = dataclasses.replace(
        rewrite(obligations), groups=tuple(rewrite(g) for g in obligations.groups)
    )
    # declared first, so these declarations are the ones the names resolve to
    units = ServiceDefinition(
        name="Units",
        parameters=tuple(SLAParameter(name=name, unit="s", metric="M") for name in sorted(seconds)),
    )
    spec = dataclasses.replace(
        spec,
        service_definitions=(units, *spec.service_definitions),
        obligations=obligations,
    )
    text = dumps_dsl(spec)
    # a written unit ends a comparison: before a newline, a space or a closing parenthesis
    assert len(re.findall(r" ms\b", text)) >= min(1, len(seconds))
    back = _read(text)
    assert back == spec
    assert dumps_dsl(back) == text
    from_xml, diagnostics = load_xml(dumps_xml(spec), None)
    assert from_xml is not None, diagnostics
    assert from_xml == spec
