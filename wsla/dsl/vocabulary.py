"""The words of the ``.wsla`` language, shared by the grammar and the printer.

Everything that maps a DSL spelling to a model value lives here, so that reading and
printing cannot drift apart: reserved words, type and unit names, the names of functions
and directives (derived from the model's registries, so extension functions get a DSL
name without a grammar change), execution modalities and string quoting.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from types import MappingProxyType

from wsla.model.directives import DIRECTIVE_TYPES, MeasurementDirective
from wsla.model.functions import Arithmetic, Function
from wsla.model.registry import FUNCTION_TYPES
from wsla.model.types import WSLA_NS, ExecutionModality, Interval, MetricType, NotificationType

RESERVED: frozenset[str] = frozenset(
    (
        "sla",
        "provider",
        "consumer",
        "supporting",
        "sponsors",
        "roles",
        "contact",
        "action",
        "by",
        "soap",
        "getpost",
        "service",
        "operation",
        "described",
        "group",
        "hosting",
        "covers",
        "schedule",
        "every",
        "from",
        "to",
        "calendar",
        "empty",
        "trigger",
        "at",
        "const",
        "macro",
        "expand",
        "as",
        "assign",
        "parameter",
        "in",
        "source",
        "pull",
        "push",
        "metric",
        "counter",
        "uri",
        "measure",
        "hole",
        "obligations",
        "slo",
        "guarantee",
        "obliged",
        "on",
        "new",
        "valid",
        "when",
        "do",
        "modality",
        "and",
        "or",
        "not",
        "implies",
        "true",
        "false",
        "violation",
        "inf",
        "nan",
    )
)
"""Words that cannot be bare names; a name spelled like one is written in backticks."""

IDENT_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*"
_IDENT = re.compile(IDENT_PATTERN + r"\Z")

TYPE_NAMES: Mapping[str, MetricType] = MappingProxyType({t.value: t for t in MetricType})

# Interval parts: canonical spelling first, then accepted aliases.
INTERVAL_UNITS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "years": ("year", "years", "y"),
        "months": ("month", "months"),
        "days": ("d", "day", "days"),
        "hours": ("h", "hour", "hours"),
        "minutes": ("min", "minute", "minutes"),
        "seconds": ("s", "sec", "second", "seconds"),
        "milliseconds": ("ms", "millisecond", "milliseconds"),
    }
)
UNIT_TO_PART: Mapping[str, str] = MappingProxyType(
    {alias: part for part, aliases in INTERVAL_UNITS.items() for alias in aliases}
)

MODALITIES: Mapping[str, ExecutionModality] = MappingProxyType(
    {
        "always": ExecutionModality.ALWAYS,
        "on_entering": ExecutionModality.ON_ENTERING_CONDITION,
        "on_entering_and_leaving": ExecutionModality.ON_ENTERING_AND_ON_LEAVING_CONDITION,
        "on_every_evaluation": ExecutionModality.ON_EVERY_EVALUATION,
    }
)
MODALITY_NAMES: Mapping[ExecutionModality, str] = MappingProxyType(
    {v: k for k, v in MODALITIES.items()}
)

NOTIFICATION_TYPES: Mapping[str, NotificationType] = MappingProxyType(
    {t.value: t for t in NotificationType}
)

CALENDAR_FIELDS: tuple[tuple[str, str], ...] = (
    ("since", "condition_time"),
    ("months", "month_of_year_mask"),
    ("days", "day_of_month_mask"),
    ("weekdays", "day_of_week_mask"),
    ("hours", "time_of_day_mask"),
    ("zone", "time_zone"),
    ("clock", "local_or_utc"),
)
"""``calendar(...)`` argument → :class:`~wsla.model.types.CalendarPeriod` field, in order."""


def snake(name: str) -> str:
    """``PercentageGreaterThanThreshold`` → ``percentage_greater_than_threshold``;
    ``TSConstructor`` → ``ts_constructor``."""
    out = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    out = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", out)
    return out.lower()


@cache
def function_names() -> dict[str, type[Function]]:
    """DSL call name → function class, for every registered non-infix function.

    WSLA's own functions are named by their ``xsi:type`` in snake case; an extension
    function whose name would collide gets the prefix ``wslax_``.
    """
    out: dict[str, type[Function]] = {}
    ordered = sorted(FUNCTION_TYPES.items(), key=lambda item: item[0][0] != WSLA_NS)
    for (namespace, xsi_type), cls in ordered:
        if issubclass(cls, Arithmetic):
            continue
        name = snake(xsi_type)
        if namespace != WSLA_NS and name in out:
            name = "wslax_" + name
        out[name] = cls
    return out


@cache
def function_call_names() -> dict[type[Function], str]:
    return {cls: name for name, cls in function_names().items()}


@cache
def directive_names() -> dict[str, type[MeasurementDirective]]:
    return {snake(xsi_type): cls for xsi_type, cls in DIRECTIVE_TYPES.items()}


@cache
def directive_call_names() -> dict[type[MeasurementDirective], str]:
    return {cls: name for name, cls in directive_names().items()}


def call_fields(cls: type) -> tuple[dataclasses.Field[object], ...]:
    """The fields of a function or directive written as call arguments, in order."""
    return tuple(
        f
        for f in dataclasses.fields(cls)
        if f.name not in ("span", "result_type") and f.init and not f.name.startswith("_")
    )


def argument_name(field_name: str) -> str:
    """DSL keyword of a call argument: URIs are all ``uri``, the reading schedule is
    ``schedule``; everything else keeps its field name."""
    if field_name.endswith("_uri"):
        return "uri"
    if field_name == "reading_schedule":
        return "schedule"
    return field_name


PRIMARY_FIELDS = ("input", "operand")
"""A function's main operand, written first and without a keyword."""


