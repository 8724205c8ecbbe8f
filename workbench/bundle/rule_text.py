"""The escalation rules' thresholds, with the comment that explains each, from rules.toml.

(The rules' titles and descriptions are :func:`workbench.analysis.rule_title` and
:func:`workbench.analysis.rule_description`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Threshold:
    section: str
    key: str
    value: str
    meaning: str  # the comment written above it in rules.toml


_KEY = re.compile(r"^([A-Za-z0-9_]+)\s*=\s*(.+?)\s*$")


def thresholds() -> list[Threshold]:
    """Every threshold in ``resources/rules.toml`` with the comment that explains it."""
    try:
        text = (resources.files("resources") / "rules.toml").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return []
    found: list[Threshold] = []
    section = ""
    comments: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section, comments = line.strip("[]"), []
        elif line.startswith("#"):
            comments.append(line.lstrip("# "))
        elif match := _KEY.match(line):
            found.append(Threshold(section, match.group(1), match.group(2).strip('"'),
                                   " ".join(comments)))
            comments = []
        elif not line:
            comments = []
    return found
