"""Benchmark: the per-event engine against a hand-written Python loop, and peak memory
when evaluating from CSV files. Run on demand (not a test)::

    python benchmarks/evaluate.py                  # 10 M requests over 30 days
    python benchmarks/evaluate.py --quick          # 1 M requests over 3 days

The workload comes from ``shared/data/gen_workload.py`` (generated once into
``--workload DIR``). Both contenders compute the same quantities over the same
time-ordered rows in the same process (``--runs`` interleaved runs, medians of wall and
CPU time; a full collection before each timed region, outside it): per operation, every
5 minutes the mean and the 95th percentile response time and the error ratio of the
calls of the interval just closed, and every day the share of probes that found the
operation up (``specs/workload-shop.xml``). The engine is fed the records the workload binding
makes (per call: one ``<op>#invocation`` record and one success flag; per probe: one
status), the loop the rows themselves; both are timed over in-memory chunks, so reading
files is left out. Peak RSS is measured in a child process evaluating the CSV files
through ``wsla.evaluate`` (files streamed in chunks; parameter values not kept, as the
CLI does without ``--all-outcomes``): the child's own peak (``VmHWM``).
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
START_MS = 1_735_689_600_000
FIVE_MIN_MS = 300_000
DAY_MS = 86_400_000
CHUNK = 1_000_000


def generate(out: Path, requests: int, days: int) -> None:
    if (out / "requests.csv").exists() and (out / "probes.csv").exists():
        return
    print(f"generating {requests:,} requests over {days} days into {out} …", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "data" / "gen_workload.py"),
            "--out",
            str(out),
            "--requests",
            str(requests),
            "--days",
            str(days),
        ],
        check=True,
    )


def merged_chunks(workload: Path):  # type: ignore[no-untyped-def]
    """Time-ordered rows of both logs as column lists, CHUNK rows at a time:
    (ts_ms, kind (0 call, 1 probe), op, rt_ms or None, ok/up)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    req = pq.read_table(workload / "requests.parquet")
    prb = pq.read_table(workload / "probes.parquet")
    both = pa.concat_tables(
        [
            pa.table(
                {
                    "ts": req["ts"],
                    "kind": pa.array([0] * req.num_rows, pa.int8()),
                    "op": req["op"],
                    "rt": req["rt_ms"],
                    "ok": req["ok"],
                }
            ),
            pa.table(
                {
                    "ts": prb["ts"],
                    "kind": pa.array([1] * prb.num_rows, pa.int8()),
                    "op": prb["probe"],
                    "rt": pa.nulls(prb.num_rows, pa.float64()),
                    "ok": prb["up"],
                }
            ),
        ]
    )
    order = pc.sort_indices(both, sort_keys=[("ts", "ascending"), ("kind", "ascending")])
    both = both.take(order)
    for start in range(0, both.num_rows, CHUNK):
        part = both.slice(start, CHUNK)
        yield (
            part["ts"].to_pylist(),
            part["kind"].to_pylist(),
            part["op"].to_pylist(),
            part["rt"].to_pylist(),
            part["ok"].to_pylist(),
        )


# ---------------------------------------------------------------- the hand-written loop


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * 0.95
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class HandLoop:
    """The same quantities, written directly."""

    def __init__(self) -> None:
        self.next_five = START_MS + FIVE_MIN_MS
        self.next_day = START_MS + DAY_MS
        self.rts: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.up: dict[str, int] = {}
        self.probes: dict[str, int] = {}
        self.results: list[tuple[int, str, float, float, float]] = []
        self.daily: list[tuple[int, str, float]] = []

    def _close_five(self, tick: int) -> None:
        for op, rts in self.rts.items():
            if rts:
                n = len(rts)
                self.results.append((tick, op, math.fsum(rts) / n, _p95(rts), self.errors[op] / n))
        self.rts = {op: [] for op in self.rts}
        self.errors = dict.fromkeys(self.errors, 0)

    def _close_day(self, tick: int) -> None:
        for op, n in self.probes.items():
            if n:
                self.daily.append((tick, op, self.up[op] / n))
        self.probes = dict.fromkeys(self.probes, 0)
        self.up = dict.fromkeys(self.up, 0)

    def run(
        self, ts: list[int], kind: list[int], op: list[str], rt: list[float | None], ok: list[bool]
    ) -> None:
        rts, errors, up, probes = self.rts, self.errors, self.up, self.probes
        for i in range(len(ts)):
            t = ts[i]
            if t >= self.next_five:
                while t >= self.next_five:
                    self._close_five(self.next_five)
                    self.next_five += FIVE_MIN_MS
                rts, errors = self.rts, self.errors
            if t >= self.next_day:
                while t >= self.next_day:
                    self._close_day(self.next_day)
                    self.next_day += DAY_MS
                up, probes = self.up, self.probes
            name = op[i]
            if kind[i] == 0:
                bucket = rts.get(name)
                if bucket is None:
                    bucket = rts[name] = []
                    errors[name] = 0
                bucket.append(rt[i])  # type: ignore[arg-type]
                if not ok[i]:
                    errors[name] += 1
            else:
                probes[name] = probes.get(name, 0) + 1
                if ok[i]:
                    up[name] = up.get(name, 0) + 1


