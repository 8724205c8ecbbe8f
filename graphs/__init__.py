"""Generic link-analysis and charting toolkit over networkx, matplotlib and reportlab.

Layouts, centrality, path finding, renderers and exchange formats for link charts whose
nodes carry ``kind``/``label`` and edges ``kind``/``weight``/``severity``/times. Knows
nothing of cases, Qt or databases.
"""

from graphs.exchange import read_anx, read_graphml, write_anx, write_graphml
from graphs.layout import (
    NODE_RADIUS,
    benchmark_graph,
    estimate_label_size,
    force_layout,
    hierarchical_layout,
    radial_layout,
)
from graphs.metrics import (
    betweenness_centrality,
    centrality,
    degree_centrality,
    eigenvector_centrality,
    top_nodes,
)
from graphs.paths import TimedPath, all_paths, shortest_path, time_respecting_paths
from graphs.render import render_drawing, render_figure, save_figure
from graphs.timeline_chart import (
    TimelineEvent,
    TimelineMarker,
    TimelineShading,
    TimelineSpan,
    render_timeline_figure,
)

__all__ = [
    "NODE_RADIUS",
    "TimedPath",
    "TimelineEvent",
    "TimelineMarker",
    "TimelineShading",
    "TimelineSpan",
    "all_paths",
    "benchmark_graph",
    "betweenness_centrality",
    "centrality",
    "degree_centrality",
    "eigenvector_centrality",
    "estimate_label_size",
    "force_layout",
    "hierarchical_layout",
    "radial_layout",
    "read_anx",
    "read_graphml",
    "render_drawing",
    "render_figure",
    "render_timeline_figure",
    "save_figure",
    "shortest_path",
    "time_respecting_paths",
    "top_nodes",
    "write_anx",
    "write_graphml",
]
