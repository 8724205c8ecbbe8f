"""Vehicle telematics (kind ``telematics``): AVL/MDT GPS CSV exports and GPX tracks.

Every fix becomes a ``vehicle_position`` event (channel ``telematics``, sender
the vehicle); runs of stationary fixes also become one ``vehicle_stop`` event
each (see :mod:`workbench.ingest.stops`). Speed, ignition and call sign are kept
in the event's text.

GPX decisions:

* GPX times are UTC by the GPX standard, so a time without an offset is read
  as UTC, not as ``--tz`` local time.
* A GPX file names no vehicle. With ``--owner PERSON[:REG]`` the fixes are the
  owner's vehicle; without it they are attributed to a vehicle named after the
  file, with a warning, and can be assigned to a person later.
* Track points and timed waypoints are imported. A route (``<rte>``) is a
  planned path with no times: it is not a record of where a vehicle was, so its
  points are skipped, and a file with no timed points at all is refused.
* Fixes dated before 1990 (a device whose clock was never set) are imported as
  written, with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from workbench.errors import ImportRefused
from workbench.ingest import registry
from workbench.ingest.records import EventRecord, ParseOptions, Party, SourceFile
from workbench.ingest.safexml import BoundedStream
from workbench.ingest.stops import StopFinder
from workbench.ingest.tabular import (
    Field,
    Layout,
    Table,
    open_table,
    read_number,
    sniff_fields,
)
from workbench.ingest.text import head_text
from workbench.ingest.timeparse import TimeParser

LAYOUT = Layout("vehicle telematics", [
    Field("timestamp", (
        "date time", "datetime", "date/time", "time stamp", "gps time", "fix time",
        "position time", "event time", "recorded", "recorded at", "utc time", "device time",
    )),
    Field("date", ("gps date", "fix date", "event date")),
    Field("time", ("gps time of day", "fix time of day")),
    Field("vehicle", (
        "registration", "vrm", "reg", "registration number", "vehicle registration",
        "vehicle reg", "fleet number", "fleet no", "unit", "unit id", "vehicle id", "asset",
        "asset id", "vehicle name",
    )),
    Field("lat", ("latitude", "gps latitude", "gps lat", "lat deg", "latitude deg")),
    Field("lon", ("longitude", "gps longitude", "gps lon", "lng", "long", "lon deg",
                  "longitude deg")),
    Field("speed", ("speed mph", "speed kmh", "speed km h", "speed kph", "velocity",
                    "gps speed")),
    Field("ignition", ("ignition status", "ign", "engine", "ignition on off", "engine status")),
    Field("call_sign", ("call sign", "callsign", "call signs", "radio call sign"),
          label="call sign"),
])
EARLY_FIX_YEAR = 1990


def sniff(name: str, head: bytes) -> float:
    text = head_text(head[:4096]).lstrip()
    if name.lower().endswith(".gpx") or (text.startswith("<") and "<gpx" in text[:2000]):
        return 0.95 if "<gpx" in text[:2000] else 0.0
    found = sniff_fields(head, LAYOUT)
    has_time = bool(found & {"timestamp", "date"})
    return 0.9 if has_time and {"lat", "lon", "vehicle"} <= found else 0.0


def parse(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    with open(source.path, "rb") as handle:
        head = handle.read(4096)
    text = head_text(head).lstrip()
    if text.startswith("<"):
        positions = _gpx_positions(source, options)
    else:
        positions = _csv_positions(open_table(source, options, LAYOUT), options)
    yield from _with_stops(positions, options)


def _with_stops(positions: Iterator[EventRecord], options: ParseOptions) -> Iterator[EventRecord]:
    finder = StopFinder(tz=options.tz)
    early = 0
    for position in positions:
        early += position.occurred_at.year < EARLY_FIX_YEAR
        yield position
        stop = finder.add(position)
        if stop is not None:
            yield stop
    yield from finder.finish()
    if early:
        options.warn("", f"{early} fix(es) dated before {EARLY_FIX_YEAR}: the device clock was "
                         "probably not set; times kept as written")


# -- CSV -----------------------------------------------------------------------------------------

def _csv_positions(table: Table, options: ParseOptions) -> Iterator[EventRecord]:
    columns = table.columns
    columns.require("lat", "lon")
    if not ({"timestamp", "date"} & columns.index.keys()):
        raise columns.missing("timestamp", "date")
    vehicle_at = columns.get("vehicle")
    if vehicle_at is None and not options.owner:
        raise columns.missing("vehicle")
    owner_vehicle = Party.of_owner("vehicle")
    vehicles: dict[str, Party] = {}
    times = TimeParser(options.tz)
    stamp_at, date_at, time_at = columns.get("timestamp"), columns.get("date"), columns.get("time")
    if date_at is not None and time_at is None:
        time_at, stamp_at = stamp_at, None
        if time_at is None:
            stamp_at, date_at = date_at, None
    lat_at, lon_at = columns.index["lat"], columns.index["lon"]
    optional = [(columns.get(n), n) for n in ("speed", "ignition", "call_sign")]
    extras = [(at, n) for at, n in optional if at is not None]
    no_fix = 0
    for line, row in table.rows():
        try:
            if stamp_at is not None:
                occurred, ambiguous = times.timestamp(row[stamp_at])
                day_only = times.is_day(row[stamp_at])
            else:
                occurred, ambiguous = times.date_and_time(row[date_at], row[time_at])  # type: ignore[index]
                day_only = times.is_day(row[date_at], row[time_at])  # type: ignore[index]
            if day_only:  # stops are found from the time between fixes
                raise ValueError("a position fix with no time of day")
        except ValueError as exc:
            name = "timestamp" if stamp_at is not None else "date"
            value = row[stamp_at] if stamp_at is not None else f"{row[date_at]} {row[time_at]}"  # type: ignore[index]
            raise table.refuse(line, name, value, str(exc)) from None
        lat, lon = _coordinates(table, line, row, lat_at, lon_at)
        if lat == 0.0 and lon == 0.0:
            no_fix += 1
            continue
        if vehicle_at is None:
            vehicle = owner_vehicle
        else:
            raw = row[vehicle_at].strip()
            if not raw:
                raise table.refuse(line, "vehicle", raw, "no vehicle")
            vehicle = vehicles.setdefault(raw, Party("vehicle", raw))
        details = "; ".join(_extra(n, row[at]) for at, n in extras if row[at].strip()) or None
        yield EventRecord(f"line {line}", occurred, "vehicle_position", vehicle, None,
                          "telematics", None, None, details, None, lat, lon, ambiguous)
    if no_fix:
        options.warn("", f"{no_fix} row(s) at 0,0 (no GPS fix) skipped")


def _coordinates(table: Table, line: int, row: list[str], lat_at: int,
                 lon_at: int) -> tuple[float, float]:
    values = []
    for name, at, limit in (("lat", lat_at, 90.0), ("lon", lon_at, 180.0)):
        try:
            value = read_number(row[at])
        except ValueError:
            raise table.refuse(line, name, row[at], "not a number") from None
        if not -limit <= value <= limit:
            raise table.refuse(line, name, row[at], f"outside -{limit:g} to {limit:g}")
        values.append(value)
    return values[0], values[1]


def _extra(name: str, value: str) -> str:
    value = value.strip()
    if name == "speed":
        return f"speed {value}"
    if name == "ignition":
        return f"ignition {value.lower()}"
    return f"call sign {value}"


# -- GPX -----------------------------------------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _gpx_positions(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    try:
        with open(source.path, "rb") as raw:
            root = SafeTree.parse(BoundedStream(raw), forbid_dtd=True).getroot()
    except DefusedXmlException as exc:
        raise ImportRefused(f"unsafe XML refused ({type(exc).__name__})") from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        raise ImportRefused(f"not well-formed XML ({exc})", f"line {line}" if line else "") from exc
    except LookupError as exc:  # found by fuzzing: encoding="TF-8" in the declaration
        raise ImportRefused(f"the XML declares an encoding Python does not know ({exc})") from exc
    if _local(root.tag) != "gpx":
        raise ImportRefused(f"not a GPX file (root element <{_local(root.tag)}>)")
    if options.owner:
        vehicle = Party.of_owner("vehicle")
    else:
        label = Path(options.display_name or source.name).stem
        vehicle = Party("vehicle", label)
        options.warn("", f"a GPX file names no vehicle: fixes attributed to vehicle {label!r}; "
                         "give --owner PERSON[:REG] to attribute them to a person's vehicle")
    points = list(_points(root))
    timed = [p for p in points if p[2] is not None]
    route_points = sum(1 for p in points if p[0].startswith("rte"))
    if not timed:
        what = "a route (a planned path)" if route_points else "no timed track points"
        raise ImportRefused(f"{what} with no times: nothing here says where a vehicle was and "
                            "when, so it cannot go on a timeline")
    untimed = len(points) - len(timed) - route_points
    if route_points:
        options.warn("", f"{route_points} route point(s) skipped (a route is a planned path, "
                         "with no times)")
    if untimed:
        options.warn("", f"{untimed} point(s) with no time skipped")
    for number, (position, element, time_text) in enumerate(timed, start=1):
        if number % 5000 == 0:
            options.report(number / len(timed))
        assert time_text is not None
        try:
            occurred = _gpx_time(time_text)
            lat, lon = float(element.get("lat", "")), float(element.get("lon", ""))
        except ValueError as exc:
            raise ImportRefused(f"cannot read the point's time or position ({exc})", position) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ImportRefused(f"position {lat}, {lon} is not on Earth", position)
        name = _child(element, "name")
        text = f"waypoint {name.text.strip()}" if position.startswith("wpt") and name is not None \
            and name.text else None
        yield EventRecord(position, occurred, "vehicle_position", vehicle, None, "telematics",
                          None, None, text, None, lat, lon, False)


def _points(root: Element) -> Iterator[tuple[str, Element, str | None]]:
    def time_of(point: Element) -> str | None:
        found = _child(point, "time")
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    waypoints = tracks = routes = 0
    for element in root:
        tag = _local(element.tag)
        if tag == "wpt":
            waypoints += 1
            yield f"wpt {waypoints}", element, time_of(element)
        elif tag == "trk":
            tracks += 1
            segments = 0
            for segment in element:
                if _local(segment.tag) != "trkseg":
                    continue
                segments += 1
                count = 0
                for point in segment:
                    if _local(point.tag) == "trkpt":
                        count += 1
                        yield f"trk {tracks} seg {segments} pt {count}", point, time_of(point)
        elif tag == "rte":
            routes += 1
            count = 0
            for point in element:
                if _local(point.tag) == "rtept":
                    count += 1
                    yield f"rte {routes} pt {count}", point, None


def _gpx_time(text: str) -> datetime:
    cleaned = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if "." in cleaned:  # fromisoformat takes at most 6 fractional digits
        main, _, rest = cleaned.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        cleaned = f"{main}.{digits[:6].ljust(6, '0')}{rest[len(digits):]}"
    moment = datetime.fromisoformat(cleaned)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # GPX times are UTC by definition
    return moment.astimezone(UTC)


registry.register(registry.Importer(
    kind="telematics", label="Vehicle telematics", sniff=sniff, parse=parse,
    needs_owner=False, local_time=True, layout=LAYOUT,
))
