"""Building small cases with hand-made events, for tests that need exact data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from workbench import audit
from workbench.ingest.records import Party
from workbench.ingest.resolve import Resolver, classify
from workbench.model import DutyShift, Exhibit
from workbench.store import Store
from workbench.store.bulk import EventWriter
from workbench.store.queries import find_case


def add_events(store: Store, ref: str, events: list[dict], exhibit: str = "T/1") -> list[int]:
    """Insert events given as dicts: at, kind, sender/recipient ``(kind, value)``, app, text...

    Parties resolve exactly as the importers resolve them; returns the event ids.
    """
    with store.session() as session:
        case = find_case(session, ref)
        row = session.scalars(select(Exhibit).where(Exhibit.case_id == case.id,
                                                    Exhibit.reference == exhibit)).first()
        if row is None:
            row = Exhibit(case_id=case.id, reference=exhibit, producer="Test", file_name=f"{exhibit}.csv",
                          sha256=exhibit.ljust(64, "0")[:64], size=1, kind="test")
            session.add(row)
            session.flush()
        resolver = Resolver(session, case)
        writer = EventWriter(session)
        for number, event in enumerate(events, start=1):
            sender = resolver.resolve(Party(*event["sender"])) if event.get("sender") else None
            recipient = resolver.resolve(Party(*event["recipient"])) if event.get("recipient") else None
            channel, direction = classify(event.get("app"), sender, recipient)
            writer.add((case.id, row.id, event.get("position", f"line {number}"), event["at"], False,
                        event.get("kind", "sms"), channel, direction,
                        sender.identifier_id if sender else None,
                        recipient.identifier_id if recipient else None,
                        event.get("duration"), event.get("status"), event.get("text"), None,
                        event.get("lat"), event.get("lon")))
        writer.flush()
        # Recorded as the application records a change, so the case still verifies.
        audit.append(session, case, "test_fixture", {"events": len(events), "exhibit": exhibit})
        ids = session.execute(select(Exhibit.id).where(Exhibit.id == row.id)).scalar()
        from workbench.model import Event
        return list(session.scalars(select(Event.id).where(Event.exhibit_id == ids).order_by(Event.id)))


def add_shift(store: Store, ref: str, person_key: str, start: datetime, end: datetime,
              on_duty: bool, duty_type: str = "") -> None:
    with store.session() as session:
        case = find_case(session, ref)
        session.add(DutyShift(case_id=case.id, person_id=case.person(person_key).id, start=start,
                              end=end, on_duty=on_duty, duty_type=duty_type or ("on duty" if on_duty else "rest day")))
        session.flush()
        audit.append(session, case, "test_fixture", {"shift": person_key})
