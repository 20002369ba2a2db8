"""Diagnostics are values: a stable code, a severity, a message and where it is.

Every reader, check and runtime step reports problems as :class:`Diagnostic`
objects instead of raising; renderers (``wsla.report``) turn lists of them
into text, JSON, SARIF, JUnit or GitHub annotations.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wsla.model.span import Span

__all__ = ["Diagnostic", "Label", "Severity", "Span", "has_errors"]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Label:
    """A secondary span with a short message (``rustc``'s secondary labels)."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding.

    >>> d = Diagnostic("X101", Severity.ERROR, "not well-formed", Span("a.xml", 3, 7))
    >>> str(d)
    'a.xml:3:7: X101 not well-formed'
    """

    code: str
    severity: Severity
    message: str
    span: Span | None = None
    labels: tuple[Label, ...] = ()
    help: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def with_path(self, path: str) -> Diagnostic:
        """The same diagnostic located in ``path`` (for spans read from a string)."""
        span = self.span
        if span is None:
            span = Span(path, 1, 1)
        elif span.path is None:
            span = Span(path, span.line, span.column, span.end_line, span.end_column)
        return Diagnostic(
            self.code, self.severity, self.message, span, self.labels, self.help, self.notes
        )

    def __str__(self) -> str:
        where = str(self.span) if self.span is not None else "<input>"
        return f"{where}: {self.code} {self.message}"


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.is_error for d in diagnostics)
