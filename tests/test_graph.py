"""The dependency graph on the stock quote SLA (reference §6) and the macro example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from wsla.graph import (
    KINDS,
    build_graph,
    dependencies,
    evaluation_order,
    find,
    focus,
    impact,
    inputs,
)
from wsla.model import Spec
from wsla.xml.reader import load_xml

ROOT = Path(__file__).parent.parent
STOCK = ROOT / "specs" / "stock-quote.xml"
MACROS = ROOT / "specs" / "metric-macros.xml"
NS = {"w": "http://www.ibm.com/wsla"}


def _load(path: Path) -> Spec:
    spec, found = load_xml(path.read_bytes(), str(path))
    assert spec is not None, found
    return spec


@pytest.fixture(scope="module")
def stock() -> nx.DiGraph[str]:
    return build_graph(_load(STOCK))


def test_nodes_cover_every_construct(stock: nx.DiGraph[str]) -> None:
    tree = etree.parse(str(STOCK))
    count = {
        "directive": len(tree.xpath("//w:Metric/w:MeasurementDirective", namespaces=NS)),
        "function": len(tree.xpath("//w:Function", namespaces=NS)),
        "metric": len(tree.xpath("//w:Metric[@name]", namespaces=NS)),
        "parameter": len(tree.xpath("//w:SLAParameter[@name]", namespaces=NS)),
        "slo": len(tree.xpath("//w:ServiceLevelObjective[@name]", namespaces=NS)),
        "guarantee": len(tree.xpath("//w:ActionGuarantee[@name]", namespaces=NS)),
        "action": 1,  # every guarantee notifies XInc.notification
    }
    kinds = [d["kind"] for _n, d in stock.nodes(data=True)]
    assert {k: kinds.count(k) for k in KINDS} == count


def test_attributes_are_plain_strings(stock: nx.DiGraph[str]) -> None:
    for _node, data in stock.nodes(data=True):
        assert set(data) == {"kind", "name", "service_object", "span", "detail"}
        assert all(isinstance(v, str) for v in data.values())
    node = stock.nodes["metric:DemoService/GetQuote/ProbedUtilization"]
    assert node["service_object"] == "DemoService/GetQuote"
    assert node["span"].startswith(f"{STOCK}:")
    assert node["detail"] == "float ratio"


def test_impact_of_a_measurement(stock: nx.DiGraph[str]) -> None:
    assert impact(stock, "ProbedUtilization") == [
        "action:XInc.notification",
        "guarantee:ConditionalSLOForTransactionRateGuarantee",
        "slo:ConditionalSLOForTransactionRate",
    ]
    assert impact(stock, "MeasuredStatus") == [
        "action:XInc.notification",
        "guarantee:ContinuousDowntimeGuarantee",
        "guarantee:UpTimeGuarantee",
        "slo:ContinuousDowntimeSLO",
        "slo:UpTimeSLO",
    ]


def test_a_parameter_only_carried_by_a_notification_impacts_only_the_action(
    stock: nx.DiGraph[str],
) -> None:
    # AverageResponseTime is both a metric and a parameter; no SLO reads it.
    assert len(find(stock, "AverageResponseTime")) == 2
    assert impact(stock, "AverageResponseTime") == ["action:XInc.notification"]


def test_inputs(stock: nx.DiGraph[str]) -> None:
    assert inputs(stock, "UpTimeSLO") == [
        "directive:DemoService/GetQuote/MeasuredStatus",
        "metric:DemoService/GetQuote/MeasuredStatus",
        "metric:DemoService/GetQuote/StatusTimeSeries",
        "metric:DemoService/GetQuote/UpTimeRatio",
        "parameter:Availability_UpTimeRatio",
    ]
    assert inputs(stock, "UpTimeGuarantee", kinds=("slo",)) == ["slo:UpTimeSLO"]
    with pytest.raises(KeyError):
        inputs(stock, "NoSuchThing")


def test_evaluation_order(stock: nx.DiGraph[str]) -> None:
    order = evaluation_order(stock)
    position = {n: i for i, generation in enumerate(order) for n in generation}
    assert set(position) == set(stock)
    for u, v in stock.edges:
        assert position[u] < position[v], (u, v)
    assert {stock.nodes[n]["kind"] for n in order[0]} == {"directive"}
    assert {stock.nodes[n]["kind"] for n in order[-1]} == {"action"}
    # Functions nested in a metric come before it: TSSelects before the Minus.
    minus = "function:DemoService/GetQuote/Transactions#0"
    for select in ("#1", "#2"):
        assert position[f"function:DemoService/GetQuote/Transactions{select}"] < position[minus]


def test_evaluation_order_refuses_a_cycle() -> None:
    case = ROOT / "tests" / "cases" / "check" / "G001.xml"
    g = build_graph(_load(case))
    with pytest.raises(nx.NetworkXUnfeasible):
        evaluation_order(g)
    assert nx.find_cycle(g)


def test_focus_keeps_upstream_and_downstream_in_order(stock: nx.DiGraph[str]) -> None:
    sub = focus(stock, "UpTimeRatio")
    assert "slo:UpTimeSLO" in sub
    assert "directive:DemoService/GetQuote/MeasuredStatus" in sub
    assert "slo:ContinuousDowntimeSLO" not in sub
    full_order = [n for n in stock if n in sub]
    assert list(sub) == full_order


def test_macro_copies_link_within_their_expansion() -> None:
    g = build_graph(_load(MACROS))
    put_queue = "metric:ObjectStore/PutObject/put.LatencyQueue"
    get_queue = "metric:ObjectStore/GetObject/get.LatencyQueue"
    assert put_queue in g and get_queue in g
    assert inputs(g, "put.MeanSeconds", kinds=("metric",)) == [
        "metric:ObjectStore/PutObject/put.Latency",
        put_queue,
    ]
    assert "parameter:PutMeanLatency" in nx.descendants(g, put_queue)
    assert "parameter:GetMeanLatency" not in nx.descendants(g, put_queue)


def test_dependencies_match_networkx_graph(stock: nx.DiGraph[str]) -> None:
    deps = dependencies(_load(STOCK))
    assert list(deps.nodes) == list(stock.nodes)
    assert {(e.source, e.target) for e in deps.edges} == set(stock.edges)
    assert {e.role for e in deps.edges} == {
        "measures",
        "input",
        "exposes",
        "reads",
        "violation",
        "invokes",
        "carries",
    }


def test_import_wsla_and_check_do_not_import_networkx() -> None:
    code = (
        "import sys, wsla\n"
        "from wsla.check import check\n"
        "from wsla.graph import dependencies\n"
        "from wsla.xml.reader import load_xml\n"
        f"spec, _ = load_xml(open({str(STOCK)!r}, 'rb').read(), 'x')\n"
        "assert check(spec) == [] and dependencies(spec).nodes\n"
        "print('networkx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_wsla_check_and_wsla_graph_are_callable_whatever_they_name() -> None:
    # `wsla.check` / `wsla.graph` are both public functions and module names: importing a
    # submodule rebinds the package attribute, so the modules themselves are callable.
    import wsla
    import wsla.check
    import wsla.graph

    spec = _load(ROOT / "tests" / "cases" / "check" / "G002.xml")
    assert [d.code for d in wsla.check(spec)] == ["G002"]
    assert wsla.check(spec, ignore=["G"]) == []
    g = wsla.graph(spec)
    assert isinstance(g, nx.DiGraph)
    assert "metric:Service/Op/Unused" in g
