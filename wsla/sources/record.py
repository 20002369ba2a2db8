"""The unit of measurement input: one timestamped value for one target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from, for error messages and the evidence trail."""

    source: str
    line: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass(frozen=True, slots=True)
class Record:
    """One measurement.

    ``time`` is event time in integer epoch nanoseconds (UTC). ``target`` is a
    measured metric's ``ServiceObject/Metric`` path or one of its directive's URIs.
    ``value`` is a number, a bool (read as 1/0) or a string.
    """

    time: int
    target: str
    value: int | float | bool | str
    origin: Origin | None = None
