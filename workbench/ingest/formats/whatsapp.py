"""WhatsApp chat exports: Android and iOS styles, in any common locale.

The export is a .txt, or the zip the phone shares (iOS always: ``_chat.txt``
with the attachments; Android when media are included). A zip is checked by
:mod:`~workbench.ingest.safezip` and the chat streamed out of it; attachments
the chat names but the zip lacks are counted in a warning.

Android writes ``20/06/2021, 14:30 - Name: text``; iOS writes
``[20/06/2021, 14:30:00] Name: text``. Either may use a 12-hour clock
(``2:30 PM``, ``2:30 p. m.``), ``/ . -`` as the date separator, and day-first,
month-first or year-first dates. The date order is decided from the whole file
(a first field over 12 means day-first, a second field over 12 month-first),
separately for each line style because mixed files exist; when nothing decides
it, UK day-first is assumed and a warning says so.

Times are the exporting phone's local time: they are converted with ``--tz``
and flagged when they fall in the autumn clock-change hour.

Exports can be silently incomplete: WhatsApp exports only a chat's latest
10,000 messages with media (40,000 without), and a cut-off last line means a
truncated file. Both are said in warnings.

Parties: a sender is ``Party("whatsapp", display name as written)`` unless the
name is a phone number (an unsaved contact), which becomes ``Party("phone")``
so that it matches the person's number in the case file; the channel is
WhatsApp either way. In a two-person chat the recipient is the other
participant; in a group (three or more senders, or group system lines) it is
``Party("group", title)``, the title taken from the file name
("WhatsApp Chat with X.txt"), else from the group's own system lines.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import PurePosixPath
from typing import IO

from workbench.errors import ImportRefused
from workbench.ingest import safezip
from workbench.ingest.records import EventRecord, ParseOptions, Party, SourceFile
from workbench.ingest.registry import Importer, register
from workbench.ingest.text import head_text, iter_stream_lines
from workbench.timeutil import local_to_utc

APP = "whatsapp"
Opener = Callable[[], IO[bytes]]  # opens the chat text, from the file or from the zip

# Direction marks WhatsApp sprinkles through exports (LRM/RLM, embeddings and
# isolates) and a stray BOM: invisible, and they break matching.
_INVISIBLE = re.compile("[\u200e\u200f\ufeff\u202a-\u202e\u2066-\u2069]")

_DATE = r"(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})"
_TIME = (r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?"
         r"(?:\s?(?P<ampm>[aApP])\.?\s?[mM]\.?)?")
# Android "date, time - " or iOS "[date, time] " (the conditional picks the closer).
_HEADER = re.compile(rf"(?P<open>\[)?{_DATE}[,،]?\s*{_TIME}(?(open)\]\s?|\s?[-–]\s)")
# A bracketless iOS variant "date, time Name: text": only with a sender, or it
# would swallow continuation lines that happen to start with a date.
_BARE_HEADER = re.compile(rf"{_DATE},\s*{_TIME}\s+(?=[^:]{{1,100}}:\s)")
_LOOKS_LIKE_HEADER_START = re.compile(r"\[?\d{1,4}[/.\-]\d{1,2}")
_PHONE_NAME = re.compile(r"\+?[\d\s\-().]{7,20}")
_FILE_TITLE = re.compile(
    r"WhatsApp Chat (?:with|-|mit|con|avec|met|com) (?P<title>.+?)(?:\.txt|\.zip)?$", re.IGNORECASE)
EXPORT_LIMITS = {10_000: "with", 40_000: "without"}  # "Export chat": latest messages, media
_CHAT_IN_ZIP = re.compile(rb"_chat\.txt|WhatsApp Chat[^\x00/]{0,200}\.txt", re.IGNORECASE)
_FILE_NAME = re.compile(r"\S+\.\w{1,5}")
_GROUP_NAME = re.compile(
    r"(?:created group|changed the subject (?:from .* )?to) [\"“](?P<name>.+)[\"”]")
_GROUP_HINT = re.compile(
    r"created group|added you|you were added|changed the subject|changed this group|"
    r"group's invite link|changed the group|left$|removed .+|you're now an admin", re.IGNORECASE)

# Lines a sender "says" that are really WhatsApp's notices (iOS attributes
# them to the chat's name; some Android locales to a participant).
_SYSTEM_TEXT = re.compile(
    r"(messages and calls are end-to-end encrypted|الرسائل والمكالمات مشفرة|messages (you send )?to this (group|chat)"
    r"( and calls)? are now secured|your security code with .+ changed|"
    r".+ changed (their|his|her) phone number|this chat is with a business account|"
    r".+ turned (on|off) disappearing messages|disappearing messages were turned)",
    re.IGNORECASE)
# Weaker phrases: system only when iOS marks the text with a leading LRM.
_MARKED_SYSTEM_TEXT = re.compile(
    r".*(created group|added|removed|left|joined using|changed the subject|changed this group|"
    r"changed the group|now an admin|changed to|pinned a message)", re.IGNORECASE)

_DELETED = frozenset({
    "this message was deleted", "you deleted this message", "this message was deleted by admin",
    "tato zpráva byla odstraněna", "tuto zprávu jste odstranil/a", "dit bericht is verwijderd",
    "u hebt dit bericht verwijderd", "данное сообщение удалено", "вы удалили данное сообщение",
    "diese nachricht wurde gelöscht", "du hast diese nachricht gelöscht",
    "se eliminó este mensaje", "eliminaste este mensaje", "ce message a été supprimé",
    "vous avez supprimé ce message", "questo messaggio è stato eliminato",
    "hai eliminato questo messaggio", "essa mensagem foi apagada", "você apagou esta mensagem",
    "mensagem apagada", "تم حذف هذه الرسالة", "لقد حذفت هذه الرسالة", "لقد حذَفت هذه الرسالة",
})
_MISSED_CALL = frozenset({
    "missed voice call", "missed video call", "missed group voice call", "missed group video call",
    "gemiste spraakoproep", "gemiste video-oproep", "пропущенный аудиозвонок",
    "пропущенный видеозвонок", "verpasster sprachanruf", "verpasster videoanruf",
    "llamada perdida", "videollamada perdida", "appel vocal manqué", "appel vidéo manqué",
    "zmeškaný hlasový hovor", "zmeškaný videohovor", "chiamata vocale persa",
    "videochiamata persa", "chamada de voz perdida", "chamada de vídeo perdida",
})
_FILE_ATTACHED = re.compile(
    r"(?P<file>\S.*?\.\w{1,5}) \((?:file attached|bestand bijgevoegd|soubor byl přiložen|"
    r"файл добавлен|datei angehängt|archivo adjunto|fichier joint|arquivo anexado|"
    r"file allegato|plik załączony)\)", re.IGNORECASE)
_ATTACHED = re.compile(r"(?P<before>.*?)\s*<attached: (?P<file>[^>]+)>")
_OMITTED = re.compile(
    r"(?P<before>.*?)\s*(?P<what>(?:image|video|audio|sticker|GIF|Contact card|document) omitted"
    r"|لم يتم إدراج .+|تم حذف الملصقات)",
    re.IGNORECASE)
_PLACEHOLDER = re.compile(r"<[^<>]{1,60}>")

_PROGRESS_EVERY = 5_000


@dataclass
class _Style:
    """What one line style (bracketed, dashed, bare) shows of its date order."""

    year_first: bool = False
    first_over_12: int = 0
    second_over_12: int = 0


@dataclass
class _Survey:
    """The first pass over the file: date orders, participants, group signs."""

    lines: int = 0
    styles: dict[str, _Style] = field(default_factory=dict)
    senders: dict[str, None] = field(default_factory=dict)  # ordered set
    group_hint: bool = False
    group_name: str | None = None
    chat_name: str | None = None
    orders: dict[str, str] = field(default_factory=dict)


def _style_of(match: re.Match[str]) -> str:
    if match.re is _BARE_HEADER:
        return "bare"
    return "bracket" if match.group("open") else "dash"


def _match_header(line: str) -> re.Match[str] | None:
    # Cheap test first: most continuation lines start with neither a digit nor "[".
    if not line or not (line[0].isdigit() or line[0] == "["):
        return None
    return _HEADER.match(line) or _BARE_HEADER.match(line)


def _visible(line: str) -> str:
    """The line without direction marks (most lines are plain ASCII and have none)."""
    return line if line.isascii() else _INVISIBLE.sub("", line)


@lru_cache(maxsize=4096)
def _is_notice_name(name: str) -> bool:
    """Whether text before a colon is a group notice rather than a sender's name."""
    return '"' in name or "\u201c" in name or bool(_GROUP_HINT.search(name))


