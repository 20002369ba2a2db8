"""The example specs in ``specs/``: each one is valid WSLA 1.0, and together they use everything.

The coverage tests compute what must be covered from the model's registries (functions,
directives, predicates, modalities, …), so a new registry entry or a spec edited so that it
stops using a construct makes them fail. The specs are parsed with lxml only here, so that a
bug in our own reader cannot hide a gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from wsla.model import (
    ACTION_DESCRIPTION_TYPES,
    DIRECTIVE_TYPES,
    EXT_NS,
    PREDICATE_TYPES,
    WSLA_FUNCTIONS,
    WSLA_NS,
    ExecutionModality,
    NotificationType,
    Role,
    Spec,
)

ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = ROOT / "specs"
SPECS = sorted(SPECS_DIR.glob("*.xml"))

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
W = "{" + WSLA_NS + "}"


def _id(path: Path) -> str:
    return path.name


@cache
def _schema(filename: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(ROOT / "xsd" / filename)))


def _uses_extensions(tree: etree._ElementTree) -> bool:
    """True when the spec names anything in wsla's extension namespace."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace == EXT_NS:
            return True
        resolved = _xsi_type(element)
        if resolved is not None and resolved[0] == EXT_NS:
            return True
    return False


@cache
def _parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


def _all_trees() -> list[etree._ElementTree]:
    return [_parse(path) for path in SPECS]


def _elements(local: str) -> Iterator[etree._Element]:
    for tree in _all_trees():
        yield from tree.iter(W + local)


def _xsi_type(element: etree._Element) -> tuple[str | None, str] | None:
    """The (namespace, local name) an ``xsi:type`` QName resolves to, in the element's scope."""
    value = element.get(XSI_TYPE)
    if value is None:
        return None
    prefix, _, local = value.strip().rpartition(":")
    return element.nsmap.get(prefix or None), local


def _wsla_types(local: str, parent: str | None = None) -> set[str]:
    """Local names of the WSLA-namespace xsi:types on elements ``local`` (under ``parent``)."""
    out: set[str] = set()
    for element in _elements(local):
        if parent is not None and etree.QName(element.getparent()).localname != parent:
            continue
        resolved = _xsi_type(element)
        if resolved is not None and resolved[0] == WSLA_NS:
            out.add(resolved[1])
    return out


def _texts(local: str) -> set[str]:
    return {(element.text or "").strip() for element in _elements(local)}


def _child_names(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element if isinstance(child.tag, str)]


def _missing(expected: set[str], used: set[str]) -> str:
    return "no spec in specs/ uses: " + ", ".join(sorted(expected - used))


# --- every spec is valid ---------------------------------------------------------------


def test_there_are_specs() -> None:
    assert len(SPECS) >= 6, [p.name for p in SPECS]


@pytest.mark.parametrize("path", SPECS, ids=_id)
def test_spec_is_valid_against_the_xsd(path: Path) -> None:
    """WSLA 1.0 specs against ``wsla.xsd`` alone; specs using our extensions against
    ``wsla-ext.xsd``, which imports it."""
    tree = _parse(path)
    schema = _schema("wsla-ext.xsd" if _uses_extensions(tree) else "wsla.xsd")
    ok = schema.validate(tree)
    errors = [f"{path.name}:{e.line}: {e.message}" for e in schema.error_log]
    assert ok, "\n".join(errors)


@pytest.mark.parametrize("path", SPECS, ids=_id)
def test_spec_says_what_it_is_about(path: Path) -> None:
    """A comment before the root element describes the SLA in a sentence or more."""
    root = _parse(path).getroot()
    comments = [n for n in root.itersiblings(preceding=True) if n.tag is etree.Comment]
    assert comments, path.name
    assert len((comments[-1].text or "").split()) >= 8, path.name


_MASK_LENGTHS = {
    "ConditionMonthOfYearMask": 12,
    "ConditionDayOfMonthMask": 31,
    "ConditionDayOfWeekMask": 7,
    "ConditionTimeOfDayMask": 24,
}


