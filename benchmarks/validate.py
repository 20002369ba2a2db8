"""Benchmark: `wsla validate` against `xmllint --noout --schema` on generated specs.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/validate.py [--runs 5] [--sizes 1,10]

Generates WSLA specs of about 1 MB and 10 MB (many operations, each with a realistic
metric chain, parameters and SLOs), then prints, for each size, the median wall time of
`wsla validate FILE` (a fresh process: XSD + semantic rules) and of
`xmllint --noout --schema xsd/wsla.xsd FILE`, and their ratio (targets: ≤ 2× at 10 MB,
≤ 3× at 1 MB). It also prints `wsla --version` process start against
`python -c "import lxml.etree"` (target ≤ 1.5×).

Then, per size, where the time goes: the medians of each stage run in this process
(parse with the element limit, XSD, 2002-dialect normalisation when the document is not
valid as written, model build, rule context, semantic rules), with
the cyclic garbage collector set as `wsla validate` sets it (`--gc default` measures with
Python's default collector instead), and the import time of what `wsla validate` loads,
measured in fresh processes. Stage and import figures are CPU time, and each process
figure is printed as CPU time (user + system) too: on a shared machine, wall time also
counts the waits for a core. ``--rules`` adds the CPU time of the rule context and of
each semantic rule at the largest size.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wsla import model as m  # noqa: E402


def _operation(i: int) -> m.Operation:
    sched = f"five{i}"
    metrics = (
        m.Metric(
            name="RT",
            type=m.MetricType.LONG,
            unit="milliseconds",
            source="Meter",
            definition=m.ResponseTime(measurement_uri=f"urn:op{i}:rt"),
        ),
        m.Metric(
            name="RTs",
            type=m.MetricType.TS,
            source="Meter",
            definition=m.TSConstructor(schedule=sched, input=m.MetricRef(name="RT"), window=12),
        ),
        m.Metric(
            name="AvgRT",
            type=m.MetricType.DOUBLE,
            unit="milliseconds",
            source="Meter",
            definition=m.Mean(input=m.MetricRef(name="RTs"), result_type=m.MetricType.DOUBLE),
        ),
        m.Metric(
            name="Slow",
            type=m.MetricType.DOUBLE,
            source="Meter",
            definition=m.PercentageGreaterThanThreshold(
                input=m.MetricRef(name="RTs"), value=m.LongScalar(value=500)
            ),
        ),
    )
    return m.Operation(
        name=f"op{i}",
        schedules=(
            m.Schedule(
                name=sched,
                period=m.TimePeriod(
                    start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2026, 1, 1, tzinfo=UTC)
                ),
                interval=m.Interval(minutes=5),
            ),
        ),
        parameters=(
            m.SLAParameter(
                name=f"AvgRT{i}",
                type=m.MetricType.DOUBLE,
                unit="milliseconds",
                metric="AvgRT",
                communication=m.Communication(source="Meter", push=("Auditor",)),
            ),
            m.SLAParameter(name=f"Slow{i}", type=m.MetricType.DOUBLE, metric="Slow"),
        ),
        metrics=metrics,
    )


def generate(target_bytes: int) -> bytes:
    from wsla.xml.writer import dumps_xml

    def build(n: int) -> m.Spec:
        ops = tuple(_operation(i) for i in range(n))
        slos = tuple(
            m.ServiceLevelObjective(
                name=f"RT{i}",
                obliged="Provider",
                validity=(
                    m.TimePeriod(
                        start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2026, 1, 1, tzinfo=UTC)
                    ),
                ),
                expression=m.And(
                    left=m.Less(parameter=f"AvgRT{i}", value=250.0),
                    right=m.Less(parameter=f"Slow{i}", value=0.05),
                ),
                evaluation=m.OnNewValue(),
            )
            for i in range(n)
        )
        return m.Spec(
            name="Generated",
            parties=m.Parties(
                provider=m.ServiceProvider(name="Provider"),
                consumer=m.ServiceConsumer(name="Consumer"),
                supporting=(
                    m.SupportingParty(
                        name="Meter", sponsors=("Provider",), roles=(m.Role.MEASUREMENT_SERVICE,)
                    ),
                    m.SupportingParty(
                        name="Auditor",
                        sponsors=("Provider", "Consumer"),
                        roles=(m.Role.CONDITION_EVALUATION_SERVICE,),
                    ),
                ),
            ),
            service_definitions=(m.ServiceDefinition(name="Service", operations=ops),),
            obligations=m.Obligations(name="Obligations", slos=slos),
        )

    per_op = len(dumps_xml(build(10))) / 10
    return dumps_xml(build(max(1, int(target_bytes / per_op))))


def median_time(cmd: list[str], runs: int) -> float:
    return median_times(cmd, runs)[0]


def median_times(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of running ``cmd``.

    CPU time is the steadier figure on a shared machine: it does not count waiting for
    a core that another process holds.
    """
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


