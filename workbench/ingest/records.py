"""What importers produce: plain records, each with its position in the source file.

Parsers know nothing of the database. They yield these records; the import
pipeline resolves the parties to the case's identifiers, derives the channel
and direction, and writes everything in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from workbench.tasks import CancelToken, Progress, no_progress


@dataclass(frozen=True, slots=True)
class Party:
    """Someone on one end of a record, as the source names them.

    ``kind`` is an identifier kind (``phone``, ``whatsapp``, ``facebook``,
    ``instagram``, ``system_user``, ``police_record``, ``vehicle``, ``name``,
    ``group``...). ``value`` is as written; the pipeline normalises it.
    ``owner`` marks the "me" of a device or account export whose own number or
    name is not in the file: the pipeline substitutes the ``--owner``'s identifier
    of that kind. ``name`` is a contact name shown alongside (e.g. SMS backup's
    ``contact_name``), kept for the investigator but not used to match.
    """

    kind: str
    value: str = ""
    name: str | None = None
    owner: bool = False

    @classmethod
    def of_owner(cls, kind: str) -> Party:
        return cls(kind, "", owner=True)


@dataclass(slots=True)
class EventRecord:
    """One contact or activity.

    ``app`` is the channel for app and system records (``whatsapp``,
    ``facebook_messenger``, ``instagram``, ``police_system``, ``telematics``);
    leave it None for phone-network records (calls, SMS, MMS), whose channel the
    pipeline derives from the work/personal use of the officer's number.
    """

    position: str
    occurred_at: datetime  # timezone-aware
    kind: str
    sender: Party | None = None
    recipient: Party | None = None
    app: str | None = None
    duration_s: float | None = None
    status: str | None = None  # missed, rejected, unanswered, deleted, draft, failed
    text: str | None = None
    media: str | None = None
    lat: float | None = None
    lon: float | None = None
    time_ambiguous: bool = False
    date_only: bool = False  # the source gave the day only: occurred_at is its local start


@dataclass(slots=True)
class ShiftRecord:
    position: str
    person: Party  # collar number -> kind "collar", user id -> "system_user", else "name"
    start: datetime
    end: datetime
    duty_type: str = "on duty"
    on_duty: bool = True


@dataclass(slots=True)
class IntelRecord:
    position: str
    urn: str
    submitted: date
    text: str
    scheme: Literal["3x5x2", "5x5x5"] = "3x5x2"
    source_grade: str = ""
    intelligence_grade: str = ""
    handling_code: str = ""
    conditions: str | None = None
    information_date: date | None = None
    subject: Party | None = None
    subject_text: str | None = None
    originator: str | None = None


@dataclass(slots=True)
class ComplaintRecord:
    position: str
    reference: str
    received: date
    subject: Party | None = None
    subject_text: str | None = None
    category: str | None = None
    outcome: str | None = None
    finalised: date | None = None


Record = EventRecord | ShiftRecord | IntelRecord | ComplaintRecord


@dataclass
class ParseOptions:
    """What a parser is told about its file."""

    tz: ZoneInfo  # the source's local timezone (``--tz``, default the case's)
    mapping: dict[str, str] = field(default_factory=dict)  # --map field=Header
    progress: Progress = no_progress
    cancel: CancelToken = field(default_factory=CancelToken)
    warnings: list[str] = field(default_factory=list)
    display_name: str = ""  # the original file name, for messages and chat titles
    owner: str | None = None  # the --owner as given (files with no column naming their device)

    def report(self, fraction: float, message: str = "Reading") -> None:
        """Tell the caller how far through the file we are; stop if cancelled."""
        self.cancel.check()
        self.progress(min(max(fraction, 0.0), 1.0), message)

    def warn(self, position: str, message: str) -> None:
        """Note a recoverable oddity (kept with the exhibit, shown to the user)."""
        self.warnings.append(f"{position}: {message}" if position else message)


@dataclass(frozen=True)
class SourceFile:
    """The file being parsed: the read-only stored copy, with its original name."""

    path: Path
    name: str
    size: int
