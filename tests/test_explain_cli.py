"""`wsla explain CODE`."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from wsla.cli import cli
from wsla.codes import registry


def test_explain_prints_the_registry_entry() -> None:
    result = CliRunner().invoke(cli, ["explain", "C004"])
    assert result.exit_code == 0
    code = registry()["C004"]
    lines = result.output.splitlines()
    assert lines[0] == "C004: file is not valid UTF-8"
    assert "Severity: error" in lines[2]
    assert "Bad (text):" in result.output
    assert "Good (text):" in result.output
    assert "    " + code.good.splitlines()[0] in result.output
    # The explanation is wrapped, not changed.
    assert " ".join(result.output.split()).count(" ".join(code.explanation.split())) == 1


def test_codes_are_case_insensitive() -> None:
    assert CliRunner().invoke(cli, ["explain", "c001"]).output.startswith("C001: ")


def test_every_code_explains() -> None:
    for name in registry():
        result = CliRunner().invoke(cli, ["explain", name])
        assert result.exit_code == 0, name
        assert result.output.startswith(f"{name}: ")


def test_unknown_code_exit_2_with_suggestion() -> None:
    result = CliRunner().invoke(cli, ["explain", "C0001"])
    assert result.exit_code == 2
    assert "unknown diagnostic code 'C0001'" in result.output
    assert "Did you mean C001" in result.output


def test_unknown_code_without_close_match() -> None:
    result = CliRunner().invoke(cli, ["explain", "qqqqqq"])
    assert result.exit_code == 2
    assert "Did you mean" not in result.output


def test_listing_without_code() -> None:
    result = CliRunner().invoke(cli, ["explain"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == len(registry())
    assert "C001  error    file not found" in result.output


def test_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wsla", "explain", "NOPE1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown diagnostic code" in done.stderr
