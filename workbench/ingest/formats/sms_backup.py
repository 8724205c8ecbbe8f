"""SMS Backup & Restore (Android) XML: texts, MMS and call logs from one phone.

``<smses><sms address date type body contact_name/>...<mms msg_box address>
<parts><part ct text/></parts><addrs><addr address type/></addrs></mms></smses>``
and ``<calls><call number duration date type contact_name/></calls>``. ``date``
is epoch milliseconds, UTC.

The backup comes from one phone, whose own number is usually nowhere in it:
its side of every record is the ``--owner``'s phone (``Party.of_owner``), and
the other side is ``Party("phone", address, name=contact_name)``.

Group messages: a sent MMS to several people (``address`` joined by ``~``, or
several ``to`` addresses) becomes one event per recipient at the same position,
as the network delivers one copy to each; a received one is from its ``from``
address (``addr type="137"``) to the owner.

Positions are ``record N (line L)``: N counts ``sms``/``mms``/``call``
elements from 1 in file order, L is the line where the element starts.
The file is parsed incrementally through defusedxml; entity declarations are
refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from xml.sax.xmlreader import AttributesImpl

from workbench.errors import ImportRefused
from workbench.ingest.records import EventRecord, ParseOptions, Party, SourceFile
from workbench.ingest.registry import Importer, register
from workbench.ingest.safexml import RecordHandler, sax_records
from workbench.ingest.text import head_text

# SMS "type" / MMS "msg_box": (owner sent it, status).
_SMS_TYPES = {
    "1": (False, None), "2": (True, None), "3": (True, "draft"), "4": (True, "queued"),
    "5": (True, "failed"), "6": (True, "queued"),
}
# Call "type": (owner made it, status).
_CALL_TYPES = {
    "1": (False, None), "2": (True, None), "3": (False, "missed"), "4": (False, "voicemail"),
    "5": (False, "rejected"), "6": (False, "blocked"), "7": (False, None),
}
_FROM, _TO = "137", "151"
_NOT_A_NUMBER = {"", "null", "insert-address-token"}


def _counterpart(address: str | None, name: str | None) -> Party | None:
    """The other side, or None for withheld/unknown numbers (Android writes -1, -2, -3)."""
    address = (address or "").strip()
    if address.lower() in _NOT_A_NUMBER or address.startswith("-"):
        return None
    name = (name or "").strip()
    return Party("phone", address, name=None if name in ("", "null", "(Unknown)") else name)


class _BackupHandler(RecordHandler):
    def __init__(self, options: ParseOptions) -> None:
        super().__init__()
        self.options = options
        self.root: str | None = None
        self.mms: dict[str, str] | None = None
        self.mms_position = ""
        self.parts: list[dict[str, str]] = []
        self.addrs: list[tuple[str, str]] = []
        self.unknown_types = 0

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802
        if self.root is None:
            if name not in ("smses", "calls"):
                raise ImportRefused(f"not an SMS Backup & Restore file: the root element is "
                                    f"<{name}>, not <smses> or <calls>", f"line {self.line}")
            self.root = name
            return
        if name in ("sms", "mms", "call"):
            self.number += 1
            position = f"record {self.number} (line {self.line})"
            if name == "sms":
                self.ready.extend(self._sms(dict(attrs), position))
            elif name == "call":
                self.ready.append(self._call(dict(attrs), position))
            else:
                self.mms, self.mms_position = dict(attrs), position
                self.parts, self.addrs = [], []
        elif self.mms is not None and name == "part":
            self.parts.append(dict(attrs))
        elif self.mms is not None and name == "addr":
            self.addrs.append((attrs.get("type", ""), attrs.get("address", "")))

    def endElement(self, name: str) -> None:  # noqa: N802
        if name == "mms" and self.mms is not None:
            self.ready.extend(self._mms(self.mms, self.mms_position))
            self.mms = None

    def _moment(self, attrs: dict[str, str], position: str) -> datetime:
        raw = attrs.get("date", "").strip()
        try:
            millis = int(raw)
            if millis < 10**11:  # some writers put MMS dates in seconds
                millis *= 1000
            return datetime.fromtimestamp(millis / 1000, UTC)
        except (ValueError, OverflowError, OSError):
            raise ImportRefused(f"date {raw!r} is not epoch milliseconds", position) from None

    def _direction(self, table: dict[str, tuple[bool, str | None]], value: str,
                   position: str) -> tuple[bool, str | None]:
        if value in table:
            return table[value]
        self.unknown_types += 1
        self.options.warn(position, f"unknown type {value!r}: read as received")
        return False, None

    def _sms(self, attrs: dict[str, str], position: str) -> list[EventRecord]:
        moment = self._moment(attrs, position)
        sent, status = self._direction(_SMS_TYPES, attrs.get("type", ""), position)
        body = attrs.get("body")
        text = body if body else None
        addresses = [a for a in attrs.get("address", "").split("~") if a.strip()] or [""]
        name = attrs.get("contact_name") if len(addresses) == 1 else None
        return self._events(position, moment, "sms", sent, status, text, None,
                            [_counterpart(a, name) for a in addresses])

    def _mms(self, attrs: dict[str, str], position: str) -> list[EventRecord]:
        moment = self._moment(attrs, position)
        sent, status = self._direction(_SMS_TYPES, attrs.get("msg_box", ""), position)
        texts, media = [], []
        for part in self.parts:
            content_type = part.get("ct", "").lower()
            if content_type == "application/smil":
                continue
            if content_type == "text/plain" and part.get("text", "null") != "null":
                texts.append(part["text"])
            elif content_type not in ("text/plain", "null", ""):
                label = next((part[k] for k in ("name", "cl", "fn")
                              if part.get(k, "null") != "null"), "")
                media.append(f"{content_type} {label}".strip())
        subject = attrs.get("sub", "")
        if subject and subject != "null":
            texts.insert(0, subject)
        address = attrs.get("address", "")
        from_addr = next((a for kind, a in self.addrs if kind == _FROM), "")
        if sent:
            others = [a for a in address.split("~") if a.strip()]
            if not others or any("@" in a for a in others):  # an RCS group id, not numbers
                others = [a for kind, a in self.addrs if kind == _TO and a != from_addr]
        else:
            others = [from_addr or address.split("~")[0]]
        # The contact name belongs to ``address``; a different sender is someone else.
        name = attrs.get("contact_name") if others == [address] else None
        return self._events(position, moment, "mms", sent, status, "\n".join(texts) or None,
                            "; ".join(media) or None,
                            [_counterpart(a, name) for a in others] or [None])

    def _events(self, position: str, moment: datetime, kind: str, sent: bool,
                status: str | None, text: str | None, media: str | None,
                others: list[Party | None]) -> list[EventRecord]:
        owner = Party.of_owner("phone")
        return [
            EventRecord(position=position, occurred_at=moment, kind=kind,
                        sender=owner if sent else other, recipient=other if sent else owner,
                        status=status, text=text, media=media)
            for other in others
        ]

    def _call(self, attrs: dict[str, str], position: str) -> EventRecord:
        moment = self._moment(attrs, position)
        made, status = self._direction(_CALL_TYPES, attrs.get("type", ""), position)
        other = _counterpart(attrs.get("number"), attrs.get("contact_name"))
        raw_duration = attrs.get("duration", "").strip()
        try:
            duration = float(raw_duration) if raw_duration else None
        except ValueError:
            raise ImportRefused(f"duration {raw_duration!r} is not a number of seconds",
                                position) from None
        owner = Party.of_owner("phone")
        return EventRecord(position=position, occurred_at=moment, kind="call",
                           sender=owner if made else other, recipient=other if made else owner,
                           duration_s=duration, status=status)


def parse(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    """Yield the backup's texts, MMS and calls in file order."""
    handler = _BackupHandler(options)
    options.report(0.0, "Reading backup")
    with open(source.path, "rb") as stream:
        yield from sax_records(stream, handler, source.size, options.report)
    if handler.root is None:
        raise ImportRefused("not an SMS Backup & Restore file: no XML elements")


def sniff(name: str, head: bytes) -> float:
    """0.9 for XML whose root is ``<smses>`` or ``<calls>``."""
    text = head_text(head[:4096]).lstrip()
    if not text.startswith("<"):
        return 0.0
    if "<smses" in text or "<calls" in text:
        return 0.9
    return 0.0


register(Importer(
    kind="sms-backup", label="SMS Backup & Restore XML", sniff=sniff, parse=parse,
    needs_owner=True, local_time=False,
))
