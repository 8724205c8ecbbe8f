"""The data model: SQLAlchemy 2 declarative classes (the nouns of ARCHITECTURE.md)."""

from workbench.model.base import Base, UTCDateTime, utcnow
from workbench.model.case import Case, DutyShift, Engagement, Identifier, Person, Place
from workbench.model.casework import (
    AuditEntry,
    ChartPosition,
    Decision,
    LineOfEnquiry,
    Marker,
    MarkerEvidence,
)
from workbench.model.evidence import Continuity, Event, EventLink, Exhibit
from workbench.model.intel import Complaint, IntelReport

__all__ = [
    "AuditEntry", "Base", "Case", "ChartPosition", "Complaint", "Continuity", "Decision",
    "DutyShift", "Engagement", "Event", "EventLink", "Exhibit", "Identifier", "IntelReport",
    "LineOfEnquiry", "Marker", "MarkerEvidence", "Person", "Place", "UTCDateTime", "utcnow",
]
