"""XSD validation: readable messages, positions, and DSL-side spans through validate_model."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from strategies import specs

from wsla.model import (
    Obligations,
    OperationGroup,
    Parties,
    ServiceConsumer,
    ServiceDefinition,
    ServiceProvider,
    Span,
    Spec,
    SupportingParty,
)
from wsla.xml import schema
from wsla.xml.reader import load_xml, parse_xml
from wsla.xml.schema import compiled_schema, validate_model, validate_tree

CASES = Path(__file__).parent / "cases" / "xml"


def _spec(**changes: object) -> Spec:
    base = Spec(
        name="S",
        parties=Parties(
            provider=ServiceProvider(name="P", span=Span("s.wsla", 2, 3)),
            consumer=ServiceConsumer(name="C", span=Span("s.wsla", 3, 3)),
            span=Span("s.wsla", 2, 1),
        ),
        service_definitions=(ServiceDefinition(name="D", span=Span("s.wsla", 5, 3)),),
        obligations=Obligations(name="O"),
        span=Span("s.wsla", 1, 1),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_valid_model_has_no_errors() -> None:
    assert validate_model(_spec()) == []


def test_model_errors_point_at_the_model_span() -> None:
    party = SupportingParty(name="Y", span=Span("s.wsla", 4, 3))  # no sponsor, no role
    group = OperationGroup(name="G", span=Span("s.wsla", 9, 5))  # no operation
    spec = _spec(
        parties=dataclasses.replace(_spec().parties, supporting=(party,)),
        service_definitions=(
            ServiceDefinition(name="D", operation_groups=(group,), span=Span("s.wsla", 5, 3)),
        ),
    )
    diagnostics = validate_model(spec)
    assert [(d.code, d.span) for d in diagnostics] == [
        ("X030", Span("s.wsla", 4, 3)),
        ("X030", Span("s.wsla", 9, 5)),
    ]
    assert diagnostics[0].help == "expected one of <Contact>, <Action>, <Sponsor>"
    assert "Operation" in (diagnostics[1].help or "")
    assert all(d.notes and "line" in d.notes[0] for d in diagnostics)


def test_error_inside_a_node_without_span_falls_back_to_an_ancestor() -> None:
    party = SupportingParty(name="Y")  # no span of its own
    spec = _spec(parties=dataclasses.replace(_spec().parties, supporting=(party,)))
    (d,) = validate_model(spec)
    assert d.span == Span("s.wsla", 2, 1)  # the Parties span


@given(specs())
@settings(max_examples=15)
def test_generated_models_are_valid(spec: Spec) -> None:
    assert validate_model(spec) == []


def test_messages_have_no_namespace_noise() -> None:
    for name in ("invalid-order.xml", "invalid-value.xml", "invalid-xsi-type.xml"):
        data = (CASES / name).read_bytes()
        tree, _ = parse_xml(data, name)
        assert tree is not None
        for d in validate_tree(tree, name, source=data):
            assert "http://" not in d.message
            assert "{" not in d.message


def test_missing_xsi_type_is_x032_with_choices() -> None:
    data = (CASES / "minimal.xml").read_bytes().replace(b' xsi:type="ResponseTime"', b"")
    _, diagnostics = load_xml(data, "m.xml")
    (d,) = diagnostics
    assert d.code == "X032"
    assert d.message == "<MeasurementDirective> needs an xsi:type naming one of its subtypes"
    assert d.help is not None and "Gauge" in d.help


def test_prefixed_xsi_type_resolves() -> None:
    data = (CASES / "minimal.xml").read_bytes()
    data = data.replace(b'xsi:type="ResponseTime"', b'xsi:type="w:ResponseTime"').replace(
        b'name="Minimal"', b'name="Minimal" xmlns:w="http://www.ibm.com/wsla"'
    )
    spec, diagnostics = load_xml(data, "p.xml")
    assert diagnostics == []
    assert spec is not None


@pytest.fixture
def no_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    compiled_schema.cache_clear()
    monkeypatch.setattr(schema._resources, "xsd_path", lambda name: None)
    yield
    monkeypatch.undo()
    compiled_schema.cache_clear()


@pytest.mark.usefixtures("no_schema")
def test_missing_schema_is_reported() -> None:
    _, diagnostics = load_xml((CASES / "minimal.xml").read_bytes(), "m.xml")
    assert [d.code for d in diagnostics] == ["X090"]
    assert [d.code for d in validate_model(_spec())] == ["X090"]


def test_unwritable_text_is_a_diagnostic_on_its_node() -> None:
    party = ServiceProvider(name="P\x01", span=Span("s.wsla", 2, 3))
    spec = _spec(parties=dataclasses.replace(_spec().parties, provider=party))
    (d,) = validate_model(spec)
    assert d.code == "X031"
    assert d.span == Span("s.wsla", 2, 3)


def test_value_error_inside_a_function_points_at_the_operand() -> None:
    from wsla.model import LongScalar, Metric, Size

    operand = LongScalar(value=2**70, span=Span("s.wsla", 7, 20))
    metric = Metric(
        name="M",
        source="P",
        definition=Size(operand=operand, span=Span("s.wsla", 7, 5)),
        span=Span("s.wsla", 6, 3),
    )
    spec = _spec(service_definitions=(ServiceDefinition(name="D", metrics=(metric,)),))
    (d,) = validate_model(spec)
    assert d.code == "X031"
    assert d.span == Span("s.wsla", 7, 20)
    assert "xs:long" in d.message
