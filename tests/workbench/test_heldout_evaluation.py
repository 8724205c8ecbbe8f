"""The held-out evaluation (#17 point 6): scenarios must raise their published markers,
controls must raise nothing but their allowed low notes. Run with ``-s`` for the table."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder
from tests.workbench.heldout_cases import HELD_OUT, HeldOut
from workbench.analysis import RULES
from workbench.store import open_store


def fired(case: HeldOut, folder: Path) -> list[tuple[str, str | None, str]]:
    store = open_store(f"sqlite:///{folder / 'case.db'}")
    try:
        builder = CaseBuilder(store, folder, concluded=case.concluded)
        case.build(builder)
        document = builder.analyse()
    finally:
        store.dispose()
    return [(m["rule"], m["member"], m["severity"]) for m in document["markers"]]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str | None, str]]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_EVIDENCE", str(tmp_path_factory.mktemp("heldout-evidence")))
        return {case.name: fired(case, tmp_path_factory.mktemp("heldout"))
                for case in HELD_OUT}


def false_positives(case: HeldOut, found: list[tuple[str, str | None, str]]) -> list[str]:
    """On a control: any marker but a low note of an allowed rule."""
    return [f"{rule} ({severity})" for rule, _, severity in found
            if not (severity == "low" and rule in case.allowed_notes)]


def test_per_rule_table(results) -> None:
    """Per rule: expected hits found, misses, other markers on scenarios, control results."""
    hits, misses, extra, wrong, notes = Counter(), Counter(), Counter(), Counter(), Counter()
    for case in HELD_OUT:
        found = results[case.name]
        pairs = {(rule, member) for rule, member, _ in found}
        if case.control:
            for rule, _, severity in found:
                (notes if severity == "low" and rule in case.allowed_notes else wrong)[rule] += 1
            continue
        for rule, member in case.expected:
            (hits if (rule, member) in pairs else misses)[rule] += 1
        for rule, _member in pairs - case.expected:
            extra[rule] += 1
    print("\nrule                        hits  misses  other-on-scenarios  control-FP  "
          "control-notes")
    for rule in RULES:
        print(f"{rule:<28}{hits[rule]:>4}{misses[rule]:>8}{extra[rule]:>20}{wrong[rule]:>12}"
              f"{notes[rule]:>15}")
    for case in HELD_OUT:
        kind = "control " if case.control else "scenario"
        print(f"{kind} {case.name}: {sorted(set(results[case.name]))}")
    assert sum(misses.values()) == 0 and sum(wrong.values()) == 0


@pytest.mark.parametrize("case", [c for c in HELD_OUT if not c.control], ids=lambda c: c.name)
def test_scenario_raises_its_published_markers(results, case: HeldOut) -> None:
    pairs = {(rule, member) for rule, member, _ in results[case.name]}
    assert case.expected <= pairs, f"missed: {sorted(case.expected - pairs)}"


@pytest.mark.parametrize("case", [c for c in HELD_OUT if c.control], ids=lambda c: c.name)
def test_control_raises_no_false_positive(results, case: HeldOut) -> None:
    assert false_positives(case, results[case.name]) == []


def test_overtime_control_notes_what_the_roster_says(results) -> None:
    """The overtime control is not silent: off duty by the roster is worth a low note."""
    rules = {rule for rule, _, severity in results["overtime off the roster (control)"]
             if severity == "low"}
    assert rules == {"off_duty_contact", "system_lookup"}


@pytest.mark.parametrize("text, categories", [
    ("Thinking of you all today", []),
    ("Thinking of you babe", ["endearment", "endearment"]),
    ("Referred to the sexual assault referral centre", []),
    ("feeling sexual tonight", ["sexual"]),
    ("Are the kids in bed? I'll ring at 9", []),
    ("come to bed with you", ["sexual"]),
    ("Please delete this voicemail", []),
    ("delete this after you read it", ["secrecy"]),
])
def test_ordinary_professional_phrases_are_read_whole(text: str, categories: list[str]) -> None:
    from workbench.analysis.lexicon import default_lexicon

    assert [hit.category for hit in default_lexicon().find_hits(text)] == categories
