"""Bounded fuzzing in the default suite: every input path, a few dozen cases each.

The invariant (``tests/fuzz_support.py``): only a result and registered diagnostic codes
come out (never C090), or a documented exception (``BindingError``, ``DataAbort`` under
the fail policy). Examples are derandomised so that the suite is deterministic; the
standalone fuzzers under ``fuzz/`` explore with fresh randomness and many more cases.
"""

from __future__ import annotations

import random
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import fuzz_support
import pytest
import strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CASE_SECONDS = 20


class CaseTimeout(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise CaseTimeout


@pytest.fixture(autouse=True)
def _per_case_alarm() -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def _within_time(run: Callable[[], None]) -> None:
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    try:
        run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def fuzz(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


SEEDS = st.randoms(use_true_random=False)


@fuzz(80)
@given(SEEDS)
def test_mutated_specs_through_load_xml(rng: random.Random) -> None:
    _within_time(lambda: fuzz_support.run_xml(fuzz_support.xml_case(rng)))


@fuzz(8)
@given(strategies.specs(), SEEDS, st.integers(1, 4))
def test_mutated_models_through_load_xml_and_validate(
    spec: Any, rng: random.Random, rounds: int
) -> None:
    from wsla.xml.writer import dumps_xml

    written = dumps_xml(spec)
    data = written if isinstance(written, bytes) else written.encode("utf-8")
    mutated = fuzz_support.mutate_xml(rng, data, rounds=rounds)

    def run() -> None:
        fuzz_support.run_xml(mutated)
        fuzz_support.run_validate(mutated, ".xml")

    _within_time(run)


@fuzz(25)
@given(SEEDS)
def test_mutated_specs_through_loads_dsl(rng: random.Random) -> None:
    _within_time(lambda: fuzz_support.run_dsl(fuzz_support.dsl_case(rng)))


@fuzz(4)
@given(strategies.specs(), SEEDS, st.integers(1, 4))
def test_mutated_models_through_loads_dsl(spec: Any, rng: random.Random, rounds: int) -> None:
    from wsla.dsl.printer import dumps_dsl

    text = fuzz_support.mutate_dsl(rng, dumps_dsl(spec), rounds=rounds)
    _within_time(lambda: fuzz_support.run_dsl(text))


@fuzz(150)
@given(st.binary(max_size=2048), st.sampled_from([".xml", ".wsla"]))
def test_random_bytes_through_validate(data: bytes, suffix: str) -> None:
    _within_time(lambda: fuzz_support.run_validate(data, suffix))


@fuzz(8)
@given(SEEDS)
def test_mutated_specs_through_the_cli(rng: random.Random) -> None:
    data, suffix = fuzz_support.validate_case(rng)
    _within_time(lambda: fuzz_support.run_cli(data, suffix))


@fuzz(60)
@given(SEEDS)
def test_csv_and_jsonl_through_the_readers(rng: random.Random) -> None:
    _within_time(lambda: fuzz_support.run_data(fuzz_support.data_case(rng)))


@fuzz(25)
@given(SEEDS)
def test_parquet_through_the_reader(rng: random.Random) -> None:
    _within_time(lambda: fuzz_support.run_data(fuzz_support.parquet_case(rng)))


@fuzz(25)
@given(SEEDS)
def test_arrow_ipc_through_the_reader(rng: random.Random) -> None:
    _within_time(lambda: fuzz_support.run_data(fuzz_support.arrow_case(rng)))


@fuzz(30)
@given(SEEDS)
def test_records_through_the_runtime(rng: random.Random) -> None:
    _within_time(lambda: fuzz_support.run_runtime(fuzz_support.runtime_case(rng)))


@fuzz(15)
@given(SEEDS)
def test_both_engines_agree_on_hostile_records(rng: random.Random) -> None:
    _within_time(lambda: fuzz_support.run_engines(fuzz_support.runtime_case(rng)))


@fuzz(100)
@given(SEEDS)
def test_mutated_bindings(rng: random.Random) -> None:
    text, as_json = fuzz_support.binding_case(rng)
    _within_time(lambda: fuzz_support.run_binding(text, as_json))


@fuzz(100)
@given(st.lists(st.text(max_size=30) | st.sampled_from(fuzz_support.BINDING_LINES), max_size=6))
def test_arbitrary_bind_options(options: list[str]) -> None:
    _within_time(lambda: fuzz_support.run_bind_options(options))


def test_the_invariant_rejects_an_internal_error() -> None:
    # The checks above only mean something if a C090 or a stray exception is caught.
    from wsla.codes import diagnostic

    with pytest.raises(fuzz_support.InvariantViolation):
        fuzz_support.check_diagnostics([diagnostic("C090", "boom")])
    with pytest.raises(AssertionError):
        fuzz_support.check_diagnostics([object()])


def test_mutators_change_their_input() -> None:
    rng = random.Random(1)
    seed = fuzz_support.xml_seeds()[0]
    assert sum(fuzz_support.mutate_xml(rng, seed) != seed for _ in range(20)) >= 15
    text = fuzz_support.dsl_seeds()[0]
    assert sum(fuzz_support.mutate_dsl(rng, text) != text for _ in range(20)) >= 15
