"""Exhibit references (``JB/1``) and continuity entries."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import investigator
from workbench.model import Case, Continuity, Exhibit

REFERENCE = re.compile(r"^[A-Z]{1,4}/\d+(/\d+)*$")


def initials(producer: str) -> str:
    """``Jane Brown`` -> ``JB``; ``DC 1234 Amir Khan`` -> ``AK`` (ranks and numbers skipped)."""
    ranks = {"dc", "ds", "di", "dci", "pc", "ps", "pcso", "insp", "sgt", "mr", "mrs", "ms", "dr"}
    words = [w for w in re.split(r"[\s.]+", producer) if w and w.isalpha()]
    letters = [w[0].upper() for w in words if w.lower() not in ranks]
    return "".join(letters[:4]) or "EX"


def next_reference(session: Session, case: Case, producer: str) -> str:
    """The next free reference for this producer's initials: ``JB/1``, ``JB/2``, ..."""
    prefix = initials(producer)
    taken = session.scalars(
        select(Exhibit.reference).where(
            Exhibit.case_id == case.id, Exhibit.reference.like(f"{prefix}/%")
        )
    ).all()
    numbers = [int(ref.split("/")[1]) for ref in taken if ref.split("/")[1].isdigit()]
    return f"{prefix}/{max(numbers, default=0) + 1}"


def record_continuity(exhibit: Exhibit, action: str, note: str = "", by: str | None = None) -> None:
    """Append a chain-of-custody entry to the exhibit."""
    exhibit.continuity.append(Continuity(action=action, by=by or investigator.current(), note=note))


WITHDRAWN = "withdrawn"  # the continuity action of an exhibit withdrawn as imported by mistake


def is_withdrawn(exhibit: Exhibit) -> bool:
    """Whether the exhibit's latest continuity entry is its withdrawal."""
    return bool(exhibit.continuity) and exhibit.continuity[-1].action == WITHDRAWN
