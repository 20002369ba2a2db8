"""Vectorized per-interval aggregates with exactly the per-event engine's results.

Each kernel takes one interval series' closed intervals as segments of a time-sorted
numeric array (``starts``/``counts``) and returns, per segment, the value the per-event
function gives (``wsla.runtime.functions``), or :data:`HARD` where the segment needs the
plain Python function (non-finite floats, sums of zero, possible int64 overflow, …).
Numbers are reproduced bit for bit: sums are exact (int64 limbs), interpolations repeat
the same IEEE operations in the same order.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

HARD: Any = object()
"""Marks a segment that the kernel leaves to the Python function."""

_LIMB = 32
_INT_SAFE = 1 << 62


def _peak(values: Any) -> int:
    """The largest magnitude of an int array, in Python ints (``np.abs`` of the smallest
    int64 is itself, negative)."""
    if not len(values):
        return 0
    return max(int(values.max()), -int(values.min()))


def exact_sums(np: Any, values: Any, starts: Any, counts: Any) -> list[Any]:
    """Per segment the sum the engine's ``exact_sum`` gives: an exact ``int`` for int64
    data, the correctly rounded float (as ``math.fsum``) for float64 data."""
    return _sums(np, values, starts, counts, mean=False)


def _sums(np: Any, values: Any, starts: Any, counts: Any, *, mean: bool) -> list[Any]:
    """:func:`exact_sums`, or with ``mean`` each sum divided by its count as the engine
    does (``sum / len``: one IEEE division of the rounded sum)."""
    if len(starts) == 0:
        return []
    if values.dtype.kind in "iu":
        peak = _peak(values)
        if peak * int(counts.max()) >= _INT_SAFE:
            return [HARD] * len(starts)
        sums = [int(s) for s in np.add.reduceat(values, starts).tolist()]
        if mean:  # int / int: correctly rounded in Python
            return [s / n for s, n in zip(sums, counts.tolist(), strict=True)]
        return sums
    bad = None
    v_min, v_max = float(values.min()), float(values.max())  # NaN propagates
    if not (math.isfinite(v_min) and math.isfinite(v_max)):
        finite = np.isfinite(values)
        bad = np.add.reduceat((~finite).astype(np.int64), starts) > 0
        values = np.where(finite, values, 0.0)
        v_min, v_max = float(values.min()), float(values.max())
    if v_min > 0:  # all positive (response times): the extremes are the magnitudes'
        high_value, low_value = v_max, v_min
    else:
        high_value = max(-v_min, v_max)
        if high_value == 0:
            return [HARD] * len(starts)
        magnitude = np.abs(values)
        low_value = float(np.min(magnitude, where=magnitude > 0, initial=high_value))
    # every value is an integer multiple of 2**low: its own ulp is at least the ulp of
    # the smallest magnitude (53-bit significands)
    low = math.frexp(low_value)[1] - 53
    high = math.frexp(high_value)[1]
    bits = int(counts.max()).bit_length()
    if high - low - _LIMB + bits >= 62:
        return [HARD] * len(starts)
    scaled = values * (2.0**-low) if low >= -1022 else np.ldexp(values, -low)
    hi = np.floor(scaled * (2.0**-_LIMB))
    lo = scaled
    lo -= hi * (2.0**_LIMB)  # exact: the difference is an integer in [0, 2**32)
    if high - low - _LIMB + bits <= 53 and _LIMB + bits <= 53:
        # every partial sum is an integer below 2**53: summed exactly as doubles
        sum_hi = np.add.reduceat(hi, starts).astype(np.int64)
        sum_lo = np.add.reduceat(lo, starts).astype(np.int64)
    else:
        sum_hi = np.add.reduceat(hi.astype(np.int64), starts)
        sum_lo = np.add.reduceat(lo.astype(np.int64), starts)
    # the exact sum is big·2**32 + rest with 0 ≤ rest < 2**32 (|big| < 2**62)
    big = sum_hi + (sum_lo >> _LIMB)
    rest = sum_lo & ((1 << _LIMB) - 1)
    out: list[Any]
    if low >= -1022 and high + bits < 1000:
        out = _rounded(np, big, rest, low, counts if mean else None).tolist()
        size = np.abs(big)
        done = (size < 1 << 53) | ((size >= 1 << 54) & (size < 1 << 61))
    else:  # subnormal or huge results: Python's rounding for all
        out = [None] * len(starts)
        done = np.zeros(len(starts), dtype=bool)
    hard = (big == 0) & (rest == 0)  # signed zeros: fsum's own rules
    if bad is not None:
        hard |= bad  # non-finite sums: fsum's own rules
    for i in np.flatnonzero(hard).tolist():
        out[i] = HARD
    scale = 1 << -low if low < 0 else 0
    for i in np.flatnonzero(~done & ~hard).tolist():
        exact = (int(big[i]) << _LIMB) + int(rest[i])
        try:
            # int / int is correctly rounded in Python
            total = exact / scale if low < 0 else float(exact << low)
        except OverflowError:
            out[i] = HARD  # beyond a double: the engine's own rule for overflow
            continue
        out[i] = total / int(counts[i]) if mean else total
    return out


def _rounded(np: Any, big: Any, rest: Any, low: int, divisor: Any) -> Any:
    """``(big·2**32 + rest)·2**low`` correctly rounded to doubles (each ``0 ≤ rest <
    2**32``), right where ``|big| < 2**53`` or ``2**54 ≤ |big| < 2**61`` (the others
    are left to Python ints); divided by ``divisor`` if given. Below 2**53,
    ``big·2**32`` and ``rest`` are exact doubles and their sum is one IEEE addition.
    From 2**54 on, the rounding step of ``2·big`` is at least 4 and its halfway points
    are even (also just below a power of two, for negative ``big``), so ``rest`` only
    counts as a sticky bit: ``2·big + (rest ≠ 0)`` rounds as the exact value does, in
    one int64 → double conversion. Scaling by a power of two is exact while the
    results stay normal (``low ≥ −1022``, every nonzero sum ≥ 2**low)."""
    small = np.abs(big) < 1 << 53
    direct = big.astype(np.float64) * float(1 << _LIMB) + rest.astype(np.float64)
    sticky = (2 * big + (rest != 0)).astype(np.float64) * float(1 << (_LIMB - 1))
    sums = np.where(small, direct, sticky) * (2.0**low)
    return sums / divisor if divisor is not None else sums


def k_mean(np: Any, values: Any, starts: Any, counts: Any, args: tuple[Any, ...]) -> list[Any]:
    return _sums(np, values, starts, counts, mean=True)


def k_sum(np: Any, values: Any, starts: Any, counts: Any, args: tuple[Any, ...]) -> list[Any]:
    return exact_sums(np, values, starts, counts)


def k_count(np: Any, values: Any, starts: Any, counts: Any, args: tuple[Any, ...]) -> list[Any]:
    return [int(c) for c in counts.tolist()]


def k_ratio(np: Any, values: Any, starts: Any, counts: Any, args: tuple[Any, ...]) -> list[Any]:
    wanted = args[0]
    if isinstance(wanted, bool) or not isinstance(wanted, int | float):
        return [HARD] * len(starts)
    if math.isnan(wanted) or (isinstance(wanted, int) and abs(wanted) > 1 << 53):
        return [HARD] * len(starts)
    if values.dtype.kind in "iu" and isinstance(wanted, float) and not wanted.is_integer():
        hits = np.zeros(len(starts), dtype=np.int64)
    else:
        hits = np.add.reduceat((values == wanted).astype(np.int64), starts)
    # count / len: both exact in a double, one correctly rounded division as in Python
    return [h / c for h, c in zip(hits.tolist(), counts.tolist(), strict=True)]


_BUCKET = math.log(2)
"""Segments are padded to the longest of a bucket whose lengths are within 2× (finer
buckets pad less but cost more calls; ``np.partition`` along rows measured slower than
sorting these short rows)."""


def order_statistics(  # noqa: PLR0917 (the segments and the two ranks)
    np: Any, values: Any, starts: Any, counts: Any, j: Any, j1: Any
) -> tuple[Any, Any]:
    """Per segment its ``j``-th and ``j1``-th smallest values (0-based, ``j ≤ j1 <
    count``): segments of similar length are padded into a matrix (``+inf`` / int64 max
    after the values, filled by one flat scatter) and sorted along rows in one C-level
    call per bucket, instead of one call per segment or a multi-key lexsort."""
    n = len(starts)
    pad: Any = np.iinfo(np.int64).max if values.dtype.kind in "iu" else np.inf
    bucket = np.floor(np.log(np.maximum(counts, 1)) / _BUCKET).astype(np.int64)
    order = np.argsort(bucket, kind="stable")
    a = np.empty(n, dtype=values.dtype)
    b = np.empty(n, dtype=values.dtype)
    for members in np.split(order, np.flatnonzero(np.diff(bucket[order])) + 1):
        c = counts[members]
        rows, width, total = len(members), int(c.max()), int(c.sum())
        inside = np.arange(total) - np.repeat(np.cumsum(c) - c, c)  # position in segment
        mat = np.full(rows * width, pad, dtype=values.dtype)
        mat[np.repeat(np.arange(rows) * width, c) + inside] = values[
            np.repeat(starts[members], c) + inside
        ]
        mat = mat.reshape(rows, width)
        mat.sort(axis=1)
        r = np.arange(rows)
        a[members] = mat[r, j[members]]
        b[members] = mat[r, j1[members]]
    return a, b


def k_percentile(
    np: Any, values: Any, starts: Any, counts: Any, args: tuple[Any, ...]
) -> list[Any]:
    percent = args[0]
    n_seg = len(starts)
    if isinstance(percent, bool) or not isinstance(percent, int | float):
        return [HARD] * n_seg
    if not 0 <= percent <= 100 or (values.dtype.kind == "f" and not np.isfinite(values).all()):
        return [HARD] * n_seg
    if percent in (0, 100):
        ufunc = np.minimum if percent == 0 else np.maximum
        if values.dtype.kind == "f" and (values == 0).any():
            return [HARD] * n_seg  # which signed zero min/max keeps: Python's rule
        return [float(v) for v in ufunc.reduceat(values, starts).tolist()]
    share = Fraction(repr(percent)) / 100
    cut, n = share.numerator, share.denominator
    if n > 1_000_000:
        return [HARD] * n_seg
    m = counts - 1
    j, delta = np.divmod(cut * m, n)
    j1 = np.minimum(j + 1, m)
    a, b = order_statistics(np, values, starts, counts, j, j1)
    single = counts == 1
    if values.dtype.kind == "f":
        # statistics.quantiles(method="inclusive"): (a·(n−δ) + b·δ) / n, same IEEE steps;
        # near the double's limit a product overflows to ±inf (or inf−inf gives nan)
        # exactly as Python's float arithmetic does, silently: no warning on stderr.
        with np.errstate(over="ignore", invalid="ignore"):
            res = (a * (n - delta).astype(np.float64) + b * delta.astype(np.float64)) / float(n)
        out_f: list[Any] = np.where(single, a, res).tolist()
        negative_zero = (values == 0) & np.signbit(values)
        if negative_zero.any():
            # -0.0 and 0.0 are equal: where a sort puts each is Python's (stable) rule
            mixed = np.add.reduceat(negative_zero.astype(np.int64), starts) > 0
            for i in np.flatnonzero(mixed).tolist():
                out_f[i] = HARD
        return out_f
    peak = _peak(values)
    if peak * n >= _INT_SAFE:
        return [HARD] * n_seg
    num = a * (n - delta) + b * delta
    out: list[Any] = []
    for s, v, ai in zip(single.tolist(), num.tolist(), a.tolist(), strict=True):
        out.append(float(ai) if s else v / n)  # int / int: correctly rounded
    return out
