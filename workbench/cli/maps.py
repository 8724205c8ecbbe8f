"""``workbench map``: the case's map as KML, PNG or PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.common import store_from
from workbench.cli.links import _when
from workbench.store.queries import find_case


def register(sub: argparse._SubParsersAction) -> None:
    drawn = sub.add_parser("map", help="write the case's map (.kml, .png, .pdf), offline")
    drawn.add_argument("ref")
    drawn.add_argument("--out", required=True, metavar="FILE")
    drawn.add_argument("--anonymise", action="store_true",
                       help="ciphers instead of names; no protected person's place label")
    drawn.add_argument("--from", dest="start", metavar="WHEN", help="only records from this time "
                       "(ISO 8601, local to the case unless an offset is given)")
    drawn.add_argument("--to", dest="end", metavar="WHEN", help="only records up to this time")
    drawn.add_argument("--person", metavar="KEY", help="only this person's records and places")
    drawn.add_argument("--duty", choices=("on", "off"), help="only records while on or off duty")
    drawn.add_argument("--tiles", metavar="FILE.mbtiles", help="draw the unit's offline basemap "
                       "(a raster MBTiles file) under a .png or .pdf map; not with --anonymise")
    drawn.set_defaults(func=run_map)


def run_map(args: argparse.Namespace) -> int:
    from workbench.basemap import Basemap
    from workbench.map_view import MapFilter, write_map

    store = store_from(args)
    with store.reader() as session:
        tz_name = find_case(session, args.ref).timezone
    start, end = _when(args.start, tz_name), _when(args.end, tz_name)
    view = MapFilter(int(start.timestamp()) if start else None, int(end.timestamp()) if end else None,
                     args.person, args.duty)
    basemap = Basemap.open(args.tiles) if args.tiles else None
    counts = write_map(store, args.ref, Path(args.out), anonymise=args.anonymise, view=view,
                       basemap=basemap)
    print(f"{args.out}: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()))
    return 0
