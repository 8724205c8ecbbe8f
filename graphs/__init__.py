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

# The renderers pull in matplotlib (most of a second to import): they load on first use,
# so an app that only lays out and analyses graphs starts without it.
_LAZY = {
    "render_drawing": "graphs.render", "render_figure": "graphs.render",
    "save_figure": "graphs.render",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'graphs' has no attribute {name!r}")

__all__ = [
    "NODE_RADIUS",
    "TimedPath",
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
    "save_figure",
    "shortest_path",
    "time_respecting_paths",
    "top_nodes",
    "write_anx",
    "write_graphml",
]
