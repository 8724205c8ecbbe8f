"""``workbench chart`` writes all five formats; the structured ones parse back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graphs.exchange import read_anx, read_graphml
from tests.workbench.case_builder import add_events
from workbench.chart import write_chart
from workbench.cli import main


@pytest.fixture
def charted(willow):
    start = datetime(2021, 3, 2, 10, tzinfo=UTC)
    add_events(willow, "OP-WILLOW", [
        {"at": start + timedelta(hours=n), "sender": ("phone", "07700 900101"),
         "recipient": ("phone", "07700 900201")} for n in range(4)] + [
        {"at": start + timedelta(days=30, hours=n), "sender": ("phone", "07700900102"),
         "recipient": ("phone", "07700 900555")} for n in range(6)])
    return willow


def test_graphml_and_anx_round_trip_counts_and_labels(charted, tmp_path):
    counts = write_chart(charted, "OP-WILLOW", tmp_path / "chart.graphml")
    graph = read_graphml(tmp_path / "chart.graphml")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (counts["nodes"], counts["edges"])
    assert "Kerry Lowe" in {d["label"] for _, d in graph.nodes(data=True)}
    write_chart(charted, "OP-WILLOW", tmp_path / "chart.anx", anonymise=True)
    anx = read_anx(tmp_path / "chart.anx")
    assert (anx.number_of_nodes(), anx.number_of_edges()) == (counts["nodes"], counts["edges"])
    labels = {d["label"] for _, d in anx.nodes(data=True)}
    assert "Woman A" in labels and not any("Kerry" in label for label in labels)


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_pictures_are_written(charted, tmp_path, suffix, magic):
    out = tmp_path / f"chart{suffix}"
    write_chart(charted, "OP-WILLOW", out, anonymise=True)
    assert out.read_bytes().startswith(magic)
    if suffix == ".svg":
        text = out.read_text()
        assert "Woman A" in text and "Kerry" not in text


def test_cli_time_window_and_bad_format(charted, tmp_path, capsys, monkeypatch):
    db = charted.url
    assert main(["--db", db, "chart", "OP-WILLOW", "--out", str(tmp_path / "w.graphml"),
                 "--from", "2021-03-01", "--to", "2021-03-10"]) == 0
    window = read_graphml(tmp_path / "w.graphml")
    contacts = [d for _, _, d in window.edges(data=True) if d.get("kind") == "contact"]
    assert [int(d["weight"]) for d in contacts] == [4]
    assert main(["--db", db, "chart", "OP-WILLOW", "--out", str(tmp_path / "x.doc")]) == 1
    assert "chart format must be one of" in capsys.readouterr().err