_IMPORTS = """
import time
t0 = time.process_time()
import wsla.cli, wsla.cli.validate, wsla.validation, wsla.api, wsla.report, wsla.report.text
import wsla.xml.reader, wsla.xml.schema, wsla.check
wsla.check.rules()
print(time.process_time() - t0)
"""


def import_time(runs: int) -> float:
    """Median CPU seconds to import what `wsla validate` loads (fresh processes)."""
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORTS], check=True, capture_output=True, text=True
        )
        times.append(float(out.stdout))
    return statistics.median(times)


def stages(data: bytes, runs: int, collector: str) -> dict[str, float]:
    """Median seconds of each in-process stage of validating ``data``."""
    import gc

    from wsla.check import build_context, check, rules
    from wsla.cli.validate import quiet_collector
    from wsla.xml import legacy, schema
    from wsla.xml.reader import parse_xml, read_tree

    rules()  # rule modules import once, as in the CLI; not a per-file cost
    found: dict[str, list[float]] = {}

    # CPU time of this process: on a shared machine, wall time also counts waiting.
    def timed(name: str, t0: float) -> float:
        now = time.process_time()
        found.setdefault(name, []).append(now - t0)
        return now

    for _ in range(runs):
        gc.collect()
        with quiet_collector() if collector == "cli" else _nothing():
            t = time.process_time()
            tree, _ = parse_xml(data, "bench.xml")
            assert tree is not None
            t = timed("parse_xml", t)
            # As load_xml: the 2002-dialect walk and the located XSD errors only for a
            # document that is not valid as written (never for the generated specs).
            valid = schema.is_valid(tree)
            t = timed("schema.is_valid", t)
            if not valid:
                legacy.normalize(tree, "bench.xml", source=data)
                schema.validate_tree(tree, "bench.xml", source=data)
            t = timed("legacy.normalize (if invalid)", t)
            spec, _ = read_tree(tree, "bench.xml", source=data)
            assert spec is not None
            t = timed("read_tree (model)", t)
            build_context(spec)
            t = timed("check: build_context", t)
            assert check(spec) == []
            t = timed("check (context + rules)", t)
            del tree, spec
    return {name: statistics.median(ts) for name, ts in found.items()}


