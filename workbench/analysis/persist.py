"""Storing markers: stable keys, upsert that keeps reviews, and the review command."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from workbench import audit, investigator
from workbench.analysis.candidates import Candidate
from workbench.analysis.clock import to_datetime
from workbench.analysis.document import marker_document
from workbench.analysis.duplicates import link_duplicates
from workbench.analysis.engine import find_candidates
from workbench.analysis.lexicon import default_lexicon
from workbench.analysis.loader import CaseData, load_case
from workbench.analysis.settings import Settings, load_settings
from workbench.errors import NotFound, WorkbenchError
from workbench.ingest.pipeline import lock_case
from workbench.model import Case, Marker, MarkerEvidence, utcnow
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken, Progress, no_progress


@dataclass
class AnalysisResult:
    """What an analysis run found: the ``analyse --json`` document and what changed."""

    case_ref: str
    markers: list[dict[str, Any]]
    risk: dict[str, Any]
    new: int = 0
    kept: int = 0
    no_longer_found: int = 0
    document: dict[str, Any] = field(default_factory=dict)


def _anchor(candidate: Candidate, data: CaseData,
            positions: dict[int, tuple[int | None, str]]) -> str:
    """What identifies a marker across re-runs: its first supporting record, as sourced."""
    if candidate.rule == "multiple_members_of_public" or not candidate.evidence:
        return ""
    first = candidate.evidence[0]
    if first.event_id is not None:
        exhibit_id, position = positions.get(first.event_id, (None, ""))
        exhibit = data.exhibits.get(exhibit_id) if exhibit_id is not None else None
        return f"{exhibit[1]}:{position}" if exhibit else f"event:{first.event_id}"
    if first.intel_id is not None:
        return "intel:" + next((r.urn for r in data.intel if r.id == first.intel_id), "")
    if first.complaint_id is not None:
        return "complaint:" + next(
            (c.reference for c in data.complaints if c.id == first.complaint_id), "")
    return ""


def marker_keys(candidates: list[Candidate], data: CaseData) -> list[str]:
    """A stable key per candidate: a hash of rule, people and anchor (unique in the case)."""
    firsts = [c.evidence[0].event_id for c in candidates
              if c.evidence and c.evidence[0].event_id is not None]
    positions = data.positions(sorted(set(firsts)))
    keys, seen = [], Counter[str]()
    for candidate in candidates:
        subject = data.people[candidate.subject_id].key if candidate.subject_id else ""
        member = data.people[candidate.member_id].key if candidate.member_id else ""
        body = "|".join((candidate.rule, subject, member, _anchor(candidate, data, positions)))
        seen[body] += 1
        if seen[body] > 1:  # two markers with the same anchor: keep both, distinctly
            body += f"|{seen[body]}"
        keys.append(hashlib.sha256(body.encode("utf-8")).hexdigest()[:32])
    return keys


def _store(session: Session, case: Case, candidates: list[Candidate],
           keys: list[str]) -> tuple[int, int, int]:
    existing = {m.key: m for m in session.scalars(select(Marker).where(Marker.case_id == case.id))}
    new = kept = 0
    current: list[tuple[Marker, Candidate]] = []
    for candidate, key in zip(candidates, keys, strict=True):
        marker = existing.pop(key, None)
        if marker is None:
            marker = Marker(case_id=case.id, key=key, status="open")
            session.add(marker)
            new += 1
        else:
            kept += 1
        marker.rule, marker.severity = candidate.rule, candidate.severity
        marker.start, marker.end = to_datetime(candidate.start), to_datetime(candidate.end)
        marker.subject_id, marker.member_id = candidate.subject_id, candidate.member_id
        marker.explanation, marker.current = candidate.explanation, True
        current.append((marker, candidate))
    retired = 0
    for marker in existing.values():  # kept, with their reviews, but no longer current
        retired += marker.current
        marker.current = False
    session.flush()
    ids = [marker.id for marker, _ in current]
    for chunk in range(0, len(ids), 5_000):
        session.execute(delete(MarkerEvidence).where(
            MarkerEvidence.marker_id.in_(ids[chunk:chunk + 5_000])))
    rows = []
    for marker, candidate in current:
        for item in candidate.evidence:
            rows.append({"marker_id": marker.id, "event_id": item.event_id,
                         "intel_id": item.intel_id, "complaint_id": item.complaint_id,
                         "detail": list(item.detail)})
    if rows:
        # Core insert: no ORM object per evidence row.
        session.connection().execute(insert(MarkerEvidence.__table__), rows)
    return new, kept, retired


def run_analysis(
    store: Store,
    case_ref: str,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    settings: Settings | None = None,
) -> AnalysisResult:
    """Run every rule over the case, store the markers, and return them with the risk summary.

    Markers are matched to earlier runs by their key, so reviews survive; markers
    no longer found are kept as not current, never deleted. One audit entry records
    the run. Raises :class:`~workbench.errors.Cancelled` if cancelled (nothing stored).
    """
    settings = settings or load_settings()
    lexicon = default_lexicon()
    with store.session() as session:
        case = find_case(session, case_ref)
        progress(0.0, "Linking the same communication held by several exhibits")
        linked = link_duplicates(session, case, settings)
        progress(0.05, "Reading the case's events")
        data = load_case(session, case)
        if cancel is not None:
            cancel.check()
        candidates = find_candidates(data, settings, lexicon, progress, cancel, 0.4, 0.85)
        progress(0.85, "Storing markers")
        keys = marker_keys(candidates, data)
        new, kept, retired = _store(session, case, candidates, keys)
        if cancel is not None:
            cancel.check()
        document = marker_document(session, case, settings)
        audit.append(session, case, "analyse", {
            "events": len(data.events), "duplicates_linked": linked,
            "markers": len(candidates), "new": new, "kept": kept,
            "no_longer_found": retired,
            "by_rule": dict(sorted(Counter(c.rule for c in candidates).items())),
            "risk": document["risk"]["level"], "thresholds": settings.source,
            "thresholds_sha256": settings.digest, "lexicon_sha256": lexicon.digest,
        })
    progress(1.0, f"{len(candidates)} markers")
    return AnalysisResult(case_ref, document["markers"], document["risk"], new, kept, retired,
                          document)


def review_marker(store: Store, marker_id: int, *, accept: bool, reason: str,
                  by: str | None = None) -> dict[str, Any]:
    """Accept or dismiss a marker with a reason; the review goes into the audit chain.

    Dismissed markers stay stored and visible as dismissed. Returns the marker's
    new review state.
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkbenchError("a marker review needs a reason")
    reviewer = (by or "").strip() or investigator.current()
    with store.session() as session:
        # Lock order for every writer: the case row first, then what changes. Locking the
        # marker first deadlocked against `analyse`, which holds the case while it
        # rewrites markers; now the review waits for the analysis, then lands.
        case_id = session.scalar(select(Marker.case_id).where(Marker.id == marker_id))
        if case_id is None:
            raise NotFound(f"no marker with id {marker_id}")
        case = lock_case(session, case_id)
        marker = session.get(Marker, marker_id, populate_existing=True)
        assert marker is not None  # markers are never deleted
        previous = marker.status
        marker.status = "accepted" if accept else "dismissed"
        marker.reviewed_by, marker.reviewed_at = reviewer, utcnow().replace(microsecond=0)
        marker.review_reason = reason
        audit.append(session, case, "marker_review", {
            "marker": marker.id, "key": marker.key, "rule": marker.rule,
            "status": marker.status, "previous_status": previous, "reason": reason,
            "by": reviewer,
        })
        return {"id": marker.id, "case": case.ref, "rule": marker.rule, "status": marker.status,
                "reviewed_by": reviewer, "reviewed_at": marker.reviewed_at.isoformat(),
                "review_reason": reason}
