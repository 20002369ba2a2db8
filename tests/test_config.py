"""`[tool.wsla]` / `wsla.toml` discovery, validation and code selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsla.config import Config, ConfigError, check_selectors, find_config, load_config


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config()


def test_found_walking_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.wsla]\nselect = ["X", "n"]\nstrict = true\n'
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert config.select == ("X", "N")
    assert config.strict is True
    assert config.source == tmp_path / "pyproject.toml"


def test_wsla_toml_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "wsla.toml").write_text('ignore = "G"\nformat = "sarif"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    config = load_config(inner)
    assert config.ignore == ("G",)
    assert config.format == "sarif"
    assert config.source == tmp_path / "wsla.toml"
    (tmp_path / "pyproject.toml").write_text("[tool.wsla]\nstrict = true\n")
    assert load_config(tmp_path).source == tmp_path / "wsla.toml"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("select = 3\n", "'select' must be a list of codes"),
        ("strict = 'yes'\n", "'strict' must be true or false"),
        ("format = 'xml'\n", "'format' must be one of"),
        ("selct = []\n", "unknown key 'selct'; did you mean 'select'?"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_invalid(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "wsla.toml").write_text(content)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("?", r"\?")):
        load_config(tmp_path)


def test_tool_wsla_must_be_a_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool]\nwsla = "x"\n')
    with pytest.raises(ConfigError, match="must be a table"):
        find_config(tmp_path)


def test_merge_command_line() -> None:
    base = Config(select=("X",), ignore=("X01",), strict=True, format="json")
    merged = base.merged(select=["c001,c002"], ignore=["G"], strict=None, format=None)
    assert merged.select == ("C001", "C002")
    assert merged.ignore == ("X01", "G")
    assert merged.strict is True
    assert merged.format == "json"
    assert base.merged(strict=False, format="text") == Config(
        select=("X",), ignore=("X01",), strict=False, format="text"
    )


@pytest.mark.parametrize(
    ("select", "ignore", "code", "enabled"),
    [
        ((), (), "X002", True),
        (("X",), (), "N001", False),
        (("X",), ("X0",), "X002", False),
        (("X002",), ("X",), "X002", True),
        (("X002",), ("X002",), "X002", False),
        ((), ("N",), "N001", False),
        ((), ("N",), "X001", True),
    ],
)
def test_enabled(
    select: tuple[str, ...], ignore: tuple[str, ...], code: str, enabled: bool
) -> None:
    assert Config(select=select, ignore=ignore).enabled(code) is enabled


@given(st.text(alphabet="CXN0123", min_size=1, max_size=5))
def test_ignoring_a_code_itself_always_drops_it(code: str) -> None:
    assert not Config(ignore=(code,)).enabled(code)
    assert Config(select=(code,)).enabled(code)


def test_check_selectors() -> None:
    check_selectors(["X", "X00", "X002"], ["X001", "X002"])
    with pytest.raises(ConfigError, match="did you mean X002"):
        check_selectors(["X020"], ["X001", "X002"])
