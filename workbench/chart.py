"""Writing a case's link chart to a file: GraphML, i2 ANX, PNG, SVG or PDF.

One renderer for every chart output: the bundle's (:func:`chart_drawing`, built on
:func:`graphs.render.render_drawing`), used by ``workbench chart``, the app's chart
export and the bundle's link-chart page. Every file shows the whole chart with a
title, the protective marking, the date and a legend; GraphML and ANX carry the
marking as a comment and as chart data. Anonymised files pass the leak gate and
name their nodes by number, never by the case's internal keys. Files are written
with mode 0600, through a temporary file, so nothing half-written is left.
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import datetime
from pathlib import Path

import networkx as nx
from reportlab.graphics.shapes import STATE_DEFAULTS, Drawing, Group, String
from sqlalchemy import select

from graphs.exchange import write_anx, write_graphml
from graphs.render import render_drawing
from workbench import audit
from workbench.chart_layout import prepare_chart
from workbench.errors import WorkbenchError
from workbench.evidence.exhibits import record_continuity
from workbench.leak_gate import LeakGate
from workbench.model import Event, Exhibit, utcnow
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.timeutil import format_local, zone

FORMATS = (".graphml", ".anx", ".png", ".svg", ".pdf")
PAGE = (1190.0, 842.0)  # A3 landscape, in points
LABEL_SIZE = 7.5  # chart labels; the bundle's and the files' alike
PNG_DPI = 200
HEADER, FOOTER = 34.0, 18.0


def chart_drawing(graph: nx.Graph, positions: dict, *, title: str, marking: str, produced: str,
                  width: float = PAGE[0], height: float = PAGE[1],
                  font_name: str | None = None) -> Drawing:
    """The whole chart with its title, marking (top and bottom), date and legend."""
    from workbench.bundle.fonts import SANS, SANS_BOLD, register_fonts

    register_fonts()
    font_name = font_name or SANS
    drawing = Drawing(width, height)
    drawing.add(String(width / 2, height - 12, marking, fontName=SANS_BOLD, fontSize=9,
                       textAnchor="middle"))
    drawing.add(String(8, height - 28, title, fontName=SANS_BOLD, fontSize=11))
    drawing.add(String(width - 8, height - 28, produced, fontName=font_name, fontSize=8,
                       textAnchor="end"))
    drawing.add(String(width / 2, 5, marking, fontName=SANS_BOLD, fontSize=9, textAnchor="middle"))
    if graph.number_of_nodes() == 0:
        drawing.add(String(8, height - HEADER - 20, "No contacts to chart.", fontName=font_name,
                           fontSize=10))
        return drawing
    body = render_drawing(graph, positions, width=width, height=height - HEADER - FOOTER,
                          font_name=font_name, font_size=LABEL_SIZE, legend=True)
    group = Group(*body.contents)
    group.translate(0, FOOTER)
    drawing.add(group)
    return drawing


def drawing_bytes(drawing: Drawing, suffix: str, *, title: str, marking: str) -> bytes:
    """A drawing as PDF, SVG or PNG bytes (PNG is rasterised from the PDF, so it matches)."""
    from reportlab.graphics import renderPDF, renderSVG

    from workbench.bundle.fonts import SANS

    default = STATE_DEFAULTS["fontName"]
    STATE_DEFAULTS["fontName"] = SANS  # the embedded font, not unembedded Helvetica
    try:
        if suffix == ".svg":
            svg = renderSVG.drawToString(drawing)
            svg = svg if isinstance(svg, str) else svg.decode("utf-8")
            head, _, rest = svg.partition("?>")
            return f"{head}?>\n<!-- {marking}: {title} -->{rest}".encode()
        pdf = renderPDF.drawToString(drawing, title=f"{marking}: {title}", author="Investigator Workbench")
    finally:
        STATE_DEFAULTS["fontName"] = default
    if suffix == ".pdf":
        return pdf
    return _png(pdf, title, marking)


def _png(pdf: bytes, title: str, marking: str) -> bytes:
    import pypdfium2
    from PIL.PngImagePlugin import PngInfo

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=PNG_DPI / 72).to_pil()
    finally:
        document.close()
    info = PngInfo()
    info.add_text("Title", title)
    info.add_text("Classification", marking)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, dpi=(PNG_DPI, PNG_DPI))
    return out.getvalue()


def exchange_bytes(graph: nx.Graph, suffix: str, *, title: str, marking: str) -> bytes:
    """GraphML or ANX bytes, the marking as a leading comment and as chart data."""
    graph = graph.copy()
    graph.graph.update(title=title, classification=marking)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"chart{suffix}"
        (write_graphml if suffix == ".graphml" else write_anx)(graph, target)
        text = target.read_text(encoding="utf-8")
    head, sep, rest = text.partition("?>")
    if not sep:
        head, rest = "", text
    return f"{head}{sep}\n<!-- {marking}: {title} -->{rest}".encode()


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, through a temp file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_chart(store: Store, case_ref: str, out: Path, *, anonymise: bool = False,
                start: datetime | None = None, end: datetime | None = None) -> dict[str, int]:
    """Lay out the case graph (keeping the analyst's arrangement) and write it by extension."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise WorkbenchError(f"{out.name}: chart format must be one of {', '.join(FORMATS)}")
    chart = prepare_chart(store, case_ref, anonymise=anonymise, start=start, end=end)
    graph, positions = chart.graph, dict(chart.positions)
    with store.reader() as session:
        case = find_case(session, case_ref)
        marking, tz = case.classification, zone(case.timezone)
        gate = LeakGate(case) if anonymise else None
    if anonymise:  # node ids are the case's internal keys (person:kerry_lowe)
        names = {node: f"n{number}" for number, node in enumerate(graph, start=1)}
        graph = nx.relabel_nodes(graph, names)
        positions = {names[n]: p for n, p in positions.items() if n in names}
    for node, position in positions.items():
        graph.nodes[node]["pos"] = position
    window = ""
    if start is not None or end is not None:
        window = (f", {format_local(start, tz) if start else 'start'} to "
                  f"{format_local(end, tz) if end else 'end'}")
    title = f"{case_ref}: link chart{window}" + (" (anonymised)" if anonymise else "")
    produced = f"Produced {format_local(utcnow(), tz)}"
    if suffix in (".graphml", ".anx"):
        data = exchange_bytes(graph, suffix, title=title, marking=marking)
    else:
        drawing = chart_drawing(graph, positions, title=title, marking=marking, produced=produced)
        data = drawing_bytes(drawing, suffix, title=title, marking=marking)
    if gate is not None:
        gate.check(data, out.name)
    write_private(out, data)
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