def is_bare_name(name: str) -> bool:
    return bool(_IDENT.match(name)) and name not in RESERVED


def format_name(name: str) -> str:
    """A name as written: bare when it can be, else in backticks (`` `5min` ``)."""
    return name if is_bare_name(name) else quote(name, "`")


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPES = {'"': '"', "`": "`", "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "/": "/"}


def quote(text: str, mark: str = '"') -> str:
    """A string literal (or a backtick-quoted name): JSON-like escapes, other control
    characters as ``\\uXXXX``."""
    out = [mark]
    for ch in text:
        if ch == mark:
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append(mark)
    return "".join(out)


_ESCAPE_RE = re.compile(r"\\(u[0-9A-Fa-f]{4}|.)", re.DOTALL)


def unquote(literal: str) -> str | None:
    """The text of a string literal (with its quotes); ``None`` when an escape is invalid."""
    body = literal[1:-1]
    if "\\" not in body:
        return body
    bad = False

    def one(match: re.Match[str]) -> str:
        nonlocal bad
        esc = match.group(1)
        if len(esc) == 5 and esc[0] == "u":
            return chr(int(esc[1:], 16))
        if esc in _UNESCAPES:
            return _UNESCAPES[esc]
        bad = True
        return esc

    out = _ESCAPE_RE.sub(one, body)
    return None if bad else out


def format_float(value: float) -> str:
    """A float literal that reads back as the same float and never as an integer."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = repr(value)
    if "." not in text and "e" not in text and "n" not in text:
        text += ".0"
    return text


def format_interval(interval: Interval) -> str:
    parts = []
    for part in Interval.PARTS:
        value = getattr(interval, part)
        if value is None:
            continue
        unit = INTERVAL_UNITS[part][0]
        if part in ("years", "months") and value != 1:
            unit = part
        parts.append(f"{value} {unit}")
    return " ".join(parts) if parts else "empty"


def format_datetime(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


__all__ = [
    "CALENDAR_FIELDS",
    "INTERVAL_UNITS",
    "MODALITIES",
    "MODALITY_NAMES",
    "NOTIFICATION_TYPES",
    "RESERVED",
    "TYPE_NAMES",
    "UNIT_TO_PART",
    "argument_name",
    "call_fields",
    "directive_names",
    "format_datetime",
    "format_float",
    "format_interval",
    "format_name",
    "function_names",
    "quote",
    "snake",
    "unquote",
]
