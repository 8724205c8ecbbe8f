"""Facebook Messenger and Instagram "Download your information" threads (``message_N.json``).

One file is one part of one thread: ``participants[{name}]``, ``title`` and
``messages[{sender_name, timestamp_ms, content, photos, videos, files,
audio_files, gifs, sticker, share, reactions, is_unsent, call_duration, type}]``,
newest first. A long thread is split over ``message_1.json``, ``message_2.json``...:
each file is its own exhibit, and naming the thread's folder (or the whole
``inbox``) imports all of them; positions (``messages[i]``) are per file.

The download itself -- the zip Meta hands over, as received -- is one exhibit:
every ``message_N.json`` in it is read, thread by thread in path order, and
positions name the member (``messages/inbox/kerrylowe_4821/message_1.json
messages[3]``). The zip is checked by :mod:`~workbench.ingest.safezip` and the
threads read straight out of it; nothing is extracted.

Meta writes the text as UTF-8 bytes escaped as if each byte were a Latin-1
character ("cafÃ©" for "café"); every string is repaired when that reading
round-trips, names included, so they match the case file.

Facebook or Instagram: the two exports have the same shape. The file is taken
as Instagram when its name says so (``instagram`` in it), or when it has no
Facebook-only key (``thread_type``, Messenger Kids flags) and its shares point
at instagram.com; otherwise Facebook. Parties are then ``facebook`` or
``instagram`` account names, and the channel ``facebook_messenger`` or
``instagram``.

Photos, videos, files, audio, GIFs, stickers and shared links are listed in
the event's ``media``; reactions are noted there too (``reactions: ❤ Kerry
Lowe``) rather than in the text, so a reaction is never read as words the
sender wrote. Unsent messages have status ``deleted``. ``timestamp_ms`` is UTC.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from workbench.errors import ImportRefused
from workbench.ingest import safezip
from workbench.ingest.records import EventRecord, ParseOptions, Party, SourceFile
from workbench.ingest.registry import Importer, natural_order, register
from workbench.ingest.text import check_whole_size, decode_text, head_text, load_json, read_text

_FACEBOOK_ONLY_KEYS = ("thread_type", "is_unsent_image_by_messenger_kid_parent")
_MEDIA_LISTS = (("photos", "photo"), ("videos", "video"), ("files", "file"),
                ("audio_files", "audio"), ("gifs", "GIF"))
_SYSTEM_TYPES = frozenset({"Subscribe", "Unsubscribe"})  # joined / left a group
_PROGRESS_EVERY = 2_000
_THREAD_FILE = re.compile(r"message_\d+\.json", re.IGNORECASE)
_THREAD_IN_ZIP = re.compile(rb"messages/[^\x00\n]{1,300}/message_\d+\.json", re.IGNORECASE)


def repair(text: str) -> str:
    """Undo Meta's mojibake: UTF-8 bytes read as Latin-1 (or cp1252) characters.

    Text that does not round-trip (already correct, or genuinely Latin-1) is
    returned unchanged.
    """
    for _ in range(3):  # text copied through a cp1252 viewer can be mangled twice
        if text.isascii():
            return text
        for codec in ("latin-1", "cp1252"):
            try:
                repaired = text.encode(codec).decode("utf-8")
                break
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
        else:
            return text
        if repaired == text:
            return text
        text = repaired
    return text


def _is_instagram(name: str, thread: dict[str, Any]) -> bool:
    if "instagram" in name.lower():
        return True
    if any(key in thread for key in _FACEBOOK_ONLY_KEYS):
        return False
    for message in thread.get("messages", [])[:500]:
        if isinstance(message, dict) and any(key in message for key in _FACEBOOK_ONLY_KEYS):
            return False
        share = message.get("share") if isinstance(message, dict) else None
        if isinstance(share, dict) and "instagram.com" in str(share.get("link", "")):
            return True
    return False


def _load(text: str, member: str | None = None) -> dict[str, Any]:
    """A thread from its JSON text; ``member`` is its place in a zip, for refusals."""
    thread = load_json(text, member)
    if not isinstance(thread, dict) or not isinstance(thread.get("messages"), list):
        raise ImportRefused("not a Messenger/Instagram thread: no \"messages\" list at the top "
                            "level", member or "")
    return thread


def _names(thread: dict[str, Any]) -> list[str]:
    participants = thread.get("participants")
    names: list[str] = []
    if isinstance(participants, list):
        for entry in participants:
            name = entry.get("name") if isinstance(entry, dict) else entry
            if isinstance(name, str) and name.strip():
                names.append(repair(name.strip()))
    return names


class _Recipients:
    """The other side of each message: the other participant, or the group."""

    def __init__(self, thread: dict[str, Any], party_kind: str, options: ParseOptions,
                 member: str | None) -> None:
        names = _names(thread)
        if not names:  # minimal exports list no participants: use who writes
            seen: dict[str, None] = {}
            for message in thread["messages"]:
                sender = message.get("sender_name") if isinstance(message, dict) else None
                if isinstance(sender, str) and sender.strip():
                    seen[repair(sender.strip())] = None
            names = list(seen)
        self.kind = party_kind
        self.names = names
        self.group: Party | None = None
        if len(names) >= 3:
            title = thread.get("title")
            title = repair(title) if isinstance(title, str) and title.strip() else None
            self.group = Party("group", title or f"group chat in {member or options.display_name}")
        elif len(names) < 2:
            options.warn(member or "", "the thread names fewer than two participants: "
                         "recipients are left blank where the other side is unknown")

    def of(self, sender: str | None) -> Party | None:
        if self.group is not None:
            return self.group
        others = [name for name in self.names if name != sender]
        return Party(self.kind, others[0]) if len(others) == 1 else None


def _media(message: dict[str, Any]) -> str | None:
    notes: list[str] = []
    for key, label in _MEDIA_LISTS:
        items = message.get(key)
        if isinstance(items, list):
            for item in items:
                uri = item.get("uri", "") if isinstance(item, dict) else ""
                notes.append(f"{label}: {repair(uri.rsplit('/', 1)[-1])}" if uri else label)
    sticker = message.get("sticker")
    if isinstance(sticker, dict):
        notes.append("sticker")
    share = message.get("share")
    if isinstance(share, dict):
        link = share.get("link") or share.get("share_text") or ""
        notes.append(f"shared: {repair(str(link))}".rstrip(": "))
    reactions = message.get("reactions")
    if isinstance(reactions, list) and reactions:
        listed = ", ".join(
            f"{repair(str(r.get('reaction', '')))} {repair(str(r.get('actor', '')))}".strip()
            for r in reactions if isinstance(r, dict)
        )
        notes.append(f"reactions: {listed}")
    return "; ".join(notes) or None


def _record(index: int, message: Any, app: str, recipients: _Recipients,
            member: str | None) -> EventRecord | None:
    position = f"{member} messages[{index}]" if member else f"messages[{index}]"
    if not isinstance(message, dict):
        raise ImportRefused("a message is not a JSON object", position)
    stamp = message.get("timestamp_ms")
    if isinstance(stamp, bool) or not isinstance(stamp, int | float):
        raise ImportRefused("message has no timestamp_ms", position)
    try:
        occurred = datetime.fromtimestamp(stamp / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise ImportRefused(f"timestamp_ms {stamp} is not a real time", position) from None
    if message.get("type") in _SYSTEM_TYPES:
        return None
    raw_sender = message.get("sender_name")
    sender = repair(raw_sender.strip()) if isinstance(raw_sender, str) and raw_sender.strip() else None
    content = message.get("content")
    text = repair(content) if isinstance(content, str) else None
    kind, status, duration = "message", None, None
    if message.get("is_unsent"):
        status = "deleted"
    if message.get("type") == "Call" or "call_duration" in message:
        kind = "call"
        duration = float(message.get("call_duration") or 0)
        status = status or ("missed" if duration == 0 else None)
    return EventRecord(
        position=position, occurred_at=occurred, kind=kind,
        sender=Party(recipients.kind, sender) if sender else None,
        recipient=recipients.of(sender), app=app, duration_s=duration, status=status,
        text=text, media=_media(message),
    )


def parse(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    """Yield one event per message: of the thread, or of every thread in a download zip."""
    if safezip.is_zip(source.path):
        yield from _parse_download(source, options)
        return
    options.report(0.0, "Reading thread")
    yield from _thread_events(_load(read_text(source.path)), source.name, None, options, 0.0, 1.0)


def _parse_download(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    try:
        with safezip.open_archive(source.path) as archive:
            members = sorted(
                (info for info in archive.infolist()
                 if not info.is_dir() and _THREAD_FILE.fullmatch(PurePosixPath(info.filename).name)),
                key=lambda info: natural_order(PurePosixPath(info.filename)))
            if not members:
                raise ImportRefused("the zip holds no message_N.json thread files: not a "
                                    "Messenger or Instagram download (or one without messages)")
            options.warn("", f"{len(members)} thread file(s) read from the zip: positions name "
                             "the file in the zip")
            for at, info in enumerate(members):
                options.report(at / len(members), f"Reading {info.filename}")
                thread = _load(_decode_member(archive, info), info.filename)
                yield from _thread_events(thread, f"{source.name}/{info.filename}", info.filename,
                                          options, at / len(members), (at + 1) / len(members))
    except safezip.ZIP_ERRORS as exc:
        raise ImportRefused(f"the zip is damaged or unreadable ({exc})") from exc


def _decode_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """A zip member's text, refused with its name when it is not text or absurdly big
    (a thread file is read whole; Meta's hold a few megabytes)."""
    check_whole_size(info.file_size, info.filename)
    try:
        return decode_text(archive.read(info))
    except ImportRefused as exc:
        raise ImportRefused(exc.reason, f"{info.filename} {exc.position}".strip()) from None


def _thread_events(thread: dict[str, Any], name: str, member: str | None, options: ParseOptions,
                   start: float, end: float) -> Iterator[EventRecord]:
    """The events of one thread; ``member`` is its place in a zip; progress from start to end."""
    instagram = _is_instagram(name, thread)
    app, party_kind = ("instagram", "instagram") if instagram else ("facebook_messenger", "facebook")
    recipients = _Recipients(thread, party_kind, options, member)
    messages = thread["messages"]
    total = max(len(messages), 1)
    skipped = 0
    for index, message in enumerate(messages):
        if index % _PROGRESS_EVERY == 0:
            options.report(start + (end - start) * index / total, "Reading messages")
        record = _record(index, message, app, recipients, member)
        if record is None:
            skipped += 1
            continue
        yield record
    if skipped:
        options.warn(member or "", f"{skipped} join/leave notices were not imported as messages")


def sniff(name: str, head: bytes) -> float:
    """0.9 for a JSON file with Meta's message keys, or a zip holding thread files."""
    if head.startswith(b"PK\x03\x04"):  # the registry adds a zip's member names to its head
        return 0.9 if _THREAD_IN_ZIP.search(head) else 0.0
    text = head_text(head[:16384]).lstrip()
    if not text.startswith("{"):
        return 0.0
    if '"messages"' in text and '"sender_name"' in text and '"timestamp_ms"' in text:
        return 0.9
    if '"participants"' in text and '"thread_path"' in text:
        return 0.8
    return 0.0


register(Importer(
    kind="messenger", label="Facebook Messenger / Instagram export", sniff=sniff, parse=parse,
    needs_owner=False, local_time=False, folder_files="message_*.json",
))
