"""Cellebrite UFDR device extractions: the zip (``report.xml`` at its root) or a bare report.xml.

The report (namespace ``http://pa.cellebrite.com/report/2.0``) lists decoded
items as ``<model type="Call|SMS|MMS|InstantMessage|Chat|Email" id="...">``
with ``<field name="TimeStamp|Duration|Direction|Type|Status|Body|Source|...">
<value>...</value></field>`` children, and parties in
``<multiModelField name="Parties|From|To">`` (or ``<modelField name="From">``)
holding ``<model type="Party">`` with ``Identifier``, ``Name``, ``Role`` and
``IsPhoneOwner``. A ``Chat`` holds its ``InstantMessage`` models in
``<multiModelField name="Messages">``, and its members in ``Participants``.

Mapping: ``Source`` names the app (WhatsApp, Facebook Messenger, Instagram,
Snapchat, Telegram, Signal; "Native Messages", "Phone" and the like are the
phone network). Phone numbers (and WhatsApp's ``4477...@s.whatsapp.net``)
become ``Party("phone")``; Facebook parties are matched by name, other apps by
their user name. The phone owner's party is the identifier the report gives,
or the ``--owner``'s identifier (``Party.of_owner``) when it gives none; a side
the report leaves out (an incoming call lists only the caller) is the owner's.
A message to several numbers becomes one event per recipient; a chat with
three or more members is addressed to ``Party("group", chat name)``.

Items recovered as deleted (``deleted_state="Deleted"``) keep status
``deleted``. Positions are ``model <id>``. The zip is checked by
:mod:`~workbench.ingest.safezip` and report.xml is streamed out of it; all
XML goes through defusedxml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from typing import IO
from xml.etree.ElementTree import Element

from workbench.errors import ImportRefused
from workbench.ingest import safezip
from workbench.ingest.records import EventRecord, ParseOptions, Party, SourceFile
from workbench.ingest.registry import Importer, register
from workbench.ingest.safexml import iter_elements, local_name
from workbench.ingest.text import head_text
from workbench.timeutil import local_to_utc

NAMESPACE = "http://pa.cellebrite.com/report/2.0"
_KINDS = {"Call": "call", "SMS": "sms", "MMS": "mms", "InstantMessage": "message",
          "Email": "email"}
# Source (case-folded, substring) -> (app / channel, party kind for names).
_APPS = (
    ("whatsapp", "whatsapp", "whatsapp"), ("messenger", "facebook_messenger", "facebook"),
    ("facebook", "facebook_messenger", "facebook"), ("instagram", "instagram", "instagram"),
    ("snapchat", "snapchat", "snapchat"), ("telegram", "telegram", "telegram"),
    ("signal", "signal", "signal"),
)
_PHONE_NETWORK = ("", "phone", "native", "sms", "mms", "messages", "call log", "sim")
_PHONE_LIKE = re.compile(r"\+?[\d\s\-().]{6,20}")
_WHATSAPP_JID = re.compile(r"(\d{6,15})@s\.whatsapp\.net")
_STATUSES = (("miss", "missed"), ("reject", "rejected"), ("declin", "rejected"),
             ("cancel", "unanswered"), ("unanswer", "unanswered"), ("not answer", "unanswered"),
             ("fail", "failed"), ("draft", "draft"))
_PROGRESS_EVERY = 500


def _fields(model: Element) -> dict[str, str]:
    """The model's own ``field`` values by name (first value, stripped)."""
    found: dict[str, str] = {}
    for child in model:
        if local_name(child.tag) == "field":
            value = next((v for v in child if local_name(v.tag) == "value"), None)
            text = value.text if value is not None else child.text
            found[child.get("name", "")] = (text or "").strip()
    return found


def _sub_models(model: Element, *names: str) -> list[Element]:
    """Models inside the model's ``multiModelField``/``modelField`` children of these names."""
    found: list[Element] = []
    for child in model:
        if local_name(child.tag) in ("multiModelField", "modelField") and child.get("name") in names:
            found.extend(m for m in child if local_name(m.tag) == "model")
    return found


