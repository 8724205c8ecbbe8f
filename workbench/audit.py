"""The tamper-evident audit chain: every change to a case appends one hashed, signed entry.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited, inserted or deleted entry breaks the chain from that point on. Since
the unit key (:mod:`workbench.unit_key`) exists, each entry's hash is also signed
with it: whoever can write to the database can recompute hashes but cannot sign,
so a chain rewritten by hand no longer verifies. Each entry names the investigator
(:mod:`workbench.investigator`) with the OS account beside it, and the last entry of
each commit carries the record-seal digests (:mod:`workbench.record_seal`).

Entries are finished when their transaction commits: the record seal is taken
then (after every change the transaction made), the hashes are chained and signed.
Entries written before keying stay verifiable as they were; the first keyed
entry after them is a ``keying_began`` entry saying so.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from workbench import investigator, record_seal, unit_key
from workbench.errors import WorkbenchError
from workbench.model import AuditEntry, Case, UnitCertificate, utcnow
from workbench.store import queries

GENESIS = "0" * 64
_PENDING = "audit_pending"  # Session.info key: entries to seal and sign at commit
_OUTSIDE = "audit_outside_changes"  # Session.info key: case id -> changes found at the start
OUTSIDE_CHANGES = "changed_outside_application"  # the entry that records them for good


def canonical(details: dict[str, Any]) -> str:
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def entry_hash(entry: AuditEntry) -> str:
    fields = [entry.case_ref, str(entry.sequence), entry.at.isoformat(), entry.user, entry.action,
              entry.details, entry.previous_hash]
    if entry.os_account is not None:  # entries since 0004; older ones hash as they always did
        fields += [entry.os_account, entry.state or "", entry.key_fingerprint or ""]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def append(session: Session, case: Case, action: str, details: dict[str, Any]) -> AuditEntry:
    """Append an entry to the case's chain, in the caller's transaction.

    On PostgreSQL the case row is locked first, so concurrent writers queue
    rather than fork the chain; on SQLite the database write lock does that.
    Refused (one line) when no investigator profile is set, or when the chain is
    signed and this workstation has no unit key (an unsigned entry after signed
    ones would look like tampering).
    """
    if session.get_bind().dialect.name != "sqlite":
        session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    user = investigator.current_for(session)
    last = session.scalars(
        select(AuditEntry).where(AuditEntry.case_ref == case.ref)
        .order_by(AuditEntry.sequence.desc()).limit(1)
    ).first()
    key = unit_key.load()
    if last is not None and last.signature and key is None:
        raise WorkbenchError(
            f"case {case.ref}: its audit chain is signed with a unit key (certificate "
            f"{last.key_fingerprint}) but there is none at {unit_key.key_path()}: copy the "
            "unit's key file there before changing the case")
    if key is not None and last is not None and not last.signature and not _pending(session):
        last = _add(session, case, last, "keying_began", user, {
            "unit": key.unit, "certificate": key.fingerprint,
            "unsigned_entries_before": last.sequence})
    outside = session.info.get(_OUTSIDE, {}).pop(case.id, None)
    if outside:
        last = _add(session, case, last, OUTSIDE_CHANGES, user, {"changes": outside})
    return _add(session, case, last, action, user, details)


@queries.when_taken_for_writing
def note_outside_changes(session: Session, case: Case) -> None:
    """Before a writer changes the case: find records changed outside the application.

    Called when a writing session first takes the case (``find_case``). Whatever is
    found is recorded in the chain before the writer's own entry, so the next seal
    cannot absorb an edit made behind the application's back: ``verify`` keeps
    reporting it.
    """
    checked = session.info.setdefault("audit_outside_checked", set())
    if case.id in checked:
        return
    checked.add(case.id)
    changes = record_seal.check(session, case)
    if changes:
        session.info.setdefault(_OUTSIDE, {})[case.id] = changes


def _add(session: Session, case: Case, last: AuditEntry | None, action: str, user: str,
         details: dict[str, Any]) -> AuditEntry:
    entry = AuditEntry(
        case_ref=case.ref,
        sequence=(last.sequence + 1) if last else 1,
        at=utcnow().replace(microsecond=0),
        user=user,
        os_account=investigator.os_account(),
        action=action,
        details=canonical(details),
        previous_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry_hash(entry)  # provisional: sealed and signed at commit
    case.audit_head = entry.hash
    session.add(entry)
    session.flush()
    _pending(session).append((case, entry))
    return entry


def _pending(session: Session) -> list[tuple[Case, AuditEntry]]:
    return session.info.setdefault(_PENDING, [])


@event.listens_for(Session, "before_commit")
def _seal_and_sign(session: Session) -> None:
    """Finish the transaction's entries: seal the records, chain the hashes, sign."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()
    key = unit_key.load()
    if key is not None and session.get(UnitCertificate, key.fingerprint) is None:
        session.add(UnitCertificate(fingerprint=key.fingerprint,
                                    pem=key.certificate_pem().decode("ascii")))
    by_case: dict[int, tuple[Case, list[AuditEntry]]] = {}
    for case, entry in pending:
        by_case.setdefault(case.id, (case, []))[1].append(entry)
    for case, entries in by_case.values():
        entries.sort(key=lambda e: e.sequence)
        previous = entries[0].previous_hash
        # The unit's own chain (users, watchlists) has no case records to seal.
        state = (record_seal.seal(session, case.id, entries[-1].sequence)
                 if case.id is not None else None)
        for entry in entries:
            entry.previous_hash = previous
            entry.state = state if entry is entries[-1] else None
            entry.key_fingerprint = key.fingerprint if key else None
            entry.hash = entry_hash(entry)
            entry.signature = (base64.b64encode(key.sign(entry.hash.encode("ascii"))).decode()
                               if key else None)
            previous = entry.hash
        case.audit_head = previous
    session.flush()


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class ChainProblem:
    case_ref: str
    sequence: int
    reason: str

    def __str__(self) -> str:
        return f"case {self.case_ref}: audit entry {self.sequence}: {self.reason}"


