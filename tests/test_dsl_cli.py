"""``wsla fmt`` and ``wsla convert``, the formatter's comments, and XSD errors located in
``.wsla`` files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from wsla.cli import cli
from wsla.dsl import dumps_dsl, format_source, loads_dsl
from wsla.xml.reader import load_xml
from wsla.xml.schema import validate_model

ROOT = Path(__file__).resolve().parent.parent

MESSY = """// the stock quote deal
sla Demo {   provider ACME   // signs first
  consumer XInc
    /* measurement
       is outsourced */
  supporting Meter sponsors ACME roles MeasurementService
  service Quotes {
    metric RT: long in ms by Meter = measure response_time(uri="urn:rt")
        // the mean over the last hour
    metric Avg by Meter = mean(RT)/1000
  }
  obligations { slo Fast obliged ACME on new value {
      Avg<0.5   // seconds
  } }
}
"""


def test_format_keeps_every_comment_near_its_statement() -> None:
    formatted, diagnostics = format_source(MESSY, "m.wsla")
    assert diagnostics == []
    assert formatted == (
        "// the stock quote deal\n"
        "sla Demo {\n"
        "  provider ACME  // signs first\n"
        "  consumer XInc\n"
        "  /* measurement\n"
        "       is outsourced */\n"
        "  supporting Meter sponsors ACME roles MeasurementService\n"
        "\n"
        "  service Quotes {\n"
        '    metric RT: long in ms by Meter = measure response_time(uri="urn:rt")\n'
        "    // the mean over the last hour\n"
        "    metric Avg by Meter = mean(RT) / 1000\n"
        "  }\n"
        "\n"
        "  obligations {\n"
        "    slo Fast obliged ACME on new value {\n"
        "      Avg < 0.5  // seconds\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    again, _ = format_source(formatted, "m.wsla")  # type: ignore[arg-type]
    assert again == formatted
    assert loads_dsl(formatted)[0] == loads_dsl(MESSY)[0]  # type: ignore[arg-type]


def test_fmt_rewrites_checks_and_diffs(tmp_path: Path) -> None:
    messy = tmp_path / "a.wsla"
    messy.write_text(MESSY, encoding="utf-8")
    tidy = tmp_path / "b.wsla"
    tidy.write_text(format_source(MESSY)[0] or "", encoding="utf-8")
    runner = CliRunner()

    result = runner.invoke(cli, ["fmt", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"would reformat {messy}" in result.output
    assert str(tidy) not in result.output
    assert messy.read_text(encoding="utf-8") == MESSY  # --check changes nothing

    result = runner.invoke(cli, ["fmt", "--check", "--diff", str(messy)])
    assert result.exit_code == 1
    assert "+  provider ACME  // signs first" in result.output

    result = runner.invoke(cli, ["fmt", str(tmp_path)])
    assert result.exit_code == 0
    assert messy.read_text(encoding="utf-8") == tidy.read_text(encoding="utf-8")
    # no temporary files left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.wsla", "b.wsla"]

    assert runner.invoke(cli, ["fmt", "--check", str(tmp_path)]).exit_code == 0


def test_fmt_reports_a_syntax_error_and_leaves_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wsla"
    bad.write_text("sla S {\n  provder P\n}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["fmt", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2:3: D005 unknown keyword `provder`" in result.output
    assert "did you mean `provider`?" in result.output
    assert bad.read_text(encoding="utf-8") == "sla S {\n  provder P\n}\n"


def test_fmt_usage_error_exits_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["fmt", str(tmp_path / "missing.wsla")]).exit_code == 2


def test_convert_both_ways_detects_the_format_from_content(tmp_path: Path) -> None:
    source = ROOT / "specs" / "stock-quote.xml"
    disguised = tmp_path / "stock-quote.txt"  # the extension says nothing
    disguised.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    runner = CliRunner()
    result = runner.invoke(cli, ["convert", str(disguised)])
    assert result.exit_code == 0, result.output
    spec, _ = load_xml(source.read_bytes(), None)
    assert result.output == dumps_dsl(spec)  # type: ignore[arg-type]

    wsla_file = tmp_path / "sq.wsla"
    assert runner.invoke(cli, ["convert", str(disguised), "-o", str(wsla_file)]).exit_code == 0
    xml_file = tmp_path / "sq.xml"
    result = runner.invoke(cli, ["convert", str(wsla_file), "-o", str(xml_file)])
    assert result.exit_code == 0, result.output
    back, diagnostics = load_xml(xml_file.read_bytes(), str(xml_file))
    assert diagnostics == []
    assert back == spec

    result = runner.invoke(cli, ["convert", str(wsla_file), "--to", "wsla"])
    assert result.output == wsla_file.read_text(encoding="utf-8")


def test_convert_reports_errors_with_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wsla"
    bad.write_text("sla S { provider P consumer C obligations } }\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(bad)])
    assert result.exit_code == 1
    assert "D023" in result.output


def test_xsd_errors_point_at_the_dsl_source() -> None:
    text = (
        "sla S {\n"
        "  provider P\n"
        "  consumer C\n"
        "  supporting Z sponsors P, C, Q roles MeasurementService\n"
        "  service D\n"
        "  obligations\n"
        "}\n"
    )
    spec, diagnostics = loads_dsl(text, "three-sponsors.wsla")
    assert spec is not None
    assert diagnostics == []
    found = validate_model(spec)
    assert found
    assert all(d.code.startswith("X") for d in found)
    first = found[0]
    assert first.span is not None
    assert (first.span.path, first.span.line, first.span.column) == ("three-sponsors.wsla", 4, 3)
    assert "Sponsor" in first.message
