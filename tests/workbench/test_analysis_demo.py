"""The analysis on the demo case: every rule finds what the demo was built to show, and no more."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench import audit
from workbench.analysis import RULES, run_analysis
from workbench.store import open_store

demo = pytest.importorskip("workbench.demo")


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root: Path = tmp_path_factory.mktemp("analysis-demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_EVIDENCE", str(root / "evidence"))
        store = open_store(f"sqlite:///{root / 'demo.db'}")
        demo.build_demo_case(store)
        result = run_analysis(store, demo.DEMO_REF)
        with store.reader() as session:
            assert audit.verify(session, demo.DEMO_REF) == []
        yield result.document
        store.dispose()


def members_for(document: dict[str, Any], rule: str) -> set[str | None]:
    return {m["member"] for m in document["markers"] if m["rule"] == rule}


def test_every_rule_fires_on_the_demo(document: dict[str, Any]) -> None:
    assert {m["rule"] for m in document["markers"]} == set(RULES)


def test_every_marker_is_traceable_and_explained(document: dict[str, Any]) -> None:
    for marker in document["markers"]:
        assert marker["explanation"].endswith(".")
        assert marker["evidence"], marker["rule"]
        for item in marker["evidence"]:
            assert item["exhibit"] and item["position"], (marker["rule"], item)


def test_markers_concern_the_people_the_demo_was_built_around(document: dict[str, Any]) -> None:
    assert members_for(document, "channel_shift") == {"woman_a"}
    assert members_for(document, "sexualised_language") == {"woman_a"}
    assert members_for(document, "frequency_escalation") == {"woman_a"}  # not steady Woman B
    assert members_for(document, "repeated_short_calls") == {"woman_a"}
    assert members_for(document, "personal_channel_contact") == {"woman_b", "woman_c"}
    assert members_for(document, "no_duty_link") == {"woman_c"}
    assert members_for(document, "prior_intelligence") == {None}
    everyone = {m["member"] for m in document["markers"]}
    assert "man_d" not in everyone  # ordinary work contact only


def test_short_calls_match_the_published_example(document: dict[str, Any]) -> None:
    [marker] = [m for m in document["markers"] if m["rule"] == "repeated_short_calls"]
    assert marker["explanation"].startswith("38 calls between the officer and Woman A")
    assert "30 of them under 5 seconds or unanswered" in marker["explanation"]


def test_the_unknown_number_is_named_as_a_possible_further_member(document: dict[str, Any]) -> None:
    [marker] = [m for m in document["markers"] if m["rule"] == "multiple_members_of_public"]
    assert "07700 900418" in marker["explanation"]
    assert "07700 900010" not in marker["explanation"]  # his mother, called by day


def test_demo_risk_summary(document: dict[str, Any]) -> None:
    risk = document["risk"]
    assert risk["level"] == "high"
    assert risk["style_indicators"]["exploratory"]
