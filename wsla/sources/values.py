"""Measurement values from cells: numbers, booleans and (from typed sources) strings."""

from __future__ import annotations

import math

__all__ = ["ValueProblem", "parse_value", "text_value", "typed_value"]

Value = int | float | bool | str

_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_BOOLS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_INF = float("inf")


class ValueProblem(ValueError):
    """A value that is not a measurement; ``code`` is M005 (bad) or M006 (not finite)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _from_text(text: str) -> Value:
    stripped = text.strip()
    if stripped in _TRUE:
        return True
    if stripped in _FALSE:
        return False
    body = stripped[1:] if stripped[:1] in "+-" else stripped
    if body.isascii() and body.isdigit():
        try:
            return int(stripped)
        except ValueError:  # more digits than Python converts
            raise ValueProblem("M005", f"{text[:40]!r}… has too many digits") from None
    # float() also reads "1_0", "nan" and "infinity"; only plain decimal forms are values.
    if "_" not in stripped and stripped and not body[:1].isalpha():
        try:
            number = float(stripped)
        except ValueError:
            pass
        else:
            if not math.isfinite(number):
                raise ValueProblem("M006", f"value {text!r} is not a finite number")
            return number
    if body.lower() in ("nan", "inf", "infinity"):
        raise ValueProblem("M006", f"value {text!r} is not a finite number")
    shown = repr(text) if text else "an empty cell"
    raise ValueProblem("M005", f"{shown} is not a number, true or false")


def parse_value(raw: object, *, text_is_typed: bool = False) -> Value:
    """A measurement value from a cell.

    ``raw`` is text (CSV, where numbers and ``true``/``false`` are read from it) or a
    typed value (JSON, Parquet, Python). Typed strings are string values only when
    ``text_is_typed`` (JSON Lines, where ``"42"`` and ``42`` differ); NaN and infinities
    are refused (M006), anything else that is not a measurement too (M005).
    """
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueProblem("M006", f"value {raw!r} is not a finite number")
        return raw
    if isinstance(raw, str):
        if text_is_typed:
            if not raw:
                raise ValueProblem("M005", "an empty string is not a measurement value")
            return raw
        return _from_text(raw)
    if raw is None:
        raise ValueProblem("M005", "the value is missing (null)")
    # Decimal, numpy scalars and the like: numbers that know how to become floats.
    try:
        number = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueProblem("M005", f"{raw!r} is not a number, true or false") from None
    if not math.isfinite(number):
        raise ValueProblem("M006", f"value {raw!r} is not a finite number")
    return number


def text_value(text: object) -> Value:
    """:func:`parse_value` for a text cell, with a fast path for plain numbers.

    Only what the fast path cannot vouch for goes the long way (which also words the
    problem): text with letters, underscores, spaces or nothing at all.
    """
    if type(text) is not str:
        return parse_value(text)
    flag = _BOOLS.get(text)
    if flag is not None:
        return flag
    if text.isdigit() and text.isascii():
        try:
            return int(text)
        except ValueError:
            return _from_text(text)
    try:
        number = float(text)
    except ValueError:
        return _from_text(text)
    # float() also takes "-1" (an int), "1_0", " 1", "nan" and "inf": the long way
    # decides those
    if number - number != 0 or "_" in text or number.is_integer() or text[-1] <= " ":
        return _from_text(text)
    return number


def typed_value(raw: object) -> Value:
    """:func:`parse_value` for typed cells (JSON, Parquet, Python)."""
    if isinstance(raw, float):
        if raw - raw != 0:  # NaN or infinite
            raise ValueProblem("M006", f"value {raw!r} is not a finite number")
        return raw
    if isinstance(raw, int):
        return raw
    return parse_value(raw, text_is_typed=True)