# ----------------------------------------------------------------------------- engine


class Stopwatch:
    """Wall and CPU time (this thread's) summed over the timed regions. Each region starts
    after a full collection, outside the timing: the inputs built just before it are young,
    and collections triggered inside would otherwise walk them again and again — a cost
    that belongs to the benchmark's set-up, not to the contender (applied to all alike)."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0
        self._wall = self._cpu = 0.0

    def start(self) -> None:
        gc.collect()
        self._wall, self._cpu = time.perf_counter(), time.thread_time()

    def stop(self) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.thread_time() - self._cpu


def engine_run(workload: Path, *, rows_api: bool = False) -> tuple[Stopwatch, int, int, object]:
    """Feed the engine record by record (``feed``), or chunk by chunk (``feed_rows``)."""
    from wsla.evaluation import load_spec
    from wsla.runtime.engine import Evaluator

    spec = load_spec(REPO / "specs" / "workload-shop.xml")
    ev = Evaluator(spec)
    feed = ev.feed
    invocation: dict[str, str] = {}
    succeeded: dict[str, str] = {}
    probe: dict[str, str] = {}
    watch = Stopwatch()
    rows = records = 0
    for ts, kind, op, rt, ok in merged_chunks(workload):
        # the records the binding makes, built outside the timed part
        targets: list[str] = []
        times: list[int] = []
        values: list[object] = []
        for i in range(len(ts)):
            name = op[i]
            t = ts[i] * 1_000_000
            if kind[i] == 0:
                if name not in invocation:
                    invocation[name] = f"{name}#invocation"
                    succeeded[name] = f"urn:shop:{name}:succeeded"
                targets += (invocation[name], succeeded[name])
                times += (t, t)
                values += (rt[i], ok[i])
            else:
                if name not in probe:
                    probe[name] = f"urn:shop:{name}:probe"
                targets.append(probe[name])
                times.append(t)
                values.append(ok[i])
        if rows_api:
            chunk = [(t, g, v, None) for g, t, v in zip(targets, times, values, strict=True)]
            watch.start()
            ev.feed_rows(chunk)
            watch.stop()
        else:
            watch.start()
            for target, t, value in zip(targets, times, values, strict=True):
                feed(target, t, value)
            watch.stop()
        rows += len(ts)
        records += len(targets)
    watch.start()
    result = ev.finish()
    watch.stop()
    return watch, rows, records, result


def hand_run(workload: Path) -> tuple[Stopwatch, int, HandLoop]:
    loop = HandLoop()
    watch = Stopwatch()
    rows = 0
    for chunk in merged_chunks(workload):
        watch.start()
        loop.run(*chunk)
        watch.stop()
        rows += len(chunk[0])
    return watch, rows, loop


_CHILD = """
import resource, sys, time
from wsla.evaluation import evaluate
begin = time.perf_counter()
result = evaluate(sys.argv[1], sys.argv[2:4], binding=sys.argv[4], parameter_values=False)
seconds = time.perf_counter() - begin
# VmHWM is this program's own peak; ru_maxrss keeps the peak of the process that forked
# it across exec on Linux, so it would count the benchmark's in-memory tables too.
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(x.split()[1]) for x in status if x.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(result.records, seconds, peak_kb)
"""


def csv_rss(workload: Path) -> tuple[int, float, float]:
    """(records, seconds, peak RSS in MB) of a child evaluating the CSV files."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            str(REPO / "specs" / "workload-shop.xml"),
            str(workload / "requests.csv"),
            str(workload / "probes.csv"),
            str(REPO / "specs" / "workload.binding.toml"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    # The child's own peak: RUSAGE_CHILDREN would also count the workload generator.
    # Run before the parent loads the workload, so nothing of it can be inherited.
    records, seconds, peak_kb = out.stdout.split()
    return int(records), float(seconds), int(peak_kb) / 1024


# ------------------------------------------------------------- batch engine vs DuckDB

SQL_FIVE = """
SELECT op,
       (floor((ts - {start}) / {five}) + 1) * {five} + {start} AS tick,
       sum(rt_ms) / count(*) AS mean_rt,
       quantile_cont(rt_ms, 0.95) AS p95_rt,
       avg(CASE WHEN ok THEN 0.0 ELSE 1.0 END) AS error_ratio
FROM {requests} GROUP BY ALL
"""
SQL_DAY = """
SELECT probe,
       (floor((ts - {start}) / {day}) + 1) * {day} + {start} AS tick,
       avg(CASE WHEN up THEN 1.0 ELSE 0.0 END) AS availability
FROM {probes} GROUP BY ALL
"""


def duckdb_run(requests: str, probes: str, con: object) -> int:
    """The same quantities as the spec's parameters, in SQL; returns the result rows."""
    five = SQL_FIVE.format(start=START_MS, five=FIVE_MIN_MS, requests=requests)
    day = SQL_DAY.format(start=START_MS, day=DAY_MS, probes=probes)
    a = con.execute(five).fetchall()  # type: ignore[attr-defined]
    b = con.execute(day).fetchall()  # type: ignore[attr-defined]
    return len(a) + len(b)


def encode_keys(column: object, jobs: int) -> tuple[object, list[str]]:
    """A key column as (codes, names). A dictionary column (as the Parquet files store
    the keys, and as ``compare`` reads them) is taken as it comes: each chunk's indices
    re-coded to the union of the chunks' dictionaries, a few names per chunk. A string
    column is dictionary-encoded by pyarrow, chunk by chunk on ``jobs`` threads (it
    releases the GIL)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = column.chunks  # type: ignore[attr-defined]
    if pa.types.is_dictionary(column.type):  # type: ignore[attr-defined]
        encoded = chunks
    elif jobs <= 1 or len(chunks) < 2:
        encoded = [column.combine_chunks().dictionary_encode()]  # type: ignore[attr-defined]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(jobs) as pool:
            encoded = list(pool.map(pc.dictionary_encode, chunks))
    where: dict[str, int] = {}
    parts = []
    for part in encoded:
        indices = part.indices.to_numpy()
        remap = np.array(
            [where.setdefault(n, len(where)) for n in part.dictionary.to_pylist()], dtype=np.int32
        )
        identity = bool((remap == np.arange(len(remap))).all())  # True when empty
        parts.append(indices if identity else remap[indices])
    codes = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return codes, list(where)


def batch_memory(
    plan: object, req: object, prb: object, chunk: int = 1 << 20, jobs: int = 1
) -> object:
    """The batch engine over the Arrow tables' columns (the workload binding's records:
    per call an invocation and a success flag, per probe a status), fed in time-aligned
    chunks of about ``chunk`` requests; ``jobs`` threads for the key encoding and the
    engine's per-metric kernels."""
    import numpy as np

    from wsla.runtime.batch import BatchEvaluator

    def columns(table: object, key: str) -> tuple[object, object, list[str]]:
        codes, names = encode_keys(table[key], jobs)  # type: ignore[index]
        times = np.multiply(table["ts"].to_numpy(), 1_000_000, dtype=np.int64)  # type: ignore[index]
        return times, codes, names

    ev = BatchEvaluator(plan, parameter_values=False, jobs=jobs)  # type: ignore[arg-type]
    r_t, r_c, r_n = columns(req, "op")
    p_t, p_c, p_n = columns(prb, "probe")
    rt = req["rt_ms"].combine_chunks().to_numpy()  # type: ignore[index]
    ok = req["ok"].combine_chunks().to_numpy(zero_copy_only=False)  # type: ignore[index]
    up = prb["up"].combine_chunks().to_numpy(zero_copy_only=False)  # type: ignore[index]
    inv = [n + "#invocation" for n in r_n]
    suc = [n + "/Succeeded" for n in r_n]
    sta = [n + "/ProbeStatus" for n in p_n]
    r_lo = p_lo = 0
    while r_lo < len(r_t) or p_lo < len(p_t):  # type: ignore[arg-type]
        r_hi = min(r_lo + chunk, len(r_t))  # type: ignore[arg-type]
        cut = int(r_t[r_hi - 1]) + 1 if r_hi < len(r_t) else None  # type: ignore[index, arg-type]
        p_hi = len(p_t) if cut is None else int(np.searchsorted(p_t, cut))  # type: ignore[arg-type]
        if cut is not None:  # equal times stay together
            r_hi = int(np.searchsorted(r_t, cut))  # type: ignore[arg-type]
        ev.feed_streams(
            [
                (r_t[r_lo:r_hi], (r_c[r_lo:r_hi], inv), rt[r_lo:r_hi]),  # type: ignore[index]
                (r_t[r_lo:r_hi], (r_c[r_lo:r_hi], suc), ok[r_lo:r_hi]),  # type: ignore[index]
                (p_t[p_lo:p_hi], (p_c[p_lo:p_hi], sta), up[p_lo:p_hi]),  # type: ignore[index]
            ]
        )
        r_lo, p_lo = r_hi, p_hi
    return ev.finish()


