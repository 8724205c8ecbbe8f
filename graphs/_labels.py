"""Greedy label placement shared by the renderers.

Each label tries below, above, right and left of its node and takes the first spot
that overlaps neither an already placed label nor a node; if none is free it takes
the least crowded one. A coarse grid keeps the checks local.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Node = Hashable
NodeT = TypeVar("NodeT", bound=Hashable)
Box = tuple[float, float, float, float]  # min_x, min_y, max_x, max_y


@dataclass(frozen=True)
class PlacedLabel:
    """A label's anchor point and alignment, in data units."""

    node: Node
    text: str
    x: float
    y: float
    horizontal: str  # "center", "left" or "right"
    vertical: str  # "top", "bottom" or "center"
    box: Box


def place_labels(
    labels: Mapping[NodeT, str],
    positions: Mapping[NodeT, tuple[float, float]],
    *,
    radius: float,
    char_width: float,
    line_height: float,
    gap: float,
    node_order: Sequence[NodeT],
    max_avoiding: int = 3000,
) -> list[PlacedLabel]:
    """Place labels near their nodes, avoiding overlaps where reasonably possible.

    Sizes are in data units: ``char_width`` per character and ``line_height`` per
    line. Nodes listed first in ``node_order`` choose first. Above ``max_avoiding``
    labels every label simply goes below its node.
    """
    cell = max(4.0 * line_height, 2.0 * radius, 1e-9)
    grid: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def cells(box: Box) -> list[tuple[int, int]]:
        return [
            (i, j)
            for i in range(int(box[0] // cell), int(box[2] // cell) + 1)
            for j in range(int(box[1] // cell), int(box[3] // cell) + 1)
        ]

    def add(box: Box) -> None:
        for key in cells(box):
            grid[key].append(box)

    def clashes(box: Box) -> int:
        seen = 0
        for key in cells(box):
            for other in grid[key]:
                if box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]:
                    seen += 1
        return seen

    avoiding = len(labels) <= max_avoiding
    if avoiding:
        for node in node_order:
            if node in positions:
                x, y = positions[node]
                add((x - radius, y - radius, x + radius, y + radius))
    placed: list[PlacedLabel] = []
    for node in node_order:
        text = labels.get(node)
        if not text or node not in positions:
            continue
        x, y = positions[node]
        lines = text.splitlines() or [text]
        width = char_width * max(len(line) for line in lines)
        height = line_height * len(lines)
        options = _candidates(x, y, width, height, radius + gap)
        if not avoiding:
            options = options[:1]
        best = options[0]
        best_clashes = None
        for option in options:
            count = clashes(option[4]) if avoiding else 0
            if best_clashes is None or count < best_clashes:
                best, best_clashes = option, count
            if count == 0:
                break
        anchor_x, anchor_y, horizontal, vertical, box = best
        if avoiding:
            add(box)
        placed.append(PlacedLabel(node, text, anchor_x, anchor_y, horizontal, vertical, box))
    return placed


def _candidates(x: float, y: float, width: float, height: float,
                offset: float) -> list[tuple[float, float, str, str, Box]]:
    half = width / 2.0
    return [
        (x, y - offset, "center", "top", (x - half, y - offset - height, x + half, y - offset)),
        (x, y + offset, "center", "bottom", (x - half, y + offset, x + half, y + offset + height)),
        (x + offset, y, "left", "center",
         (x + offset, y - height / 2, x + offset + width, y + height / 2)),
        (x - offset, y, "right", "center",
         (x - offset - width, y - height / 2, x - offset, y + height / 2)),
    ]
