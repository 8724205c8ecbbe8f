"""Intelligence reports about the officer: ``URN,Date Submitted,Grading,Handling Conditions,Subject,Text``.

Sanitised text only. Two current-scheme (3x5x2) reports predate the
investigation, one of them with handling conditions that keep it out of an
open bundle; one legacy 5x5x5 report is kept in its own scheme; one report
arrived after the case opened, so it is not "prior" intelligence.
"""

from __future__ import annotations

import csv
from pathlib import Path

from workbench.demo import scenario as s

SUBJECT = s.COLLAR

REPORTS = (
    ("INT-2016-018842", "12/05/2016", "B/2/1", "",
     "Legacy report. Subject said to have contacted a female witness through social media "
     "after attending a disturbance. No further detail recorded."),
    ("INT-2020-004512", "03/11/2020", "2/B/P", "",
     "Information that PCSO MARSH asked a female member of the public for her personal mobile "
     "number while attending a shoplifting report in Beeston. A colleague's account supports this."),
    ("INT-2021-007781", "19/08/2021", "3/C/C",
     "Not to be disclosed outside Professional Standards without the originator's agreement. "
     "Not for inclusion in any open bundle.",
     "A PCSO known as 'Lee' is said to be messaging a woman in the Holbeck area late at night. "
     "The woman is described as vulnerable."),
    ("INT-2022-001207", "02/03/2022", "1/A/P", "",
     "Report received after the investigation opened: a relative of Woman A states that the "
     "subject sent her messages on Facebook and WhatsApp during 2021."),
)


def write_intel(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["URN", "Date Submitted", "Grading", "Handling Conditions", "Subject", "Text"])
        for urn, submitted, grading, conditions, text in REPORTS:
            out.writerow([urn, submitted, grading, conditions, SUBJECT, text])