@pytest.mark.parametrize("path", SPECS, ids=_id)
def test_calendar_periods_follow_our_syntax(path: Path) -> None:
    """Masks are 0/1 strings of the agreed lengths; the zone mode is Local or UTC."""
    tree = _parse(path)
    for local, length in _MASK_LENGTHS.items():
        for element in tree.iter(W + local):
            text = (element.text or "").strip()
            assert re.fullmatch(f"[01]{{{length}}}", text), (path.name, element.sourceline)
            assert "1" in text, (path.name, element.sourceline)
    for element in tree.iter(W + "ConditionLocalOrUtcTime"):
        assert (element.text or "").strip() in {"Local", "UTC"}, (path.name, element.sourceline)


@pytest.mark.parametrize("path", SPECS, ids=_id)
def test_every_metric_feeds_something(path: Path) -> None:
    """Each declared metric is read by a parameter, a function or a qualification.

    Names are compared without scopes (the specs do not reuse metric names), and a metric
    of a macro definition counts as read when any expansion's copy (``exp.Name``) is.
    """
    tree = _parse(path)
    declared: set[str] = set()
    read: set[str] = set()
    for element in tree.iter(W + "Metric"):
        if element.get("name") is not None:
            declared.add(element.get("name", ""))
        else:
            read.add((element.text or "").strip())
    for local in ("BaseMetric", "ValidationMetric"):
        read |= {(e.text or "").strip() for e in tree.iter(W + local)}
    read |= {name.split(".", 1)[1] for name in read if "." in name}
    assert declared - read == set(), path.name


# --- every spec reads into the model ---------------------------------------------------


@pytest.mark.parametrize("path", SPECS, ids=_id)
def test_spec_loads_into_the_model_without_diagnostics(path: Path) -> None:
    """No errors and no warnings either: the examples are WSLA 1.0, not the 2002 dialect."""
    from wsla.xml.reader import load_xml

    spec, diagnostics = load_xml(path.read_bytes(), str(path))
    assert [(d.code, d.message) for d in diagnostics] == []
    assert spec is not None
    root = _parse(path).getroot()
    assert spec.name == root.get("name")
    # The model holds what lxml sees: every parameter, objective and guarantee by name.
    parameters = {p.name for obj, _ in spec.service_objects() for p in obj.parameters}
    assert parameters == {e.get("name") for e in root.iter(W + "SLAParameter") if e.get("name")}
    slos = {s.name for s in spec.obligations.all_slos()}
    guarantees = {a.name for a in spec.obligations.all_guarantees()}
    assert slos == {e.get("name") for e in root.iter(W + "ServiceLevelObjective") if e.get("name")}
    assert guarantees == {e.get("name") for e in root.iter(W + "ActionGuarantee")}


@pytest.mark.parametrize("path", SPECS, ids=_id)
def test_spec_survives_writing_and_reading_back(path: Path) -> None:
    from wsla.xml.reader import load_xml
    from wsla.xml.writer import dumps_xml

    spec, _ = load_xml(path.read_bytes(), str(path))
    assert spec is not None
    again, diagnostics = load_xml(dumps_xml(spec), "written.xml")
    assert diagnostics == []
    assert again == spec


# --- together the specs cover the language ---------------------------------------------


def test_specs_use_every_function_type() -> None:
    expected = {cls.xsi_type for cls in WSLA_FUNCTIONS}
    assert len(expected) == 23
    used = _wsla_types("Function")
    assert expected <= used, _missing(expected, used)


def test_specs_use_every_measurement_directive_type() -> None:
    expected = set(DIRECTIVE_TYPES)
    assert len(expected) == 9
    used = _wsla_types("MeasurementDirective")
    assert expected <= used, _missing(expected, used)


def test_specs_use_every_predicate_type() -> None:
    expected = set(PREDICATE_TYPES)
    used = _wsla_types("Predicate")
    assert expected <= used, _missing(expected, used)


def test_specs_use_both_forms_of_new_value() -> None:
    forms: set[str] = set()
    for element in _elements("Predicate"):
        if _xsi_type(element) == (WSLA_NS, "NewValue"):
            forms.update(_child_names(element))
    expected = {"SLAParameter", "SLAParameterList"}
    assert expected <= forms, _missing(expected, forms)


