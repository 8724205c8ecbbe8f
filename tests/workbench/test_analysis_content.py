"""The lexicon and the content rules: affectionate, sexualised and secrecy language."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder, markers, positions
from workbench.analysis import find_hits
from workbench.analysis.lexicon import CATEGORY_FILES, Lexicon
from workbench.store import Store


def hits(text: str) -> list[tuple[str, str]]:
    return [(h.category, h.term) for h in find_hits(text)]


@pytest.mark.parametrize("text", [
    "Please bring 2 x forms of ID", "Xbox", "tax return", "Merry Xmas", "x-ray", "5x5",
    "need 3 x", "x marks the spot", "Room 2 x", "max", "XXL jumper", "email x@y.com",
    "less than <30 mins", "ten x 2 = 20",
])
def test_lexicon_traps_are_not_kisses(text: str) -> None:
    assert hits(text) == []


@pytest.mark.parametrize(("text", "kiss"), [
    ("night babe xx", "xx"), ("See you soon x", "x"), ("See you soon X", "X"),
    ("Thanks x. See you Monday", "x"), ("ok xxx", "xxx"), ("xx thanks for today", "xx"),
    ("cheers x 😘", "x"), ("x", "x"),
])
def test_kisses_as_sign_offs(text: str, kiss: str) -> None:
    assert ("kiss", kiss) in hits(text)


def test_hits_record_the_words_and_where_they_are() -> None:
    text = "You looked gorgeous today babe ❤️ don’t tell anyone x"
    found = find_hits(text)
    assert [(h.category, h.term) for h in found] == [
        ("appearance", "gorgeous"), ("endearment", "babe"), ("emoji", "❤️"),
        ("secrecy", "don’t tell anyone"), ("kiss", "x")]
    for hit in found:
        assert text[hit.start:hit.end] == hit.term


def test_matching_is_whole_word_and_case_insensitive() -> None:
    assert hits("BABE") == [("endearment", "BABE")]
    assert hits("babel fish and Sussex") == []
    assert hits("Dont tell anyone") == [("secrecy", "Dont tell anyone")]
    assert hits("shagging") == [("sexual", "shagging")]  # "shag*" in the word list
    assert hits("love you <3") == [("endearment", "love you"), ("emoji", "<3")]


def test_every_category_has_an_editable_word_list() -> None:
    root = Path(__file__).resolve().parents[2] / "resources" / "lexicon"
    for name in CATEGORY_FILES.values():
        words = [line for line in (root / name).read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        assert words, name


def test_a_custom_lexicon_is_used_as_given() -> None:
    lexicon = Lexicon({"endearment": ["pet"], "secrecy": ["hush hush"]})
    assert [(h.category, h.term) for h in lexicon.find_hits("Hush  hush, pet")] == [
        ("secrecy", "Hush  hush"), ("endearment", "pet")]


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    return CaseBuilder(store, tmp_path)


def test_affectionate_language_episode_counts_sender_and_words(case: CaseBuilder) -> None:
    case.sms("2021-03-20 19:02", "night babe xx", line="personal")           # line 1
    case.sms("2021-03-21 19:02", "you looked gorgeous today", line="personal")  # line 2
    case.sms("2021-03-22 19:02", "aw thanks x", line="personal", outgoing=False)  # line 3
    case.sms("2021-03-23 19:02", "see you tomorrow", line="personal")        # line 4: no hit
    case.sms("2021-04-20 19:02", "miss you", line="personal")                # line 5: new episode
    document = case.analyse()
    first, second = markers(document, "affectionate_language")
    assert first["explanation"] == (
        "3 messages with kisses, endearments or pet names and compliments on appearance "
        "between the officer and Woman A between 20/03/2021 and 22/03/2021, 2 of them sent "
        "by the officer (\"babe\", \"xx\", \"gorgeous\", \"x\").")
    assert first["severity"] == "medium"
    assert positions(first) == ["line 1", "line 2", "line 3"]
    assert first["evidence"][0]["detail"] == ["endearment: babe", "kiss: xx"]
    assert second["severity"] == "low"  # one message is below the medium threshold
    assert positions(second) == ["line 5"]


def test_sexualised_language_from_the_officer_is_high(case: CaseBuilder) -> None:
    case.whatsapp("2021-03-25 23:40", "can't stop thinking about you in bed")
    case.whatsapp("2021-03-25 23:45", "send me a pic", outgoing=True)
    [marker] = markers(case.analyse(), "sexualised_language")
    assert marker["severity"] == "high"
    assert marker["explanation"] == (
        "2 messages with sexual terms and explicit-media notices or requests for images "
        "between the officer and Woman A on 25/03/2021, 2 of them sent by the officer "
        "(\"in bed\", \"send me a pic\").")


def test_sexualised_language_only_from_the_member_is_one_step_lower(case: CaseBuilder) -> None:
    case.whatsapp("2021-03-25 23:40", "feeling horny", outgoing=False)
    [marker] = markers(case.analyse(), "sexualised_language")
    assert marker["severity"] == "medium"
    assert "sent by Woman A" in marker["explanation"]


def test_secrecy_request(case: CaseBuilder) -> None:
    case.sms("2021-03-20 19:02", "best you don't mention you have my number", line="personal")
    case.sms("2021-03-20 19:05", "and delete these after", line="personal")
    [marker] = markers(case.analyse(), "secrecy_request")
    assert marker["severity"] == "high"
    assert marker["explanation"] == (
        "2 messages with requests for secrecy between the officer and Woman A on 20/03/2021, "
        "2 of them sent by the officer (\"best you don't mention\", \"delete these\").")
    assert marker["evidence"][1]["detail"] == ["secrecy: delete these"]


def test_wording_never_states_a_finding(case: CaseBuilder) -> None:
    case.whatsapp("2021-03-25 23:40", "delete these, you're so sexy babe xx")
    document = case.analyse()
    text = " ".join(m["explanation"] for m in document["markers"]).lower()
    text += " ".join(document["risk"]["factors"]).lower()
    for word in ("abuse", "guilty", "offence", "grooming", "predator", "proven"):
        assert word not in text
