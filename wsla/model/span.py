"""Source positions carried by model nodes and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file. Lines and columns are 1-based code points.

    ``end_line``/``end_column`` are inclusive of the last character when known;
    they may equal ``line``/``column`` when only a start position is known.
    """

    path: str | None
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        where = self.path if self.path is not None else "<string>"
        return f"{where}:{self.line}:{self.column}"
