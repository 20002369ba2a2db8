"""N008 for metrics: a repeated name in one service object, and only then."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from wsla import model as m
from wsla.check import check
from wsla.xml.reader import load_xml

STOCK = Path(__file__).resolve().parents[1] / "specs" / "stock-quote.xml"


def _stock() -> m.Spec:
    spec, diagnostics = load_xml(STOCK.read_bytes(), str(STOCK))
    assert spec is not None, diagnostics
    return spec


def _with_metrics(spec: m.Spec, metrics: tuple[m.Metric, ...]) -> m.Spec:
    definition = spec.service_definitions[0]
    holder = next(op for op in definition.operations if op.metrics)
    changed = dataclasses.replace(holder, metrics=metrics)
    operations = tuple(changed if op is holder else op for op in definition.operations)
    return dataclasses.replace(
        spec,
        service_definitions=(
            dataclasses.replace(definition, operations=operations),
            *spec.service_definitions[1:],
        ),
    )


def test_a_metric_defined_twice_in_one_object_is_reported_once_at_the_second() -> None:
    spec = _stock()
    holder = next(op for op in spec.service_definitions[0].operations if op.metrics)
    first = holder.metrics[0]
    twice = _with_metrics(spec, (*holder.metrics, dataclasses.replace(first, span=None)))
    found = [d for d in check(twice) if d.code == "N008"]
    assert len(found) == 1
    assert f"metric `{first.name}` is defined more than once" in found[0].message
    assert found[0].labels and found[0].labels[0].span == first.span


def test_distinct_names_and_unnamed_metrics_are_not_duplicates() -> None:
    spec = _stock()
    assert [d for d in check(spec) if d.code == "N008"] == []
    holder = next(op for op in spec.service_definitions[0].operations if op.metrics)
    unnamed = dataclasses.replace(holder.metrics[0], name=None)
    two_unnamed = _with_metrics(spec, (*holder.metrics, unnamed, unnamed))
    assert [d for d in check(two_unnamed) if d.code == "N008"] == []
