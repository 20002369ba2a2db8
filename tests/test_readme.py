"""The README and the getting-started guide: their examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import wsla

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "getting-started.md"]


def _blocks(path: Path, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", path.read_text(), flags=re.S)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_wsla_examples_are_valid_specs(path: Path) -> None:
    blocks = _blocks(path, "wsla")
    assert blocks
    for block in blocks:
        spec = wsla.loads(block)
        assert wsla.check(spec) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_python_examples_run(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    blocks = _blocks(path, "python")
    assert blocks
    for block in blocks:
        if "workload/requests.csv" in block:  # needs a generated workload: use the bundled one
            block = block.replace("workload/requests.csv", "examples/data/requests.csv.gz")
        exec(compile(block, str(path), "exec"), {})
    assert "DemoSLA123" in capsys.readouterr().out


def test_readme_diagnostic_example_is_what_validate_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from wsla.cli import cli

    readme = (ROOT / "README.md").read_text()
    (spec,) = _blocks(ROOT / "README.md", "wsla")
    shown = readme.split("A typo in the objective", 1)[1].split("```text\n", 1)[1]
    expected = shown.split("```", 1)[0]
    (tmp_path / "uptime.wsla").write_text(spec.replace("UpTimeRatio > 0.97", "UptimeRatio > 0.97"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--color", "never", "uptime.wsla"])
    assert result.exit_code == 1
    assert result.output == expected
