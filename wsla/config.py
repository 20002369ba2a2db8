"""Project configuration: ``[tool.wsla]`` in ``pyproject.toml``, or a ``wsla.toml``.

The file is found by walking up from the working directory; in each directory a
``wsla.toml`` wins over a ``pyproject.toml``, and a ``pyproject.toml`` without a
``[tool.wsla]`` table is passed over. Keys::

    [tool.wsla]
    select = ["X", "N"]     # codes or code prefixes to report (default: all)
    ignore = ["G201"]       # codes or prefixes never reported
    strict = false          # warnings fail the run too
    format = "text"         # default output format of `wsla validate`

(``wsla.toml`` holds the same keys at top level.) Command-line options override them.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

__all__ = ["Config", "ConfigError", "check_selectors", "find_config", "load_config"]

FORMAT_NAMES = ("text", "concise", "json", "sarif", "junit", "github", "auto")
_KEYS = ("select", "ignore", "strict", "format")


class ConfigError(ValueError):
    """A configuration file or a ``--select``/``--ignore`` value is invalid."""


@dataclass(frozen=True, slots=True)
class Config:
    """Which codes to report and how. ``select=()`` means every code."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    format: str | None = None
    source: Path | None = None

    def enabled(self, code: str) -> bool:
        """Is ``code`` reported? The most specific matching selector decides; on a tie
        ``ignore`` wins (as in ruff: ``select=["X"], ignore=["X03"]`` drops ``X031``,
        ``select=["X031"], ignore=["X"]`` keeps it).

        >>> Config(select=("X",), ignore=("X03",)).enabled("X031")
        False
        >>> Config(select=("X031",), ignore=("X",)).enabled("X031")
        True
        """
        if self.select:
            chosen = max((len(s) for s in self.select if code.startswith(s)), default=-1)
        else:
            chosen = 0
        dropped = max((len(s) for s in self.ignore if code.startswith(s)), default=-1)
        return chosen >= 0 and chosen > dropped

    def merged(
        self,
        *,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        strict: bool | None = None,
        format: str | None = None,
    ) -> Config:
        """Command-line values over this configuration: ``select`` replaces, ``ignore``
        adds, ``strict``/``format`` replace when given."""
        sel = tuple(_normalise(select))
        return replace(
            self,
            select=sel or self.select,
            ignore=self.ignore + tuple(_normalise(ignore)),
            strict=self.strict if strict is None else strict,
            format=format or self.format,
        )


def _normalise(selectors: Iterable[str]) -> list[str]:
    # Allow "--select X,N" as well as repeated options.
    return [part.strip().upper() for s in selectors for part in s.split(",") if part.strip()]


def check_selectors(selectors: Iterable[str], known: Iterable[str]) -> None:
    """Raise :class:`ConfigError` for a selector that is no code and no code prefix."""
    codes = sorted(known)
    for selector in selectors:
        if any(code.startswith(selector) for code in codes):
            continue
        close = difflib.get_close_matches(selector, codes, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ConfigError(f"unknown code or prefix {selector!r}{hint}")


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration file at or above ``start`` and its wsla table."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        dedicated = folder / "wsla.toml"
        if dedicated.is_file():
            return dedicated, _read(dedicated)
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _read(project).get("tool", {}).get("wsla")
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{project}: [tool.wsla] must be a table")
                return project, table
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _strings(path: Path, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{path}: \'{key}\' must be a list of codes, e.g. ["X", "N001"]')
    return tuple(_normalise(value))


def load_config(start: Path | None = None) -> Config:
    """The configuration in force for ``start`` (default: the working directory)."""
    found = find_config(start)
    if found is None:
        return Config()
    path, table = found
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        close = difflib.get_close_matches(unknown[0], _KEYS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ConfigError(f"{path}: unknown key '{unknown[0]}'{hint}")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{path}: 'strict' must be true or false")
    fmt = table.get("format")
    if fmt is not None and fmt not in FORMAT_NAMES:
        raise ConfigError(f"{path}: 'format' must be one of {', '.join(FORMAT_NAMES)}")
    return Config(
        select=_strings(path, "select", table.get("select", [])),
        ignore=_strings(path, "ignore", table.get("ignore", [])),
        strict=strict,
        format=fmt,
        source=path,
    )
