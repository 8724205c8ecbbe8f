"""The case's map: places, vehicle stops and positions, and located records, with filters.

Qt-free: :func:`load_map` reads a case into plain :class:`CaseMap` data that the app's map
view, the ``workbench map`` command and the bundle all draw with :mod:`graphs.map_chart`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from graphs.map_chart import MapArea, MapPoint, render_map, write_kml
from workbench import audit
from workbench.anonymise import Anonymiser
from workbench.basemap import Basemap
from workbench.duty import OFF_DUTY, ON_DUTY, subject_duty
from workbench.errors import WorkbenchError
from workbench.evidence.exhibits import record_continuity
from workbench.geo import distances_m
from workbench.model import Case, Event, Exhibit, Identifier, Marker, MarkerEvidence, Place
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken, Progress, no_progress
from workbench.timeutil import format_local, zone
from workbench.vocabulary import words

MAP_FORMATS = (".kml", ".png", ".pdf")
DUTY_FILTERS = ("on", "off")


@dataclass(frozen=True)
class MapFilter:
    """What the map shows: a time window (UTC epoch seconds), one person, on or off duty."""

    start: int | None = None
    end: int | None = None
    person_key: str | None = None
    duty: str | None = None  # "on", "off" or None for both


SCREEN_POSITIONS = 20_000  # vehicle positions drawn on screen at most (exports draw them all)


@dataclass
class CaseMap:
    """Everything the map draws, anonymised as asked."""

    ref: str
    marking: str
    areas: list[MapArea] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)  # one per point, for selection
    exhibit_ids: set[int] = field(default_factory=set)  # the exhibits the points come from
    anonymised: bool = False
    step: int = 1  # thinned for the screen: every step-th vehicle position kept (screen_map)
    totals: dict[str, int] | None = None  # what counts() says of the map before thinning

    def drawn_points(self, limit: int = SCREEN_POSITIONS) -> tuple[list[MapPoint], int]:
        """The points to draw on screen, and ``step``: every step-th vehicle position is kept
        when there are more than ``limit`` (a year of telematics is hundreds of thousands of
        fixes; drawing them all holds the app for seconds and shows no more). Stops, look-ups
        and contacts are always all drawn."""
        kept, step = self._drawn(limit)
        return (self.points, step) if kept is None else ([self.points[i] for i in kept], step)

    def _drawn(self, limit: int) -> tuple[list[int] | None, int]:
        """Which points :meth:`drawn_points` keeps (None: all) and its step."""
        if self.step > 1:  # thinned already
            return None, self.step
        positions = sum(1 for p in self.points if p.kind == "vehicle_position")
        step = max(1, -(-positions // limit))
        if step == 1:
            return None, 1
        kept, seen = [], 0
        for index, point in enumerate(self.points):
            if point.kind == "vehicle_position":
                seen += 1
                if seen % step:
                    continue
            kept.append(index)
        return kept, step

    def for_screen(self, limit: int = SCREEN_POSITIONS) -> CaseMap:
        """This map with only the points drawn on screen, still counting every point."""
        kept, step = self._drawn(limit)
        if kept is None:
            return self
        return replace(self, points=[self.points[i] for i in kept], step=step, totals=self.counts(),
                       event_ids=[self.event_ids[i] for i in kept] if self.event_ids else [])

    def counts(self) -> dict[str, int]:
        """Places, and points by kind (all of them, when thinned for the screen)."""
        if self.totals is not None:
            return dict(self.totals)
        kinds: dict[str, int] = {}
        for point in self.points:
            kinds[point.kind] = kinds.get(point.kind, 0) + 1
        return {"places": len(self.areas), **kinds}


def _place_label(place: Place, anonymiser: Anonymiser) -> str:
    """A protected person's place is named by cipher only, never by its label (an address)."""
    if anonymiser.enabled and anonymiser.is_protected(place.person):
        return f"Place of {anonymiser.person(place.person)}"
    if not anonymiser.enabled and place.person is not None:
        return f"{place.label} ({place.person.name})"
    return anonymiser.place(place)


