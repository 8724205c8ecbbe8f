"""Complaints recorded against the officer: ``Reference,Date Received,Officer,Category,Outcome``.

Three fall within twelve months of each other (2021); one is from 2019.
"""

from __future__ import annotations

import csv
from pathlib import Path

from workbench.demo import scenario as s

COMPLAINTS = (
    ("CO/2019/00412", "14/06/2019", "Police conduct - attitude", "Service provided was acceptable"),
    ("CO/2021/00133", "10/02/2021", "Use of police powers", "No further action"),
    ("CO/2021/00871", "22/07/2021", "Access and/or disclosure of information",
     "Service provided was not acceptable; reflective practice"),
    ("CO/2021/01290", "03/12/2021", "Police conduct - behaviour towards a member of the public",
     "Referred to Professional Standards"),
)


def write_complaints(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["Reference", "Date Received", "Officer", "Category", "Outcome"])
        for reference, received, category, outcome in COMPLAINTS:
            out.writerow([reference, received, s.COLLAR, category, outcome])
