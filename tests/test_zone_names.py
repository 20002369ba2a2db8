"""A time zone name too long for the file system is an unknown zone, not an OSError
(found by `fuzz/run.py --target cli --seed 20261126`, case 5269)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wsla.sources.timestamps import TimestampError, parse_zone
from wsla.validation import validate_source

ROOT = Path(__file__).resolve().parents[1]
LONG = "x" * 300


def test_spec_with_a_long_zone_name_gets_a_coded_finding() -> None:
    source = (ROOT / "specs" / "hosting-availability.xml").read_text()
    assert "<ConditionTimeZone>Europe/Zurich</ConditionTimeZone>" in source
    bad = source.replace(
        "<ConditionTimeZone>Europe/Zurich</ConditionTimeZone>",
        f"<ConditionTimeZone>{LONG}</ConditionTimeZone>",
    )
    codes = [d.code for d in validate_source(bad.encode(), "hosting.xml")]
    assert codes
    assert "C090" not in codes
    assert all(c.startswith("S") for c in codes)


def test_data_zone_option_with_a_long_name_is_refused() -> None:
    with pytest.raises(TimestampError):
        parse_zone(LONG)


def test_runtime_refuses_the_zone_with_a_plan_error() -> None:
    import wsla
    from wsla.runtime.plan import PlanError, compile_plan

    spec = wsla.load(ROOT / "specs" / "hosting-availability.xml")
    broken = wsla.loads(wsla.dumps(spec).replace("Europe/Zurich", LONG))
    with pytest.raises(PlanError) as err:
        compile_plan(broken)
    assert "E012" in {d.code for d in err.value.diagnostics}
