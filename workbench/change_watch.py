"""Noticing changes made to a case elsewhere: by another process, user or machine.

Every change to a case appends to its audit chain, so the chain's sequence number is a
counter that every write advances. A view remembers the sequence it has loaded and asks
:func:`changes_elsewhere` for the later entries that were not committed through its own
store: the CLI, a second copy of the app or a colleague, even under the same OS account.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from workbench import audit
from workbench.model import AuditEntry
from workbench.store import Store

# Per engine (one per open store): case ref -> audit sequences committed through it.
_committed_here: weakref.WeakKeyDictionary[Engine, dict[str, set[int]]] = weakref.WeakKeyDictionary()
_PENDING = "audit_sequences_pending"


@dataclass(frozen=True)
class Change:
    sequence: int
    action: str
    user: str
    at: datetime

    def describe(self) -> str:
        return f"{self.action.replace('_', ' ')} by {self.user}"


def changes_elsewhere(store: Store, case_ref: str, since: int) -> list[Change]:
    """The case's audit entries after ``since`` not committed through ``store``.

    Opens its own session, so a worker thread may call it.
    """
    mine = _committed_here.get(store.engine, {}).get(case_ref, set())
    with store.reader() as session:
        return [Change(entry.sequence, entry.action, entry.user, entry.at)
                for entry in audit.changes_since(session, case_ref, since)
                if entry.sequence not in mine]


@event.listens_for(Session, "after_flush")
def _note_audit_entries(session: Session, _context: Any) -> None:
    pending = session.info.setdefault(_PENDING, [])
    pending.extend((entry.case_ref, entry.sequence) for entry in session.new
                   if isinstance(entry, AuditEntry))


@event.listens_for(Session, "after_commit")
def _remember_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    bind = session.get_bind() if pending else None
    if bind is None:
        return
    engine = bind if isinstance(bind, Engine) else bind.engine
    cases = _committed_here.setdefault(engine, {})
    for case_ref, sequence in pending:
        cases.setdefault(case_ref, set()).add(sequence)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
