"""The tamper-evident audit chain: every change to a case appends one hashed entry.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited, inserted or deleted entry breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.evidence.exhibits import current_user
from workbench.model import AuditEntry, Case, utcnow

GENESIS = "0" * 64


def canonical(details: dict[str, Any]) -> str:
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def entry_hash(entry: AuditEntry) -> str:
    body = "\x1f".join(
        [entry.case_ref, str(entry.sequence), entry.at.isoformat(), entry.user, entry.action,
         entry.details, entry.previous_hash]
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(session: Session, case: Case, action: str, details: dict[str, Any]) -> AuditEntry:
    """Append an entry to the case's chain, in the caller's transaction.

    On PostgreSQL the case row is locked first, so concurrent writers queue
    rather than fork the chain; on SQLite the database write lock does that.
    """
    if session.get_bind().dialect.name != "sqlite":
        session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    last = session.scalars(
        select(AuditEntry).where(AuditEntry.case_ref == case.ref)
        .order_by(AuditEntry.sequence.desc()).limit(1)
    ).first()
    entry = AuditEntry(
        case_ref=case.ref,
        sequence=(last.sequence + 1) if last else 1,
        at=utcnow().replace(microsecond=0),
        user=current_user(),
        action=action,
        details=canonical(details),
        previous_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry_hash(entry)
    case.audit_head = entry.hash
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    case_ref: str
    sequence: int
    reason: str

    def __str__(self) -> str:
        return f"case {self.case_ref}: audit entry {self.sequence}: {self.reason}"


def verify(session: Session, case_ref: str | None = None) -> list[ChainProblem]:
    """Recompute the chain(s); return the first problem of each broken chain."""
    refs = [case_ref] if case_ref else list(
        session.scalars(select(AuditEntry.case_ref).distinct().order_by(AuditEntry.case_ref))
    )
    heads = dict(session.execute(select(Case.ref, Case.audit_head)).all())
    problems = []
    for ref in refs:
        problem = _verify_chain(session, ref, ref in heads, heads.get(ref))
        if problem:
            problems.append(problem)
    return problems


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
    user sees "JB/3 imported by jbrown at 10:32" and can refresh.
    """
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.case_ref == case_ref, AuditEntry.sequence > sequence).order_by(AuditEntry.sequence)))
