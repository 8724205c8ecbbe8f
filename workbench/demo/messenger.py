"""The officer's Facebook "Download your information": one ``message_1.json`` per thread.

Written as real exports are: participants, messages newest first with
``timestamp_ms`` (UTC epoch milliseconds), ``type``/``is_unsent``, photos and
reactions, and every text mis-encoded the way Facebook does it (UTF-8 bytes
read as Latin-1, then escaped), so emoji appear as ``\\u00f0\\u009f...``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from workbench.demo import scenario as s
from workbench.demo import wording
from workbench.demo.storyline import SEXUALISED_FROM, Storyline
from workbench.demo.timing import at

OFFICER = s.FACEBOOK_OFFICER


@dataclass(frozen=True)
class Message:
    when: datetime  # local
    sender: str
    text: str | None = None
    photo: bool = False
    reaction: str | None = None  # the other participant's reaction, if any


@dataclass
class Thread:
    """One conversation folder in the export (``messages/inbox/<folder>/message_1.json``)."""

    folder: str
    title: str
    messages: list[Message] = field(default_factory=list)


def _mojibake(text: str) -> str:
    """What Facebook's exporter does to non-ASCII text."""
    return text.encode("utf-8").decode("latin-1")


def _woman_a_thread(storyline: Storyline) -> Thread:
    rng = random.Random(3812749021)
    her = "Kerry Lowe"
    first = at(date(2021, 4, 3), 21, 12, 40)
    thread = Thread("kerrylowe_3812749021", her, [
        Message(first, OFFICER, "Hi Kerry, found you on here \U0001f642"),
        Message(at(date(2021, 4, 3), 21, 20, 5), her, "Hiya x"),
        Message(at(date(2021, 4, 3), 21, 24, 51), OFFICER,
                "Your profile pic is lovely, you look beautiful in it", reaction="\u2764"),
        Message(at(date(2021, 4, 10), 22, 31, 17), her, photo=True),
        Message(at(date(2021, 4, 10), 22, 33, 2), OFFICER, "Wow \U0001f60d gorgeous x"),
    ])
    for talk in storyline.of("woman_a", "messenger"):
        if talk.times[0] <= first:
            continue
        officer_turn = rng.random() < 0.7
        for when in talk.times:
            when = when.replace(second=rng.randint(0, 59))
            if officer_turn:
                text = wording.officer_line(rng, talk.phase, when.date(), SEXUALISED_FROM)
                reaction = "\u2764" if rng.random() < 0.1 else None
                thread.messages.append(Message(when, OFFICER, text, reaction=reaction))
            elif talk.phase == "escalation" and rng.random() < 0.08:
                thread.messages.append(Message(when, her, photo=True))
            else:
                thread.messages.append(Message(when, her, wording.reply_line(rng, talk.phase)))
            officer_turn = not officer_turn
    return thread


def _woman_b_thread(storyline: Storyline) -> Thread:
    rng = random.Random(4471920385)
    her = "Sophie Bell"
    first = at(date(2021, 9, 20), 21, 40, 8)
    thread = Thread("sophiebell_4471920385", her, [
        Message(first, OFFICER, "Hi Sophie it's Dan, the PCSO from the other day. "
                                "Just checking you're ok x"),
        Message(at(date(2021, 9, 20), 21, 52, 30), her, "Oh hiya, yeah im ok thanks"),
    ])
    for talk in storyline.of("woman_b", "messenger"):
        if talk.times[0] <= first:
            continue
        officer_turn = True
        for when in talk.times:
            when = when.replace(second=rng.randint(0, 59))
            pool = wording.WOMAN_B_OFFICER if officer_turn else wording.WOMAN_B_REPLIES
            thread.messages.append(Message(when, OFFICER if officer_turn else her, rng.choice(pool)))
            officer_turn = not officer_turn
    return thread