def median_time(fn: object, runs: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time (this process, all threads) of ``runs``."""
    times, cpu, out = [], [], None
    for _ in range(runs):
        out = None  # the previous run's result is not kept alive during this one
        begin, begin_cpu = time.perf_counter(), time.process_time()
        out = fn()  # type: ignore[operator]
        times.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    times.sort()
    cpu.sort()
    return times[len(times) // 2], cpu[len(cpu) // 2], out


def compare(workload: Path, runs: int, *, baselines: bool = True, csv: bool = True) -> None:
    """Batch engine (in memory, Parquet, CSV), per-event engine, DuckDB over Arrow and
    over Parquet, the hand loop and a numpy sum: median of ``runs`` runs each (without
    the hand loop and the per-event engine if not ``baselines``, without CSV if not
    ``csv``)."""
    import os

    import duckdb
    import numpy as np
    import pyarrow.parquet as pq

    from wsla.evaluation import evaluate, load_spec
    from wsla.runtime.plan import compile_plan

    load = os.getloadavg()
    spec_path = REPO / "specs" / "workload-shop.xml"
    binding = REPO / "specs" / "workload.binding.toml"
    plan = compile_plan(load_spec(spec_path))
    # the keys as dictionaries, as the files store them (and as wsla's Parquet path
    # reads them): both contenders get this same table; DuckDB is a little faster with
    # it too, and no one pays for re-encoding strings the file had encoded
    req = pq.read_table(workload / "requests.parquet", read_dictionary=["op"])
    prb = pq.read_table(workload / "probes.parquet", read_dictionary=["probe"])
    rows = req.num_rows + prb.num_rows
    con = duckdb.connect()
    con.register("req_arrow", req)
    con.register("prb_arrow", prb)
    rp, pp = str(workload / "requests.parquet"), str(workload / "probes.parquet")
    rc, pc_ = str(workload / "requests.csv"), str(workload / "probes.csv")

    figures: dict[str, float] = {}
    cpu: dict[str, float] = {}
    results: dict[str, object] = {}

    def run(label: str, fn: object, n: int = runs) -> None:
        seconds, cpu_seconds, out = median_time(fn, n)
        figures[label] = seconds
        cpu[label] = cpu_seconds
        results[label] = out
        print(
            f"{label:42s} {seconds:8.3f} s  {rows / seconds / 1e6:8.2f} M events/s"
            f"  CPU {cpu_seconds:7.3f} s",
            flush=True,
        )

    print(
        f"\n{rows:,} events ({req.num_rows:,} requests, {prb.num_rows:,} probes); "
        f"median of {runs} runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    run(
        "numpy sum over the columns",
        lambda: (
            float(np.sum(req["rt_ms"].to_numpy()))
            + int(np.sum(req["ts"].to_numpy()))
            + int(np.sum(req["ok"].to_numpy(zero_copy_only=False)))
            + int(np.sum(prb["ts"].to_numpy()))
            + int(np.sum(prb["up"].to_numpy(zero_copy_only=False)))
        ),
    )
    run("DuckDB SQL over Arrow", lambda: duckdb_run("req_arrow", "prb_arrow", con))
    run(
        "DuckDB SQL over Parquet",
        lambda: duckdb_run(f"read_parquet('{rp}')", f"read_parquet('{pp}')", con),
    )
    run("wsla batch engine (in memory)", lambda: batch_memory(plan, req, prb))
    run("wsla batch engine (in memory, 2 threads)", lambda: batch_memory(plan, req, prb, jobs=2))
    run(
        "wsla batch from Parquet",
        lambda: evaluate(plan, [rp, pp], binding=binding, engine="batch", parameter_values=False),
    )
    run(
        "wsla batch from Parquet, 2 threads",
        lambda: evaluate(
            plan, [rp, pp], binding=binding, engine="batch", parameter_values=False, jobs=2
        ),
    )
    if csv and (workload / "requests.csv").exists():
        run(
            "wsla batch from CSV",
            lambda: evaluate(
                plan, [rc, pc_], binding=binding, engine="batch", parameter_values=False
            ),
        )
    same = results["wsla batch engine (in memory)"]
    assert same.summaries == results["wsla batch from Parquet"].summaries  # type: ignore[attr-defined]
    if baselines:
        chunks = list(merged_chunks(workload))
        run("hand-written Python loop", lambda: _hand(chunks), max(1, runs))
        event_rows = _event_rows(chunks)
        chunks.clear()  # the rows are in event_rows now
        run("wsla per-event engine (feed_rows)", lambda: _event(plan, event_rows), max(1, runs))
        assert results["wsla per-event engine (feed_rows)"].to_json() == (  # type: ignore[attr-defined]
            same.to_json()  # type: ignore[attr-defined]
        ), "the engines disagree"
    assert results["wsla batch engine (in memory, 2 threads)"].to_json() == (  # type: ignore[attr-defined]
        same.to_json()  # type: ignore[attr-defined]
    ), "threads changed the result"
    duck, duck_pq = figures["DuckDB SQL over Arrow"], figures["DuckDB SQL over Parquet"]
    batch = figures["wsla batch engine (in memory)"]
    batch2 = figures["wsla batch engine (in memory, 2 threads)"]
    pq1, pq2 = figures["wsla batch from Parquet"], figures["wsla batch from Parquet, 2 threads"]
    print()
    print(f"batch (in memory) vs DuckDB over Arrow : {duck / batch:5.2f}x speed (target >= 1.0)")
    print(f"  the same, 2 threads                  : {duck / batch2:5.2f}x speed")
    print(
        f"  CPU time, 1 thread                   : "
        f"{cpu['DuckDB SQL over Arrow'] / cpu['wsla batch engine (in memory)']:5.2f}x"
    )
    print(f"batch from Parquet vs DuckDB/Parquet   : {pq1 / duck_pq:5.2f}x time (target <= 1.5)")
    print(f"  the same, 2 threads                  : {pq2 / duck_pq:5.2f}x time")
    print(
        f"  CPU time, 1 thread                   : "
        f"{cpu['wsla batch from Parquet'] / cpu['DuckDB SQL over Parquet']:5.2f}x"
    )
    if "wsla batch from CSV" in figures:
        print(
            f"batch from CSV vs batch from Parquet   : "
            f"{figures['wsla batch from CSV'] / figures['wsla batch from Parquet']:5.2f}x time"
        )
    if baselines:
        print(
            f"batch vs per-event engine              : "
            f"{figures['wsla per-event engine (feed_rows)'] / batch:5.2f}x speed"
        )
        print(
            f"batch vs hand-written loop             : "
            f"{figures['hand-written Python loop'] / batch:5.2f}x speed"
        )
    print(
        f"numpy sum vs batch                     : "
        f"{batch / figures['numpy sum over the columns']:5.2f}x speed"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _hand(chunks: list[tuple[list, ...]]) -> HandLoop:
    loop = HandLoop()
    for chunk in chunks:
        loop.run(*chunk)
    return loop


def _event_rows(chunks: list[tuple[list, ...]]) -> list[tuple[int, str, object, None]]:
    out: list[tuple[int, str, object, None]] = []
    for ts, kind, op, rt, ok in chunks:
        for i in range(len(ts)):
            t = ts[i] * 1_000_000
            if kind[i] == 0:
                out.append((t, f"{op[i]}#invocation", rt[i], None))
                out.append((t, f"urn:shop:{op[i]}:succeeded", ok[i], None))
            else:
                out.append((t, f"urn:shop:{op[i]}:probe", ok[i], None))
    return out


def _event(plan: object, rows: list[tuple[int, str, object, None]]) -> object:
    from wsla.runtime.engine import Evaluator

    ev = Evaluator(plan, parameter_values=False)  # type: ignore[arg-type]
    ev.feed_rows(rows)
    return ev.finish()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=10_000_000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--quick", action="store_true", help="1 M requests over 3 days")
    ap.add_argument("--workload", type=Path, help="where the generated files go")
    ap.add_argument("--no-csv", action="store_true", help="skip the CSV / peak RSS run")
    ap.add_argument("--csv-only", action="store_true", help="only the CSV / peak RSS run")
    ap.add_argument(
        "--compare",
        action="store_true",
        help="batch engine against DuckDB, the per-event engine, the hand loop and numpy",
    )
    ap.add_argument("--runs", type=int, default=5, help="runs per contender (median)")
    ap.add_argument(
        "--no-baselines",
        action="store_true",
        help="--compare without the hand loop and the per-event engine",
    )
    a = ap.parse_args()
    if a.quick:
        a.requests, a.days = 1_000_000, 3
    workload = a.workload or Path(f"/tmp/wsla-bench-{a.requests}-{a.days}")
    generate(workload, a.requests, a.days)
    if a.compare:
        compare(workload, a.runs, baselines=not a.no_baselines, csv=not a.no_csv)
        return
    if a.csv_only:
        n, seconds, peak = csv_rss(workload)
        print(
            f"from CSV (wsla.evaluate, streamed): {n:,} records in {seconds:.1f} s "
            f"({n / seconds / 1e6:.2f} M records/s), peak RSS {peak:,.0f} MB"
        )
        return
    csv_figures = None if a.no_csv else csv_rss(workload)

    hands: list[Stopwatch] = []
    feeds: list[Stopwatch] = []
    rows_runs: list[Stopwatch] = []
    for _ in range(a.runs):  # interleaved, so a burst of load hits every contender alike
        hand, rows, loop = hand_run(workload)
        engine, rows_e, records, result = engine_run(workload)
        by_rows, _, _, rows_result = engine_run(workload, rows_api=True)
        assert rows == rows_e
        assert rows_result.summaries == result.summaries  # type: ignore[attr-defined]
        hands.append(hand)
        feeds.append(engine)
        rows_runs.append(by_rows)

    def med(watches: list[Stopwatch], cpu: bool) -> float:
        return statistics.median(w.cpu if cpu else w.wall for w in watches)

    print(f"\nworkload: {rows:,} rows ({records:,} engine records) over {a.days} days")
    print(f"median of {a.runs} interleaved runs; wall time, and CPU time of the timed thread")
    for label, watches, n, unit in (
        ("hand-written loop ", hands, rows, "rows"),
        ("per-event engine  ", feeds, records, "records"),
        ("engine, feed_rows ", rows_runs, records, "records"),
    ):
        wall, cpu = med(watches, False), med(watches, True)
        print(
            f"{label}: {wall:8.2f} s wall {cpu:8.2f} s cpu  "
            f"{rows / wall / 1e6:6.2f} M rows/s  {n / wall / 1e6:6.2f} M {unit}/s"
        )
    for label, watches in (("feed", feeds), ("feed_rows", rows_runs)):
        print(
            f"ratio engine ({label}) / hand loop: {med(watches, False) / med(hands, False):.2f}x "
            f"wall, {med(watches, True) / med(hands, True):.2f}x cpu  (target ≤ 3x)"
        )
    violations = sum(s.violations for s in result.summaries.values())  # type: ignore[attr-defined]
    print(f"(engine: {violations:,} violations; loop: {len(loop.results):,} 5-minute results)")
    if csv_figures is not None:
        n, seconds, peak = csv_figures
        print(
            f"from CSV (wsla.evaluate, streamed): {n:,} records in {seconds:.1f} s "
            f"({n / seconds / 1e6:.2f} M records/s), peak RSS {peak:,.0f} MB"
        )


if __name__ == "__main__":
    main()
