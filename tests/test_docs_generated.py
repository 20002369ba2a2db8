"""Generated documentation stays in step with its sources.

If one of these fails, regenerate and commit:
``python -m wsla.codes.docs`` (docs/diagnostics/) and ``python -m wsla.cli.reference``
(docs/cli.md).
"""

from __future__ import annotations

from pathlib import Path

from wsla.cli.reference import reference
from wsla.codes import registry
from wsla.codes.docs import index, page, pages, stale, write

ROOT = Path(__file__).resolve().parent.parent


def test_diagnostics_pages_match_the_registry() -> None:
    assert stale(ROOT / "docs" / "diagnostics") == [], "run: python -m wsla.codes.docs"


def test_cli_reference_matches_the_commands() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference(), "run: python -m wsla.cli.reference"


def test_a_page_per_code_plus_index() -> None:
    generated = pages()
    assert set(generated) == {f"{c}.md" for c in registry()} | {"index.md"}
    for code in registry().values():
        assert f"[{code.code}]({code.code}.md)" in generated["index.md"]


def test_page_content() -> None:
    code = registry()["C001"]
    text = page(code)
    assert text.splitlines()[2] == "# C001: file not found"
    assert "- Severity: **error**" in text
    assert code.explanation in text
    assert "## Bad\n\n```shell\nwsla validate spec/stock-quote.xml" in text
    assert "## Good" in text


def test_fence_longer_than_backticks_in_example() -> None:
    from wsla.codes import Code
    from wsla.diagnostics import Severity

    code = Code("Z999", Severity.WARNING, "t", "e", "a ``` b", "", "text")
    assert "````text\na ``` b\n````" in page(code)
    assert "| [Z999](Z999.md) | warning | t |" in index([code])


def test_write_brings_a_folder_in_step_and_removes_strays(tmp_path: Path) -> None:
    (tmp_path / "OLD.md").write_text("stale")
    (tmp_path / "C001.md").write_text("edited by hand")
    changed = write(tmp_path)
    assert "OLD.md" in changed
    assert "C001.md" in changed
    assert not (tmp_path / "OLD.md").exists()
    assert stale(tmp_path) == []
    assert write(tmp_path) == []
