"""Graph serialisations: DOT read back by a real DOT parser (pydot), Mermaid checked
against the flowchart grammar rules we rely on, JSON and GraphML read back by networkx."""

from __future__ import annotations

import io
import itertools
import json
import re
from pathlib import Path

import networkx as nx
import pydot
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wsla.graph import KINDS, build_graph
from wsla.graph_export import export, to_dot, to_graphml, to_json, to_mermaid
from wsla.xml.reader import load_xml

ROOT = Path(__file__).parent.parent
SPECS = sorted((ROOT / "specs").glob("*.xml"))


def _graphs() -> list[nx.DiGraph[str]]:
    out = []
    for path in SPECS:
        spec, _found = load_xml(path.read_bytes(), str(path))
        if spec is not None:
            out.append(build_graph(spec))
    assert len(out) >= 5
    return out


def _dot_parse(text: str) -> tuple[list[dict[str, str]], int]:
    """The node attribute dicts and the edge count, as a DOT parser reads them.

    Attribute values come back as the parser's tokens; the outer quotes are removed
    and ``\\"`` read as ``"``, which is what a DOT lexer keeps of a quoted string.
    """
    graphs = pydot.graph_from_dot_data(text)
    assert graphs is not None, "not parseable as DOT"
    assert len(graphs) == 1
    (graph,) = graphs

    def nodes_of(g: pydot.Graph) -> list[pydot.Node]:
        found = [n for n in g.get_nodes() if n.get_name() not in ("node", "edge", "graph")]
        for sub in g.get_subgraphs():
            found.extend(nodes_of(sub))
        return found

    def edges_of(g: pydot.Graph) -> int:
        return len(g.get_edges()) + sum(edges_of(sub) for sub in g.get_subgraphs())

    def unquote(value: str) -> str:
        assert value.startswith('"') and value.endswith('"'), value
        return value[1:-1].replace('\\"', '"')

    nodes = [
        {key: unquote(str(value)) for key, value in n.get_attributes().items()}
        for n in nodes_of(graph)
    ]
    return nodes, edges_of(graph)


def _escstring(label: str) -> str:
    """What a DOT lexer keeps of our label: quotes unescaped, escString as is."""
    return label.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n")


# --- strict Mermaid flowchart checker -------------------------------------------------

_LABEL = r'"(?:[^"#\n<>&`]|#(?:quot|amp|lt|gt|\d+);)*"'
_SHAPES = [
    rf"\[/{_LABEL}/\]",
    rf"\({_LABEL}\)",
    rf"\{{\{{{_LABEL}\}}\}}",
    rf"\(\[{_LABEL}\]\)",
    rf"\[\[{_LABEL}\]\]",
    rf">{_LABEL}\]",
    rf"\[{_LABEL}\]",
]
_ID = r"n\d+"
_NODE = re.compile(rf"^ *(?P<id>{_ID})(?:{'|'.join(_SHAPES)})$")
_EDGE = re.compile(rf"^ *(?P<a>{_ID}) (?:-->|-\.->) (?P<b>{_ID})$")
_SUBGRAPH = re.compile(rf"^ *subgraph s\d+ \[{_LABEL}\]$")
_CLASSDEF = re.compile(
    r"^ *classDef (?P<kind>[a-z]+) [a-z-]+:#[0-9a-f]{3,6}(?:,[a-z-]+:#[0-9a-f]{3,6})*$"
)
_CLASS = re.compile(rf"^ *class (?P<ids>{_ID}(?:,{_ID})*) (?P<kind>[a-z]+)$")
_RESERVED = {"end", "graph", "flowchart", "subgraph", "class", "classDef", "style", "click"}


