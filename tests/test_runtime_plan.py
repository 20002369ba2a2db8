"""Plan compilation: name resolution, macros, refusals with E codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_builders import (
    at,
    gauge,
    guarantee,
    last_value,
    make_spec,
    metric,
    param,
    ref,
    schedule,
    slo,
)

from wsla.model import (
    Constant,
    ConstantRef,
    DirectiveAssignment,
    DirectiveVariable,
    Gauge,
    Greater,
    Interval,
    LongScalar,
    Mean,
    Metric,
    MetricMacroDefinition,
    MetricMacroExpansion,
    Operation,
    OperationGroup,
    Plus,
    QConstructor,
    RateOfChange,
    ServiceDefinition,
    Size,
    StatusRequest,
    Sum,
    TSConstructor,
    TSSelect,
    ViolationPredicate,
)
from wsla.runtime.engine import Evaluator
from wsla.runtime.plan import PlanError, compile_plan


def codes(spec: object) -> list[str]:
    with pytest.raises(PlanError) as info:
        compile_plan(spec)  # type: ignore[arg-type]
    return [d.code for d in info.value.diagnostics]


def test_unresolved_names_are_all_reported() -> None:
    spec = make_spec(
        [
            gauge("G"),
            metric("M", Mean(input=ref("Nope"))),
            metric("C", Plus(left=ref("G"), right=ConstantRef(name="K"))),
            metric("T", TSConstructor(schedule="nosched", input=ref("G"))),
        ],
        parameters=[param("P", "G")],
        slos=[slo("S", Greater(parameter="Missing", value=1))],
        guarantees=[guarantee("GG", ViolationPredicate(slo="NoSLO"))],
    )
    assert sorted(codes(spec)) == ["E001", "E002", "E003", "E004", "E005"]


def test_did_you_mean() -> None:
    spec = make_spec(
        [gauge("Latency"), metric("M", Plus(left=ref("Latncy"), right=LongScalar(value=1)))]
    )
    with pytest.raises(PlanError) as info:
        compile_plan(spec)
    assert info.value.diagnostics[0].help == "did you mean `Latency`?"


def test_series_scalar_mismatch_and_bad_constructs() -> None:
    spec = make_spec(
        [
            gauge("G"),
            metric("Q", QConstructor(input=ref("G"))),
            metric("A", Mean(input=ref("G"))),  # scalar into an aggregate
            metric("B", Plus(left=ref("Q"), right=LongScalar(value=1))),  # series into arithmetic
            metric("C", TSSelect(operand=ref("Q"), element=1)),  # positive index
            metric("D", RateOfChange(input=ref("G"), interval=Interval(months=1))),
            metric("E", QConstructor(input=ref("G"), window=-1)),
        ]
    )
    assert codes(spec) == ["E009"] * 5


def test_cycle() -> None:
    spec = make_spec(
        [
            metric("A", Plus(left=ref("B"), right=LongScalar(value=1))),
            metric("B", Plus(left=ref("A"), right=LongScalar(value=1))),
        ]
    )
    with pytest.raises(PlanError) as info:
        compile_plan(spec)
    (d,) = info.value.diagnostics
    assert d.code == "E008"
    assert "Svc/A" in d.message and "Svc/B" in d.message


def test_duplicate_parameter_names() -> None:
    spec = make_spec([gauge("G")], parameters=[param("P", "G"), param("P", "G")])
    assert codes(spec) == ["E010"]


def test_bad_schedule_interval() -> None:
    spec = make_spec([gauge("G")], schedules=[schedule("s", 0)])
    assert codes(spec) == ["E012"]


def test_scope_resolution_inner_first_then_enclosing() -> None:
    op = Operation(
        name="Op",
        constants=(Constant(name="K", value=10),),
        metrics=(
            gauge("G"),  # shadows Svc/G
            metric("F", Plus(left=ref("G"), right=ConstantRef(name="K"))),
            metric("H", Plus(left=ref("Outer"), right=ConstantRef(name="K2"))),
        ),
        parameters=(param("PF", "F"), param("PH", "H")),
    )
    spec = make_spec(
        [gauge("G"), gauge("Outer")], constants=[Constant(name="K2", value=0.5)], operations=[op]
    )
    plan = compile_plan(spec)
    assert plan.nodes[plan.parameters[0].node].metric == "Svc/Op/F"
    assert last_value(spec, [("Op/G", at(0), 1), ("Svc/G", at(0), 100)], "PF") == 11
    assert last_value(spec, [("Svc/Outer", at(0), 2)], "PH") == 2.5
    assert set(plan.targets) >= {"Op/G", "Svc/Op/G", "Svc/G", "Svc/Outer", "urn:G", "urn:Outer"}
    assert len(plan.targets["urn:G"]) == 2  # a URI shared by two metrics feeds both


def test_obligation_constants() -> None:
    from wsla.model import Obligations

    spec = make_spec(
        [gauge("G"), metric("F", Plus(left=ref("G"), right=ConstantRef(name="OC")))],
        parameters=[param("PF", "F")],
    )
    import dataclasses

    spec = dataclasses.replace(
        spec, obligations=Obligations(name="O", constants=(Constant(name="OC", value=3),))
    )
    assert last_value(spec, [("Svc/G", at(0), 1)], "PF") == 4


def _macro() -> MetricMacroDefinition:
    return MetricMacroDefinition(
        name="Avail",
        metrics=(
            Metric(name="Probe", source="P", definition=DirectiveVariable()),
            metric("Series", QConstructor(input=ref("Probe"))),
            metric("Ups", Sum(input=ref("Series"))),
        ),
    )


def test_macro_expansion_renames_and_fills_holes() -> None:
    def expansion(name: str, uri: str) -> MetricMacroExpansion:
        return MetricMacroExpansion(
            macro_name="Avail",
            expansion_name=name,
            assignments=(
                DirectiveAssignment(metric_name="Probe", directive=StatusRequest(request_uri=uri)),
            ),
        )

    op = Operation(
        name="Op",
        macro_expansions=(expansion("A", "http://a"), expansion("B", "http://b")),
        parameters=(param("UpsA", "A.Ups"), param("UpsB", "B.Ups")),
    )
    spec = make_spec(operations=[op])
    import dataclasses

    spec = dataclasses.replace(
        spec,
        service_definitions=(
            dataclasses.replace(spec.service_definitions[0], macro_definitions=(_macro(),)),
        ),
    )
    plan = compile_plan(spec)
    assert {n.metric for n in plan.nodes if n.metric} == {
        "Svc/Op/A.Probe",
        "Svc/Op/A.Series",
        "Svc/Op/A.Ups",
        "Svc/Op/B.Probe",
        "Svc/Op/B.Series",
        "Svc/Op/B.Ups",
    }
    records = [("http://a", at(0), 1), ("http://b", at(1), 0), ("Op/A.Probe", at(2), 1)]
    assert last_value(spec, records, "UpsA") == 2
    assert last_value(spec, records, "UpsB") == 0


def test_macro_hole_not_filled_is_refused_naming_it() -> None:
    op = Operation(
        name="Op", macro_expansions=(MetricMacroExpansion(macro_name="Avail", expansion_name="A"),)
    )
    import dataclasses

    spec = make_spec(operations=[op])
    spec = dataclasses.replace(
        spec,
        service_definitions=(
            dataclasses.replace(spec.service_definitions[0], macro_definitions=(_macro(),)),
        ),
    )
    with pytest.raises(PlanError) as info:
        compile_plan(spec)
    messages = [(d.code, d.message) for d in info.value.diagnostics]
    assert all(code == "E007" for code, _ in messages)
    assert any("Probe" in m and "A.Probe" in m for _, m in messages)


def test_unexpanded_definition_with_hole_and_stray_variable() -> None:
    import dataclasses

    spec = make_spec([Metric(name="Hole", source="P", definition=DirectiveVariable())])
    spec = dataclasses.replace(
        spec,
        service_definitions=(
            dataclasses.replace(spec.service_definitions[0], macro_definitions=(_macro(),)),
        ),
    )
    assert codes(spec) == ["E007", "E007"]


def test_unknown_macro_and_bad_assignment() -> None:
    bad = MetricMacroExpansion(
        macro_name="Avail",
        expansion_name="A",
        assignments=(
            DirectiveAssignment(metric_name="Probe", directive=Gauge(measurement_uri="u")),
            DirectiveAssignment(metric_name="Series", directive=Gauge(measurement_uri="v")),
        ),
    )
    unknown = MetricMacroExpansion(macro_name="Nope", expansion_name="X")
    group = OperationGroup(
        name="Grp",
        macro_definitions=(_macro(),),
        operations=(Operation(name="Op", macro_expansions=(bad,)),),
    )
    sd = ServiceDefinition(name="Svc", operation_groups=(group,), macro_expansions=(unknown,))
    import dataclasses

    spec = dataclasses.replace(make_spec(), service_definitions=(sd,))
    assert sorted(codes(spec)) == ["E006", "E011"]


def test_plan_order_is_topological() -> None:
    spec = make_spec(
        [
            metric("N", Size(operand=ref("Q"))),
            metric("Q", QConstructor(input=ref("G"))),
            gauge("G"),
        ]
    )
    plan = compile_plan(spec)
    position = {plan.nodes[i].metric: k for k, i in enumerate(plan.order)}
    assert position["Svc/G"] < position["Svc/Q"] < position["Svc/N"]


SPECS = sorted((Path(__file__).parent.parent / "specs").glob("*.xml")) + sorted(
    (Path(__file__).parent.parent / "specs").glob("*.wsla")
)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_every_example_spec_compiles_and_evaluates_nothing(path: Path) -> None:
    if path.suffix == ".xml":
        from wsla.xml import load_xml

        spec, diagnostics = load_xml(path.read_bytes(), str(path))
    else:
        from wsla.dsl import loads_dsl

        spec, diagnostics = loads_dsl(path.read_text(encoding="utf-8"), str(path))
    assert spec is not None, diagnostics
    plan = compile_plan(spec)
    assert plan.targets
    result = Evaluator(plan).finish()
    assert result.outcomes == ()
