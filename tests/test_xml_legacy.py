"""The 2002 dialect: one warning per construct kind, an automatic rewrite, valid 1.0 out."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from wsla.diagnostics import Severity
from wsla.model import (
    FloatScalar,
    Gauge,
    PercentageGreaterThanThreshold,
    Role,
    SoapActionDescription,
    StatusRequest,
)
from wsla.xml.legacy import normalize
from wsla.xml.reader import load_xml, parse_xml
from wsla.xml.writer import dumps_xml

CASES = Path(__file__).parent / "cases" / "xml"
LEGACY = CASES / "legacy" / "stock-quote-2002.xml"


def test_each_construct_gives_its_warning_in_document_order() -> None:
    spec, diagnostics = load_xml(LEGACY.read_bytes(), "sq.xml")
    assert spec is not None
    located = [(d.code, d.span.line if d.span else 0) for d in diagnostics]
    assert located == [
        ("X051", 11),
        ("X051", 19),
        ("X050", 25),
        ("X052", 50),
        ("X052", 56),
        ("X054", 62),
        ("X053", 65),
    ]
    assert all(d.severity is Severity.WARNING for d in diagnostics)
    assert all(d.help for d in diagnostics)


def test_rewritten_model() -> None:
    spec, _ = load_xml(LEGACY.read_bytes(), "sq.xml")
    assert spec is not None
    assert spec.parties.supporting[0].roles == (Role.MEASUREMENT_SERVICE,)
    assert isinstance(spec.parties.provider.actions[0], SoapActionDescription)
    operation = spec.service_definitions[0].operations[0]
    by_name = {m.name: m.definition for m in operation.metrics}
    gauge = by_name["ProbedUtilization"]
    assert isinstance(gauge, Gauge)
    assert gauge.measurement_uri == "http://ymeasurement.example/utilization"
    probe = by_name["Probe"]
    assert isinstance(probe, StatusRequest)
    assert probe.request_uri == "http://acme.example/quote/ping"
    overload = by_name["OverloadPercentageMetric"]
    assert isinstance(overload, PercentageGreaterThanThreshold)
    assert overload.value == FloatScalar(value=0.8)


def test_written_form_is_valid_wsla_1_0() -> None:
    spec, _ = load_xml(LEGACY.read_bytes(), "sq.xml")
    assert spec is not None
    written = dumps_xml(spec)
    again, diagnostics = load_xml(written, "written.xml")
    assert diagnostics == []
    assert again == spec
    assert b"RequestURL" not in written
    assert b'role="' not in written


def test_schedule_help_explains_the_tsconstructor() -> None:
    _, diagnostics = load_xml(LEGACY.read_bytes(), "sq.xml")
    (schedule,) = [d for d in diagnostics if d.code == "X054"]
    assert schedule.help is not None
    assert "TSConstructor" in schedule.help
    assert "fiveMinutes" in schedule.help


def test_valid_documents_are_left_alone() -> None:
    for path in [
        CASES / "minimal.xml",
        *sorted((CASES.parent.parent.parent / "specs").glob("*.xml")),
    ]:
        data = path.read_bytes()
        tree, _ = parse_xml(data, str(path))
        assert tree is not None
        before = etree.tostring(tree)
        assert normalize(tree, str(path), source=data) == []
        assert etree.tostring(tree) == before


def test_schedule_in_tsconstructor_is_not_legacy() -> None:
    data = (
        (CASES / "minimal.xml")
        .read_bytes()
        .replace(
            b'xsi:type="QConstructor" resultType="Q">',
            b'xsi:type="TSConstructor" resultType="TS"><Schedule>hourly</Schedule>',
        )
        .replace(b"<Window>12</Window>", b"")
    )
    spec, diagnostics = load_xml(data, "ts.xml")
    assert diagnostics == []
    assert spec is not None


def test_role_attribute_with_existing_role_elements() -> None:
    data = LEGACY.read_bytes().replace(
        b"<Sponsor>ACMEProvider</Sponsor>\n",
        b"<Sponsor>ACMEProvider</Sponsor>\n<Role>ManagementService</Role>\n",
    )
    spec, diagnostics = load_xml(data, "roles.xml")
    assert spec is not None
    assert spec.parties.supporting[0].roles == (
        Role.MANAGEMENT_SERVICE,
        Role.MEASUREMENT_SERVICE,
    )
    assert "X050" in [d.code for d in diagnostics]
