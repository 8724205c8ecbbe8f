"""``workbench analyse REF [--json]`` and ``workbench marker review ID``."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from workbench.analysis import run_analysis
from workbench.analysis.catalogue import marker_start_text
from workbench.cli import UsageError
from workbench.cli.common import print_json, print_table, store_from
from workbench.commands import ReviewMarker
from workbench.timeutil import format_day, zone


def register(sub: argparse._SubParsersAction) -> None:
    analyse = sub.add_parser(
        "analyse", help="run the escalation rules; print markers and the risk summary",
        description="Run the escalation rules over a case and store the markers (indicators "
                    "for the investigator to review, not findings). Reviews of markers found "
                    "before are kept.")
    analyse.add_argument("ref", help="case reference, e.g. OP-WILLOW")
    analyse.add_argument("--json", action="store_true", help="print the markers as JSON")
    analyse.set_defaults(func=analyse_command)

    marker = sub.add_parser("marker", help="review escalation markers")
    marker_sub = marker.add_subparsers(dest="marker_command", metavar="ACTION", required=True)
    review = marker_sub.add_parser("review", help="accept or dismiss a marker, with a reason")
    review.add_argument("id", type=int, help="marker id (from `workbench analyse`)")
    decision = review.add_mutually_exclusive_group(required=True)
    decision.add_argument("--accept", action="store_true", help="accept the marker")
    decision.add_argument("--dismiss", action="store_true", help="dismiss the marker")
    review.add_argument("--reason", required=True, help="why (recorded in the audit chain)")
    review.add_argument("--by", help="reviewer's name (default: the operating-system user)")
    review.add_argument("--json", action="store_true")
    review.set_defaults(func=review_command)


def _start_text(marker: dict[str, Any], tz: ZoneInfo) -> str:
    """A marker's start as printed: a date for records known only to the day."""
    if marker.get("dated"):
        return format_day(date.fromisoformat(marker["start"]))
    return marker_start_text(marker["rule"],
                             datetime.fromisoformat(marker["start"].replace("Z", "+00:00")), tz)


def analyse_command(args: argparse.Namespace) -> int:
    result = run_analysis(store_from(args), args.ref)
    document = result.document
    if args.json:
        print_json(document)
        return 0
    markers = document["markers"]
    tz = zone(_timezone(args))
    if not markers:
        print(f"{document['case']}: no markers.")
    else:
        rows = [[str(m["id"]), m["severity"], m["rule"], m["status"],
                 _start_text(m, tz),
                 m["member"] or "-", m["explanation"]] for m in markers]
        print_table(rows, ["ID", "SEVERITY", "RULE", "STATUS", "START", "MEMBER", "EXPLANATION"])
    print()
    print(f"{len(markers)} markers ({result.new} new, {result.kept} found before"
          + (f", {result.no_longer_found} no longer found" if result.no_longer_found else "")
          + "). Markers are indicators for review, not findings.")
    risk = document["risk"]
    print(f"Risk summary: {risk['level']}")
    for factor in risk["factors"]:
        print(f"  - {factor}")
    for style, reasons in risk["style_indicators"].items():
        for reason in reasons:
            print(f"  {style} style indicator: {reason}")
    return 0


def _timezone(args: argparse.Namespace) -> str:
    from workbench.store.queries import find_case

    with store_from(args).reader() as session:
        return find_case(session, args.ref).timezone


def review_command(args: argparse.Namespace) -> int:
    if not args.reason.strip():
        raise UsageError("--reason must not be empty: say why the marker is accepted or dismissed")
    command = ReviewMarker(args.id, accept=bool(args.accept), reason=args.reason, by=args.by)
    command.do(store_from(args))
    review = command.result
    if args.json:
        print_json(review)
    else:
        print(f"Marker {review['id']} ({review['rule']}) {review['status']} by "
              f"{review['reviewed_by']}: {review['review_reason']}")
    return 0
