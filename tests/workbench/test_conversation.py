"""The conversation around a record, and the records behind a marker."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.workbench.case_builder import add_events
from workbench.conversation import case_conversation, case_marker_records
from workbench.model import Complaint, IntelReport, Marker, MarkerEvidence
from workbench.store.queries import find_case

START = datetime(2021, 3, 10, 9, tzinfo=UTC)
WORK, PERSONAL, HERS = ("phone", "07700 900101"), ("phone", "07700900102"), ("phone", "07700 900201")


def _chat(willow):
    # 30 texts with Kerry, alternating work and personal phone; one with a colleague between.
    events = [{"at": START + timedelta(hours=n), "sender": WORK if n % 2 else PERSONAL,
               "recipient": HERS, "text": f"message {n} Kerry"} for n in range(30)]
    events.insert(15, {"at": START + timedelta(hours=14, minutes=30), "sender": WORK,
                       "recipient": ("phone", "07700 900301"), "text": "colleague"})
    return add_events(willow, "OP-WILLOW", events)


def test_ten_either_side_between_the_same_people_across_phones(willow):
    ids = _chat(willow)
    middle = ids[20]  # message 19
    lines = case_conversation(willow, "OP-WILLOW", middle)
    assert len(lines) == 21
    assert [line.current for line in lines].index(True) == 10
    assert lines[10].record_id == middle
    assert "colleague" not in " ".join(line.text for line in lines)
    assert {line.summary.split(" · ")[1] for line in lines} == {"work phone", "personal phone"}
    assert lines[0].source.startswith("T/1 line")
    first = case_conversation(willow, "OP-WILLOW", ids[0])
    assert first[0].current and len(first) == 11


def test_anonymised_conversation_redacts_names(willow):
    ids = _chat(willow)
    lines = case_conversation(willow, "OP-WILLOW", ids[3], anonymise=True)
    assert all("Kerry" not in line.text for line in lines)
    assert "[Woman A]" in lines[0].text


def test_marker_records_include_intelligence_and_complaints(willow):
    ids = _chat(willow)
    with willow.session() as session:
        case = find_case(session, "OP-WILLOW")
        report = IntelReport(case_id=case.id, urn="INT-1", submitted=date(2019, 5, 1),
                             source_grade="2", intelligence_grade="B", handling_code="P",
                             text="Officer seen with Kerry Lowe")
        complaint = Complaint(case_id=case.id, reference="CO/1", received=date(2020, 1, 2),
                              category="Rudeness", outcome="Upheld")
        session.add_all([report, complaint])
        session.flush()
        marker = Marker(case_id=case.id, key="k", rule="prior_intelligence", severity="medium",
                        start=START, end=START, explanation="Earlier reports.")
        marker.evidence = [MarkerEvidence(intel_id=report.id), MarkerEvidence(complaint_id=complaint.id),
                           MarkerEvidence(event_id=ids[0])]
        session.add(marker)
        session.flush()
        marker_id = marker.id
    lines, total = case_marker_records(willow, "OP-WILLOW", marker_id, anonymise=True)
    assert [line.kind for line in lines] == ["intel", "complaint", "event"] and total == 3
    assert lines[0].summary == "Intelligence INT-1 · graded 2/B/P (3x5x2)"
    assert "Kerry" not in lines[0].text and lines[1].summary == "Complaint CO/1 · Upheld"


def test_marker_records_are_listed_up_to_a_limit_with_the_total(willow):
    ids = _chat(willow)
    with willow.session() as session:
        case = find_case(session, "OP-WILLOW")
        marker = Marker(case_id=case.id, key="k2", rule="unsocial_hours", severity="low",
                        start=START, end=START, explanation="Late contact.")
        marker.evidence = [MarkerEvidence(event_id=i) for i in ids]
        session.add(marker)
        session.flush()
        marker_id = marker.id
    lines, total = case_marker_records(willow, "OP-WILLOW", marker_id, limit=2)
    assert total == len(ids) > 2
    assert [line.record_id for line in lines] == ids[:2]  # the rule's order, first ones first


def test_marker_spans_are_the_current_markers_with_every_record_counted(willow):
    from workbench.timeline import load_marker_spans

    ids = _chat(willow)
    with willow.session() as session:
        case = find_case(session, "OP-WILLOW")
        report = IntelReport(case_id=case.id, urn="INT-2", submitted=date(2019, 5, 1),
                             source_grade="2", intelligence_grade="B", handling_code="P", text="x")
        session.add(report)
        session.flush()
        current = Marker(case_id=case.id, key="now", rule="prior_intelligence", severity="medium",
                         start=START, end=START, explanation="Earlier reports.")
        current.evidence = [MarkerEvidence(event_id=ids[1]), MarkerEvidence(intel_id=report.id),
                            MarkerEvidence(event_id=ids[0])]
        old = Marker(case_id=case.id, key="then", rule="unsocial_hours", severity="low",
                     start=START, end=START, explanation="An earlier analysis.", current=False)
        old.evidence = [MarkerEvidence(event_id=i) for i in ids]
        session.add_all([current, old])
        session.flush()
        spans = load_marker_spans(session, case)
    assert [(s.rule, s.evidence, s.records) for s in spans] == [
        ("prior_intelligence", (ids[1], ids[0]), 3)]  # the rule's order; the report counted
