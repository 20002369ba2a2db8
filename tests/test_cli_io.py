"""Every command reads and writes files the same way, and never shows a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wsla.cli import cli

ROOT = Path(__file__).resolve().parents[1]
STOCK_XML = ROOT / "specs" / "stock-quote.xml"
STOCK_WSLA = ROOT / "specs" / "stock-quote.wsla"


@pytest.mark.parametrize(
    "args",
    [
        ["graph", str(STOCK_XML), "-o", "/nonexistent-dir/x.dot"],
        ["convert", str(STOCK_XML), "-o", "/nonexistent-dir/x.wsla"],
    ],
)
def test_unwritable_output_is_a_usage_error_before_any_work(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_convert_reads_standard_input_and_writes_atomically(tmp_path: Path) -> None:
    out = tmp_path / "stock.xml"
    result = CliRunner().invoke(
        cli, ["convert", "-", "-o", str(out)], input=STOCK_WSLA.read_bytes()
    )
    assert result.exit_code == 0, result.output
    import wsla

    assert wsla.load(out) == wsla.load(STOCK_XML)
    assert [p.name for p in tmp_path.iterdir()] == ["stock.xml"]  # no temporary left


@pytest.mark.parametrize("command", ["graph", "convert"])
@pytest.mark.parametrize(
    ("content", "code"),
    [(b"sla X {\x00}", "C003"), (b"sla X {\xff}", "C004"), (b"<SLA", "X002")],
)
def test_bad_files_get_the_same_codes_as_validate(
    tmp_path: Path, command: str, content: bytes, code: str
) -> None:
    bad = tmp_path / "bad.wsla"
    bad.write_bytes(content)
    result = CliRunner().invoke(cli, [command, str(bad)])
    validated = CliRunner().invoke(cli, ["validate", "--format", "concise", str(bad)])
    assert result.exit_code == 1
    assert code in result.output
    assert code in validated.output


def test_actions_refuses_a_database_that_is_not_an_outbox(tmp_path: Path) -> None:
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE users (id INTEGER)")
    result = CliRunner().invoke(cli, ["actions", "list", "--db", str(other)])
    assert result.exit_code == 1
    assert "not a wsla outbox" in result.output
    with sqlite3.connect(other) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master")]
    assert tables == ["users"]  # nothing was created in it


def test_an_unexpected_failure_is_reported_without_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wsla.cli import explain

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(explain, "command", click.command("explain")(broken))
    result = CliRunner().invoke(cli, ["explain"])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


def test_a_file_error_escaping_a_command_is_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from wsla.cli import explain

    def missing(*args: object, **kwargs: object) -> None:
        open("/nonexistent-dir/file")  # noqa: SIM115 - the error is the point

    monkeypatch.setattr(explain, "command", click.command("explain")(missing))
    result = CliRunner().invoke(cli, ["explain"])
    assert result.exit_code == 2
    assert "No such file or directory: /nonexistent-dir/file" in result.output


def test_fmt_explains_xml_and_non_utf8_input(tmp_path: Path) -> None:
    latin = tmp_path / "latin.wsla"
    latin.write_bytes(b"sla X {\xff}")
    result = CliRunner().invoke(cli, ["fmt", "--check", str(latin), str(STOCK_XML)])
    assert result.exit_code == 1
    assert "C004 the file is not valid UTF-8" in result.output
    assert "this is WSLA XML; wsla fmt formats .wsla files" in result.output


def test_evaluate_with_no_usable_record_is_not_a_success(tmp_path: Path) -> None:
    data = tmp_path / "other.csv"  # matches no table of the binding
    data.write_text("ts,op,rt_ms,ok\n1735689600000,getQuote,12.0,true\n")
    spec = ROOT / "specs" / "workload-shop.xml"
    binding = ROOT / "specs" / "workload.binding.toml"
    result = CliRunner().invoke(
        cli, ["evaluate", str(spec), str(data), "--binding", str(binding), "-q"]
    )
    assert result.exit_code == 1
    assert "M008" in result.output
    assert "nothing was evaluated" in result.output
    unwritable = CliRunner().invoke(
        cli,
        ["evaluate", str(spec), str(data), "--binding", str(binding), "--html", "/no/dir/r.html"],
    )
    assert unwritable.exit_code == 2


def test_validate_unwritable_report_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", str(STOCK_XML), "-o", "/nonexistent-dir/r"])
    assert result.exit_code == 2
    assert "does not exist" in result.output
