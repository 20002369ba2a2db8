"""Long hypothesis runs: structure-aware mutations of generated models, and raw inputs.

    nice .venv/bin/python fuzz/hypothesis_fuzz.py --examples 5000
    nice .venv/bin/python fuzz/hypothesis_fuzz.py --target model-xml --examples 20000

Targets:

* ``model-xml``: an arbitrary valid model (``tests/strategies.py``), written as XML,
  then mutated (tree, token and byte level), through ``load_xml`` and ``validate_source``;
* ``model-dsl``: the same model printed as ``.wsla`` and mutated, through ``loads_dsl``
  and ``validate_source``;
* ``bytes``: arbitrary bytes through ``validate_source`` (as ``.xml`` and ``.wsla``);
* ``text``: arbitrary text through ``loads_dsl``;
* ``cells``: CSV and JSON Lines files of arbitrary cells through the readers.

Every example runs under an alarm (``--timeout``) and the process under ``RLIMIT_AS``
(``--memory-mb``). Hypothesis shrinks a failure and prints it; the run goes on to the
next target. The last line is ``hypothesis-fuzz: N examples, F failing targets``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import fuzz_support  # noqa: E402
import strategies  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


class CaseTimeout(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise CaseTimeout


class Counter:
    def __init__(self) -> None:
        self.count = 0


def _timed(seconds: float, counter: Counter, body: Callable[[], None]) -> None:
    counter.count += 1
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        body()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def model_xml(seconds: float, counter: Counter) -> Callable[..., None]:
    @given(strategies.specs(), st.randoms(use_true_random=False), st.integers(0, 4))
    def run(spec: Any, rng: random.Random, rounds: int) -> None:
        from wsla.xml.writer import dumps_xml

        def body() -> None:
            written = dumps_xml(spec)
            data = written if isinstance(written, bytes) else written.encode("utf-8")
            data = fuzz_support.mutate_xml(rng, data, rounds=rounds)
            fuzz_support.run_xml(data)
            fuzz_support.run_validate(data, ".xml")

        _timed(seconds, counter, body)

    return run


def model_dsl(seconds: float, counter: Counter) -> Callable[..., None]:
    @given(strategies.specs(), st.randoms(use_true_random=False), st.integers(0, 4))
    def run(spec: Any, rng: random.Random, rounds: int) -> None:
        from wsla.dsl.printer import dumps_dsl

        def body() -> None:
            text = fuzz_support.mutate_dsl(rng, dumps_dsl(spec), rounds=rounds)
            fuzz_support.run_dsl(text)
            fuzz_support.run_validate(text.encode("utf-8", "surrogatepass"), ".wsla")

        _timed(seconds, counter, body)

    return run


def raw_bytes(seconds: float, counter: Counter) -> Callable[..., None]:
    @given(st.binary(max_size=4096), st.sampled_from([".xml", ".wsla"]))
    def run(data: bytes, suffix: str) -> None:
        _timed(seconds, counter, lambda: fuzz_support.run_validate(data, suffix))

    return run


def raw_text(seconds: float, counter: Counter) -> Callable[..., None]:
    alphabet = st.sampled_from(fuzz_support.DSL_WORDS) | st.text(max_size=3)
    texts = st.text(max_size=2000) | st.lists(alphabet, max_size=200).map(" ".join)

    @given(texts)
    def run(text: str) -> None:
        _timed(seconds, counter, lambda: fuzz_support.run_dsl(text))

    return run


_CELL = (
    st.sampled_from(fuzz_support.INTERESTING_TEXT)
    | st.sampled_from(fuzz_support.TIMES)
    | st.sampled_from(fuzz_support.VALUES)
    | st.sampled_from(fuzz_support.LONG_TARGETS)
    | st.text(max_size=12)
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)


def cells(seconds: float, counter: Counter) -> Callable[..., None]:
    header = ["time", "target", "value"]
    rows = st.lists(st.lists(_CELL, min_size=2, max_size=4), max_size=12)
    json_rows = st.lists(st.dictionaries(st.sampled_from(header), _JSON | _CELL), max_size=12)

    @given(rows, json_rows, st.booleans(), st.booleans())
    def run(
        csv_rows: list[list[str]], objects: list[dict[str, Any]], use_index: bool, fail: bool
    ) -> None:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(csv_rows)
        csv_case = fuzz_support.DataCase(
            ".csv", buffer.getvalue().encode("utf-8", "surrogatepass"), None, use_index, fail
        )
        text = "\n".join(json.dumps(o) for o in objects)
        jsonl_case = fuzz_support.DataCase(
            ".jsonl", text.encode("utf-8", "surrogatepass"), None, use_index, fail
        )

        def body() -> None:
            fuzz_support.run_data(csv_case)
            fuzz_support.run_data(jsonl_case)

        _timed(seconds, counter, body)

    return run


TARGETS: dict[str, Callable[[float, Counter], Callable[..., None]]] = {
    "model-xml": model_xml,
    "model-dsl": model_dsl,
    "bytes": raw_bytes,
    "text": raw_text,
    "cells": cells,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default="all")
    parser.add_argument("--examples", type=int, default=1000, help="examples per target")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per example")
    parser.add_argument("--memory-mb", type=int, default=3072, help="RLIMIT_AS of the process")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed")
    args = parser.parse_args(argv)
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _alarm)
    names = list(TARGETS) if args.target == "all" else args.target.split(",")
    total = failing = 0
    for name in names:
        counter = Counter()
        test = TARGETS[name](args.timeout, counter)
        configured = settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            derandomize=args.seed is None,
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=True,
        )(test)
        if args.seed is not None:
            from hypothesis import seed

            configured = seed(args.seed)(configured)
        began = time.monotonic()
        status = "ok"
        try:
            configured()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            failing += 1
            status = f"FAILED ({type(exc).__name__})"
            import traceback

            traceback.print_exc()
        seconds = time.monotonic() - began
        print(f"hypothesis-fuzz: {name}: {counter.count} examples, {status}, {seconds:.0f} s")
        total += counter.count
    print(f"hypothesis-fuzz: {total} examples, {failing} failing targets")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
