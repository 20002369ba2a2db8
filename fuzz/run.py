"""Standalone random/mutation fuzzer for wsla's input paths.

    nice .venv/bin/python fuzz/run.py --target xml --cases 20000
    nice .venv/bin/python fuzz/run.py --target all --cases 10000 --seed 7

Each target (see ``tests/fuzz_support.py``: xml, dsl, validate, cli, data, parquet, arrow,
binding) runs in a worker process with its address space capped (``RLIMIT_AS``) and
every case under a wall-clock alarm. A case that raises, breaks the invariant, overruns
its time or kills the worker (a native crash, out of memory) is saved under
``--out`` (``<target>-<seed>-<number>.case`` with the repr of the input and the
traceback); the worker is restarted after it. Case ``number`` of a seed is reproducible
alone: ``fuzz/run.py --target xml --seed S --replay N``.

Exit status: 0 when no case failed, 1 otherwise. The last line is
``fuzz: N cases, C crashes`` for all targets together.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import fuzz_support  # noqa: E402


class CaseTimeout(Exception):
    """A case ran past its time limit."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise CaseTimeout


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _save(out: Path, target: str, seed: int, number: int, *, case: Any, report: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{target}-{seed}-{number}.case"
    path.write_text(f"{report}\n--- input (repr) ---\n{case!r}\n", encoding="utf-8")
    return path


def worker(args: argparse.Namespace) -> int:
    """Run cases ``[start, end)``; write progress and crashes; exit 0 when done."""
    _limit_memory(args.memory_mb)
    signal.signal(signal.SIGALRM, _alarm)
    progress = Path(args.progress)
    out = Path(args.out)
    crashes = 0
    for number in range(args.start, args.end):
        progress.write_text(str(number))
        case = fuzz_support.case_for(args.target, args.seed, number)
        signal.setitimer(signal.ITIMER_REAL, args.timeout)
        try:
            fuzz_support.run_target(args.target, case)
        except CaseTimeout:
            crashes += 1
            report = f"timeout: more than {args.timeout} s"
            _save(out, args.target, args.seed, number, case=case, report=report)
        except MemoryError:
            crashes += 1
            _save(out, args.target, args.seed, number, case=case, report="MemoryError")
        except Exception:
            crashes += 1
            _save(out, args.target, args.seed, number, case=case, report=traceback.format_exc())
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    progress.write_text(json.dumps({"done": args.end, "crashes": crashes}))
    return 0


def drive(target: str, args: argparse.Namespace) -> tuple[int, int]:
    """Run ``args.cases`` cases of ``target`` in workers; returns (cases, crashes)."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    progress = out / f".progress-{target}-{os.getpid()}"
    start = 0
    crashes = 0
    while start < args.cases:
        command = [
            sys.executable,
            __file__,
            "--worker",
            "--target",
            target,
            "--seed",
            str(args.seed),
            "--start",
            str(start),
            "--end",
            str(args.cases),
            "--timeout",
            str(args.timeout),
            "--memory-mb",
            str(args.memory_mb),
            "--out",
            str(out),
            "--progress",
            str(progress),
        ]
        progress.write_text(str(start))
        # The per-case alarm cannot interrupt native code; the worker as a whole gets a
        # generous wall-clock budget, and a stuck case is found from the progress file.
        budget = (args.cases - start) * max(args.timeout, 0.5) + 60
        try:
            finished = subprocess.run(command, check=False, timeout=budget)
            status: int | str = finished.returncode
        except subprocess.TimeoutExpired:
            status = "hang"
        text = progress.read_text()
        if status == 0 and text.startswith("{"):
            crashes += int(json.loads(text)["crashes"])
            break
        number = int(text)
        case = fuzz_support.case_for(target, args.seed, number)
        crashes += 1
        saved = _save(out, target, args.seed, number, case=case, report=f"worker died: {status}")
        print(f"fuzz: {target} case {number}: worker died ({status}), saved {saved}")
        start = number + 1
    progress.unlink(missing_ok=True)
    return args.cases, crashes


def replay(args: argparse.Namespace) -> int:
    case = fuzz_support.case_for(args.target, args.seed, args.replay)
    print(repr(case)[:4000])
    fuzz_support.run_target(args.target, case)
    print("no failure")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default="all", help="a target name or 'all'")
    parser.add_argument("--cases", type=int, default=1000, help="cases per target")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per case")
    parser.add_argument("--memory-mb", type=int, default=2048, help="RLIMIT_AS per worker")
    parser.add_argument("--out", default=str(ROOT / "fuzz" / "crashes"))
    parser.add_argument("--replay", type=int, help="run one case number in this process")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--end", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--progress", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    if args.replay is not None:
        return replay(args)
    targets = list(fuzz_support.TARGETS) if args.target == "all" else args.target.split(",")
    unknown = [t for t in targets if t not in fuzz_support.TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    total_cases = total_crashes = 0
    for target in targets:
        began = time.monotonic()
        cases, crashes = drive(target, args)
        seconds = time.monotonic() - began
        print(f"fuzz: {target}: {cases} cases, {crashes} crashes, {seconds:.0f} s", flush=True)
        total_cases += cases
        total_crashes += crashes
    print(f"fuzz: {total_cases} cases, {total_crashes} crashes")
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
