"""GraphML and ANX round trips."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx

from graphs.exchange import read_anx, read_graphml, write_anx, write_graphml
from graphs.layout import force_layout


def test_graphml_round_trip(example_graph: nx.MultiGraph, tmp_path: Path) -> None:
    example_graph.nodes["off"]["pos"] = (1.5, -2.0)
    example_graph.nodes["off"]["note"] = None
    target = write_graphml(example_graph, tmp_path / "chart.graphml")
    back = read_graphml(target)
    assert back.number_of_nodes() == example_graph.number_of_nodes()
    assert back.number_of_edges() == example_graph.number_of_edges()
    assert {d["label"] for _n, d in back.nodes(data=True)} == {
        d["label"] for _n, d in example_graph.nodes(data=True)
    }
    assert back.nodes["off"]["pos"] == (1.5, -2.0)
    timed = [d for *_e, d in back.edges(data=True) if "times" in d]
    assert timed and all(t.tzinfo is not None for t in timed[0]["times"])


def test_anx_round_trip_and_structure(example_graph: nx.MultiGraph, tmp_path: Path) -> None:
    positions = force_layout(example_graph, seed=0)
    for node, point in positions.items():
        example_graph.nodes[node]["pos"] = point
    target = write_anx(example_graph, tmp_path / "chart.anx",
                       entity_types={"officer": ("Suspect Officer", "police")})
    root = ET.parse(target).getroot()
    assert root.tag == "Chart"
    for collection in ("EntityTypeCollection", "LinkTypeCollection", "AttributeClassCollection",
                       "ChartItemCollection"):
        assert root.find(collection) is not None
    assert root.find(".//IconStyle[@Type='Suspect Officer']") is not None
    assert root.find(".//ChartItem[@DateTime]") is not None
    back = read_anx(target)
    assert back.number_of_nodes() == example_graph.number_of_nodes()
    assert back.number_of_edges() == example_graph.number_of_edges()
    assert sorted(d["label"] for _n, d in back.nodes(data=True)) == sorted(
        d["label"] for _n, d in example_graph.nodes(data=True)
    )
    kinds = {d["kind"] for _n, d in back.nodes(data=True)}
    assert "phone" in kinds and "officer" in kinds


def test_anx_escapes_awkward_labels(tmp_path: Path) -> None:
    graph = nx.Graph()
    graph.add_node("a", kind="officer", label='O\'Brien <&> "quoted"')
    graph.add_node("b", kind="phone", label="<script>&amp;")
    graph.add_edge("a", "b", kind="contact", weight=2, label="calls & texts <x>")
    back = read_anx(write_anx(graph, tmp_path / "odd.anx"))
    labels = {d["label"] for _n, d in back.nodes(data=True)}
    assert labels == {'O\'Brien <&> "quoted"', "<script>&amp;"}
    [(_u, _v, data)] = list(back.edges(data=True))
    assert data["label"] == "calls & texts <x>" and data["weight"] == 2.0
