"""The grammar artifacts stay in step with the parser: ``grammar/wsla.ebnf`` (examples parse,
every keyword appears), ``docs/dsl.md`` (every example parses, every function and directive
is documented), the editor grammar, and the parser's own hygiene."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyparsing as pp
import pytest

from wsla.dsl import loads_dsl
from wsla.dsl import vocabulary as vocab
from wsla.dsl.grammar import BLOCK_KEYWORDS, Chain, Close, Dispatch, Node, call_signature, grammar
from wsla.dsl.grammar import keywords as parser_keywords
from wsla.model import FUNCTION_TYPES, Arithmetic

ROOT = Path(__file__).resolve().parent.parent
EBNF = (ROOT / "grammar" / "wsla.ebnf").read_text(encoding="utf-8")
DOCS = (ROOT / "docs" / "dsl.md").read_text(encoding="utf-8")

CONTEXTS = {
    "file": "{}",
    "sla": "sla S {{ provider P consumer C {} obligations }}",
    "party": "sla S {{ provider P {{ {} }} consumer C obligations }}",
    "service": "sla S {{ provider P consumer C service D {{\n{}\n}} obligations }}",
    "definition": (
        "sla S {{ provider P consumer C service D {{ metric M by P = {} }} obligations }}"
    ),
    "obligations": "sla S {{ provider P consumer C obligations {{\n{}\n}} }}",
    "expression": (
        "sla S {{ provider P consumer C obligations {{ "
        "slo X obliged P on new value {{\n{}\n}} }} }}"
    ),
}


def _parses(context: str, text: str) -> None:
    source = CONTEXTS[context].format(text)
    spec, diagnostics = loads_dsl(source, f"<{context} example>")
    assert diagnostics == [], (text, diagnostics)
    assert spec is not None


EBNF_EXAMPLES = re.findall(r"\(\* example (\w+): (.*?) \*\)", EBNF)
PRODUCTIONS = re.findall(r"^([a-z][a-z _]*?) = ", EBNF, flags=re.MULTILINE)


@pytest.mark.parametrize(("context", "text"), EBNF_EXAMPLES)
def test_every_ebnf_example_parses(context: str, text: str) -> None:
    _parses(context, text)


def test_the_ebnf_has_examples_for_its_statements() -> None:
    assert len(EBNF_EXAMPLES) >= 40
    assert len(PRODUCTIONS) >= 40
    # every statement production is exercised by an example that starts with its keyword
    for production, keyword in [
        ("provider", "provider"),
        ("supporting", "supporting"),
        ("contact", "contact"),
        ("action", "action"),
        ("service", "service"),
        ("operation", "operation"),
        ("group", "group"),
        ("hosting", "hosting"),
        ("schedule", "schedule"),
        ("trigger", "trigger"),
        ("constant", "const"),
        ("macro", "macro"),
        ("expansion", "expand"),
        ("parameter", "parameter"),
        ("metric", "metric"),
        ("directive", "measure"),
        ("slo", "slo"),
        ("guarantee", "guarantee"),
    ]:
        assert production in PRODUCTIONS
        assert any(re.search(rf"\b{keyword}\b", text) for _, text in EBNF_EXAMPLES), keyword


def test_every_parser_keyword_is_in_the_ebnf() -> None:
    quoted = set(re.findall(r'"([A-Za-z_]+)"', EBNF))
    missing = parser_keywords() - quoted
    assert not missing, f"keywords missing from grammar/wsla.ebnf: {sorted(missing)}"
    for word in (*vocab.TYPE_NAMES, *vocab.MODALITIES, *vocab.UNIT_TO_PART):
        assert word in quoted, word
    assert set(vocab.RESERVED) <= quoted
    for name in vocab.directive_names():
        assert f'"{name}"' in EBNF


DOC_EXAMPLES = re.findall(r"```wsla ?(\w*)\n(.*?)```", DOCS, flags=re.DOTALL)


@pytest.mark.parametrize(("context", "text"), DOC_EXAMPLES)
def test_every_docs_example_parses(context: str, text: str) -> None:
    _parses(context or "file", text)


def test_the_docs_cover_every_function_directive_and_code() -> None:
    assert len(DOC_EXAMPLES) >= 10
    for name in (*vocab.function_names(), *vocab.directive_names()):
        assert f"{name}(" in DOCS or f"`{name}`" in DOCS, name
    for word in parser_keywords():
        assert word in DOCS, word


def test_every_registered_function_has_a_call_form() -> None:
    names = vocab.function_names()
    for cls in FUNCTION_TYPES.values():
        if issubclass(cls, Arithmetic):
            assert cls not in names.values()
            continue
        assert cls in names.values()
        signature = call_signature(cls, "function")
        assert sum(1 for key, *_ in signature if key == "") <= 1


def _elements() -> list[pp.ParserElement]:
    seen: dict[int, pp.ParserElement] = {}
    stack = [grammar()]
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen[id(element)] = element
        stack.extend(getattr(element, "exprs", ()))
        inner = getattr(element, "expr", None)
        if isinstance(inner, pp.ParserElement):
            stack.append(inner)
    return list(seen.values())


def test_model_building_and_choice_elements_are_named() -> None:
    for element in _elements():
        if isinstance(element, pp.Forward) and isinstance(element.expr, pp.Forward):
            continue  # pyparsing's copy of a named Forward (made for a results name)
        if isinstance(element, Node | Dispatch | Chain | pp.Regex | pp.Forward):
            assert element.customName, repr(element)


def test_block_keywords_match_the_blocks() -> None:
    closes = [e for e in _elements() if isinstance(e, Close)]
    assert {c.block for c in closes} == set(BLOCK_KEYWORDS)
    for close in closes:
        assert set(close.keywords) <= set(BLOCK_KEYWORDS[close.block]), close.block


def test_building_the_grammar_changes_no_pyparsing_defaults() -> None:
    white = pp.ParserElement.DEFAULT_WHITE_CHARS
    packrat = pp.ParserElement._packratEnabled
    left_recursion = pp.ParserElement._left_recursion_enabled
    literal_class = pp.ParserElement._literalStringClass
    grammar.cache_clear()
    grammar()
    assert white == pp.ParserElement.DEFAULT_WHITE_CHARS
    assert pp.ParserElement._packratEnabled is packrat
    assert pp.ParserElement._left_recursion_enabled is left_recursion
    assert pp.ParserElement._literalStringClass is literal_class
    assert grammar() is grammar()  # built once
    assert grammar().keepTabs  # columns as written


def test_the_editor_grammar_is_valid_and_knows_the_keywords() -> None:
    data = json.loads((ROOT / "grammar" / "wsla.tmLanguage.json").read_text(encoding="utf-8"))
    assert data["scopeName"] == "source.wsla"
    assert data["fileTypes"] == ["wsla"]
    patterns = json.dumps(data["repository"])
    for word in parser_keywords():
        assert re.search(rf"[|(]{word}[|)]", patterns), word
    for rule in data["repository"].values():
        for pattern in [rule, *rule.get("patterns", [])]:
            for key in ("match", "begin", "end"):
                if key in pattern:
                    re.compile(pattern[key].replace("(?<=:|\\bas)", "(?<=:)"))