def test_specs_use_every_logical_connective() -> None:
    expected = {"And", "Or", "Implies", "Not"}
    used = {local for local in expected if next(_elements(local), None) is not None}
    assert expected <= used, _missing(expected, used)
    # The original schema's spelling of Not's child, kept for compatibility.
    assert all(_child_names(e) == ["Expresssion"] for e in _elements("Not"))


@pytest.mark.parametrize("owner", ["ServiceLevelObjective", "ActionGuarantee"])
def test_specs_use_both_evaluation_events(owner: str) -> None:
    used: set[str] = set()
    for element in _elements(owner):
        if etree.QName(element.getparent()).localname not in {"Obligations", "ObligationGroup"}:
            continue  # a Violation predicate's <ServiceLevelObjective> is a reference
        names = _child_names(element)
        used.update(n for n in names if n in {"EvaluationEvent", "Schedule"})
    assert {"EvaluationEvent", "Schedule"} <= used, owner
    assert _texts("EvaluationEvent") == {"NewValue"}


def test_specs_use_every_execution_modality() -> None:
    expected = {m.value for m in ExecutionModality}
    used = _texts("ExecutionModality")
    assert expected <= used, _missing(expected, used)


def test_specs_use_every_notification_type_and_both_parameter_forms() -> None:
    expected = {t.value for t in NotificationType}
    used = _texts("NotificationType")
    assert expected <= used, _missing(expected, used)
    lists = [
        (element.findtext(W + "SLAParameter") or "").strip()
        for element in _elements("Action")
        if _xsi_type(element) == (WSLA_NS, "Notification")
    ]
    assert "NONE" in lists
    assert any(len(text.split()) > 1 for text in lists)


def test_specs_use_both_kinds_of_qualified_action() -> None:
    """A Notification and a plain action invocation (QualifiedAction's concrete Action)."""
    actions = [
        e for e in _elements("Action") if etree.QName(e.getparent()).localname == "QualifiedAction"
    ]
    assert any(_xsi_type(e) == (WSLA_NS, "Notification") for e in actions)
    plain = [e for e in actions if _xsi_type(e) is None]
    assert plain and all(e.get("actionName") and len(e) == 0 for e in plain)


def test_specs_use_every_party_action_description_type() -> None:
    expected = set(ACTION_DESCRIPTION_TYPES)
    used: set[str] = set()
    for party in ("ServiceProvider", "ServiceConsumer", "SupportingParty"):
        used |= _wsla_types("Action", parent=party)
    assert expected <= used, _missing(expected, used)


def test_specs_use_every_role_and_two_sponsors() -> None:
    expected = {r.value for r in Role}
    used = _texts("Role")
    assert expected <= used, _missing(expected, used)
    assert any(len(e.findall(W + "Sponsor")) == 2 for e in _elements("SupportingParty"))


def test_specs_use_every_kind_of_constant() -> None:
    expected = {"String", "Integer", "Float"}
    used: set[str] = set()
    for element in _elements("Constant"):
        if etree.QName(element.getparent()).localname in {"Operand", "Value", "Digits"}:
            continue  # a reference to a constant, not a declaration
        used.update(_child_names(element))
    assert expected <= used, _missing(expected, used)
    parents = {
        etree.QName(e.getparent()).localname for e in _elements("Constant") if not _child_names(e)
    }
    assert {"Operand", "Value", "Digits"} <= parents, parents


def test_specs_use_every_kind_of_operand() -> None:
    expected = {"Metric", "Function", "LongScalar", "FloatScalar", "StringScalar", "Constant"}
    used: set[str] = set()
    for local in ("Operand", "Value", "Digits"):
        for element in _elements(local):
            if etree.QName(element.getparent()).localname == "Predicate":
                continue  # a predicate's Value is a plain double
            used.update(_child_names(element))
    assert expected <= used, _missing(expected, used)


