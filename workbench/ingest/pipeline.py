"""Importing one evidence file: all or nothing, traceable to the exact source record."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workbench import audit, investigator
from workbench.errors import Cancelled, ImportRefused, NotFound, brief
from workbench.evidence.exhibits import next_reference, record_continuity
from workbench.evidence.fingerprint import records_digest
from workbench.ingest import registry
from workbench.ingest.limits import MAX_DURATION_S
from workbench.ingest.owner_attribution import OWNER_KINDS, OwnerAttribution, attribute_owner
from workbench.ingest.records import (
    ComplaintRecord,
    EventRecord,
    IntelRecord,
    ParseOptions,
    ShiftRecord,
    SourceFile,
)
from workbench.ingest.resolve import Resolved, Resolver, classify
from workbench.model import (
    Case,
    Complaint,
    DutyShift,
    Event,
    Exhibit,
    Identifier,
    IntelReport,
    MarkerEvidence,
)
from workbench.model.base import utcnow
from workbench.shared import watchlist
from workbench.store import Store, queries
from workbench.store.bulk import EventWriter, sqlite_timestamp
from workbench.store.exhibit_files import StoredFile
from workbench.tasks import CancelToken, Progress, no_progress
from workbench.timeutil import format_local, zone

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    case_ref: str
    exhibit: str
    kind: str
    sha256: str
    records: int
    events: int = 0
    shifts: int = 0
    intel_reports: int = 0
    complaints: int = 0
    unresolved_created: int = 0
    ambiguous_times: int = 0
    events_sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # cross-case hits, watchlist alerts
    owner_attribution: OwnerAttribution | None = None  # a chat export's owner side


def lock_case(session: Session, case_id: int) -> Case:
    """The case with this id, its row locked for the transaction (PostgreSQL; SQLite's
    writers already hold the database's write lock). Take it before changing any row of
    the case, so writers queue in one order and never deadlock."""
    query = select(Case).where(Case.id == case_id)
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    return session.scalars(query).one()


def import_file(
    store: Store,
    case_ref: str,
    path: Path | str,
    *,
    kind: str | None = None,
    exhibit_ref: str | None = None,
    producer: str | None = None,
    description: str = "",
    tz: str | None = None,
    owner: str | None = None,
    mapping: dict[str, str] | None = None,
    replace: str | None = None,
    name: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    check_only: bool = False,
) -> ImportResult:
    """Import one file into a case, or refuse it leaving nothing behind.

    The file is copied into the exhibit store first and parsed from that
    read-only copy, so what is parsed is exactly what was hashed.

    ``replace`` (the reason) reads an exhibit already in the case again, with
    these options, in place of its first reading (a wrong --tz, --owner or
    --map): its events, shifts, reports and complaints, and the marker evidence
    pointing at them, are removed and read anew in the same transaction; the
    exhibit keeps its reference, and its continuity and the audit chain say why.
    ``name`` is the file's original name when ``path`` is the exhibit store's copy
    (which is named by its hash): importers read the name too (chat titles, Instagram).
    ``check_only`` reads and writes the file as an import would, then keeps nothing: a
    folder is checked file by file this way before any of it is imported.
    """
    path = Path(path)
    name = name or path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ImportRefused("the file name is not valid UTF-8 (bytes from another system's "
                            "encoding); rename the file and import it again",
                            file=os.fsencode(name).decode("utf-8", "backslashreplace")) from None
    if not path.exists():
        raise ImportRefused("no such file", file=str(path))
    if not path.is_file():
        raise ImportRefused("not a regular file", file=str(path))
    try:
        importer = registry.get(kind) if kind else registry.detect(path, name)
        with store.reader() as session:
            queries.find_case(session, case_ref)
    except ImportRefused as exc:
        raise exc if exc.file else exc.in_file(name) from None
    stored: StoredFile | None = None
    try:
        with store.files.in_use():  # until committed or rolled back: nothing is cleaned away
            progress(0.0, f"Hashing {name}")
            stored = store.files.put(path)  # hashed as it is copied
            _check_existing(store, case_ref, stored.sha256, replace, exhibit_ref)
            return _import_stored(
                store, case_ref, importer, SourceFile(stored.path, name, stored.size),
                stored.sha256, exhibit_ref=exhibit_ref, producer=producer or investigator.current(),
                description=description, tz=tz, owner=owner, mapping=mapping or {},
                replace=replace, progress=progress, cancel=cancel or CancelToken(),
                check_only=check_only,
            )
    except _CheckedOnly as checked:
        if stored is not None:
            _discard_stored(store, stored)
        return checked.result
    except BaseException as exc:
        if stored is not None:
            _discard_stored(store, stored)
        if isinstance(exc, ImportRefused) and not exc.file:
            raise exc.in_file(name) from None
        if isinstance(exc, (ImportRefused, Cancelled, NotFound)):
            raise
        if isinstance(exc, (ValueError, OverflowError, RecursionError, KeyError)):
            raise ImportRefused(f"unreadable content ({brief(exc)})", file=name) from exc
        raise


def _check_existing(store: Store, case_ref: str, sha: str, replace: str | None,
                    exhibit_ref: str | None) -> None:
    """Refuse a file already in the case, or a replacement of one that is not."""
    with store.reader() as session:
        case = queries.find_case(session, case_ref)
        existing = session.scalars(
            select(Exhibit).where(Exhibit.case_id == case.id, Exhibit.sha256 == sha)
        ).first()
        if existing is not None and replace is None:
            raise ImportRefused(
                f"already imported as exhibit {existing.reference} "
                f"({existing.file_name}, {format_local(existing.imported_at, UTC)}); "
                "to read it again with other options, replace it (--replace REASON)"
            )
        if replace is not None:
            if existing is None:
                raise ImportRefused("nothing to replace: this file is not an exhibit in the case")
            if not replace.strip():
                raise ImportRefused("say why the exhibit is read again (--replace REASON)")
            if exhibit_ref is not None and exhibit_ref != existing.reference:
                raise ImportRefused(f"a replaced exhibit keeps its reference "
                                    f"{existing.reference}")


class _CheckedOnly(Exception):
    """Raised inside the import's transaction to roll back a ``check_only`` import."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__()
        self.result = result


def _discard_stored(store: Store, stored: StoredFile) -> None:
    """After a failed import: remove the file only if this import created it and no
    committed exhibit (of any case, in any process) refers to it."""
    def referenced(sha: str) -> bool:
        with store.reader() as session:
            return session.scalar(select(Exhibit.id).where(Exhibit.sha256 == sha).limit(1)) is not None

    try:
        store.files.discard(stored, referenced)
    except Exception:  # the file stays; `workbench verify` reports a file nothing refers to
        log.warning("could not tidy away the stored copy of a failed import", exc_info=True)


def _import_stored(
    store: Store, case_ref: str, importer: registry.Importer, source: SourceFile, sha: str, *,
    exhibit_ref: str | None, producer: str, description: str, tz: str | None,
    owner: str | None, mapping: dict[str, str], replace: str | None, progress: Progress,
    cancel: CancelToken, check_only: bool,
) -> ImportResult:
    with store.session() as session:
        case = queries.find_case(session, case_ref)
        source_tz = tz or case.timezone
        options = ParseOptions(
            tz=zone(source_tz), mapping=mapping, progress=progress, cancel=cancel,
            display_name=source.name, owner=owner,
        )
        if exhibit_ref is not None and replace is None:  # a replaced exhibit keeps its own
            taken = session.scalars(
                select(Exhibit).where(Exhibit.case_id == case.id, Exhibit.reference == exhibit_ref)
            ).first()
            if taken is not None:
                raise ImportRefused(f"exhibit reference {exhibit_ref} is already {taken.file_name}")
        resolver = Resolver(session, case, owner)
        if importer.needs_owner and resolver.owner_person is None:
            raise ImportRefused(
                f"a {importer.kind} file is a device or account export: say whose with --owner KEY "
                "(in the app: Whose device or account)"
            )
        owner_id = resolver.owner_person.id if resolver.owner_person else None
        removed: dict[str, int] = {}
        named: set[int] = set()
        if replace is not None:
            exhibit = session.scalars(
                select(Exhibit).where(Exhibit.case_id == case.id, Exhibit.sha256 == sha)
            ).one()  # checked before the copy; the case row lock keeps it there
            named = unresolved_named_by(session, exhibit)
            removed = remove_derived(session, exhibit)
            exhibit.kind, exhibit.owner_id = importer.kind, owner_id
            exhibit.source_timezone = source_tz if importer.local_time else None
            exhibit.description = description or exhibit.description
            exhibit.imported_at = utcnow()
        else:
            exhibit = Exhibit(
                case_id=case.id,
                reference=exhibit_ref or next_reference(session, case, producer),
                description=description or f"{importer.label}: {source.name}",
                producer=producer, file_name=source.name, sha256=sha, size=source.size,
                kind=importer.kind, owner_id=owner_id,
                source_timezone=source_tz if importer.local_time else None,
            )
            session.add(exhibit)
        session.flush()
        result = ImportResult(case.ref, exhibit.reference, importer.kind, sha, 0)
        _write_records(session, case, exhibit, importer, source, options, resolver, result)
        if result.records == 0:
            raise ImportRefused("no records found")
        if replace is not None:  # after the new reading, which may name them again
            removed["unresolved_identifiers"] = remove_orphans(session, case.id, named)
        exhibit.record_count = result.records
        if importer.kind in OWNER_KINDS and resolver.owner_person is not None:
            result.owner_attribution = attribute_owner(session, case, exhibit, resolver.owner_person)
            options.warnings.append(result.owner_attribution.note)
        result.unresolved_created = resolver.created
        result.warnings = options.warnings
        exhibit.warnings = "\n".join(options.warnings) or None
        if replace is None:
            record_continuity(exhibit, "received", f"from {producer}, file {source.name}")
        else:
            record_continuity(exhibit, "read again",
                              f"by {producer}: {replace.strip()}; {describe_removed(removed)}")
        # How the file was read is part of the evidence: the columns chosen by hand and
        # whose device it is go into the continuity note and the audit entry.
        read_as = "".join([
            f"; owner {owner}" if owner else "",
            "; columns chosen: " + ", ".join(f"{k}={v}" for k, v in sorted(mapping.items()))
            if mapping else "",
        ])
        record_continuity(
            exhibit, "imported",
            f"{importer.kind} importer: {result.records} records; SHA-256 {sha}{read_as}",
        )
        session.flush()
        if check_only:
            raise _CheckedOnly(result)  # leaving the session rolls everything back
        audit.append(session, case, "import", {
            "exhibit": exhibit.reference, "file": source.name, "sha256": sha,
            "size": source.size, "kind": importer.kind, "records": result.records,
            "events": result.events, "owner": owner, "timezone": source_tz,
            "mapping": dict(sorted(mapping.items())),
            "events_sha256": result.events_sha256,
            "records_sha256": records_digest(session, exhibit.id),
            **({"replaced": {"reason": replace.strip(), **removed}} if replace is not None else {}),
        })
        result.notices = watchlist.on_import(session, case, exhibit)
        cancel.check()
    progress(1.0, f"Imported {result.records} records as {result.exhibit}")
    return result


def remove_derived(session: Session, exhibit: Exhibit) -> dict[str, int]:
    """Delete what was read from an exhibit (and marker evidence pointing at it); the counts."""
    events = select(Event.id).where(Event.exhibit_id == exhibit.id)
    reports = select(IntelReport.id).where(IntelReport.exhibit_id == exhibit.id)
    complaints = select(Complaint.id).where(Complaint.exhibit_id == exhibit.id)
    quietly = {"synchronize_session": False}
    for column, rows in ((MarkerEvidence.event_id, events), (MarkerEvidence.intel_id, reports),
                         (MarkerEvidence.complaint_id, complaints)):
        session.execute(delete(MarkerEvidence).where(column.in_(rows)), execution_options=quietly)
    removed = {}
    for name, model in (("events", Event), ("shifts", DutyShift), ("intel_reports", IntelReport),
                        ("complaints", Complaint)):
        deleted = session.execute(delete(model).where(model.exhibit_id == exhibit.id),
                                  execution_options=quietly)
        removed[name] = int(getattr(deleted, "rowcount", 0) or 0)
    return removed


def unresolved_named_by(session: Session, exhibit: Exhibit) -> set[int]:
    """The ids of the unresolved identifiers that an exhibit's events name."""
    return set(session.scalars(select(Identifier.id).where(
        Identifier.person_id.is_(None),
        Identifier.id.in_(select(Event.from_id).where(Event.exhibit_id == exhibit.id))
        | Identifier.id.in_(select(Event.to_id).where(Event.exhibit_id == exhibit.id)))))


def remove_orphans(session: Session, case_id: int, named: set[int]) -> int:
    """Delete the unresolved identifiers that no event names any more; how many.

    ``named`` comes from :func:`unresolved_named_by` before the exhibit's events
    were removed: numbers and accounts known only from a withdrawn file (or from
    a first reading with the wrong owner) would otherwise stay in the case's
    unresolved list -- from the wrong case, perhaps. Identifiers given to a
    person are the investigator's work and are kept.
    """
    if not named:
        return 0
    used: set[int | None] = set()
    for column in (Event.from_id, Event.to_id):  # one scan each: few distinct values
        used.update(session.scalars(select(column).distinct().where(Event.case_id == case_id)))
    orphans = sorted(named - used)
    for at in range(0, len(orphans), 500):
        session.execute(delete(Identifier).where(Identifier.id.in_(orphans[at:at + 500])),
                        execution_options={"synchronize_session": False})
    return len(orphans)


def describe_removed(removed: dict[str, int]) -> str:
    """``removed 5 events, 0 shifts, ...`` for continuity notes and messages."""
    return "removed " + ", ".join(f"{count} {what.replace('_', ' ')}"
                                  for what, count in removed.items())


def _write_records(
    session: Session, case: Case, exhibit: Exhibit, importer: registry.Importer,
    source: SourceFile, options: ParseOptions, resolver: Resolver, result: ImportResult,
) -> None:
    writer = EventWriter(session)
    owner_phone = _owner_phone(resolver) if resolver.owner_person is not None else None
    # The per-event path runs a million times for a big billing file: ids are read
    # once (ORM attribute access is slow), and channel/direction are memoised per
    # (app, sender, recipient) -- Resolved objects live in the resolver's cache for
    # the whole import, so their ids are stable keys.
    case_id, exhibit_id = case.id, exhibit.id
    resolve, add = resolver.resolve, writer.add_prepared
    stamp = writer.stamp if writer.dialect != "sqlite" else sqlite_timestamp
    classified: dict[tuple[str | None, int, int], tuple[str, str]] = {}
    events = ambiguous = 0
    strangers: dict[str, list[str]] = {}  # roster names not in the case -> their rows
    last_position = None
    positions: set[str] = set()  # every record's position is unique within the exhibit
    for record in importer.parse(source, options):
        if record.position != last_position:  # a group message is one record, several events
            if record.position in positions:
                raise ImportRefused("a second record at the same position; refused, because "
                                    "one could be mistaken for the other", record.position)
            positions.add(record.position)
            result.records += 1
            last_position = record.position
        if type(record) is EventRecord or isinstance(record, EventRecord):
            check_numbers(record)
            sender = resolve(record.sender)
            recipient = resolve(record.recipient)
            key = (record.app, id(sender), id(recipient))
            found = classified.get(key)
            if found is None:
                found = classified[key] = classify(record.app, sender, recipient, owner_phone)
            add((
                case_id, exhibit_id, record.position, stamp(record.occurred_at),
                record.time_ambiguous, record.kind, found[0], found[1],
                sender.identifier_id if sender else None,
                recipient.identifier_id if recipient else None,
                record.duration_s, record.status, record.text, record.media,
                record.lat, record.lon, record.date_only,
            ))
            events += 1
            if record.time_ambiguous:
                ambiguous += 1
            if events % 20_000 == 0:
                options.cancel.check()
        elif isinstance(record, ShiftRecord):
            if _add_shift(session, case, exhibit, resolver, record):
                result.shifts += 1
            else:
                strangers.setdefault(record.person.value.strip(), []).append(record.position)
        elif isinstance(record, IntelRecord):
            _add_intel(session, case, exhibit, resolver, record)
            result.intel_reports += 1
        elif isinstance(record, ComplaintRecord):
            _add_complaint(session, case, exhibit, resolver, record)
            result.complaints += 1
    if strangers:
        _skip_strangers(strangers, result, options)
    result.events += events
    result.ambiguous_times += ambiguous
    writer.flush()
    result.events_sha256 = writer.digest.hexdigest()


def check_numbers(record: EventRecord) -> None:
    """Refuse a duration or coordinate that is not a finite number in range.

    SQLite stores NaN as NULL, so a NaN would break the import's fingerprint for good.
    """
    for name, value, low, high in (("duration", record.duration_s, 0, MAX_DURATION_S),
                                   ("latitude", record.lat, -90, 90),
                                   ("longitude", record.lon, -180, 180)):
        if value is not None and not low <= value <= high:  # NaN fails every comparison
            raise ImportRefused(f"{name} {value!r} is not a number from {low} to {high:,}",
                                record.position)


def _owner_phone(resolver: Resolver) -> Resolved | None:
    try:
        return resolver.owner_identifier("phone")
    except ImportRefused:
        return None


def _add_shift(session: Session, case: Case, exhibit: Exhibit, resolver: Resolver,
               record: ShiftRecord) -> bool:
    """Add a shift; False (nothing added) when its person is not in the case."""
    person = resolver.person_by(record.person)
    if person is None:
        return False
    if record.end <= record.start:
        raise ImportRefused("shift ends before it starts", record.position)
    session.add(DutyShift(
        case_id=case.id, person_id=person.id, start=record.start, end=record.end,
        duty_type=record.duty_type, on_duty=record.on_duty, exhibit_id=exhibit.id,
        source_position=record.position,
    ))
    return True


def _skip_strangers(strangers: dict[str, list[str]], result: ImportResult,
                    options: ParseOptions) -> None:
    """A team roster lists people the case is not about: their shifts are left out, and said so.

    A roster that names nobody in the case is refused: it is the wrong file, or
    the case file spells the officer's name or collar number differently.
    """
    listed = [f"{name!r} ({len(rows)} from {rows[0]})" for name, rows in strangers.items()]
    named = "; ".join(listed[:10]) + (f"; and {len(listed) - 10} more" if len(listed) > 10 else "")
    how = "match is by collar number, system user id or full name"
    if result.shifts == 0:
        raise ImportRefused(f"the roster names nobody in the case: {named} ({how})")
    skipped = sum(len(rows) for rows in strangers.values())
    result.records -= skipped
    options.warn("", f"{skipped} shift(s) of {len(strangers)} people not in the case were "
                     f"left out: {named} ({how})")


def _add_intel(session: Session, case: Case, exhibit: Exhibit, resolver: Resolver,
               record: IntelRecord) -> None:
    subject = resolver.person_by(record.subject) if record.subject else None
    session.add(IntelReport(
        case_id=case.id, urn=record.urn, submitted=record.submitted,
        information_date=record.information_date, scheme=record.scheme,
        source_grade=record.source_grade, intelligence_grade=record.intelligence_grade,
        handling_code=record.handling_code, conditions=record.conditions, text=record.text,
        subject_id=subject.id if subject else None,
        subject_text=record.subject_text or (record.subject.value if record.subject else None),
        originator=record.originator, exhibit_id=exhibit.id, source_position=record.position,
    ))


def _add_complaint(session: Session, case: Case, exhibit: Exhibit, resolver: Resolver,
                   record: ComplaintRecord) -> None:
    subject = resolver.person_by(record.subject) if record.subject else None
    session.add(Complaint(
        case_id=case.id, reference=record.reference, received=record.received,
        subject_id=subject.id if subject else None,
        subject_text=record.subject_text or (record.subject.value if record.subject else None),
        category=record.category, outcome=record.outcome, finalised=record.finalised,
        exhibit_id=exhibit.id, source_position=record.position,
    ))
