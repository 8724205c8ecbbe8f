"""Renderers write real files; labels are real text."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing

from graphs.layout import force_layout
from graphs.paths import shortest_path
from graphs.render import render_drawing, render_figure, save_figure


def test_render_writes_png_svg_pdf(example_graph: nx.MultiGraph, tmp_path: Path) -> None:
    positions = force_layout(example_graph, seed=0)
    path = shortest_path(example_graph, "off", "p3_contact")
    fig = render_figure(example_graph, positions, title="Chart", highlight_path=path)
    for suffix in ("png", "svg", "pdf"):
        target = save_figure(fig, tmp_path / f"chart.{suffix}")
        assert target.stat().st_size > 1000
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "chart.pdf").read_bytes().startswith(b"%PDF")
    svg = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    assert "Officer A" in svg and "Colleague D" in svg
    assert "<text" in svg


def test_svg_escapes_awkward_labels(tmp_path: Path) -> None:
    graph = nx.Graph()
    graph.add_node("a", kind="officer", label="A <&> \"B\"")
    graph.add_node("b", kind="mystery", label="Zed")
    graph.add_edge("a", "b", weight=3, severity="high")
    fig = render_figure(graph, force_layout(graph), legend=True)
    svg = save_figure(fig, tmp_path / "odd.svg").read_text(encoding="utf-8")
    assert "A &lt;&amp;&gt;" in svg


def test_drawing_renders_to_pdf(example_graph: nx.MultiGraph, tmp_path: Path) -> None:
    positions = force_layout(example_graph, seed=0)
    drawing = render_drawing(example_graph, positions, width=480, height=360, title="Chart",
                             highlight_path=["off", "p1"])
    assert isinstance(drawing, Drawing)
    target = tmp_path / "drawing.pdf"
    renderPDF.drawToFile(drawing, str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_empty_graph_renders(tmp_path: Path) -> None:
    fig = render_figure(nx.Graph(), {})
    assert save_figure(fig, tmp_path / "empty.png").stat().st_size > 0
