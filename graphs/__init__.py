"""Generic link-analysis and charting toolkit over networkx, matplotlib and reportlab.

Layouts, centrality, path finding, renderers and exchange formats for link charts whose
nodes carry ``kind``/``label`` and edges ``kind``/``weight``/``severity``/times. Knows
nothing of cases, Qt or databases.
"""

# Each name loads its module on first use (networkx and matplotlib take most of a second
# to import): the app starts without them, and a submodule import pulls in only itself.
_LAZY = {
    "read_anx": "graphs.exchange", "read_graphml": "graphs.exchange",
    "write_anx": "graphs.exchange", "write_graphml": "graphs.exchange",
    "NODE_RADIUS": "graphs.layout", "benchmark_graph": "graphs.layout",
    "estimate_label_size": "graphs.layout", "force_layout": "graphs.layout",
    "hierarchical_layout": "graphs.layout", "radial_layout": "graphs.layout",
    "betweenness_centrality": "graphs.metrics", "centrality": "graphs.metrics",
    "degree_centrality": "graphs.metrics", "eigenvector_centrality": "graphs.metrics",
    "top_nodes": "graphs.metrics",
    "TimedPath": "graphs.paths", "all_paths": "graphs.paths", "shortest_path": "graphs.paths",
    "time_respecting_paths": "graphs.paths",
    "render_drawing": "graphs.render", "render_figure": "graphs.render",
    "save_figure": "graphs.render",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib  # noqa: PLC0415

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