def _split_sender(rest: str) -> tuple[str | None, str]:
    """``Name: text`` -> (name, text); a system line has no sender."""
    colon = rest.find(":")
    if colon <= 0 or colon > 100:
        return None, rest
    name = rest[:colon].strip()
    # A group notice whose own text has a colon ('changed the subject to "Re: Friday"').
    if _is_notice_name(name):
        return None, rest
    return name, rest[colon + 1:].removeprefix(" ")


def _marked(raw_line: str) -> bool:
    """Whether the text after the sender starts with a direction mark (how iOS marks notices)."""
    if raw_line.isascii():
        return False
    found = raw_line.find(": \u200e")
    if found < 0:
        found = raw_line.find(": \u200f")
    return 0 <= found < 200


def _is_system_text(marked: bool, text: str) -> bool:
    if _SYSTEM_TEXT.match(text):
        return True
    return marked and bool(_MARKED_SYSTEM_TEXT.match(text)) and not (
        _ATTACHED.fullmatch(text) or _OMITTED.fullmatch(text)
    )


def _survey(chat: Opener, options: ParseOptions) -> _Survey:
    survey = _Survey()
    options.report(0.0, "Scanning chat")
    for number, raw_line in iter_stream_lines(chat):
        survey.lines = number
        if number % 20_000 == 0:
            options.report(0.0, "Scanning chat")
        line = _visible(raw_line)
        match = _match_header(line)
        if match is None:
            continue
        style = survey.styles.setdefault(_style_of(match), _Style())
        first, second = match.group("a"), match.group("b")
        if len(first) == 4:
            style.year_first = True
        elif int(first) > 12:
            style.first_over_12 += 1
        elif int(second) > 12:
            style.second_over_12 += 1
        sender, text = _split_sender(line[match.end():])
        if sender is None:
            rest = line[match.end():]
            survey.group_hint = survey.group_hint or bool(_GROUP_HINT.search(rest))
            if named := _GROUP_NAME.search(rest):
                survey.group_name = named.group("name")
            continue
        if _is_system_text(_marked(raw_line), text):
            survey.chat_name = survey.chat_name or sender
            if _GROUP_HINT.search(text):
                survey.group_hint = True
            if named := _GROUP_NAME.search(text):
                survey.group_name = named.group("name")
            continue
        survey.senders[sender] = None
    for name, style in survey.styles.items():
        survey.orders[name] = _decide_order(name, style, options)
    return survey


