"""Chart labels never collide: checked on the text boxes the renderer really draws."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graphs._drawing import hidden_note
from graphs._labels import must_label, place_labels
from graphs._simple import simple_undirected
from graphs.render import render_drawing
from graphs.style import PERSON_KINDS
from tests.graphs.text_boxes import drawn_texts, overlapping

BUNDLE_FRAME = (728.0, 400.0)  # the landscape bundle page's chart area, in points


def dense_chart(nodes: int = 60, seed: int = 3) -> tuple[nx.MultiGraph, dict[str, tuple[float, float]]]:
    """People with many phones and accounts, crowded into a small area."""
    rng = random.Random(seed)
    graph = nx.MultiGraph()
    people = [f"person{i}" for i in range(6)]
    for i, person in enumerate(people):
        graph.add_node(person, kind="officer" if i == 0 else "member_of_public",
                       label=f"Member of the public {i}" if i else "DC 1234 Officer")
    for i in range(nodes - len(people)):
        node = f"phone{i}"
        graph.add_node(node, kind="phone", label=f"07700 9{i:05d}")
        graph.add_edge(node, rng.choice(people[1:]), weight=rng.randint(1, 40),
                       severity=rng.choice(["none", "none", "low", "high"]))
        if rng.random() < 0.25:
            graph.add_edge(node, f"phone{rng.randrange(max(i, 1))}", weight=2, severity="none")
    positions = {node: (rng.uniform(0, 12), rng.uniform(0, 7)) for node in graph}
    return graph, positions


def label_texts(graph: nx.Graph) -> dict[str, str]:
    return {str(data["label"]): node for node, data in graph.nodes(data=True) if data.get("label")}


@pytest.mark.parametrize("size", [BUNDLE_FRAME, (1190.0, 800.0)])
def test_dense_chart_draws_no_two_labels_over_each_other(size):
    graph, positions = dense_chart()
    drawing = render_drawing(graph, positions, width=size[0], height=size[1], font_size=7.5)
    texts = drawn_texts(drawing)
    assert overlapping(texts) == []
    by_label = label_texts(graph)
    labels = [t for t in texts if t.text in by_label]
    assert labels and min(t.size for t in labels) >= 7.0
    # People and hub identifiers are always labelled; the rest that are left out are counted.
    simple = simple_undirected(graph)
    must = {str(graph.nodes[n]["label"]) for n in graph if must_label(simple, n)}
    assert must <= {t.text for t in labels}
    hidden = len(by_label) - len(labels)
    notes = [t.text for t in texts if t.text.startswith("+")]
    assert notes == ([hidden_note(hidden)] if hidden else [])


def test_crowded_bundle_frame_hides_some_minor_labels_and_says_so():
    graph, positions = dense_chart(nodes=90, seed=5)
    drawing = render_drawing(graph, positions, width=BUNDLE_FRAME[0] / 2, height=BUNDLE_FRAME[1] / 2)
    texts = drawn_texts(drawing)
    assert overlapping(texts) == []
    drawn = {t.text for t in texts}
    hidden = [label for label in label_texts(graph) if label not in drawn]
    assert hidden, "a chart this crowded cannot show every label"
    assert hidden_note(len(hidden)) in drawn
    people = {str(d["label"]) for _n, d in graph.nodes(data=True) if d["kind"] in PERSON_KINDS}
    assert people <= drawn


def test_must_label_people_folded_groups_and_hubs():
    graph = nx.Graph()
    graph.add_node("off", kind="officer")
    graph.add_node("pub", kind="member_of_public")
    graph.add_node("folded", kind="unresolved", folded=40)
    graph.add_node("own", kind="phone")  # linked to the officer
    graph.add_node("hub", kind="phone")
    graph.add_node("leaf", kind="phone")
    graph.add_edge("off", "own")
    for end in ("pub", "leaf", "folded"):
        graph.add_edge("hub", end)
    assert [n for n in graph if must_label(graph, n)] == ["off", "pub", "folded", "own", "hub"]


def test_labels_that_must_show_move_out_with_a_leader_when_the_near_spots_are_taken():
    nodes = [f"n{i}" for i in range(12)]
    positions = {node: (0.0, 0.0) for node in nodes}  # all on one spot
    texts = {node: f"label {node}" for node in nodes}

    def measure(text: str) -> tuple[float, float]:
        return 6.0 * len(text), 10.0

    def assert_apart(placed):
        for i, first in enumerate(placed):
            for second in placed[i + 1:]:
                a, b = first.box, second.box
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])

    plan = place_labels(texts, positions, radius=2.0, measure=measure, gap=1.0,
                        node_order=nodes, always=set(nodes))
    assert [p.node for p in plan.placed] == nodes and plan.hidden == []
    assert not plan.placed[0].leader and any(p.leader for p in plan.placed)
    assert_apart(plan.placed)
    # Minor labels stay near their node or are left out; one that must show never is.
    minor = place_labels(texts, positions, radius=2.0, measure=measure, gap=1.0,
                         node_order=nodes, always={"n11"}, bounds=(-200.0, -200.0, 200.0, 200.0))
    assert minor.hidden and "n11" in {p.node for p in minor.placed}
    assert len(minor.placed) + len(minor.hidden) == len(nodes)
    assert_apart(minor.placed)