COLLEAGUE_CHAT = (  # (day, hour, minute, from the officer?, text): ordinary, with lexicon traps
    (date(2021, 2, 2), 12, 15, False, "Briefing moved to 7 tomorrow"),
    (date(2021, 2, 2), 12, 20, True, "Cheers Priya"),
    (date(2021, 3, 16), 17, 2, False, "Remind the new starter to bring 2 x forms of ID on Monday"),
    (date(2021, 3, 16), 17, 9, True, "Will do"),
    (date(2021, 4, 20), 13, 41, True, "Tax on the van ran out, sarge is fuming"),
    (date(2021, 4, 20), 13, 44, False, "Ha classic"),
    (date(2021, 5, 27), 18, 30, False, "Lads are on the Xbox tonight if you fancy it"),
    (date(2021, 5, 27), 18, 52, True, "Can't tonight, maybe Friday"),
    (date(2021, 7, 8), 10, 5, True, "Have you got the PACE book?"),
    (date(2021, 7, 8), 10, 7, False, "In my locker, help yourself"),
    (date(2021, 9, 1), 16, 20, False, "Are you doing the school talk next week?"),
    (date(2021, 9, 1), 16, 34, True, "Yeah Thursday 10am"),
    (date(2021, 11, 18), 14, 2, False, "Can you swap my Xmas late shift?"),
    (date(2021, 11, 18), 14, 30, True, "Should be fine, I'll check the roster"),
    (date(2021, 12, 10), 11, 45, True, "Xmas do is at the Crown on the 17th"),
    (date(2021, 12, 10), 12, 1, False, "Sorted, see you there"),
    (date(2022, 1, 12), 15, 10, False, "Can you bring 2 x radios back from the van?"),
    (date(2022, 1, 12), 15, 12, True, "On it"),
)


def _colleague_thread() -> Thread:
    her = "Priya Shah"
    return Thread("priyashah_5093318842", her, [
        Message(at(day, hour, minute, (hour * 7 + minute) % 60), OFFICER if mine else her, text)
        for day, hour, minute, mine, text in COLLEAGUE_CHAT
    ])


def threads(storyline: Storyline) -> list[Thread]:
    """The three threads in the officer's export."""
    return [_woman_a_thread(storyline), _woman_b_thread(storyline), _colleague_thread()]


def _epoch_ms(when: datetime, rng: random.Random) -> int:
    moment = when.replace(tzinfo=ZoneInfo(s.TIMEZONE))
    return int(moment.timestamp()) * 1000 + rng.randint(0, 999)


def export_document(thread: Thread) -> dict[str, Any]:
    """The JSON document of one thread, newest message first."""
    rng = random.Random(thread.folder)
    messages: list[dict[str, Any]] = []
    other = thread.title
    for index, message in enumerate(sorted(thread.messages, key=lambda m: m.when)):
        stamp = _epoch_ms(message.when, rng)
        entry: dict[str, Any] = {"sender_name": _mojibake(message.sender), "timestamp_ms": stamp}
        if message.text is not None:
            entry["content"] = _mojibake(message.text)
        if message.photo:
            entry["photos"] = [{
                "uri": f"messages/inbox/{thread.folder}/photos/{stamp // 1000}_{index}_n.jpg",
                "creation_timestamp": stamp // 1000,
            }]
        if message.reaction:
            actor = other if message.sender == OFFICER else OFFICER
            entry["reactions"] = [{"reaction": _mojibake(message.reaction), "actor": actor}]
        entry["type"] = "Generic"
        entry["is_unsent"] = False
        messages.append(entry)
    messages.reverse()
    return {
        "participants": [{"name": _mojibake(other)}, {"name": _mojibake(OFFICER)}],
        "messages": messages,
        "title": _mojibake(thread.title),
        "is_still_participant": True,
        "thread_type": "Regular",
        "thread_path": f"inbox/{thread.folder}",
        "magic_words": [],
    }


def write_thread(thread: Thread, root: Path) -> Path:
    """Write ``root/messages/inbox/<folder>/message_1.json``; returns its path."""
    folder = root / "messages" / "inbox" / thread.folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "message_1.json"
    text = json.dumps(export_document(thread), indent=2, ensure_ascii=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path
