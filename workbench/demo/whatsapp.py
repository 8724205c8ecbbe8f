"""The WhatsApp export from Woman A's phone: ``WhatsApp Chat with Lee PCSO.txt``.

Android style (``22/03/2021, 19:14 - Lee PCSO: text``), 24-hour, day-first,
as her phone exported it: the encryption notice first, multi-line messages
continuing on raw lines, ``<Media omitted>`` for photos and a deleted message.
She saved the officer's personal number as "Lee PCSO"; her own messages carry
her WhatsApp name "Kerry". Times are her phone's local time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from workbench.demo import scenario as s
from workbench.demo import wording
from workbench.demo.storyline import SEXUALISED_FROM, Storyline
from workbench.demo.timing import at

FILE_NAME = f"WhatsApp Chat with {s.WHATSAPP_OFFICER}.txt"
ENCRYPTION_NOTICE = ("Messages and calls are end-to-end encrypted. No one outside of this chat, "
                     "not even WhatsApp, can read or listen to them. Tap to learn more.")
MEDIA = "<Media omitted>"
DELETED = "This message was deleted"


@dataclass(frozen=True)
class Line:
    when: datetime
    sender: str | None  # None for a system line
    text: str


OFFICER, HER = s.WHATSAPP_OFFICER, s.WHATSAPP_WOMAN_A
FIRST_CHAT = at(date(2021, 3, 22), 19, 30)


def _scripted() -> list[Line]:
    """The messages the story turns on, at fixed times."""
    return [
        Line(at(date(2021, 3, 22), 19, 14), None, ENCRYPTION_NOTICE),
        Line(at(date(2021, 3, 22), 19, 14), OFFICER,
             "Hi Kerry its Dan from the other week \U0001f642 this is my WhatsApp"),
        Line(at(date(2021, 3, 22), 19, 16), HER, "Hiya! Ive saved you as Lee PCSO lol"),
        Line(at(date(2021, 3, 22), 19, 18), OFFICER, "Haha fine by me"),
        Line(at(date(2021, 3, 22), 19, 25), HER, "Did they say bring 2 x forms of ID for the statement?"),
        Line(at(date(2021, 3, 22), 19, 27), OFFICER,
             "Yeah 2 x forms of ID, passport or driving licence and a bank statement"),
        Line(at(date(2021, 3, 24), 22, 47), OFFICER,
             "Best you don't mention you have my number, I'd get in bother for giving it out"),
        Line(at(date(2021, 3, 24), 22, 49), HER, "ok i wont"),
        Line(at(date(2021, 3, 25), 23, 5), OFFICER, "Delete these x"),
        Line(at(date(2021, 4, 2), 23, 20), OFFICER,
             "Just got in\nLong day today\nHow are you feeling x"),
        Line(at(date(2021, 4, 28), 18, 10), HER, "Forgot to pay my car tax again \U0001f648"),
        Line(at(date(2021, 4, 28), 18, 12), OFFICER, "You can do it online, takes 5 mins"),
        Line(at(date(2021, 5, 18), 0, 41), OFFICER, DELETED),
        Line(at(date(2021, 5, 18), 0, 43), HER, "What did you say?"),
        Line(at(date(2021, 5, 18), 0, 44), OFFICER, "Nothing, don't worry about it. Keep this between us x"),
        Line(at(date(2021, 11, 10), 17, 55), HER, "Got my nephew an Xbox for Xmas already lol"),
        Line(at(date(2021, 11, 10), 17, 58), OFFICER, "Organised! Nice one"),
    ]


def _generated(storyline: Storyline) -> list[Line]:
    rng = random.Random(22032021)
    lines: list[Line] = []
    for talk in storyline.of("woman_a", "whatsapp"):
        if talk.times[0] < FIRST_CHAT:
            continue  # she only had his WhatsApp from his first message
        officer_turn = rng.random() < 0.65
        for when in talk.times:
            if officer_turn:
                text = wording.officer_line(rng, talk.phase, when.date(), SEXUALISED_FROM)
                if talk.phase == "escalation" and rng.random() < 0.03:
                    text = MEDIA
                elif lines and lines[-1].sender == OFFICER and lines[-1].text == text:
                    text = wording.officer_line(rng, talk.phase, when.date(), SEXUALISED_FROM)
                lines.append(Line(when, OFFICER, text))
            else:
                text = MEDIA if talk.phase == "escalation" and rng.random() < 0.06 \
                    else wording.reply_line(rng, talk.phase)
                if lines and lines[-1].sender == HER and lines[-1].text == text:
                    text = wording.reply_line(rng, talk.phase)  # nobody sends the same twice
                lines.append(Line(when, HER, text))
            # Mostly turn-taking, sometimes two in a row.
            if rng.random() < 0.75:
                officer_turn = not officer_turn
    return lines


def chat_lines(storyline: Storyline) -> list[Line]:
    """Every line of the chat in the order the export writes them (time, then as sent)."""
    lines = _scripted() + _generated(storyline)
    # A stable sort keeps the scripted order within a minute.
    return sorted(lines, key=lambda line: line.when.replace(second=0))


def write_chat(lines: list[Line], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for line in lines:
            stamp = f"{line.when:%d/%m/%Y, %H:%M}"
            if line.sender is None:
                handle.write(f"{stamp} - {line.text}\n")
            else:
                handle.write(f"{stamp} - {line.sender}: {line.text}\n")