class _Context:
    """What one item's parties and app are, in the terms of the import."""

    def __init__(self, source: str, default_app: str | None = None) -> None:
        lowered = source.casefold()
        self.app, self.kind = default_app, default_app or "phone"
        for needle, app, kind in _APPS:
            if needle in lowered:
                self.app, self.kind = app, kind
                break
        self.known = self.app is not None or lowered.strip() in _PHONE_NETWORK or any(
            word in lowered for word in ("native", "sms", "phone", "call"))

    def party(self, model: Element) -> tuple[Party | None, str, bool]:
        """(party, role, is the phone owner) for a Party model."""
        fields = _fields(model)
        identifier, name = fields.get("Identifier", ""), fields.get("Name", "")
        owner = fields.get("IsPhoneOwner", "").casefold() == "true"
        role = fields.get("Role", "").casefold()
        if jid := _WHATSAPP_JID.fullmatch(identifier):
            identifier = "+" + jid.group(1)
        party: Party | None
        if self.app == "email":
            party = Party("email", identifier, name=name or None) if identifier else None
        elif identifier and _PHONE_LIKE.fullmatch(identifier) and self.kind in (
                "phone", "whatsapp", "telegram", "signal"):
            party = Party("phone", identifier, name=name or None)
        elif self.kind == "facebook":
            party = Party("facebook", name or identifier) if (name or identifier) else None
        elif self.kind != "phone" and (identifier or name):
            party = Party(self.kind, identifier or name, name=name or None)
        elif identifier or name:
            party = Party("phone", identifier, name=name or None) if identifier else Party(
                "name", name)
        else:
            party = None
        if owner and party is None:
            party = self.owner()
        return party, role, owner

    def owner(self) -> Party:
        # A device's owner is known by its number whatever the app: the case file
        # may list no account of this app for them, and the channel comes from the app.
        return Party.of_owner("phone")


class _Chat:
    """A chat's app, members and name, for the messages inside it."""

    def __init__(self, chat: Element) -> None:
        fields = _fields(chat)
        self.id = chat.get("id", "")
        self.context = _Context(fields.get("Source", ""))
        members = [self.context.party(m) for m in _sub_models(chat, "Participants", "Parties")]
        self.members = [(p, is_owner) for p, _, is_owner in members if p is not None]
        self.group: Party | None = None
        if len(self.members) >= 3:
            title = fields.get("Name") or fields.get("Subject") or f"chat {self.id}"
            self.group = Party("group", title)

    def other_than(self, sender: Party | None) -> Party | None:
        if self.group is not None:
            return self.group
        others = [
            party for party, is_owner in self.members
            if not (sender is not None and (sender.owner and is_owner
                                            or (party.kind, party.value) == (sender.kind, sender.value)))
        ]
        return others[0] if len(others) == 1 else None


def _direction(fields: dict[str, str]) -> str:
    for key in ("Direction", "Type", "Folder"):
        value = fields.get(key, "").casefold()
        if value.startswith(("incoming", "inbox", "received", "missed", "rejected")):
            return "incoming"
        if value.startswith(("outgoing", "sent", "outbox", "draft")):
            return "outgoing"
    return "unknown"


def _status(fields: dict[str, str], deleted: bool) -> str | None:
    if deleted:
        return "deleted"
    for key in ("Status", "Type"):
        value = fields.get(key, "").casefold()
        for needle, status in _STATUSES:
            if needle in value:
                return status
    return None


def _duration(value: str, position: str) -> float | None:
    if not value:
        return None
    try:
        if ":" in value:
            seconds = 0.0
            for part in value.split(":"):
                seconds = seconds * 60 + float(part)
            return seconds
        return float(value)
    except ValueError:
        raise ImportRefused(f"duration {value!r} is not a time span", position) from None


