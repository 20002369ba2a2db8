"""Hostile event times through `wsla evaluate` and the API (found in the hardening round):
far-future records are refused by the tick-flood guard (L107) or as out of range (M004),
never a hang or an internal error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "stock-quote.xml"


def _evaluate(tmp_path: Path, csv: str, *args: str) -> subprocess.CompletedProcess[str]:
    data = tmp_path / "data.csv"
    data.write_text(csv)
    return subprocess.run(
        [sys.executable, "-m", "wsla", "evaluate", str(SPEC), str(data), *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_far_future_timestamp_does_not_hang(tmp_path: Path) -> None:
    # One record in year 9999 after one in 2025: without a limit the engine would step
    # through every schedule tick in between (hours of CPU).
    found = _evaluate(
        tmp_path,
        "time,target,value\n"
        "2025-01-01T00:00:00Z,GetQuote/ProbedUtilization,0.5\n"
        "9999-12-31T23:59:59-14:00,GetQuote/ProbedUtilization,0.4\n",
    )
    assert found.returncode in (0, 1), found.stderr
    assert "internal error" not in found.stderr


def test_iso_timestamp_after_2262_is_not_an_internal_error(tmp_path: Path) -> None:
    # An ISO timestamp after 2262-04-11 is a valid datetime but no int64 nanosecond
    # instant (the batch engine's arrays): the readers refuse it as M004.
    found = _evaluate(
        tmp_path,
        "time,target,value\n"
        "2025-01-01T00:00:00Z,GetQuote/ProbedUtilization,0.5\n"
        "2300-01-01T00:00:00Z,GetQuote/ProbedUtilization,0.4\n",
    )
    assert found.returncode in (0, 1), found.stderr


def test_records_given_directly_with_times_outside_int64_are_m004() -> None:
    import wsla
    from wsla.sources.record import Record

    start = 1_735_689_600_000_000_000
    result = wsla.evaluate(
        ROOT / "specs" / "workload-shop.xml",
        [
            Record(time=start, target="getQuote#invocation", value=12.0),
            Record(time=2**63 + 5, target="getQuote#invocation", value=12.0),
        ],
    )
    assert [d.code for d in result.problems] == ["M004"]
