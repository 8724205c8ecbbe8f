"""``verify_bundle``: has this bundle been altered, and do its exhibits still match the store?"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench.bundle.manifest import read_manifest, unsealed_hash
from workbench.integrity import case_problems
from workbench.model import AuditEntry, Case, Exhibit
from workbench.store import Store

HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class BundleCheck:
    """The outcome: ``problems`` is empty when every check passed."""

    path: Path
    manifest: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(path: Path | str, store: Store | None = None,
                  case_ref: str | None = None) -> BundleCheck:
    """Check the bundle's seal; with a store and case, its exhibits and its export record."""
    path = Path(path)
    check = BundleCheck(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        check.problems.append(f"{path}: cannot read: {exc.strerror or exc}")
        return check
    try:
        manifest = read_manifest(data)
    except ValueError as exc:
        check.problems.append(f"{path}: {exc}")
        return check
    check.manifest = manifest
    seal = str((manifest.get("seal") or {}).get("value", ""))
    if not HEX64.match(seal):
        check.problems.append(f"{path}: the manifest's seal is not a SHA-256 ({seal[:70]!r})")
        return check
    places = data.count(seal.encode("ascii"))
    expected = int((manifest.get("seal") or {}).get("places", 2))
    if places != expected:
        check.problems.append(f"{path}: the seal appears {places} times, expected {expected}: "
                              "the bundle has been altered since it was produced")
    elif unsealed_hash(data, seal) != seal:
        check.problems.append(f"{path}: the content does not match its seal: the bundle has "
                              "been altered since it was produced")
    else:
        check.checked.append(f"seal {seal} matches the file's content")
    if store is not None and case_ref is not None:
        _check_case(check, store, case_ref, manifest, seal)
    return check


def _check_case(check: BundleCheck, store: Store, case_ref: str, manifest: dict[str, Any],
                seal: str) -> None:
    path = check.path
    if manifest.get("case") != case_ref:
        check.problems.append(f"{path}: the bundle is for case {manifest.get('case')!r}, "
                              f"not {case_ref!r}")
        return
    with store.reader() as session:
        case = session.scalars(select(Case).where(Case.ref == case_ref)).first()
        if case is None:
            check.problems.append(f"no case {case_ref!r} in the store")
            return
        stored = {x.reference: x for x in session.scalars(
            select(Exhibit).where(Exhibit.case_id == case.id))}
        for item in manifest.get("exhibits", []):
            reference = item.get("reference")
            exhibit = stored.get(reference)
            if exhibit is None:
                check.problems.append(f"exhibit {reference}: no longer in case {case_ref}")
            elif exhibit.sha256 != item.get("sha256"):
                check.problems.append(f"exhibit {reference}: the store records SHA-256 "
                                      f"{exhibit.sha256}, the bundle {item.get('sha256')}")
            else:
                problem = store.files.check(exhibit.sha256)
                if problem:
                    check.problems.append(f"exhibit {reference} ({exhibit.file_name}): {problem}")
                else:
                    check.checked.append(f"exhibit {reference} matches SHA-256 {exhibit.sha256}")
        recorded = False
        for details in session.scalars(select(AuditEntry.details).where(
                AuditEntry.case_ref == case_ref, AuditEntry.action == "bundle_export")):
            try:
                recorded = recorded or json.loads(details).get("seal") == seal
            except ValueError:
                continue
        if recorded:
            check.checked.append(f"the export with this seal is recorded in {case_ref}'s audit log")
        else:
            check.problems.append(f"{path}: no export with this seal is recorded in the audit "
                                  f"log of case {case_ref}")
    tampered = case_problems(store, case_ref)
    check.problems += [f"the case the bundle rests on fails verification: {p}" for p in tampered]
    if not tampered:
        check.checked.append(f"case {case_ref}'s audit chain and sealed records verify")