def _attachments(model: Element) -> str | None:
    notes = []
    for attachment in _sub_models(model, "Attachments", "Attachment"):
        fields = _fields(attachment)
        label = " ".join(v for v in (fields.get("ContentType", ""), fields.get("Filename", "")) if v)
        notes.append(label or "attachment")
    return "; ".join(notes) or None


class _Reader:
    """Turns the report's models into events, one item at a time."""

    def __init__(self, options: ParseOptions) -> None:
        self.options = options
        self.items = 0
        self.untimed = 0
        self.ignored: dict[str, int] = {}
        self.unknown_sources: set[str] = set()

    def _moment(self, raw: str, position: str) -> tuple[datetime, bool]:
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise ImportRefused(f"TimeStamp {raw!r} is not a date and time", position) from None
        return local_to_utc(moment, self.options.tz)

    def item(self, model: Element, chat: _Chat | None = None) -> list[EventRecord]:
        self.items += 1
        model_type = model.get("type", "")
        if model_type not in _KINDS:
            if model_type not in ("Chat", "Party"):
                self.ignored[model_type or "untyped"] = self.ignored.get(model_type or "untyped", 0) + 1
            return []
        position = f"model {model.get('id') or '#' + str(self.items)}"[:64]
        fields = _fields(model)
        raw_time = fields.get("TimeStamp") or fields.get("DateSent") or fields.get("StartTime", "")
        if not raw_time:
            self.untimed += 1
            return []
        occurred, ambiguous = self._moment(raw_time, position)
        source = fields.get("Source", "")
        context = _Context(source, "email" if model_type == "Email" else None)
        if chat is not None and not source:
            context = chat.context
        if not context.known and source not in self.unknown_sources:
            self.unknown_sources.add(source)
            self.options.warn(position, f"source {source!r} has no channel of its own here: "
                              "its items are recorded as phone-network contact")
        senders, recipients, owner_seen = self._sides(model, context)
        direction = _direction(fields)
        if not senders and (direction == "outgoing" or (direction == "unknown" and not owner_seen)):
            senders = [context.owner()]
        if not recipients:
            if chat is not None and senders:
                other = chat.other_than(senders[0])
                # No other party is the same as none: the owner fallback below applies.
                recipients = [other] if other is not None else []
            if not recipients and (
                    direction == "incoming" or (direction == "unknown" and not owner_seen)):
                recipients = [context.owner()]
        elif chat is not None and chat.group is not None:
            recipients = [chat.group]
        kind = _KINDS[model_type]
        text = fields.get("Body") or fields.get("Snippet") or None
        if model_type == "Email" and fields.get("Subject"):
            text = f"{fields['Subject']}\n\n{text or ''}".strip()
        status = _status(fields, model.get("deleted_state", "").casefold() == "deleted")
        duration = _duration(fields.get("Duration", ""), position) if kind == "call" else None
        media = _attachments(model)
        sender = senders[0] if senders else None
        return [
            EventRecord(position=position, occurred_at=occurred, kind=kind, sender=sender,
                        recipient=recipient, app=context.app, duration_s=duration,
                        status=status, text=text, media=media, time_ambiguous=ambiguous)
            for recipient in (recipients if recipients else (None,))
        ]

    def _sides(self, model: Element, context: _Context
               ) -> tuple[list[Party], list[Party], bool]:
        senders: list[Party] = []
        recipients: list[Party] = []
        owner_seen = False
        for field_name in ("From", "To", "Parties"):
            for sub in _sub_models(model, field_name):
                party, role, is_owner = context.party(sub)
                owner_seen = owner_seen or is_owner
                if party is None:
                    continue
                if field_name == "From" or role == "from":
                    senders.append(party)
                elif field_name == "To" or role in ("to", "cc", "bcc"):
                    recipients.append(party)
        return senders, recipients, owner_seen