def test_specs_use_both_period_forms_for_schedules_and_validity() -> None:
    for owner in ("Period", "Validity"):
        forms = {tuple(_child_names(e))[:1] for e in _elements(owner)}
        assert ("Start",) in forms, owner
        assert ("ConditionTime",) in forms, owner
    assert any(len(e.findall(W + "Validity")) > 1 for e in _elements("ServiceLevelObjective"))


def test_specs_use_every_kind_of_service_object() -> None:
    operation_kinds = {_xsi_type(e) for e in _elements("Operation")}
    assert None in operation_kinds  # the concrete base type
    assert (WSLA_NS, "WSDLSOAPOperationDescriptionType") in operation_kinds
    assert (WSLA_NS, "StringOperationDescriptionType") in operation_kinds
    for local in (
        "WSDLSOAPOperation",
        "OperationGroup",
        "WebHosting",
        "ObligationGroup",
        "Trigger",
    ):
        assert next(_elements(local), None) is not None, local


def test_specs_use_metric_macros_with_filled_holes() -> None:
    holes: set[tuple[str, str]] = set()
    for definition in _elements("MetricMacroDefinition"):
        for metric in definition.iter(W + "Metric"):
            if metric.find(W + "MeasurementDirectiveVariable") is not None:
                holes.add((definition.get("name", ""), metric.get("name", "")))
    assert holes
    filled = {
        (expansion.get("macroName", ""), assignment.get("metricName", ""))
        for expansion in _elements("MetricMacroExpansion")
        for assignment in expansion.iter(W + "MeasurementDirectiveAssignment")
    }
    assert holes <= filled, holes - filled


def test_specs_use_reading_schedules_timeouts_and_communication() -> None:
    assert next(_elements("ReadingSchedule"), None) is not None
    assert next(_elements("TimeOut"), None) is not None
    communications = list(_elements("Communication"))
    assert any(c.find(W + "Pull") is not None for c in communications)
    assert any(c.find(W + "Push") is not None for c in communications)


def test_specs_use_interval_parts_from_years_to_seconds() -> None:
    expected = {"Years", "Months", "Days", "Hours", "Minutes", "Seconds"}
    used: set[str] = set()
    for local in ("Interval", "TimeOut"):
        for element in _elements(local):
            used.update(_child_names(element))
    assert expected <= used, _missing(expected, used)


def test_specs_write_xsi_types_with_and_without_a_prefix() -> None:
    """Readers must resolve xsi:type QNames, so both spellings occur."""
    spellings = {
        ":" in element.get(XSI_TYPE, "")
        for tree in _all_trees()
        for element in tree.iter()
        if isinstance(element.tag, str) and element.get(XSI_TYPE) is not None
    }
    assert spellings == {True, False}


# --- the examples mean what their comments say (evaluated on hand-made records) -------------


def to_ns(moment: datetime) -> int:
    from wsla.runtime.values import to_ns as runtime_to_ns

    return runtime_to_ns(moment)


def _load(name: str) -> Spec:
    from wsla.xml.reader import load_xml

    spec, diagnostics = load_xml((SPECS_DIR / name).read_bytes(), name)
    assert spec is not None, diagnostics
    return spec


def test_stock_quote_flags_ten_minutes_of_continuous_downtime() -> None:
    """Probes every minute, down from 09:05:30 to 09:19:30: the 1-minute series holds zeros
    at the ticks 09:06 … 09:20, so CurrentDownTime reaches 10 at 09:15 and 15 at 09:20."""
    from wsla.runtime.engine import Evaluator
    from wsla.runtime.outcomes import ActionRequest, Violation

    est = timezone(timedelta(hours=-5))
    evaluator = Evaluator(_load("stock-quote.xml"))
    start = datetime(2001, 12, 1, 9, 0, 30, tzinfo=est)
    for minute in range(30):
        up = minute < 5 or minute >= 20
        evaluator.feed("GetQuote/MeasuredStatus", start + timedelta(minutes=minute), int(up))
    result = evaluator.finish()

    violations = result.of_type(Violation)
    assert {v.slo for v in violations} == {"ContinuousDowntimeSLO"}  # 15/1440 down: UpTime holds
    expected_times = [datetime(2001, 12, 1, 9, m, tzinfo=est) for m in range(15, 21)]
    assert [v.time for v in violations] == [to_ns(t) for t in expected_times]
    assert [v.values["Availability_CurrentDownTime"] for v in violations] == list(range(10, 16))
    assert all(v.obliged == "ACMEProvider" for v in violations)

    requests = result.of_type(ActionRequest)
    assert [r.time for r in requests] == [v.time for v in violations]  # modality Always
    for request in requests:
        assert (request.guarantee, request.party, request.action) == (
            "ContinuousDowntimeGuarantee",
            "XInc",
            "notification",
        )
        assert request.notification is not None
        assert request.notification.type == "Violation"


