"""Writing a case's link chart to a file: GraphML, i2 ANX, PNG, SVG or PDF.

The graph and its layout are the app's (:func:`workbench.chart_layout.prepare_chart`):
the same folding of unattributed identifiers, and the analyst's saved positions.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from graphs.exchange import write_anx, write_graphml
from graphs.render import render_figure, save_figure
from workbench import audit
from workbench.chart_layout import prepare_chart
from workbench.errors import WorkbenchError
from workbench.evidence.exhibits import record_continuity
from workbench.ingest.pipeline import find_case
from workbench.model import Event, Exhibit
from workbench.store import Store

FORMATS = (".graphml", ".anx", ".png", ".svg", ".pdf")


def write_chart(store: Store, case_ref: str, out: Path, *, anonymise: bool = False,
                start: datetime | None = None, end: datetime | None = None) -> dict[str, int]:
    """Lay out the case graph (keeping the analyst's arrangement) and write it by extension."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise WorkbenchError(f"{out.name}: chart format must be one of {', '.join(FORMATS)}")
    chart = prepare_chart(store, case_ref, anonymise=anonymise, start=start, end=end)
    graph = chart.graph
    for node, position in chart.positions.items():
        graph.nodes[node]["pos"] = position
    if suffix == ".graphml":
        write_graphml(graph, out)
    elif suffix == ".anx":
        write_anx(graph, out)
    else:
        title = f"{case_ref}: link chart" + (" (anonymised)" if anonymise else "")
        save_figure(render_figure(graph, chart.positions, title=title), out)
    with store.session() as session:
        case = find_case(session, case_ref)
        used = select(Event.exhibit_id).where(Event.case_id == case.id).distinct()
        if start is not None:
            used = used.where(Event.occurred_at >= start)
        if end is not None:
            used = used.where(Event.occurred_at <= end)
        for exhibit in session.scalars(select(Exhibit).where(Exhibit.id.in_(used))):
            record_continuity(exhibit, "chart_export", f"relied on in link chart {out.name}")
        audit.append(session, case, "export_chart", {
            "file": out.name, "anonymised": anonymise, "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "from": start.isoformat() if start else None, "to": end.isoformat() if end else None,
        })
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
