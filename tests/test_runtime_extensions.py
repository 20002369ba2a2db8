"""wsla's extension functions (urn:wsla-toolkit:ext:1): semantics, numpy agreement, XML."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from runtime_builders import (
    MIN,
    at,
    gauge,
    make_spec,
    metric,
    over_queue,
    param,
    ref,
    schedule,
    slo,
)

from wsla.model import FloatScalar, Less, LongScalar, Mean, Size
from wsla.model.extensions import Count, IntervalSeries, Min, Percentile, Ratio
from wsla.model.registry import FUNCTION_TYPES
from wsla.model.types import EXT_NS
from wsla.runtime import functions as fx
from wsla.runtime.engine import Evaluator
from wsla.runtime.outcomes import DataGap, ParameterValue, SLOEvaluation
from wsla.runtime.values import Series


def series(values: list[float]) -> Series:
    s = Series()
    for i, v in enumerate(values):
        s.append(i, v)
    return s


def test_registered_in_our_namespace() -> None:
    for cls in (IntervalSeries, Percentile, Min, Count, Ratio):
        assert FUNCTION_TYPES[(EXT_NS, cls.xsi_type)] is cls
        assert cls in fx.FUNCTIONS


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [
        ([1, 2, 3, 4], 50, 2.5),
        ([1, 2, 3, 4], 25, 1.75),
        ([10, 20], 95, 19.5),
        ([15, 20, 35, 40, 50], 40, 29.0),
        ([3, 1, 2], 0, 1.0),
        ([3, 1, 2], 100, 3.0),
        ([7], 95, 7.0),
        (list(range(1, 101)), 99.9, 99.901),
    ],
)
def test_percentile_golden(values: list[int], percent: float, expected: float) -> None:
    got = over_queue(lambda q: Percentile(input=q, percent=FloatScalar(value=percent)), values)
    assert type(got) is float
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("percent", [-1, 100.5])
def test_percentile_undefined_cases(percent: float) -> None:
    assert fx.percentile(series([1.0, 2.0]), percent) is None
    assert fx.percentile(series([]), 50) is None
    assert fx.percentile(series([1, "x"]), 50) is None  # type: ignore[list-item]


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40),
    st.sampled_from([0, 1, 5, 25, 50, 75, 90, 95, 99, 99.9, 100]),
)
def test_percentile_matches_numpy_linear(values: list[float], percent: float) -> None:
    import numpy as np

    got = fx.percentile(series(values), percent)
    want = float(np.percentile(np.array(values), percent, method="linear"))
    assert got is not None
    assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-9)


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=40), st.sampled_from([50, 90, 95, 99]))
def test_percentile_of_integers_matches_numpy(values: list[int], percent: int) -> None:
    import numpy as np

    got = fx.percentile(series(values), percent)  # type: ignore[arg-type]
    want = float(np.percentile(np.array(values, dtype=float), percent, method="linear"))
    assert got is not None
    assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-9)


def test_min_count_ratio() -> None:
    assert over_queue(lambda q: Min(input=q), [3, 1.5, 2]) == 1.5
    assert over_queue(lambda q: Min(input=q), [3], window=0) is None
    assert over_queue(lambda q: Count(input=q), [3, 1, 2]) == 3
    assert over_queue(lambda q: Count(input=q), [3], window=0) == 0
    assert over_queue(lambda q: Ratio(input=q, value=LongScalar(value=0)), [1, 0, 1, 0.0]) == 0.5
    assert over_queue(lambda q: Ratio(input=q, value=LongScalar(value=0)), [1], window=0) is None


def interval_spec() -> object:
    return make_spec(
        [
            gauge("RT"),
            metric("W", IntervalSeries(schedule="five", input=ref("RT"))),
            metric("N", Size(operand=ref("W"))),
            metric("M", Mean(input=ref("W"))),
            metric("P", Percentile(input=ref("W"), percent=LongScalar(value=50))),
        ],
        parameters=[param("PN", "N"), param("PM", "M"), param("PP", "P")],
        schedules=[schedule("five", 5)],
        slos=[slo("S", Less(parameter="PM", value=100), on="five")],
    )


def test_interval_series_collects_values_of_the_closed_interval() -> None:
    ev = Evaluator(interval_spec(), start=at(0))
    for minute, value in [(0, 10), (1, 20), (4.99, 30), (5, 1000), (7, 2000), (12, 3)]:
        ev.feed("Svc/RT", at(minute), value)
    result = ev.finish(to=at(15))

    def vals(name: str) -> list[tuple[float, object]]:
        return [
            ((o.time - at(0)) / MIN, o.value)
            for o in result.outcomes
            if isinstance(o, ParameterValue) and o.parameter == name
        ]

    # [0,5): 10, 20, 30; the value at exactly 5:00 belongs to [5,10); [10,15): 3
    assert vals("PN") == [(5.0, 3), (10.0, 2), (15.0, 1)]
    assert vals("PM") == [(5.0, 20.0), (10.0, 1500.0), (15.0, 3.0)]
    assert vals("PP") == [(5.0, 20.0), (10.0, 1500.0), (15.0, 3.0)]
    assert [o.result for o in result.of_type(SLOEvaluation)] == [True, False, True]


def test_interval_series_empty_interval_gives_undefined_mean() -> None:
    ev = Evaluator(interval_spec(), start=at(0))
    ev.feed("Svc/RT", at(1), 5)
    result = ev.finish(to=at(10))
    means = [
        o.value for o in result.outcomes if isinstance(o, ParameterValue) and o.parameter == "PM"
    ]
    counts = [
        o.value for o in result.outcomes if isinstance(o, ParameterValue) and o.parameter == "PN"
    ]
    assert means == [5.0, None]
    assert counts == [1, 0]
    assert [(g.subject, g.kind) for g in result.of_type(DataGap)] == [("S", "unknown")]


def test_extension_functions_round_trip_through_validated_xml() -> None:
    from wsla.xml import dumps_xml, load_xml

    spec = interval_spec()
    data = dumps_xml(spec)  # type: ignore[arg-type]
    assert b"wslax:IntervalSeries" in data and b"wslax:Percentile" in data
    loaded, diagnostics = load_xml(data, "ext.xml")
    assert [d for d in diagnostics if d.is_error] == []
    assert loaded == spec


def test_extension_schema_validates_and_rejects() -> None:
    from lxml import etree

    from wsla._resources import xsd_path

    schema = etree.XMLSchema(etree.parse(str(xsd_path("wsla-ext.xsd"))))
    good = b"""<Operation xmlns="http://www.ibm.com/wsla"
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        xmlns:wslax="urn:wsla-toolkit:ext:1" name="op">
      <Metric name="P95"><Source>P</Source>
        <Function xsi:type="wslax:Percentile" resultType="double">
          <Function xsi:type="wslax:IntervalSeries"><wslax:Schedule>s</wslax:Schedule>
            <Metric>RT</Metric></Function>
          <wslax:Percent><LongScalar>95</LongScalar></wslax:Percent>
        </Function></Metric>
      <Metric name="E"><Source>P</Source>
        <Function xsi:type="wslax:Ratio"><Metric>Ok</Metric>
          <wslax:Value><LongScalar>0</LongScalar></wslax:Value></Function></Metric>
      <Metric name="C"><Source>P</Source>
        <Function xsi:type="wslax:Count"><Function xsi:type="wslax:Min"><Metric>W</Metric>
        </Function></Function></Metric>
    </Operation>"""
    assert schema.validate(etree.fromstring(good)), schema.error_log
    # the percent must be in our namespace, not WSLA's
    bad = good.replace(b"wslax:Percent>", b"Percent>")
    assert not schema.validate(etree.fromstring(bad))


def test_interval_series_evidence_lists_the_intervals_records() -> None:
    ev = Evaluator(interval_spec(), start=at(0), trace=True)
    for i, (minute, value) in enumerate([(1, 50), (2, 400), (6, 10)]):
        ev.feed("Svc/RT", at(minute), value, origin=f"rt.csv:{i + 2}")
    result = ev.finish(to=at(10))
    (violation,) = result.violations()
    assert violation.time == at(5)
    (chain,) = result.explain(violation)
    assert chain.value == 225.0
    assert [(r.value, r.origin) for r in chain.records()] == [(50, "rt.csv:2"), (400, "rt.csv:3")]
