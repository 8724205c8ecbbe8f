"""The controlled vocabularies of the data model (stored as plain strings)."""

from __future__ import annotations

from graphs.style import SEVERITY_ORDER

ROLES = ("subject", "member_of_public", "colleague", "witness", "other")

IDENTIFIER_KINDS = (
    "phone", "email", "facebook", "instagram", "snapchat", "whatsapp", "telegram", "signal",
    "system_user", "police_record", "vehicle", "imei", "name", "group",
)
# Kinds whose values are account or display names: matched trimmed and case-folded.
NAME_KINDS = frozenset(
    {"facebook", "instagram", "snapchat", "whatsapp", "telegram", "signal", "name", "group"}
)

USES = ("work", "personal", "unknown")

EVENT_KINDS = (
    "call", "sms", "mms", "message", "email", "visit", "system_lookup", "vehicle_stop",
    "vehicle_position", "gift", "note",
)
CHANNELS = (
    "work_mobile", "personal_mobile", "mobile", "whatsapp", "facebook_messenger", "instagram",
    "snapchat", "telegram", "signal", "email", "police_system", "telematics", "in_person",
)
# Channels that are not the officer's work channels.
PERSONAL_CHANNELS = frozenset(
    {"personal_mobile", "whatsapp", "facebook_messenger", "instagram", "snapchat", "telegram",
     "signal"}
)
WORK_CHANNELS = frozenset({"work_mobile", "police_system"})

DIRECTIONS = ("outgoing", "incoming", "unknown")  # relative to the officer under investigation

VULNERABILITIES = (
    "mental_health", "learning_disability", "juvenile", "substance_dependence",
    "domestic_abuse_victim", "sexual_offence_victim", "victim_of_crime", "bereavement",
    "lives_alone", "missing_or_suicidal", "trafficked", "physical_disability", "homeless",
)

SEVERITIES = SEVERITY_ORDER[1:]  # what a marker can be: "low" to "high" ("none" is no marker)
REVIEW_STATUSES = ("open", "accepted", "dismissed")

CLASSIFICATIONS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")
