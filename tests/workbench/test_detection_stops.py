"""#17 point 1: vehicle stops are built from what was observed; a gap is never a stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workbench.ingest.records import EventRecord, Party
from workbench.ingest.stops import StopFinder, StopRules
from workbench.timeutil import zone

VEHICLE = Party("vehicle", "YX21ABC")
HOME = (53.8008, -1.5491)


def fix(when: datetime, lat: float = HOME[0], lon: float = HOME[1]) -> EventRecord:
    return EventRecord(position=f"line {when:%H%M%S}", occurred_at=when,
                       kind="vehicle_position", sender=VEHICLE, lat=lat, lon=lon)


def stops_of(fixes: list[EventRecord]) -> list[EventRecord]:
    finder = StopFinder(StopRules(radius_m=50, min_minutes=5, max_gap_minutes=5),
                        tz=zone("Europe/London"))
    found = [stop for f in fixes if (stop := finder.add(f)) is not None]
    return found + finder.finish()


def test_overnight_gap_is_not_a_stop() -> None:
    """The demo's 407-hour "stop": a few fixes either side of a gap in the data."""
    evening = datetime(2021, 6, 20, 17, 55, tzinfo=UTC)   # 18:55 BST
    morning = evening + timedelta(hours=407, minutes=17)
    fixes = [fix(evening + timedelta(minutes=n)) for n in range(0, 8)]   # 7 minutes parked
    fixes += [fix(morning + timedelta(minutes=n)) for n in range(0, 4)]  # 3 minutes parked
    stops = stops_of(fixes)
    assert len(stops) == 1  # the morning's 3 minutes are shorter than a stop
    (stop,) = stops
    assert stop.duration_s == 7 * 60  # first to last fix, never across the gap
    assert "8 fixes" in stop.text
    assert "no fixes from 20/06/2021 19:02 to 07/07/2021 18:12" in stop.text


def test_stop_names_the_gap_before_and_after_it() -> None:
    start = datetime(2021, 6, 21, 6, 0, tzinfo=UTC)
    fixes = [fix(start, 53.9, -1.6)]  # last fix before the gap, elsewhere
    parked = start + timedelta(hours=1, minutes=40)  # 08:40 BST
    fixes += [fix(parked + timedelta(minutes=n)) for n in range(0, 21, 2)]
    fixes += [fix(parked + timedelta(hours=2), 53.9, -1.6)]
    (stop,) = stops_of(fixes)
    assert stop.duration_s == 20 * 60
    assert stop.occurred_at == parked
    assert "11 fixes" in stop.text
    assert "no fixes from 07:00 to 08:40" in stop.text
    assert "no fixes from 09:00 to 10:40" in stop.text


def test_continuous_stop_has_no_gap_text() -> None:
    start = datetime(2021, 6, 21, 12, 0, tzinfo=UTC)
    fixes = [fix(start + timedelta(seconds=30 * n)) for n in range(0, 41)]
    fixes.append(fix(start + timedelta(minutes=21), 53.9, -1.6))
    (stop,) = stops_of(fixes)
    assert stop.duration_s == 20 * 60 and "no fixes" not in stop.text
