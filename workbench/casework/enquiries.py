"""Lines of enquiry: the APSP investigative checklist, one line per avenue, with its status.

A case's lines are the template's from ``resources/enquiries.toml``, stored
(and audited) when the first of them changes. Each line has a status, an owner, notes and, once
closed, a link to what closed it (``exhibit JB/2``, ``decision 4``,
``marker 12``), checked against the case. Every change is audited.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.errors import NotFound, WorkbenchError
from workbench.model import Case, Decision, Exhibit, LineOfEnquiry, Marker
from workbench.store import Store
from workbench.store.queries import find_case

STATUSES: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "not_applicable": "Not applicable",
}
LINK = re.compile(r"^\s*(exhibit|decision|marker)\s+(\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class EnquiryLine:
    """One line of enquiry as read back."""

    key: str
    title: str
    status: str
    owner: str | None
    notes: str
    closed_by: str | None

    @property
    def status_title(self) -> str:
        return STATUSES.get(self.status, self.status)


def template() -> list[tuple[str, str]]:
    """The template lines ``(key, title)`` from ``resources/enquiries.toml``."""
    text = resources.files("resources").joinpath("enquiries.toml").read_text("utf-8")
    return [(line["key"], line["title"]) for line in tomllib.loads(text)["line"]]


def _ensure_lines(session: Session, case: Case) -> list[LineOfEnquiry]:
    lines = list(session.scalars(select(LineOfEnquiry).where(LineOfEnquiry.case_id == case.id)
                                 .order_by(LineOfEnquiry.id)))
    if lines:
        return lines
    lines = [LineOfEnquiry(case_id=case.id, key=key, title=title, status="not_started", notes="")
             for key, title in template()]
    session.add_all(lines)
    session.flush()
    audit.append(session, case, "enquiries_start", {"lines": [line.key for line in lines]})
    return lines


def lines_of_enquiry(store: Store, case_ref: str) -> list[EnquiryLine]:
    """The case's lines of enquiry; before the first change, the template's, not started.

    Reading never writes: the lines are stored (and audited) by the first update.
    """
    with store.reader() as session:
        case = find_case(session, case_ref)
        rows = session.scalars(select(LineOfEnquiry).where(LineOfEnquiry.case_id == case.id)
                               .order_by(LineOfEnquiry.id)).all()
        if rows:
            return [_line(row) for row in rows]
    return [EnquiryLine(key, title, "not_started", None, "", None) for key, title in template()]


def check_link(session: Session, case: Case, link: str) -> str:
    """``exhibit JB/2``, ``decision 4`` or ``marker 12``, normalised, if it exists in the case."""
    match = LINK.match(link)
    if match is None:
        raise WorkbenchError(f"closed by {link!r}: write 'exhibit JB/2', 'decision 4' or 'marker 12'")
    kind, target = match.group(1).lower(), match.group(2)
    if kind == "exhibit":
        found = session.scalar(select(Exhibit.id).where(Exhibit.case_id == case.id,
                                                        Exhibit.reference == target.upper()))
        target = target.upper()
    elif not target.isdigit():
        raise WorkbenchError(f"closed by {link!r}: a {kind} is named by its number")
    elif kind == "decision":
        found = session.scalar(select(Decision.id).where(Decision.case_id == case.id,
                                                         Decision.sequence == int(target)))
    else:
        found = session.scalar(select(Marker.id).where(Marker.case_id == case.id,
                                                       Marker.id == int(target)))
    if not found:
        raise WorkbenchError(f"closed by {link!r}: there is no {kind} {target} in case {case.ref}")
    return f"{kind} {target}"


_UNSET = object()


def update_line(store: Store, case_ref: str, key: str, *, status: str | None = None,
                owner: str | None | object = _UNSET, notes: str | None = None,
                closed_by: str | None | object = _UNSET) -> tuple[EnquiryLine, EnquiryLine]:
    """Change a line's status, owner, notes or closing link (audited).

    Returns ``(before, after)`` so the app can undo with the same call.
    """
    with store.session() as session:
        case = find_case(session, case_ref)
        line = next((row for row in _ensure_lines(session, case) if row.key == key), None)
        if line is None:
            raise NotFound(f"no line of enquiry {key!r} in case {case.ref}")
        before = _line(line)
        if status is not None:
            if status not in STATUSES:
                raise WorkbenchError(f"line of enquiry {key}: status {status!r} is not one of "
                                     f"{', '.join(STATUSES)}")
            line.status = status
        if owner is not _UNSET:
            line.owner = (str(owner).strip() or None) if owner is not None else None
        if notes is not None:
            line.notes = notes
        if closed_by is not _UNSET:
            text = str(closed_by).strip() if closed_by is not None else ""
            line.closed_by = check_link(session, case, text) if text else None
        after = _line(line)
        changes = {name: [getattr(before, name), getattr(after, name)]
                   for name in ("status", "owner", "notes", "closed_by")
                   if getattr(before, name) != getattr(after, name)}
        if changes:
            audit.append(session, case, "enquiry_update", {"line": key, "changes": changes})
        return before, after


def _line(row: LineOfEnquiry) -> EnquiryLine:
    return EnquiryLine(row.key, row.title, row.status, row.owner, row.notes or "", row.closed_by)
