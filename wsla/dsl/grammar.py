"""The pyparsing grammar of ``.wsla`` files; its parse actions build model objects.

:func:`grammar` builds the parser once (cached). Every element is named, keywords are
followed by error stops (``-``) so that an error is reported where the text goes wrong,
and every node gets a :class:`~wsla.model.span.Span` through ``Located``. Structural
problems found while building nodes (a duplicate provider, an unknown function, a
missing argument) raise :class:`DslError`, which stops the parse with a code.

The statements and expressions that make up most of a spec (metrics, parameters,
schedules, SLOs, arithmetic and logical expressions) are first tried by plain readers
over regular expressions (:class:`Fast`) that build the same nodes with the same spans;
whatever they do not know, and every error, is read again by the grammar element they
wrap, so results and diagnostics are the grammar's (``tests/test_dsl_fast.py``).

The normative grammar is ``grammar/wsla.ebnf``; ``docs/dsl.md`` explains it.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from types import MappingProxyType
from typing import Any, cast

import pyparsing as pp

from wsla.dsl import vocabulary as vocab
from wsla.dsl.quantities import BARE_UNIT_PATTERN
from wsla.dsl.source import span_at
from wsla.model import (
    ActionGuarantee,
    ActionInvocation,
    And,
    CalendarPeriod,
    Communication,
    Constant,
    ConstantRef,
    Contact,
    DirectiveAssignment,
    DirectiveVariable,
    Divide,
    Equal,
    FalsePredicate,
    FloatScalar,
    Function,
    GetPostActionDescription,
    Greater,
    GreaterEqual,
    Implies,
    Interval,
    Less,
    LessEqual,
    LongScalar,
    MeasurementDirective,
    Metric,
    MetricMacroDefinition,
    MetricMacroExpansion,
    MetricRef,
    MetricType,
    Minus,
    NewValuePredicate,
    Not,
    Notification,
    ObligationGroup,
    Obligations,
    OnNewValue,
    OnSchedule,
    Operation,
    OperationGroup,
    Or,
    Parties,
    Plus,
    QualifiedAction,
    Role,
    Schedule,
    ServiceConsumer,
    ServiceDefinition,
    ServiceLevelObjective,
    ServiceProvider,
    SLAParameter,
    SoapActionDescription,
    SoapOperation,
    Spec,
    StringOperation,
    StringScalar,
    SupportingParty,
    TimePeriod,
    Times,
    Trigger,
    TruePredicate,
    ViolationPredicate,
    WebHosting,
)
from wsla.model.obligations import UnitLiteral
from wsla.model.span import Span

# --- structural errors raised by parse actions ----------------------------------------


class DslError(pp.ParseSyntaxException):
    """A coded error found while building a node; stops the whole parse."""

    def __init__(
        self, text: str, loc: int, code: str, message: str, help: str | None = None
    ) -> None:
        super().__init__(text, loc, message)
        self.code = code
        self.help = help
        self.end = loc
        # With packrat on (matplotlib's mathtext enables it process-wide), pyparsing
        # caches `type(e)(*e.args)` and raises that copy on a cache hit.
        self.args = (text, loc, code, message, help)  # type: ignore[assignment]


def _fail(text: str, span_start: int, code: str, message: str, help: str | None = None) -> DslError:
    return DslError(text, span_start, code, message, help)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


BLOCK_KEYWORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "sla": ("provider", "consumer", "supporting", "service", "obligations"),
        "party": ("contact", "action"),
        "service": (
            "schedule",
            "trigger",
            "const",
            "macro",
            "expand",
            "parameter",
            "metric",
            "operation",
            "group",
            "hosting",
        ),
        "operation": ("schedule", "trigger", "const", "macro", "expand", "parameter", "metric"),
        "group": (
            "schedule",
            "trigger",
            "const",
            "macro",
            "expand",
            "parameter",
            "metric",
            "operation",
            "slo",
            "guarantee",
        ),
        "hosting": ("schedule", "trigger", "const", "macro", "expand", "parameter", "metric"),
        "macro": ("metric",),
        "expand": ("assign",),
        "obligations": ("const", "slo", "guarantee", "group"),
        "slo": ("valid",),
        "guarantee": ("do", "modality"),
    }
)
"""What each block accepts (for "did you mean" when a statement is misspelled)."""


class Close(pp.Literal):
    """The ``}`` closing a block, knowing which statements the block accepts."""

    def __new__(cls, block: str, keywords: Sequence[str]) -> Close:
        return object.__new__(cls)

    def __init__(self, block: str, keywords: Sequence[str]) -> None:
        super().__init__("}")
        self.block = block
        self.keywords = tuple(keywords)
        self.set_name(f"'}}' closing the {block} block")


class Words(pp.Regex):
    """A regex token over a fixed vocabulary; the words feed "did you mean"."""

    def __init__(
        self, words: Iterable[str], name: str, meaning: Callable[[str], Any] | None = None
    ) -> None:
        self.words = tuple(sorted(set(words), key=lambda w: (-len(w), w)))
        super().__init__("(?:" + "|".join(self.words) + r")(?![A-Za-z0-9_])")
        self.set_name(name)
        self.meaning = meaning

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        match = self.re.match(instring, loc)
        if match is None:
            raise pp.ParseException(instring, loc, self.errmsg, self)
        word = match.group()
        value = self.meaning(word) if self.meaning is not None and do_actions else word
        return match.end(), [value]


_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CALL_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\s*\(")


def _word_at(s: str, loc: int) -> str:
    match = _WORD_RE.match(s, loc)
    return match.group() if match else ""


def _operand_at(s: str, loc: int) -> str:
    """Which kind of operand starts at ``loc``: decides the branch without trying all."""
    if loc >= len(s):
        return ""
    ch = s[loc]
    if ch.isdigit() or ch in "+-.":
        return "number"
    if ch == '"':
        return "string"
    if ch == "(":
        return "paren"
    if ch == "`":
        return "name"
    word = _word_at(s, loc)
    if word == "const":
        return "const"
    if word in ("inf", "nan"):
        return "number"
    if _CALL_RE.match(s, loc):
        return "call"
    return "name" if word else ""


_SIMPLE_NAME = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*|`(?:[^`\\\n]|\\.)*`)[ \t\r\n]*[,)]")
_SIMPLE_NUMBER = re.compile(r"[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?[ \t\r\n]*[,)]")


def _argument_at(s: str, loc: int) -> str:
    """The kind of a call argument's value; a lone name or number (the common case) is
    read directly instead of through the whole operator chain."""
    if loc >= len(s):
        return ""
    ch = s[loc]
    if ch == "[":
        return "names"
    if _SIMPLE_NUMBER.match(s, loc):
        return "number"
    if ch.isdigit() or _word_at(s, loc) == "empty":
        return "maybe interval"
    if _SIMPLE_NAME.match(s, loc) and _word_at(s, loc) not in vocab.RESERVED:
        return "name"
    return ""


class Argument(pp.ParseElementEnhance):
    """One call argument, ``key=value`` or a positional ``value``, as an :class:`Arg`."""

    _key = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t\r\n]*=(?!=)")

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        start = loc
        key = None
        match = self._key.match(instring, loc)
        if match is not None:
            key = match.group(1)
            loc = match.end()
        loc, tokens = self.expr._parse(instring, loc, do_actions)
        if not do_actions:
            return loc, tokens
        end = loc
        while end > start and instring[end - 1] in " \t\r\n":
            end -= 1
        return loc, [Arg(key, tokens[0], start, end)]


def _predicate_at(s: str, loc: int) -> str:
    return "(" if s.startswith("(", loc) else _word_at(s, loc)


class Dispatch(pp.ParseExpression):
    """A choice that looks at the text to pick its one alternative instead of trying each
    in turn (pyparsing's MatchFirst pays for an exception per failed alternative)."""

    def __init__(
        self,
        choices: dict[str, pp.ParserElement],
        key: Callable[[str, int], str],
        default: pp.ParserElement | None = None,
    ) -> None:
        alternatives = list(choices.values()) + ([default] if default is not None else [])
        super().__init__(alternatives)
        self.choices = choices
        self.key = key
        self.default = default
        self._may_return_empty = False
        self.mayIndexError = False
        # ParseExpression leaves whitespace to its children; the key must see the token
        self.callPreparse = True

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        chosen = self.choices.get(self.key(instring, loc), self.default)
        if chosen is None:
            raise pp.ParseException(instring, loc, self.errmsg, self)
        return chosen._parse(instring, loc, do_actions)

    def _generateDefaultName(self) -> str:
        return " | ".join(str(e) for e in self.exprs)


# --- small internal token types --------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a call: ``key=value`` or a positional ``value``."""

    key: str | None
    value: Any
    start: int
    end: int


@dataclasses.dataclass(frozen=True, slots=True)
class NameList:
    """A bracketed list of names as an argument value (``[A, B]``)."""

    names: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Clause:
    """A tagged part of a statement (``counter true``, ``uri "…"``, ``valid …``)."""

    tag: str
    value: Any
    start: int


class Node(pp.Located):
    """``Located`` that hands the match straight to a builder of a model node.

    Same locations as ``Located`` (start after leading whitespace, end after the match,
    trailing whitespace trimmed), but the node is built here rather than through a
    results dictionary and a parse action, which halves the cost per node.
    """

    def __init__(self, expr: pp.ParserElement, build: Callable[[str, int, int, Any], Any]) -> None:
        super().__init__(expr)
        self.build = build

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        end, tokens = self.expr._parse(instring, loc, do_actions, callPreParse=False)
        if not do_actions:
            return end, tokens
        stop = end
        # an optional part that did not match leaves the end after the whitespace
        while stop > loc and instring[stop - 1] in " \t\r\n":
            stop -= 1
        return end, [self.build(instring, loc, stop, tokens)]


def _loc(expr: pp.ParserElement, build: Callable[[str, int, int, Any], Any]) -> pp.ParserElement:
    """A :class:`Node` building ``build(text, start, end, tokens)`` from ``expr``'s match."""
    return Node(expr, build)


_SPACE = "[ \t\r\n]*"
_TYPE_PATTERN = "(?:" + "|".join(vocab.TYPE_NAMES) + ")(?![A-Za-z0-9_])"
_AS_TYPE = re.compile(_SPACE + "as(?![A-Za-z0-9_])" + _SPACE + "(" + _TYPE_PATTERN + ")?")


class Chain(pp.ParseElementEnhance):
    """``operand (operator operand)*`` folded into one node by ``fold(text, items)``.

    Operators are matched with one regular expression in a loop instead of a
    ``ZeroOrMore`` of alternatives, which keeps long expressions cheap. After an
    operator an operand is required (an error stop).
    """

    def __init__(
        self,
        operand: pp.ParserElement,
        operators: Sequence[str],
        fold: Callable[[str, list[Any]], Any],
        *,
        words: bool = False,
    ) -> None:
        super().__init__(operand)
        self.operators = tuple(operators)
        pattern = "|".join(re.escape(o) for o in sorted(operators, key=len, reverse=True))
        if words:
            pattern = f"(?:{pattern})(?![A-Za-z0-9_])"
        self.op_re = re.compile(_SPACE + "(" + pattern + ")")
        self.fold = fold

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        loc, items = _chain(self.expr, instring, loc, do_actions, self.op_re, keep=True)
        if not do_actions or len(items) == 1:
            return loc, items
        return loc, [self.fold(instring, items)]


def _chain(
    expr: pp.ParserElement,
    instring: str,
    loc: int,
    do_actions: bool,
    separator: re.Pattern[str],
    *,
    keep: bool,
) -> tuple[int, list[Any]]:
    """``item (separator item)*`` read in one loop; an item is required after a
    separator (error stop). ``keep`` puts the separator's group 1 between the items."""
    loc, first = expr._parse(instring, loc, do_actions, callPreParse=False)
    items = list(first)
    match = separator.match(instring, loc)
    while match is not None:
        try:
            loc, more = expr._parse(instring, match.end(), do_actions)
        except pp.ParseSyntaxException:
            raise
        except pp.ParseBaseException as exc:
            raise pp.ParseSyntaxException._from_exception(exc) from None
        if keep:
            items.append(match.group(1))
        items.extend(more)
        match = separator.match(instring, loc)
    return loc, items


class _Bail(Exception):
    """The fast expression reader met something it leaves to the grammar."""


_NUMBER_PATTERN = (
    r"[+-]?(?:(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)(?![0-9_.])"
    r"|(?:inf|nan)(?![A-Za-z0-9_]))"
)
_NUMBER_RE = re.compile(_NUMBER_PATTERN)
_SKIP = re.compile(_SPACE)
_STRING_PATTERN = r'"(?:[^"\\\n]|\\.)*"'
_STRING_RE = re.compile(_STRING_PATTERN)
_SUM_OP = re.compile(_SPACE + r"([+-])")
_TERM_OP = re.compile(_SPACE + r"([*/])")


class Fast(pp.ParseElementEnhance):
    """An element first read by a plain reader over regular expressions (``read``)
    that builds the model node directly; anything that reader does not know (a typed
    operand, an interval or list argument, a constant, quoted names, any error) is read
    again by the wrapped grammar element, so that results and error reports are
    exactly the grammar's while the common case skips pyparsing's per-element cost.
    A reader accepts only text the grammar accepts, and ends where the grammar ends.
    """

    def __init__(self, expr: pp.ParserElement, read: Callable[[str, int], tuple[int, Any]]) -> None:
        super().__init__(expr)
        self.read = read
        self.set_name(expr.name)

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        if do_actions:
            try:
                end, node = self.read(instring, loc)
            except (_Bail, DslError):
                pass
            else:
                return end, [node]
        return self.expr._parse(instring, loc, do_actions, callPreParse=False)


def _fast_chain(
    s: str,
    loc: int,
    operand: Callable[[str, int], tuple[int, Any]],
    operator: re.Pattern[str],
    fold: Callable[[str, list[Any]], Any],
) -> tuple[int, Any]:
    """``operand (operator operand)*`` from ``loc``, folded as the grammar's ``Chain``
    folds it; ``operator``'s group 1 is the operator as written."""
    loc, node = operand(s, loc)
    match = operator.match(s, loc)
    if match is None:
        return loc, node
    items = [node]
    while match is not None:
        loc, right = operand(s, _after_space(s, match.end()))
        items += (match.group(1), right)
        match = operator.match(s, loc)
    return loc, fold(s, items)


def _fast_sum(s: str, loc: int) -> tuple[int, Any]:
    return _fast_chain(s, loc, _fast_term, _SUM_OP, _fold_arith)


def _fast_term(s: str, loc: int) -> tuple[int, Any]:
    return _fast_chain(s, loc, _fast_typed, _TERM_OP, _fold_arith)


def _after_space(s: str, loc: int) -> int:
    match = _SKIP.match(s, loc)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _fast_typed(s: str, loc: int) -> tuple[int, Any]:
    loc, node = _fast_atom(s, loc, _operand_at(s, loc))
    if _AS_TYPE.match(s, loc) is not None:
        raise _Bail
    return loc, node


def _fast_atom(s: str, loc: int, kind: str) -> tuple[int, Any]:
    if kind == "number":
        match = _NUMBER_RE.match(s, loc)
        if match is None:
            raise _Bail
        end = match.end()
        value = _to_number(s, loc, match.group())
        if isinstance(value, int):
            return end, LongScalar(value=value, span=span_at(s, loc, end))
        return end, FloatScalar(value=value, span=span_at(s, loc, end))
    if kind == "name":
        match = _WORD_RE.match(s, loc)
        if match is None or match.group() in vocab.RESERVED:
            raise _Bail
        end = match.end()
        return end, MetricRef(name=match.group(), span=span_at(s, loc, end))
    if kind == "call":
        match = _WORD_RE.match(s, loc)
        assert match is not None  # _operand_at saw a word and a parenthesis
        end, args = _fast_args(s, _after_space(s, match.end()))
        return end, _make_call(s, loc, end, match.group(), args)
    if kind == "string":
        match = _STRING_RE.match(s, loc)
        if match is None:
            raise _Bail
        end = match.end()
        return end, StringScalar(value=_to_string(s, loc, match.group()), span=span_at(s, loc, end))
    if kind == "paren":
        end, node = _fast_sum(s, _after_space(s, loc + 1))
        end = _after_space(s, end)
        if not s.startswith(")", end):
            raise _Bail
        return end + 1, node
    raise _Bail


def _fast_args(s: str, loc: int) -> tuple[int, list[Arg]]:
    if not s.startswith("(", loc):
        raise _Bail
    loc = _after_space(s, loc + 1)
    args: list[Arg] = []
    if s.startswith(")", loc):
        return loc + 1, args
    while True:
        loc = _fast_argument(s, loc, args)
        loc = _after_space(s, loc)
        if s.startswith(",", loc):
            loc = _after_space(s, loc + 1)
        elif s.startswith(")", loc):
            return loc + 1, args
        else:
            raise _Bail


def _fast_argument(s: str, loc: int, args: list[Arg]) -> int:
    start = loc
    key = None
    match = Argument._key.match(s, loc)
    if match is not None:
        key = match.group(1)
        loc = _after_space(s, match.end())
    kind = _argument_at(s, loc)
    if kind == "number" or (kind == "name" and s[loc] != "`"):
        end, value = _fast_atom(s, loc, kind)
        if _AS_TYPE.match(s, end) is not None:
            raise _Bail
    elif kind == "":
        end, value = _fast_sum(s, loc)
    else:
        raise _Bail
    args.append(Arg(key, value, start, end))
    return end


_S = "[ \t\r\n]"
_B = "(?![A-Za-z0-9_])"
_ID = vocab.IDENT_PATTERN + _B
_TYPES = "(?:" + "|".join(sorted(vocab.TYPE_NAMES, key=len, reverse=True)) + ")" + _B
_DECLARED = (
    rf"(?P<name>{_ID})(?:{_S}*:{_S}*(?P<type>{_TYPES}))?"
    rf"(?:{_S}+in{_S}+(?:(?P<unit>{_ID})|(?P<unit_string>{_STRING_PATTERN})))?"
)
_METRIC_HEAD = re.compile(
    rf"metric{_S}+{_DECLARED}"
    rf"(?:{_S}+counter{_S}+(?P<counter>true|false){_B})?"
    rf"{_S}+by{_S}+(?P<source>{_ID})"
    rf"(?:{_S}+uri{_S}+(?P<uri>{_STRING_PATTERN}))?"
    rf"{_S}*={_S}*"
)
_NAMES = rf"{_ID}(?:{_S}*,{_S}*{_ID})*"
_PARAMETER = re.compile(
    rf"parameter{_S}+{_DECLARED}{_S}*={_S}*(?P<metric>{_ID})"
    rf"(?:{_S}+(?P<communication>source{_S}+(?P<source>{_ID})"
    rf"(?P<pulls>{_S}+pull{_S}*\[{_S}*(?P<pull>{_NAMES})?{_S}*\])?"
    rf"(?P<pushes>{_S}+push{_S}*\[{_S}*(?P<push>{_NAMES})?{_S}*\])?))?"
)
_PARAMETER_MORE = re.compile(rf"{_S}*(?:(?:source|pull|push){_B}|\[)")
_DIRECTIVE_HEAD = re.compile(rf"measure{_S}+({vocab.IDENT_PATTERN}){_S}*")
_COMMA = re.compile(rf"{_S}*,{_S}*")


def _names_in(match: re.Match[str], clause: str, names: str) -> tuple[str, ...] | None:
    if match[clause] is None:
        return None
    text = match[names]
    return () if text is None else tuple(_COMMA.split(text))


def _checked(*names: str | None) -> None:
    """A reserved word where the grammar wants a name is the grammar's error to report."""
    for name in names:
        if name is not None and name in vocab.RESERVED:
            raise _Bail


def _declared(s: str, match: re.Match[str]) -> dict[str, Any]:
    _checked(match["name"], match["unit"])
    unit_string = match["unit_string"]
    type_name = match["type"]
    return {
        "name": match["name"],
        "type": None if type_name is None else vocab.TYPE_NAMES[type_name],
        "unit": (
            match["unit"]
            if unit_string is None
            else _to_string(s, match.start("unit_string"), unit_string)
        ),
    }


def _fast_metric(s: str, loc: int) -> tuple[int, Metric]:
    match = _METRIC_HEAD.match(s, loc)
    if match is None:
        raise _Bail
    _checked(match["source"])
    fields = _declared(s, match)
    uri = match["uri"]
    counter = match["counter"]
    start = match.end()
    word = _word_at(s, start)
    definition: Any
    if word == "measure":
        end, definition = _fast_directive(s, start)
    elif word == "hole":
        end = start + 4
        definition = DirectiveVariable(span=span_at(s, start, end))
    else:
        end, definition = _fast_sum(s, start)
    return end, _make_metric(
        s,
        loc,
        end,
        **fields,
        counter=counter,
        source=match["source"],
        uri=None if uri is None else _to_string(s, match.start("uri"), uri),
        definition=definition,
    )


def _fast_directive(s: str, loc: int) -> tuple[int, MeasurementDirective]:
    match = _DIRECTIVE_HEAD.match(s, loc)
    if match is None:
        raise _Bail
    end, args = _fast_args(s, match.end())
    if _AS_TYPE.match(s, end) is not None:
        raise _Bail
    return end, _make_directive(s, loc, end, match.group(1), args, result=None)


def _fast_parameter(s: str, loc: int) -> tuple[int, SLAParameter]:
    match = _PARAMETER.match(s, loc)
    if match is None:
        raise _Bail
    end = match.end()
    # an optional part the pattern did not take must not start here either
    if _PARAMETER_MORE.match(s, end) is not None:
        raise _Bail
    _checked(match["metric"], match["source"])
    names = (match["pull"] or "") + "," + (match["push"] or "")
    _checked(*_COMMA.split(names))
    communication = None
    if match["communication"] is not None:
        communication = Communication(
            source=match["source"],
            pull=_names_in(match, "pulls", "pull"),
            push=_names_in(match, "pushes", "push"),
            span=span_at(s, match.start("communication"), end),
        )
    return end, SLAParameter(
        **_declared(s, match),
        metric=match["metric"],
        communication=communication,
        span=span_at(s, loc, end),
    )


_IMPLIES = re.compile(rf"{_S}*(implies){_B}")
_OR = re.compile(rf"{_S}*(or){_B}")
_AND = re.compile(rf"{_S}*(and){_B}")
_COMPARE_OP = re.compile(rf"{_S}*(==|>=|<=|>|<){_S}*")
_UNIT_AHEAD = re.compile(rf"{_S}*(?:(?:{BARE_UNIT_PATTERN})|(?:{_STRING_PATTERN}))")
_BARE_UNIT = re.compile(BARE_UNIT_PATTERN)


def _fast_implies(s: str, loc: int) -> tuple[int, Any]:
    return _fast_chain(s, loc, _fast_or, _IMPLIES, _fold_implies)


def _fast_or(s: str, loc: int) -> tuple[int, Any]:
    return _fast_chain(s, loc, _fast_and, _OR, _fold_logic(Or))


def _fast_and(s: str, loc: int) -> tuple[int, Any]:
    return _fast_chain(s, loc, _fast_not, _AND, _fold_logic(And))


def _fast_not(s: str, loc: int) -> tuple[int, Any]:
    word = _predicate_at(s, loc)
    if word == "not":
        end, operand = _fast_not(s, _after_space(s, loc + 3))
        return end, Not(operand=operand, span=span_at(s, loc, end))
    if word == "(":
        end, node = _fast_implies(s, _after_space(s, loc + 1))
        end = _after_space(s, end)
        if not s.startswith(")", end):
            raise _Bail
        return end + 1, node
    if word == "true":
        return loc + 4, TruePredicate(span=span_at(s, loc, loc + 4))
    if word == "false":
        return loc + 5, FalsePredicate(span=span_at(s, loc, loc + 5))
    if word in ("new", "violation") or word in vocab.RESERVED or not word:
        raise _Bail
    return _fast_comparison(s, loc, word)


def _fast_comparison(s: str, loc: int, name: str) -> tuple[int, Any]:
    op = _COMPARE_OP.match(s, loc + len(name))
    if op is None:
        raise _Bail
    number = _NUMBER_RE.match(s, op.end())
    if number is None:
        raise _Bail
    end = number.end()
    value = _to_number(s, number.start(), number.group())
    toks: list[Any] = [name, op.group(1), Written(number.group(), value, number.start(), end)]
    if _UNIT_AHEAD.match(s, end) is not None:
        start = _after_space(s, end)
        bare = _BARE_UNIT.match(s, start)
        if bare is not None:
            end = bare.end()
            toks.append(Written(bare.group(), bare.group(), start, end))
        else:
            quoted = _STRING_RE.match(s, start)
            if quoted is None:
                raise _Bail
            end = quoted.end()
            toks.append(Written(quoted.group(), _to_string(s, start, quoted.group()), start, end))
    return end, _build_comparison(s, loc, end, toks)


_DATETIME_PATTERN = (
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?"
    r"(?![A-Za-z0-9_:.])"
)
_UNIT_WORDS = "|".join(sorted(vocab.UNIT_TO_PART, key=lambda w: (-len(w), w)))
_INTERVAL_PART = re.compile(rf"{_S}*(\d+)(?![0-9_.]){_S}*({_UNIT_WORDS}){_B}")
_PERIOD = re.compile(
    rf"from{_S}+(?P<start>{_DATETIME_PATTERN}){_S}+to{_S}+(?P<end>{_DATETIME_PATTERN})"
)
_SCHEDULE_HEAD = re.compile(rf"schedule{_S}+(?P<name>{_ID}){_S}+(?P<every>every){_S}+")
_SLO_HEAD = re.compile(
    rf"slo{_S}+(?P<name>{_ID}){_S}+obliged{_S}+(?P<obliged>{_ID}){_S}+"
    rf"(?P<evaluation>on{_S}+(?:new{_S}+value{_B}|schedule{_S}+(?P<schedule>{_ID})))"
    rf"{_S}*\{{"
)
_VALID = re.compile(rf"valid{_S}+")


def _fast_interval(s: str, loc: int) -> tuple[int, Interval]:
    """The interval's span starts where the grammar's does: at ``loc``, the end of the
    keyword before it (a ``Located`` around a sequence does not skip whitespace first)."""
    match = _INTERVAL_PART.match(s, loc)
    if match is None:
        raise _Bail
    items: list[Any] = []
    end = loc
    while match is not None:
        items += (_to_int(s, match.start(1), match.group(1)), match.group(2))
        end = match.end()
        match = _INTERVAL_PART.match(s, end)
    return end, _build_interval(s, loc, end, items)


def _fast_period(s: str, loc: int) -> tuple[int, TimePeriod]:
    match = _PERIOD.match(s, loc)
    if match is None:
        raise _Bail
    end = match.end()
    return end, TimePeriod(
        start=_to_datetime(s, match.start("start"), match["start"]),
        end=_to_datetime(s, match.start("end"), match["end"]),
        span=span_at(s, loc, end),
    )


def _fast_schedule(s: str, loc: int) -> tuple[int, Schedule]:
    match = _SCHEDULE_HEAD.match(s, loc)
    if match is None:
        raise _Bail
    _checked(match["name"])
    end, interval = _fast_interval(s, match.end("every"))
    end, period = _fast_period(s, _after_space(s, end))
    return end, Schedule(
        name=match["name"], interval=interval, period=period, span=span_at(s, loc, end)
    )


def _fast_slo(s: str, loc: int) -> tuple[int, ServiceLevelObjective]:
    match = _SLO_HEAD.match(s, loc)
    if match is None:
        raise _Bail
    _checked(match["name"], match["obliged"], match["schedule"])
    schedule = match["schedule"]
    span = span_at(s, match.start("evaluation"), match.end("evaluation"))
    evaluation = (
        OnNewValue(span=span) if schedule is None else OnSchedule(schedule=schedule, span=span)
    )
    at = _after_space(s, match.end())
    validity = []
    while _word_at(s, at) == "valid":
        valid = _VALID.match(s, at)
        if valid is None:
            raise _Bail
        at, period = _fast_period(s, valid.end())
        validity.append(period)
        at = _after_space(s, at)
    at, expression = _fast_implies(s, at)
    at = _after_space(s, at)
    if not s.startswith("}", at):
        raise _Bail
    return at + 1, ServiceLevelObjective(
        name=match["name"],
        obliged=match["obliged"],
        evaluation=evaluation,
        validity=tuple(validity),
        expression=expression,
        span=span_at(s, loc, at + 1),
    )


class Typed(pp.ParseElementEnhance):
    """An operand optionally followed by ``as TYPE`` (the result type of a function)."""

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        loc, tokens = self.expr._parse(instring, loc, do_actions, callPreParse=False)
        match = _AS_TYPE.match(instring, loc)
        if match is None:
            return loc, tokens
        if match.group(1) is None:
            raise pp.ParseSyntaxException(instring, match.end(), "Expected type", self)
        if not do_actions:
            return match.end(), tokens
        node = tokens[0]
        if not isinstance(node, Function | MeasurementDirective):
            raise _fail(
                instring,
                _start_of(instring, node, loc),
                "D016",
                "only a function's result can have a type",
                "`as TYPE` follows a call or a parenthesised arithmetic expression",
            )
        typed = dataclasses.replace(node, result_type=vocab.TYPE_NAMES[match.group(1)])
        return match.end(), [typed]


class Sym(pp.Literal):
    """Punctuation that leaves no token (one element instead of ``Suppress(Literal)``)."""

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        if instring.startswith(self.match, loc):
            return loc + self.matchLen, []
        raise pp.ParseException(instring, loc, self.errmsg, self)


class Separated(pp.ParseElementEnhance):
    """``item ("," item)*``: a comma-separated list read in one loop (error stop after a
    comma), cheaper than ``DelimitedList``'s nested elements."""

    _comma = re.compile(_SPACE + ",")

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        return _chain(self.expr, instring, loc, do_actions, self._comma, keep=False)


class Statements(pp.ParseElementEnhance):
    """The statements of the sla block; stops at the second provider, consumer or
    obligations block (D007) instead of reading on to the end of the file first."""

    _unique = (
        (ServiceProvider, "provider"),
        (ServiceConsumer, "consumer"),
        (Obligations, "obligations block"),
    )

    def __init__(self, expr: pp.ParserElement) -> None:
        super().__init__(expr)
        self._may_return_empty = True

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        items: list[Any] = []
        seen: set[str] = set()
        parse = self.expr._parse
        while True:
            try:
                next_loc, tokens = parse(instring, loc, do_actions)
            except pp.ParseException:
                return loc, items
            if do_actions:
                for cls, what in self._unique:
                    if isinstance(tokens[0], cls):
                        if what in seen:
                            raise _duplicate(
                                instring, _start_of(instring, tokens[0], loc), what, "an sla"
                            )
                        seen.add(what)
            items.extend(tokens)
            loc = next_loc


class Token(pp.Regex):
    """A regular-expression token converted to its value in place (no parse action,
    whose calling convention costs more than the match itself)."""

    def __init__(self, pattern: str, convert: Callable[[str, int, str], Any], name: str) -> None:
        super().__init__(pattern)
        self.convert = convert
        self.set_name(name)

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        match = self.re.match(instring, loc)
        if match is None:
            raise pp.ParseException(instring, loc, self.errmsg, self)
        text = match.group()
        return match.end(), [self.convert(instring, loc, text) if do_actions else text]


class When(pp.ParseElementEnhance):
    """``Opt(expr)`` that first looks at the text: when ``expr`` cannot start here it
    matches nothing without trying (and without the cost of a failed attempt)."""

    def __init__(self, lookahead: str, expr: pp.ParserElement) -> None:
        super().__init__(expr)
        self.lookahead = re.compile(lookahead)
        self._may_return_empty = True
        self.callPreparse = True

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        if self.lookahead.match(instring, loc) is None:
            return loc, []
        return self.expr._parse(instring, loc, do_actions, callPreParse=False)


def _lookahead(element: pp.ParserElement, depth: int = 0) -> str | None:
    """A regular expression that matches wherever ``element`` can start (None: unknown)."""
    if depth > 8:
        return None
    if isinstance(element, pp.Keyword):
        return re.escape(element.match) + "(?![A-Za-z0-9_])"
    if isinstance(element, pp.Literal):
        return re.escape(element.match)
    if isinstance(element, pp.Regex):
        return f"(?:{element.pattern})"
    if isinstance(element, pp.MatchFirst):
        parts = [_lookahead(e, depth + 1) for e in element.exprs]
        if any(p is None for p in parts):
            return None
        return "|".join(f"(?:{p})" for p in parts if p is not None)
    if isinstance(element, pp.And):
        return _lookahead(element.exprs[0], depth + 1) if element.exprs else None
    inner = getattr(element, "expr", None)
    if isinstance(element, pp.ParseElementEnhance) and not isinstance(element, pp.Opt):
        return _lookahead(inner, depth + 1) if isinstance(inner, pp.ParserElement) else None
    return None


def opt(expr: pp.ParserElement) -> pp.ParserElement:
    """An optional part: a :class:`When` when its start can be recognised, else ``Opt``."""
    pattern = _lookahead(expr)
    if pattern is None:
        return pp.Opt(expr)
    return When(pattern, expr).set_name(f"[{expr.name}]")


class Kw(pp.Keyword):
    """A keyword that leaves no token (one element instead of ``Suppress(Keyword)``)."""

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> Any:
        end, _ = super().parseImpl(instring, loc, do_actions)
        return end, []


def _get(toks: pp.ParseResults, name: str, default: Any = None) -> Any:
    return toks.get(name, default)  # type: ignore[no-untyped-call]


def _one(toks: pp.ParseResults, name: str, default: Any = None) -> Any:
    value = _get(toks, name, default)
    if isinstance(value, pp.ParseResults):
        return value[0] if len(value) else default
    return value


# --- literals -------------------------------------------------------------------------


def _to_number(s: str, loc: int, text: str) -> int | float:
    if text in ("inf", "+inf"):
        return math.inf
    if text == "-inf":
        return -math.inf
    if text in ("nan", "-nan", "+nan"):
        return math.nan
    if "." in text or "e" in text or "E" in text:
        return float(text)
    return _to_int(s, loc, text)


_MAX_DIGITS = 4000


def _to_int(s: str, loc: int, text: str) -> int:
    # Python refuses to convert integers of more than 4300 digits (a DoS guard)
    if len(text.lstrip("+-")) > _MAX_DIGITS:
        raise _fail(
            s,
            loc,
            "D032",
            f"integer literal with {len(text)} digits is too long",
            "WSLA integers are xs:long or xs:integer values; use a float for huge numbers",
        )
    return int(text)


def _to_float(s: str, loc: int, value: float) -> float:
    try:
        return float(value)
    except OverflowError:
        # an integer of up to 4000 digits is read, but a double ends near 1.8e308
        raise _fail(
            s,
            loc,
            "D032",
            f"integer literal with {len(str(value))} digits is too large for a number",
            "numbers here are doubles (at most about 1.8e308)",
        ) from None


def _to_string(s: str, loc: int, text: str) -> str:
    value = vocab.unquote(text)
    if value is None:
        raise _fail(
            s,
            loc,
            "D030",
            "invalid escape in string literal",
            'the escapes are \\\\ \\" \\n \\t \\r \\/ and \\uXXXX',
        )
    return value


def _to_name(s: str, loc: int, text: str) -> str:
    return _to_string(s, loc, text) if text.startswith("`") else text


def _to_datetime(s: str, loc: int, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(
            s,
            loc,
            "D014",
            f"`{text}` is not a valid ISO 8601 date and time",
            "write YYYY-MM-DDThh:mm:ss with an offset, e.g. 2001-11-30T14:00:00-05:00",
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _build_interval(s: str, start: int, end: int, toks: Sequence[Any]) -> Interval:
    parts: dict[str, int] = {}
    items = list(toks)
    if items == ["empty"]:
        return Interval(span=span_at(s, start, end))
    for value, unit in zip(items[0::2], items[1::2], strict=True):
        part = vocab.UNIT_TO_PART[unit]
        if part in parts:
            raise _fail(
                s,
                start,
                "D020",
                f"interval has two `{part}` parts",
                "write each unit once, e.g. `1 h 30 min`",
            )
        parts[part] = value
    return Interval(**parts, span=span_at(s, start, end))


# --- calls: functions, directives and the fixed-argument forms ------------------------

_KIND_TEXT = {
    "string": "a string",
    "name": "a name",
    "int": "an integer",
    "float": "a number",
    "input": "a metric name or a function",
    "operand": "an operand",
    "interval": "an interval such as `5 min`",
    "names": "a list of names in brackets",
    "notification": "`Violation` or `Information`",
}


def _field_kind(field: dataclasses.Field[object], family: str) -> str:
    annotation = str(field.type).replace(" ", "")
    base = annotation.removesuffix("|None")
    if base == "Input":
        return "input"
    if base == "Operand":
        return "operand"
    if base == "int":
        return "int"
    if base == "float":
        return "float"
    if base == "Interval":
        return "interval"
    if base == "str":
        if family == "directive" and field.name != "reading_schedule":
            return "string"
        return "name"
    raise TypeError(f"no DSL form for field {field.name}: {annotation}")


def call_signature(cls: type[Any], family: str) -> tuple[tuple[str, str, str, bool], ...]:
    """``(dsl keyword, field name, kind, required)`` for each argument of ``cls``.

    A primary field (``input``/``operand``) has the keyword ``""``: it is positional.
    """
    return _signature(cast(Any, cls), family)


@cache
def _signature(cls: Any, family: str) -> tuple[tuple[str, str, str, bool], ...]:
    """``(dsl keyword, field name, kind, required)`` for each argument of ``cls``.

    A primary field (``input``/``operand``) has the keyword ``""``: it is positional.
    """
    out = []
    # the reading schedule (a base-class field) reads best after the directive's own
    fields = sorted(vocab.call_fields(cls), key=lambda f: f.name == "reading_schedule")
    for f in fields:
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        key = "" if f.name in vocab.PRIMARY_FIELDS else vocab.argument_name(f.name)
        out.append((key, f.name, _field_kind(f, family), required))
    return tuple(out)


def _convert(s: str, arg: Arg, kind: str, what: str) -> Any:
    value = arg.value
    ok: Any = _NOTHING
    if kind == "string" and isinstance(value, StringScalar):
        ok = value.value
    elif kind == "name" and isinstance(value, MetricRef):
        ok = value.name
    elif kind == "int" and isinstance(value, LongScalar):
        ok = value.value
    elif kind == "float" and isinstance(value, LongScalar | FloatScalar):
        ok = _to_float(s, arg.start, value.value)
    elif (
        (kind == "input" and isinstance(value, MetricRef | Function))
        or (kind == "operand" and not isinstance(value, Interval | NameList))
        or (kind == "interval" and isinstance(value, Interval))
    ):
        ok = value
    elif kind == "names" and isinstance(value, NameList):
        ok = value.names
    elif kind == "notification" and isinstance(value, MetricRef):
        found = vocab.NOTIFICATION_TYPES.get(value.name)
        if found is None:
            raise _fail(
                s,
                arg.start,
                "D029",
                f"unknown notification type `{value.name}`",
                did_you_mean(value.name, vocab.NOTIFICATION_TYPES)
                or "use `Violation` or `Information`",
            )
        ok = found
    if ok is _NOTHING:
        which = f"argument `{arg.key}` of {what}" if arg.key else f"the input of {what}"
        raise _fail(s, arg.start, "D026", f"{which} takes {_KIND_TEXT[kind]}")
    return ok


_NOTHING = object()


def _bind(
    s: str,
    start: int,
    args: Sequence[Arg],
    signature: Sequence[tuple[str, str, str, bool]],
    what: str,
) -> dict[str, Any]:
    """Match ``args`` to ``signature``; model field name → converted value."""
    by_key = {key: (name, kind) for key, name, kind, _ in signature}
    out: dict[str, Any] = {}
    seen: set[str] = set()
    for index, arg in enumerate(args):
        key = arg.key
        if key is None:
            if index != 0 or "" not in by_key:
                raise _fail(
                    s,
                    arg.start,
                    "D025",
                    f"{what} takes no positional argument here",
                    "name the argument: `key=value`",
                )
            key = ""
        if key not in by_key:
            keys = [k for k in by_key if k]
            raise _fail(
                s,
                arg.start,
                "D025",
                f"{what} has no argument `{key}`",
                did_you_mean(key, keys)
                or ("its arguments are: " + ", ".join(keys) if keys else "it takes none"),
            )
        if key in seen:
            raise _fail(s, arg.start, "D025", f"argument `{key or 'input'}` given twice")
        seen.add(key)
        name, kind = by_key[key]
        out[name] = _convert(s, arg, kind, what)
    for key, name, _kind, required in signature:
        if required and name not in out:
            shown = f"`{key}=…`" if key else "its input as first argument"
            raise _fail(s, start, "D024", f"{what} is missing {shown}")
    return out


def _build_call(s: str, start: int, end: int, toks: pp.ParseResults) -> Function:
    return _make_call(s, start, end, toks[0], list(toks[1:]))


def _make_call(s: str, start: int, end: int, fname: str, args: list[Arg]) -> Function:
    cls = vocab.function_names().get(fname)
    if cls is None:
        raise _fail(
            s,
            start,
            "D009",
            f"unknown function `{fname}`",
            did_you_mean(fname, vocab.function_names())
            or "see docs/dsl.md for the functions; + - * / are written infix",
        )
    values = _bind(s, start, args, call_signature(cls, "function"), f"`{fname}`")
    return cls(**values, span=span_at(s, start, end))


def _build_directive(s: str, start: int, end: int, toks: pp.ParseResults) -> MeasurementDirective:
    args: list[Arg] = [t for t in toks[1:] if isinstance(t, Arg)]
    result = [t for t in toks[1:] if isinstance(t, MetricType)]
    return _make_directive(s, start, end, toks[0], args, result=result[0] if result else None)


def _make_directive(
    s: str, start: int, end: int, dname: str, args: list[Arg], *, result: MetricType | None
) -> MeasurementDirective:
    cls = vocab.directive_names().get(dname)
    if cls is None:
        raise _fail(
            s,
            start,
            "D010",
            f"unknown measurement directive `{dname}`",
            did_you_mean(dname, vocab.directive_names())
            or "directives: " + ", ".join(vocab.directive_names()),
        )
    values = _bind(s, start, args, call_signature(cls, "directive"), f"`{dname}`")
    return cls(**values, result_type=result, span=span_at(s, start, end))


_SOAP_SIGNATURE = (
    ("wsdl", "wsdl_file", "string", True),
    ("service", "service_name", "string", False),
    ("binding", "soap_binding_name", "string", True),
    ("operation", "soap_operation_name", "string", True),
)
_GETPOST_SIGNATURE = (
    ("service", "service_name", "string", False),
    ("address", "address", "string", True),
)
_CONTACT_SIGNATURE = (
    ("street", "street", "string", True),
    ("city", "city", "string", True),
)
_CALENDAR_SIGNATURE = tuple((key, name, "string", True) for key, name in vocab.CALENDAR_FIELDS)
_NOTIFICATION_SIGNATURE = (
    ("type", "notification_type", "notification", True),
    ("cause", "causing_guarantee", "name", True),
    ("parameters", "parameters", "names", True),
)


def _fixed_call(
    signature: Sequence[tuple[str, str, str, bool]], what: str
) -> Callable[[str, int, int, pp.ParseResults], Clause]:
    def build(s: str, start: int, end: int, toks: pp.ParseResults) -> Clause:
        return Clause(what, _bind(s, start, list(toks[1:]), signature, f"`{what}`"), start)

    return build


# --- arithmetic and logic ----------------------------------------------------------------

_ARITH = {"+": Plus, "-": Minus, "*": Times, "/": Divide}
_COMPARE = {">": Greater, "<": Less, "==": Equal, ">=": GreaterEqual, "<=": LessEqual}


def _joined(s: str, left: Any, right: Any) -> Span | None:
    if left.span is None or right.span is None:
        return None
    return Span(
        left.span.path, left.span.line, left.span.column, right.span.end_line, right.span.end_column
    )


def _fold_arith(s: str, items: list[Any]) -> Any:
    """``a op b op c`` → left-associative Plus/Minus/Times/Divide nodes."""
    node = items[0]
    for op, right in zip(items[1::2], items[2::2], strict=True):
        node = _ARITH[op](left=node, right=right, span=_joined(s, node, right))
    return node


def _fold_logic(cls: type[And] | type[Or]) -> Callable[[str, list[Any]], Any]:
    def fold(s: str, items: list[Any]) -> Any:
        node = items[0]
        for right in items[2::2]:
            node = cls(left=node, right=right, span=_joined(s, node, right))
        return node

    return fold


def _fold_implies(s: str, items: list[Any]) -> Any:
    """``a implies b implies c`` is ``a implies (b implies c)``."""
    operands = items[0::2]
    node = operands[-1]
    for left in reversed(operands[:-1]):
        node = Implies(left=left, right=node, span=_joined(s, left, node))
    return node


@dataclasses.dataclass(frozen=True, slots=True)
class Written:
    """A comparison value's number as written, or its unit, with offsets."""

    text: str
    value: Any
    start: int
    end: int


def _build_comparison(s: str, start: int, end: int, toks: Sequence[Any]) -> Any:
    parameter, op, number = toks[0], toks[1], toks[2]
    written = None
    if len(toks) > 3:
        # converted into the parameter's unit once the whole spec is read (quantities)
        unit = toks[3]
        written = UnitLiteral(
            number=number.text,
            unit=" ".join(unit.value.split()),
            span=span_at(s, number.start, unit.end),
        )
    return _COMPARE[op](
        parameter=parameter,
        value=_to_float(s, number.start, number.value),
        written=written,
        span=span_at(s, start, end),
    )


# --- statements ------------------------------------------------------------------------


def _names(toks: pp.ParseResults, key: str) -> tuple[str, ...]:
    value = _get(toks, key)
    if value is None:
        return ()
    return tuple(value)


def _opt_names(toks: pp.ParseResults, key: str) -> tuple[str, ...] | None:
    if key not in toks:
        return None
    return tuple(toks[key])


def _duplicate(s: str, loc: int, what: str, where: str) -> DslError:
    return _fail(
        s,
        loc,
        "D007",
        f"duplicate {what} in {where}",
        f"{where} has one {what}; merge the two or remove one",
    )


def _build_party(cls: type[Any]) -> Callable[[str, int, int, pp.ParseResults], Any]:
    def build(s: str, start: int, end: int, toks: pp.ParseResults) -> Any:
        contact = None
        actions = []
        for item in _get(toks, "body", []):
            if isinstance(item, Contact):
                if contact is not None:
                    raise _duplicate(s, _start_of(s, item, start), "contact", "a party")
                contact = item
            else:
                actions.append(item)
        extra: dict[str, Any] = {}
        if cls is SupportingParty:
            extra = {
                "sponsors": _names(toks, "sponsors"),
                "roles": tuple(_get(toks, "roles", ())),
            }
        return cls(
            name=_one(toks, "name"),
            contact=contact,
            actions=tuple(actions),
            span=span_at(s, start, end),
            **extra,
        )

    return build


def _start_of(s: str, node: Any, default: int) -> int:
    """Offset of ``node``'s span in ``s`` (for pointing an error at it)."""
    span = getattr(node, "span", None)
    if span is None:
        return default
    lines = s.split("\n", span.line - 1)
    offset: int = sum(len(line) + 1 for line in lines[: span.line - 1])
    return offset + int(span.column) - 1


def _build_action(s: str, start: int, end: int, toks: pp.ParseResults) -> Any:
    call: Clause = _one(toks, "call")
    common = {
        "name": _one(toks, "name"),
        "party_name": _one(toks, "by"),
        "span": span_at(s, start, end),
    }
    if call.tag == "soap":
        return SoapActionDescription(**call.value, **common)
    return GetPostActionDescription(**call.value, **common)


def _build_contact(s: str, start: int, end: int, toks: pp.ParseResults) -> Contact:
    clause: Clause = toks[0]
    return Contact(**clause.value, span=span_at(s, start, end))


_BUCKETS: tuple[tuple[type, str], ...] = (
    (Schedule, "schedules"),
    (Trigger, "triggers"),
    (Constant, "constants"),
    (MetricMacroDefinition, "macro_definitions"),
    (MetricMacroExpansion, "macro_expansions"),
    (SLAParameter, "parameters"),
    (Metric, "metrics"),
    (Operation, "operations"),
    (OperationGroup, "operation_groups"),
    (WebHosting, "web_hostings"),
)


def _bucket(items: Iterable[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item in items:
        for cls, field in _BUCKETS:
            if isinstance(item, cls):
                out.setdefault(field, []).append(item)
                break
    return out


def _service_object(cls: type[Any]) -> Callable[[str, int, int, pp.ParseResults], Any]:
    def build(s: str, start: int, end: int, toks: pp.ParseResults) -> Any:
        fields = {k: tuple(v) for k, v in _bucket(_get(toks, "body", [])).items()}
        extra: dict[str, Any] = {}
        kind: Clause | None = _one(toks, "kind")
        target = cls
        if kind is not None and kind.tag == "soap":
            target = SoapOperation
            extra = dict(kind.value)
        elif kind is not None and kind.tag == "described":
            target = StringOperation
            extra = {"description": kind.value}
        if cls is WebHosting:
            extra = {"coverage": tuple(_get(toks, "covers", ()))}
        return target(name=_one(toks, "name"), **fields, **extra, span=span_at(s, start, end))

    return build


def _build_schedule(s: str, start: int, end: int, toks: pp.ParseResults) -> Schedule:
    return Schedule(
        name=_one(toks, "name"),
        interval=_one(toks, "interval"),
        period=_one(toks, "period"),
        span=span_at(s, start, end),
    )


def _build_time_period(s: str, start: int, end: int, toks: pp.ParseResults) -> TimePeriod:
    return TimePeriod(start=toks[0], end=toks[1], span=span_at(s, start, end))


def _build_calendar(s: str, start: int, end: int, toks: pp.ParseResults) -> CalendarPeriod:
    clause = _fixed_call(_CALENDAR_SIGNATURE, "calendar")(s, start, end, toks)
    return CalendarPeriod(**clause.value, span=span_at(s, start, end))


def _build_trigger(s: str, start: int, end: int, toks: pp.ParseResults) -> Trigger:
    return Trigger(name=_one(toks, "name"), time=_one(toks, "time"), span=span_at(s, start, end))


def _build_constant(s: str, start: int, end: int, toks: pp.ParseResults) -> Constant:
    return Constant(name=_one(toks, "name"), value=_one(toks, "value"), span=span_at(s, start, end))


def _build_macro(s: str, start: int, end: int, toks: pp.ParseResults) -> MetricMacroDefinition:
    return MetricMacroDefinition(
        name=_one(toks, "name"),
        metrics=tuple(_get(toks, "body", ())),
        span=span_at(s, start, end),
    )


def _build_expansion(s: str, start: int, end: int, toks: pp.ParseResults) -> MetricMacroExpansion:
    return MetricMacroExpansion(
        macro_name=_one(toks, "name"),
        expansion_name=_one(toks, "as"),
        assignments=tuple(_get(toks, "body", ())),
        span=span_at(s, start, end),
    )


def _build_assignment(s: str, start: int, end: int, toks: pp.ParseResults) -> DirectiveAssignment:
    return DirectiveAssignment(
        metric_name=_one(toks, "name"),
        directive=_one(toks, "directive"),
        span=span_at(s, start, end),
    )


def _build_communication(s: str, start: int, end: int, toks: pp.ParseResults) -> Communication:
    return Communication(
        source=_one(toks, "source"),
        pull=_opt_names(toks, "pull"),
        push=_opt_names(toks, "push"),
        span=span_at(s, start, end),
    )


def _build_parameter(s: str, start: int, end: int, toks: pp.ParseResults) -> SLAParameter:
    return SLAParameter(
        name=_one(toks, "name"),
        type=_one(toks, "type"),
        unit=_one(toks, "unit"),
        metric=_one(toks, "metric"),
        communication=_one(toks, "communication"),
        span=span_at(s, start, end),
    )


def _build_metric(s: str, start: int, end: int, toks: pp.ParseResults) -> Metric:
    return _make_metric(
        s,
        start,
        end,
        name=_one(toks, "name"),
        type=_one(toks, "type"),
        unit=_one(toks, "unit"),
        counter=_one(toks, "counter"),
        source=_one(toks, "source"),
        uri=_one(toks, "uri"),
        definition=_one(toks, "definition"),
    )


def _make_metric(
    s: str,
    start: int,
    end: int,
    *,
    name: str | None,
    type: MetricType | None,
    unit: str | None,
    counter: str | None,
    source: str,
    uri: str | None,
    definition: Any,
) -> Metric:
    if not isinstance(definition, Function | MeasurementDirective | DirectiveVariable):
        what = "a metric name" if isinstance(definition, MetricRef) else "a literal"
        raise _fail(
            s,
            _start_of(s, definition, start),
            "D015",
            f"a metric is defined by a function, a directive or `hole`, not by {what}",
            'compute it (`= mean(RTs)`), measure it (`= measure gauge(uri="…")`) '
            "or leave a hole for a macro (`= hole`)",
        )
    return Metric(
        name=name,
        type=type,
        unit=unit,
        counter=None if counter is None else counter == "true",
        source=source,
        metric_uri=uri,
        definition=definition,
        span=span_at(s, start, end),
    )


def _build_evaluation(s: str, start: int, end: int, toks: pp.ParseResults) -> Any:
    span = span_at(s, start, end)
    if "schedule" in toks:
        return OnSchedule(schedule=_one(toks, "schedule"), span=span)
    return OnNewValue(span=span)


def _build_slo(s: str, start: int, end: int, toks: pp.ParseResults) -> ServiceLevelObjective:
    return ServiceLevelObjective(
        name=_one(toks, "name"),
        obliged=_one(toks, "obliged"),
        evaluation=_one(toks, "evaluation"),
        validity=tuple(_get(toks, "valid", ())),
        expression=_one(toks, "expression"),
        span=span_at(s, start, end),
    )


def _build_qualified(s: str, start: int, end: int, toks: pp.ParseResults) -> QualifiedAction:
    span = span_at(s, start, end)
    action_name = _one(toks, "action")
    action: ActionInvocation | Notification
    if "args" in toks:
        args = list(_get(toks, "args", []))
        values = _bind(s, start, args, _NOTIFICATION_SIGNATURE, "a notification")
        action = Notification(action_name=action_name, **values, span=span)
    else:
        action = ActionInvocation(action_name=action_name, span=span)
    return QualifiedAction(party=_one(toks, "party"), action=action, span=span)


def _build_guarantee(s: str, start: int, end: int, toks: pp.ParseResults) -> ActionGuarantee:
    return ActionGuarantee(
        name=_one(toks, "name"),
        obliged=_names(toks, "obliged"),
        evaluation=_one(toks, "evaluation"),
        expression=_one(toks, "expression"),
        actions=tuple(_get(toks, "do", ())),
        modality=_one(toks, "modality"),
        span=span_at(s, start, end),
    )


def _obligation_fields(items: Iterable[Any]) -> dict[str, Any]:
    constants, slos, guarantees, groups = [], [], [], []
    for item in items:
        if isinstance(item, Constant):
            constants.append(item)
        elif isinstance(item, ServiceLevelObjective):
            slos.append(item)
        elif isinstance(item, ActionGuarantee):
            guarantees.append(item)
        else:
            groups.append(item)
    out: dict[str, Any] = {
        "constants": tuple(constants),
        "slos": tuple(slos),
        "guarantees": tuple(guarantees),
    }
    if groups:
        out["groups"] = tuple(groups)
    return out


def _build_group(s: str, start: int, end: int, toks: pp.ParseResults) -> ObligationGroup:
    return ObligationGroup(
        name=_one(toks, "name"),
        **_obligation_fields(_get(toks, "body", ())),
        span=span_at(s, start, end),
    )


def _build_obligations(s: str, start: int, end: int, toks: pp.ParseResults) -> Obligations:
    return Obligations(
        name=_one(toks, "name"),
        **_obligation_fields(_get(toks, "body", ())),
        span=span_at(s, start, end),
    )


def _build_spec(s: str, start: int, end: int, toks: pp.ParseResults) -> Spec:
    provider = consumer = obligations = None
    supporting = []
    services = []
    header = span_at(s, start, start + 3)
    for item in _get(toks, "body", ()):
        if isinstance(item, ServiceProvider):
            if provider is not None:
                raise _duplicate(s, _start_of(s, item, start), "provider", "an sla")
            provider = item
        elif isinstance(item, ServiceConsumer):
            if consumer is not None:
                raise _duplicate(s, _start_of(s, item, start), "consumer", "an sla")
            consumer = item
        elif isinstance(item, SupportingParty):
            supporting.append(item)
        elif isinstance(item, ServiceDefinition):
            services.append(item)
        elif isinstance(item, Obligations):
            if obligations is not None:
                raise _duplicate(s, _start_of(s, item, start), "obligations block", "an sla")
            obligations = item
    for what, found, example in (
        ("provider", provider, "provider ACME"),
        ("consumer", consumer, "consumer XInc"),
        ("obligations block", obligations, "obligations { … }"),
    ):
        if found is None:
            raise _fail(
                s,
                start,
                "D008",
                f"the sla has no {what}",
                f"every sla needs exactly one {what}: add `{example}`",
            )
    assert provider is not None
    assert consumer is not None
    assert obligations is not None
    parties_span = provider.span if provider.span is not None else header
    return Spec(
        name=_one(toks, "name"),
        parties=Parties(
            provider=provider, consumer=consumer, supporting=tuple(supporting), span=parties_span
        ),
        service_definitions=tuple(services),
        obligations=obligations,
        span=span_at(s, start, end),
    )


# --- the grammar ---------------------------------------------------------------------


def keyword(word: str) -> pp.ParserElement:
    return pp.Keyword(word).set_name(f"'{word}'")


def skw(word: str) -> pp.ParserElement:
    """A keyword that leaves no token."""
    return Kw(word).set_name(f"'{word}'")


def symbol(text: str) -> pp.ParserElement:
    """Punctuation that leaves no token."""
    return Sym(text).set_name(f"'{text}'")


@cache
def grammar() -> pp.ParserElement:
    """The parser of a whole ``.wsla`` file (built once; call ``parse_string(text,
    parse_all=True)`` on it). Its results hold one :class:`~wsla.model.Spec`."""
    kw = keyword
    lbrace = symbol("{")
    lparen, rparen = symbol("("), symbol(")")
    lbrack, rbrack = symbol("["), symbol("]")
    equals, colon, dot = symbol("="), symbol(":"), symbol(".")

    # tokens
    reserved = "|".join(sorted(vocab.RESERVED, key=lambda w: (-len(w), w)))
    ident = pp.Regex(rf"(?!(?:{reserved})(?![A-Za-z0-9_])){vocab.IDENT_PATTERN}")
    ident.set_name("identifier")
    string = Token(_STRING_PATTERN, _to_string, "string")
    quoted_name = r"`(?:[^`\\\n]|\\.)*`"
    name = Token(f"{ident.re.pattern}|{quoted_name}", _to_name, "name")
    name_list = Separated(name).set_name("names")
    bracket_names = pp.Group(lbrack - pp.Opt(name_list) - rbrack).set_name("[names]")
    number = Token(_NUMBER_PATTERN, _to_number, "number")
    integer = Token(r"\d+(?![0-9_.])", _to_int, "integer")
    datetime_ = Token(_DATETIME_PATTERN, _to_datetime, "ISO 8601 date-time")
    unit_word = Words(vocab.UNIT_TO_PART, "interval unit")
    interval_parts = (kw("empty") | pp.OneOrMore(integer + unit_word)).set_name("interval")
    interval = _loc(interval_parts, _build_interval).set_name("interval")
    type_name = Words(vocab.TYPE_NAMES, "type", vocab.TYPE_NAMES.__getitem__)
    role = Words((r.value for r in Role), "role", Role)
    modality = Words(vocab.MODALITIES, "execution modality", vocab.MODALITIES.__getitem__)
    unit = (ident | string).set_name("unit")

    # arithmetic
    arith = pp.Forward()
    arith.set_name("arithmetic expression")
    names_value = pp.Group(lbrack - pp.Opt(name_list) - rbrack).add_parse_action(
        lambda t: NameList(tuple(t[0]))
    )
    arg_value = pp.Forward()
    arg_value.set_name("argument value")

    word = pp.Regex(vocab.IDENT_PATTERN).set_name("function name")
    arg = Argument(arg_value).set_name("argument")
    args = (lparen - pp.Opt(Separated(arg).set_name("arguments")) - rparen).set_name("arguments")

    call = _loc(word - args, _build_call).set_name("function call")
    const_ref = _loc(
        skw("const") - name,
        lambda s, a, b, t: ConstantRef(name=t[0], span=span_at(s, a, b)),
    ).set_name("constant reference")
    number_operand = _loc(
        number,
        lambda s, a, b, t: (
            LongScalar(value=t[0], span=span_at(s, a, b))
            if isinstance(t[0], int)
            else FloatScalar(value=t[0], span=span_at(s, a, b))
        ),
    ).set_name("number")
    string_operand = _loc(
        string, lambda s, a, b, t: StringScalar(value=t[0], span=span_at(s, a, b))
    ).set_name("string")
    metric_ref = _loc(
        name, lambda s, a, b, t: MetricRef(name=t[0], span=span_at(s, a, b))
    ).set_name("metric name")
    arg_value <<= Dispatch(
        {
            "names": names_value,
            "number": Typed(number_operand).set_name("number"),
            "name": Typed(metric_ref).set_name("name"),
            "maybe interval": interval | arith,
        },
        _argument_at,
        default=arith,
    ).set_name("argument value")
    paren_arith = (lparen - arith - rparen).set_name("parenthesised expression")
    atom = Dispatch(
        {
            "number": number_operand,
            "string": string_operand,
            "const": const_ref,
            "call": call,
            "paren": paren_arith,
            "name": metric_ref,
        },
        _operand_at,
    ).set_name("operand")
    typed_atom = Typed(atom).set_name("operand")
    term = Chain(typed_atom, ("*", "/"), _fold_arith).set_name("term")
    term.set_name("term")
    arith <<= Fast(Chain(term, ("+", "-"), _fold_arith).set_name("sum"), _fast_sum)
    arith.set_name("arithmetic expression")

    # calls with fixed arguments
    soap = _loc(kw("soap") + args, _fixed_call(_SOAP_SIGNATURE, "soap")).set_name("soap(…)")
    getpost = _loc(kw("getpost") + args, _fixed_call(_GETPOST_SIGNATURE, "getpost")).set_name(
        "getpost(…)"
    )
    calendar = _loc(kw("calendar") + args, _build_calendar).set_name("calendar(…)")
    time_period = _loc(
        skw("from") - datetime_ - skw("to") - datetime_, _build_time_period
    ).set_name("period")
    period = (time_period | calendar).set_name("period (`from … to …` or `calendar(…)`)")

    # logic
    expression = pp.Forward()
    expression.set_name("expression")
    compared_number = _loc(number, lambda s, a, b, t: Written(s[a:b], t[0], a, b)).set_name(
        "number"
    )
    value_unit = _loc(
        pp.Regex(BARE_UNIT_PATTERN).set_name("unit") | string,
        lambda s, a, b, t: Written(s[a:b], t[0], a, b),
    ).set_name("unit")
    comparison = _loc(
        name
        + pp.one_of("== >= <= > <").set_name("comparison operator")
        - compared_number
        - opt(value_unit),
        _build_comparison,
    ).set_name("comparison")
    true_ = _loc(kw("true"), lambda s, a, b, t: TruePredicate(span=span_at(s, a, b))).set_name(
        "'true'"
    )
    false_ = _loc(kw("false"), lambda s, a, b, t: FalsePredicate(span=span_at(s, a, b))).set_name(
        "'false'"
    )
    new_value = _loc(
        skw("new") - skw("value") - lparen - pp.Opt(name_list) - rparen,
        lambda s, a, b, t: NewValuePredicate(parameters=tuple(t), span=span_at(s, a, b)),
    ).set_name("new value(…)")
    violation = _loc(
        skw("violation") - lparen - name - rparen,
        lambda s, a, b, t: ViolationPredicate(slo=t[0], span=span_at(s, a, b)),
    ).set_name("violation(…)")
    paren_expr = (lparen - expression - rparen).set_name("parenthesised expression")
    primary = Dispatch(
        {
            "true": true_,
            "false": false_,
            "new": new_value,
            "violation": violation,
            "(": paren_expr,
        },
        _predicate_at,
        default=comparison,
    ).set_name("predicate")
    not_expr = pp.Forward()
    not_expr.set_name("predicate")
    negation = _loc(
        skw("not") - not_expr,
        lambda s, a, b, t: Not(operand=t[0], span=span_at(s, a, b)),
    ).set_name("negation")
    not_expr <<= Dispatch({"not": negation}, _word_at, default=primary).set_name("predicate")
    not_expr.set_name("predicate")

    and_expr = Chain(not_expr, ("and",), _fold_logic(And), words=True).set_name("conjunction")
    or_expr = Chain(and_expr, ("or",), _fold_logic(Or), words=True).set_name("disjunction")
    expression <<= Fast(
        Chain(or_expr, ("implies",), _fold_implies, words=True).set_name("implication"),
        _fast_implies,
    )
    expression.set_name("expression")

    def block(items: dict[str, pp.ParserElement], what: str) -> pp.ParserElement:
        close = Close(what, list(items)).suppress()
        choice = Dispatch(items, _word_at).set_name(f"{what} statement")
        body = pp.Group(pp.ZeroOrMore(choice))("body")
        return (lbrace - body - close).set_name(f"{what} block")

    opt_name = opt(name("name"))

    # service object content
    directive = _loc(
        skw("measure") - word - args - opt(skw("as") - type_name),
        _build_directive,
    ).set_name("measurement directive")
    hole = _loc(kw("hole"), lambda s, a, b, t: DirectiveVariable(span=span_at(s, a, b))).set_name(
        "'hole'"
    )
    definition = Dispatch({"measure": directive, "hole": hole}, _word_at, default=arith).set_name(
        "metric definition"
    )
    schedule = _loc(
        skw("schedule") - opt_name - skw("every") - interval("interval") - period("period"),
        _build_schedule,
    ).set_name("schedule")
    schedule = Fast(schedule, _fast_schedule)
    trigger = _loc(
        skw("trigger") - opt_name - skw("at") - datetime_("time"),
        _build_trigger,
    ).set_name("trigger")
    constant = _loc(
        skw("const") - opt_name - equals - (string | number)("value"),
        _build_constant,
    ).set_name("constant")
    declared = opt_name + opt(colon - type_name("type")) + opt(skw("in") - unit("unit"))
    metric = _loc(
        skw("metric")
        - declared
        - opt(skw("counter") - (kw("true") | kw("false"))("counter"))
        - skw("by")
        - name("source")
        - opt(skw("uri") - string("uri"))
        - equals
        - definition("definition"),
        _build_metric,
    ).set_name("metric")
    metric = Fast(metric, _fast_metric)
    communication = _loc(
        skw("source")
        - name("source")
        - opt(skw("pull") - bracket_names("pull"))
        - opt(skw("push") - bracket_names("push")),
        _build_communication,
    ).set_name("communication")
    parameter = _loc(
        skw("parameter") - declared - equals - name("metric") - opt(communication("communication")),
        _build_parameter,
    ).set_name("parameter")
    parameter = Fast(parameter, _fast_parameter)
    macro = _loc(
        skw("macro") - opt_name - opt(block({"metric": metric}, "macro")),
        _build_macro,
    ).set_name("macro")
    assignment = _loc(
        skw("assign") - opt_name - equals - directive("directive"),
        _build_assignment,
    ).set_name("assignment")
    expansion = _loc(
        skw("expand")
        - opt_name
        - opt(skw("as") - name("as"))
        - opt(block({"assign": assignment}, "expand")),
        _build_expansion,
    ).set_name("macro expansion")
    base_items = {
        "schedule": schedule,
        "trigger": trigger,
        "const": constant,
        "macro": macro,
        "expand": expansion,
        "parameter": parameter,
        "metric": metric,
    }

    described = (kw("described") - string).add_parse_action(
        lambda s, loc, t: Clause("described", t[1], loc)
    )
    operation = _loc(
        skw("operation")
        - opt_name
        - opt((soap | described)("kind"))
        - opt(block(base_items, "operation")),
        _service_object(Operation),
    ).set_name("operation")
    group = _loc(
        skw("group") - opt_name - opt(block({**base_items, "operation": operation}, "group")),
        _service_object(OperationGroup),
    ).set_name("operation group")
    hosting = _loc(
        skw("hosting")
        - opt_name
        - opt(skw("covers") - pp.Group(Separated(string).set_name("strings"))("covers"))
        - opt(block(base_items, "hosting")),
        _service_object(WebHosting),
    ).set_name("web hosting")
    service = _loc(
        skw("service")
        - opt_name
        - opt(
            block(
                {**base_items, "operation": operation, "group": group, "hosting": hosting},
                "service",
            )
        ),
        _service_object(ServiceDefinition),
    ).set_name("service")

    # parties
    contact = _loc(kw("contact") + args, _fixed_call(_CONTACT_SIGNATURE, "contact")).set_name(
        "contact(…)"
    )
    contact_node = _loc(contact, _build_contact).set_name("contact")
    action = _loc(
        skw("action") - opt_name - (soap | getpost)("call") - opt(skw("by") - name("by")),
        _build_action,
    ).set_name("action")
    party_body = opt(block({"contact": contact_node, "action": action}, "party"))
    provider = _loc(
        skw("provider") - opt_name - party_body, _build_party(ServiceProvider)
    ).set_name("provider")
    consumer = _loc(
        skw("consumer") - opt_name - party_body, _build_party(ServiceConsumer)
    ).set_name("consumer")
    supporting = _loc(
        skw("supporting")
        - opt_name
        - opt(skw("sponsors") - pp.Group(name_list)("sponsors"))
        - opt(skw("roles") - pp.Group(Separated(role).set_name("roles"))("roles"))
        - party_body,
        _build_party(SupportingParty),
    ).set_name("supporting party")

    # obligations
    evaluation = _loc(
        skw("on") - ((kw("new") - kw("value")) | (skw("schedule") - name("schedule"))),
        _build_evaluation,
    ).set_name("evaluation event (`on new value` or `on schedule NAME`)")
    valid = (skw("valid") - period).set_name("validity")
    slo = _loc(
        skw("slo")
        - opt_name
        - skw("obliged")
        - name("obliged")
        - evaluation("evaluation")
        - lbrace
        - pp.Group(pp.ZeroOrMore(valid))("valid")
        - expression("expression")
        - Close("slo", ["valid"]).suppress(),
        _build_slo,
    ).set_name("slo")
    slo = Fast(slo, _fast_slo)
    qualified = _loc(
        skw("do")
        - name("party")
        - opt(dot - name("action"))
        - opt(pp.Group(lparen - pp.Opt(Separated(arg).set_name("arguments")) - rparen)("args")),
        _build_qualified,
    ).set_name("qualified action")
    guarantee = _loc(
        skw("guarantee")
        - opt_name
        - opt(skw("obliged") - pp.Group(name_list)("obliged"))
        - evaluation("evaluation")
        - lbrace
        - skw("when")
        - expression("expression")
        - pp.Group(pp.ZeroOrMore(qualified))("do")
        - skw("modality")
        - modality("modality")
        - Close("guarantee", ["do", "modality"]).suppress(),
        _build_guarantee,
    ).set_name("guarantee")
    obligation_items = {"const": constant, "slo": slo, "guarantee": guarantee}
    ob_group = _loc(
        skw("group") - opt_name - opt(block(obligation_items, "group")),
        _build_group,
    ).set_name("obligation group")
    obligations = _loc(
        skw("obligations")
        - opt_name
        - opt(block({**obligation_items, "group": ob_group}, "obligations")),
        _build_obligations,
    ).set_name("obligations")

    top_item = Dispatch(
        {
            "provider": provider,
            "consumer": consumer,
            "supporting": supporting,
            "service": service,
            "obligations": obligations,
        },
        _word_at,
    ).set_name("sla statement")
    sla = _loc(
        skw("sla")
        - opt_name
        - lbrace
        - pp.Group(Statements(top_item))("body")
        - Close("sla", ["provider", "consumer", "supporting", "service", "obligations"]).suppress(),
        _build_spec,
    ).set_name("sla")
    document = (sla - pp.StringEnd().set_name("end of file")).set_name("wsla document")
    document.parse_with_tabs()
    return document


def keywords() -> frozenset[str]:
    """Every keyword the parser knows (checked against ``grammar/wsla.ebnf``)."""
    out: set[str] = set()
    seen: set[int] = set()

    def walk(element: pp.ParserElement) -> None:
        if id(element) in seen:
            return
        seen.add(id(element))
        if isinstance(element, pp.Keyword):
            out.add(element.match)
        if isinstance(element, Chain):
            out.update(op for op in element.operators if op.isalpha())
        for child in getattr(element, "exprs", ()):
            walk(child)
        inner = getattr(element, "expr", None)
        if isinstance(inner, pp.ParserElement):
            walk(inner)

    walk(grammar())
    return frozenset(out)


__all__ = ["Arg", "Clause", "Close", "DslError", "Words", "did_you_mean", "grammar", "keywords"]
