"""On the demo case, the bundle's chart page and the standalone chart draw no label over another."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from graphs._labels import must_label
from graphs._simple import simple_undirected
from tests.graphs.text_boxes import drawn_texts, overlapping
from workbench.bundle.document import LANDSCAPE, MARGIN
from workbench.bundle.export import BUNDLE_UNRESOLVED
from workbench.bundle.sections.charts import link_drawing
from workbench.chart import LABEL_SIZE, chart_drawing
from workbench.chart_layout import prepare_chart
from workbench.demo import DEMO_REF, build_demo
from workbench.store import Store, open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    root = tmp_path_factory.mktemp("demo-chart")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_EVIDENCE", str(root / "evidence"))
        store = open_store(f"sqlite:///{root / 'case.db'}")
        build_demo(store)
        yield store
        store.dispose()


def check_labels(graph, texts) -> None:
    assert overlapping(texts) == []
    labels = {str(d["label"]) for _n, d in graph.nodes(data=True) if d.get("label")}
    drawn = [t for t in texts if t.text in labels]
    assert min(t.size for t in drawn) >= 7.0
    simple = simple_undirected(graph)
    must = {str(graph.nodes[n]["label"]) for n in graph if must_label(simple, n)}
    assert must and must <= {t.text for t in drawn}


def test_bundle_chart_page_labels_do_not_collide(demo):
    chart = prepare_chart(demo, DEMO_REF, anonymise=True, max_unresolved=BUNDLE_UNRESOLVED)
    content = SimpleNamespace(link_graph=chart.graph, link_positions=chart.positions)
    drawing = link_drawing(content, LANDSCAPE[0] - 2 * MARGIN, 400.0)
    check_labels(chart.graph, drawn_texts(drawing))


@pytest.mark.parametrize("anonymise", [False, True])
def test_standalone_chart_labels_do_not_collide(demo, anonymise):
    chart = prepare_chart(demo, DEMO_REF, anonymise=anonymise)
    drawing = chart_drawing(chart.graph, dict(chart.positions), title="chart",
                            marking="OFFICIAL-SENSITIVE", produced="Produced today")
    texts = drawn_texts(drawing)
    check_labels(chart.graph, texts)
    assert LABEL_SIZE >= 7.0
