"""Exhibits as received, their continuity, and the events derived from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.model.base import Base, UTCDateTime, utcnow
from workbench.model.case import Identifier


class Exhibit(Base):
    """One evidence file as received, stored by its SHA-256 in the exhibit store."""

    __tablename__ = "exhibits"
    __table_args__ = (
        UniqueConstraint("case_id", "reference"),
        UniqueConstraint("case_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    producer: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    source_timezone: Mapped[str | None] = mapped_column(String(64))
    warnings: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    continuity: Mapped[list[Continuity]] = relationship(
        back_populates="exhibit", order_by="Continuity.id", cascade="all, delete-orphan"
    )


class Continuity(Base):
    """A chain-of-custody entry: receipt, import, examination, export."""

    __tablename__ = "continuity"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(
        ForeignKey("exhibits.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(64))
    by: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(Text, default="")

    exhibit: Mapped[Exhibit] = relationship(back_populates="continuity")


class Event(Base):
    """One contact or activity, traceable to its exhibit and the position in it.

    ``direction`` is relative to the officer under investigation. ``duration_s``
    is a call's length or a vehicle stop's dwell time.
    """

    __tablename__ = "events"
    __table_args__ = (
        # Covering indexes: opening a case and sealing its records read only these
        # columns, in index order (migration 0008 says why).
        Index("ix_events_case_timeline", "case_id", "occurred_at", "kind", "channel",
              "direction", "from_id", "to_id", "duration_s", "id"),
        Index("ix_events_case_channels", "case_id", "exhibit_id", "channel", "direction", "id"),
        Index("ix_events_exhibit", "exhibit_id"),
        # The few events known only to the day, read apart from the timeline (0010).
        Index("ix_events_case_date_only", "case_id", "id", sqlite_where=text("date_only = 1"),
              postgresql_where=text("date_only")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    exhibit_id: Mapped[int | None] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"))
    # "line 12", "model 4711", or inside a zip the member too: any length.
    source_position: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    time_ambiguous: Mapped[bool] = mapped_column(default=False)
    # Known only to the day: stored at the local start of the day, shown as a date.
    date_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(16), default="unknown")
    from_id: Mapped[int | None] = mapped_column(ForeignKey("identifiers.id"))
    to_id: Mapped[int | None] = mapped_column(ForeignKey("identifiers.id"))
    duration_s: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    media: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    exhibit: Mapped[Exhibit | None] = relationship()
    sender: Mapped[Identifier | None] = relationship(foreign_keys=[from_id])
    recipient: Mapped[Identifier | None] = relationship(foreign_keys=[to_id])


class EventLink(Base):
    """Two records of the same communication from different exhibits, linked as one event.

    ``event_id`` stands for the communication; ``duplicate_id`` is the same message or
    call as another exhibit holds it. Rules and counts use the communication once; every
    source is still listed (corroboration is evidence in itself). A link is undone, never
    deleted, so that finding duplicates again does not re-link what an investigator split.
    """

    __tablename__ = "event_links"
    __table_args__ = (UniqueConstraint("duplicate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    duplicate_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    linked_by: Mapped[str] = mapped_column(String(128))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(128))
    undo_reason: Mapped[str | None] = mapped_column(Text)
