"""The shape of the personal contact over time, shared by the billing, WhatsApp and Messenger files.

Each member of the public's story is a list of phases; each phase says how
often a conversation happens, how long it is, how much of it is late at night
and which channels carry it. The channel modules turn conversations into rows
or messages with words; this module only decides *when*.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from workbench.demo import timing
from workbench.demo.roster import Roster


@dataclass(frozen=True)
class Phase:
    name: str
    first: date
    last: date
    sessions_per_day: float          # mean conversations a day
    messages: tuple[int, int]        # messages per conversation (min, max)
    late_share: float                # share of conversations late at night
    channels: tuple[tuple[str, float], ...]  # (channel, weight)
    # Steady contact (one conversation every 1/sessions_per_day days) rather than random
    # clumps, for a pair whose rate should not rise against its own baseline.
    regular: bool = False


@dataclass(frozen=True)
class Conversation:
    member: str
    channel: str  # "phone" (personal mobile calls and SMS), "whatsapp" or "messenger"
    phase: str
    times: tuple[datetime, ...]


WOMAN_A_PHASES = (
    # After the first personal text (20/03): friendly, a few times a week.
    Phase("grooming", date(2021, 3, 22), date(2021, 4, 30), 0.55, (3, 7), 0.35,
          (("whatsapp", 0.7), ("phone", 0.2), ("messenger", 0.1))),
    # Sharp rise: daily, long, often late; sexualised from mid-May.
    Phase("escalation", date(2021, 5, 1), date(2021, 6, 30), 1.3, (5, 11), 0.5,
          (("whatsapp", 0.65), ("phone", 0.2), ("messenger", 0.15))),
    Phase("taper", date(2021, 7, 1), date(2021, 11, 28), 0.18, (2, 5), 0.4,
          (("whatsapp", 0.6), ("phone", 0.3), ("messenger", 0.1))),
)
SEXUALISED_FROM = date(2021, 5, 15)

WOMAN_B_PHASES = (
    Phase("grooming", date(2021, 9, 16), date(2021, 11, 30), 1 / 3, (2, 4), 0.3,
          (("phone", 0.6), ("messenger", 0.4)), regular=True),
)

UNKNOWN_WOMAN_PHASES = (
    Phase("grooming", date(2021, 11, 12), date(2022, 2, 19), 0.9, (2, 5), 0.6,
          (("phone", 1.0),)),
)


def _conversations(member: str, phases: tuple[Phase, ...], roster: Roster,
                   seed: int) -> list[Conversation]:
    rng = random.Random(seed)
    result = []
    for phase in phases:
        names = [name for name, _ in phase.channels]
        weights = [weight for _, weight in phase.channels]
        for day in timing.days(phase.first, phase.last):
            # Poisson-like count without numpy: sum of Bernoulli trials.
            if phase.regular:
                every = round(1 / phase.sessions_per_day)
                sessions = int((day - phase.first).days % every == 0)
            else:
                whole, part = divmod(phase.sessions_per_day, 1)
                sessions = int(whole) + (rng.random() < part)
            for start in timing.conversation_starts(rng, roster, day, sessions, phase.late_share):
                channel = rng.choices(names, weights)[0]
                count = rng.randint(*phase.messages)
                if channel == "phone":
                    count = max(1, count // 2)  # a call or a couple of texts, not a chat
                times = tuple(timing.conversation(rng, start, count))
                result.append(Conversation(member, channel, phase.name, times))
    return sorted(result, key=lambda c: c.times[0])


class Storyline:
    """All generated personal conversations, by member and channel."""

    def __init__(self, roster: Roster) -> None:
        self.conversations = (
            _conversations("woman_a", WOMAN_A_PHASES, roster, 101)
            + _conversations("woman_b", WOMAN_B_PHASES, roster, 202)
            + _conversations("unknown_woman", UNKNOWN_WOMAN_PHASES, roster, 418)
        )

    def of(self, member: str, channel: str) -> list[Conversation]:
        return [c for c in self.conversations if c.member == member and c.channel == channel]
