"""Collecting problems found in measurement data.

Readers report each bad record here with its origin (file and line). The collector
counts every problem by code and keeps the first :attr:`DataProblems.keep` diagnostics
of each code, so a file with millions of bad lines cannot exhaust memory; under the
``fail`` policy the first problem stops reading with :class:`DataAbort`.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.limits import DEFAULT_LIMITS, Limits
from wsla.model.span import Span
from wsla.sources.record import Origin

__all__ = ["KEEP_PER_CODE", "DataAbort", "DataProblems", "OnError"]

KEEP_PER_CODE = 50
"""Diagnostics kept per code by default; the rest are counted."""


class OnError(enum.StrEnum):
    """What a malformed record does: reported and skipped, or stops the evaluation."""

    REPORT = "report"
    FAIL = "fail"


class DataAbort(Exception):
    """Raised under :attr:`OnError.FAIL` at the first problem; carries its diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def origin_span(origin: Origin | None) -> Span | None:
    return None if origin is None else Span(origin.source, origin.line, 1)


class DataProblems:
    """A per-evaluation collector (passed down, never global)."""

    def __init__(
        self,
        policy: OnError | str = OnError.REPORT,
        keep: int = KEEP_PER_CODE,
        *,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.policy = OnError(policy)
        self.keep = keep
        self.max_streams = limits.max_streams
        self._streams: set[str] = set()
        self.counts: Counter[str] = Counter()
        self._kept: list[Diagnostic] = []
        self.unused = 0
        """Rows read whole that fed nothing in this spec (not problems: a binding may
        serve several specs, and a spec need not measure everything a log holds)."""

    def report(
        self,
        code: str,
        message: str,
        origin: Origin | None = None,
        *,
        help: str | None = None,
    ) -> None:
        self.counts[code] += 1
        over = self.counts[code] > self.keep
        if over and self.policy is OnError.REPORT:
            return
        found = diagnostic(code, message, origin_span(origin), help=help)
        if self.policy is OnError.FAIL and found.is_error:
            self._kept.append(found)
            raise DataAbort(found)
        if not over:  # warnings never stop the fail policy: they are capped there too
            self._kept.append(found)

    def missing_columns(
        self, name: str, needed: Sequence[str], header: Sequence[str], *, list_header: bool = True
    ) -> bool:
        """Report ``M002`` (at line 1 of ``name``) when ``header`` lacks any of ``needed``;
        whether it did. ``list_header`` names the columns there are (a file's header)."""
        missing = [c for c in needed if c not in header]
        if not missing:
            return False
        there = f" (columns: {', '.join(header)})" if list_header else ""
        self.report(
            "M002",
            f"{name} has no column {', '.join(repr(c) for c in missing)}{there}",
            Origin(name, 1),
        )
        return True

    def tally(self, code: str, count: int) -> None:
        """Count ``count`` more problems of ``code`` that are not shown (never stops)."""
        if count > 0:
            self.counts[code] += count

    def admit(self, target: str, origin: Origin | None) -> bool:
        """Whether records for ``target`` may be passed on: at most ``Limits.max_streams``
        distinct targets per run (L105 for a record of one more), across files and
        tables, so a high-cardinality column cannot grow the engine's state unbounded.
        """
        if target in self._streams:
            return True
        if len(self._streams) >= self.max_streams:
            self.report(
                "L105",
                f"target {target[:200]!r} would be distinct stream number "
                f"{self.max_streams + 1:,} (Limits.max_streams); its records are skipped",
                origin,
                help="bind a low-cardinality column (an operation, not a request id or URL)",
            )
            return False
        self._streams.add(target)
        return True

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def diagnostics(self) -> list[Diagnostic]:
        """The kept diagnostics, then one M014 per code with problems left unshown."""
        out = list(self._kept)
        for code, count in sorted(self.counts.items()):
            if count > self.keep:
                out.append(
                    diagnostic(
                        "M014",
                        f"{count - self.keep} more {code} problems not shown ({count} in all)",
                    )
                )
        return out
