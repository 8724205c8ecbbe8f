"""A case and the people, identifiers, places, engagements and duty shifts in it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.model.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from workbench.model.evidence import Exhibit


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    classification: Mapped[str] = mapped_column(String(32), default="OFFICIAL-SENSITIVE")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    status: Mapped[str] = mapped_column(String(32), default="open")
    opened: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    audit_head: Mapped[str | None] = mapped_column(String(64))  # hash of the last audit entry
    # The database role that created it (on PostgreSQL set by the server: see model/shared.py)
    created_by: Mapped[str | None] = mapped_column(String(63))

    people: Mapped[list[Person]] = relationship(
        back_populates="case", order_by="Person.id", cascade="all, delete-orphan"
    )
    identifiers: Mapped[list[Identifier]] = relationship(
        back_populates="case", order_by="Identifier.id", cascade="all, delete-orphan",
        overlaps="identifiers",
    )
    places: Mapped[list[Place]] = relationship(cascade="all, delete-orphan", order_by="Place.id")
    engagements: Mapped[list[Engagement]] = relationship(
        cascade="all, delete-orphan", order_by="Engagement.id"
    )
    exhibits: Mapped[list[Exhibit]] = relationship(
        cascade="all, delete-orphan", order_by="Exhibit.id"
    )

    def person(self, key: str) -> Person | None:
        """The person with this key, or None."""
        return next((p for p in self.people if p.key == key), None)

    @property
    def subjects(self) -> list[Person]:
        return [p for p in self.people if p.role == "subject"]


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("case_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32))
    collar: Mapped[str | None] = mapped_column(String(32))
    cipher: Mapped[str | None] = mapped_column(String(64))
    vulnerabilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="people")
    identifiers: Mapped[list[Identifier]] = relationship(
        back_populates="person", order_by="Identifier.id", overlaps="identifiers"
    )


class Identifier(Base):
    """A phone number, account, vehicle, system user or record that traces to a person.

    ``value`` is normalised for matching (E.164, case-folded names, plain VRMs);
    ``display`` is as written. ``person_id`` is empty while unresolved.
    """

    __tablename__ = "identifiers"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "value"),
        Index("ix_identifiers_kind_value", "kind", "value"),  # cross-case hits
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(255))
    display: Mapped[str] = mapped_column(String(255))
    use: Mapped[str] = mapped_column(String(16), default="unknown")

    case: Mapped[Case] = relationship(back_populates="identifiers", overlaps="identifiers")
    person: Mapped[Person | None] = relationship(
        back_populates="identifiers", overlaps="identifiers"
    )


class Place(Base):
    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    label: Mapped[str] = mapped_column(Text)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[float] = mapped_column(Float, default=150.0)

    person: Mapped[Person | None] = relationship()


class Engagement(Base):
    """The policing matter that brought an officer and a member of the public together."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(64))
    started: Mapped[datetime] = mapped_column(UTCDateTime)
    concluded: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)

    officer: Mapped[Person] = relationship(foreign_keys=[officer_id])
    member: Mapped[Person] = relationship(foreign_keys=[member_id])


class DutyShift(Base):
    """One roster entry. ``on_duty`` is false for rest days, leave and sickness."""

    __tablename__ = "duty_shifts"
    __table_args__ = (Index("ix_duty_shifts_person_start", "person_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    duty_type: Mapped[str] = mapped_column(String(64), default="on duty")
    on_duty: Mapped[bool] = mapped_column(default=True)
    exhibit_id: Mapped[int | None] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"))
    source_position: Mapped[str | None] = mapped_column(String(64))

    person: Mapped[Person] = relationship()