def _point_kind(kind: str) -> str:
    return kind if kind in ("vehicle_stop", "vehicle_position", "system_lookup") else "contact"


def load_map(session: Session, case: Case, anonymiser: Anonymiser,
             view: MapFilter = MapFilter()) -> CaseMap:
    """The case's located records and places, filtered by ``view``."""
    places = [p for p in case.places
              if view.person_key is None or (p.person is not None and p.person.key == view.person_key)]
    query = select(Event.id, Event.occurred_at, Event.kind, Event.lat, Event.lon, Event.duration_s,
                   Event.from_id, Event.to_id, Event.exhibit_id).where(
        Event.case_id == case.id, Event.lat.is_not(None), Event.lon.is_not(None))
    if view.start is not None:
        query = query.where(Event.occurred_at >= datetime.fromtimestamp(view.start, tz=UTC))
    if view.end is not None:
        query = query.where(Event.occurred_at <= datetime.fromtimestamp(view.end, tz=UTC))
    rows = session.execute(query.order_by(Event.occurred_at)).all()
    result = CaseMap(case.ref, case.classification, anonymised=anonymiser.enabled)
    result.areas = [MapArea(p.lat, p.lon, p.radius_m or 150.0, _place_label(p, anonymiser))
                    for p in places]
    if not rows:
        return result
    epoch = np.array([int(r.occurred_at.timestamp()) for r in rows], dtype=np.int64)
    codes = subject_duty(session, case, epoch)  # the rules' own answer, grace and gaps included
    states = np.where(codes == ON_DUTY, "on", np.where(codes == OFF_DUTY, "off", "unknown"))
    keep = np.ones(len(rows), dtype=bool)
    if view.duty in DUTY_FILTERS:
        keep &= states == view.duty
    if view.person_key is not None:
        keep &= _involves(session, case, rows, view.person_key, places)
    tz = zone(case.timezone)
    for index in np.flatnonzero(keep):
        row = rows[int(index)]
        result.points.append(MapPoint(
            float(row.lat), float(row.lon), _point_kind(row.kind), str(states[index]),
            row.duration_s if row.kind == "vehicle_stop" else None,
            words(row.kind), format_local(row.occurred_at, tz, with_zone=False)))
        result.event_ids.append(int(row.id))
        if row.exhibit_id is not None:
            result.exhibit_ids.add(int(row.exhibit_id))
    return result


MAPPED_RULES = frozenset({"vehicle_dwell"})  # markers printed in the bundle with their map


def marker_maps(session: Session, case: Case, anonymiser: Anonymiser,
                marker_ids: list[int]) -> dict[int, CaseMap]:
    """The map of each vehicle-dwell marker among ``marker_ids`` (for the bundle, printed
    next to it): the places of the person it concerns and the marker's own stops."""
    found: dict[int, CaseMap] = {}
    for marker_id in marker_ids:
        marker = session.get(Marker, marker_id)
        if marker is None or marker.rule not in MAPPED_RULES:
            continue
        relied_on = set(session.scalars(select(MarkerEvidence.event_id).where(
            MarkerEvidence.marker_id == marker_id, MarkerEvidence.event_id.is_not(None))))
        member = marker.member.key if marker.member is not None else None
        drawn = load_map(session, case, anonymiser, MapFilter(person_key=member))
        kept = [(point, event) for point, event in zip(drawn.points, drawn.event_ids, strict=True)
                if event in relied_on]
        drawn.points = [point for point, _ in kept]
        drawn.event_ids = [event for _, event in kept]
        found[marker_id] = drawn
    return found


