"""A small case for the bundle tests: real exhibit files, events, markers, intel, case work.

Message texts deliberately mention the member of the public by full name, first
name, surname and phone number in several formats, so the leak test can prove
the anonymised bundle hides them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from workbench import audit, casefile
from workbench.evidence.exhibits import record_continuity
from workbench.model import (
    Complaint,
    Decision,
    DutyShift,
    Event,
    Exhibit,
    Identifier,
    IntelReport,
    LineOfEnquiry,
    Marker,
    MarkerEvidence,
)
from workbench.store import Store
from workbench.store.queries import find_case

DATA = Path(__file__).resolve().parents[1] / "data"
REF = "OP-WILLOW"
# Every string that would identify a protected person in the willow case.
IDENTIFYING = [
    "Kerry Lowe", "Kerry", "Lowe", "Priya Shah", "Priya", "Shah", "NICHE-PER-448812",
    "PC 2210", "53.8008", "-1.5491",
]
IDENTIFYING_NUMBERS = ["7700900201", "7700900301"]  # digits of their phones, any format
SAFE_TEXT_SAMPLES = ["<b>not bold</b>", "fish &amp; chips", "<font color='red'>x</font>",
                     "שלום עליכם", "مرحبا بك"]
RESTRICTED_URN = "INT-C-0002"
CONDITIONS = "Not to be disclosed outside PSD without originator consent"


def _exhibit(session, store: Store, case, tmp: Path, reference: str, name: str, body: str,
             kind: str, records: int) -> Exhibit:
    path = tmp / name
    path.write_text(body, encoding="utf-8")
    stored = store.files.put(path)
    exhibit = Exhibit(case_id=case.id, reference=reference, description=f"{kind} export",
                      producer="DC Jane Brown", file_name=name, sha256=stored.sha256,
                      size=stored.size, kind=kind, record_count=records)
    session.add(exhibit)
    record_continuity(exhibit, "received", f"from the device examination unit as {name}",
                      by="DC Jane Brown")
    session.flush()
    return exhibit


def build_case(store: Store, tmp: Path, *, extra_messages: int = 0) -> str:
    """Create the willow case with evidence; returns its reference."""
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    with store.session() as session:
        case = find_case(session, REF)
        idents = {(i.kind, i.value): i for i in session.query(Identifier).filter_by(case_id=case.id)}
        work = idents[("phone", "+447700900101")]
        personal = idents[("phone", "+447700900102")]
        kerry = idents[("phone", "+447700900201")]
        colleague = idents[("phone", "+447700900301")]
        unknown = Identifier(case_id=case.id, kind="phone", value="+447700900999",
                             display="07700 900999")
        session.add(unknown)
        session.flush()
        billing = _exhibit(session, store, case, tmp, "JB/1", "kerry_lowe_billing.csv",
                           "a,b\n1,2\n", "cdr", 6)
        chat = _exhibit(session, store, case, tmp, "JB/2", "Kerry Lowe WhatsApp.txt",
                        "chat\n", "whatsapp", 8)
        intel_file = _exhibit(session, store, case, tmp, "JB/3", "intel.csv", "urn\n", "intel", 2)
        unused = _exhibit(session, store, case, tmp, "JB/4", "colleague_statement.txt",
                          "statement\n", "note", 0)
        start = datetime(2021, 3, 1, 10, 30, tzinfo=UTC)
        texts = [
            (work, kerry, "work_mobile", "sms", "Hi Kerry, PCSO Marsh here about the report."),
            (kerry, work, "work_mobile", "sms", "Thanks. It's Kerry Lowe, my number is 07700 900201"),
            (personal, kerry, "personal_mobile", "sms", "This is my own number x best you don't "
             "mention it. Ms LOWE you looked lovely today xx"),
            (kerry, personal, "whatsapp", "message", "Call me on +44 7700 900201 or 07700900201"),
            (personal, kerry, "whatsapp", "message", SAFE_TEXT_SAMPLES[0] + " " + SAFE_TEXT_SAMPLES[1]),
            (personal, kerry, "whatsapp", "message", SAFE_TEXT_SAMPLES[2]),
            (kerry, personal, "whatsapp", "message", SAFE_TEXT_SAMPLES[3] + " / " + SAFE_TEXT_SAMPLES[4]),
            (personal, colleague, "personal_mobile", "sms", "Priya, cover for me? 😘"),
            (personal, unknown, "personal_mobile", "call", None),
        ]
        events = []
        for number, (sender, recipient, channel, kind, text) in enumerate(texts):
            exhibit = chat if channel == "whatsapp" else billing
            # One position inside a download zip, whose folder names Kerry run together.
            position = (f"line {number + 2}" if number != 3 else
                        "messages/inbox/kerrylowe_4821/message_1.json messages[3]")
            event = Event(case_id=case.id, exhibit_id=exhibit.id, source_position=position,
                          occurred_at=start + timedelta(days=number, hours=number), kind=kind,
                          channel=channel, direction="outgoing" if sender in (work, personal) else "incoming",
                          from_id=sender.id, to_id=recipient.id, text=text,
                          duration_s=4.0 if kind == "call" else None, lat=53.8008, lon=-1.5491)
            session.add(event)
            events.append(event)
        lookup = Event(case_id=case.id, exhibit_id=billing.id, source_position="record 7",
                       occurred_at=start + timedelta(days=12), kind="system_lookup",
                       channel="police_system", direction="outgoing",
                       text="Searched NICHE-PER-448812 (Lowe, Kerry)")
        session.add(lookup)
        for number in range(extra_messages):
            session.add(Event(case_id=case.id, exhibit_id=chat.id, source_position=f"line {100 + number}",
                              occurred_at=start + timedelta(days=20, minutes=37 * number),
                              kind="message", channel="whatsapp", direction="outgoing",
                              from_id=personal.id, to_id=kerry.id,
                              text=f"Message {number} to Kerry about the weekend " * (1 + number % 4)))
        session.add(DutyShift(case_id=case.id, person_id=case.person("pcso").id,
                              start=start + timedelta(days=2), end=start + timedelta(days=3),
                              on_duty=False, duty_type="rest day"))
        session.flush()
        session.add_all([
            IntelReport(case_id=case.id, urn="INT-P-0001", submitted=date(2020, 6, 1),
                        scheme="3x5x2", source_grade="2", intelligence_grade="B",
                        handling_code="P", text="Subject seen with Kerry Lowe off duty.",
                        subject_id=case.person("pcso").id, exhibit_id=intel_file.id,
                        source_position="line 2"),
            IntelReport(case_id=case.id, urn=RESTRICTED_URN, submitted=date(2020, 9, 1),
                        scheme="3x5x2", source_grade="1", intelligence_grade="A",
                        handling_code="C", conditions=CONDITIONS,
                        text="RESTRICTED-INTEL-TEXT about the subject.",
                        subject_id=case.person("pcso").id, exhibit_id=intel_file.id,
                        source_position="line 3"),
            IntelReport(case_id=case.id, urn="INT-5-0003", submitted=date(2019, 1, 5),
                        scheme="5x5x5", source_grade="B", intelligence_grade="2",
                        handling_code="1", conditions="Only with the SIO's agreement",
                        text="CONDITIONED-LEGACY-TEXT.", subject_id=case.person("pcso").id),
            Complaint(case_id=case.id, reference="CO/123/20", received=date(2020, 2, 2),
                      subject_id=case.person("pcso").id, category="Incivility",
                      outcome="Local resolution"),
            Decision(case_id=case.id, sequence=1, decided_at=start, decision_maker="DI Green",
                     recorder="DC Jane Brown", ndm_element="gather_information",
                     decision="Obtain billing for both phones", rationale="Establish contact",
                     options_rejected="None"),
            LineOfEnquiry(case_id=case.id, key="billing", title="Billing on work and personal "
                          "devices", status="complete", owner="DC Jane Brown",
                          closed_by="exhibit JB/1"),
        ])
        session.flush()
        restricted = session.query(IntelReport).filter_by(urn=RESTRICTED_URN).one()
        markers = [
            ("channel_shift", "high", "accepted", [events[2]], None,
             "Contact with Kerry moved from the work phone to the personal phone 07700 900102."),
            ("secrecy_request", "high", "open", [events[2]], None,
             "Asked Kerry Lowe not to mention the number."),
            ("affectionate_language", "medium", "dismissed", [events[2]], None,
             "Kisses and a compliment on appearance."),
            ("prior_intelligence", "medium", "accepted", [], restricted, "Earlier intelligence."),
        ]
        for rule, severity, status, evidence, intel, explanation in markers:
            marker = Marker(case_id=case.id, key=f"{rule}-1", rule=rule, severity=severity,
                            start=start, end=start + timedelta(days=2),
                            subject_id=case.person("pcso").id, member_id=case.person("woman_a").id,
                            explanation=explanation, status=status,
                            reviewed_by="DS Black" if status != "open" else None,
                            reviewed_at=start + timedelta(days=40) if status != "open" else None,
                            review_reason=f"Reviewed {status}" if status != "open" else None)
            marker.evidence = [MarkerEvidence(event_id=e.id, detail=["xx", "lovely"]) for e in evidence]
            if intel is not None:
                marker.evidence.append(MarkerEvidence(intel_id=intel.id, detail=[]))
            session.add(marker)
        _ = unused
        session.flush()  # built by hand, as the application would record it: one audited change
        audit.append(session, case, "test_fixture", {"built": "bundle case"})
    return REF
