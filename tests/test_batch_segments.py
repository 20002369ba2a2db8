"""The batch engine's interval segmentation (binary search over interval bounds, or a
label per row when rows are sparse) against the definition row by row: a row at ``t``
is in interval ``k = (t − start) // step + 1``, closed by the tick ``start + k·step``;
rows before the start or in an interval closing after the end are dropped; intervals
whose tick is ≤ the horizon are closed."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wsla.runtime.batch import _segments
from wsla.runtime.schedules import NEVER


def reference(t: list[int], start: int, step: int, end: int, horizon: int | None) -> Any:
    kept = [(x, (x - start) // step + 1) for x in t]
    kept = [(x, k) for x, k in kept if x >= start and start + k * step <= end]
    closed = [(x, k) for x, k in kept if horizon is not None and start + k * step <= horizon]
    segments: dict[int, int] = {}
    for _, k in closed:
        segments[k] = segments.get(k, 0) + 1
    return (
        len(closed),
        len(kept) - len(closed),
        [(start + k * step, c) for k, c in segments.items()],
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(-50, 400), max_size=60),
    st.integers(-20, 40),
    st.integers(1, 30),
    st.one_of(st.integers(-10, 500), st.just(NEVER)),
    st.one_of(st.none(), st.integers(-30, 600)),
    st.sampled_from([1, 1, 1000]),
)
def test_segments_match_the_definition(  # noqa: PLR0917 (hypothesis arguments)
    times: list[int], start: int, step: int, end: int, horizon: int | None, spread: int
) -> None:
    t = np.array(sorted(x * spread for x in times), dtype=np.int64)
    start, step = start * spread, step * spread
    if end != NEVER:
        end *= spread
    if horizon is not None:
        horizon *= spread
    first, closed, usable, starts, counts, ticks = _segments(np, t, start, step, end, horizon)
    n_closed, n_waiting, segments = reference(t.tolist(), start, step, end, horizon)
    assert closed - first == n_closed
    assert usable - closed == n_waiting
    assert list(zip(ticks, counts.tolist(), strict=True)) == segments
    assert starts.tolist() == np.concatenate(([0], np.cumsum(counts)[:-1])).tolist()[: len(starts)]


def test_sparse_rows_are_labelled_row_by_row() -> None:
    """Three rows thousands of intervals apart: no array of all the intervals."""
    t = np.array([10, 10, 50_000, 9_000_000], dtype=np.int64)
    first, closed, usable, starts, counts, ticks = _segments(np, t, 0, 7, NEVER, 9_000_000)
    assert (first, closed, usable) == (0, 3, 4)
    assert ticks == [14, 50_001] and counts.tolist() == [2, 1] and starts.tolist() == [0, 2]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 300), min_size=1, max_size=20),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["small ints", "huge ints", "floats"]),
)
def test_order_statistics_are_those_of_the_sorted_segments(
    lengths: list[int], seed: int, kind: str
) -> None:
    """Segments of many lengths: several buckets, rows padded."""
    from wsla.runtime.batch_kernels import order_statistics

    rng = np.random.default_rng(seed)
    total = sum(lengths)
    if kind == "floats":
        values = np.round(rng.normal(0, 100, total), 1)
    elif kind == "huge ints":
        values = rng.choice(np.array([2**62, -(2**62), 0, 5], dtype=np.int64), total)
    else:
        values = rng.integers(-5, 6, total, dtype=np.int64)
    counts = np.array(lengths, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    j = np.array([rng.integers(0, n) for n in lengths], dtype=np.int64)
    j1 = np.array([rng.integers(k, n) for k, n in zip(j, lengths, strict=True)], dtype=np.int64)
    a, b = order_statistics(np, values, starts, counts, j, j1)
    for i in range(len(lengths)):
        ordered = sorted(values[starts[i] : starts[i] + counts[i]].tolist())
        assert a[i] == ordered[j[i]] and b[i] == ordered[j1[i]]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.floats(1e-3, 1e5),
                st.floats(-1e6, 1e6),
                st.sampled_from([1e-300, 3e300, 0.1, 0.0, -0.0, 2.0**-1074]),
            ),
            min_size=1,
            max_size=50,
        ),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
)
def test_exact_sums_are_fsum(segments: list[list[float]], positive: bool) -> None:
    """Per segment the correctly rounded sum (``math.fsum``), or HARD: the positive-only
    shortcut, the sums as doubles (partial sums below 2**53) and the int64 limbs."""
    import math

    from wsla.runtime.batch_kernels import HARD, exact_sums

    if positive:
        segments = [[abs(x) or 1.5 for x in seg] for seg in segments]
    values = np.array([x for seg in segments for x in seg], dtype=np.float64)
    counts = np.array([len(seg) for seg in segments], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    got = exact_sums(np, values, starts, counts)
    for seg, total in zip(segments, got, strict=True):
        if total is not HARD:
            assert total == math.fsum(seg) and type(total) is float
    # limbs whose sums pass 2**53 (values near 2**17 beside 1e-4): int64 sums needed
    wide = [1e5 + k / 7 for k in range(500)] + [-1e5 - k / 9 for k in range(500)]
    wide.append(1e-4)  # cancellation: a small sum whose last bits show any rounding
    got = exact_sums(np, np.array(wide), np.array([0]), np.array([len(wide)]))
    assert got == [math.fsum(wide)]
    typical = np.array([12.5, 80.25, 7.0, 1033.125], dtype=np.float64)
    assert exact_sums(np, typical, np.array([0, 2]), np.array([2, 2])) == [92.75, 1040.125]
