"""Semantic rules beyond the golden cases: registry, selection, scope, units, cycles, the
example specs, and robustness against arbitrary broken models."""

from __future__ import annotations

import dataclasses
import enum
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wsla.model as m
from wsla.check import build_context, check, rules
from wsla.check.units import parse_unit
from wsla.codes import semantic
from wsla.dsl.reader import loads_dsl
from wsla.graph import dependencies
from wsla.xml.reader import load_xml

ROOT = Path(__file__).parent.parent
STOCK = ROOT / "specs" / "stock-quote.xml"
CASES = ROOT / "tests" / "cases" / "check"


def _load(path: Path) -> m.Spec:
    if path.suffix == ".xml":
        spec, found = load_xml(path.read_bytes(), str(path))
    else:
        spec, found = loads_dsl(path.read_text(encoding="utf-8"), str(path))
    assert spec is not None, found
    return spec


@pytest.fixture(scope="module")
def stock() -> m.Spec:
    return _load(STOCK)


def _replace_metric(spec: m.Spec, name: str, **changes: Any) -> m.Spec:
    """``spec`` with the metric ``name`` of the stock quote's GetQuote operation changed."""
    definition = spec.service_definitions[0]
    op = definition.operations[0]
    metrics = tuple(dataclasses.replace(x, **changes) if x.name == name else x for x in op.metrics)
    op = dataclasses.replace(op, metrics=metrics)
    definition = dataclasses.replace(definition, operations=(op,))
    return dataclasses.replace(spec, service_definitions=(definition,))


# --- registry ------------------------------------------------------------------------


def test_rules_declare_exactly_the_registered_codes() -> None:
    declared = [c for r in rules() for c in r.codes]
    assert len(declared) == len(set(declared)), "two rules claim one code"
    assert set(declared) == {c.code for c in semantic.CODES}
    assert len({r.name for r in rules()}) == len(rules())


@pytest.mark.parametrize("case", sorted(CASES.glob("*.xml")), ids=lambda p: p.stem)
def test_each_rule_emits_only_its_declared_codes(case: Path) -> None:
    spec = _load(case)
    ctx = build_context(spec)
    for r in rules():
        emitted = {d.code for d in r(spec, ctx)}
        assert emitted <= set(r.codes), (r.name, emitted)


def test_select_and_ignore_by_code_and_prefix() -> None:
    spec = _load(CASES / "N008.xml")
    assert [d.code for d in check(spec)] == ["N008"]
    assert check(spec, select=["G"]) == []
    assert [d.code for d in check(spec, select=["N"])] == ["N008"]
    assert check(spec, ignore=["N008"]) == []
    assert check(spec, select=["N"], ignore=["N0"]) == []


def test_results_are_sorted_by_position(stock: m.Spec) -> None:
    broken = _replace_metric(
        stock,
        "UpTimeRatio",
        definition=m.Plus(left=m.MetricRef(name="Nope"), right=m.MetricRef(name="Nada")),
        unit="seconds",
    )
    found = check(broken)
    keys = [(d.span.line, d.span.column) for d in found if d.span]
    assert keys == sorted(keys)
    assert [d.code for d in found].count("N003") == 2


def test_example_specs_are_clean_under_strict() -> None:
    loaded = 0
    for path in sorted((ROOT / "specs").iterdir()):
        if path.suffix not in (".xml", ".wsla"):
            continue
        if path.suffix == ".xml":
            spec, _found = load_xml(path.read_bytes(), str(path))
        else:
            spec, _found = loads_dsl(path.read_text(encoding="utf-8"), str(path))
        if spec is None:
            continue  # reading problems are the readers' tests' business
        loaded += 1
        assert check(spec) == [], path.name
    assert loaded >= 6


# --- names and scope -----------------------------------------------------------------


def test_did_you_mean_only_when_close(stock: m.Spec) -> None:
    near = _replace_metric(stock, "CurrentDownTime", source="YMeasurment")
    far = _replace_metric(stock, "CurrentDownTime", source="Bob")
    (d,) = check(near)
    assert d.code == "N002" and d.help == "did you mean `YMeasurement`?"
    (d,) = check(far)
    assert d.code == "N002" and d.help is None
    assert d.notes and "ACMEProvider" in d.notes[0]


def test_duplicate_points_at_the_first_definition() -> None:
    (d,) = check(_load(CASES / "N008.xml"))
    assert d.labels and d.labels[0].span.line < d.span.line  # type: ignore[union-attr]


