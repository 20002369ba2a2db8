"""The HTML report: self-contained, one chart per SLA parameter, numbers as in the JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from wsla.cli.evaluate import command

REPO = Path(__file__).parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[lxml.html.HtmlElement, dict, str]:
    out = tmp_path_factory.mktemp("html-report")
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "data" / "gen_workload.py"),
            "--out",
            str(out),
            "--requests",
            "20000",
            "--days",
            "2",
            "--no-csv",
        ],
        check=True,
        capture_output=True,
    )
    page, doc = out / "report.html", out / "result.json"
    result = CliRunner().invoke(
        command,
        [
            str(REPO / "specs" / "workload-shop.xml"),
            str(out / "requests.parquet"),
            str(out / "probes.parquet"),
            "--binding",
            str(REPO / "specs" / "workload.binding.toml"),
            "--html",
            str(page),
            "--json",
            str(doc),
            "--all-outcomes",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    return lxml.html.fromstring(text), json.loads(doc.read_text(encoding="utf-8")), text


def test_one_chart_per_sla_parameter(report: tuple) -> None:
    tree, doc, _ = report
    parameters = {o["parameter"] for o in doc["outcomes"] if o["type"] == "parameter_value"}
    assert len(parameters) == 20
    sections = tree.xpath("//section[@class='parameter']")
    assert {s.get("data-parameter") for s in sections} == parameters
    for section in sections:
        svgs = section.xpath(".//*[local-name()='svg']")
        assert len(svgs) == 1, section.get("data-parameter")
        # the plotted line has as many points as the parameter has defined values
        name = section.get("data-parameter")
        values = [
            o["value"]
            for o in doc["outcomes"]
            if o["type"] == "parameter_value" and o["parameter"] == name
        ]
        assert int(section.get("data-values")) == sum(v is not None for v in values)


def test_summary_numbers_match_the_json(report: tuple) -> None:
    tree, doc, _ = report
    rows = {r.get("data-slo"): r for r in tree.xpath("//table[@id='summary']/tbody/tr")}
    assert set(rows) == {s["slo"] for s in doc["slos"]}
    for s in doc["slos"]:
        row = rows[s["slo"]]
        assert int(row.get("data-evaluations")) == s["evaluations"]
        assert int(row.get("data-violations")) == s["violations"]
        assert int(row.get("data-unknowns")) == s["unknowns"]
        assert int(row.get("data-time-in-violation-ns")) == s["time_in_violation_ns"]
        assert row.get("data-compliance") == repr(s["compliance"])
        cells = [c.text_content() for c in row.xpath("td")]
        assert cells[2].replace(",", "") == str(s["evaluations"])
        assert cells[3].replace(",", "") == str(s["violations"])
    cards = {
        c.get("data-count"): int(c.get("data-value")) for c in tree.xpath("//div[@data-count]")
    }
    assert cards["records"] == doc["records"]["read"]
    assert cards["violations"] == doc["totals"]["violations"]
    assert cards["actions"] == doc["totals"]["action_requests"]


def test_violation_table_lists_each_violation(report: tuple) -> None:
    tree, doc, _ = report
    violations = [o for o in doc["outcomes"] if o["type"] == "violation"]
    assert violations, "the workload has violations"
    rows = tree.xpath("//table[@id='violation-table']/tbody/tr")
    assert len(rows) == min(len(violations), 1000)
    for row, v in zip(rows, violations, strict=False):
        assert int(row.get("data-time-ns")) == v["time_ns"]
        assert row.get("data-slo") == v["slo"]
        for name in v["values"]:
            assert name in row.text_content()


def test_violation_periods_are_marked(report: tuple) -> None:
    tree, doc, _ = report
    violated = {p for o in doc["outcomes"] if o["type"] == "violation" for p in o["values"]}
    for section in tree.xpath("//section[@class='parameter']"):
        marked = int(section.get("data-violation-periods"))
        assert (marked > 0) == (section.get("data-parameter") in violated)


def test_self_contained(report: tuple) -> None:
    tree, _, text = report
    assert not tree.xpath("//script | //link | //iframe | //img[@src]")
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", text, re.I)
    assert "@import" not in text
    assert not re.search(r"url\(\s*[\"']?\s*(?:https?:)?//", text, re.I)
    assert "<!DOCTYPE svg" not in text
    assert tree.xpath("//style")
