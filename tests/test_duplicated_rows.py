"""Duplicated rows (M016): reported by both engines alike, and still applied."""

from __future__ import annotations

from pathlib import Path

import pytest

import wsla

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "workload-shop.xml"
BINDING = ROOT / "specs" / "workload.binding.toml"

ROWS = [
    "1735689600000,getQuote,12.5,true",
    "1735689601000,getQuote,13.0,true",
    "1735689601000,getQuote,13.0,true",  # a copy of the line before: M016
    "1735689601000,getQuote,13.0,false",  # same time and key, another value: fine
    "1735689602000,placeOrder,80.0,true",
    "1735689602000,getQuote,80.0,true",  # another key: fine
    "1735689603000,getQuote,9.0,true",
]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_both_engines_report_the_copy_and_apply_it(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"requests{suffix}"
    if suffix == ".csv":
        path.write_text("ts,op,rt_ms,ok\n" + "\n".join(ROWS) + "\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        cells = [r.split(",") for r in ROWS]
        pq.write_table(
            pa.table(
                {
                    "ts": pa.array([int(c[0]) for c in cells], pa.int64()),
                    "op": [c[1] for c in cells],
                    "rt_ms": [float(c[2]) for c in cells],
                    "ok": [c[3] == "true" for c in cells],
                }
            ),
            path,
        )
    results = [
        wsla.evaluate(SPEC, [path], binding=BINDING, engine=engine) for engine in ("batch", "event")
    ]
    for result in results:
        assert [(d.code, d.span.line if d.span else 0) for d in result.problems] == [
            ("M016", 4 if suffix == ".csv" else 3)
        ]
        assert result.records == 2 * len(ROWS)  # every row applied (an invocation + ok)
    assert results[0].to_json() == results[1].to_json()
