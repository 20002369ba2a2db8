"""Hand-computed golden cases for every WSLA 1.0 function (reference §5 "Functions")."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from runtime_builders import (
    at,
    gauge,
    last_value,
    make_spec,
    metric,
    over_queue,
    over_scalars,
    param,
    ref,
    schedule,
)

from wsla.model import (
    Average,
    Constant,
    ConstantRef,
    Divide,
    FloatScalar,
    Interval,
    LongScalar,
    Max,
    Mean,
    Median,
    Minus,
    Mode,
    NumberGreaterThanThreshold,
    NumberLessThanThreshold,
    PercentageGreaterThanThreshold,
    PercentageLessThanThreshold,
    Plus,
    QConstructor,
    QualifyMeasurementTimeSeries,
    RateOfChange,
    Round,
    Size,
    SpanFunction,
    StringScalar,
    Sum,
    Times,
    TSConstructor,
    TSSelect,
    ValueOccurs,
)
from wsla.runtime import functions as fx
from wsla.runtime.values import Series


def typed(value: object, expected: object) -> bool:
    return type(value) is type(expected) and value == expected


# --- arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "a", "b", "expected"),
    [
        (Plus, 2, 3, 5),
        (Plus, 2, 0.5, 2.5),
        (Minus, 2, 3, -1),
        (Minus, 2.5, 1, 1.5),
        (Times, 4, 3, 12),
        (Times, 10**20, 10**20, 10**40),
        (Times, 0.5, 4, 2.0),
        (Divide, 7, 2, 3.5),
        (Divide, 6, 3, 2.0),
        (Divide, 1, 3, 1 / 3),
        (Divide, 7.5, 2.5, 3.0),
    ],
)
def test_arithmetic(cls: type, a: object, b: object, expected: object) -> None:
    value = over_scalars(lambda x, y: cls(left=x, right=y), a, b)
    assert typed(value, expected)


@pytest.mark.parametrize("zero", [0, 0.0])
def test_division_by_zero_is_undefined(zero: object) -> None:
    assert over_scalars(lambda x, y: Divide(left=x, right=y), 5, zero) is None


@pytest.mark.parametrize("cls", [Plus, Minus, Times, Divide])
def test_arithmetic_over_undefined_or_string_is_undefined(cls: type) -> None:
    assert over_scalars(lambda x, y: cls(left=x, right=y), 5, None) is None
    assert over_scalars(lambda x, y: cls(left=x, right=y), "a", 1) is None


def test_arithmetic_with_constants_and_scalars() -> None:
    spec = make_spec(
        [
            gauge("A"),
            metric(
                "F",
                Minus(
                    left=LongScalar(value=1),
                    right=Divide(left=ref("A"), right=ConstantRef(name="K")),
                ),
            ),
        ],
        parameters=[param("PF", "F")],
        constants=[Constant(name="K", value=1440)],
    )
    assert last_value(spec, [("Svc/A", at(0), 144)], "PF") == pytest.approx(0.9)
    assert last_value(spec, [("Svc/A", at(0), 144)], "PF") == 1 - 144 / 1440


def test_bool_records_are_ints() -> None:
    value = over_scalars(lambda x, y: Plus(left=x, right=y), True, True)
    assert typed(value, 2)


# --- series functions -----------------------------------------------------------------


def test_size_and_window_overflow() -> None:
    assert over_queue(lambda q: Size(operand=q), [5, 6, 7]) == 3
    assert over_queue(lambda q: Size(operand=q), [5, 6, 7, 8, 9], window=2) == 2
    assert over_queue(lambda q: Sum(input=q), [5, 6, 7, 8, 9], window=2) == 17


@pytest.mark.parametrize(("element", "expected"), [(0, 30), (-1, 20), (-2, 10), (-3, None)])
def test_tsselect(element: int, expected: object) -> None:
    assert over_queue(lambda q: TSSelect(operand=q, element=element), [10, 20, 30]) == expected


@pytest.mark.parametrize(
    ("cls", "values", "expected"),
    [
        (Mean, [1, 2, 4], 7 / 3),
        (Mean, [1, 2], 1.5),
        (Average, [2, 4], 3.0),
        (Mean, [0.1, 0.2, 0.3], math.fsum([0.1, 0.2, 0.3]) / 3),
        (Mean, [1e16, 1.0, -1e16], 1 / 3),
        (Median, [3, 1, 2], 2),
        (Median, [4, 1, 3, 2], 2.5),
        (Median, [1.5, 0.5], 1.0),
        (Mode, [3, 1, 3, 1, 2], 1),
        (Mode, [5, 2, 5], 5),
        (Mode, [2.0, 2, 7], 2.0),
        (Max, [3, 9.5, 2], 9.5),
        (Max, [3, 9, 2], 9),
        (Sum, [1, 2, 3], 6),
        (Sum, [0.1, 0.2, 0.3], 0.6),
        (Sum, [1e100, 1.0, -1e100], 1.0),
    ],
)
def test_aggregates(cls: type, values: list[object], expected: object) -> None:
    assert typed(over_queue(lambda q: cls(input=q), values), expected)


@pytest.mark.parametrize("cls", [Mean, Average, Median, Mode, Max])
def test_aggregate_of_empty_is_undefined(cls: type) -> None:
    assert over_queue(lambda q: cls(input=q), [1, 2], window=0) is None


@pytest.mark.parametrize(
    "make",
    [
        lambda q: Sum(input=q),
        lambda q: Size(operand=q),
        lambda q: ValueOccurs(input=q, value=LongScalar(value=1)),
        lambda q: NumberGreaterThanThreshold(input=q, value=LongScalar(value=1)),
        lambda q: NumberLessThanThreshold(input=q, value=LongScalar(value=1)),
        lambda q: SpanFunction(input=q, value=LongScalar(value=1)),
    ],
)
def test_counts_of_empty_are_zero(make: object) -> None:
    assert typed(over_queue(make, [1, 2], window=0), 0)


def test_value_occurs_numeric_equality_and_strings() -> None:
    assert (
        over_queue(lambda q: ValueOccurs(input=q, value=FloatScalar(value=1.0)), [1, 2, 1, 1.0])
        == 3
    )
    assert (
        over_queue(
            lambda q: ValueOccurs(input=q, value=StringScalar(value="up")), ["up", "down", "up"]
        )
        == 2
    )
    assert over_queue(lambda q: ValueOccurs(input=q, value=StringScalar(value="1")), [1, 1]) == 0


def test_thresholds() -> None:
    values = [0.5, 0.9, 0.8, 1.0]
    gt = over_queue(
        lambda q: PercentageGreaterThanThreshold(input=q, value=FloatScalar(value=0.8)), values
    )
    lt = over_queue(
        lambda q: PercentageLessThanThreshold(input=q, value=FloatScalar(value=0.8)), values
    )
    ngt = over_queue(
        lambda q: NumberGreaterThanThreshold(input=q, value=FloatScalar(value=0.8)), values
    )
    nlt = over_queue(
        lambda q: NumberLessThanThreshold(input=q, value=FloatScalar(value=0.8)), values
    )
    assert typed(gt, 0.5)
    assert typed(lt, 0.25)
    assert typed(ngt, 2)
    assert typed(nlt, 1)


def test_percentage_of_empty_is_undefined() -> None:
    make = lambda q: PercentageGreaterThanThreshold(input=q, value=FloatScalar(value=0.8))  # noqa: E731
    assert over_queue(make, [1], window=0) is None


@pytest.mark.parametrize(
    ("values", "expected"), [([0, 1, 0, 0], 2), ([0, 0, 1], 0), ([0.0, 0, 0], 3), ([1, 1], 0)]
)
def test_span(values: list[object], expected: int) -> None:
    assert (
        over_queue(lambda q: SpanFunction(input=q, value=LongScalar(value=0)), values) == expected
    )


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (2.675, 2, 2.68),
        (2.5, 0, 3.0),
        (-2.5, 0, -3.0),
        (1.005, 2, 1.01),
        (0.125, 2, 0.13),
        (1250, -2, 1300.0),
        (7, 0, 7.0),
        (3.14159, 3, 3.142),
        (-0.0049, 2, -0.0),
    ],
)
def test_round_half_away_from_zero(value: object, digits: int, expected: float) -> None:
    spec = make_spec(
        [gauge("A"), metric("F", Round(input=ref("A"), digits=LongScalar(value=digits)))],
        parameters=[param("PF", "F")],
    )
    result = last_value(spec, [("Svc/A", at(0), value)], "PF")
    assert typed(result, expected)


def test_round_helper_edges() -> None:
    assert fx.round_half_away(2.5, 1.5) is None
    assert fx.round_half_away(2.5, 1.0) == 2.5
    assert fx.round_half_away(None, 1) is None
    assert math.isinf(fx.round_half_away(math.inf, 2))


def _rate_spec(series: bool) -> object:
    metrics = [gauge("A")]
    if series:
        metrics.append(metric("Q", QConstructor(input=ref("A"))))
    metrics.append(
        metric("F", RateOfChange(input=ref("Q" if series else "A"), interval=Interval(minutes=60)))
    )
    return make_spec(metrics, parameters=[param("PF", "F")])


@pytest.mark.parametrize("series", [True, False])
def test_rate_of_change(series: bool) -> None:
    spec = _rate_spec(series)
    # 10 → 40 over 30 minutes = 60 per hour (series: oldest→newest = 10 → 40 too)
    records = [("Svc/A", at(0), 10), ("Svc/A", at(30), 40)]
    if series:
        records = [("Svc/A", at(0), 10), ("Svc/A", at(10), 5), ("Svc/A", at(30), 40)]
    assert typed(last_value(spec, records, "PF"), 60.0)


@pytest.mark.parametrize("series", [True, False])
def test_rate_of_change_undefined_cases(series: bool) -> None:
    spec = _rate_spec(series)
    assert last_value(spec, [("Svc/A", at(0), 10)], "PF") is None
    # two values at the same instant: zero time span
    assert last_value(spec, [("Svc/A", at(0), 10), ("Svc/A", at(0), 20)], "PF") is None


def test_rate_of_change_is_exact() -> None:
    # (0.3 - 0.1) * 3600e9 / 7e9 computed exactly, rounded once
    from fractions import Fraction

    got = fx.rate(0.3, 0.1, 7 * 10**9, 0, 3600 * 10**9)
    assert got == float((Fraction(0.3) - Fraction(0.1)) * 3600 / 7)


def test_rate_of_change_scalar_over_undefined_value() -> None:
    spec = _rate_spec(False)
    records = [("Svc/A", at(0), 10), ("Svc/A", at(1), None), ("Svc/A", at(2), 30)]
    assert last_value(spec, records, "PF") is None
    records.append(("Svc/A", at(3), 31))
    assert last_value(spec, records, "PF") == 60.0


def test_qualify_measurement_time_series() -> None:
    spec = make_spec(
        [
            gauge("B"),
            gauge("V"),
            metric("BQ", QConstructor(input=ref("B"))),
            metric("VQ", QConstructor(input=ref("V"))),
            metric(
                "QS",
                QualifyMeasurementTimeSeries(
                    base_metric="BQ", validation_metric="VQ", value=LongScalar(value=1)
                ),
            ),
            metric("F", Sum(input=ref("QS"))),
            metric("N", Size(operand=ref("QS"))),
        ],
        parameters=[param("PF", "F"), param("PN", "N")],
    )
    records = [
        ("Svc/B", at(0), 100),  # no validation yet: dropped
        ("Svc/V", at(1), 1),
        ("Svc/B", at(1), 10),  # validation at the same time (1) counts: kept
        ("Svc/B", at(2), 20),  # kept
        ("Svc/V", at(3), 0),
        ("Svc/B", at(4), 40),  # validation 0: dropped
        ("Svc/V", at(5), 1.0),
        ("Svc/B", at(6), 60),  # kept (1.0 == 1)
    ]
    assert last_value(spec, records, "PF") == 90
    assert last_value(spec, records, "PN") == 3


def test_tsconstructor_feeding_functions() -> None:
    spec = make_spec(
        [
            gauge("G"),
            metric("TS", TSConstructor(schedule="m", input=ref("G"), window=2)),
            metric(
                "D",
                Minus(
                    left=TSSelect(operand=ref("TS"), element=0),
                    right=TSSelect(operand=ref("TS"), element=-1),
                ),
            ),
        ],
        parameters=[param("PD", "D")],
        schedules=[schedule("m", 1)],
    )
    # G = 5 at 0:00, 8 at 0:30, 20 at 1:30; ticks at 1:00 (8), 2:00 (20) → 20 - 8
    records = [
        ("Svc/G", at(0), 5),
        ("Svc/G", at(0.5), 8),
        ("Svc/G", at(1.5), 20),
        ("Svc/G", at(2), 0),
    ]
    assert last_value(spec, records, "PD") == 12


def test_mode_with_strings_and_numbers_tied_is_undefined() -> None:
    assert over_queue(lambda q: Mode(input=q), ["a", 1]) is None
    assert over_queue(lambda q: Mode(input=q), ["b", "a", "b", "a"]) == "a"


def test_mean_of_non_numeric_is_undefined() -> None:
    assert over_queue(lambda q: Mean(input=q), [1, "x"]) is None


def test_helpers_directly() -> None:
    s = Series()
    for i, v in enumerate([1, 2, 3]):
        s.append(i, v)
    assert fx.mean(s) == 2.0
    assert fx.median(s) == 2
    assert fx.total(s) == 6
    assert fx.equal(1, 1.0)
    assert not fx.equal("1", 1)
    assert fx.divide(1, 0) is None


def test_infinities_do_not_crash() -> None:
    inf = math.inf
    assert math.isnan(over_queue(lambda q: Mean(input=q), [inf, -inf]))
    assert over_queue(lambda q: Sum(input=q), [1e308, 1e308]) == inf
    assert over_queue(lambda q: Max(input=q), [inf, 1]) == inf
    assert over_scalars(lambda x, y: Times(left=x, right=y), 10**400, 1.0) is None


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 2)), max_size=25),
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from([0, 1, 1.0, "1", 2])), max_size=25),
    st.sampled_from([1, 1.0, "1", 0]),
    st.booleans(),
)
def test_qualify_fast_path_equals_the_rule(
    base_raw: list[tuple[int, int]], val_raw: list[tuple[int, object]], wanted: object, same: bool
) -> None:
    """Twin-sampled series take a shortcut; it must agree with the rule element by element."""
    base = Series()
    for t, v in sorted(base_raw):
        base.append(t, v)
    validation = Series()
    pairs = (
        [(t, v) for (t, _), (_, v) in zip(sorted(base_raw), val_raw, strict=False)]
        if same
        else val_raw
    )
    for t, v in sorted(pairs, key=lambda p: p[0]):
        validation.append(t, v)
    got = fx.qualify(base, validation, wanted)
    want = [
        (t, v)
        for t, v in base
        if (i := max((k for k, vt in enumerate(validation.times) if vt <= t), default=-1)) >= 0
        and fx.equal(list(validation.values)[i], wanted)
    ]
    assert list(zip(got.times, got.values, strict=True)) == want
