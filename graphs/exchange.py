"""Exchange formats: GraphML (Gephi, yEd) and i2 Analyst's Notebook ANX XML.

Writers build XML with ``xml.etree`` so every value is escaped. Readers parse with
``defusedxml`` (safe against entity-expansion attacks in files from elsewhere).

The ANX writer follows the subset of the format that third-party tools are known to
produce (``<Chart>`` with type collections and ``<ChartItemCollection>``); it has not
been checked against a live Analyst's Notebook here.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Hashable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import networkx as nx

from graphs.style import severity_colour

Node = Hashable

# kind -> (i2 entity type name, i2 icon file)
DEFAULT_ENTITY_TYPES: dict[str, tuple[str, str]] = {
    "officer": ("Police Officer", "police"),
    "member_of_public": ("Person", "person"),
    "colleague": ("Colleague", "person"),
    "witness": ("Witness", "person"),
    "other_person": ("Other Person", "anon"),
    "phone": ("Telephone", "phone"),
    "account": ("Account", "account"),
    "vehicle": ("Vehicle", "car"),
    "place": ("Location", "place"),
    "police_system": ("Police System", "computer"),
    "unresolved": ("Unresolved", "anon"),
}
DEFAULT_LINK_TYPES: dict[str, str] = {
    "owns": "Owns",
    "contact": "Contact",
    "visit": "Visit",
    "lookup": "System Lookup",
    "engagement": "Engagement",
}
_ANX_SCALE = 40.0  # layout units -> i2 chart units (about pixels)
_ANX_DATE = "%Y-%m-%dT%H:%M:%S.000"

# ---------------------------------------------------------------- GraphML


def _graphml_value(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return json.dumps([_graphml_value(item) for item in value], default=str)
    if isinstance(value, dict):
        return json.dumps({str(k): _graphml_value(v) for k, v in value.items()}, default=str)
    return str(value)


def _uniform_types(items: list[dict[str, Any]]) -> None:
    """Give each attribute a single type across items (GraphML keys are typed)."""
    kinds: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    for key, seen in kinds.items():
        if seen <= {bool} or seen <= {int} or seen <= {str}:
            continue
        target: type = float if seen <= {int, float} else str
        for data in items:
            if key in data:
                data[key] = target(data[key])


def write_graphml(graph: nx.Graph, path: str | Path) -> Path:
    """Write ``graph`` as GraphML that opens in Gephi and yEd.

    Datetimes become ISO 8601 strings, lists/tuples (``times``, ``pos``) JSON strings,
    ``None`` values are left out, and ``pos`` is also written as numeric ``x``/``y``.
    """
    copy = nx.MultiDiGraph() if graph.is_directed() else nx.MultiGraph()
    if not graph.is_multigraph():
        copy = nx.DiGraph() if graph.is_directed() else nx.Graph()
    node_data: list[dict[str, Any]] = []
    for node, data in graph.nodes(data=True):
        clean = {k: _graphml_value(v) for k, v in data.items() if v is not None}
        if data.get("pos") is not None:
            clean["x"], clean["y"] = (float(c) for c in data["pos"])
        node_data.append(clean)
        copy.add_node(str(node))
    edge_data = [
        {k: _graphml_value(v) for k, v in data.items() if v is not None}
        for _u, _v, data in graph.edges(data=True)
    ]
    _uniform_types(node_data)
    _uniform_types(edge_data)
    for (node, _data), clean in zip(graph.nodes(data=True), node_data, strict=True):
        copy.nodes[str(node)].update(clean)
    for (u, v), clean in zip(graph.edges(), edge_data, strict=True):
        copy.add_edge(str(u), str(v), **clean)
    target = Path(path)
    nx.write_graphml(copy, target, encoding="utf-8")
    return target


def read_graphml(path: str | Path) -> nx.Graph:
    """Read GraphML written by :func:`write_graphml` (or Gephi/yEd) back into networkx,
    turning ``first``/``last``/``times``/``pos`` back into datetimes and tuples."""
    graph = nx.read_graphml(Path(path))
    for _node, data in graph.nodes(data=True):
        if isinstance(data.get("pos"), str):
            data["pos"] = tuple(json.loads(data["pos"]))
    for *_ends, data in graph.edges(data=True):
        for key in ("first", "last"):
            if isinstance(data.get(key), str):
                data[key] = _parse_datetime(data[key])
        if isinstance(data.get("times"), str):
            data["times"] = [_parse_datetime(item) for item in json.loads(data["times"])]
    return graph


def _parse_datetime(text: str) -> datetime | str:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


# ---------------------------------------------------------------- ANX


def _colour_ref(hex_colour: str) -> int:
    """#RRGGBB to a Windows COLORREF (0x00BBGGRR), as i2 stores colours."""
    value = hex_colour.lstrip("#")
    red, green, blue = int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    return (blue << 16) | (green << 8) | red