def _decide_order(name: str, style: _Style, options: ParseOptions) -> str:
    if style.year_first:
        return "ymd"
    if style.first_over_12 and style.second_over_12:
        options.warn("", f"{name}-style lines mix day-first and month-first dates; "
                     f"taking the commoner ({style.first_over_12} vs {style.second_over_12})")
        return "dmy" if style.first_over_12 >= style.second_over_12 else "mdy"
    if style.second_over_12:
        return "mdy"
    if not style.first_over_12:
        options.warn("", "no date in the file shows whether it is day-first or month-first; "
                     "read as UK day-first (dd/mm)")
    return "dmy"


def _timestamp(match: re.Match[str], order: str, number: int) -> datetime:
    a, b, c = int(match.group("a")), int(match.group("b")), int(match.group("c"))
    if order == "ymd":
        year, month, day = a, b, c
    elif order == "mdy":
        month, day, year = a, b, c
    else:
        day, month, year = a, b, c
    if year < 100:
        year += 2000
    hour, minute = int(match.group("h")), int(match.group("m"))
    second = int(match.group("s") or 0)
    if meridiem := match.group("ampm"):
        if hour <= 12:
            hour = hour % 12 + (12 if meridiem in "pP" else 0)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ImportRefused(f"not a valid date and time ({exc})", f"line {number}") from None


@dataclass
class _Message:
    number: int
    moment: datetime
    sender: str
    lines: list[str]


