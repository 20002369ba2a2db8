"""Cross-check: wsla's per-operation 5-minute mean and p95 response time, error ratio and
daily availability on a generated workload equal the same quantities computed by DuckDB
SQL (an independent implementation, reading the Parquet twins of the CSV files wsla reads).

Interval semantics aligned in SQL: a tick at ``t`` closes ``[t - I, t)``, so a row at
``ts`` belongs to the tick ``START + (floor((ts - START) / I) + 1) · I``. An interval
without rows gives an undefined value in wsla and no SQL row.

Exactness: ratios (integer / integer, one rounding) and means are compared exactly; the
mean is ``fsum / n`` in wsla (reference §5) and ``fsum(x) / count(*)`` in SQL. The p95 is
the one justified tolerance. DuckDB's ``quantile_cont`` computes the rank
``(n - 1) · 0.95`` in binary floating point, where 0.95 is inexact; the error of the
interpolation weight, times the gap between the neighbouring order statistics, puts its
result up to a few tens of ulps from the exact value (31 ulps at most on this workload,
and only a third of the groups agree to the bit). So wsla's p95 is checked twice: within
2 ulps of the exact rational interpolation (``Fraction``, rounded once) computed from the
very rows DuckDB grouped, and within a relative 1e-12 of DuckDB's ``quantile_cont``.
"""

from __future__ import annotations

import math
import subprocess
import sys
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest

from wsla.evaluation import evaluate
from wsla.runtime.outcomes import ParameterValue

REPO = Path(__file__).parents[1]
SHARED = Path(__file__).parents[2] / "shared"
START_MS = 1_735_689_600_000
DAYS = 3
FIVE_MIN_MS = 300_000
DAY_MS = 86_400_000
OPS = ("getQuote", "placeOrder", "getStatus", "cancelOrder", "listItems")


@pytest.fixture(scope="session")
def workload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("workload")
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "data" / "gen_workload.py"),
            "--out",
            str(out),
            "--requests",
            "300000",
            "--days",
            str(DAYS),
        ],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="session", params=["batch", "event"])
def wsla_values(workload: Path, request: pytest.FixtureRequest) -> dict[str, dict[int, object]]:
    # both engines: the batch engine (columns from the CSV blocks) and the per-event one
    result = evaluate(
        REPO / "specs" / "workload-shop.xml",
        [workload / "requests.csv", workload / "probes.csv"],
        binding=REPO / "specs" / "workload.binding.toml",
        end=(START_MS + DAYS * DAY_MS) * 1_000_000,
        engine=request.param,
    )
    assert result.problem_counts == {}
    values: dict[str, dict[int, object]] = defaultdict(dict)
    for outcome in result.outcomes:
        if isinstance(outcome, ParameterValue):
            values[outcome.parameter][outcome.time // 1_000_000] = outcome.value
    return values


def _sql(workload: Path, query: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    try:
        return con.execute(query.format(dir=workload, start=START_MS)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def sql_requests(workload: Path) -> dict[tuple[str, int], tuple[float, float, float, float]]:
    rows = _sql(
        workload,
        f"""
        select op, {{start}} + ((ts - {{start}}) // {FIVE_MIN_MS} + 1) * {FIVE_MIN_MS} as tick,
               fsum(rt_ms) / count(*) as mean,
               quantile_cont(rt_ms, 0.95) as p95,
               list(rt_ms order by rt_ms) as ordered,
               count(*) filter (where not ok) / count(*) as error_ratio
        from read_parquet('{{dir}}/requests.parquet')
        group by all
        """,
    )
    return {
        (op, tick): (mean, p95, _exact_p95(ordered), ratio)  # type: ignore[arg-type]
        for op, tick, mean, p95, ordered, ratio in rows
    }


def _exact_p95(ordered: list[float]) -> float:
    """Linear interpolation at rank (n - 1) · 95/100, in exact rational arithmetic,
    rounded once."""
    rank = Fraction(len(ordered) - 1) * Fraction(95, 100)
    low = math.floor(rank)
    if low + 1 >= len(ordered):
        return ordered[-1]
    a, b = Fraction(ordered[low]), Fraction(ordered[low + 1])
    return float(a + (b - a) * (rank - low))


@pytest.fixture(scope="session")
def sql_availability(workload: Path) -> dict[tuple[str, int], float]:
    rows = _sql(
        workload,
        f"""
        select probe, {{start}} + ((ts - {{start}}) // {DAY_MS} + 1) * {DAY_MS} as tick,
               count(*) filter (where up) / count(*) as availability
        from read_parquet('{{dir}}/probes.parquet')
        group by all
        """,
    )
    return {(probe, tick): value for probe, tick, value in rows}  # type: ignore[misc]


def _ticks(step_ms: int) -> list[int]:
    return [START_MS + k * step_ms for k in range(1, DAYS * DAY_MS // step_ms + 1)]


@pytest.mark.parametrize("op", OPS)
def test_five_minute_mean_p95_and_error_ratio(
    op: str,
    wsla_values: dict[str, dict[int, object]],
    sql_requests: dict[tuple[str, int], tuple[float, float, float, float]],
) -> None:
    means = wsla_values[f"{op}MeanResponseTime"]
    p95s = wsla_values[f"{op}P95ResponseTime"]
    ratios = wsla_values[f"{op}ErrorRatio"]
    ticks = _ticks(FIVE_MIN_MS)
    # one new value per tick, and no other
    assert sorted(means) == sorted(p95s) == sorted(ratios) == ticks
    compared = 0
    for tick in ticks:
        expected = sql_requests.get((op, tick))
        if expected is None:
            assert (means[tick], p95s[tick], ratios[tick]) == (None, None, None), tick
            continue
        mean, p95, exact, ratio = expected
        assert means[tick] == mean, tick
        assert ratios[tick] == ratio, tick
        got = p95s[tick]
        assert isinstance(got, float)
        assert abs(got - exact) <= 2 * math.ulp(exact), (tick, got, exact)
        assert math.isclose(got, p95, rel_tol=1e-12, abs_tol=0.0), (tick, got, p95)
        compared += 1
    assert compared > 0.9 * len(ticks)


@pytest.mark.parametrize("op", OPS)
def test_daily_availability(
    op: str,
    wsla_values: dict[str, dict[int, object]],
    sql_availability: dict[tuple[str, int], float],
) -> None:
    got = wsla_values[f"{op}DailyAvailability"]
    assert got == {tick: sql_availability[(op, tick)] for tick in _ticks(DAY_MS)}


def test_the_workload_has_something_to_find(
    sql_requests: dict[tuple[str, int], tuple[float, float, float, float]],
    sql_availability: dict[tuple[str, int], float],
) -> None:
    # Guard against a vacuous pass: errors and outages do occur in the generated data.
    assert any(ratio > 0 for *_, ratio in sql_requests.values())
    assert min(sql_availability.values()) < 1.0
