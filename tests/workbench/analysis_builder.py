"""A small case builder for the analysis tests: hand-made events with exact times.

Times are written as local wall-clock strings in the case timezone
(``"2021-03-20 19:02"``) and converted as the importers do. Parties resolve
through the real :class:`Resolver`, and channel/direction come from the real
``classify``, so the events look exactly like imported ones.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from workbench import casefile
from workbench.analysis import run_analysis
from workbench.ingest.records import Party
from workbench.ingest.resolve import Resolver, classify
from workbench.model import Complaint, DutyShift, Exhibit, IntelReport
from workbench.store import Store
from workbench.store.bulk import EventWriter
from workbench.store.queries import find_case
from workbench.timeutil import local_to_utc, zone

REF = "OP-TEST"
CASE_FILE = """
[case]
ref = "OP-TEST"
title = "Analysis test case"
timezone = "{tz}"
opened = "{opened}"

[[person]]
key = "pcso"
name = "Daniel Marsh"
role = "subject"
collar = "PCSO 4521"
identifiers = [
  {{ kind = "phone", value = "07700 900101", use = "work" }},
  {{ kind = "phone", value = "07700 900102", use = "personal" }},
  {{ kind = "whatsapp", value = "Lee PCSO", use = "personal" }},
  {{ kind = "system_user", value = "P4521", use = "work" }},
  {{ kind = "vehicle", value = "YX21 ABC", use = "work" }},
]

[[person]]
key = "woman_a"
name = "Kerry Lowe"
role = "member_of_public"
cipher = "Woman A"
vulnerabilities = ["learning_disability", "lives_alone", "victim_of_crime"]
identifiers = [
  {{ kind = "phone", value = "07700 900201" }},
  {{ kind = "whatsapp", value = "Kerry" }},
  {{ kind = "police_record", value = "NICHE-PER-448812" }},
]
home = {{ lat = 53.8008, lon = -1.5491, label = "Home address" }}

[[person]]
key = "woman_b"
name = "Jodie Hart"
role = "member_of_public"
cipher = "Woman B"
identifiers = [
  {{ kind = "phone", value = "07700 900202" }},
  {{ kind = "whatsapp", value = "Jodie" }},
  {{ kind = "police_record", value = "NICHE-PER-551100" }},
]

[[person]]
key = "colleague"
name = "Priya Shah"
role = "colleague"
identifiers = [{{ kind = "phone", value = "07700 900301", use = "work" }}]

