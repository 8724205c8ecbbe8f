"""The language lexicon: kisses, endearments, compliments, hearts, sexual and secrecy terms.

The word lists are plain text files in ``resources/lexicon/`` (UK English), editable
without code changes. Matching is case-insensitive and whole-word: a text is split into
words (``don't``, ``don’t`` and ``dont`` are the same word) and phrases are looked up
word by word, so "tax", "Xbox" and "Xmas" never match "x". Hearts and emoticons are
matched as symbols. Kisses written as a run of x's are recognised by :func:`kiss_tokens`
with care: "2 x forms of ID", "x-ray" and "5x5" are not kisses.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Professional phrases read as a whole so that nothing inside them is marked.
ORDINARY = "ordinary"
# Category -> file in resources/lexicon/.
CATEGORY_FILES = {
    "kiss": "kisses.txt",
    "endearment": "endearments.txt",
    "appearance": "appearance.txt",
    "emoji": "emojis.txt",
    "sexual": "sexual.txt",
    "explicit_media": "explicit_media.txt",
    "secrecy": "secrecy.txt",
    ORDINARY: "ordinary.txt",
}
CATEGORY_WORDS = {
    "kiss": "kisses",
    "endearment": "endearments or pet names",
    "appearance": "compliments on appearance",
    "emoji": "hearts or kiss emojis",
    "sexual": "sexual terms",
    "explicit_media": "explicit-media notices or requests for images",
    "secrecy": "requests for secrecy",
}
# Which categories feed which rule.
RULE_CATEGORIES = {
    "affectionate_language": ("kiss", "endearment", "appearance", "emoji"),
    "sexualised_language": ("sexual", "explicit_media"),
    "secrecy_request": ("secrecy",),
}

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_KISS_RUN = re.compile(r"^(?:x{1,8}|(?:xo){1,4}x?)$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


@dataclass(frozen=True, slots=True)
class Hit:
    """One lexicon match: its category, the words as written, and where they are."""

    category: str
    term: str
    start: int
    end: int


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    wildcard: bool  # the last word may continue (kiss* matches kisses)
    category: str


def _is_symbol(term: str) -> bool:
    """Emoji and emoticons (``<3``, ``:*``): matched as characters, not as words."""
    return not any(ch.isalpha() for ch in term)


def _fold(word: str) -> str:
    return word.casefold().replace("'", "").replace("’", "")


class Lexicon:
    """Compiled word lists; :meth:`find_hits` scans one text."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        self.lists = lists
        # Recorded with each analysis run, so the word lists used can be shown later.
        self.digest = hashlib.sha256(
            "\n".join(f"{c}\t{t}" for c in sorted(lists) for t in lists[c]).encode("utf-8")
        ).hexdigest()
        self._by_first: dict[str, list[_Phrase]] = {}
        self._wild_first: list[tuple[str, _Phrase]] = []
        symbols: list[str] = []
        for category, terms in lists.items():
            for term in terms:
                words = [_fold(w) for w in _WORD.findall(term.rstrip("*"))]
                if _is_symbol(term):
                    symbols.append(term)
                    continue
                phrase = _Phrase(tuple(words), term.endswith("*"), category)
                if phrase.wildcard and len(words) == 1:
                    self._wild_first.append((words[0], phrase))
                else:
                    self._by_first.setdefault(words[0], []).append(phrase)
        for phrases in self._by_first.values():
            phrases.sort(key=lambda p: -len(p.words))  # the longest phrase wins
        self._symbol_category = {s: c for c, terms in lists.items() for s in terms
                                 if _is_symbol(s)}
        # "<3" followed by a digit is "less than 30", not a heart.
        alternatives = sorted(symbols, key=len, reverse=True)
        self._symbols = re.compile(
            "|".join(re.escape(s) + (r"(?!\d)" if s[-1].isdigit() else "") for s in alternatives)
        ) if alternatives else None

    def find_hits(self, text: str | None) -> list[Hit]:
        """Every lexicon match in ``text``, in order (the words as written, with offsets)."""
        if not text:
            return []
        return _cached_hits(self, text)

    def _scan(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        words = [_fold(text[a:b]) for a, b in spans]
        index = 0
        while index < len(words):
            matched = self._phrase_at(words, index)
            if matched is not None:
                phrase, length = matched
                start, end = spans[index][0], spans[index + length - 1][1]
                if phrase.category != ORDINARY:
                    hits.append(Hit(phrase.category, text[start:end], start, end))
                index += length
                continue
            if kiss_token(text, spans, words, index):
                start, end = spans[index]
                hits.append(Hit("kiss", text[start:end], start, end))
            index += 1
        if self._symbols is not None:
            for match in self._symbols.finditer(text):
                category = self._symbol_category[match.group()]
                hits.append(Hit(category, match.group(), match.start(), match.end()))
        hits.sort(key=lambda h: (h.start, h.end))
        return hits

    def _phrase_at(self, words: list[str], index: int) -> tuple[_Phrase, int] | None:
        word = words[index]
        for phrase in self._by_first.get(word, ()):
            size = len(phrase.words)
            window = words[index:index + size]
            if len(window) < size:
                continue
            if phrase.wildcard:
                if window[:-1] == list(phrase.words[:-1]) and window[-1].startswith(phrase.words[-1]):
                    return phrase, size
            elif tuple(window) == phrase.words:
                return phrase, size
        for prefix, phrase in self._wild_first:
            if word.startswith(prefix):
                return phrase, 1
        return None


def kiss_token(text: str, spans: list[tuple[int, int]], words: list[str], index: int) -> bool:
    """Whether word ``index`` is a kiss written as x's (``x``, ``xx``, ``X``, ``xox``).

    A run of two or more is a kiss wherever it stands; a single ``x`` only as a
    sign-off: nothing but punctuation, emoji or space after it on its line, or a
    full stop or exclamation mark ending its sentence. A run
    after a number ("2 x forms", "need 3 x") is a multiplication, never a kiss, and
    one joined to other characters ("x-ray", "x/y") is not a word on its own.
    """
    word = words[index]
    if not _KISS_RUN.match(word):
        return False
    start, end = spans[index]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before in "-/.@#&+=*" or after in "-/@#&+=*'’" or (after == "." and text[end + 1:end + 2].isalnum()):
        return False
    if index > 0 and _NUMBER.match(words[index - 1]) and not text[spans[index - 1][1]:start].strip():
        return False
    if len(word) >= 2:
        return True
    if after in ".!" and text[end + 1:end + 2] in ("", " ", "\n"):
        return True  # "Thanks x. See you Monday"
    rest_of_line = text[end:].split("\n", 1)[0]
    return _WORD.search(rest_of_line) is None


@lru_cache(maxsize=65_536)
def _cached_hits(lexicon: Lexicon, text: str) -> list[Hit]:
    # The same short texts ("ok", "night xx") recur thousands of times in a device.
    return lexicon._scan(text)


def _read_list(name: str) -> list[str]:
    raw = resources.files("resources").joinpath("lexicon", name).read_text(encoding="utf-8")
    terms = []
    for line in raw.splitlines():
        term = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if term:
            terms.append(term)
    return terms


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon from ``resources/lexicon/``."""
    return Lexicon({category: _read_list(name) for category, name in CATEGORY_FILES.items()})


def find_hits(text: str | None) -> list[Hit]:
    """The default lexicon's matches in ``text`` (for the UI to highlight)."""
    return default_lexicon().find_hits(text)
