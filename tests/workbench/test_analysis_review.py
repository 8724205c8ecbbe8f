"""Marker identity, reviews that survive re-analysis, the audit chain, JSON and the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.workbench.analysis_builder import REF, CaseBuilder, markers
from workbench import audit
from workbench.analysis import RULES, marker_document, review_marker, run_analysis
from workbench.analysis.risk import MarkerView, PersonView, summarise
from workbench.analysis.settings import load_settings
from workbench.cli import main
from workbench.errors import NotFound, WorkbenchError
from workbench.model import AuditEntry, Marker
from workbench.store import Store, open_store
from workbench.store.queries import find_case

RULE_IDS = {
    "channel_shift", "personal_channel_contact", "affectionate_language", "sexualised_language",
    "secrecy_request", "off_duty_contact", "unsocial_hours", "post_closure_contact",
    "no_duty_link", "frequency_escalation", "repeated_short_calls", "vehicle_dwell",
    "system_lookup", "multiple_members_of_public", "prior_intelligence", "complaint_cluster",
}


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    builder = CaseBuilder(store, tmp_path)
    builder.call("2021-03-01 10:30")
    builder.sms("2021-03-20 19:02", "night babe xx", line="personal")
    return builder


def test_the_rule_catalogue_has_the_sixteen_stable_ids() -> None:
    assert set(RULES) == RULE_IDS
    for info in RULES.values():
        assert info.title and len(info.description) > 60


def test_json_shape(case: CaseBuilder) -> None:
    document = case.analyse()
    assert set(document) >= {"case", "markers", "risk"}
    assert document["case"] == REF
    for marker in document["markers"]:
        assert {"rule", "severity", "start", "end", "subject", "member", "evidence",
                "explanation", "id", "status", "key"} <= set(marker)
        assert marker["rule"] in RULE_IDS and marker["severity"] in ("low", "medium", "high")
        assert marker["start"].endswith("Z") and marker["explanation"].endswith(".")
        for item in marker["evidence"]:
            assert {"event", "exhibit", "position"} <= set(item)
            assert item["exhibit"] == "T/1" and item["position"].startswith("line ")
    assert set(document["risk"]) == {"level", "factors", "style_indicators"}
    assert set(document["risk"]["style_indicators"]) == {"predatory", "exploratory"}


def test_review_survives_reanalysis_after_more_imports(case: CaseBuilder, store: Store) -> None:
    document = case.analyse()
    [shift] = markers(document, "channel_shift")
    review_marker(store, shift["id"], accept=False, reason="Officer explained the new phone",
                  by="DS Khan")
    case.sms("2021-03-25 19:02", "see you", line="personal")   # a later import
    case.commit()
    again = run_analysis(store, REF)
    [same] = markers(again.document, "channel_shift")
    assert (same["id"], same["key"]) == (shift["id"], shift["key"])
    assert same["status"] == "dismissed" and same["reviewed_by"] == "DS Khan"
    assert same["review_reason"] == "Officer explained the new phone"
    assert "1 further personal-channel contact follows" in same["explanation"]
    assert again.kept >= 1
    # Dismissed markers stay visible, and drop out of the risk summary with a note.
    assert any("dismissed by the investigator" in f for f in again.risk["factors"])
    with store.reader() as session:
        assert audit.verify(session, REF) == []
        actions = [e.action for e in session.scalars(
            select(AuditEntry).where(AuditEntry.case_ref == REF).order_by(AuditEntry.sequence))]
        review = session.scalars(select(AuditEntry).where(AuditEntry.action == "marker_review")).one()
    assert actions.count("analyse") == 2 and "marker_review" in actions
    details = json.loads(review.details)
    assert details["status"] == "dismissed" and details["reason"] == "Officer explained the new phone"


def test_markers_no_longer_found_are_kept_not_current(case: CaseBuilder, store: Store) -> None:
    case.analyse()
    with store.session() as session:
        case_row = find_case(session, REF)
        marker = session.scalars(select(Marker).where(
            Marker.case_id == case_row.id, Marker.rule == "affectionate_language")).one()
        marker_id = marker.id
    review_marker(store, marker_id, accept=True, reason="Relevant")
    with store.session() as session:
        from workbench.model import Event
        for event in session.scalars(select(Event).where(Event.text == "night babe xx")):
            event.text = "night"   # the words that made the marker are gone
    document = run_analysis(store, REF).document
    assert not markers(document, "affectionate_language")
    [gone] = [m for m in document["no_longer_found"] if m["id"] == marker_id]
    assert gone["current"] is False and gone["status"] == "accepted"


def test_review_needs_a_reason_and_a_real_marker(case: CaseBuilder, store: Store) -> None:
    [first, *_] = case.analyse()["markers"]
    with pytest.raises(WorkbenchError, match="needs a reason"):
        review_marker(store, first["id"], accept=True, reason="   ")
    with pytest.raises(NotFound, match="no marker with id 99999"):
        review_marker(store, 99999, accept=True, reason="x")


def test_marker_document_matches_run(case: CaseBuilder, store: Store) -> None:
    result = run_analysis(store, REF)
    with store.reader() as session:
        document = marker_document(session, find_case(session, REF))
    assert document["markers"] == result.document["markers"]


def test_exploratory_style_from_many_people() -> None:
    settings = load_settings()
    at = datetime(2021, 3, 1, tzinfo=UTC)
    people = {n: PersonView(n, f"Person {n}", "member_of_public", ()) for n in range(2, 6)}
    people[1] = PersonView(1, "Officer", "subject", ())
    views = [MarkerView("personal_channel_contact", "medium", at, at, 1, n, "open", "…")
             for n in range(2, 6)]
    risk = summarise(views, people, {}, settings)
    assert risk["style_indicators"]["exploratory"] == [
        "Similar low-level contact indicators with 4 members of the public (Person 2, "
        "Person 3, Person 4, Person 5); sexualised language with 0 of them."]
    assert risk["style_indicators"]["predatory"] == []
    assert risk["level"] == "medium"


# --- command line ------------------------------------------------------------------------


def cli_case(cli_env: Path, tmp_path: Path) -> CaseBuilder:
    store = open_store()
    builder = CaseBuilder(store, tmp_path)
    builder.call("2021-03-01 10:30")
    builder.sms("2021-03-20 19:02", "night babe xx", line="personal")
    builder.commit()
    return builder


def test_cli_analyse_json_and_review(cli_env: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    cli_case(cli_env, tmp_path)
    assert main(["analyse", REF, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    [shift] = markers(document, "channel_shift")
    assert shift["evidence"][0] == {"event": shift["evidence"][0]["event"], "exhibit": "T/1",
                                    "position": "line 1", "detail": shift["evidence"][0]["detail"]}
    assert main(["marker", "review", str(shift["id"]), "--accept", "--reason", "Corroborated"]) == 0
    assert "accepted" in capsys.readouterr().out
    assert main(["analyse", REF]) == 0
    table = capsys.readouterr().out
    assert "channel_shift" in table and "accepted" in table and "Risk summary: " in table
    assert "not findings" in table
    assert main(["audit", "verify", REF]) == 0


def test_cli_review_errors(cli_env: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    cli_case(cli_env, tmp_path)
    assert main(["marker", "review", "4242", "--dismiss", "--reason", "x"]) == 1
    assert "no marker with id 4242" in capsys.readouterr().err
    with pytest.raises(SystemExit) as missing:
        main(["marker", "review", "1", "--dismiss"])
    assert missing.value.code == 2
    assert main(["marker", "review", "1", "--dismiss", "--reason", " "]) == 2
    with pytest.raises(SystemExit) as both:
        main(["marker", "review", "1", "--dismiss", "--accept", "--reason", "x"])
    assert both.value.code == 2
    assert main(["analyse", "OP-NONE"]) == 1
    assert "no case 'OP-NONE'" in capsys.readouterr().err


def test_cancelled_analysis_stores_nothing(case: CaseBuilder, store: Store) -> None:
    from workbench.errors import Cancelled
    from workbench.tasks import CancelToken

    case.commit()
    token = CancelToken()
    seen: list[str] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(message)
        if fraction >= 0.5:
            token.cancel()

    with pytest.raises(Cancelled):
        run_analysis(store, REF, progress=progress, cancel=token)
    assert seen[:2] == ["Linking the same communication held by several exhibits",
                        "Reading the case's events"]
    with store.reader() as session:
        assert session.scalars(select(Marker)).first() is None
        assert [e.action for e in session.scalars(select(AuditEntry))] == ["case_create"]


def test_thresholds_file_problems_name_the_file_and_key(tmp_path: Path) -> None:
    broken = tmp_path / "rules.toml"
    broken.write_text("[unsocial_hours]\nstart_hour = 'late'\n", encoding="utf-8")
    settings = load_settings(broken)
    with pytest.raises(WorkbenchError, match=r"rules.toml: \[unsocial_hours\] start_hour: must be a number"):
        settings.number("unsocial_hours", "start_hour")
    with pytest.raises(WorkbenchError, match=r"rules.toml: \[severity\] channel_shift: missing"):
        settings.severity("channel_shift")
    broken.write_text("[unsocial_hours\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="rules.toml"):
        load_settings(broken)


def test_every_threshold_in_the_packaged_file_is_commented() -> None:
    text = (Path(__file__).resolve().parents[2] / "resources" / "rules.toml").read_text()
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#") and not line.startswith(" "):
            if line.split("=")[0].strip() in RULE_IDS:
                continue  # the [severity] table: one line per rule id, headed by a comment
            assert lines[number - 1].startswith("#") or lines[number - 1].startswith(" "), line
