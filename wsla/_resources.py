"""Find the data directories (``xsd/``, ``grammar/``) in a checkout or an installed wheel.

In a source checkout they sit at the repository root next to the package; a wheel
carries them as ``wsla/_data/xsd`` and ``wsla/_data/grammar`` (pyproject's force-include).
The checkout wins so that editable installs see edits immediately.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

__all__ = ["data_dir", "grammar_path", "xsd_path"]


@cache
def data_dir(name: str) -> Path | None:
    """The directory ``name`` (``"xsd"`` or ``"grammar"``), or ``None`` when missing."""
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    installed = importlib.resources.files("wsla") / "_data" / name
    if installed.is_dir():
        # A wheel installs into a real directory; zipped imports are not supported.
        return Path(str(installed))
    return None


def xsd_path(filename: str) -> Path | None:
    """``xsd/<filename>`` if it exists."""
    return _file("xsd", filename)


def grammar_path(filename: str) -> Path | None:
    """``grammar/<filename>`` if it exists."""
    return _file("grammar", filename)


def _file(directory: str, filename: str) -> Path | None:
    base = data_dir(directory)
    if base is None:
        return None
    path = base / filename
    return path if path.is_file() else None
