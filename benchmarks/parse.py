"""Benchmark: the ``.wsla`` reader against the XML reader on the same generated spec.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/parse.py [--size-kb 1000] [--runs 3]

Builds one model of about the requested size (operations with a realistic metric chain,
SLA parameters, and SLOs with compound expressions), prints it as ``.wsla`` and as WSLA
XML (twins of one model), then times ``loads_dsl`` and ``load_xml`` (median of the runs,
same process, CPU time) and prints chars/s of both and their ratio. Targets: DSL ≥ 0.25 M chars/s,
and no more than 10× slower than the XML reader.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wsla import model as m  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2026, 12, 31, tzinfo=UTC)


def _operation(i: int) -> m.Operation:
    sched = f"Every5Min{i}"
    ref = m.MetricRef
    metrics = (
        m.Metric(
            name="ResponseTime",
            type=m.MetricType.LONG,
            unit="milliseconds",
            source="Meter",
            definition=m.ResponseTime(
                measurement_uri=f"https://probe.example.com/shop/op{i}/response-time"
            ),
        ),
        m.Metric(
            name="ResponseTimes",
            type=m.MetricType.TS,
            source="Meter",
            definition=m.TSConstructor(schedule=sched, input=ref(name="ResponseTime"), window=12),
        ),
        m.Metric(
            name="AverageResponseTime",
            type=m.MetricType.FLOAT,
            unit="seconds",
            source="Meter",
            definition=m.Divide(
                left=m.Mean(input=ref(name="ResponseTimes")), right=m.LongScalar(value=1000)
            ),
        ),
        m.Metric(
            name="Invocations",
            type=m.MetricType.LONG,
            source="Provider",
            counter=True,
            definition=m.InvocationCount(counter_uri=f"https://shop.example.com/op{i}/count"),
        ),
        m.Metric(
            name="InvocationSeries",
            type=m.MetricType.TS,
            source="Meter",
            definition=m.TSConstructor(schedule=sched, input=ref(name="Invocations"), window=2),
        ),
        m.Metric(
            name="Throughput",
            type=m.MetricType.FLOAT,
            unit="transactions / hour",
            source="Meter",
            definition=m.Times(
                left=m.Minus(
                    left=m.TSSelect(operand=ref(name="InvocationSeries"), element=0),
                    right=m.TSSelect(operand=ref(name="InvocationSeries"), element=-1),
                ),
                right=m.LongScalar(value=12),
            ),
        ),
        m.Metric(
            name="SlowShare",
            type=m.MetricType.FLOAT,
            unit="ratio",
            source="Meter",
            definition=m.PercentageGreaterThanThreshold(
                input=ref(name="ResponseTimes"), value=m.LongScalar(value=500)
            ),
        ),
    )
    parameters = tuple(
        m.SLAParameter(
            name=f"{metric}{i}",
            type=m.MetricType.FLOAT,
            unit=unit,
            metric=metric,
            communication=m.Communication(source="Meter", push=("Auditor",)),
        )
        for metric, unit in (
            ("AverageResponseTime", "seconds"),
            ("Throughput", "transactions / hour"),
            ("SlowShare", "ratio"),
        )
    )
    return m.Operation(
        name=f"Operation{i}",
        schedules=(
            m.Schedule(
                name=sched,
                period=m.TimePeriod(start=START, end=END),
                interval=m.Interval(minutes=5),
            ),
        ),
        parameters=parameters,
        metrics=metrics,
    )


def _slo(i: int) -> m.ServiceLevelObjective:
    return m.ServiceLevelObjective(
        name=f"Objective{i}",
        obliged="Provider",
        validity=(m.TimePeriod(start=START, end=END),),
        expression=m.Implies(
            left=m.Less(parameter=f"Throughput{i}", value=1000.0),
            right=m.And(
                left=m.Less(parameter=f"AverageResponseTime{i}", value=0.5),
                right=m.Not(operand=m.Greater(parameter=f"SlowShare{i}", value=0.05)),
            ),
        ),
        evaluation=m.OnNewValue(),
    )


def build(operations: int) -> m.Spec:
    return m.Spec(
        name="Benchmark",
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
        service_definitions=(
            m.ServiceDefinition(
                name="Shop", operations=tuple(_operation(i) for i in range(operations))
            ),
        ),
        obligations=m.Obligations(slos=tuple(_slo(i) for i in range(operations))),
    )


def generate(size_bytes: int) -> tuple[str, bytes]:
    """A ``.wsla`` text of about ``size_bytes`` and the XML of the same model."""
    from wsla.dsl import dumps_dsl
    from wsla.xml.writer import dumps_xml

    per_operation = len(dumps_dsl(build(2))) - len(dumps_dsl(build(1)))
    spec = build(max(1, size_bytes // per_operation))
    return dumps_dsl(spec), dumps_xml(spec)


def median_seconds(fn: object, runs: int) -> float:
    """Median CPU time of ``fn()`` in this process (CPU rather than wall time, so that
    other load on a shared machine distorts the figures less)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-kb", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from wsla.dsl.reader import loads_dsl
    from wsla.xml.reader import load_xml

    text, xml = generate(args.size_kb * 1000)
    spec_dsl, diagnostics = loads_dsl(text)
    assert spec_dsl is not None, diagnostics[:3]
    assert not diagnostics, diagnostics[:3]
    spec_xml, diagnostics = load_xml(xml, None)
    assert spec_xml == spec_dsl, "the twins must read to the same model"

    dsl_s = median_seconds(lambda: loads_dsl(text), args.runs)
    xml_s = median_seconds(lambda: load_xml(xml, None), args.runs)
    xml_chars = len(xml.decode("utf-8"))
    dsl_rate = len(text) / dsl_s
    xml_rate = xml_chars / xml_s
    print(f".wsla: {len(text):>10,} chars  {dsl_s:8.3f} s  {dsl_rate / 1e6:6.3f} M chars/s")
    print(f"XML:   {xml_chars:>10,} chars  {xml_s:8.3f} s  {xml_rate / 1e6:6.3f} M chars/s")
    print(f"DSL/XML throughput ratio (chars/s): {dsl_rate / xml_rate:.3f}")
    print(f"XML/DSL time ratio for the same model: {dsl_s / xml_s:.2f}x slower")
    target = dsl_rate >= 0.25e6 and dsl_s / xml_s <= 10
    print("targets (≥ 0.25 M chars/s, ≤ 10x the XML reader):", "met" if target else "NOT met")


if __name__ == "__main__":
    main()