def _anx_time(moment: datetime) -> str:
    """i2 date-times carry no zone: write UTC (the attribute names say so)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(_ANX_DATE)


def _sub(parent: ET.Element, tag: str, **attributes: Any) -> ET.Element:
    return ET.SubElement(parent, tag, {k: str(v) for k, v in attributes.items() if v is not None})


def write_anx(
    graph: nx.Graph,
    path: str | Path,
    *,
    entity_types: Mapping[str, str | tuple[str, str]] | None = None,
    link_types: Mapping[str, str] | None = None,
) -> Path:
    """Write ``graph`` as an i2 Analyst's Notebook exchange (ANX) chart.

    Args:
        graph: nodes with ``kind``/``label``/optional ``pos``; edges with ``kind``,
            ``weight``, ``severity``, ``first``/``last``.
        entity_types: node kind -> i2 entity type name, or (name, icon file); merged
            over :data:`DEFAULT_ENTITY_TYPES`.
        link_types: edge kind -> i2 link type name; merged over
            :data:`DEFAULT_LINK_TYPES`.

    Entities carry their label as Identity, ``X``/``Y`` from ``pos``; links carry
    ``DateTime`` when the first contact is known, and attributes for the contact
    count, severity and first/last contact (UTC).
    """
    entity_map: dict[str, tuple[str, str]] = dict(DEFAULT_ENTITY_TYPES)
    for kind, value in (entity_types or {}).items():
        entity_map[kind] = (value, "anon") if isinstance(value, str) else tuple(value)  # type: ignore[assignment]
    link_map = {**DEFAULT_LINK_TYPES, **(link_types or {})}

    def entity_type(kind: Any) -> tuple[str, str]:
        return entity_map.get(str(kind), (str(kind or "Entity").replace("_", " ").title(), "anon"))

    def link_type(kind: Any) -> str:
        return link_map.get(str(kind), str(kind or "Link").replace("_", " ").title())

    chart = ET.Element("Chart", {"IdReferenceLinking": "false", "Rigorous": "true"})
    strengths = _sub(chart, "StrengthCollection")
    _sub(strengths, "Strength", Name="Confirmed", DotStyle="DotStyleSolid")
    link_collection = _sub(chart, "LinkTypeCollection")
    for name in dict.fromkeys(link_type(kind) for *_e, kind in graph.edges(data="kind")):
        _sub(link_collection, "LinkType", Name=name, Colour=0)
    entity_collection = _sub(chart, "EntityTypeCollection")
    for name, icon in dict.fromkeys(entity_type(kind) for _n, kind in graph.nodes(data="kind")):
        _sub(entity_collection, "EntityType", Name=name, IconFile=icon, Colour=0)
    classes = _sub(chart, "AttributeClassCollection")
    for name, kind in (("Kind", "AttText"), ("Contacts", "AttNumber"), ("Severity", "AttText"),
                       ("First contact (UTC)", "AttTime"), ("Last contact (UTC)", "AttTime")):
        _sub(classes, "AttributeClass", Name=name, Type=kind, ShowValue="true")
    items = _sub(chart, "ChartItemCollection")

    ids: dict[Node, str] = {}
    for number, (node, data) in enumerate(graph.nodes(data=True), start=1):
        ids[node] = f"E{number}"
        label = str(data.get("label", node))
        x, y = data.get("pos") or (0.0, 0.0)
        item = _sub(items, "ChartItem", Label=label, DateSet="false",
                    XPosition=round(float(x) * _ANX_SCALE))
        attributes = _sub(item, "AttributeCollection")
        _sub(attributes, "Attribute", AttributeClass="Kind", Value=str(data.get("kind", "")))
        end = _sub(item, "End", X=round(float(x) * _ANX_SCALE), Y=round(-float(y) * _ANX_SCALE))
        entity = _sub(end, "Entity", EntityId=ids[node], Identity=label, LabelIsIdentity="true")
        icon_element = _sub(entity, "Icon")
        _sub(icon_element, "IconStyle", Type=entity_type(data.get("kind"))[0])

    for u, v, data in graph.edges(data=True):
        first, last = data.get("first"), data.get("last")
        has_date = isinstance(first, datetime)
        item = _sub(items, "ChartItem", Label=str(data.get("label", link_type(data.get("kind")))),
                    DateSet="true" if has_date else "false",
                    TimeSet="true" if has_date else "false",
                    DateTime=_anx_time(first) if has_date else None)
        attributes = _sub(item, "AttributeCollection")
        _sub(attributes, "Attribute", AttributeClass="Kind", Value=str(data.get("kind", "")))
        if data.get("weight") is not None:
            _sub(attributes, "Attribute", AttributeClass="Contacts", Value=data["weight"])
        severity = str(data.get("severity") or "none")
        _sub(attributes, "Attribute", AttributeClass="Severity", Value=severity)
        for name, moment in (("First contact (UTC)", first), ("Last contact (UTC)", last)):
            if isinstance(moment, datetime):
                _sub(attributes, "Attribute", AttributeClass=name, Value=_anx_time(moment))
        link = _sub(item, "Link", End1Id=ids[u], End2Id=ids[v])
        _sub(link, "LinkStyle", Type=link_type(data.get("kind")), Strength="Confirmed",
             ArrowStyle="ArrowOnHead" if graph.is_directed() else "ArrowNone",
             LineWidth=1 + min(4, int(float(data.get("weight") or 1) ** 0.25)),
             LineColour=_colour_ref(severity_colour(severity)))

    target = Path(path)
    ET.indent(chart)
    ET.ElementTree(chart).write(target, encoding="utf-8", xml_declaration=True)
    return target


def read_anx(path: str | Path) -> nx.MultiGraph:
    """Read an ANX chart into a MultiGraph (MultiDiGraph if any link has an arrow).

    Entities become nodes keyed by EntityId with ``label``, ``kind`` (mapped back
    through :data:`DEFAULT_ENTITY_TYPES`, else the i2 type name) and ``pos``; links
    become edges with ``label``, ``kind``, ``weight``, ``severity`` and ``first``.
    """
    root = SafeET.parse(Path(path)).getroot()
    kind_by_type = {name: kind for kind, (name, _icon) in DEFAULT_ENTITY_TYPES.items()}
    link_kind_by_type = {name: kind for kind, name in DEFAULT_LINK_TYPES.items()}
    nodes: list[tuple[str, dict[str, Any]]] = []
    links: list[tuple[str, str, dict[str, Any], bool]] = []
    for item in root.iter("ChartItem"):
        values = {a.get("AttributeClass"): a.get("Value") for a in item.iter("Attribute")}
        entity = item.find("End/Entity")
        if entity is not None:
            end = item.find("End")
            style = entity.find("Icon/IconStyle")
            type_name = style.get("Type", "") if style is not None else ""
            x = float(end.get("X", 0)) / _ANX_SCALE if end is not None else 0.0
            y = -float(end.get("Y", 0)) / _ANX_SCALE if end is not None else 0.0
            key = entity.get("EntityId") or entity.get("Identity") or item.get("Label", "")
            nodes.append((key, {
                "label": entity.get("Identity") or item.get("Label", ""),
                "kind": values.get("Kind") or kind_by_type.get(type_name, type_name),
                "pos": (x, y),
            }))
            continue
        link = item.find("Link")
        if link is None:
            continue
        style = link.find("LinkStyle")
        type_name = style.get("Type", "") if style is not None else ""
        data: dict[str, Any] = {
            "label": item.get("Label", ""),
            "kind": values.get("Kind") or link_kind_by_type.get(type_name, type_name),
            "severity": values.get("Severity", "none"),
        }
        if values.get("Contacts") is not None:
            data["weight"] = float(values["Contacts"])
        if item.get("DateTime"):
            data["first"] = datetime.strptime(item.get("DateTime", ""), _ANX_DATE).replace(tzinfo=UTC)
        directed = style is not None and style.get("ArrowStyle", "ArrowNone") != "ArrowNone"
        end1 = link.get("End1Id") or link.get("End1Reference") or ""
        end2 = link.get("End2Id") or link.get("End2Reference") or ""
        links.append((end1, end2, data, directed))
    graph: nx.MultiGraph = nx.MultiDiGraph() if any(d for *_x, d in links) else nx.MultiGraph()
    graph.add_nodes_from(nodes)
    for end1, end2, data, _directed in links:
        graph.add_edge(end1, end2, **data)
    return graph
