"""Reading ``.wsla`` text into the model, with coded diagnostics for every syntax error.

The reader only reports syntax and structure (codes ``D…``); undefined names, types and
units are the semantic checks' business, except where reading needs them: a comparison
value written with a unit is converted into its parameter's unit (``D013``, ``D033``,
``D034`` when it cannot be).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable

import pyparsing as pp

from wsla.codes import diagnostic
from wsla.diagnostics import Diagnostic
from wsla.dsl import vocabulary as vocab
from wsla.dsl.grammar import BLOCK_KEYWORDS, DslError, did_you_mean, grammar
from wsla.dsl.quantities import resolve_units
from wsla.dsl.source import Scan, Source, scan
from wsla.limits import DEFAULT_LIMITS, Limits
from wsla.model.span import Span
from wsla.model.spec import Spec
from wsla.model.types import Role

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d*)?")


def loads_dsl(
    text: str, path: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[Spec | None, list[Diagnostic]]:
    """Parse ``.wsla`` text. Returns the spec (``None`` on a syntax error) and diagnostics.

    Text over ``limits.max_dsl_bytes`` (UTF-8) is not parsed: ``L108``.

    >>> spec, diags = loads_dsl("sla Demo { provider P consumer C obligations }")
    >>> spec.parties.provider.name, diags
    ('P', [])
    """
    spec, diagnostics, _ = parse(text, path, limits=limits)
    return spec, diagnostics


def _too_large(text: str, path: str | None, cap: int) -> Diagnostic | None:
    # Characters are 1 to 4 UTF-8 bytes: encode only when the count alone cannot tell.
    if len(text) <= cap // 4 or (len(text) <= cap and len(text.encode("utf-8")) <= cap):
        return None
    return diagnostic(
        "L108",
        f"the .wsla text is larger than the limit of {cap:,} bytes (Limits.max_dsl_bytes)",
        Span(path, 1, 1),
        help="split the spec or write it as XML; raise the limit for a trusted file",
    )


def parse(
    text: str, path: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[Spec | None, list[Diagnostic], Scan]:
    """Like :func:`loads_dsl`, also returning the lexical scan (comments) of the text."""
    too_large = _too_large(text, path, limits.max_dsl_bytes)
    if too_large is not None:
        return None, [too_large], scan("")
    if text.startswith("\ufeff"):  # a byte-order mark is not a column
        text = text[1:]
    lexical = scan(text)
    source = Source(text, path)
    if lexical.unterminated_string is not None:
        at = lexical.unterminated_string
        quote = text[at]
        what = "string" if quote == '"' else "quoted name"
        what += f": this {quote} has no closing {quote} on its line"
        return (
            None,
            [
                _error(
                    source,
                    at,
                    at + 1,
                    "D002",
                    f"unterminated {what}",
                    f"close it with {quote} on the same line; write a line break "
                    "inside a string as \\n",
                )
            ],
            lexical,
        )
    if lexical.unterminated_comment is not None:
        at = lexical.unterminated_comment
        return (
            None,
            [_error(source, at, at + 2, "D003", "unterminated block comment", "close it with */")],
            lexical,
        )
    blanked = Source(lexical.blanked, path)
    if not lexical.blanked.strip():
        return (
            None,
            [
                _error(
                    source,
                    0,
                    0,
                    "D022",
                    "the file has no sla",
                    "a .wsla file holds one `sla NAME { … }`",
                )
            ],
            lexical,
        )
    # As in the XML reader: the parse allocates a model's worth of objects that stay
    # alive, and the cyclic GC would rescan them over and over (a fifth of the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = grammar().parse_string(blanked, parse_all=True)
    except DslError as exc:
        end = _token_end(text, exc.loc)
        return None, [_error(source, exc.loc, end, exc.code, exc.msg, exc.help)], lexical
    except pp.ParseBaseException as exc:
        return None, [_syntax_error(source, exc)], lexical
    except RecursionError:
        return (
            None,
            [
                _error(
                    source,
                    0,
                    0,
                    "D031",
                    "the spec nests too deeply to read",
                    "split deeply nested expressions into separate metrics",
                )
            ],
            lexical,
        )
    finally:
        if enabled:
            gc.enable()
    spec = result[0]
    assert isinstance(spec, Spec)
    spec, problems = resolve_units(spec)
    if problems:
        return None, problems, lexical
    return spec, [], lexical


def _error(  # noqa: PLR0917
    source: Source, start: int, end: int, code: str, message: str, help: str | None = None
) -> Diagnostic:
    return diagnostic(code, message, source.span(start, max(end, start + 1)), help=help)


_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[^\s,(){}\[\]]+')


def _token_end(text: str, loc: int) -> int:
    match = _TOKEN.match(text, loc, loc + 200)  # a caret line, not a megabyte of them
    if match:
        return match.end()
    return min(loc + 1, len(text))


def _found(text: str, loc: int) -> str:
    if loc >= len(text):
        return "end of file"
    match = _WORD.match(text, loc) or _NUMBER.match(text, loc)
    token = match.group() if match else text[loc]
    if len(token) > _QUOTE_LIMIT:
        token = token[:_QUOTE_LIMIT] + "…"
    return f"`{token}`"


_QUOTE_LIMIT = 40


def _candidates(expected: str) -> tuple[str, ...]:
    """Words that may stand where ``expected`` (an element name) was expected."""
    fixed: dict[str, Iterable[str]] = {
        "type": vocab.TYPE_NAMES,
        "role": (r.value for r in Role),
        "execution modality": vocab.MODALITIES,
        "interval unit": vocab.UNIT_TO_PART,
        "sla": ("sla",),
        "wsla document": ("sla",),
        "'on'": ("on",),
        "evaluation event (`on new value` or `on schedule NAME`)": ("on",),
        "period (`from … to …` or `calendar(…)`)": ("from", "calendar"),
    }
    if expected in fixed:
        return tuple(fixed[expected])
    quoted = re.fullmatch(r"'([a-z_]+)'", expected)
    if quoted:
        return (quoted.group(1),)
    return ()


_CLOSE = re.compile(r"'}' closing the (\w+) block")


def _syntax_error(source: Source, exc: pp.ParseBaseException) -> Diagnostic:
    text = str(source)
    loc = min(exc.loc, len(text))
    expected = exc.msg.removeprefix("Expected ").strip()
    found = _found(text, loc)
    word_match = _WORD.match(text, loc)
    word = word_match.group() if word_match else None
    end = _token_end(text, loc)

    if word is not None and word in vocab.RESERVED and _after_statement_keyword(text, loc):
        return _error(
            source,
            loc,
            end,
            "D028",
            f"`{word}` is a keyword, not a name",
            f"to use it as a name, put it in backticks: `{word}`",
        )
    close = _CLOSE.fullmatch(expected)
    if close:
        block = close.group(1)
        candidates = BLOCK_KEYWORDS.get(block, ())
        listing = ", ".join(f"`{k}`" for k in candidates)
        if loc >= len(text):
            return _error(
                source,
                loc,
                loc,
                "D004",
                f"missing `}}` to close the {block} block",
                "every `{` needs a matching `}`",
            )
        if word is not None and word not in candidates and _belongs_elsewhere(word):
            return _error(
                source,
                loc,
                end,
                "D004",
                f"missing `}}` to close the {block} block before `{word}`",
                f"`{word}` does not belong in a {block} block: close the block first",
            )
        if not word and text[loc] not in _PUNCTUATION:
            return _error(
                source,
                loc,
                end,
                "D019",
                f"unexpected character {found}",
                f"expected {listing} or `}}` in the {block} block",
            )
        if word is not None and word not in candidates:
            hint = did_you_mean(word, candidates)
            if hint is not None:
                return _error(
                    source, loc, end, "D005", f"unknown keyword `{word}` in the {block} block", hint
                )
        return _error(
            source,
            loc,
            end,
            "D001",
            f"expected {listing} or `}}` in the {block} block, found {found}",
        )
    if loc >= len(text):
        return _error(
            source,
            loc,
            loc,
            "D004",
            f"unexpected end of file: expected {expected}",
            "a block or parenthesis is not closed",
        )
    if expected == "end of file":
        return _error(
            source,
            loc,
            end,
            "D023",
            f"unexpected {found} after the end of the sla",
            "a file holds exactly one `sla { … }`; remove what follows it",
        )
    if word is not None and word in vocab.UNIT_TO_PART and expected in _INTERVALISH:
        return _error(
            source,
            loc,
            end,
            "D006",
            f"unit `{word}` without a number",
            f"write the count before the unit, e.g. `5 {word}`",
        )
    if word is not None and word in vocab.RESERVED and expected in _NAMEISH:
        return _error(
            source,
            loc,
            end,
            "D028",
            f"`{word}` is a keyword, not a name",
            f"to use it as a name, quote it in backticks: `\\`{word}\\``",
        )
    if expected == "interval unit":
        if word is None or word in vocab.RESERVED:
            return _error(
                source,
                loc,
                end,
                "D021",
                "number without a unit in an interval",
                "intervals name their unit, e.g. `5 min`",
            )
        return _error(
            source,
            loc,
            end,
            "D012",
            f"unknown interval unit `{word}`",
            did_you_mean(word, vocab.UNIT_TO_PART) or "units: years, months, d, h, min, s, ms",
        )
    candidates = _candidates(expected)
    if word is not None and candidates and word not in candidates:
        hint = did_you_mean(word, candidates)
        if hint is not None:
            return _error(
                source, loc, end, "D005", f"unknown keyword `{word}`: expected {expected}", hint
            )
    if not (word or _NUMBER.match(text, loc)) and text[loc] not in _PUNCTUATION:
        return _error(
            source, loc, end, "D019", f"unexpected character {found}", f"expected {expected}"
        )
    return _error(
        source, loc, end, "D001", f"expected {expected}, found {found}", _HELP.get(expected)
    )


_HELP = {
    "')'": "a parenthesis or bracket is not closed",
    "']'": "a parenthesis or bracket is not closed",
    "comparison operator": "compare with <, <=, ==, >= or >",
    "[names]": "write the list in brackets, e.g. `push [ZAuditing]` (`[]` for none)",
    "ISO 8601 date-time": "write a date and a time, e.g. 2001-11-30T14:00:00-05:00",
    "number": "a comparison value is a number, with or without a unit, e.g. "
    "`ResponseTime < 0.5` or `ResponseTime < 500 ms`",
    "'when'": "a guarantee reads `when EXPRESSION`, then `do …` lines, then `modality …`",
    "'modality'": "end the guarantee with `modality always` (or on_entering, "
    "on_entering_and_leaving, on_every_evaluation)",
    "'by'": "a metric names the party that measures or computes it: `metric M by Party = …`",
}


_NAMED_STATEMENTS = frozenset(
    (
        "sla",
        "provider",
        "consumer",
        "supporting",
        "service",
        "operation",
        "group",
        "hosting",
        "schedule",
        "trigger",
        "const",
        "macro",
        "expand",
        "assign",
        "parameter",
        "metric",
        "slo",
        "guarantee",
        "obligations",
        "action",
    )
)
_PREVIOUS_WORD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t\r\n]+\Z")


def _after_statement_keyword(text: str, loc: int) -> bool:
    """True when the word at ``loc`` stands where a statement's optional name would be."""
    match = _PREVIOUS_WORD.search(text, max(0, loc - 40), loc)
    return match is not None and match.group(1) in _NAMED_STATEMENTS


def _belongs_elsewhere(word: str) -> bool:
    return any(word in words for words in BLOCK_KEYWORDS.values())


_PUNCTUATION = '{}()[],.:=<>+-*/"`%'
_INTERVALISH = ("interval", "interval unit", "integer")
_NAMEISH = ("name", "identifier", "metric name", "operand", "unit")


def _expects_interval(element: pp.ParserElement | None) -> bool:
    return element is not None and element.name in ("interval", "interval unit", "integer")


def first_error(diagnostics: Iterable[Diagnostic]) -> Diagnostic | None:
    return next(iter(diagnostics), None)


__all__ = ["loads_dsl", "parse"]
