"""A unit's shared store: investigators, per-case access, notes and tags, watchlists.

On PostgreSQL each investigator connects as their own database role; ``login`` is
that role's name. Who may see which case is enforced by row-level security in the
database (migration 0007), not only by the app.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.model.base import Base, UTCDateTime, utcnow

UNIT_ROLES = ("investigator", "supervisor", "analyst", "reviewer")
# A case role: a unit role, or the officer in charge (who may grant access to the case).
CASE_ROLES = (*UNIT_ROLES, "officer_in_charge")
READ_ONLY_ROLES = frozenset({"reviewer"})
NOTE_TARGETS = ("event", "marker", "person", "exhibit")
ANNOTATION_KINDS = ("note", "tag", "bookmark")
DEFAULT_TAGS = ("key evidence", "check with witness", "disclosable")


class Investigator(Base):
    __tablename__ = "investigators"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    name: Mapped[str] = mapped_column(Text)  # "DS 4120 Jane Brown"
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(63))


class CaseAccess(Base):
    """A grant of access to one case, or a declared conflict (which no grant overrides)."""

    __tablename__ = "case_access"
    __table_args__ = (UniqueConstraint("case_id", "login"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    login: Mapped[str] = mapped_column(String(63), index=True)
    access: Mapped[str] = mapped_column(String(16))  # "grant" or "conflict"
    role: Mapped[str | None] = mapped_column(String(24))
    by: Mapped[str] = mapped_column(String(63))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseTag(Base):
    """A case's tag vocabulary."""

    __tablename__ = "case_tags"
    __table_args__ = (UniqueConstraint("case_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")


class Annotation(Base):
    """One version of a note, tag or bookmark on an event, marker, person or exhibit.

    Rows are never changed: an edit adds the next ``version`` of the same ``thread``
    (numbered within the case), and removing a tag or bookmark adds a version with
    ``active`` false. On PostgreSQL a trigger refuses UPDATE and DELETE.
    """

    __tablename__ = "annotations"
    __table_args__ = (
        UniqueConstraint("case_id", "thread", "version"),
        Index("ix_annotations_target", "case_id", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    thread: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")  # the note, or the tag's name
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    author: Mapped[str] = mapped_column(String(63))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WatchEntry(Base):
    """A unit-wide watched identifier or member of staff."""

    __tablename__ = "watchlist"
    __table_args__ = (Index("ix_watchlist_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # an identifier kind, or "staff"
    value: Mapped[str] = mapped_column(String(255))  # normalised like the case's identifiers
    reason: Mapped[str] = mapped_column(Text)
    review_on: Mapped[date] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(63))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by: Mapped[str | None] = mapped_column(String(63))


class WatchAlert(Base):
    """An import touched a watched identifier: an indicator for the watchlist's owner."""

    __tablename__ = "watch_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    owner: Mapped[str] = mapped_column(String(63), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(255))
    exhibit: Mapped[str | None] = mapped_column(String(64))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
