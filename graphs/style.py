"""Visual vocabulary shared by the matplotlib and reportlab renderers.

Node kinds differ by *shape* first (so charts survive greyscale printing and colour
blindness) and by an Okabe-Ito fill second. Link severity differs by colour, line style
and lightness together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

# The matplotlib named line styles the severities use (typed so matplotlib accepts them).
LineStyle = Literal["solid", "dashed", "dotted", "dashdot"]


@dataclass(frozen=True)
class NodeStyle:
    """How to draw one node kind."""

    label: str
    shape: str  # "circle" or a key of polygon_vertices()
    fill: str
    outline: str = "#222222"
    hollow: bool = False
    marker: str = "o"  # matplotlib marker used in legends


@dataclass(frozen=True)
class SeverityStyle:
    """How to draw a link of one severity."""

    label: str
    colour: str
    linestyle: LineStyle  # matplotlib line style
    dash: tuple[float, ...] | None  # reportlab dash pattern, None for solid
    extra_width: float = 0.0


NODE_STYLES: dict[str, NodeStyle] = {
    "officer": NodeStyle("Officer", "square", "#0072B2", marker="s"),
    "member_of_public": NodeStyle("Member of public", "circle", "#E69F00", marker="o"),
    "colleague": NodeStyle("Colleague", "triangle", "#56B4E9", marker="^"),
    "witness": NodeStyle("Witness", "triangle_down", "#009E73", marker="v"),
    "other_person": NodeStyle("Other person", "octagon", "#CC79A7", marker="8"),
    "phone": NodeStyle("Phone", "diamond", "#F0E442", marker="D"),
    "account": NodeStyle("Account", "hexagon", "#D9D9D9", marker="h"),
    "vehicle": NodeStyle("Vehicle", "pentagon", "#8C8C8C", marker="p"),
    "place": NodeStyle("Place", "star", "#98D3B8", marker="*"),
    "police_system": NodeStyle("Police system", "plus", "#333333", marker="P"),
    "unresolved": NodeStyle("Unresolved", "circle", "#FFFFFF", outline="#444444", hollow=True,
                            marker="o"),
}
DEFAULT_NODE_STYLE = NodeStyle("Other", "circle", "#BBBBBB", marker="o")

SEVERITY_STYLES: dict[str, SeverityStyle] = {
    "none": SeverityStyle("No concern", "#C4C4C4", "solid", None),
    "low": SeverityStyle("Low", "#56B4E9", "dotted", (1.0, 2.0), 0.3),
    "medium": SeverityStyle("Medium", "#E69F00", "dashed", (5.0, 2.5), 0.6),
    "high": SeverityStyle("High", "#D55E00", "solid", None, 1.0),
}

# Node kinds that are people: always labelled, and drawn above identifiers.
PERSON_KINDS = frozenset({"officer", "member_of_public", "colleague", "witness", "other_person"})
HUB_LINKS = 3  # an identifier linked to this many others is a hub, labelled like a person

HIGHLIGHT_COLOUR = "#000000"
FADED_ALPHA = 0.3


def node_style(kind: object) -> NodeStyle:
    """Style for a node ``kind`` (unknown kinds get a neutral grey circle)."""
    return NODE_STYLES.get(str(kind), DEFAULT_NODE_STYLE)


def kind_label(kind: object) -> str:
    """A node kind's name in a key (an unknown kind is named after itself)."""
    style = node_style(kind)
    return style.label if style is not DEFAULT_NODE_STYLE else str(kind).replace("_", " ").capitalize()


def severity_style(severity: object) -> SeverityStyle:
    """Style for a link ``severity`` (unknown or missing means "none")."""
    return SEVERITY_STYLES.get(str(severity).lower(), SEVERITY_STYLES["none"])


def edge_width_points(weight: float, heaviest: float, *, thinnest: float = 0.6,
                      thickest: float = 4.0) -> float:
    """Line width in points for a contact volume, log-scaled against the heaviest."""
    if heaviest <= 0 or weight <= 0:
        return thinnest
    share = math.log1p(weight) / math.log1p(heaviest)
    return thinnest + (thickest - thinnest) * min(1.0, share)


def _regular(sides: int, rotation_degrees: float, scale: float = 1.0) -> list[tuple[float, float]]:
    rotation = math.radians(rotation_degrees)
    return [
        (scale * math.cos(rotation + 2 * math.pi * i / sides),
         scale * math.sin(rotation + 2 * math.pi * i / sides))
        for i in range(sides)
    ]


def _star(points: int = 5, inner: float = 0.45) -> list[tuple[float, float]]:
    vertices = []
    for i in range(2 * points):
        radius = 1.0 if i % 2 == 0 else inner
        angle = math.pi / 2 + math.pi * i / points
        vertices.append((radius * math.cos(angle), radius * math.sin(angle)))
    return vertices


def _plus(arm: float = 0.34) -> list[tuple[float, float]]:
    a, b = arm, 0.95
    return [(-a, b), (a, b), (a, a), (b, a), (b, -a), (a, -a), (a, -b), (-a, -b), (-a, -a),
            (-b, -a), (-b, a), (-a, a)]


_POLYGONS: dict[str, list[tuple[float, float]]] = {
    "square": _regular(4, 45.0, 1.2),
    "triangle": [(x, y - 0.15) for x, y in _regular(3, 90.0, 1.15)],
    "triangle_down": [(x, y + 0.15) for x, y in _regular(3, -90.0, 1.15)],
    "octagon": _regular(8, 22.5, 1.0),
    "diamond": _regular(4, 90.0, 1.25),
    "hexagon": _regular(6, 0.0, 1.0),
    "pentagon": _regular(5, 90.0, 1.05),
    "star": _star(),
    "plus": _plus(),
}


def polygon_vertices(shape: str) -> list[tuple[float, float]]:
    """Vertices of a shape scaled to a circle of radius 1 (empty for "circle")."""
    return list(_POLYGONS.get(shape, []))
