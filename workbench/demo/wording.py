"""What people say in the demo's messages, by phase of the story.

The officer's messages drift from neutral to affectionate to sexualised; the
members of the public mostly reply briefly. Neutral lines include the
lexicon's traps ("2 x forms of ID", "Xbox", "Xmas", "tax"), which must never
count as kisses. Sexual content is kept to what the lexicon needs to find,
without explicit detail.
"""

from __future__ import annotations

import random
from datetime import date

NEUTRAL_OFFICER = (
    "How's your day been?",
    "Just finished work, knackered",
    "Any more bother round yours?",
    "Make sure you lock that back door",
    "Did the locksmith come out?",
    "Haha you're funny you",
    "What you up to tonight?",
    "Weather's awful today",
    "Did you get your shopping done?",
    "Long day, just got in",
    "You still up?",
    "Watching the match",
    "Hope your mum's ok",
    "Sorry was busy",
    "What time you finish tomorrow?",
)
AFFECTIONATE_OFFICER = (
    "Night Kerry x",
    "Sleep well x",
    "You looked lovely in your new pic",
    "You've got a gorgeous smile",
    "Miss chatting to you xx",
    "Morning beautiful x",
    "Thinking of you babe",
    "You're gorgeous you know that xx",
    "Wish I was there with you x",
    "\u2764\ufe0f",
    "\U0001f618",
    "Night babe xx",
    "Can't stop thinking about you hun",
    "You're so pretty x",
)
SEXUALISED_OFFICER = (
    "You looked sexy in that dress",
    "Send us a naughty pic \U0001f608",
    "Wish I was in bed with you",
    "Can't wait to get you on your own",
    "That photo got me hot x",
    "Bet you look sexy right now",
)
TAPER_OFFICER = (
    "You still about?",
    "Why you ignoring me",
    "Haven't heard from you",
    "Night x",
    "Hope you're ok",
    "Message me back x",
)
REPLIES = (
    "Hiya", "ok", "Thank you", "haha", "Im ok", "Just watching telly", "Yeah",
    "Are you working tomorrow?", "My mum says hi", "lol", "Not much", "Going to bed soon",
    "Im tired", "\U0001f602", "Aww", "Thanks for checking", "Really?",
)
AFFECTIONATE_REPLIES = ("Night x", "ok x", "\U0001f60a x", "Aww thank you x", "ok hun")

WOMAN_B_OFFICER = (
    "How are you holding up?",
    "You deserve better than him x",
    "You've got a lovely smile",
    "Here if you need to talk",
    "Hope you're ok hun x",
    "Has he been in touch?",
    "Is your car tax sorted now?",
    "You looked nice today x",
)
WOMAN_B_REPLIES = (
    "Thank you for everything", "Im ok", "He hasnt been round", "Thanks", "ok",
    "Kids are asleep", "Thanks x", "Its been a long week",
)


def officer_line(rng: random.Random, phase: str, day: date, sexualised_from: date) -> str:
    """One of the officer's messages to Woman A, as the story has reached it."""
    roll = rng.random()
    if phase == "grooming":
        return rng.choice(NEUTRAL_OFFICER if roll < 0.65 else AFFECTIONATE_OFFICER)
    if phase == "escalation":
        if roll < 0.3:
            return rng.choice(NEUTRAL_OFFICER)
        if roll < 0.8 or day < sexualised_from:
            return rng.choice(AFFECTIONATE_OFFICER)
        return rng.choice(SEXUALISED_OFFICER)
    return rng.choice(TAPER_OFFICER if roll < 0.7 else AFFECTIONATE_OFFICER)


def reply_line(rng: random.Random, phase: str) -> str:
    """One of Woman A's replies."""
    share = {"grooming": 0.1, "escalation": 0.25}.get(phase, 0.05)
    return rng.choice(AFFECTIONATE_REPLIES if rng.random() < share else REPLIES)