def _involves(session: Session, case: Case, rows: Sequence[Any], person_key: str,
              places: list[Place]) -> np.ndarray:
    """Records to which the person is a party, or that lie within one of their places."""
    person = case.person(person_key)
    if person is None:
        raise WorkbenchError(f"{case.ref}: no person with key {person_key!r}")
    own = set(session.scalars(select(Identifier.id).where(Identifier.person_id == person.id)))
    party = np.array([r.from_id in own or r.to_id in own for r in rows], dtype=bool)
    lat = np.array([r.lat for r in rows], dtype=float)
    lon = np.array([r.lon for r in rows], dtype=float)
    for place in places:
        party |= distances_m(lat, lon, place.lat, place.lon) <= (place.radius_m or 150.0)
    return party


def write_map(store: Store, case_ref: str, out: Path, *, anonymise: bool = False,
              view: MapFilter = MapFilter(),
              basemap: Basemap | None = None) -> dict[str, int]:
    """Write the map as KML, PNG or PDF (by extension), with the case's marking; audited.

    A ``basemap`` (an offline MBTiles file) is drawn under a PNG or PDF map; it is refused
    for an anonymised map, whose streets would show where protected people live.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in MAP_FORMATS:
        raise WorkbenchError(f"{out.name}: map format must be one of {', '.join(MAP_FORMATS)}")
    if anonymise and suffix == ".kml":
        raise WorkbenchError(f"{out.name}: KML carries real coordinates, which would show where "
                             "protected people live; anonymised maps are .png or .pdf")
    check_basemap(basemap, anonymise=anonymise, suffix=suffix, name=out.name)
    with store.reader() as session:
        case = find_case(session, case_ref)
        data = load_map(session, case, Anonymiser(case, anonymise), view)
    title = f"{case_ref}: map" + (" (anonymised)" if anonymise else "")
    if suffix == ".kml":
        write_kml(data.areas, data.points, out, name=title, marking=data.marking)
    else:
        from graphs.render import save_figure

        save_figure(render_map(data.areas, data.points, title=title, marking=data.marking,
                               basemap=basemap), out)
    with store.session() as session:
        case = find_case(session, case_ref)
        for exhibit in session.scalars(select(Exhibit).where(Exhibit.id.in_(data.exhibit_ids))):
            record_continuity(exhibit, "map_export", f"relied on in map {out.name}")
        audit.append(session, case, "export_map", {
            "file": out.name, "anonymised": anonymise, "points": len(data.points),
            "places": len(data.areas), "from": view.start, "to": view.end,
            "person": view.person_key, "duty": view.duty,
            "basemap": basemap.path.name if basemap else None})
    return data.counts()


def check_basemap(basemap: Basemap | None, *, anonymise: bool, suffix: str, name: str) -> None:
    """Refuse a basemap where it cannot or must not be drawn."""
    if basemap is None:
        return
    if anonymise:
        raise WorkbenchError(f"{name}: a basemap shows the real streets, which would show where "
                             "protected people live; anonymised maps are drawn without one")
    if suffix == ".kml":
        raise WorkbenchError(f"{name}: KML carries no basemap (the GIS has its own); "
                             "a basemap is for .png and .pdf maps")


def case_map(store: Store, case_ref: str, *, anonymise: bool = False,
             view: MapFilter = MapFilter(),
             progress: Progress = no_progress, cancel: CancelToken | None = None) -> CaseMap:
    """:func:`load_map` in its own read session (for the app's worker)."""
    progress(0.0, "Reading the located records")
    with store.reader() as session:
        case = find_case(session, case_ref)
        found = load_map(session, case, Anonymiser(case, anonymise), view)
    if cancel is not None:
        cancel.check()
    progress(1.0, "Map read")
    return found


def screen_map(store: Store, case_ref: str, *, anonymise: bool = False,
               view: MapFilter = MapFilter(), progress: Progress = no_progress,
               cancel: CancelToken | None = None) -> CaseMap:
    """:func:`case_map` thinned for the screen (:meth:`CaseMap.for_screen`): the app
    reads it in a worker process and never holds a year of vehicle positions. Exports
    read the whole map."""
    return case_map(store, case_ref, anonymise=anonymise, view=view, progress=progress,
                    cancel=cancel).for_screen()