def test_slo_and_guarantee_share_a_namespace(stock: m.Spec) -> None:
    guarantee = stock.obligations.guarantees[0]
    renamed = dataclasses.replace(guarantee, name="UpTimeSLO")
    obligations = dataclasses.replace(
        stock.obligations, guarantees=(renamed, *stock.obligations.guarantees[1:])
    )
    found = check(dataclasses.replace(stock, obligations=obligations))
    assert "N008" in {d.code for d in found}


def test_names_resolve_in_enclosing_service_objects() -> None:
    # operation-group.xml reads schedules and metrics of enclosing objects.
    spec = _load(ROOT / "specs" / "operation-group.xml")
    ctx = build_context(spec)
    nested = [s for s in ctx.scopes if len(s.path) >= 3]
    assert nested, "the example should nest an operation in a group"
    assert check(spec) == []


def test_macro_copies_resolve_siblings_within_their_expansion() -> None:
    ctx = build_context(_load(ROOT / "specs" / "metric-macros.xml"))
    put = next(e for e in ctx.metrics if e.name == "put.LatencyQueue")
    assert put.expansion is not None and put.filled
    latency = ctx.resolve_metric("Latency", put, put.scope)
    assert latency is not None and latency.name == "put.Latency"
    # Outside the macro the short name means nothing.
    assert ctx.resolve_metric("Latency", None, put.scope) is None


# --- graph rules ---------------------------------------------------------------------


def test_self_reference_is_a_cycle(stock: m.Spec) -> None:
    looped = _replace_metric(
        stock,
        "UpTimeRatio",
        definition=m.Plus(left=m.MetricRef(name="UpTimeRatio"), right=m.LongScalar(value=1)),
    )
    (d,) = [d for d in check(looped) if d.code == "G001"]
    assert d.message == "dependency cycle: UpTimeRatio → UpTimeRatio"


def test_slos_violating_each_other_form_a_cycle(stock: m.Spec) -> None:
    first, second = stock.obligations.slos[:2]
    a = dataclasses.replace(first, expression=m.ViolationPredicate(slo=second.name or ""))
    b = dataclasses.replace(second, expression=m.ViolationPredicate(slo=first.name or ""))
    obligations = dataclasses.replace(stock.obligations, slos=(a, b, *stock.obligations.slos[2:]))
    found = check(dataclasses.replace(stock, obligations=obligations))
    cycles = [d for d in found if d.code == "G001"]
    assert len(cycles) == 1
    assert cycles[0].message == (f"dependency cycle: {first.name} → {second.name} → {first.name}")


def test_unused_warnings(stock: m.Spec) -> None:
    op = stock.service_definitions[0].operations[0]
    extra = m.Metric(
        name="Spare",
        type=m.MetricType.LONG,
        source="YMeasurement",
        definition=m.Gauge(measurement_uri="urn:spare"),
    )
    op = dataclasses.replace(op, metrics=(*op.metrics, extra))
    definition = dataclasses.replace(stock.service_definitions[0], operations=(op,))
    found = check(dataclasses.replace(stock, service_definitions=(definition,)))
    assert [(d.code, d.severity.value) for d in found] == [("G002", "warning")]


def test_dangling_reference_suppresses_unused_warnings(stock: m.Spec) -> None:
    broken = _replace_metric(
        stock,
        "OverloadPercentageMetric",
        definition=m.PercentageGreaterThanThreshold(
            input=m.MetricRef(name="UtilisationTimeSeries"), value=m.FloatScalar(value=0.8)
        ),
    )
    assert dependencies(broken).dangling == 1
    assert [d.code for d in check(broken)] == ["N003"]


# --- units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("ms", "milliseconds", True),
        ("Milliseconds", "msec", True),
        ("min", "minutes", True),
        ("ms", "s", False),
        ("seconds", "minutes", False),
        ("%", "Percentage", True),
        ("percent", "ratio", False),
        ("ratio", "fraction", True),
        ("transactions / hour", "transaction per h", True),
        ("transactions / hour", "transactions / minute", False),
        ("requests/s", "transactions/s", False),
    ],
)
def test_unit_vocabulary(a: str, b: str, same: bool) -> None:
    ua, ub = parse_unit(a), parse_unit(b)
    assert ua is not None and ub is not None
    assert ua.compatible(ub) is same


@pytest.mark.parametrize("unit", ["furlongs", "status", "transactions", "", "/ hour", None])
def test_unknown_units_are_not_judged(unit: str | None) -> None:
    assert parse_unit(unit) is None


