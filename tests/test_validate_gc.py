"""`wsla validate` turns automatic garbage collection off for its run only, collects
between files, and leaves the collector as it found it."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import wsla.validation
from wsla.cli import cli
from wsla.cli.validate import quiet_collector
from wsla.validation import validate_run

ROOT = Path(__file__).resolve().parents[1]


def test_quiet_collector_restores_the_collector() -> None:
    assert gc.isenabled()
    with quiet_collector():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        with quiet_collector():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_after_each_file_runs_once_per_file(tmp_path: Path) -> None:
    for name in ("stock-quote.xml", "stock-quote.wsla", "throughput.xml"):
        shutil.copy(ROOT / "specs" / name, tmp_path / name)
    calls: list[int] = []
    outcome = validate_run([str(tmp_path)], after_each_file=lambda: calls.append(1))
    assert len(calls) == 3 and len(outcome.sources) == 3


def test_validate_command_collects_between_files_with_the_collector_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[bool, object]] = []
    real = wsla.validation.validate_run

    def spy(*args: object, **kwargs: object) -> wsla.validation.Outcome:
        seen.append((gc.isenabled(), kwargs.get("after_each_file")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(wsla.validation, "validate_run", spy)
    result = CliRunner().invoke(cli, ["validate", str(ROOT / "specs" / "stock-quote.xml")])
    assert result.exit_code == 0, result.output
    assert seen == [(False, gc.collect)]
    assert gc.isenabled()
