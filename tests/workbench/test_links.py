"""The case graph, identifier assignment and discovery of further contacts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.workbench.case_builder import add_events, add_shift
from workbench.anonymise import Anonymiser
from workbench.casegraph import build_case_graph, identifier_node, person_node, summary
from workbench.discover import discover
from workbench.identities import assign_identifier
from workbench.integrity import verify_audit
from workbench.model import Event, Identifier
from workbench.store.queries import find_case

WORK, PERSONAL = ("phone", "07700 900101"), ("phone", "07700 900102")
WOMAN_A, STRANGER = ("phone", "07700 900201"), ("phone", "07700 900555")
START = datetime(2021, 3, 2, 10, 0, tzinfo=UTC)
NIGHT = datetime(2021, 3, 22, 23, 0, tzinfo=UTC)  # 23:00 GMT, local time in March


def seed(store):
    events = [{"at": START + timedelta(hours=n), "sender": WORK, "recipient": WOMAN_A} for n in range(3)]
    events += [{"at": NIGHT + timedelta(minutes=n), "sender": PERSONAL,
                "recipient": STRANGER, "text": "hi x"} for n in range(12)]
    events += [{"at": NIGHT + timedelta(hours=3), "sender": STRANGER, "recipient": PERSONAL}]
    return add_events(store, "OP-WILLOW", events)


def test_graph_has_people_identifiers_and_aggregated_contact(willow):
    seed(willow)
    with willow.reader() as session:
        case = find_case(session, "OP-WILLOW")
        graph = build_case_graph(session, case)
        counts = summary(graph)
        stranger = session.scalars(select(Identifier).where(Identifier.value == "+447700900555")).one()
    assert counts["nodes"]["officer"] == 1 and counts["nodes"]["member_of_public"] == 1
    assert counts["nodes"]["unresolved"] == 1 and counts["nodes"]["place"] == 1
    edges = graph.get_edge_data(identifier_node(stranger.id), next(
        n for n, d in graph.nodes(data=True) if d.get("label") == "07700 900102"))
    contact = next(e for e in edges.values() if e["kind"] == "contact")
    assert contact["weight"] == 13 and contact["night"] == 13 and contact["channel"] == "personal_mobile"
    assert graph.has_edge(person_node("pcso"), person_node("woman_a"))  # the engagement


def test_time_window_limits_contact(willow):
    seed(willow)
    with willow.reader() as session:
        case = find_case(session, "OP-WILLOW")
        graph = build_case_graph(session, case, start=START, end=START + timedelta(days=1))
    contacts = [d for _, _, d in graph.edges(data=True) if d["kind"] == "contact"]
    assert [c["weight"] for c in contacts] == [3]


def test_anonymised_graph_has_no_names(willow):
    seed(willow)
    with willow.reader() as session:
        case = find_case(session, "OP-WILLOW")
        graph = build_case_graph(session, case, Anonymiser(case, True))
    labels = " ".join(d["label"] for _, d in graph.nodes(data=True))
    assert "Woman A" in labels
    for secret in ("Kerry", "Lowe", "900201", "NICHE", "Priya"):
        assert secret not in labels


def test_assigning_an_identifier_relinks_its_events_and_undo_restores(willow):
    seed(willow)
    with willow.reader() as session:
        stranger = session.scalars(select(Identifier).where(Identifier.value == "+447700900555")).one()
    previous = assign_identifier(willow, "OP-WILLOW", stranger.id, "colleague", use="personal")
    assert previous.person_key is None
    with willow.reader() as session:
        assert session.get(Identifier, stranger.id).person.key == "colleague"
        directions = set(session.scalars(select(Event.direction).where(Event.to_id == stranger.id)))
        assert directions == {"outgoing"}
    assign_identifier(willow, "OP-WILLOW", previous.identifier_id, previous.person_key, previous.use)
    with willow.reader() as session:
        assert session.get(Identifier, stranger.id).person_id is None
        assert session.get(Identifier, stranger.id).use == "unknown"
    assert verify_audit(willow) == []


def test_discover_ranks_the_night_personal_contact_first(willow):
    seed(willow)
    add_events(willow, "OP-WILLOW", [
        {"at": START + timedelta(days=5, hours=n), "sender": WORK, "recipient": ("phone", "07700 900777")}
        for n in range(2)], exhibit="T/2")
    add_shift(willow, "OP-WILLOW", "pcso", NIGHT - timedelta(hours=12), NIGHT + timedelta(hours=12), False)
    with willow.reader() as session:
        ranked = discover(session, find_case(session, "OP-WILLOW"))
    assert [c.display for c in ranked] == ["07700 900555", "07700 900777"]
    assert [c.value for c in ranked] == ["+447700900555", "+447700900777"]
    reasons = " ".join(ranked[0].reasons)
    assert "13 contacts" in reasons and "100% of contact on personal channels" in reasons
    assert "between 22:00 and 06:00" in reasons and "rostered off duty" in reasons


def test_discover_json_gives_e164_with_the_display_form_beside_it(willow, capsys):
    """#17 point 6: machine-readable output uses one form of a number, as `case show --json`."""
    import json

    from workbench.cli import main

    seed(willow)
    url = str(willow.engine.url)
    assert main(["--db", url, "discover", "OP-WILLOW", "--json"]) == 0
    candidates = json.loads(capsys.readouterr().out)["candidates"]
    assert candidates[0]["value"] == "+447700900555"
    assert candidates[0]["display"] == "07700 900555"
    assert main(["--db", url, "discover", "OP-WILLOW"]) == 0
    assert "07700 900555" in capsys.readouterr().out  # people read the display form
