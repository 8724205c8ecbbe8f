"""Plain-words titles and descriptions of the escalation rules, and their thresholds.

The titles come from the analysis package when it provides them (``RULES``);
this module keeps a fallback so a bundle can always be produced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

FALLBACK = {
    "channel_shift": ("Contact moved to a personal channel",
                      "Contact that began on a work or official channel continues on a personal "
                      "phone, messaging app or social media."),
    "personal_channel_contact": ("Personal channel used with no work contact first",
                                 "The officer contacts a member of the public met through duty on "
                                 "a personal channel with no work channel first."),
    "affectionate_language": ("Affectionate language",
                              "Kisses (x, xx), endearments or pet names, compliments on "
                              "appearance, hearts."),
    "sexualised_language": ("Sexualised language or media", "Sexual content or explicit media."),
    "secrecy_request": ("Request for secrecy",
                        "Asks to keep contact secret, delete messages or not mention the number."),
    "off_duty_contact": ("Contact while off duty",
                         "Contact while the officer is off duty according to the roster."),
    "unsocial_hours": ("Contact at unsocial hours", "Contact late at night."),
    "post_closure_contact": ("Contact after the matter concluded",
                             "Contact after the policing matter that brought them together "
                             "concluded."),
    "no_duty_link": ("Contact with no duty link",
                     "Contact or look-up with a member of the public with no recorded policing "
                     "engagement with that officer."),
    "frequency_escalation": ("Contact rate rising sharply",
                             "The contact rate rises sharply against the pair's own earlier "
                             "rate."),
    "repeated_short_calls": ("Repeated short or unanswered calls",
                             "Bursts of very short or unanswered calls."),
    "vehicle_dwell": ("Vehicle stopped near a home",
                      "The officer's vehicle stops near a member of the public's home without a "
                      "recorded deployment."),
    "system_lookup": ("Police-system look-up without a recorded purpose",
                      "Look-ups of a member of the public with no engagement, after closure or "
                      "off duty."),
    "multiple_members_of_public": ("Pattern seen with several members of the public",
                                   "The same officer shows these patterns with several members "
                                   "of the public."),
    "prior_intelligence": ("Earlier intelligence about the officer",
                           "Intelligence reports about the officer exist from before the case."),
    "complaint_cluster": ("Complaints cluster",
                          "Three or more complaints within twelve months."),
}


def _analysis_rule(rule: str) -> object | None:
    try:
        from workbench.analysis import RULES  # type: ignore[attr-defined]
    except Exception:  # the analysis package is optional for producing a bundle
        return None
    try:
        return RULES.get(rule)
    except AttributeError:
        return None


def _field(info: object, name: str) -> str | None:
    if info is None:
        return None
    value = info.get(name) if isinstance(info, dict) else getattr(info, name, None)
    return str(value) if value else None


def rule_title(rule: str) -> str:
    """The rule's title in plain words."""
    return _field(_analysis_rule(rule), "title") or FALLBACK.get(rule, (rule.replace("_", " "), ""))[0]


def rule_description(rule: str) -> str:
    """What makes the rule fire, in plain words."""
    return (_field(_analysis_rule(rule), "description")
            or FALLBACK.get(rule, ("", "No description recorded."))[1])


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