def _open_report(source: SourceFile, stack: ExitStack) -> tuple[IO[bytes], int]:
    """The report.xml stream (out of the zip, or the file itself) and its size."""
    if safezip.is_zip(source.path):
        archive = stack.enter_context(safezip.open_archive(source.path))
        member = safezip.find_member(archive, "report.xml")
        if member is None:
            raise ImportRefused("the zip has no report.xml at its root: not a UFDR")
        return stack.enter_context(archive.open(member)), member.file_size
    return stack.enter_context(open(source.path, "rb")), source.size


def parse(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    """Yield the report's calls, texts, messages and e-mails, streaming the XML."""
    try:
        yield from _parse(source, options)
    except safezip.ZIP_ERRORS as exc:
        # Found by fuzzing: a damaged zip fails inside zipfile while streaming.
        raise ImportRefused(f"the extraction is damaged or unreadable ({exc})") from exc


def _parse(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    reader = _Reader(options)
    options.report(0.0, "Opening extraction")
    with ExitStack() as stack:
        stream, size = _open_report(source, stack)
        stack_elements: list[Element] = []
        models_open = 0
        chats: dict[int, _Chat] = {}
        root_seen = False
        for event, element in iter_elements(stream):
            name = local_name(element.tag)
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if name != "project" and not element.tag.startswith("{" + NAMESPACE):
                        raise ImportRefused(f"not a Cellebrite report: the root element is <{name}>")
                stack_elements.append(element)
                models_open += name == "model"
                continue
            stack_elements.pop()
            parent = stack_elements[-1] if stack_elements else None
            if name == "model":
                models_open -= 1
                records: list[EventRecord] = []
                if models_open == 0:
                    if element.get("type") != "Chat":
                        records = reader.item(element)
                    chats.pop(id(element), None)
                elif _is_chat_message(stack_elements):
                    chat_element = stack_elements[-2]
                    chat = chats.get(id(chat_element))
                    if chat is None:
                        chat = chats[id(chat_element)] = _Chat(chat_element)
                    records = reader.item(element, chat)
                else:
                    continue
                yield from records
                if parent is not None:
                    parent.remove(element)  # free what is done with
                if reader.items % _PROGRESS_EVERY == 0:
                    options.report(stream.tell() / max(size, 1), f"Read {reader.items:,} items")
            elif models_open == 0 and parent is not None:
                parent.remove(element)
        if not root_seen:
            raise ImportRefused("report.xml is empty")
    _summarise(reader, options)


def _is_chat_message(stack_elements: list[Element]) -> bool:
    """Whether the model just closed sits in a Chat's "Messages" field."""
    if len(stack_elements) < 2:
        return False
    field, chat = stack_elements[-1], stack_elements[-2]
    return (local_name(field.tag) == "multiModelField" and field.get("name") == "Messages"
            and local_name(chat.tag) == "model" and chat.get("type") == "Chat")


def _summarise(reader: _Reader, options: ParseOptions) -> None:
    if reader.untimed:
        options.warn("", f"{reader.untimed} items have no time stamp and were not imported")
    if reader.ignored:
        listed = ", ".join(f"{count} {kind}" for kind, count in sorted(reader.ignored.items()))
        options.warn("", f"item types not imported as contact: {listed}")
    options.report(1.0, "Extraction read")


def sniff(name: str, head: bytes) -> float:
    """0.9 for a UFDR zip or a Cellebrite report.xml."""
    if head.startswith(b"PK\x03\x04"):
        if name.lower().endswith(".ufdr") or re.search(rb"(?im)^report\.xml$", head):
            return 0.95  # report.xml at the root: the extraction's own files may hold other exports
        if b"report.xml" in head:
            return 0.85
        return 0.0
    text = head_text(head[:8192])
    return 0.9 if "pa.cellebrite.com/report" in text else 0.0


register(Importer(
    kind="ufdr", label="Cellebrite UFDR extraction", sniff=sniff, parse=parse,
    needs_owner=True, local_time=False,
))
