"""Normalising identifiers so the same number, account or vehicle always matches."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

import phonenumbers

from workbench.model.vocab import NAME_KINDS

DEFAULT_REGION = "GB"
_SPACES = re.compile(r"\s+")
_NOT_DIALLABLE = re.compile(r"[^\d+]")


# Zero-width and other format characters (Unicode category Cf: U+200B, U+2060, bidi
# controls, BOM...) are invisible: "K\u200berry" must match "Kerry".
@lru_cache(maxsize=1)
def _format_characters() -> dict[int, None]:
    return dict.fromkeys(code for code in range(sys.maxunicode + 1)
                         if unicodedata.category(chr(code)) == "Cf")


def strip_format(value: str) -> str:
    """``value`` without Unicode format characters (category Cf), for matching only."""
    return value if value.isascii() else value.translate(_format_characters())


class BadIdentifier(ValueError):
    """A value that cannot be an identifier of its kind."""


@lru_cache(maxsize=200_000)
def normalise_phone(value: str, strict: bool = False, region: str = DEFAULT_REGION) -> str:
    """A phone number in E.164 (``07700 900101`` -> ``+447700900101``).

    Numbers that do not parse as valid are kept as their dialled digits unless
    ``strict`` is set (case files are strict; evidence files are not, because
    short codes and foreign formats occur in real billing).
    """
    text = value.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, region)
        # Possible rather than valid: Ofcom's drama ranges (07700 900xxx) are
        # possible but deliberately never allocated, and real files use them.
        reason = phonenumbers.is_possible_number_with_reason(parsed)
        if reason == phonenumbers.ValidationResult.IS_POSSIBLE:
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException as exc:
        if strict:
            raise BadIdentifier(f"{value!r} is not a phone number ({exc})") from exc
    if strict:
        raise BadIdentifier(f"{value!r} is not a possible phone number")
    digits = _NOT_DIALLABLE.sub("", text)
    if not digits.strip("+"):
        raise BadIdentifier(f"{value!r} has no digits")
    return digits


def normalise_name(value: str) -> str:
    """An account or display name for matching: trimmed, spaces folded, case-folded, format
    characters removed."""
    folded = _SPACES.sub(" ", strip_format(value).strip()).casefold()
    if not folded:
        raise BadIdentifier("empty name")
    return folded


def normalise_vehicle(value: str) -> str:
    """A vehicle registration without spaces, in capitals (``yx21 abc`` -> ``YX21ABC``)."""
    plate = re.sub(r"[\s-]", "", value).upper()
    if not plate:
        raise BadIdentifier("empty vehicle registration")
    return plate


def normalise(kind: str, value: str, *, strict: bool = False) -> str:
    """The matching form of ``value`` for an identifier of ``kind``."""
    value = strip_format(str(value))
    if kind == "phone":
        return normalise_phone(value, strict)
    if kind in NAME_KINDS:
        return normalise_name(value)
    if kind == "vehicle":
        return normalise_vehicle(value)
    if kind == "email":
        return normalise_name(value)
    if kind == "imei":
        digits = re.sub(r"\D", "", value)
        if not digits:
            raise BadIdentifier(f"{value!r} is not an IMEI")
        return digits
    cleaned = value.strip().upper()
    if not cleaned:
        raise BadIdentifier(f"empty {kind}")
    return cleaned


@lru_cache(maxsize=65_536)  # parsing a number is slow; a case shows the same ones often
def display_phone(e164: str) -> str:
    """A UK-style readable form of an E.164 number (``+447700900102`` -> ``07700 900102``)."""
    try:
        parsed = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 44:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
