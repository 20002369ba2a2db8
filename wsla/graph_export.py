"""Serialise a dependency graph (:func:`wsla.graph.build_graph`) as DOT, Mermaid, JSON or
GraphML.

DOT and Mermaid are written here: node ids are generated (``n0``, ``n1``, … in graph
order, never derived from names, so no name can break the syntax or hit a keyword such as
Mermaid's ``end``), and every label is a quoted string with that language's escapes. Nodes
are grouped by service object (DOT clusters, Mermaid subgraphs).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

FORMATS: tuple[str, ...] = ("dot", "mermaid", "json", "graphml")

_DOT_SHAPES: dict[str, str] = {
    "directive": "parallelogram",
    "metric": "box",
    "function": "ellipse",
    "parameter": "hexagon",
    "slo": "doubleoctagon",
    "guarantee": "octagon",
    "action": "cds",
}

_MERMAID_SHAPES: dict[str, tuple[str, str]] = {
    "directive": ("[/", "/]"),
    "metric": ("[", "]"),
    "function": ("(", ")"),
    "parameter": ("{{", "}}"),
    "slo": ("([", "])"),
    "guarantee": ("[[", "]]"),
    "action": (">", "]"),
}


def label(data: dict[str, Any]) -> str:
    """The text shown for a node."""
    kind, name, detail = data.get("kind", ""), data.get("name", ""), data.get("detail", "")
    if kind in ("directive", "function"):
        return str(detail or name)
    if kind in ("metric", "parameter"):
        return f"{name}: {detail}" if detail else str(name)
    if kind == "slo":
        return f"SLO {name}"
    if kind == "guarantee":
        return f"guarantee {name}"
    return str(name)


def _ids(g: nx.DiGraph[str]) -> dict[str, str]:
    return {node: f"n{i}" for i, node in enumerate(g.nodes)}


def _groups(g: nx.DiGraph[str]) -> dict[str, list[str]]:
    """Service object → its nodes; ``""`` for nodes outside service objects."""
    out: dict[str, list[str]] = {}
    for node, data in g.nodes(data=True):
        out.setdefault(str(data.get("service_object", "")), []).append(node)
    return out


# --- DOT ----------------------------------------------------------------------------


def dot_string(text: str) -> str:
    """A DOT quoted string (also an escString: backslashes doubled, newlines as ``\\n``).

    >>> print(dot_string('say "hi"\\\\'))
    "say \\"hi\\"\\\\"
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(g: nx.DiGraph[str]) -> str:
    ids = _ids(g)
    lines = [
        f"digraph {dot_string(str(g.graph.get('name', '')) or 'wsla')} {{",
        "  graph [rankdir=LR];",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]

    def node_line(node: str, indent: str) -> str:
        data = g.nodes[node]
        attrs = {
            "label": label(data),
            "shape": _DOT_SHAPES.get(str(data.get("kind")), "box"),
            "tooltip": node,
        }
        body = ", ".join(f"{k}={dot_string(v)}" for k, v in attrs.items())
        return f"{indent}{ids[node]} [{body}];"

    for index, (group, nodes) in enumerate(_groups(g).items()):
        if group:
            lines.append(f"  subgraph {dot_string(f'cluster_{index}')} {{")
            lines.append(f"    label={dot_string(group)};")
            lines.extend(node_line(n, "    ") for n in nodes)
            lines.append("  }")
        else:
            lines.extend(node_line(n, "  ") for n in nodes)
    for source, target, data in g.edges(data=True):
        role = str(data.get("role", ""))
        style = ', style="dashed"' if role == "carries" else ""
        lines.append(f"  {ids[source]} -> {ids[target]} [tooltip={dot_string(role)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- Mermaid ------------------------------------------------------------------------

_MERMAID_ENTITIES = (
    ("#", "#35;"),
    ('"', "#quot;"),
    ("&", "#amp;"),
    ("<", "#lt;"),
    (">", "#gt;"),
    ("`", "#96;"),
)


def mermaid_string(text: str) -> str:
    """A Mermaid quoted label: characters with a meaning become entity codes.

    >>> mermaid_string('a "b" #1 <c>')
    '"a #quot;b#quot; #35;1 #lt;c#gt;"'
    """
    for char, entity in _MERMAID_ENTITIES:
        text = text.replace(char, entity)
    text = " ".join(text.split())  # newlines and tabs would end the statement
    return f'"{text}"'


def to_mermaid(g: nx.DiGraph[str]) -> str:
    ids = _ids(g)
    lines = ["flowchart LR"]

    def node_line(node: str, indent: str) -> str:
        data = g.nodes[node]
        opening, closing = _MERMAID_SHAPES.get(str(data.get("kind")), ("[", "]"))
        return f"{indent}{ids[node]}{opening}{mermaid_string(label(data))}{closing}"

    for index, (group, nodes) in enumerate(_groups(g).items()):
        if group:
            lines.append(f"  subgraph s{index} [{mermaid_string(group)}]")
            lines.extend(node_line(n, "    ") for n in nodes)
            lines.append("  end")
        else:
            lines.extend(node_line(n, "  ") for n in nodes)
    for source, target, data in g.edges(data=True):
        arrow = "-.->" if data.get("role") == "carries" else "-->"
        lines.append(f"  {ids[source]} {arrow} {ids[target]}")
    by_kind: dict[str, list[str]] = {}
    for node, data in g.nodes(data=True):
        by_kind.setdefault(str(data.get("kind")), []).append(ids[node])
    for kind in by_kind:
        lines.append(f"  classDef {kind} {_MERMAID_STYLES.get(kind, 'fill:#fff')}")
    for kind, members in by_kind.items():
        lines.append(f"  class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"


_MERMAID_STYLES: dict[str, str] = {
    "directive": "fill:#e8f4ff,stroke:#4a90d9",
    "metric": "fill:#ffffff,stroke:#333333",
    "function": "fill:#f5f5f5,stroke:#999999",
    "parameter": "fill:#fff4d6,stroke:#d9a400",
    "slo": "fill:#e3f7e3,stroke:#2e8b57",
    "guarantee": "fill:#fde8e8,stroke:#c0392b",
    "action": "fill:#efe3fb,stroke:#7d3cbd",
}


# --- JSON and GraphML ---------------------------------------------------------------


def to_json(g: nx.DiGraph[str]) -> str:
    """networkx node-link data (``nodes``, ``edges``), indented."""
    import networkx as nx

    data = nx.node_link_data(g, edges="edges")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_graphml(g: nx.DiGraph[str]) -> str:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


EXPORTERS: dict[str, Callable[[nx.DiGraph[str]], str]] = {
    "dot": to_dot,
    "mermaid": to_mermaid,
    "json": to_json,
    "graphml": to_graphml,
}


def export(g: nx.DiGraph[str], fmt: str) -> str:
    """``g`` in one of :data:`FORMATS`."""
    return EXPORTERS[fmt](g)


__all__ = [
    "EXPORTERS",
    "FORMATS",
    "dot_string",
    "export",
    "label",
    "mermaid_string",
    "to_dot",
    "to_graphml",
    "to_json",
    "to_mermaid",
]
