"""Golden and behavioural tests of the machine-readable renderers and their registry."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from lxml import etree
from report_cases import DIAGNOSTICS, SOURCES, check_golden

from wsla._version import __version__
from wsla.diagnostics import Diagnostic, Severity
from wsla.model.span import Span
from wsla.report import FORMATS, get_renderer
from wsla.report.github import escape_data, escape_property

GOLDEN = {
    "concise": "concise.txt",
    "json": "json.json",
    "sarif": "sarif.json",
    "junit": "junit.xml",
    "github": "github.txt",
}


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_golden(fmt: str) -> None:
    out = get_renderer(fmt)(DIAGNOSTICS, SOURCES)
    # The version moves with releases; everything else must stay byte for byte.
    check_golden(GOLDEN[fmt], out.replace(__version__, "<VERSION>"))


def test_junit_strict_golden() -> None:
    check_golden("junit-strict.xml", get_renderer("junit")(DIAGNOSTICS, SOURCES, strict=True))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_renders_nothing_sensibly(fmt: str) -> None:
    out = get_renderer(fmt)([], {"a.xml": "<SLA/>"})
    assert isinstance(out, str)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        get_renderer("yaml")


def test_importing_the_registry_loads_no_renderer() -> None:
    code = (
        "import sys, wsla.report\n"
        "heavy = [m for m in ('lxml', 'lxml.etree', 'json', 'wsla.report.sarif',"
        " 'wsla.report.junit') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_json_round_trips_every_field() -> None:
    doc = json.loads(get_renderer("json")(DIAGNOSTICS, SOURCES))
    assert doc["summary"] == {"files_checked": 3, "errors": 6, "warnings": 1, "infos": 1}
    first = doc["diagnostics"][0]
    d = DIAGNOSTICS[0]
    assert (first["code"], first["message"], first["help"]) == (d.code, d.message, d.help)
    assert first["location"]["end_column"] == 27
    assert first["labels"][0]["location"]["line"] == 4
    assert doc["diagnostics"][6]["location"] is None


def test_concise_is_one_line_per_diagnostic() -> None:
    out = get_renderer("concise")(DIAGNOSTICS, SOURCES)
    assert out.count("\n") == len(DIAGNOSTICS)
    assert out.splitlines()[0] == (
        "specs/demo.xml:11:16: Z101 undefined party 'ACMEProvider' (obliged by SLO 'G1')"
    )


# --- GitHub workflow commands -------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    # "%" first: otherwise the escapes themselves would be escaped again.
    assert escape_data("%0A") == "%250A"


def test_github_one_command_per_diagnostic_with_escaped_file() -> None:
    out = get_renderer("github")(DIAGNOSTICS, SOURCES).splitlines()
    assert len(out) == len(DIAGNOSTICS)
    wsla_line = out[4]
    assert wsla_line.startswith("::error file=specs/demo%2C 100%25.wsla,line=5,col=21,")
    assert "::Z105 unit '%25' does not match 'ratio': 100%25, a:b, c%0D%0Asecond line" in wsla_line
    assert out[2].startswith("::warning ")
    assert out[6].startswith("::notice title=Z106::")


def test_github_title_from_registry() -> None:
    d = Diagnostic("C001", Severity.ERROR, "file not found", Span("x.xml", 1, 1))
    out = get_renderer("github")([d], {})
    assert "title=C001 file not found::" in out


# --- JUnit ----------------------------------------------------------------------------


def _junit(strict: bool = False) -> etree._Element:
    out = get_renderer("junit")(DIAGNOSTICS, SOURCES, strict=strict)
    return etree.fromstring(out.encode("utf-8"))


def test_junit_one_testcase_per_file() -> None:
    root = _junit()
    names = [c.get("name") for c in root.iter("testcase")]
    # Every checked file, then the files and the "no file" bucket that only diagnostics name.
    assert names == [
        "specs/demo, 100%.wsla",
        "specs/demo.xml",
        "specs/empty.xml",
        "wsla",
        "specs/missing.xml",
    ]
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "5"
    assert suite.get("failures") == "4"


def test_junit_strict_fails_on_warnings_only_file() -> None:
    warn = Diagnostic("Z1", Severity.WARNING, "w", Span("a.xml", 1, 1))
    lax = etree.fromstring(get_renderer("junit")([warn], {"a.xml": ""}).encode())
    strict = etree.fromstring(get_renderer("junit")([warn], {"a.xml": ""}, strict=True).encode())
    assert lax.get("failures") == "0"
    assert lax.find(".//system-out") is not None
    assert strict.get("failures") == "1"
    assert strict.find(".//failure") is not None


def test_junit_survives_control_characters() -> None:
    d = Diagnostic("X004", Severity.ERROR, "binary \x00\x1b junk", Span("a\x01.bin", 1, 1))
    root = etree.fromstring(get_renderer("junit")([d], {}).encode())
    failure = root.find(".//failure")
    assert failure is not None
    assert "\x00" not in (failure.get("message") or "")


# --- SARIF ----------------------------------------------------------------------------


def test_sarif_positions_and_rules() -> None:
    log = json.loads(get_renderer("sarif")(DIAGNOSTICS, SOURCES))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({d.code for d in DIAGNOSTICS})
    c001 = next(r for r in rules if r["id"] == "C001")
    assert c001["shortDescription"]["text"] == "file not found"
    first = run["results"][0]
    region = first["locations"][0]["physicalLocation"]["region"]
    # SARIF's endColumn is exclusive; ours is inclusive.
    assert region == {"startLine": 11, "startColumn": 16, "endLine": 11, "endColumn": 28}
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert "specs/demo%2C%20100%25.wsla" in uris
    assert run["results"][6]["level"] == "note"
    assert "locations" not in run["results"][6]
