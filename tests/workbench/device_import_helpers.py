"""What the device/messaging importer tests check: the events a user sees, and that refusals leave nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from workbench.errors import Cancelled, ImportRefused
from workbench.ingest.pipeline import import_file
from workbench.model import Event, Exhibit, Identifier, Person
from workbench.store import Store
from workbench.tasks import CancelToken

REF = "OP-WILLOW"


@dataclass(frozen=True)
class Seen:
    """One imported event as an investigator reads it."""

    position: str
    at: datetime
    kind: str
    channel: str
    direction: str
    sender: str | None  # person key, else the identifier's display
    recipient: str | None
    status: str | None
    text: str | None
    media: str | None
    ambiguous: bool
    duration: float | None


def seen(store: Store, exhibit: str | None = None) -> list[Seen]:
    """The case's events (optionally one exhibit's) in source order of import."""
    sender_id, recipient_id = aliased(Identifier), aliased(Identifier)
    sender_person, recipient_person = aliased(Person), aliased(Person)
    query = (
        select(Event, sender_id, sender_person, recipient_id, recipient_person)
        .join(Exhibit, Event.exhibit_id == Exhibit.id)
        .outerjoin(sender_id, Event.from_id == sender_id.id)
        .outerjoin(sender_person, sender_id.person_id == sender_person.id)
        .outerjoin(recipient_id, Event.to_id == recipient_id.id)
        .outerjoin(recipient_person, recipient_id.person_id == recipient_person.id)
        .order_by(Event.id)
    )
    if exhibit is not None:
        query = query.where(Exhibit.reference == exhibit)
    with store.reader() as session:
        rows = session.execute(query).all()
        return [
            Seen(e.source_position, e.occurred_at.astimezone(UTC), e.kind, e.channel, e.direction,
                 _who(si, sp), _who(ri, rp), e.status, e.text, e.media, e.time_ambiguous,
                 e.duration_s)
            for e, si, sp, ri, rp in rows
        ]


def _who(identifier: Identifier | None, person: Person | None) -> str | None:
    if person is not None:
        return person.key
    return identifier.display if identifier is not None else None


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def counts(store: Store) -> tuple[int, int, int]:
    with store.reader() as session:
        return (
            session.scalar(select(func.count()).select_from(Exhibit)),
            session.scalar(select(func.count()).select_from(Event)),
            session.scalar(select(func.count()).select_from(Identifier)),
        )


def stored_files(store: Store) -> list[Path]:
    root = store.files.root
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_refused(store: Store, path: Path, *fragments: str, **options: object) -> ImportRefused:
    """Import must be refused with every fragment in the message, leaving nothing behind."""
    before = counts(store)
    with pytest.raises(ImportRefused) as caught:
        import_file(store, REF, path, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert path.name in message, message  # the error names the file
    assert counts(store) == before
    assert stored_files(store) == []
    return caught.value


def assert_cancel_leaves_nothing(store: Store, path: Path, **options: object) -> None:
    """A token cancelled from the progress callback stops the import with nothing kept."""
    before = counts(store)
    token = CancelToken()
    calls: list[float] = []

    def progress(fraction: float, message: str) -> None:
        calls.append(fraction)
        token.cancel()

    with pytest.raises(Cancelled):
        import_file(store, REF, path, progress=progress, cancel=token, **options)  # type: ignore[arg-type]
    assert calls, "progress was never reported"
    assert counts(store) == before
    assert stored_files(store) == []


def progress_fractions(store: Store, path: Path, **options: object) -> list[float]:
    """Import, recording progress; returns the fractions reported."""
    fractions: list[float] = []
    import_file(store, REF, path, progress=lambda f, m: fractions.append(f), **options)  # type: ignore[arg-type]
    return fractions
