"""``workbench export`` (evidential PDF bundle) and ``workbench verify-bundle``."""

from __future__ import annotations

import argparse
import sys

from workbench.bundle import export_bundle, verify_bundle
from workbench.bundle.content import AUDIENCES
from workbench.bundle.gather import size_text
from workbench.cli.common import add_out_argument, output_path, print_json, store_from


def register(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="write the case's evidential PDF bundle (or, for a "
                            ".csv file, the chronology as CSV)")
    export.add_argument("ref", help="case reference")
    add_out_argument(export, "FILE.pdf",
                     "where to write it: FILE.pdf (bundle) or FILE.csv (chronology)")
    export.add_argument("--audience", choices=AUDIENCES, default="hearing",
                        help="hearing (default), conference or internal")
    anonymise = export.add_mutually_exclusive_group()
    anonymise.add_argument("--anonymise", dest="anonymise", action="store_true", default=None,
                           help="ciphers for members of the public and colleagues (default for "
                                "hearing and conference bundles)")
    anonymise.add_argument("--no-anonymise", dest="anonymise", action="store_false",
                           help="show real names (internal use)")
    export.add_argument("--full-chronology", choices=("csv", "annex"), default="csv",
                        help="where the full chronology goes: NAME-chronology.csv beside the "
                             "bundle (default) or an annex of the bundle")
    export.add_argument("--notes", dest="include_notes", action="store_true", default=None,
                        help="include investigators' notes and tags (always in internal bundles)")
    export.add_argument("--part-limit", metavar="MB", type=float, default=36,
                        help="a bundle over this size is written in parts NAME-part-K-of-N.pdf, "
                             "each signed and under it (default 36, the e-mail limit of court "
                             "e-bundle practice)")
    export.add_argument("--json", action="store_true")
    export.set_defaults(func=export_command)
    verify = sub.add_parser("verify-bundle",
                            help="check a bundle's signature (and, with --case, its exhibits)")
    verify.add_argument("file", metavar="FILE.pdf")
    verify.add_argument("--case", metavar="REF",
                        help="also check the exhibits in the store and the export record")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(func=verify_command)


def _progress_printer(enabled: bool):  # type: ignore[no-untyped-def]
    last = [-1]

    def progress(fraction: float, message: str) -> None:
        step = int(fraction * 10)
        if enabled and step != last[0]:
            last[0] = step
            print(f"  {fraction:4.0%}  {message}", file=sys.stderr)

    return progress


def export_command(args: argparse.Namespace) -> int:
    store = store_from(args)
    out = output_path(store, args.out, args.force)
    if str(args.out).lower().endswith(".csv"):
        from workbench.chronology_csv import write_chronology_csv  # noqa: PLC0415

        rows = write_chronology_csv(store, args.ref, out,
                                    anonymise=bool(args.anonymise))
        print(f"{args.out}: {rows} events")
        return 0
    result = export_bundle(store, args.ref, out, audience=args.audience,
                           anonymise=args.anonymise, full_chronology=args.full_chronology,
                           include_notes=args.include_notes,
                           progress=_progress_printer(sys.stderr.isatty()),
                           part_limit=int(args.part_limit * 1024 * 1024))
    parts = [{"file": str(p.path), "first_page": p.first, "last_page": p.last, "size": p.size,
              "sha256": p.sha256} for p in result.parts]
    if args.json:
        print_json({"file": str(result.path), "case": result.case_ref,
                    "audience": result.audience, "anonymised": result.anonymised,
                    "pages": result.pages, "sha256": result.sha256, "exhibits": result.exhibits,
                    "size": result.size, "warnings": result.warnings,
                    **({"parts": parts} if parts else {})})
    else:
        shown = "anonymised" if result.anonymised else "not anonymised"
        if not parts:
            print(f"{result.path}: {result.pages} pages, {result.audience} bundle, {shown}; "
                  f"signed; SHA-256 {result.sha256}")
        else:
            print(f"{result.pages} pages, {result.audience} bundle, {shown}, over "
                  f"{args.part_limit:g} MB: written in {len(parts)} parts, each signed")
            for part in result.parts:
                print(f"{part.path}: pages {part.first}-{part.last}, {size_text(part.size)}; "
                      f"SHA-256 {part.sha256}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def verify_command(args: argparse.Namespace) -> int:
    store = store_from(args) if args.case else None
    check = verify_bundle(args.file, store, args.case)
    if args.json:
        print_json({"file": args.file, "ok": check.ok, "problems": check.problems,
                    "checked": check.checked, "cannot_prove": check.limits})
    else:
        for problem in check.problems:
            print(f"FAILED: {problem}", file=sys.stderr)
        if check.ok:
            for line in check.checked:
                print(f"ok: {line}")
            for line in check.limits:
                print(f"not proven: {line}")
            print("Bundle signed and unchanged since signing.")
    return 0 if check.ok else 1
