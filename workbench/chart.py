"""Writing a case's link chart to a file: GraphML, i2 ANX, PNG, SVG or PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from graphs.exchange import write_anx, write_graphml
from graphs.layout import force_layout
from graphs.render import render_figure, save_figure
from workbench import audit
from workbench.anonymise import Anonymiser
from workbench.casegraph import build_case_graph
from workbench.errors import WorkbenchError
from workbench.ingest.pipeline import find_case
from workbench.model import ChartPosition
from workbench.store import Store

FORMATS = (".graphml", ".anx", ".png", ".svg", ".pdf")


def chart_positions(store: Store, case_ref: str) -> dict[str, tuple[float, float, bool]]:
    """The analyst's saved node positions: node -> (x, y, pinned)."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        rows = session.scalars(select(ChartPosition).where(ChartPosition.case_id == case.id))
        return {r.node: (r.x, r.y, r.pinned) for r in rows}


def write_chart(store: Store, case_ref: str, out: Path, *, anonymise: bool = False,
                start: datetime | None = None, end: datetime | None = None) -> dict[str, int]:
    """Lay out the case graph (keeping pinned nodes where the analyst put them) and write it."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise WorkbenchError(f"{out.name}: chart format must be one of {', '.join(FORMATS)}")
    saved = chart_positions(store, case_ref)
    with store.session() as session:
        case = find_case(session, case_ref)
        graph = build_case_graph(session, case, Anonymiser(case, anonymise), start, end)
        pinned = {node: (x, y) for node, (x, y, is_pinned) in saved.items()
                  if is_pinned and node in graph}
        positions = force_layout(graph, seed=0, pinned=pinned)
        for node, position in positions.items():
            graph.nodes[node]["pos"] = position
        suffix = out.suffix.lower()
        if suffix == ".graphml":
            write_graphml(graph, out)
        elif suffix == ".anx":
            write_anx(graph, out)
        else:
            title = f"{case.ref}: link chart" + (" (anonymised)" if anonymise else "")
            save_figure(render_figure(graph, positions, title=title,
                                      highlight_path=None), out)
        audit.append(session, case, "export_chart", {
            "file": out.name, "anonymised": anonymise, "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "from": start.isoformat() if start else None, "to": end.isoformat() if end else None,
        })
        return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
