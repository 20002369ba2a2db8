"""Percentile accepts any percent in [0, 100], however many decimals it has."""

from __future__ import annotations

import numpy as np
import pytest
from runtime_builders import over_queue

from wsla.model import FloatScalar
from wsla.model.extensions import Percentile


@pytest.mark.parametrize("percent", [99.99999, 12.3456789, 50.000000001, 1e-9])
def test_fine_percents_interpolate_like_numpy(percent: float) -> None:
    values = [float(v) for v in (3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9)]
    got = over_queue(lambda q: Percentile(input=q, percent=FloatScalar(value=percent)), values)
    expected = float(np.percentile(values, percent))
    assert got is not None
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("percent", [1e-320, 5e-324, 1e-300])
def test_subnormal_percents_are_the_minimum_not_an_overflow(percent: float) -> None:
    values = [3.0, 1.0, 2.0, float(2**60)]
    got = over_queue(lambda q: Percentile(input=q, percent=FloatScalar(value=percent)), values)
    assert got == 1.0
