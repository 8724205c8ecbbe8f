"""Prior intelligence reports and complaints."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.model.base import Base
from workbench.model.case import Person


class IntelReport(Base):
    """A sanitised intelligence report, graded under its own scheme (never converted).

    Scheme ``3x5x2``: source 1-3, intelligence A-E, handling P or C.
    Scheme ``5x5x5`` (legacy): source A-E, information 1-5, handling 1-5.
    """

    __tablename__ = "intel_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    urn: Mapped[str] = mapped_column(String(64))
    submitted: Mapped[date] = mapped_column(Date)
    information_date: Mapped[date | None] = mapped_column(Date)
    scheme: Mapped[str] = mapped_column(String(8), default="3x5x2")
    source_grade: Mapped[str] = mapped_column(String(4))
    intelligence_grade: Mapped[str] = mapped_column(String(4))
    handling_code: Mapped[str] = mapped_column(String(4))
    conditions: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    subject_text: Mapped[str | None] = mapped_column(Text)
    originator: Mapped[str | None] = mapped_column(Text)
    exhibit_id: Mapped[int | None] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"))
    source_position: Mapped[str | None] = mapped_column(String(64))

    subject: Mapped[Person | None] = relationship()

    @property
    def grading(self) -> str:
        """The grading as written: ``2/B/P`` (3x5x2) or ``B/2/1`` (5x5x5)."""
        return f"{self.source_grade}/{self.intelligence_grade}/{self.handling_code}"

    @property
    def restricted(self) -> bool:
        """True when handling conditions keep it out of open bundles."""
        return self.handling_code == "C" or bool(self.conditions)


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    received: Mapped[date] = mapped_column(Date)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    subject_text: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    finalised: Mapped[date | None] = mapped_column(Date)
    exhibit_id: Mapped[int | None] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"))
    source_position: Mapped[str | None] = mapped_column(String(64))

    subject: Mapped[Person | None] = relationship()
