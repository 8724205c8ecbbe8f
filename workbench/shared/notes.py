"""Notes, tags and bookmarks on events, markers, people and exhibits: a pocket notebook.

Every change adds a row (the next version of its thread) and an audit entry; no row
is ever changed, so the history of a note stays readable. Tags come from the
case's own vocabulary (seeded with the unit's usual ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.anonymise import Anonymiser
from workbench.errors import NotFound, WorkbenchError
from workbench.model import Annotation, Case, CaseTag, Event, Exhibit, Marker, Person
from workbench.model.shared import DEFAULT_TAGS, NOTE_TARGETS
from workbench.shared.users import current_login, display_name_for
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.timeutil import format_local


@dataclass(frozen=True)
class Target:
    kind: str  # one of NOTE_TARGETS
    id: int
    label: str  # as the investigator names it: "event 123", "person woman_a", "exhibit JB/1"


def resolve_target(session: Session, case: Case, kind: str, name: str) -> Target:
    """The event (id), marker (id), person (key) or exhibit (reference) named in the case."""
    if kind not in NOTE_TARGETS:
        raise WorkbenchError(f"notes go on {', '.join(NOTE_TARGETS)}, not {kind!r}")
    if kind == "person":
        found = session.scalar(select(Person.id).where(Person.case_id == case.id, Person.key == name))
    elif kind == "exhibit":
        found = session.scalar(select(Exhibit.id).where(Exhibit.case_id == case.id,
                                                        Exhibit.reference == name))
    else:
        model = Event if kind == "event" else Marker
        found = session.scalar(select(model.id).where(model.case_id == case.id,
                                                      model.id == _number(kind, name)))
    if found is None:
        raise NotFound(f"no {kind} {name!r} in case {case.ref}")
    return Target(kind, found, f"{kind} {name}")


def _number(kind: str, name: str) -> int:
    try:
        return int(name)
    except ValueError:
        raise WorkbenchError(f"{kind} {name!r}: give the {kind}'s number") from None


def vocabulary(session: Session, case: Case) -> list[str]:
    """The case's tags (the unit's usual ones until the case adds its own)."""
    names = list(session.scalars(select(CaseTag.name).where(CaseTag.case_id == case.id)
                                 .order_by(CaseTag.name)))
    return names or sorted(DEFAULT_TAGS)


def add_tag_to_vocabulary(session: Session, case: Case, name: str, description: str = "") -> None:
    name = name.strip().lower()
    if not name:
        raise WorkbenchError("a tag needs a name")
    current = vocabulary(session, case)
    if name in current:
        return
    existing = set(session.scalars(select(CaseTag.name).where(CaseTag.case_id == case.id)))
    for tag in [*(t for t in current if t not in existing), name]:  # seed defaults once
        session.add(CaseTag(case_id=case.id, name=tag, description=description if tag == name else ""))
    session.flush()
    audit.append(session, case, "tag vocabulary extended", {"tag": name})


def _latest(session: Session, case: Case, thread: int) -> Annotation:
    latest = session.scalars(select(Annotation).where(
        Annotation.case_id == case.id, Annotation.thread == thread)
        .order_by(Annotation.version.desc()).limit(1)).first()
    if latest is None:
        raise NotFound(f"no note {thread} in case {case.ref}")
    return latest


def _write(session: Session, case: Case, target: Target, kind: str, text: str, *,
           thread: int | None = None, version: int = 1, active: bool = True) -> Annotation:
    if thread is None:
        thread = (session.scalar(select(func.max(Annotation.thread))
                                 .where(Annotation.case_id == case.id)) or 0) + 1
    row = Annotation(case_id=case.id, thread=thread, version=version, target_kind=target.kind,
                     target_id=target.id, kind=kind, text=text, active=active,
                     author=current_login(session))
    session.add(row)
    session.flush()
    action = {1: "added"}.get(version, "removed" if not active else "edited")
    audit.append(session, case, f"{kind} {action}", {
        "thread": thread, "version": version, "on": target.label, "text": text})
    return row


def add_note(session: Session, case: Case, target: Target, text: str) -> Annotation:
    if not text.strip():
        raise WorkbenchError("a note needs some text")
    return _write(session, case, target, "note", text.strip())


def edit_note(session: Session, case: Case, thread: int, text: str) -> Annotation:
    """A new version of the note; the old one is kept."""
    latest = _latest(session, case, thread)
    if latest.kind != "note":
        raise WorkbenchError(f"{thread} is a {latest.kind}, not a note")
    name = target_name(session, latest.target_kind, latest.target_id)
    target = Target(latest.target_kind, latest.target_id, f"{latest.target_kind} {name}")
    return _write(session, case, target, "note", text.strip(), thread=thread,
                  version=latest.version + 1)


def set_mark(session: Session, case: Case, target: Target, kind: str, on: bool,
             tag: str = "") -> Annotation | None:
    """Put a tag or bookmark on a target, or take it off (a new, inactive version)."""
    if kind == "tag" and tag not in vocabulary(session, case):
        raise WorkbenchError(f"tag {tag!r} is not in case {case.ref}'s vocabulary "
                             f"({', '.join(vocabulary(session, case))}); add it with "
                             f"`workbench tag vocab {case.ref} --add NAME`")
    current = [a for a in current_annotations(session, case, target=target) if a.kind == kind
               and a.text == tag]
    if on and current:
        return current[0]
    if not on and not current:
        raise WorkbenchError(f"{target.label} has no {kind} {tag}".rstrip())
    if on:
        return _write(session, case, target, kind, tag)
    return _write(session, case, target, kind, tag, thread=current[0].thread,
                  version=current[0].version + 1, active=False)


def current_annotations(session: Session, case: Case, *, target: Target | None = None,
                        kind: str | None = None, tag: str | None = None,
                        text: str | None = None) -> list[Annotation]:
    """The latest version of each live note, tag and bookmark, filtered."""
    latest = (select(Annotation.thread, func.max(Annotation.version).label("version"))
              .where(Annotation.case_id == case.id).group_by(Annotation.thread).subquery())
    query = (select(Annotation).join(latest, (latest.c.thread == Annotation.thread)
                                     & (latest.c.version == Annotation.version))
             .where(Annotation.case_id == case.id, Annotation.active.is_(True)))
    if target is not None:
        query = query.where(Annotation.target_kind == target.kind, Annotation.target_id == target.id)
    if kind is not None:
        query = query.where(Annotation.kind == kind)
    if tag is not None:
        query = query.where(Annotation.kind == "tag", Annotation.text == tag)
    if text is not None:
        query = query.where(Annotation.text.ilike(f"%{text}%"))
    return list(session.scalars(query.order_by(Annotation.target_kind, Annotation.target_id,
                                               Annotation.thread)))


def history(session: Session, case: Case, thread: int) -> list[Annotation]:
    return list(session.scalars(select(Annotation).where(
        Annotation.case_id == case.id, Annotation.thread == thread).order_by(Annotation.version)))


def target_name(session: Session, kind: str, target_id: int) -> str:
    """How the investigator names a target: a person's key, an exhibit's reference, a number."""
    if kind == "person":
        return session.scalar(select(Person.key).where(Person.id == target_id)) or str(target_id)
    if kind == "exhibit":
        return session.scalar(select(Exhibit.reference).where(Exhibit.id == target_id)) or str(target_id)
    return str(target_id)


def as_dict(session: Session, row: Annotation) -> dict[str, Any]:
    return {"id": row.thread, "version": row.version, "kind": row.kind,
            "on": {"kind": row.target_kind, "id": row.target_id,
                   "name": target_name(session, row.target_kind, row.target_id)},
            "text": row.text, "author": display_name_for(session, row.author),
            "at": row.at.isoformat()}


# -- commands on a store (what the app calls; each in its own transaction) ----------------

def _by_id(session: Session, ref: str, kind: str, target_id: int) -> tuple[Case, Target]:
    case = find_case(session, ref)
    name = target_name(session, kind, target_id) if kind in ("person", "exhibit") else str(target_id)
    return case, resolve_target(session, case, kind, name)


def notes_on(store: Store, ref: str, kind: str, target_id: int) -> list[dict[str, Any]]:
    """The live notes, tags and bookmarks on one event, marker, person or exhibit."""
    with store.reader() as session:
        case, target = _by_id(session, ref, kind, target_id)
        return [as_dict(session, row) | {"versions": row.version}
                for row in current_annotations(session, case, target=target)]


def add_note_on(store: Store, ref: str, kind: str, target_id: int, text: str) -> None:
    with store.session() as session:
        case, target = _by_id(session, ref, kind, target_id)
        add_note(session, case, target, text)


def edit_note_in(store: Store, ref: str, thread: int, text: str) -> None:
    with store.session() as session:
        edit_note(session, find_case(session, ref), thread, text)


def mark_on(store: Store, ref: str, kind: str, target_id: int, mark: str, on: bool,
            tag: str = "") -> None:
    """Tag (``mark="tag"``) or bookmark a target, or take the tag or bookmark off."""
    with store.session() as session:
        case, target = _by_id(session, ref, kind, target_id)
        set_mark(session, case, target, mark, on, tag)


def case_vocabulary(store: Store, ref: str) -> list[str]:
    with store.reader() as session:
        return vocabulary(session, find_case(session, ref))


def annotated_event_ids(session: Session, case: Case, text: str) -> list[int]:
    """Events whose live notes or tags contain ``text`` (search finds them too)."""
    return [row.target_id for row in current_annotations(session, case, text=text)
            if row.target_kind == "event"]


def notes_for_bundle(session: Session, case: Case, anonymiser: Anonymiser,
                     tz: tzinfo) -> list[tuple[str, ...]]:
    """Rows for a bundle's notes section: on, kind, text, by and when (anonymised if asked)."""
    rows: list[tuple[str, ...]] = []
    for row in current_annotations(session, case):
        if row.target_kind == "person":
            on = anonymiser.person(session.get(Person, row.target_id))
        elif row.target_kind == "event":
            when = session.scalar(select(Event.occurred_at).where(Event.id == row.target_id))
            on = f"event of {format_local(when, tz, with_zone=False)}" if when else f"event {row.target_id}"
        else:
            on = f"{row.target_kind} {target_name(session, row.target_kind, row.target_id)}"
        text = "bookmarked" if row.kind == "bookmark" else anonymiser.text(row.text)
        by = display_name_for(session, row.author)
        rows.append((on, row.kind, text, f"{by}\n{format_local(row.at, tz)}"))
    return rows
