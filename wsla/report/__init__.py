"""Renderers of diagnostics, one module each, loaded on demand.

Every renderer is a pure function ``render(diagnostics, sources, *, color, strict) -> str``
where ``sources`` maps each checked file's path to its text (``""`` when it could not be
read): renderers that report per file (JUnit) take the list of files from its keys, and
the text renderer takes its snippets from the values. ``color`` only matters to ``text``;
``strict`` makes warnings count as failures where a format has that notion (JUnit).

>>> render = get_renderer("concise")
>>> render([], {})
''
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Protocol

from wsla.diagnostics import Diagnostic

__all__ = ["FORMATS", "Renderer", "get_renderer"]


class Renderer(Protocol):
    def __call__(
        self,
        diagnostics: Sequence[Diagnostic],
        sources: Mapping[str, str],
        /,
        *,
        color: bool = False,
        strict: bool = False,
    ) -> str: ...


FORMATS: Mapping[str, str] = {
    "text": "wsla.report.text:render_text",
    "concise": "wsla.report.concise:render_concise",
    "json": "wsla.report.json:render_json",
    "sarif": "wsla.report.sarif:render_sarif",
    "junit": "wsla.report.junit:render_junit",
    "github": "wsla.report.github:render_github",
}
"""Format name → ``module:function``; the module is imported only when the format is used."""


def get_renderer(name: str) -> Renderer:
    """The renderer for format ``name`` (a key of :data:`FORMATS`)."""
    try:
        target = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; expected one of {', '.join(FORMATS)}") from None
    module_name, _, attr = target.partition(":")
    render: Renderer = getattr(importlib.import_module(module_name), attr)
    return render
