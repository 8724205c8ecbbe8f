"""``verify_bundle``: who signed this bundle, has it changed since, and do its exhibits
still match the store?"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench import unit_key
from workbench.bundle.manifest import read_manifest
from workbench.bundle.signature import check_signature
from workbench.errors import WorkbenchError
from workbench.integrity import case_problems
from workbench.model import AuditEntry, Case, Exhibit
from workbench.store import Store

WITHOUT_CASE = ("Without --case this shows only that the file is unchanged since the holder of "
                "that key signed it. It cannot show that the exhibits still match the evidence "
                "store, nor that the export is recorded in the case's audit log.")


@dataclass
class BundleCheck:
    """The outcome: ``problems`` is empty when every check passed; ``limits`` says what
    the checks made cannot prove."""

    path: Path
    manifest: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(path: Path | str, store: Store | None = None,
                  case_ref: str | None = None) -> BundleCheck:
    """Check the bundle's signature; with a store and case, its exhibits and export record."""
    path = Path(path)
    check = BundleCheck(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        check.problems.append(f"{path}: cannot read: {exc.strerror or exc}")
        return check
    try:
        check.manifest = read_manifest(data)
    except ValueError as exc:
        check.problems.append(f"{path}: {exc}")
        return check
    signature = check_signature(data)
    if signature.problem:
        check.problems.append(f"{path}: {signature.problem}")
        return check
    when = signature.signed_at.isoformat() if signature.signed_at else "an unrecorded time"
    check.checked.append(f"signed by {signature.signer} (certificate fingerprint "
                         f"{signature.fingerprint}) at {when}; unchanged since it was signed")
    _check_unit(check, signature.fingerprint)
    part = check.manifest.get("part")
    if isinstance(part, dict):
        others = ", ".join(f"{p.get('file')} (pages {p.get('first_page')}–{p.get('last_page')})"
                           for p in part.get("files", []) if p.get("part") != part.get("number"))
        check.checked.append(f"part {part.get('number')} of {part.get('of')} of the bundle, pages "
                             f"{part.get('first_page')}–{part.get('last_page')}; check the other "
                             f"parts too: {others}")
    if store is not None and case_ref is not None:
        _check_case(check, store, case_ref, check.manifest, hashlib.sha256(data).hexdigest())
    else:
        check.limits.append(WITHOUT_CASE)
    return check


def _check_unit(check: BundleCheck, fingerprint: str) -> None:
    """Is the signing key this workstation's unit key?"""
    try:
        key = unit_key.load()
    except WorkbenchError as exc:
        check.limits.append(f"the unit key here cannot be read ({exc}), so the signer is not "
                            "compared with it")
        return
    if key is None:
        check.limits.append("there is no unit key on this workstation to compare the signer "
                            "with: compare the fingerprint with `workbench key show` on a "
                            "workstation of the unit")
    elif key.fingerprint == fingerprint:
        check.checked.append(f"the signing key is this workstation's unit key ({key.unit})")
    else:
        check.problems.append(f"{check.path}: signed by a key that is not this workstation's "
                              f"unit key ({key.unit}, fingerprint {key.fingerprint})")


def _check_case(check: BundleCheck, store: Store, case_ref: str, manifest: dict[str, Any],
                digest: str) -> None:
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
            reference, sha256 = item.get("reference"), item.get("sha256")
            original = item.get("sanitised_from")
            exhibit = stored.get(original or reference)
            if exhibit is None:
                check.problems.append(f"exhibit {original or reference}: no longer in case {case_ref}")
            elif original is None and exhibit.sha256 != sha256:
                check.problems.append(f"exhibit {reference}: the store records SHA-256 "
                                      f"{exhibit.sha256}, the bundle {sha256}")
            else:
                problem = store.files.check(str(sha256))
                if problem:
                    check.problems.append(f"exhibit {reference}: {problem}")
                elif original:
                    check.checked.append(f"exhibit {reference} (sanitised from {original}) "
                                         f"matches SHA-256 {sha256} in the store")
                else:
                    check.checked.append(f"exhibit {reference} matches SHA-256 {sha256}")
        recorded = False
        for details in session.scalars(select(AuditEntry.details).where(
                AuditEntry.case_ref == case_ref, AuditEntry.action == "bundle_export")):
            try:
                export = json.loads(details)
            except ValueError:
                continue
            recorded = recorded or digest in (export.get("sha256"), *(
                part.get("sha256") for part in export.get("parts", [])))
        if recorded:
            check.checked.append(f"the export of this file (SHA-256 {digest}) is recorded in "
                                 f"{case_ref}'s audit log")
        else:
            check.problems.append(f"{path}: no export of this file (SHA-256 {digest}) is "
                                  f"recorded in the audit log of case {case_ref}")
    tampered = case_problems(store, case_ref)
    check.problems += [f"the case the bundle rests on fails verification: {p}" for p in tampered]
    if not tampered:
        check.checked.append(f"case {case_ref}'s audit chain and sealed records verify")
