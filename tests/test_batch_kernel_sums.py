"""The vectorized exact sums and means against ``math.fsum`` (the engine's exact_sum)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wsla.runtime.batch_kernels import HARD, _rounded, exact_sums, k_mean


def _values(magnitudes: list[float], fraction: Any) -> Any:
    return st.builds(
        lambda m, x, neg: -(m * x) if neg else m * x,
        st.sampled_from(magnitudes),
        fraction,
        st.booleans(),
    )


# magnitudes whose exact sums (integer multiples of the smallest value's ulp) run from a
# few bits to about 90, all within the kernel's reach: both vectorized roundings (below
# 2**53 and from 2**54 limbs on) and the Python fallback between them are taken
_IN_REACH = _values([1.0, 1e3, 2.0**30], st.just(0.0) | st.floats(min_value=0.5, max_value=1.0))
# anything finite: some segments are left to the Python function (HARD)
_ANY = _values(
    [2.0**-40, 2.0**-20, 1e-3, 1.0, 1e3, 2.0**30, 2.0**45],
    st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
)


def _segments(data: Any, n: int) -> tuple[Any, Any]:
    cuts = sorted(set(data.draw(st.lists(st.integers(1, n - 1), max_size=6)))) if n > 1 else []
    starts = np.array([0, *cuts], dtype=np.int64)
    counts = np.diff(np.array([*starts.tolist(), n], dtype=np.int64))
    return starts, counts


def _check(values: list[float], data: Any, *, hard_only_at_zero: bool) -> None:
    array = np.array(values, dtype=np.float64)
    starts, counts = _segments(data, len(values))
    sums = exact_sums(np, array, starts, counts)
    means = k_mean(np, array, starts, counts, ())
    for i, (a, c) in enumerate(zip(starts.tolist(), counts.tolist(), strict=True)):
        segment = values[a : a + c]
        wanted = math.fsum(segment)
        if sums[i] is HARD:  # left to the Python function
            assert means[i] is HARD
            assert wanted == 0 or not hard_only_at_zero
            continue
        assert sums[i] == wanted and type(sums[i]) is float
        assert means[i] == wanted / c


@settings(max_examples=300, deadline=None)
@given(values=st.lists(_IN_REACH, min_size=1, max_size=40), data=st.data())
def test_sums_and_means_are_fsum(values: list[float], data: Any) -> None:
    _check(values, data, hard_only_at_zero=True)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_ANY, min_size=1, max_size=40), data=st.data())
def test_sums_and_means_are_fsum_or_left_to_python(values: list[float], data: Any) -> None:
    _check(values, data, hard_only_at_zero=False)


def test_rounding_at_the_sticky_bit() -> None:
    # big·2**32 + rest just above/at/below halfway between two doubles, both signs
    big = np.array([(1 << 54) + 1, (1 << 54) + 1, (1 << 54) + 1, -(1 << 54), -(1 << 55)])
    rest = np.array([0, 1, 1 << 31, 1, 5], dtype=np.int64)
    got = _rounded(np, big.astype(np.int64), rest, 0, None).tolist()
    wanted = [float((int(b) << 32) + int(r)) for b, r in zip(big, rest, strict=True)]
    assert got == wanted


def test_int_means_divide_exact_sums() -> None:
    values = np.array([1, 2, 4, (1 << 40) + 1, 3], dtype=np.int64)
    starts = np.array([0, 3], dtype=np.int64)
    counts = np.array([3, 2], dtype=np.int64)
    assert exact_sums(np, values, starts, counts) == [7, (1 << 40) + 4]
    assert k_mean(np, values, starts, counts, ()) == [7 / 3, ((1 << 40) + 4) / 2]


@settings(max_examples=200, deadline=None)
@given(
    large=st.lists(st.floats(min_value=2.0**32, max_value=2.0**33), min_size=1, max_size=39),
    small=st.floats(min_value=0.5, max_value=1.0),
    negative=st.booleans(),
    data=st.data(),
)
def test_sums_beyond_2_to_the_85(
    large: list[float], small: float, negative: bool, data: Any
) -> None:
    # the smallest value sets the unit at about 2**-53, the large ones make the sums
    # about 2**86 units: the limbs' carry exceeds 2**54 (the sticky-bit rounding)
    values = [small, *large]
    if negative:
        values = [-v for v in values]
    _check(values, data, hard_only_at_zero=True)


def test_percentile_near_the_double_limit_overflows_silently_like_python() -> None:
    """(a·(n−δ) + b·δ) / n overflows to inf in numpy exactly as in Python's floats; the
    batch kernel must give the same value without a RuntimeWarning on stderr."""
    import warnings
    from fractions import Fraction

    import numpy as np

    from wsla.runtime.batch_kernels import k_percentile

    values = np.array([1.0e308, 1.5e308, 1.6e308], dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (got,) = k_percentile(np, values, np.array([0]), np.array([3], dtype=np.int64), (95,))
    share = Fraction(95, 100)
    j, delta = divmod(share.numerator * 2, share.denominator)
    a, b, n = float(values[j]), float(values[min(j + 1, 2)]), share.denominator
    assert got == (a * (n - delta) + b * delta) / n
    assert got == float("inf")
