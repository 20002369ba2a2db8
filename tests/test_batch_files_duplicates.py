"""The batch file path refuses a table with a row that repeats the row before it (the
row readers report it, M016) and only then: same time and key with another value, same
time with another key, or a copy split across two chunks are told apart."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wsla.evaluation import load_spec
from wsla.runtime import compile_plan
from wsla.runtime.batch import BatchEvaluator
from wsla.runtime.batch_files import Unsupported, file_streams
from wsla.sources.binding import load_binding
from wsla.sources.problems import DataProblems
from wsla.sources.targets import TargetIndex

ROOT = Path(__file__).resolve().parents[1]
PLAN = compile_plan(load_spec(ROOT / "specs" / "workload-shop.xml"))
BINDING = load_binding(ROOT / "specs" / "workload.binding.toml")


def refused(path: Path, rows: int) -> bool:
    index = TargetIndex.of_plan(PLAN)
    vectorized = frozenset(BatchEvaluator(PLAN).vectorized_targets)
    try:
        for _ in file_streams([str(path)], BINDING, index, DataProblems(), vectorized, rows):
            pass
    except Unsupported as exc:
        return "duplicated" in str(exc)
    return False


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),
            st.sampled_from(["getQuote", "placeOrder"]),
            st.sampled_from([1.0, 2.0]),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(1, 8),
)
def test_duplicates_refused_exactly_when_a_row_repeats_the_one_before(
    tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[int, str, float, bool]], rows: int
) -> None:
    ts, t = [], 1_735_689_600_000
    for step, *_ in cells:
        t += step
        ts.append(t)
    table = pa.table(
        {
            "ts": pa.array(ts, pa.int64()),
            "op": [c[1] for c in cells],
            "rt_ms": [c[2] for c in cells],
            "ok": [c[3] for c in cells],
        }
    )
    path = tmp_path_factory.mktemp("dup") / "requests.parquet"
    pq.write_table(table, path, row_group_size=rows)
    keyed = [(ts[i], c[1], c[2], c[3]) for i, c in enumerate(cells)]
    expected = any(keyed[i] == keyed[i - 1] for i in range(1, len(keyed)))
    assert refused(path, rows) == expected