def test_conversion_through_divide_is_accepted(stock: m.Spec) -> None:
    # ResponseTimeInHour (ms) / 1000 declared in seconds: converted, so no U003.
    converted = _replace_metric(
        stock,
        "AverageResponseTime",
        unit="seconds",
        definition=m.Divide(
            left=m.MetricRef(name="ResponseTimeInHour"), right=m.LongScalar(value=1000)
        ),
    )
    codes = {d.code for d in check(converted)}
    assert "U003" not in codes
    # The parameter still says milliseconds: that is a real mismatch.
    assert codes == {"U001"}


# --- robustness ----------------------------------------------------------------------

_JUNK = ["", "?", "UpTimeSLO", "XInc", "hourlyschedule", "StatusTimeSeries", "a.b", "NONE"]


def _mutate(node: Any, rnd: random.Random) -> Any:
    """A copy of ``node`` with some names, numbers and references replaced at random."""
    if isinstance(node, tuple):
        return tuple(_mutate(x, rnd) for x in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return node
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(node):
        if f.name == "span":
            continue
        value = getattr(node, f.name)
        if isinstance(value, enum.Enum):
            continue  # keep the model well-typed: enums are not names
        if isinstance(value, str) and rnd.random() < 0.15:
            changes[f.name] = rnd.choice(_JUNK)
        elif isinstance(value, int) and not isinstance(value, bool) and rnd.random() < 0.15:
            changes[f.name] = rnd.choice([-3, -1, 0, 1, 5])
        elif isinstance(value, tuple | m.Function | m.MeasurementDirective) or (
            dataclasses.is_dataclass(value) and not isinstance(value, type)
        ):
            changes[f.name] = _mutate(value, rnd)
    return dataclasses.replace(node, **changes) if changes else node


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_check_never_raises_on_mangled_specs(seed: int) -> None:
    spec = _mutate(_load(STOCK), random.Random(seed))
    for d in check(spec):
        assert d.code in {c.code for c in semantic.CODES}
        assert d.message


def test_mangled_spec_example_finds_something(stock: m.Spec) -> None:
    rnd = random.Random(7)
    mangled = _mutate(stock, rnd)
    assert mangled != stock
    assert check(mangled)


# --- schedules and validity ----------------------------------------------------------


def _scheduled(stock: m.Spec, schedule: str, validity: tuple[m.Period, ...]) -> m.Spec:
    slo = dataclasses.replace(
        stock.obligations.slos[1], evaluation=m.OnSchedule(schedule=schedule), validity=validity
    )
    obligations = dataclasses.replace(
        stock.obligations, slos=(stock.obligations.slos[0], slo, *stock.obligations.slos[2:])
    )
    return dataclasses.replace(stock, obligations=obligations)


def _office_hours(hours: str) -> m.CalendarPeriod:
    return m.CalendarPeriod(
        condition_time="2001-11-30T00:00:00-05:00",
        month_of_year_mask="1" * 12,
        day_of_month_mask="1" * 31,
        day_of_week_mask="1111100",
        time_of_day_mask=hours,
        time_zone="America/New_York",
        local_or_utc="Local",
    )


def test_daily_schedule_missing_the_validity_hours(stock: m.Spec) -> None:
    # businessdayschedule ticks daily at 14:00 New York time; 09:00-13:59 never sees it.
    morning = _office_hours("000000000111110000000000")
    (d,) = check(_scheduled(stock, "businessdayschedule", (morning,)))
    assert d.code == "S007"
    assert "`businessdayschedule` never ticks inside" in d.message
    # The same hours are fine for an hourly schedule, and 14:00 is fine for the daily one.
    assert check(_scheduled(stock, "hourlyschedule", (morning,))) == []
    afternoon = _office_hours("000000000000001100000000")
    assert check(_scheduled(stock, "businessdayschedule", (afternoon,))) == []


def test_scheduled_slo_valid_after_the_schedule_ends(stock: m.Spec) -> None:
    from datetime import UTC, datetime

    later = m.TimePeriod(
        start=datetime(2002, 1, 1, tzinfo=UTC), end=datetime(2002, 2, 1, tzinfo=UTC)
    )
    (d,) = check(_scheduled(stock, "hourlyschedule", (later,)))
    assert d.code == "S007"
    inverted = m.TimePeriod(
        start=datetime(2001, 12, 5, tzinfo=UTC), end=datetime(2001, 12, 1, tzinfo=UTC)
    )
    assert [x.code for x in check(_scheduled(stock, "hourlyschedule", (inverted,)))] == ["S002"]