def rule_times(data: bytes, runs: int) -> dict[str, float]:
    """Median CPU seconds of building the rule context and of each rule, on one model.

    Each run builds a fresh context, so a rule pays for the shared memos it fills first
    (as in `wsla validate`, where rules run in registry order)."""
    import gc

    from wsla.check import build_context, rules
    from wsla.xml.reader import parse_xml, read_tree

    tree, _ = parse_xml(data, "bench.xml")
    assert tree is not None
    spec, _ = read_tree(tree, "bench.xml", source=data)
    assert spec is not None
    found: dict[str, list[float]] = {}
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(runs):
            t = time.process_time()
            context = build_context(spec)
            found.setdefault("build_context", []).append(time.process_time() - t)
            for r in rules():
                t = time.process_time()
                for _finding in r(spec, context):
                    pass
                found.setdefault(r.name, []).append(time.process_time() - t)
    finally:
        if enabled:
            gc.enable()
    return {name: statistics.median(ts) for name, ts in found.items()}


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="1,10", help="spec sizes in MB, comma-separated")
    ap.add_argument(
        "--rules",
        action="store_true",
        help="also print the CPU time of the rule context and of each rule (largest size)",
    )
    ap.add_argument(
        "--gc",
        choices=("cli", "default"),
        default="cli",
        help="collector setting for the in-process stages (cli: as `wsla validate` sets it)",
    )
    args = ap.parse_args()
    runs = max(args.runs, 1)
    wsla_exe = str(Path(sys.executable).with_name("wsla"))
    xmllint = shutil.which("xmllint")
    xsd = ROOT / "xsd" / "wsla.xsd"
    print(f"{'size':>8} {'wsla validate':>14} {'xmllint':>10} {'ratio':>7}  target")
    breakdown: list[tuple[float, dict[str, float], float, float]] = []
    largest = b""
    with tempfile.TemporaryDirectory() as tmp:
        for size in (float(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"spec-{size:g}MB.xml"
            path.write_bytes(generate(int(size * 1_000_000)))
            check = subprocess.run(
                [wsla_exe, "validate", str(path)], check=False, capture_output=True, text=True
            )
            if check.returncode != 0:
                print(f"generated spec does not validate:\n{check.stdout[:2000]}", file=sys.stderr)
                sys.exit(1)
            t_wsla, c_wsla = median_times([wsla_exe, "validate", str(path)], args.runs)
            cpu_line = ""
            if xmllint:
                t_lint, c_lint = median_times(
                    [xmllint, "--noout", "--schema", str(xsd), str(path)], args.runs
                )
                ratio = f"{t_wsla / t_lint:6.2f}x"
                lint = f"{t_lint:9.3f}s"
                cpu_line = (
                    f"{'  cpu':>8} {c_wsla:13.3f}s {c_lint:9.3f}s {c_wsla / c_lint:6.2f}x"
                    "  (user+sys)"
                )
            else:
                ratio, lint = "   n/a", "  (none)"
            target = "<= 2x" if size >= 10 else "<= 3x"
            mb = path.stat().st_size / 1e6
            print(f"{mb:6.1f}MB {t_wsla:13.3f}s {lint:>10} {ratio:>7}  {target}")
            if cpu_line:
                print(cpu_line)
            breakdown.append((mb, stages(path.read_bytes(), runs, args.gc), t_wsla, c_wsla))
            largest = path.read_bytes()
    t_version = median_time([wsla_exe, "--version"], args.runs * 2)
    t_lxml = median_time([sys.executable, "-c", "import lxml.etree"], args.runs * 2)
    print(
        f"\nprocess start: wsla --version {t_version * 1000:.0f} ms, "
        f"python -c 'import lxml.etree' {t_lxml * 1000:.0f} ms, "
        f"ratio {t_version / t_lxml:.2f}x (target <= 1.5x)"
    )
    t_imports = import_time(runs)
    print(
        f"\nin-process stages, CPU seconds, median of {runs} (collector: {args.gc});"
        " imports: in fresh processes; start: wall"
    )
    print(f"{'stage':<26}" + "".join(f"{b[0]:>9.1f}MB" for b in breakdown))
    print(f"{'python+lxml start':<26}" + "".join(f"{t_lxml:>10.3f}s" for _ in breakdown))
    print(f"{'imports (validate path)':<26}" + "".join(f"{t_imports:>10.3f}s" for _ in breakdown))
    for name in breakdown[0][1] if breakdown else ():
        print(f"{name:<26}" + "".join(f"{b[1][name]:>10.3f}s" for b in breakdown))
    print(f"{'wsla validate (cpu)':<26}" + "".join(f"{b[3]:>10.3f}s" for b in breakdown))
    print(f"{'wsla validate (wall)':<26}" + "".join(f"{b[2]:>10.3f}s" for b in breakdown))
    print("(`check: build_context` is also inside `check (context + rules)`)")
    if args.rules and breakdown:
        times = rule_times(largest, runs)
        print(f"\nrules at {breakdown[-1][0]:.1f}MB, CPU ms, median of {runs} (heaviest first)")
        for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
            print(f"{name:<32}{seconds * 1000:>8.1f}")
        print(f"{'total':<32}{sum(times.values()) * 1000:>8.1f}")


if __name__ == "__main__":
    main()
