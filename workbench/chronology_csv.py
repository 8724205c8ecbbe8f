"""The chronology as CSV, for analysts who continue in a spreadsheet.

Every text cell that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) is written with a leading
apostrophe, so a hostile message body cannot run as a formula (CSV injection).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench import audit
from workbench.analysis.duplicates import linked_duplicates, linked_sources
from workbench.anonymise import Anonymiser
from workbench.bundle.chronology import Parties
from workbench.evidence.exhibits import record_continuity
from workbench.leak_gate import LeakGate
from workbench.model import Event, Exhibit
from workbench.staged_output import staged_output
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.timeutil import format_time, format_utc, zone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["clock-change ambiguous", "kind", "channel", "direction", "from", "from identifier",
           "to", "to identifier", "duration (s)", "status", "text", "media", "exhibit", "position",
           "also recorded in", "protective marking"]


def header(timezone: str) -> list[str]:
    """The column names; each time column names its zone."""
    return [f"time ({timezone})", "time (UTC)", *COLUMNS]


def safe_cell(value: Any) -> Any:
    """A cell that spreadsheets show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_chronology_csv(store: Store, case_ref: str, out: Path, *, anonymise: bool = False) -> int:
    """Write every event of the case, oldest first; returns the number of rows."""
    out = Path(out)
    count = 0
    with store.reader() as session:
        case = find_case(session, case_ref)
        tz = zone(case.timezone)
        marking = case.classification
        anonymiser = Anonymiser(case, anonymise)
        gate = LeakGate(case) if anonymise else None
        parties = Parties(session, case, anonymiser)
        # One row per communication; the other exhibits holding it are listed on that row.
        elsewhere = {event: [f"{o.exhibit} {anonymiser.path(o.position)}".strip()
                             for o in found[1:]]
                     for event, found in linked_sources(session, case).items()}
        exhibits = dict(session.execute(select(Exhibit.id, Exhibit.reference)
                                        .where(Exhibit.case_id == case.id)).all())
        rows = session.execute(
            select(Event.occurred_at, Event.time_ambiguous, Event.kind, Event.channel,
                   Event.direction, Event.from_id, Event.to_id, Event.duration_s, Event.status,
                   Event.text, Event.media, Event.exhibit_id, Event.source_position, Event.id,
                   Event.date_only)
            .where(Event.case_id == case.id, Event.id.not_in(linked_duplicates()))
            .order_by(Event.occurred_at, Event.id)
            .execution_options(yield_per=10_000))
        with staged_output(out) as staged:  # under its name only once recorded
            with open(staged, "w", newline="", encoding="utf-8-sig") as stream:
                writer = csv.writer(stream)
                writer.writerow(header(case.timezone))
                for (when, ambiguous, kind, channel, direction, from_id, to_id, duration, status,
                     body, media, exhibit_id, position, event_id, day) in rows:
                    writer.writerow([safe_cell(v) for v in (
                        format_time(when, tz, ambiguous=ambiguous, seconds=True, date_only=day),
                        format_utc(when, ambiguous=ambiguous, tz=tz, date_only=day),
                        "yes" if ambiguous else "",
                        kind, channel, direction,
                        parties.shown(from_id), anonymiser.identifier(parties.ident(from_id)),
                        parties.shown(to_id), anonymiser.identifier(parties.ident(to_id)),
                        "" if duration is None else duration, status or "",
                        anonymiser.event_text(kind, body), anonymiser.text(media),
                        exhibits.get(exhibit_id, ""), anonymiser.path(position),
                        "; ".join(elsewhere.get(event_id, [])), marking)])
                    count += 1
            if gate is not None:
                gate.check(staged.read_bytes(), out.name)
            with store.session() as writing:
                case = find_case(writing, case_ref)
                for exhibit in case.exhibits:
                    record_continuity(exhibit, "csv_export", f"chronology exported to {out.name}")
                audit.append(writing, case, "export_chronology_csv",
                             {"file": out.name, "rows": count, "anonymised": anonymise})
    return count