def _classify(message: _Message) -> tuple[str, str | None, str | None, str | None]:
    """(kind, status, text, media) from what the message says."""
    first, rest = message.lines[0].strip(), message.lines[1:]
    caption = "\n".join(rest) if rest else None
    lowered = first.casefold().removesuffix(".")
    if lowered.startswith("<") and lowered.endswith(">"):
        lowered = lowered[1:-1].removesuffix(".")
    if lowered in _DELETED:
        return "message", "deleted", caption, None
    if lowered in _MISSED_CALL:
        return "call", "missed", caption, None
    # Cheap tests first: the patterns are costly and most messages are plain text.
    if first.startswith("<") and first.endswith(">") and not first.startswith("<attached:"):
        if _PLACEHOLDER.fullmatch(first):
            return "message", None, caption, first
    if "<attached:" in first and (attached := _ATTACHED.fullmatch(first)):
        return "message", None, _join(attached.group("before"), caption), attached.group("file")
    if (first.endswith("omitted") or not first.isascii()) and (
            omitted := _OMITTED.fullmatch(first)):
        before = omitted.group("before").strip()
        what = omitted.group("what")
        return "message", None, caption, f"{what}: {before}" if before else what
    if first.endswith(")") and (attached_file := _FILE_ATTACHED.fullmatch(first)):
        return "message", None, caption, attached_file.group("file")
    return "message", None, "\n".join(message.lines), None


def _join(before: str, caption: str | None) -> str | None:
    parts = [part for part in (before.strip(), caption) if part]
    return "\n".join(parts) or None


@lru_cache(maxsize=4096)
def _party(name: str) -> Party:
    if _PHONE_NAME.fullmatch(name) and sum(ch.isdigit() for ch in name) >= 7:
        return Party("phone", name)
    return Party("whatsapp", name)


class _Recipients:
    """Who each sender was writing to, from the participants seen in the survey."""

    def __init__(self, survey: _Survey, options: ParseOptions) -> None:
        senders = list(survey.senders)
        title_match = _FILE_TITLE.search(options.display_name or "")
        file_title = title_match.group("title").strip() if title_match else None
        self.group: Party | None = None
        self.other: dict[str, Party | None] = {}
        if len(senders) >= 3 or survey.group_hint:
            title = file_title or survey.group_name or survey.chat_name
            self.group = Party("group", title or f"group chat in {options.display_name}")
        elif len(senders) == 2:
            self.other = {senders[0]: _party(senders[1]), senders[1]: _party(senders[0])}
        elif len(senders) == 1:
            other = file_title or survey.chat_name
            if other and other.casefold() != senders[0].casefold():
                self.other = {senders[0]: _party(other)}
            else:
                options.warn("", f"only {senders[0]!r} writes in this chat and the file name "
                             "does not say who the other participant was: recipients left blank")

    def of(self, sender: str) -> Party | None:
        return self.group if self.group is not None else self.other.get(sender)


