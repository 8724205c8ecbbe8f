"""Content rules: affectionate language, sexualised language and requests for secrecy."""

from __future__ import annotations

from collections import Counter

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate
from workbench.analysis.clock import DAY
from workbench.analysis.context import Context
from workbench.analysis.lexicon import CATEGORY_WORDS, RULE_CATEGORIES, Hit

FROM_OFFICER = 0  # direction code "outgoing"
RULE_NOUNS = {
    "affectionate_language": "affectionate language",
    "sexualised_language": "sexualised language",
    "secrecy_request": "a request for secrecy",
}


def _pair_hits(ctx: Context) -> dict[tuple[int, int], list[tuple[int, list[Hit]]]]:
    """Per pair, the messages with any lexicon hit (computed once for the three rules)."""
    cached = ctx.cache.get("pair_hits")
    if cached is not None:
        return cached  # type: ignore[return-value]
    texts = ctx.events.text
    result: dict[tuple[int, int], list[tuple[int, list[Hit]]]] = {}
    for pair, indices in ctx.pairs.items():
        with_hits = []
        for index in indices:
            text = texts[index]
            if text:
                hits = ctx.lexicon.find_hits(text)
                if hits:
                    with_hits.append((int(index), hits))
        if with_hits:
            result[pair] = with_hits
    ctx.cache["pair_hits"] = result
    return result


def _episodes(ctx: Context, items: list[tuple[int, list[Hit]]]) -> list[list[tuple[int, list[Hit]]]]:
    """Split hits into episodes separated by more than the episode gap."""
    gap = ctx.settings.number("general", "episode_gap_days") * DAY
    episodes: list[list[tuple[int, list[Hit]]]] = []
    last = None
    for item in items:
        moment = int(ctx.events.at[item[0]])
        if last is None or moment - last > gap:
            episodes.append([])
        episodes[-1].append(item)
        last = moment
    return episodes


def _severity(ctx: Context, rule: str, count: int, from_officer: int) -> str:
    base = ctx.settings.severity(rule)
    if rule == "affectionate_language":
        if count < ctx.settings.number("affectionate_language", "medium_from_messages"):
            return "low"
        return base if from_officer else "low"
    if not from_officer:  # only the member of the public wrote it: one step lower
        return {"high": "medium", "medium": "low"}.get(base, base)
    return base


def _content_rule(ctx: Context, rule: str) -> list[Candidate]:
    categories = set(RULE_CATEGORIES[rule])
    found = []
    at, direction = ctx.events.at, ctx.events.direction
    for (officer, member), items in sorted(_pair_hits(ctx).items()):
        relevant = [(index, [h for h in hits if h.category in categories]) for index, hits in items]
        relevant = [(index, hits) for index, hits in relevant if hits]
        for episode in _episodes(ctx, relevant):
            indices = np.array([index for index, _ in episode], dtype=np.int64)
            from_officer = int(np.count_nonzero(direction[indices] == FROM_OFFICER))
            kinds = Counter(h.category for _, hits in episode for h in hits)
            words = Counter(h.term.casefold() for _, hits in episode for h in hits)
            quoted = ", ".join(f'"{w}"' for w, _ in words.most_common(4))
            what = wording.join([CATEGORY_WORDS[c] for c, _ in kinds.most_common()])
            by_officer = (f"{from_officer} of them sent by the officer" if len(indices) > 1
                          else ("sent by the officer" if from_officer else
                                f"sent by {ctx.label(member)}"))
            if len(indices) > 1 and not from_officer:
                by_officer = f"all sent by {ctx.label(member)}"
            explanation = (
                f"{wording.plural(len(indices), 'message')} with {what} between the officer and"
                f" {ctx.label(member)} {wording.span(at[indices[0]], at[indices[-1]], ctx.tz)},"
                f" {by_officer} ({quoted})."
            )
            hits_of = dict(episode)

            def detail(i: int, hits_of: dict[int, list[Hit]] = hits_of) -> list[str]:
                return [f"{h.category}: {h.term}" for h in hits_of[int(i)]]

            evidence = ctx.evidence(indices, detail)
            found.append(Candidate(rule, _severity(ctx, rule, len(indices), from_officer),
                                   int(at[indices[0]]), int(at[indices[-1]]), officer, member,
                                   evidence, explanation))
    return found


def affectionate_language(ctx: Context) -> list[Candidate]:
    """Kisses, endearments or pet names, compliments on appearance, hearts."""
    return _content_rule(ctx, "affectionate_language")


def sexualised_language(ctx: Context) -> list[Candidate]:
    """Sexual terms, explicit-media notices and requests for images."""
    return _content_rule(ctx, "sexualised_language")


def secrecy_request(ctx: Context) -> list[Candidate]:
    """Asking to keep the contact secret, delete messages or not mention the number."""
    return _content_rule(ctx, "secrecy_request")
