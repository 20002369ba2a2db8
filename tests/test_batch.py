"""The batch engine gives exactly the per-event engine's result (same outcomes, same
order, same JSON), whatever the chunking, on random streams and on the shop workload."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.runtime_builders import (
    at,
    chunks,
    gauge,
    make_spec,
    metric,
    param,
    ref,
    schedule,
    slo,
)
from wsla.model import LongScalar, Mean, Size, Sum
from wsla.model.extensions import Count, IntervalSeries, Percentile, Ratio
from wsla.model.obligations import Greater, Less
from wsla.runtime import Evaluator, compile_plan
from wsla.runtime.batch import BatchEvaluator

REPO = Path(__file__).parents[1]
SHARED = REPO.parent / "shared"


def dumps(result: Any) -> str:
    return json.dumps(result.to_json(), sort_keys=True, allow_nan=True)


def random_spec(percent: int, window: int, wanted: int) -> Any:
    """A vectorizable chain (G → IntervalSeries → aggregates) beside per-event parts: a
    plain gauge parameter H read by an SLO, and a mean of G's interval read together
    with H by another SLO."""
    return make_spec(
        [
            gauge("G"),
            gauge("H"),
            metric("W", IntervalSeries(schedule="win", input=ref("G"))),
            metric("M", Mean(input=ref("W"))),
            metric("P", Percentile(input=ref("W"), percent=LongScalar(value=percent))),
            metric("R", Ratio(input=ref("W"), value=LongScalar(value=wanted))),
            metric("N", Count(input=ref("W"))),
            metric("S", Sum(input=ref("W"))),
            metric("Z", Size(operand=ref("W"))),
        ],
        parameters=[
            param("PM", "M"),
            param("PP", "P"),
            param("PR", "R"),
            param("PN", "N"),
            param("PS", "S"),
            param("PZ", "Z"),
            param("PH", "H"),
        ],
        schedules=[schedule("win", window)],
        slos=[
            slo("Mean", Less(parameter="PM", value=5)),
            slo("P", Less(parameter="PP", value=8)),
            slo("Ratio", Less(parameter="PR", value=0.5)),
            slo("H", Greater(parameter="PH", value=0)),
            slo("OnTick", Less(parameter="PS", value=20), on="win"),
        ],
    )


numbers = st.one_of(
    st.integers(-10, 10),
    st.floats(-10, 10, allow_nan=False).map(lambda v: round(v, 3)),
)
special = st.sampled_from([None, math.nan, math.inf, -0.0, 0.0, 0.1, 2**60, True, False])


@st.composite
def streams(draw: Any) -> tuple[list[tuple[int, str, Any, Any]], list[int]]:
    kind = draw(st.sampled_from(["int", "float", "mixed"]))
    value = {
        "int": st.integers(-10, 10),
        "float": st.floats(-10, 10, allow_nan=False).map(lambda v: round(v, 2)),
        "mixed": st.one_of(numbers, special),
    }[kind]
    n = draw(st.integers(0, 120))
    rows = []
    t = at(0)
    for i in range(n):
        step = draw(st.sampled_from([0, 1, 7, 30, 61, 300]))
        if draw(st.integers(0, 19)) == 0:
            step = -draw(st.integers(1, 400))  # late, unless the window says otherwise
        t += step * 10**9
        target = draw(st.sampled_from(["Svc/G", "Svc/G", "Svc/G", "urn:G", "Svc/H", "nobody"]))
        rows.append((t, target, draw(value), f"r{i}"))
    cuts = sorted(draw(st.lists(st.integers(0, max(n, 1)), max_size=5)))
    return rows, cuts


def run_event(plan: Any, rows: list[Any], **options: Any) -> str:
    ev = Evaluator(plan, **options)
    ev.feed_rows(rows)
    return dumps(ev.finish())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    streams(),
    st.sampled_from([0, 50, 95, 100, 33]),
    st.sampled_from([1, 2, 5]),
    st.sampled_from([0, 1]),
    st.sampled_from([None, (2, 40)]),
    st.booleans(),
    st.booleans(),
)
def test_batch_equals_event_engine(  # noqa: PLR0917 (hypothesis arguments)
    data: Any, percent: int, window: int, wanted: int, span: Any, columns: bool, ticks: bool
) -> None:
    """``ticks``: tick steps column-wise, else by the engine's loop (the aggregates
    taking their precomputed values one tick at a time)."""
    rows, cuts = data
    plan = compile_plan(random_spec(percent, window, wanted))
    options: dict[str, Any] = {}
    if span is not None:
        options = {"start": at(span[0]), "end": at(span[1])}
    expected = run_event(plan, rows, **options)
    batch = BatchEvaluator(plan, obligations=ticks, **options)
    assert (batch._ticks is not None) == ticks
    assert "Svc/G" in batch.vectorized_targets
    assert "Svc/H" not in batch.vectorized_targets
    for part in chunks(rows, cuts):
        if columns and part:
            times, targets, values, origins = zip(*part, strict=True)
            batch.feed_columns(list(times), list(targets), list(values), list(origins))
        else:
            batch.feed_rows(part)
    assert dumps(batch.finish()) == expected


def test_lateness_and_trace_fall_back_to_the_event_engine() -> None:
    plan = compile_plan(random_spec(95, 5, 0))
    assert BatchEvaluator(plan, allowed_lateness_ns=10**9).vectorized_targets == ()
    assert BatchEvaluator(plan, trace=True).vectorized_targets == ()


def test_unsupported_aggregate_keeps_its_metric_per_event() -> None:
    from wsla.model import Median

    spec = make_spec(
        [
            gauge("G"),
            gauge("K"),
            metric("W", IntervalSeries(schedule="win", input=ref("G"))),
            metric("X", Median(input=ref("W"))),
            metric("V", IntervalSeries(schedule="win", input=ref("K"))),
            metric("Y", Mean(input=ref("V"))),
        ],
        parameters=[param("PX", "X"), param("PY", "Y")],
        schedules=[schedule("win", 1)],
    )
    plan = compile_plan(spec)
    batch = BatchEvaluator(plan)
    assert "Svc/K" in batch.vectorized_targets
    assert "Svc/G" not in batch.vectorized_targets
    rows = [(at(0, s), t, float(s % 7), None) for s in range(0, 300, 3) for t in ("Svc/G", "Svc/K")]
    batch.feed_rows(rows)
    assert dumps(batch.finish()) == run_event(plan, rows)


def test_exact_float_sums_where_numpy_would_round_differently() -> None:
    # 1e16 + 1 + 1 - 1e16: pairwise or left-to-right summing gives 0 or 2.0; fsum 2.0
    plan = compile_plan(random_spec(50, 5, 0))
    values = [1e16, 1.0, 1.0, -1e16, 0.1, 0.2, 0.3]
    rows = [(at(0, i), "Svc/G", v, None) for i, v in enumerate(values)]
    batch = BatchEvaluator(plan)
    batch.feed_columns(np.array([r[0] for r in rows]), "Svc/G", np.array(values), None)
    result = batch.finish(to=at(10))
    ev = Evaluator(plan)
    ev.feed_rows(rows)
    assert dumps(result) == dumps(ev.finish(to=at(10)))
    sums = [o.value for o in result.outcomes if getattr(o, "parameter", None) == "PS"]
    assert sums[0] == math.fsum(values)


@pytest.fixture(scope="session")
def workload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch-workload")
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "data" / "gen_workload.py"),
            "--out",
            str(out),
            "--requests",
            "40000",
            "--days",
            "1",
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_shop_workload_streams_and_rows_agree(workload: Path) -> None:
    import pyarrow.parquet as pq

    from wsla.evaluation import load_spec
    from wsla.sources.binding import load_binding
    from wsla.sources.problems import DataProblems
    from wsla.sources.reader import read_raw
    from wsla.sources.targets import TargetIndex

    plan = compile_plan(load_spec(REPO / "specs" / "workload-shop.xml"))
    binding = load_binding(REPO / "specs" / "workload.binding.toml")
    files = [str(workload / "requests.parquet"), str(workload / "probes.parquet")]
    rows = list(read_raw(files, binding, TargetIndex.of_plan(plan), DataProblems("report")))
    expected = run_event(plan, rows)
    assert '"violation"' in expected or '"Violation"' in expected or "slo_evaluation" in expected

    batch = BatchEvaluator(plan)
    batch.feed_rows(rows)
    assert dumps(batch.finish()) == expected

    req = pq.read_table(files[0])
    prb = pq.read_table(files[1])

    def stream(table: Any, key: str, column: str, suffix: str, lo: int, hi: int) -> Any:  # noqa: PLR0917
        part = table.slice(lo, hi - lo)
        keys = part[key].combine_chunks().dictionary_encode()
        names = [k + suffix for k in keys.dictionary.to_pylist()]
        times = part["ts"].to_numpy() * 1_000_000
        return times, (keys.indices.to_numpy(), names), part[column].combine_chunks()

    batch = BatchEvaluator(plan)
    # chunks cut at the same instants in both logs (as a block reader does)
    r_ts, p_ts = req["ts"].to_numpy(), prb["ts"].to_numpy()
    edges = np.linspace(min(r_ts[0], p_ts[0]), r_ts[-1] + 1, 7).astype(np.int64)
    for lo_t, hi_t in itertools.pairwise(edges):
        r = np.searchsorted(r_ts, [lo_t, hi_t])
        p = np.searchsorted(p_ts, [lo_t, hi_t])
        batch.feed_streams(
            [
                stream(req, "op", "rt_ms", "#invocation", *r),
                stream(req, "op", "ok", "/Succeeded", *r),
                stream(prb, "probe", "up", "/ProbeStatus", *p),
            ]
        )
    rest = np.searchsorted(p_ts, edges[-1])
    batch.feed_streams([stream(prb, "probe", "up", "/ProbeStatus", rest, len(p_ts))])
    assert dumps(batch.finish()) == expected


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_evaluate_from_files_engines_agree(workload: Path, suffix: str) -> None:
    from wsla.evaluation import evaluate
    from wsla.runtime.outcomes import ParameterValue, SLOEvaluation

    files = [workload / f"requests.{suffix}", workload / f"probes.{suffix}"]
    spec = REPO / "specs" / "workload-shop.xml"
    binding = REPO / "specs" / "workload.binding.toml"
    event = evaluate(spec, files, binding=binding, engine="event")
    batch = evaluate(spec, files, binding=binding, engine="batch")
    assert dumps(batch) == dumps(event)
    threads = evaluate(spec, files, binding=binding, engine="batch", jobs=3)
    assert dumps(threads) == dumps(event)

    def keep(o: object) -> bool:
        return not isinstance(o, ParameterValue | SLOEvaluation)

    kept = evaluate(spec, files, binding=binding, engine="batch", keep=keep)
    assert kept.outcomes == tuple(o for o in event.outcomes if keep(o))
    assert kept.summaries == event.summaries


def test_file_columns_need_a_simple_binding(tmp_path: Path) -> None:
    from wsla.runtime.batch_files import Unsupported, file_streams
    from wsla.sources.binding import parse_binding
    from wsla.sources.problems import DataProblems
    from wsla.sources.targets import TargetIndex

    plan = compile_plan(random_spec(50, 5, 0))
    iso = parse_binding(
        'version = 1\n[[table]]\nfiles = ["*"]\ntime = "t"\nkey = "k"\n'
        '[[table.feed]]\ncolumn = "v"\ndirective = "Gauge"\n'
    )
    (tmp_path / "a.csv").write_text("t,k,v\n2026-01-01T00:00:00Z,Svc,1\n", encoding="utf-8")
    with pytest.raises(Unsupported):
        next(
            file_streams(
                [str(tmp_path / "a.csv")],
                iso,
                TargetIndex.of_plan(plan),
                DataProblems(),
                frozenset(),
            )
        )


def test_files_with_problems_give_the_row_readers_answer(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from wsla.evaluation import evaluate

    start = 1_735_689_600_000
    ts = [start + i * 20_000 for i in range(60)]
    rt = [50.0 + i for i in range(60)]
    rt[7] = math.nan
    rt[9] = -3.0
    table = pa.table(
        {"ts": ts, "op": ["getQuote", "placeOrder"] * 30, "rt_ms": rt, "ok": [True] * 60}
    )
    pq.write_table(table, tmp_path / "requests.parquet")
    spec = REPO / "specs" / "workload-shop.xml"
    binding = REPO / "specs" / "workload.binding.toml"
    files = [tmp_path / "requests.parquet"]
    event = evaluate(spec, files, binding=binding, engine="event")
    batch = evaluate(spec, files, binding=binding, engine="batch")
    assert event.problem_counts  # the NaN at least is reported (M006)
    assert batch.problem_counts == event.problem_counts
    assert dumps(batch) == dumps(event)


def test_throughput_spec_nothing_vectorized_same_result(workload: Path) -> None:
    from wsla.evaluation import evaluate, load_spec

    spec = REPO / "specs" / "workload-throughput.xml"
    assert BatchEvaluator(compile_plan(load_spec(spec))).vectorized_targets == ()
    files = [workload / "requests.parquet", workload / "probes.parquet"]
    binding = REPO / "specs" / "workload.binding.toml"
    event = evaluate(spec, files, binding=binding, engine="event")
    batch = evaluate(spec, files, binding=binding, engine="batch")
    assert dumps(batch) == dumps(event)
