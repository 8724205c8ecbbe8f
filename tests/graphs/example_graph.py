"""A small hand-built investigation chart used by several graphs tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import networkx as nx

BASE = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def build_example_graph() -> nx.MultiGraph:
    """An officer, four people, their phones and accounts, a vehicle and places (~40 nodes)."""
    graph = nx.MultiGraph()
    graph.add_node("off", kind="officer", label="Officer A")
    graph.add_node("off_phone", kind="phone", label="07700 900001")
    graph.add_node("off_acct", kind="account", label="Acct 40-11-22")
    graph.add_node("pnc", kind="police_system", label="PNC")
    graph.add_node("car", kind="vehicle", label="AB12 CDE")
    graph.add_node("station", kind="place", label="Central Station")
    graph.add_edge("off", "off_phone", kind="owns", weight=1)
    graph.add_edge("off", "off_acct", kind="owns", weight=1)
    graph.add_edge("off", "car", kind="owns", weight=1)
    graph.add_edge("off", "station", kind="visit", weight=40)
    people = [
        ("p1", "member_of_public", "Person B", "high"),
        ("p2", "member_of_public", "Person C", "medium"),
        ("p3", "colleague", "Colleague D", "low"),
        ("p4", "witness", "Witness E", "none"),
    ]
    for number, (person, kind, label, severity) in enumerate(people):
        phone = f"{person}_phone"
        account = f"{person}_acct"
        graph.add_node(person, kind=kind, label=label)
        graph.add_node(phone, kind="phone", label=f"07700 90010{number}")
        graph.add_node(account, kind="account", label=f"Acct 20-00-0{number}")
        graph.add_edge(person, phone, kind="owns", weight=1)
        graph.add_edge(person, account, kind="owns", weight=1)
        times = [BASE + timedelta(days=number, hours=h) for h in range(0, 3 * (number + 1), 3)]
        graph.add_edge("off_phone", phone, kind="contact", weight=len(times) * 10 ** (3 - number),
                       severity=severity, first=times[0], last=times[-1], times=times)
        graph.add_edge("pnc", person, kind="lookup", weight=number + 1, severity=severity)
        graph.add_edge("off", person, kind="engagement", weight=2, severity=severity,
                       first=BASE - timedelta(days=30), last=BASE + timedelta(days=60))
        for visit in range(2):
            place = f"{person}_place{visit}"
            graph.add_node(place, kind="place", label=f"Address {number}{visit}")
            graph.add_edge(person, place, kind="visit", weight=3 + visit)
        contact = f"{person}_contact"
        graph.add_node(contact, kind="other_person", label=f"Associate {number}")
        graph.add_edge(phone, contact, kind="contact", weight=5)
    graph.add_edge("off_acct", "p1_acct", kind="contact", weight=3, severity="high",
                   first=BASE + timedelta(days=2), last=BASE + timedelta(days=2))
    graph.add_edge("p1_place0", "p2_place1", kind="contact", weight=1)
    graph.add_node("unknown1", kind="unresolved", label="Unknown 1")
    graph.add_edge("p2_phone", "unknown1", kind="contact", weight=12)
    graph.add_edge("car", "p1_place0", kind="visit", weight=2, severity="medium")
    graph.add_node("loose", kind="phone", label="07700 900999")
    graph.add_node("loose2", kind="unresolved", label="Unknown 2")
    graph.add_edge("loose", "loose2", kind="contact", weight=2)
    return graph
