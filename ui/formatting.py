"""How times, durations and vocabulary words are written on screen."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

WORDS = {
    "work_mobile": "work phone", "personal_mobile": "personal phone", "mobile": "phone",
    "facebook_messenger": "Facebook Messenger", "whatsapp": "WhatsApp", "police_system":
    "police system", "system_lookup": "system look-up", "vehicle_stop": "vehicle stop",
    "vehicle_position": "vehicle position", "in_person": "in person", "sms": "SMS", "mms": "MMS",
    "member_of_public": "member of the public",
}


def words(value: str | None) -> str:
    """A vocabulary value (``work_mobile``) as words (``work phone``)."""
    if not value:
        return ""
    return WORDS.get(value, value.replace("_", " "))


def sentence(value: str | None) -> str:
    text = words(value)
    return text[:1].upper() + text[1:]


def moment(when: datetime | float | int, tz: ZoneInfo, seconds: bool = False) -> str:
    """``20/03/2021 19:02 GMT`` in the case zone."""
    if not isinstance(when, datetime):
        when = datetime.fromtimestamp(float(when), UTC)
    return when.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S %Z" if seconds else "%d/%m/%Y %H:%M %Z")


def utc(when: datetime | float | int) -> str:
    if not isinstance(when, datetime):
        when = datetime.fromtimestamp(float(when), UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def duration(seconds: float | None) -> str:
    """``1 h 02 min``, ``3 min 20 s``, ``4 s``; empty when unknown."""
    if seconds is None or seconds != seconds:
        return ""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