def _refs(session: Session, case_ref: str | None) -> list[str]:
    return [case_ref] if case_ref else list(
        session.scalars(select(AuditEntry.case_ref).distinct().order_by(AuditEntry.case_ref)))


def verify(session: Session, case_ref: str | None = None) -> list[ChainProblem]:
    """Recompute the chain(s) and check signatures; the first problem of each broken chain.

    Signatures are checked against the certificates stored in the database; when this
    workstation has the unit key, an entry signed by any other key is a problem too.
    """
    heads = dict(session.execute(select(Case.ref, Case.audit_head)).all())
    certificates = _certificates(session)
    key = unit_key.load()
    problems = []
    for ref in _refs(session, case_ref):
        problem = (_verify_chain(session, ref, ref in heads, heads.get(ref))
                   or _verify_signatures(session, ref, certificates,
                                         key.fingerprint if key else None))
        if problem:
            problems.append(problem)
    return problems


def _certificates(session: Session) -> dict[str, x509.Certificate]:
    return {row.fingerprint: x509.load_pem_x509_certificate(row.pem.encode("ascii"))
            for row in session.scalars(select(UnitCertificate))}


def _verify_signatures(session: Session, ref: str, certificates: dict[str, x509.Certificate],
                       local_fingerprint: str | None) -> ChainProblem | None:
    keyed_from: int | None = None
    for sequence, digest, fingerprint, signature in session.execute(
            select(AuditEntry.sequence, AuditEntry.hash, AuditEntry.key_fingerprint,
                   AuditEntry.signature)
            .where(AuditEntry.case_ref == ref).order_by(AuditEntry.sequence)):
        if not signature:
            if keyed_from is not None:
                return ChainProblem(ref, sequence, f"unsigned, after keying began at entry "
                                    f"{keyed_from} (written or rewritten outside the application)")
            continue
        keyed_from = keyed_from or sequence
        certificate = certificates.get(fingerprint or "")
        if certificate is None:
            return ChainProblem(ref, sequence, f"signed by an unknown key (certificate "
                                f"{fingerprint} is not in the store)")
        if local_fingerprint and fingerprint != local_fingerprint:
            return ChainProblem(ref, sequence, f"signed by a key other than this workstation's "
                                f"unit key (certificate {fingerprint})")
        if unit_key.verify_signature(certificate, digest.encode("ascii"),
                                     base64.b64decode(signature)) is False:
            return ChainProblem(ref, sequence, "its signature does not match its hash "
                                "(the chain was recomputed by hand?)")
    return None


def key_notes(session: Session, case_ref: str | None = None) -> list[str]:
    """What vouches for the chain(s): whether the unit key is here, where keying began."""
    key = unit_key.load()
    notes = [f"Unit key present: {key.unit} (certificate {key.fingerprint[:16]}…)." if key else
             f"No unit key at {unit_key.key_path()}: signatures were checked against the "
             "certificates stored in the database only."]
    for ref in _refs(session, case_ref):
        first_signed = session.scalar(select(AuditEntry.sequence).where(
            AuditEntry.case_ref == ref, AuditEntry.signature.is_not(None))
            .order_by(AuditEntry.sequence).limit(1))
        if first_signed is None:
            notes.append(f"WARNING: case {ref}: no entry is signed; nothing outside the "
                         "database vouches for this chain (workbench key init --unit NAME).")
        elif first_signed > 1:
            notes.append(f"case {ref}: entries 1-{first_signed - 1} predate keying "
                         f"(unsigned); keying began at entry {first_signed}.")
    return notes


def _verify_chain(
    session: Session, ref: str, has_case: bool, head: str | None
) -> ChainProblem | None:
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.case_ref == ref).order_by(AuditEntry.sequence)
    ).all()
    if has_case and not entries:
        return ChainProblem(ref, 1, "the case has no audit entries (deleted?)")
    previous = GENESIS
    for expected, entry in enumerate(entries, start=1):
        if entry.sequence != expected:
            return ChainProblem(ref, expected, f"missing entry (next found is {entry.sequence})")
        if entry.previous_hash != previous:
            return ChainProblem(ref, entry.sequence, "does not follow the entry before it")
        if entry_hash(entry) != entry.hash:
            return ChainProblem(ref, entry.sequence, "content does not match its hash (edited)")
        previous = entry.hash
    if has_case and previous != head:
        return ChainProblem(ref, len(entries) + 1, "entries after this point were deleted")
    return None


def head_sequence(session: Session, case_ref: str) -> int:
    """The sequence number of the case's latest audit entry (0 when none)."""
    latest = session.scalar(select(AuditEntry.sequence).where(AuditEntry.case_ref == case_ref)
                            .order_by(AuditEntry.sequence.desc()).limit(1))
    return latest or 0


def changes_since(session: Session, case_ref: str, sequence: int) -> list[AuditEntry]:
    """What other users (or processes) changed in the case after ``sequence``.

    The app remembers the head when it loads a case and polls this, so a second
    user sees "JB/3 imported by DS 4120 Jane Brown at 10:32" and can refresh.
    """
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.case_ref == case_ref, AuditEntry.sequence > sequence).order_by(AuditEntry.sequence)))