@pytest.mark.parametrize("in_maintenance", [False, True])
def test_hosting_does_not_count_maintenance_against_availability(in_maintenance: bool) -> None:
    """One Sunday, probed every minute, down 10:00-11:00: 95.833 % unless the provider's
    calendar says maintenance, when the qualified series leaves those minutes out."""
    from wsla.runtime.engine import Evaluator
    from wsla.runtime.outcomes import ActionRequest, SLOEvaluation, Violation

    cet = timezone(timedelta(hours=1))
    evaluator = Evaluator(_load("hosting-availability.xml"))
    start = datetime(2026, 3, 1, 0, 0, 30, tzinfo=cet)  # a Sunday
    for minute in range(24 * 60 + 1):
        down = 10 * 60 <= minute < 11 * 60
        at = start + timedelta(minutes=minute)
        evaluator.feed("ShopSite/SiteStatus", at, 0 if down else 1)
        evaluator.feed("ShopSite/MaintenanceFlag", at, int(down and in_maintenance))
    result = evaluator.finish()

    midnight = to_ns(datetime(2026, 3, 2, tzinfo=cet))
    (daily,) = [e for e in result.of_type(SLOEvaluation) if e.slo == "MonthlyAvailabilitySLO"]
    assert daily.time == midnight
    if in_maintenance:
        assert daily.result is True
        assert daily.values == {"MonthlyAvailability": 100.0}
        assert result.of_type(Violation) == []
    else:
        assert daily.result is False
        assert daily.values == {"MonthlyAvailability": 95.833}  # round(100 * 1380 / 1440, 3)
        (violation,) = result.of_type(Violation)
        assert (violation.slo, violation.time) == ("MonthlyAvailabilitySLO", midnight)

    # The maintenance notice goes out at the start of the Sunday window either way.
    notices = [r for r in result.of_type(ActionRequest) if r.guarantee == "MaintenanceNotice"]
    assert [r.time for r in notices] == [to_ns(datetime(2026, 3, 1, 2, tzinfo=cet))]
    assert notices[0].notification is not None
    assert notices[0].notification.type == "Information"
    assert notices[0].notification.values == {}
    alerts = [r for r in result.of_type(ActionRequest) if r.guarantee == "AvailabilityGuarantee"]
    assert len(alerts) == (0 if in_maintenance else 1)


@pytest.mark.parametrize("path", SPECS, ids=_id)
def test_spec_passes_every_check_of_wsla_validate(path: Path) -> None:
    """XSD, model and semantic rules (names, parties, types, units, schedules, graph): the
    examples are clean, without warnings or notes."""
    from wsla.validation import validate_source

    findings = validate_source(path.read_bytes(), str(path))
    assert [(d.code, d.message) for d in findings] == []


@pytest.mark.parametrize("path", SPECS, ids=_id)
def test_spec_compiles_into_an_evaluation_plan(path: Path) -> None:
    from wsla.runtime.plan import compile_plan
    from wsla.xml.reader import load_xml

    spec, _ = load_xml(path.read_bytes(), str(path))
    assert spec is not None
    plan = compile_plan(spec)
    assert [s.name for s in plan.slos] == [s.name for s in spec.obligations.all_slos()]
    assert [g.name for g in plan.guarantees] == [g.name for g in spec.obligations.all_guarantees()]
