"""How explanations say things: dates in the case timezone, counts, channels, identifiers.

Explanations are one sentence each, with the facts in them, worded as indicators for
the investigator (never as findings).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from workbench.identifiers import display_phone
from workbench.model.vocab import CHANNELS
from workbench.timeutil import format_clock, format_day, format_local
from workbench.vocabulary import words

# How a sentence names a channel: the label, or a phrase where the label alone reads badly.
CHANNEL_NAMES = {channel: words(channel) for channel in CHANNELS} | {
    "work_mobile": "the work phone",
    "personal_mobile": "a personal number",
    "mobile": "a phone of unknown use",
    "police_system": "police systems",
}
KIND_NOUNS = {
    "call": ("call", "calls"), "sms": ("text message", "text messages"),
    "mms": ("picture message", "picture messages"), "message": ("message", "messages"),
    "email": ("email", "emails"), "visit": ("visit", "visits"), "gift": ("gift", "gifts"),
    "system_lookup": ("look-up", "look-ups"), "vehicle_stop": ("vehicle stop", "vehicle stops"),
}


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 contact``, ``3 contacts``."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten")


def number(value: float) -> str:
    """``five`` for small whole numbers (as a case study writes them), else ``12`` or ``2.5``."""
    if value == int(value) and 0 <= value < len(NUMBER_WORDS):
        return NUMBER_WORDS[int(value)]
    return f"{value:g}"


def day(epoch: int, tz: ZoneInfo) -> str:
    """``20/03/2021`` in the case timezone."""
    return format_day(int(epoch), tz)


def moment(epoch: int, tz: ZoneInfo) -> str:
    """``20/03/2021 23:05`` in the case timezone."""
    return format_local(int(epoch), tz, with_zone=False)


def clock(epoch: int, tz: ZoneInfo) -> str:
    """``23:05`` in the case timezone."""
    return format_clock(int(epoch), tz)


def span(first: int, last: int, tz: ZoneInfo) -> str:
    """``on 20/03/2021`` or ``between 20/03/2021 and 02/04/2021``."""
    a, b = day(first, tz), day(last, tz)
    return f"on {a}" if a == b else f"between {a} and {b}"


def days_between(earlier: int, later: int) -> str:
    """``the same day``-free phrasing: ``16 days``, ``1 day``, ``5 hours``."""
    seconds = max(0, int(later) - int(earlier))
    if seconds < 86_400:
        return plural(max(1, seconds // 3600), "hour") if seconds >= 3600 else \
            plural(max(1, seconds // 60), "minute")
    return plural(seconds // 86_400, "day")


def kinds_summary(kinds: Iterable[str]) -> str:
    """``3 calls and 2 messages``."""
    return counts_summary(Counter(kinds))


def counts_summary(counts: dict[str, int]) -> str:
    """``3 calls and 2 messages`` from ``{"call": 3, "message": 2}``."""
    parts = [plural(n, *KIND_NOUNS.get(k, (k.replace("_", " "), k.replace("_", " ") + "s")))
             for k, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    return join(parts)


def join(parts: list[str]) -> str:
    """``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def identifier_text(kind: str, value: str, display: str) -> str:
    """A phone in UK style (``07700 900102``), an account as written."""
    return display_phone(value) if kind == "phone" else display


def channel_text(channel: str, identifier: str | None = None) -> str:
    """``a personal number (07700 900102)``, ``WhatsApp (Lee PCSO)``."""
    name = CHANNEL_NAMES.get(channel, words(channel))
    return f"{name} ({identifier})" if identifier else name
