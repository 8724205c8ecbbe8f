"""How the vocabulary is shown: one label per channel, kind and role, and severity order.

Every view (timeline, chart, bundle, app) names a stored value (``facebook_messenger``)
through this module, so the same thing reads the same everywhere. Severity order, labels
and colours are defined once in :mod:`graphs.style` (the chart toolkit, which cannot import
the workbench); the workbench uses them from there.
"""

from __future__ import annotations

from graphs.style import SEVERITY_ORDER, severity_colour, severity_rank, severity_style

# In the order the timeline stacks channel lanes.
CHANNEL_LABELS: dict[str, str] = {
    "work_mobile": "Work phone",
    "personal_mobile": "Personal phone",
    "mobile": "Phone",
    "whatsapp": "WhatsApp",
    "facebook_messenger": "Messenger",  # short enough for a timeline lane label
    "instagram": "Instagram",
    "snapchat": "Snapchat",
    "telegram": "Telegram",
    "signal": "Signal",
    "email": "Email",
    "police_system": "Police system",
    "telematics": "Vehicle telematics",
    "in_person": "In person",
}
KIND_LABELS: dict[str, str] = {
    "call": "Call", "sms": "SMS", "mms": "MMS", "message": "Message", "email": "Email",
    "visit": "Visit", "system_lookup": "System look-up", "vehicle_stop": "Vehicle stop",
    "vehicle_position": "Vehicle position", "gift": "Gift", "note": "Note",
}
ROLE_LABELS: dict[str, str] = {
    "subject": "Subject officer", "member_of_public": "Member of the public", "colleague": "Colleague",
    "witness": "Witness", "other": "Other",
}
_LABELS = {**ROLE_LABELS, **KIND_LABELS, **CHANNEL_LABELS}
# Labels that keep their capital letter inside a sentence (names and abbreviations).
_PROPER = frozenset({"whatsapp", "facebook_messenger", "instagram", "snapchat", "telegram",
                     "signal", "sms", "mms"})

__all__ = ["CHANNEL_LABELS", "KIND_LABELS", "ROLE_LABELS", "SEVERITY_ORDER", "label",
           "severity_colour", "severity_label", "severity_rank", "worst_first", "words"]


def label(value: str | None) -> str:
    """A stored value as a label: ``work_mobile`` -> ``Work phone``; empty for none."""
    if not value:
        return ""
    known = _LABELS.get(value)
    if known is not None:
        return known
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]


def words(value: str | None) -> str:
    """A stored value inside a sentence: ``work phone``, ``WhatsApp``."""
    text = label(value)
    if value in _PROPER or text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def severity_label(severity: str | None) -> str:
    """``High``, ``Medium``, ``Low``."""
    return severity_style(severity).label if severity in SEVERITY_ORDER else label(severity)


def worst_first(severity: str | None) -> int:
    """A sort key that puts the worst severity first (unknown last)."""
    return len(SEVERITY_ORDER) - severity_rank(severity) if severity in SEVERITY_ORDER else 99
