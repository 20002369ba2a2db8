"""Packaging: the wheel carries the schemas and grammar; one version; fast imports;
the README's commands are the ones CI runs."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("wsla-*.whl")
    return built


def test_wheel_contains_schemas_grammar_and_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "wsla/_data/xsd/wsla.xsd" in names
    assert "wsla/_data/xsd/wsla-ext.xsd" in names
    assert "wsla/_data/grammar/wsla.ebnf" in names
    assert "wsla/py.typed" in names
    # every schema file of the checkout is shipped
    for xsd in (ROOT / "xsd").glob("*.xsd"):
        assert f"wsla/_data/xsd/{xsd.name}" in names


def test_wheel_metadata_has_one_version_and_core_dependencies(wheel: Path) -> None:
    from wsla import __version__

    assert wheel.name.startswith(f"wsla-{__version__}-")
    archive = zipfile.ZipFile(wheel)
    (meta_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    meta = archive.read(meta_name).decode()
    required = {
        re.split(r"[<>=!;\[ ]", line.split(":", 1)[1].strip())[0].lower()
        for line in meta.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    assert required == {"lxml", "xmlschema", "pyparsing", "networkx", "click"}
    entry = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    assert "wsla = wsla.cli:main" in archive.read(entry[0]).decode()


def test_installed_wheel_finds_its_schema(wheel: Path, tmp_path: Path) -> None:
    """Unpacked outside the checkout, the resource module finds the bundled XSD."""
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import wsla._resources as r, pathlib;"
        "p = r.xsd_path('wsla.xsd');"
        "print(pathlib.Path(str(p)).resolve())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(target) in result.stdout


def test_import_wsla_is_light() -> None:
    code = (
        "import sys, wsla;"
        "heavy = [m for m in ('xmlschema', 'networkx', 'numpy', 'pyarrow') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_python_dash_m_and_version() -> None:
    from wsla import __version__

    out = subprocess.run(
        [sys.executable, "-m", "wsla", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in out.stdout


def _readme_block(heading: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split(f"\n## {heading}\n", 1)[1]
    block = section.split("```", 2)[1]
    return [line for line in block.splitlines()[1:] if line.strip()]


@pytest.mark.parametrize("heading", ["Install", "Test", "Run"])
def test_readme_has_exactly_one_command_per_section(heading: str) -> None:
    assert len(_readme_block(heading)) == 1


def test_ci_runs_the_readme_test_command() -> None:
    script = ROOT / ".ci" / "run"
    out = subprocess.run(
        [
            "bash",
            "-c",
            f"source <(sed -n '/^readme_command()/,/^}}/p' {script}); "
            "readme_command Install; readme_command Test",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.splitlines() == [_readme_block("Install")[0], _readme_block("Test")[0]]
    assert "-eq 5" in script.read_text()
