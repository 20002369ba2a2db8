"""Coverage-guided fuzzing with atheris (libFuzzer for Python), when it is installed.

    pip install atheris
    nice .venv/bin/python fuzz/atheris_fuzz.py xml -runs=50000 -timeout=10 -rss_limit_mb=2048

The first argument is the target (``xml``, ``dsl``, ``validate``, ``csv``, ``jsonl``,
``arrow``, ``binding``); the rest are libFuzzer's flags (``-runs``, ``-max_total_time``,
``-timeout`` per input, ``-rss_limit_mb``, ``-max_len``). The seed corpus is the
bundled specs (as XML and printed as ``.wsla``) and binding, copied into a temporary
directory that libFuzzer may grow. wsla's modules are instrumented for coverage.

libFuzzer prints ``Done N runs in S second(s)`` at the end and stops at the first
crash, writing the input to ``crash-<sha1>`` in the working directory.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import atheris  # noqa: E402

with atheris.instrument_imports(include=["wsla"]):
    import fuzz_support

    import wsla.dsl.reader
    import wsla.sources
    import wsla.validation
    import wsla.xml.reader  # noqa: F401


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _csv(data: bytes) -> None:
    fuzz_support.run_data(fuzz_support.DataCase(".csv", data, None, True))


def _jsonl(data: bytes) -> None:
    fuzz_support.run_data(fuzz_support.DataCase(".jsonl", data, None, True))


def _arrow(data: bytes) -> None:
    fuzz_support.run_data(fuzz_support.DataCase(".arrow", data, None, True))


def _arrow_seeds() -> list[bytes]:
    """Eight cases of the arrow target (IPC files and streams, some of them mutated)."""
    import random

    return [fuzz_support.arrow_case(random.Random(f"seed:{n}")).data for n in range(8)]


TARGETS: dict[str, Callable[[bytes], None]] = {
    "xml": fuzz_support.run_xml,
    "dsl": lambda data: fuzz_support.run_dsl(_text(data)),
    "validate": lambda data: fuzz_support.run_validate(data, ".wsla"),
    "csv": _csv,
    "jsonl": _jsonl,
    "arrow": _arrow,
    "binding": lambda data: fuzz_support.run_binding(_text(data)),
}


def _seed_corpus(target: str, folder: Path) -> None:
    seeds: list[bytes] = []
    if target in ("xml", "validate"):
        seeds.extend(fuzz_support.xml_seeds())
    if target in ("dsl", "validate"):
        seeds.extend(s.encode("utf-8") for s in fuzz_support.dsl_seeds())
    if target == "csv":
        seeds.append(b"time,target,value\n2025-01-01T00:00:00Z,getQuote/RT,42.5\n")
    if target == "jsonl":
        seeds.append(b'{"time": "2025-01-01T00:00:00Z", "target": "urn:load", "value": 7}\n')
    if target == "arrow":
        seeds.extend(_arrow_seeds())
    if target == "binding":
        seeds.extend(s.encode("utf-8") for s in fuzz_support.binding_seeds())
    for number, seed in enumerate(seeds):
        (folder / f"seed-{number}").write_bytes(seed)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: atheris_fuzz.py {{{','.join(TARGETS)}}} [libFuzzer flags…]")
    target = sys.argv[1]
    run = TARGETS[target]
    with tempfile.TemporaryDirectory(prefix=f"wsla-fuzz-{target}-") as folder:
        _seed_corpus(target, Path(folder))
        argv = [sys.argv[0], *sys.argv[2:], folder]
        atheris.Setup(argv, run)
        atheris.Fuzz()


if __name__ == "__main__":
    main()
