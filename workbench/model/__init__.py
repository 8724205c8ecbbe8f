"""The data model: SQLAlchemy 2 declarative classes (the nouns of ARCHITECTURE.md)."""

from sqlalchemy.orm import configure_mappers

from workbench.model.base import Base, UTCDateTime, utcnow
from workbench.model.case import Case, DutyShift, Engagement, Identifier, Person, Place
from workbench.model.casework import (
    AuditEntry,
    CaseSeal,
    ChartPosition,
    Decision,
    LineOfEnquiry,
    Marker,
    MarkerEvidence,
    UnitCertificate,
)
from workbench.model.evidence import Continuity, Event, EventLink, Exhibit
from workbench.model.intel import Complaint, IntelReport
from workbench.model.shared import (
    Annotation,
    CaseAccess,
    CaseTag,
    Investigator,
    WatchAlert,
    WatchEntry,
)

__all__ = [
    "Annotation", "AuditEntry", "Base", "Case", "CaseAccess", "CaseSeal", "CaseTag",
    "ChartPosition", "Complaint", "Continuity", "Decision", "DutyShift", "Engagement", "Event",
    "EventLink", "Exhibit", "Identifier", "IntelReport", "Investigator", "LineOfEnquiry", "Marker",
    "MarkerEvidence", "Person", "Place", "UnitCertificate", "UTCDateTime", "WatchAlert",
    "WatchEntry", "utcnow",
]

# Relationships are worked out now, on import, not on a model's first use (which could be
# in the middle of drawing a window).
configure_mappers()
