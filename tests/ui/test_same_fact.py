"""One fact, one answer: the timeline, the chart, discovery, the rules, the bundle and the app
agree on each event, and name, colour and date it the same way.

Qt-free, but here for the OP-WILLOW case of ``tests/ui/conftest.py``: the subject
is rostered 07:00-17:00 with rest days; a colleague's rest day overlaps one of
the subject's shifts, which once made the subject's call "off duty" in
discovery and the chart while the timeline showed him on duty.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import select

from graphs.style import SEVERITY_STYLES, severity_colour, severity_style
from tests.ui.conftest import at
from ui import formatting, theme
from ui.case_context import CaseContext
from ui.details_panel import DetailsPanel
from ui.timeline import axis
from workbench import audit
from workbench.analysis import run_analysis
from workbench.anonymise import Anonymiser
from workbench.bundle.chronology import event_summary
from workbench.bundle.gather import gather
from workbench.bundle.sections.charts import MARKER
from workbench.casegraph import build_case_graph, off_duty_mask
from workbench.discover import discover
from workbench.duty import OFF_DUTY, ON_DUTY
from workbench.facts import night_mask
from workbench.model import DutyShift, Event, Exhibit, Marker
from workbench.model.vocab import SEVERITIES
from workbench.store.queries import find_case
from workbench.timeline import load_timeline
from workbench.timeutil import format_duration, zone
from workbench.vocabulary import severity_label

ON_SHIFT = at(22, 12)  # the unattributed number calls his personal phone, mid-shift
OFF_SHIFT_NIGHT = at(20, 23, 40)  # his personal phone calls her, on his rest day, at night


def _colleague_rest_day(store, ref):  # type: ignore[no-untyped-def]
    with store.session() as session:
        case = find_case(session, ref)
        session.add(DutyShift(case_id=case.id, person_id=case.person("colleague").id,
                              start=at(22, 0), end=at(22, 0) + timedelta(days=1), on_duty=False,
                              duty_type="rest day"))


def _event_id(session, case, when) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(select(Event.id).where(Event.case_id == case.id,
                                                  Event.occurred_at == when)).one()


def test_on_and_off_duty_is_the_subjects_and_the_same_everywhere(case_store):
    store, ref = case_store
    _colleague_rest_day(store, ref)
    run_analysis(store, ref)
    times = np.array([int(ON_SHIFT.timestamp()), int(OFF_SHIFT_NIGHT.timestamp())])
    with store.reader() as session:
        case = find_case(session, ref)
        timeline = load_timeline(session, case, Anonymiser(case, False))
        # the timeline's duty row, the chart's and discovery's off-duty mask
        assert timeline.duty_at(times).tolist() == [ON_DUTY, OFF_DUTY]
        assert off_duty_mask(session, case, times).tolist() == [False, True]
        graph = build_case_graph(session, case, max_unresolved=None)
        on_id, off_id = _event_id(session, case, ON_SHIFT), _event_id(session, case, OFF_SHIFT_NIGHT)
        edges = {eid: data for _a, _b, data in graph.edges(data=True) for eid in data.get("event_ids", [])}
        assert edges[on_id]["off_duty"] == 0 and edges[off_id]["off_duty"] >= 1
        # discovery: the unattributed number only called while he was on duty
        leads = discover(session, case)
        stranger = next(c for c in leads if "900999" in c.value)
        assert not any("off duty" in reason for reason in stranger.reasons)
        # the rules: off_duty_contact names the rest-day call and never the mid-shift one
        markers = session.scalars(select(Marker).where(Marker.case_id == case.id,
                                                       Marker.current.is_(True))).all()
        off_duty_evidence = {e.event_id for m in markers if m.rule == "off_duty_contact"
                             for e in m.evidence}
        assert off_id in off_duty_evidence and on_id not in off_duty_evidence


def test_night_is_the_same_everywhere(case_store):
    store, ref = case_store
    run_analysis(store, ref)
    tz = zone("Europe/London")
    times = np.array([int(ON_SHIFT.timestamp()), int(OFF_SHIFT_NIGHT.timestamp())])
    assert night_mask(times, tz).tolist() == [False, True]
    shaded = axis.nights(times[1] - 3600, times[1] + 3600, tz)
    assert any(a <= times[1] <= b for a, b in shaded)  # the timeline shades it as night
    assert not any(a <= times[0] <= b for a, b in axis.nights(times[0] - 3600, times[0] + 3600, tz))
    with store.reader() as session:
        case = find_case(session, ref)
        graph = build_case_graph(session, case, max_unresolved=None)
        off_id = _event_id(session, case, OFF_SHIFT_NIGHT)
        edge = next(d for _a, _b, d in graph.edges(data=True) if off_id in d.get("event_ids", []))
        assert edge["night"] >= 1
        unsocial = {e.event_id for m in session.scalars(select(Marker).where(
            Marker.case_id == case.id, Marker.current.is_(True), Marker.rule == "unsocial_hours"))
            for e in m.evidence}
        assert off_id in unsocial


MESSENGER_AT = at(23, 20, 5)  # a Messenger message from his account to hers


def _add_messenger_message(store, ref) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        case = find_case(session, ref)
        accounts = {(i.person.key if i.person else None): i.id for i in case.identifiers
                    if i.kind == "facebook"}
        exhibit = session.scalars(select(Exhibit).where(Exhibit.case_id == case.id)).first()
        session.add(Event(case_id=case.id, exhibit_id=exhibit.id, source_position="line 99",
                          occurred_at=MESSENGER_AT, kind="message", channel="facebook_messenger",
                          direction="outgoing", from_id=accounts["pcso"],
                          to_id=accounts["woman_a"], text="Are you free Saturday?"))
        session.flush()
        audit.append(session, case, "test_fixture", {"added": "a Messenger message"})


def test_labels_colours_and_times_read_the_same_in_timeline_chart_bundle_and_app(qtbot, case_store):
    """The same channel, severity and time, shown by the timeline, the chart, the bundle and
    the app, read the same (once "Facebook Messenger" in one and "Messenger" in another)."""
    store, ref = case_store
    _add_messenger_message(store, ref)
    context = CaseContext(store, ref)
    details = DetailsPanel(context)
    qtbot.addWidget(details)
    tz = zone("Europe/London")
    with store.reader() as session:
        case = find_case(session, ref)
        event_id = _event_id(session, case, MESSENGER_AT)
        content = gather(session, case, "internal", anonymise=False)
        graph = build_case_graph(session, case, max_unresolved=None)
    # the channel's label
    timeline = context.timeline
    lane = timeline.lanes[int(timeline.lane[timeline.position_of(event_id)])]
    bundle_row = next(row for row in content.chronology if "Are you free" in row[3])
    chart_link = next(d for _a, _b, d in graph.edges(data=True) if event_id in d.get("event_ids", []))
    context.select_event(event_id)
    assert lane.channel == bundle_row[2] == formatting.sentence(chart_link["channel"])
    assert lane.channel == "Messenger"
    assert "Channel\nMessenger\n" in details.text()  # the details panel
    # the time as the bundle's chronology (zone in the heading) and the app print it
    assert bundle_row[0] + " GMT" == formatting.moment(MESSENGER_AT, tz) == "23/03/2021 20:05 GMT"
    # a duration as the bundle and the app print it
    assert format_duration(120.0) == formatting.duration(120.0) == "2 min 00 s"
    assert "2 min 00 s" in event_summary("call", None, None, 120.0, None, Anonymiser(case, False))
    # each severity's colour and label: chart, bundle, marker table, theme, presentation
    for severity in SEVERITIES:
        colour = severity_style(severity).colour.lower()
        assert MARKER[severity].hexval().lower().replace("0x", "#") == colour  # bundle chart
        assert theme.THEMES["light"][severity].lower() == colour  # timeline, marker table
        assert theme.THEMES["dark"][severity] == severity_colour(severity, dark=True)
        assert severity_label(severity) == SEVERITY_STYLES[severity].label  # legend, table
    high = next(m for m in content.markers if m.severity == "high")
    assert high.period.startswith(formatting.moment(at(20, 19, 2), tz))
