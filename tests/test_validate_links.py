"""`wsla validate` on an untrusted checkout: links out of the tree are not followed
(found in the hardening round)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from wsla.cli import cli

MARKER = "WSLA-SECRET-5b1e"


@pytest.mark.parametrize("name", ["evil.xml", "evil.wsla"])
def test_symlink_out_of_the_tree_does_not_leak_the_target(tmp_path: Path, name: str) -> None:
    # A pull request can add `specs/evil.wsla -> /proc/self/environ` (or ~/.ssh/id_rsa):
    # following it would print the target's first line in a caret snippet (D001/X002),
    # i.e. the CI's secrets in a public log. It is skipped with C011.
    secret = tmp_path / "secret.env"
    secret.write_text(f"TOKEN={MARKER}\n")
    tree = tmp_path / "specs"
    tree.mkdir()
    os.symlink(secret, tree / name)
    for output in ("text", "json", "sarif", "github"):
        result = CliRunner().invoke(cli, ["validate", "--format", output, str(tree)])
        assert MARKER not in result.output, output
        assert "C011" in result.output, output


def test_links_inside_the_tree_and_explicit_files_are_checked(tmp_path: Path) -> None:
    tree = tmp_path / "specs"
    tree.mkdir()
    real = Path(__file__).resolve().parents[1] / "specs" / "stock-quote.wsla"
    (tree / "stock.wsla").write_text(real.read_text())
    os.symlink(tree / "stock.wsla", tree / "alias.wsla")
    os.mkfifo(tree / "pipe.wsla")  # never opened: a FIFO would block the run
    result = CliRunner().invoke(cli, ["validate", "--format", "concise", str(tree)])
    assert result.exit_code == 0, result.output
    assert "pipe.wsla" in result.output  # the C011 warning names it
    assert "alias.wsla" not in result.output
    explicit = CliRunner().invoke(cli, ["validate", str(tree / "alias.wsla")])
    assert explicit.exit_code == 0