[[engagement]]
officer = "pcso"
member = "woman_a"
kind = "Attempted burglary report"
reference = "13/45678/21"
started = "2021-03-01T10:12:00"
concluded = "{concluded}"
"""

OFFICER_PHONES = {"work": "07700900101", "personal": "07700900102"}
MEMBER_PHONES = {"woman_a": "07700900201", "woman_b": "07700900202",
                 "colleague": "07700900301"}
WHATSAPP = {"woman_a": "Kerry", "woman_b": "Jodie"}
HOME_A = (53.8008, -1.5491)


class CaseBuilder:
    """Collects events, shifts, intelligence and complaints, then writes them in one go."""

    def __init__(self, store: Store, folder: Path, *, tz: str = "Europe/London",
                 opened: str = "2022-02-21", concluded: str = "2021-03-05T17:00:00") -> None:
        self.store = store
        self.tz = zone(tz)
        path = folder / "case.toml"
        path.write_text(CASE_FILE.format(tz=tz, opened=opened, concluded=concluded),
                        encoding="utf-8")
        casefile.create_case(store, casefile.load(path))
        self.events: list[dict[str, Any]] = []
        self.shifts: list[tuple[str, str, bool, str]] = []
        self.intel: list[tuple[str, date, str]] = []
        self.complaints: list[tuple[str, date]] = []

    def at(self, local: str) -> datetime:
        return local_to_utc(datetime.fromisoformat(local), self.tz)[0]

    # --- events -----------------------------------------------------------------------

    def _add(self, **event: Any) -> int:
        self.events.append(event)
        return len(self.events)  # the position "line N" of this event

    def phone(self, local: str, kind: str = "sms", member: str = "woman_a", *,
              line: str = "work", outgoing: bool = True, text: str | None = None,
              duration: float | None = None, status: str | None = None,
              number: str | None = None) -> int:
        mine = Party("phone", OFFICER_PHONES[line])
        theirs = Party("phone", number or MEMBER_PHONES[member])
        return self._add(at=self.at(local), kind=kind, sender=mine if outgoing else theirs,
                         recipient=theirs if outgoing else mine, text=text, duration=duration,
                         status=status)

    def sms(self, local: str, text: str | None = None, member: str = "woman_a", **kw: Any) -> int:
        return self.phone(local, "sms", member, text=text, **kw)

    def call(self, local: str, member: str = "woman_a", duration: float = 60, **kw: Any) -> int:
        return self.phone(local, "call", member, duration=duration, **kw)

    def whatsapp(self, local: str, text: str | None = None, member: str = "woman_a", *,
                 outgoing: bool = True, name: str | None = None) -> int:
        mine, theirs = Party("whatsapp", "Lee PCSO"), Party("whatsapp", name or WHATSAPP[member])
        return self._add(at=self.at(local), kind="message", app="whatsapp",
                         sender=mine if outgoing else theirs,
                         recipient=theirs if outgoing else mine, text=text)

    def lookup(self, local: str, record: str | None = None, text: str | None = None) -> int:
        return self._add(at=self.at(local), kind="system_lookup", app="police_system",
                         sender=Party("system_user", "P4521"),
                         recipient=Party("police_record", record) if record else None, text=text)

    def stop(self, local: str, lat: float, lon: float, minutes: float | None = 20) -> int:
        return self._add(at=self.at(local), kind="vehicle_stop", app="telematics",
                         sender=Party("vehicle", "YX21ABC"), lat=lat, lon=lon,
                         duration=None if minutes is None else minutes * 60)

    # --- roster, intelligence, complaints -----------------------------------------------

    def shift(self, start: str, end: str, on_duty: bool = True, duty: str = "") -> None:
        self.shifts.append((start, end, on_duty, duty or ("on duty" if on_duty else "rest day")))

    def add_intel(self, urn: str, submitted: date, handling: str = "P") -> None:
        self.intel.append((urn, submitted, handling))

    def add_complaint(self, reference: str, received: date) -> None:
        self.complaints.append((reference, received))

    # --- writing and analysing ------------------------------------------------------------

    def commit(self) -> None:
        """Write everything collected so far (as exhibit T/1, T/2... one per commit)."""
        with self.store.session() as session:
            case = find_case(session, REF)
            number = len(case.exhibits) + 1
            exhibit = Exhibit(case_id=case.id, reference=f"T/{number}", producer="Test",
                              file_name=f"t{number}.csv", sha256=f"{number:064d}", size=1,
                              kind="test")
            session.add(exhibit)
            session.flush()
            resolver = Resolver(session, case)
            writer = EventWriter(session)
            for line, event in enumerate(self.events, start=1):
                sender = resolver.resolve(event.get("sender"))
                recipient = resolver.resolve(event.get("recipient"))
                channel, direction = classify(event.get("app"), sender, recipient)
                writer.add((case.id, exhibit.id, f"line {line}", event["at"], False,
                            event["kind"], channel, direction,
                            sender.identifier_id if sender else None,
                            recipient.identifier_id if recipient else None,
                            event.get("duration"), event.get("status"), event.get("text"),
                            None, event.get("lat"), event.get("lon")))
            writer.flush()
            officer = case.person("pcso")
            assert officer is not None
            for line, (start, end, on_duty, duty) in enumerate(self.shifts, start=1):
                session.add(DutyShift(case_id=case.id, person_id=officer.id, start=self.at(start),
                                      end=self.at(end), on_duty=on_duty, duty_type=duty,
                                      exhibit_id=exhibit.id, source_position=f"roster line {line}"))
            for urn, submitted, handling in self.intel:
                session.add(IntelReport(case_id=case.id, urn=urn, submitted=submitted,
                                        source_grade="2", intelligence_grade="B",
                                        handling_code=handling, text="Sanitised text.",
                                        conditions="Not for disclosure" if handling == "C" else None,
                                        subject_id=officer.id, exhibit_id=exhibit.id,
                                        source_position=f"intel {urn}"))
            for reference, received in self.complaints:
                session.add(Complaint(case_id=case.id, reference=reference, received=received,
                                      subject_id=officer.id, category="Incivility",
                                      exhibit_id=exhibit.id, source_position=f"row {reference}"))
        self.events, self.shifts, self.intel, self.complaints = [], [], [], []

    def analyse(self) -> dict[str, Any]:
        """Commit what is pending, run the analysis and return the ``analyse --json`` document."""
        if self.events or self.shifts or self.intel or self.complaints:
            self.commit()
        return run_analysis(self.store, REF).document


def markers(document: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    """The document's current markers of one rule."""
    return [m for m in document["markers"] if m["rule"] == rule]


def rules_fired(document: dict[str, Any]) -> set[str]:
    return {m["rule"] for m in document["markers"]}


def positions(marker: dict[str, Any]) -> list[str]:
    """The evidence positions (``line 3``) of a marker, in order."""
    return [item["position"] for item in marker["evidence"]]
