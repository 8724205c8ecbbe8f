"""What investigators add to a case: marker reviews, decisions, enquiries, chart layout."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.model.base import Base, UTCDateTime, utcnow
from workbench.model.case import Person


class Marker(Base):
    """An escalation marker: an indicator for the investigator to review, not a finding.

    ``key`` is stable across re-analysis (rule, people and first evidence), so a
    review survives new imports.
    """

    __tablename__ = "markers"
    __table_args__ = (UniqueConstraint("case_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    explanation: Mapped[str] = mapped_column(Text)
    current: Mapped[bool] = mapped_column(default=True)  # false once analysis no longer finds it
    status: Mapped[str] = mapped_column(String(16), default="open")
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_reason: Mapped[str | None] = mapped_column(Text)

    subject: Mapped[Person | None] = relationship(foreign_keys=[subject_id])
    member: Mapped[Person | None] = relationship(foreign_keys=[member_id])
    evidence: Mapped[list[MarkerEvidence]] = relationship(
        cascade="all, delete-orphan", order_by="MarkerEvidence.id"
    )


class MarkerEvidence(Base):
    """One record supporting a marker; ``detail`` says what in it matched (words, distance)."""

    __tablename__ = "marker_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    marker_id: Mapped[int] = mapped_column(
        ForeignKey("markers.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    intel_id: Mapped[int | None] = mapped_column(
        ForeignKey("intel_reports.id", ondelete="CASCADE")
    )
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE")
    )
    detail: Mapped[list[str]] = mapped_column(JSON, default=list)


class Decision(Base):
    """A decision log entry (National Decision Model). Never edited: corrections are new entries."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("case_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision_maker: Mapped[str] = mapped_column(Text)
    recorder: Mapped[str] = mapped_column(Text)
    ndm_element: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    options_rejected: Mapped[str] = mapped_column(Text, default="")
    review_date: Mapped[date | None] = mapped_column(Date)
    corrects: Mapped[int | None] = mapped_column(Integer)  # sequence of the corrected entry


class LineOfEnquiry(Base):
    __tablename__ = "lines_of_enquiry"
    __table_args__ = (UniqueConstraint("case_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    owner: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    closed_by: Mapped[str | None] = mapped_column(Text)  # e.g. "exhibit JB/2" or "decision 4"


class ChartPosition(Base):
    """Where the analyst put a node on the link chart, and whether it is pinned."""

    __tablename__ = "chart_positions"
    __table_args__ = (UniqueConstraint("case_id", "node"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    node: Mapped[str] = mapped_column(String(255))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    pinned: Mapped[bool] = mapped_column(default=False)


class AuditEntry(Base):
    """One link of a case's hash chain: every change to the case appends one."""

    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("case_ref", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(64), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text)  # canonical JSON
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Since 0004 (NULL in older entries, which stay verifiable as they were):
    os_account: Mapped[str | None] = mapped_column(String(128))  # beside ``user``, the investigator
    state: Mapped[str | None] = mapped_column(Text)  # canonical JSON: table -> record-seal digest
    key_fingerprint: Mapped[str | None] = mapped_column(String(64))  # the unit certificate's
    signature: Mapped[str | None] = mapped_column(Text)  # base64 ECDSA signature of ``hash``


class UnitCertificate(Base):
    """A unit key's certificate, stored once per store so signatures verify without the key."""

    __tablename__ = "unit_certificates"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    pem: Mapped[str] = mapped_column(Text)
    first_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseSeal(Base):
    """Each decision-relevant record's digest as of the audit entry that sealed them.

    The audit entry holds one digest per table of this map (signed with the chain), so
    ``verify`` can say which record was edited behind the application's back.
    """

    __tablename__ = "case_seals"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)  # the audit entry that sealed them
    records: Mapped[str] = mapped_column(Text)  # canonical JSON: table -> record -> digest
