"""The bundle's chronology: which records a hearing needs, and the rows as printed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.duplicates import linked_duplicates, linked_sources
from workbench.anonymise import Anonymiser
from workbench.bundle.content import ChronologyMonth
from workbench.model import Case, Event, Identifier
from workbench.timeutil import format_time

# Raw GPS pings are thousands of points with no contact in them; their stops are kept.
LEFT_OUT_KINDS = ("vehicle_position",)
CHANNEL_LABELS = {
    "work_mobile": "Work phone", "personal_mobile": "Personal phone", "mobile": "Phone",
    "whatsapp": "WhatsApp", "facebook_messenger": "Messenger", "instagram": "Instagram",
    "snapchat": "Snapchat", "telegram": "Telegram", "signal": "Signal", "email": "Email",
    "police_system": "Police system", "telematics": "Vehicle", "in_person": "In person",
}
KIND_LABELS = {"sms": "SMS (no text recorded)", "mms": "MMS (no content recorded)",
               "message": "Message (no text recorded)", "email": "Email (no text recorded)"}
def channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel.replace("_", " ").capitalize())


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Parties:
    """Names the sender and recipient of events, through the anonymiser, once per identifier."""

    def __init__(self, session: Session, case: Case, anonymiser: Anonymiser) -> None:
        self.anonymiser = anonymiser
        self.idents = {i.id: i for i in session.scalars(
            select(Identifier).where(Identifier.case_id == case.id))}
        self._shown: dict[int | None, str] = {}

    def ident(self, ident_id: int | None) -> Identifier | None:
        """The identifier with this id, or None (also for a missing id)."""
        return self.idents.get(ident_id) if ident_id is not None else None

    def is_subject(self, ident_id: int | None) -> bool:
        ident = self.ident(ident_id)
        return ident is not None and ident.person is not None and ident.person.role == "subject"

    def between(self, from_id: int | None, to_id: int | None) -> str:
        """The other party, with an arrow: "→ Woman A" sent by the officer, "← Woman A"
        received by the officer; both parties when neither is the officer."""
        if self.is_subject(from_id) and not self.is_subject(to_id):
            return f"→ {self.shown(to_id)}" if to_id is not None else "officer"
        if self.is_subject(to_id) and not self.is_subject(from_id):
            return f"← {self.shown(from_id)}"
        return f"{self.shown(from_id)} → {self.shown(to_id)}"

    def shown(self, ident_id: int | None) -> str:
        cached = self._shown.get(ident_id)
        if cached is None:
            ident = self.idents.get(ident_id) if ident_id else None
            if ident is None:
                cached = "not recorded"
            elif ident.person is not None:
                cached = self.anonymiser.person(ident.person)
            else:
                cached = self.anonymiser.identifier(ident)
            self._shown[ident_id] = cached
        return cached


def event_summary(kind: str, text: str | None, media: str | None, duration: float | None,
                  status: str | None, anonymiser: Anonymiser) -> str:
    """What happened, in words: the message text, or the call and its length."""
    head = None
    if kind == "call":
        head = "Call" if not status or status in ("answered", "connected") else f"Call ({status})"
        if duration is not None:
            head += f", {duration_text(duration)}"
    elif kind == "vehicle_stop":
        head = f"Vehicle stopped {duration_text(duration)}".strip()
    elif kind in ("system_lookup", "visit", "gift", "note"):
        head = kind.replace("_", "-" if kind == "system_lookup" else " ").capitalize()
    body = []
    if text:
        body.append(anonymiser.event_text(kind, text))
    if media:
        body.append(f"[media: {anonymiser.text(media)}]")
    if head and body:
        return f"{head}: {' '.join(body)}"
    return head or " ".join(body) or KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def relevant_events(session: Session, case: Case, parties: Parties,
                    relied_on: set[int]) -> set[int]:
    """The events a hearing chronology holds: contact between the officer and the people
    in the case (the members of the public and witnesses, not colleagues at work), every
    record a marker in the bundle relies on, and anything the investigator added (no
    exhibit, or a note)."""
    subject: set[int] = set()
    others: set[int] = set()
    for ident in parties.idents.values():
        if ident.person is not None and ident.person.role != "colleague":
            (subject if ident.person.role == "subject" else others).add(ident.id)
    keep = set(relied_on)
    for event_id, from_id, to_id, exhibit_id, kind in session.execute(
            select(Event.id, Event.from_id, Event.to_id, Event.exhibit_id, Event.kind)
            .where(Event.case_id == case.id, Event.kind.not_in(LEFT_OUT_KINDS))):
        if ((from_id in subject and to_id in others) or (from_id in others and to_id in subject)
                or exhibit_id is None or kind == "note"):
            keep.add(event_id)
    return keep


def row_time(when: datetime, tz: ZoneInfo, ambiguous: bool, date_only: bool = False) -> str:
    """A chronology row's time; the column heading names the zone, so an unambiguous time
    drops its abbreviation, a clock-change time shows both readings, and a record known
    only to the day is its date."""
    shown = format_time(when, tz, ambiguous=ambiguous, date_only=date_only)
    return shown if ambiguous or date_only else shown.rsplit(" ", 1)[0]


def load_chronology(session: Session, case: Case, parties: Parties, exhibit_refs: dict[int, str],
                    tz: ZoneInfo, keep: set[int] | None = None, prefix: str = "chron"
                    ) -> tuple[list[tuple[str, str, str, str, str]], list[ChronologyMonth]]:
    """The chronology rows (all events, or those in ``keep``) and where each month starts."""
    rows: list[tuple[str, str, str, str, str]] = []
    months: list[ChronologyMonth] = []
    query = (select(Event.id, Event.occurred_at, Event.time_ambiguous, Event.kind, Event.channel,
                    Event.from_id, Event.to_id, Event.duration_s, Event.status, Event.text,
                    Event.media, Event.exhibit_id, Event.source_position, Event.date_only)
             .where(Event.case_id == case.id, Event.kind.not_in(LEFT_OUT_KINDS),
                    Event.id.not_in(linked_duplicates()))  # one row per communication
             .order_by(Event.occurred_at, Event.id).execution_options(yield_per=5000))
    month = None
    anonymiser = parties.anonymiser
    # ...and every other exhibit holding the same communication, listed on its row.
    elsewhere = {event: found[1:] for event, found in linked_sources(session, case).items()}
    for (event_id, when, ambiguous, kind, channel, from_id, to_id, duration, status, text, media,
         exhibit_id, position, date_only) in session.execute(query):
        if keep is not None and event_id not in keep:
            continue
        moment = when.astimezone(tz)
        this_month = moment.strftime("%Y-%m")
        if this_month != month:
            month = this_month
            months.append(ChronologyMonth(f"{prefix}_{this_month}", moment.strftime("%B %Y"),
                                          len(rows)))
        source = exhibit_refs.get(exhibit_id or 0, "no exhibit")
        rows.append((
            row_time(when, tz, ambiguous, date_only),
            parties.between(from_id, to_id),
            channel_label(channel),
            event_summary(kind, text, media, duration, status, anonymiser),
            (f"{source} {anonymiser.path(position)}" if position else source)
            + "".join(f"; also {other.exhibit} {anonymiser.path(other.position)}"
                      for other in elsewhere.get(event_id, [])),
        ))
    return rows, months
