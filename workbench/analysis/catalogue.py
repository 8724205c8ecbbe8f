"""The sixteen rules: stable ids, plain-words titles, and how each one is computed.

The ids are stable API (ARCHITECTURE.md). The descriptions are shown in the app and
printed in the bundle's methodology note, so they say in plain words what is counted
and which thresholds (``resources/rules.toml``) apply.
"""

from __future__ import annotations

from typing import NamedTuple


class RuleInfo(NamedTuple):
    title: str
    description: str


RULES: dict[str, RuleInfo] = {
    "channel_shift": RuleInfo(
        "Move from work phone to a personal channel",
        "For each officer and member of the public, finds the first contact on a personal "
        "channel (personal number, WhatsApp, Facebook Messenger, Instagram, Snapchat, Telegram, "
        "Signal) that comes after earlier contact on the work phone. The evidence is the last "
        "work-phone contact before the change, the first personal-channel contact and every "
        "personal-channel contact after it."),
    "personal_channel_contact": RuleInfo(
        "Personal-channel contact with no work contact first",
        "For each officer and member of the public, finds personal-channel contact (personal "
        "number or messaging and social-media apps) where no work-channel contact came before "
        "it. The explanation says whether the person was met through a recorded engagement."),
    "affectionate_language": RuleInfo(
        "Affectionate language",
        "Scans the text of messages between the officer and each member of the public for "
        "kisses (a trailing x, xx or X, and words such as 'kisses'), endearments and pet names, "
        "compliments on appearance, and hearts or kiss emojis, using the editable word lists in "
        "resources/lexicon/. Matching is whole-word and case-insensitive, so '2 x forms of ID', "
        "'Xbox', 'tax' and 'Xmas' are not kisses. Messages are grouped into episodes separated "
        "by more than the episode gap (rules.toml [general]); each evidence record lists the "
        "words that matched."),
    "sexualised_language": RuleInfo(
        "Sexualised language or explicit media",
        "Scans message text and media descriptions for sexual terms, explicit-media notices and "
        "requests for images (resources/lexicon/), grouped into episodes as for affectionate "
        "language. Severity is lower when only the member of the public wrote the words."),
    "secrecy_request": RuleInfo(
        "Request for secrecy",
        "Scans message text for requests to keep the contact secret, delete messages or not "
        "mention the number (resources/lexicon/secrecy.txt), grouped into episodes."),
    "off_duty_contact": RuleInfo(
        "Contact while off duty",
        "Compares each contact's time with the officer's duty roster. A contact is off duty "
        "when it falls in a rest-day or leave entry, or between two roster entries that are "
        "close together (rules.toml [off_duty_contact] roster_gap_hours); a contact within the "
        "grace minutes of a shift counts as on duty. Where the roster has a gap, or no roster "
        "was imported, duty status is unknown and nothing is marked. One marker per off-duty "
        "stretch per member of the public."),
    "unsocial_hours": RuleInfo(
        "Contact at unsocial hours",
        "Counts contacts between the officer and each member of the public late at night in "
        "the case's timezone (by default 22:00 to 06:00, rules.toml [unsocial_hours]), taking "
        "British Summer Time into account. One marker per night."),
    "post_closure_contact": RuleInfo(
        "Contact after the matter concluded",
        "Finds contact between the officer and a member of the public after the engagement "
        "that brought them together concluded (and before any later engagement between them "
        "started), with the optional grace hours of rules.toml [post_closure_contact]."),
    "no_duty_link": RuleInfo(
        "Contact with no duty link",
        "Finds contact, or police-system look-ups, between the officer and a member of the "
        "public when no engagement between that officer and that person is recorded in the "
        "case."),
    "frequency_escalation": RuleInfo(
        "Sharp rise in contact",
        "For each officer and member of the public, counts contacts in a rolling window "
        "(default 7 days) and compares the count with the same pair's own rate over the "
        "preceding weeks (default 28 days), so that a busy officer is not marked for being "
        "busy. It needs some history with the person, a minimum count in the window and a "
        "minimum ratio (rules.toml [frequency_escalation])."),
    "repeated_short_calls": RuleInfo(
        "Many short or unanswered calls",
        "Finds runs of calls between the officer and one person that are shorter than a few "
        "seconds or were missed, unanswered or rejected, close together in time (rules.toml "
        "[repeated_short_calls]), and counts every call in the same span. It also finds "
        "persistent calling over days or weeks: many calls to one person, most of them short "
        "or unanswered, almost all from the officer (the persistent_* thresholds)."),
    "vehicle_dwell": RuleInfo(
        "Vehicle stopped near a home",
        "Compares vehicle stops from telematics or GPS with the home address of each member of "
        "the public: a stop within the place's radius (default 150 m) with no open engagement "
        "between the officer and that person at the time is marked, one marker per day."),
    "system_lookup": RuleInfo(
        "Police-system look-up with no policing purpose recorded",
        "Matches the officer's police-system audit entries to members of the public by their "
        "police record identifiers, and by record numbers or full names in the search terms. "
        "A look-up is marked when there is no engagement between them, when it falls before the "
        "engagement began or after it concluded, or when the roster has the officer off duty. "
        "A recorded reason that cites an open engagement with that person (its reference or "
        "words of its kind) is a stated purpose: off duty, that gives only a low-severity note "
        "(rules.toml [system_lookup])."),
    "multiple_members_of_public": RuleInfo(
        "The same patterns with several people",
        "Counts the members of the public with whom the officer shows any of the contact "
        "indicators above (unsocial hours alone excepted), plus unresolved numbers or accounts "
        "with substantial personal-channel contact with the officer (rules.toml "
        "[multiple_members_of_public]); two or more people make a marker."),
    "prior_intelligence": RuleInfo(
        "Prior intelligence",
        "Lists intelligence reports about the officer submitted before the case was opened, "
        "with their grading under their own scheme (3x5x2 or 5x5x5). Report text is not quoted."),
    "complaint_cluster": RuleInfo(
        "Cluster of complaints",
        "Finds three or more complaints about the officer received within twelve months "
        "(rules.toml [complaint_cluster])."),
}

# Rules built on records known only to the day (intelligence reports, complaints): their
# markers' times are dates, shown without a made-up "00:00".
DATED_RULES = frozenset({"prior_intelligence", "complaint_cluster"})


def rule_title(rule: str) -> str:
    """The rule's plain-words title (an unknown id is shown in words)."""
    info = RULES.get(rule)
    return info.title if info else rule.replace("_", " ").capitalize()


def rule_description(rule: str) -> str:
    """How the rule is computed, in plain words."""
    info = RULES.get(rule)
    return info.description if info else "No description recorded."
