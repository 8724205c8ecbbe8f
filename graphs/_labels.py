"""Label placement shared by the renderers: no two labels ever overlap.

Labels are placed one by one in the caller's order. Each tries eight spots around its
node (below, above, right, left, then the corners), nearest first; a spot is taken
only if its box overlaps no label already placed and no node. A label that must be
shown (a person or a hub, see :func:`must_label`) searches further out, in rings, and
is joined to its node by a leader line; in a jam it may cover a node's symbol but
never another label. A label that finds no free spot is left out and counted, so the
chart can say how many it hides. A coarse grid keeps the checks local.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphs.style import HUB_LINKS, PERSON_KINDS

Node = Hashable
NodeT = TypeVar("NodeT", bound=Hashable)
Box = tuple[float, float, float, float]  # min_x, min_y, max_x, max_y
Measure = Callable[[str], tuple[float, float]]  # text -> (width, height), in data units

NEAR_RINGS = 2  # rings tried by a label that may be left out
FAR_RINGS = 14  # rings tried by a label that must be shown


@dataclass(frozen=True)
class PlacedLabel:
    """A label's anchor point, alignment and box, in data units.

    ``leader`` is set when the label sits away from its node: draw a line from the
    node to the box's nearest point.
    """

    node: Node
    text: str
    x: float
    y: float
    horizontal: str  # "center", "left" or "right"
    vertical: str  # "top", "bottom" or "center"
    box: Box
    leader: bool = False


@dataclass
class LabelPlan:
    """The labels drawn, and the nodes whose labels were left out."""

    placed: list[PlacedLabel] = field(default_factory=list)
    hidden: list[Node] = field(default_factory=list)


def must_label(graph: Any, node: Node) -> bool:
    """People, folded groups and hub identifiers are always labelled.

    A hub is an identifier linked to ``HUB_LINKS`` or more others, or to the officer.
    ``graph`` is an undirected simple graph (one link per pair).
    """
    data = graph.nodes[node]
    if data.get("kind") in PERSON_KINDS or data.get("folded"):
        return True
    ends = [end for end in graph.neighbors(node) if end != node]
    return len(ends) >= HUB_LINKS or any(graph.nodes[end].get("kind") == "officer" for end in ends)


def overlaps(a: Box, b: Box) -> bool:
    """True when two boxes share any area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    labels: Mapping[NodeT, str],
    positions: Mapping[NodeT, tuple[float, float]],
    *,
    radius: float,
    measure: Measure,
    gap: float,
    node_order: Sequence[NodeT],
    always: Collection[NodeT] = (),
    bounds: Box | None = None,
) -> LabelPlan:
    """Place labels near their nodes so that no two labels overlap.

    Nodes listed first in ``node_order`` choose first; put the ``always`` nodes first.
    ``bounds``, when given, is the area every label box must stay inside.
    """
    cell = max(4.0 * measure("Ag")[1], 2.0 * radius, 1e-9)
    label_grid: dict[tuple[int, int], list[Box]] = defaultdict(list)
    node_grid: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def cells(box: Box) -> list[tuple[int, int]]:
        return [
            (i, j)
            for i in range(int(box[0] // cell), int(box[2] // cell) + 1)
            for j in range(int(box[1] // cell), int(box[3] // cell) + 1)
        ]

    def hits(box: Box, grid: dict[tuple[int, int], list[Box]]) -> bool:
        return any(overlaps(box, other) for key in cells(box) for other in grid.get(key, ()))

    def inside(box: Box) -> bool:
        return bounds is None or (bounds[0] <= box[0] and bounds[1] <= box[1]
                                  and box[2] <= bounds[2] and box[3] <= bounds[3])

    for node in node_order:
        if node in positions:
            x, y = positions[node]
            body = (x - radius, y - radius, x + radius, y + radius)
            for key in cells(body):
                node_grid[key].append(body)
    must = set(always)
    plan = LabelPlan()
    for node in node_order:
        text = labels.get(node)
        if not text or node not in positions:
            continue
        width, height = measure(text)
        rings = FAR_RINGS if node in must else NEAR_RINGS
        spots = [spot for ring in range(rings)
                 for spot in _spots(*positions[node], width, height, radius + gap + ring * height,
                                    leader=ring > 0)
                 if inside(spot[4])]
        chosen = next((s for s in spots if not hits(s[4], label_grid) and not hits(s[4], node_grid)),
                      None)
        if chosen is None and node in must:  # over a symbol rather than left out
            chosen = next((s for s in spots if not hits(s[4], label_grid)), None)
        if chosen is None:
            plan.hidden.append(node)
            continue
        anchor_x, anchor_y, horizontal, vertical, box, leader = chosen
        for key in cells(box):
            label_grid[key].append(box)
        plan.placed.append(PlacedLabel(node, text, anchor_x, anchor_y, horizontal, vertical,
                                       box, leader))
    return plan


def _spots(x: float, y: float, width: float, height: float, offset: float, *,
           leader: bool) -> list[tuple[float, float, str, str, Box, bool]]:
    """Eight spots around a node, ``offset`` away: sides first, then corners."""
    half_w, half_h = width / 2.0, height / 2.0
    corner = offset * 0.72
    return [
        (x, y - offset, "center", "top", (x - half_w, y - offset - height, x + half_w, y - offset),
         leader),
        (x, y + offset, "center", "bottom", (x - half_w, y + offset, x + half_w, y + offset + height),
         leader),
        (x + offset, y, "left", "center", (x + offset, y - half_h, x + offset + width, y + half_h),
         leader),
        (x - offset, y, "right", "center", (x - offset - width, y - half_h, x - offset, y + half_h),
         leader),
        (x + corner, y - corner, "left", "top",
         (x + corner, y - corner - height, x + corner + width, y - corner), leader),
        (x - corner, y - corner, "right", "top",
         (x - corner - width, y - corner - height, x - corner, y - corner), leader),
        (x + corner, y + corner, "left", "bottom",
         (x + corner, y + corner, x + corner + width, y + corner + height), leader),
        (x - corner, y + corner, "right", "bottom",
         (x - corner - width, y + corner, x - corner, y + corner + height), leader),
    ]
