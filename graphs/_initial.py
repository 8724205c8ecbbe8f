"""Starting positions for the force layout: pivot MDS (Brandes & Pich, 2006).

A force simulation started from random positions folds over on itself (a grid ends up
creased, a tree tangled) and needs many more steps to undo that. Classical scaling of
hop distances to a few pivot nodes gives a globally sensible, unfolded start in a
fraction of the simulation's time, so the simulation only has to tidy local detail.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graphs._spatial import FloatArray, IntArray


def hop_distances(indptr: IntArray, indices: IntArray, source: int) -> NDArray[np.float64]:
    """Breadth-first hop counts from ``source`` on a CSR adjacency (inf if unreachable)."""
    count = len(indptr) - 1
    distance = np.full(count, np.inf)
    distance[source] = 0.0
    frontier = np.array([source], dtype=np.int64)
    hops = 0.0
    while frontier.size:
        hops += 1.0
        starts = indptr[frontier]
        lengths = indptr[frontier + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            break
        within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        reached = indices[np.repeat(starts, lengths) + within]
        reached = np.unique(reached[np.isinf(distance[reached])])
        distance[reached] = hops
        frontier = reached
    return distance


def csr_adjacency(count: int, sources: IntArray, targets: IntArray) -> tuple[IntArray, IntArray]:
    """Symmetric CSR adjacency (indptr, indices) from an undirected edge list."""
    heads = np.concatenate([sources, targets])
    tails = np.concatenate([targets, sources])
    order = np.argsort(heads, kind="stable")
    indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=count), out=indptr[1:])
    return indptr, tails[order].astype(np.int64)


def pivot_mds(
    count: int,
    sources: IntArray,
    targets: IntArray,
    rng: np.random.Generator,
    *,
    pivots: int = 40,
) -> FloatArray | None:
    """Two-dimensional pivot MDS of a *connected* graph's hop distances.

    Returns an ``(count, 2)`` array scaled so that the median edge is one unit long, or
    ``None`` when the graph is too small or degenerate for MDS to help.
    """
    if count < 4 or len(sources) == 0:
        return None
    indptr, indices = csr_adjacency(count, sources, targets)
    chosen = min(pivots, count)
    columns = np.empty((count, chosen))
    nearest = np.full(count, np.inf)
    pivot = int(rng.integers(count))
    for column in range(chosen):
        distance = hop_distances(indptr, indices, pivot)
        if np.isinf(distance).any():
            return None
        columns[:, column] = distance
        nearest = np.minimum(nearest, distance)
        # Farthest-first: the next pivot is the node farthest from all chosen so far.
        pivot = int(np.argmax(nearest))
    squared = columns**2
    centred = -0.5 * (
        squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    )
    _values, vectors = np.linalg.eigh(centred.T @ centred)
    positions = centred @ vectors[:, ::-1][:, :2]
    lengths = np.linalg.norm(positions[sources] - positions[targets], axis=1)
    median = float(np.median(lengths))
    if not np.isfinite(median) or median < 1e-9:
        return None
    return positions / median
