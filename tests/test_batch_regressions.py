"""Cases where the batch and per-event engines disagreed or the batch engine crashed,
found by `fuzz/run.py --target engines --seed 20261125` on the final code of the first
session: sums of the smallest int64 (``np.abs`` overflows) and float sums beyond a double."""

from __future__ import annotations

import fuzz_support
import pytest


@pytest.mark.parametrize("number", [4497, 9470, 10579, 12469, 14798])
def test_engines_agree_on_the_fuzz_findings(number: int) -> None:
    case = fuzz_support.case_for("engines", 20261125, number)
    fuzz_support.run_engines(case)  # raises EngineMismatch or the crash otherwise