def check_mermaid(text: str) -> list[str]:
    """Raise AssertionError on anything outside the flowchart subset; return node ids."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert text.endswith("\n")
    declared: list[str] = []
    defined_classes: set[str] = set()
    depth = 0
    for line in lines[1:]:
        if m := _NODE.match(line):
            declared.append(m["id"])
        elif m := _EDGE.match(line):
            assert m["a"] in declared and m["b"] in declared, line
        elif _SUBGRAPH.match(line):
            depth += 1
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0
        elif m := _CLASSDEF.match(line):
            defined_classes.add(m["kind"])
        elif m := _CLASS.match(line):
            assert m["kind"] in defined_classes
            assert set(m["ids"].split(",")) <= set(declared)
        else:
            raise AssertionError(f"not flowchart syntax: {line!r}")
    assert depth == 0
    assert len(declared) == len(set(declared))
    assert not set(declared) & _RESERVED
    return declared


def _unmermaid(label: str) -> str:
    entities = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}
    return re.sub(
        r"#(quot|amp|lt|gt|\d+);",
        lambda m: entities.get(m[1]) or chr(int(m[1])),
        label,
    )


# --- tests ------------------------------------------------------------------------------


def test_dot_of_every_spec_is_read_by_a_dot_parser() -> None:
    for g in _graphs():
        objects, edges = _dot_parse(to_dot(g))
        assert len(objects) == g.number_of_nodes()
        assert edges == g.number_of_edges()
        tooltips = {o["tooltip"] for o in objects}
        assert tooltips == {_escstring(n) for n in g}


def test_mermaid_of_every_spec_follows_the_grammar() -> None:
    for g in _graphs():
        declared = check_mermaid(to_mermaid(g))
        assert len(declared) == g.number_of_nodes()
        edges = [line for line in to_mermaid(g).splitlines() if _EDGE.match(line)]
        assert len(edges) == g.number_of_edges()


def test_json_and_graphml_round_trip() -> None:
    for g in _graphs():
        back = nx.node_link_graph(json.loads(to_json(g)), edges="edges")
        assert nx.utils.graphs_equal(g, back)
        again = nx.read_graphml(io.BytesIO(to_graphml(g).encode("utf-8")))
        # read_graphml adds node_default/edge_default to the graph attributes.
        assert again.graph["name"] == g.graph["name"]
        assert list(again.nodes(data=True)) == list(g.nodes(data=True))
        assert list(again.edges(data=True)) == list(g.edges(data=True))


_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=0,
    max_size=20,
)


def _hostile_graph(names: list[str]) -> nx.DiGraph[str]:
    g: nx.DiGraph[str] = nx.DiGraph(name=names[0] if names else "")
    for i, name in enumerate(names):
        g.add_node(
            f"metric:{name}#{i}",
            kind=KINDS[i % len(KINDS)],
            name=name,
            service_object=name if i % 2 else "",
            span="",
            detail="",
        )
    nodes = list(g)
    for a, b in itertools.pairwise(nodes):
        g.add_edge(a, b, role="carries" if len(a) % 2 else "input")
    return g


_special = st.lists(
    st.one_of(
        _names,
        st.sampled_from(['"', "\\", '\\"', "a\\", "end", "#quot;", "<b>", "`x`", "{}", "\n"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None)
@given(_special)
def test_dot_labels_survive_any_name(names: list[str]) -> None:
    g = _hostile_graph(names)
    objects, _edges = _dot_parse(to_dot(g))
    got = sorted(o["label"] for o in objects)
    from wsla.graph_export import label

    assert got == sorted(_escstring(label(d)) for _n, d in g.nodes(data=True))


@settings(max_examples=200, deadline=None)
@given(_special)
def test_mermaid_labels_survive_any_name(names: list[str]) -> None:
    g = _hostile_graph(names)
    text = to_mermaid(g)
    check_mermaid(text)
    from wsla.graph_export import label

    shown = re.findall(rf"^ *n\d+\W*({_LABEL})", text, flags=re.MULTILINE)
    expected = [" ".join(label(d).split()) for _n, d in g.nodes(data=True)]
    assert sorted(_unmermaid(s[1:-1]) for s in shown) == sorted(expected)


def test_export_dispatch_and_unknown_format() -> None:
    g = _graphs()[0]
    assert export(g, "dot") == to_dot(g)
    with pytest.raises(KeyError):
        export(g, "svg")
