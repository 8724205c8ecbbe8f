"""``layout``: our force-directed layout vs ``networkx.spring_layout`` on the same graph.

The row is measured on 2,000 nodes / 6,000 edges (target: at least 10x faster,
i.e. ratio <= 0.1); its note also gives the time for a 10,000-node graph, which
must lay out in a few seconds.
"""

from __future__ import annotations

import networkx as nx

from graphs.layout import benchmark_graph, force_layout
from workbench.bench import BenchRow, benchmark, stopwatch
from workbench.errors import WorkbenchError


@benchmark("layout")
def run(quick: bool) -> BenchRow:
    nodes, edges = (200, 600) if quick else (2_000, 6_000)
    graph = benchmark_graph(nodes, edges, seed=0)
    with stopwatch() as ours:
        force_layout(graph, seed=0)
    try:
        import scipy  # noqa: F401 - spring_layout's sparse solver, above 500 nodes
    except ImportError:
        raise WorkbenchError("the layout baseline, networkx.spring_layout, needs scipy: "
                             "pip install -e '.[test]' (or pip install scipy)") from None
    with stopwatch() as baseline:
        nx.spring_layout(graph, seed=0)
    big_nodes = 1_000 if quick else 10_000
    big = benchmark_graph(big_nodes, 3 * big_nodes, seed=1)
    with stopwatch() as large:
        force_layout(big, seed=0)
    # At quick sizes fixed costs dominate: the target is judged at full size only.
    return BenchRow("layout", ours[0], baseline[0], None if quick else 0.1,
                    "networkx.spring_layout (50 iterations)",
                    f"{nodes:,} nodes / {edges:,} edges",
                    note=f"{big_nodes:,}-node / {3 * big_nodes:,}-edge graph: {large[0]:.2f}s")
