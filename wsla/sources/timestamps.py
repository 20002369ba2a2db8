"""Event timestamps → integer epoch nanoseconds (UTC).

A timestamp is either ISO 8601 with an offset, or a count of epoch seconds,
milliseconds, microseconds or nanoseconds, as the caller declares: wsla never guesses
the unit from the magnitude, and never guesses a time zone. A naive ISO timestamp is
an error unless a zone is named, which is then applied (DST-aware for IANA zones; in a
repeated hour the first occurrence is taken).

>>> parse_time("2025-01-01T00:00:00Z", TimeFormat.ISO)
1735689600000000000
>>> parse_time("1735689600000", TimeFormat.MS)
1735689600000000000
>>> parse_time("2025-01-01T01:00:00", TimeFormat.ISO, zone=parse_zone("+01:00"))
1735689600000000000
"""

from __future__ import annotations

import enum
import math
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation

__all__ = [
    "MAX_NS",
    "MIN_NS",
    "Nanoseconds",
    "TimeFormat",
    "TimestampError",
    "datetime_to_ns",
    "format_ns",
    "in_range",
    "parse_time",
    "parse_zone",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Instants are int64 epoch nanoseconds once read (the batch engine's arrays, Arrow):
# 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z.
MIN_NS = -(2**63)
MAX_NS = 2**63 - 1
_LIMIT = Decimal(2**63)


class TimeFormat(enum.StrEnum):
    """How a data file writes its timestamps."""

    ISO = "iso"
    S = "s"
    MS = "ms"
    US = "us"
    NS = "ns"

    @property
    def scale(self) -> int:
        """Nanoseconds per unit (1 for ISO, whose values carry their own resolution)."""
        return _SCALE[self]


_SCALE = {
    TimeFormat.ISO: 1,
    TimeFormat.S: 1_000_000_000,
    TimeFormat.MS: 1_000_000,
    TimeFormat.US: 1_000,
    TimeFormat.NS: 1,
}


class Nanoseconds(int):
    """An integer that already is epoch nanoseconds (a zoned timestamp column's value).

    :func:`parse_time` takes it as it is, whatever the declared format.
    """

    __slots__ = ()


class TimestampError(ValueError):
    """A timestamp that cannot be read; ``code`` is its ``M`` diagnostic code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ISO fractions finer than microseconds are split off before datetime.fromisoformat,
# which stops at six digits.
_FRACTION = re.compile(r"([T ]\d\d:\d\d(?::\d\d)?)[.,](\d+)")
_OFFSET = re.compile(r"^[+-]\d\d:?\d\d$")


def parse_zone(name: str) -> tzinfo:
    """An IANA zone (``Europe/Zurich``) or a fixed offset (``+01:00``, ``-0500``, ``Z``).

    Raises :class:`TimestampError` (M013) for anything else.
    """
    text = name.strip()
    if text in ("Z", "z", "UTC", "utc"):
        return UTC
    if _OFFSET.match(text):
        sign = -1 if text[0] == "-" else 1
        digits = text[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            raise TimestampError("M013", f"offset {name!r} is out of range")
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
        raise TimestampError(
            "M013", f"unknown time zone {name!r} (an IANA name or an offset such as +01:00)"
        ) from None


def datetime_to_ns(moment: datetime, zone: tzinfo | None = None, extra_ns: int = 0) -> int:
    """Epoch nanoseconds of ``moment``; a naive ``moment`` needs ``zone`` (else M003)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        if zone is None:
            raise TimestampError(
                "M003",
                f"timestamp {moment.isoformat()!r} has no UTC offset and no zone was given",
            )
        moment = moment.replace(tzinfo=zone)
    delta = moment - _EPOCH
    return (
        (delta.days * 86_400 + delta.seconds) * 1_000_000_000
        + delta.microseconds * 1_000
        + extra_ns
    )


def in_range(ns: int, raw: object) -> int:
    """``ns`` if it is an int64 nanosecond instant, else :class:`TimestampError` (M004).

    :func:`parse_time` converts any instant; the readers refuse those that the engines
    cannot represent with this check.
    """
    if MIN_NS <= ns <= MAX_NS:
        return ns
    shown = raw.isoformat() if isinstance(raw, datetime) else raw
    if isinstance(shown, str) and len(shown) > 40:
        shown = shown[:40] + "…"
    raise TimestampError(
        "M004",
        f"timestamp {shown!r} is out of range "
        "(1677-09-21T00:12:43Z to 2262-04-11T23:47:16Z, int64 nanoseconds)",
    )


def _parse_iso(text: str, zone: tzinfo | None) -> int:
    extra_ns = 0
    match = _FRACTION.search(text)
    if match is not None:
        digits = match.group(2)
        if len(digits) > 9:
            raise TimestampError("M004", f"timestamp {text!r} is finer than nanoseconds")
        nanos = int(digits.ljust(9, "0"))
        extra_ns = nanos % 1000
        micro = str(nanos // 1000).rjust(6, "0")
        text = f"{text[: match.start()]}{match.group(1)}.{micro}{text[match.end() :]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TimestampError(
            "M004", f"{text!r} is not an ISO 8601 timestamp (e.g. 2025-01-01T12:00:00Z)"
        ) from None
    return datetime_to_ns(moment, zone, extra_ns)


def _parse_epoch(raw: object, fmt: TimeFormat) -> int:
    scale = _SCALE[fmt]
    if isinstance(raw, bool):
        raise TimestampError("M004", f"{raw!r} is not an epoch timestamp")
    if isinstance(raw, int):
        return raw * scale
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise TimestampError("M004", f"{raw!r} is not an epoch timestamp")
        # The float's exact binary value, scaled exactly, then rounded to a nanosecond.
        return int((Decimal(raw) * scale).to_integral_value())
    if isinstance(raw, str):
        text = raw.strip()
        if text.isascii() and text.lstrip("-").isdigit() and len(text) < 40:
            return int(text) * scale
        try:
            number = Decimal(text) if len(text) < 80 else Decimal("NaN")
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise TimestampError(
                "M004", f"{raw!r} is not a count of epoch {fmt.value} (an integer or decimal)"
            )
        if number.copy_abs() > _LIMIT:  # before scaling: 1e999999999 overflows the context
            in_range(MAX_NS + 1, raw)
        return int((number * scale).to_integral_value())
    raise TimestampError("M004", f"{raw!r} is not an epoch timestamp")


def parse_time(raw: object, fmt: TimeFormat, zone: tzinfo | None = None) -> int:
    """Epoch nanoseconds (UTC) of ``raw`` (text, a number, or a ``datetime``).

    Raises :class:`TimestampError` with code M003 (naive, no zone) or M004 (unreadable).
    A ``datetime`` is accepted whatever ``fmt`` says: typed columns carry their own form.
    """
    if isinstance(raw, datetime):
        return datetime_to_ns(raw, zone)
    if type(raw) is Nanoseconds:
        return int(raw)
    if fmt is TimeFormat.ISO:
        if not isinstance(raw, str):
            raise TimestampError(
                "M004", f"{raw!r} is not an ISO 8601 timestamp (declare an epoch time-format?)"
            )
        return _parse_iso(raw.strip(), zone)
    return _parse_epoch(raw, fmt)


def format_ns(ns: int) -> str:
    """ISO 8601 in UTC with the shortest exact fraction (``2025-01-01T00:00:00.5Z``)."""
    seconds, nanos = divmod(ns, 1_000_000_000)
    moment = _EPOCH + timedelta(seconds=seconds)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if nanos:
        text += "." + str(nanos).rjust(9, "0").rstrip("0")
    return text + "Z"