def parse(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    """Yield one event per message (and per missed call) in the chat: a .txt, or the zip
    WhatsApp shares (``_chat.txt`` and the attachments)."""
    if not safezip.is_zip(source.path):
        yield from _parse(lambda: open(source.path, "rb"), options)
        return
    try:
        with safezip.open_archive(source.path) as archive:
            member = _chat_member(archive)
            options.warn("", f"the chat was read from {member.filename!r} in the zip: positions "
                             "are its lines")
            files = {PurePosixPath(i.filename).name.casefold()
                     for i in archive.infolist() if not i.is_dir()}
            missing = 0
            for record in _parse(lambda: archive.open(member), options):
                if record.media and _FILE_NAME.fullmatch(record.media) and (
                        record.media.casefold() not in files):
                    missing += 1
                yield record
    except safezip.ZIP_ERRORS as exc:
        raise ImportRefused(f"the zip is damaged or unreadable ({exc})") from exc
    if missing:
        options.warn("", f"{missing} attachment(s) named in the chat are not in the zip")


def _chat_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The chat text in a WhatsApp export zip: ``_chat.txt`` (iOS), else its one .txt file."""
    texts = [i for i in archive.infolist()
             if not i.is_dir() and i.filename.casefold().endswith(".txt")]
    named = [i for i in texts if PurePosixPath(i.filename).name.casefold() == "_chat.txt"]
    chosen = named or texts
    if len(chosen) == 1:
        return chosen[0]
    if not chosen:
        raise ImportRefused("the zip holds no chat text (_chat.txt or 'WhatsApp Chat with ….txt'): "
                            "not a WhatsApp export")
    listed = ", ".join(repr(i.filename) for i in chosen[:5])
    raise ImportRefused(f"the zip holds {len(chosen)} chat texts ({listed}): import each chat's "
                        "own export")


def _parse(chat: Opener, options: ParseOptions) -> Iterator[EventRecord]:
    survey = _survey(chat, options)
    if not survey.styles:
        raise ImportRefused("not a WhatsApp chat export: no line starts with a date and time "
                            "in WhatsApp's layout", "line 1")
    recipients = _Recipients(survey, options)
    total = max(survey.lines, 1)
    current: _Message | None = None
    skipped_system = 0
    orphan_lines = 0
    last_line = ""
    cache: dict[datetime, tuple[datetime, bool]] = {}
    entries, first_moment = 0, None  # header lines: messages and system lines
    for number, raw_line in iter_stream_lines(chat):
        if number % _PROGRESS_EVERY == 0:
            options.report(number / total, "Reading chat")
        line = _visible(raw_line)
        last_line = line
        match = _match_header(line)
        if match is None:
            if current is not None:
                current.lines.append(line)
            elif line.strip():
                orphan_lines += 1
            continue
        if current is not None:
            yield _record(current, recipients, options, cache)
            current = None
        moment = _timestamp(match, survey.orders[_style_of(match)], number)
        entries += 1
        first_moment = first_moment or moment
        sender, text = _split_sender(line[match.end():])
        if sender is None:
            skipped_system += 1
            continue
        if _is_system_text(_marked(raw_line), text):
            skipped_system += 1
            continue
        current = _Message(number, moment, sender, [text])
    if current is not None:
        yield _record(current, recipients, options, cache)
    if orphan_lines:
        options.warn("line 1", f"{orphan_lines} lines before the first message were skipped "
                     "(is the start of the export missing?)")
    if skipped_system:
        lines = "line was" if skipped_system == 1 else "lines were"
        options.warn("", f"{skipped_system} WhatsApp system {lines} (encryption notices, group "
                     "changes) not imported as messages")
    _warn_if_capped(entries, first_moment, options)
    if _LOOKS_LIKE_HEADER_START.match(last_line) and not _match_header(last_line):
        options.warn(f"line {survey.lines}", "the last line looks cut off: the export may have "
                     "been truncated")
    options.report(1.0, "Chat read")


def _warn_if_capped(entries: int, first: datetime | None, options: ParseOptions) -> None:
    """WhatsApp exports only a chat's latest 10,000 messages with media, 40,000 without:
    an export at that size has probably lost the start of the chat, silently."""
    cap = next((cap for cap in EXPORT_LIMITS if cap - 100 <= entries <= cap), None)
    if cap is None or first is None:
        return
    options.warn("line 1", f"the export holds {entries:,} messages, at WhatsApp's export limit "
                 f"({cap:,} latest messages {EXPORT_LIMITS[cap]} media): "
                 f"messages before the first one here ({first:%d/%m/%Y %H:%M}) are probably "
                 "missing; a device extraction holds the whole chat")


def _record(message: _Message, recipients: _Recipients, options: ParseOptions,
            cache: dict[datetime, tuple[datetime, bool]]) -> EventRecord:
    converted = cache.get(message.moment)
    if converted is None:
        converted = cache[message.moment] = local_to_utc(message.moment, options.tz)
    kind, status, text, media = _classify(message)
    return EventRecord(
        position=f"line {message.number}", occurred_at=converted[0], kind=kind,
        sender=_party(message.sender), recipient=recipients.of(message.sender), app=APP,
        status=status, text=text, media=media, time_ambiguous=converted[1],
    )


def sniff(name: str, head: bytes) -> float:
    """0.9 when the file's first lines are WhatsApp message lines."""
    lowered = name.lower()
    if head.startswith(b"PK\x03\x04"):
        whatsapp_name = lowered.startswith("whatsapp chat") and lowered.endswith(".zip")
        return 0.9 if whatsapp_name or _CHAT_IN_ZIP.search(head) else 0.0
    if "signal" in lowered or not head or lowered.endswith((".csv", ".json", ".xml", ".zip")):
        return 0.0  # Signal's text export shares the iOS layout; its name is the only tell
    lines = [_visible(line) for line in head_text(head[:16384]).splitlines()]
    lines = [line for line in lines[:40] if line.strip()]
    if len(head) >= 16384:
        lines = lines[:-1]  # possibly cut mid-line
    if not lines:
        return 0.0
    strong = [bool(_HEADER.match(line)) for line in lines]
    if strong[0] and sum(strong) >= min(2, len(lines)):
        return 0.9
    if strong[0] and _FILE_TITLE.search(name):
        return 0.9
    return 0.0


register(Importer(
    kind="whatsapp", label="WhatsApp chat export", sniff=sniff, parse=parse,
    needs_owner=False, local_time=True, folder_files="WhatsApp Chat*",
))
