"""The one walk of each metric (scope.walk_definition) finds what the separate walks of
wsla.check.walk find, in the same order: the rules read its results instead."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings

from tests.strategies import functions
from wsla.check.scope import build_context, walk_definition
from wsla.check.walk import constant_refs, metric_refs, resolved_metric_refs, schedule_refs
from wsla.model import (
    ConstantRef,
    Function,
    Mean,
    MetricRef,
    Minus,
    QualifyMeasurementTimeSeries,
    Span,
    TSConstructor,
)
from wsla.xml.reader import load_xml

SPECS = sorted((Path(__file__).resolve().parents[1] / "specs").glob("*.xml"))


def _preorder(fn: Function) -> list[Function]:
    """The functions of ``fn`` pre-order, by plain recursion over the dataclass fields."""
    out = [fn]
    for f in dataclasses.fields(fn):
        value = getattr(fn, f.name)
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if isinstance(v, Function):
                out.extend(_preorder(v))
    return out


@settings(max_examples=150, deadline=None)
@given(functions())
def test_the_shared_walk_finds_what_the_separate_walks_find(fn: Function) -> None:
    found, reads, constants, schedules = walk_definition(fn)
    assert list(found) == _preorder(fn)
    assert [(n, s, f) for n, s, f in reads] == [
        (ref.name, ref.span, f) for ref, f in metric_refs(found)
    ]
    assert [(n, s) for n, s, _ in constants] == [(r.name, r.span) for r in constant_refs(found)]
    assert [(n, s) for n, s, _ in schedules] == [(r.name, r.span) for r in schedule_refs(found)]


def test_a_reference_is_reported_at_its_own_span_else_at_its_function() -> None:
    at = Span("s.xml", 3, 5)
    ref_at = Span("s.xml", 4, 7)
    minus = Minus(left=MetricRef(name="a", span=ref_at), right=ConstantRef(name="k"), span=at)
    series = TSConstructor(schedule="every5", input=minus, span=Span("s.xml", 2, 3))
    qualify = QualifyMeasurementTimeSeries(
        base_metric="b", validation_metric="v", value=series, span=Span("s.xml", 1, 1)
    )
    found, reads, constants, schedules = walk_definition(Mean(input=qualify))
    assert found[1:] == (qualify, series, minus)
    assert reads == (
        ("b", qualify.span, qualify),
        ("v", qualify.span, qualify),
        ("a", ref_at, minus),
    )
    assert constants == (("k", at, minus),)
    assert schedules == (("every5", series.span, series),)


def test_entries_carry_the_walk_and_resolve_from_it() -> None:
    walked = 0
    for path in SPECS:
        spec, _ = load_xml(path.read_bytes(), path.name)
        if spec is None:
            continue
        ctx = build_context(spec)
        for entry in ctx.metrics:
            if not entry.functions:
                assert entry.reads == entry.constants == entry.schedules == ()
                continue
            walked += 1
            assert entry.functions[0] is entry.metric.definition
            resolved = resolved_metric_refs(ctx, entry)
            assert [(n, s, f) for n, s, f, _ in resolved] == list(entry.reads)
            for name, _span, _fn, target in resolved:
                assert target is ctx.resolve_metric(name, entry, entry.scope)
    assert walked > 10


def test_metric_units_do_not_depend_on_the_order_they_are_asked_in() -> None:
    """metric_unit answers a declared unit without its dependency pass; a context asked
    in reverse order (other memo contents) must give the same units."""
    from wsla.check.units import metric_unit, parse_unit

    checked = 0
    for path in SPECS:
        spec, _ = load_xml(path.read_bytes(), path.name)
        if spec is None:
            continue
        forward = build_context(spec)
        backward = build_context(spec)
        ahead = [metric_unit(forward, e) for e in forward.metrics]
        behind = [metric_unit(backward, e) for e in reversed(backward.metrics)][::-1]
        assert ahead == behind
        for entry, unit in zip(forward.metrics, ahead, strict=True):
            if entry.metric.unit is not None:
                assert unit == parse_unit(entry.metric.unit)
                checked += 1
    assert checked > 10


def test_units_are_compatible_by_dimension_and_scale_not_spelling() -> None:
    from wsla.check.units import parse_unit

    ms, milliseconds, seconds = parse_unit("ms"), parse_unit("milliseconds"), parse_unit("s")
    assert ms is not None and milliseconds is not None and seconds is not None
    assert ms.compatible(ms) and ms.compatible(milliseconds) and milliseconds.compatible(ms)
    assert not ms.compatible(seconds)


def test_functions_of_picks_the_instances_of_classes_in_walk_order() -> None:
    from wsla.model import Plus, TSSelect

    checked = 0
    for path in SPECS:
        spec, _ = load_xml(path.read_bytes(), path.name)
        if spec is None:
            continue
        ctx = build_context(spec)
        assert ctx.functions == [(e, f) for e in ctx.metrics for f in e.functions]
        for classes in ((Minus,), (Plus, Minus), (TSSelect, TSConstructor), (Function,), (Mean,)):
            expected = [(e, f) for e, f in ctx.functions if isinstance(f, classes)]
            assert ctx.functions_of(*classes) == expected
            checked += len(expected)
    assert checked > 10
