"""The demo case: a rich, deterministic case built through the real importers.

:func:`build_demo` writes every source file in its real format (call records,
a WhatsApp export, Messenger JSON, vehicle GPS, a systems audit log, a duty
roster, intelligence reports and complaints) into a private temporary folder,
creates the case from a generated case file, imports each file as an exhibit
exactly as an investigator would, and runs the analysis when it is available.
The same code always writes the same bytes, so two builds hold identical
exhibits (same SHA-256) and identical events.

The demo lives under the fixed ref ``OP-WILLOW-DEMO``. Building when it
already exists leaves it untouched; ``rebuild=True`` first removes it, audit
chain included (allowed for the demo ref only; see :mod:`workbench.demo.reset`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from workbench import audit, casefile
from workbench.analysis import run_analysis
from workbench.demo import (
    billing,
    complaints,
    intel,
    messenger,
    police_systems,
    telematics,
    whatsapp,
)
from workbench.demo import scenario as s
from workbench.demo.casework import seed_demo_casework
from workbench.demo.reset import remove_demo_case
from workbench.demo.reviews import review_demo_markers
from workbench.demo.roster import Roster, write_roster
from workbench.demo.storyline import Storyline
from workbench.errors import WorkbenchError
from workbench.ingest import registry
from workbench.ingest.pipeline import ImportResult, import_file
from workbench.model import Case
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken, Progress, no_progress

DEMO_REF = s.DEMO_REF
GENERATOR_VERSION = 1  # bump when the generated files change on purpose

__all__ = ["DEMO_REF", "DemoBuild", "Source", "build_demo", "build_demo_case", "remove_demo_case",
           "write_sources"]


@dataclass(frozen=True)
class Source:
    """One generated evidence file and how it is imported."""

    path: Path
    kind: str
    producer: str
    description: str
    owner: str | None = None


@dataclass
class DemoBuild:
    """What a build did: the ref, whether it created the case, and each import."""

    ref: str
    created: bool
    imports: list[ImportResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sources whose importer is missing
    analysed: bool = False
    seconds: float = 0.0


def write_sources(folder: Path) -> tuple[Path, list[Source]]:
    """Write the case file and every source file into ``folder``; return them in import order."""
    roster = Roster()
    story = Storyline(roster)

    def file(name: str, write: Callable[[Path], object]) -> Path:
        path = folder / name
        write(path)
        return path

    case_file = file("op-willow-demo.toml", lambda p: p.write_text(s.case_toml(), encoding="utf-8"))
    work = billing.work_phone_rows(roster)
    personal = billing.personal_phone_rows(story)
    threads = messenger.threads(story)
    inv, exam = s.INVESTIGATOR, s.EXAMINER
    sources = [
        Source(file("itemised_billing_447700900101.csv",
                    lambda p: billing.write_work_billing(work, p)), "cdr", inv,
               "Itemised billing for the work mobile 07700 900101 (force device contract)",
               f"pcso:{s.WORK_PHONE}"),
        Source(file("CDU_return_07700900102.csv",
                    lambda p: billing.write_personal_billing(personal, p)), "cdr", inv,
               "Call data for the personal mobile 07700 900102 (communications data unit return)",
               f"pcso:{s.PERSONAL_PHONE}"),
        Source(file(whatsapp.FILE_NAME,
                    lambda p: whatsapp.write_chat(whatsapp.chat_lines(story), p)), "whatsapp", exam,
               "WhatsApp chat export from Woman A's phone (contact saved as 'Lee PCSO')", "woman_a"),
        *[Source(messenger.write_thread(thread, folder / "facebook"), "messenger", exam,
                 f"Facebook Messenger thread with {thread.title} (subject's account, DYI export)",
                 "pcso") for thread in threads],
        Source(file("AVL_YX21ABC.csv",
                    lambda p: telematics.write_telematics(telematics.vehicle_positions(roster), p)),
               "telematics", inv, "GPS log of marked vehicle YX21 ABC (fleet AVL system)"),
        Source(file("systems_audit_P4521.csv",
                    lambda p: police_systems.write_audit(police_systems.accesses(roster), p)),
               "system-audit", inv, "Police systems access log for user P4521 (Niche, PNC, PND, STORM)"),
        Source(file("duty_roster_4521.csv", lambda p: write_roster(roster, p)), "roster", inv,
               "Duty roster for PCSO 4521, January 2021 to February 2022"),
        Source(file("intelligence_reports.csv", intel.write_intel), "intel", inv,
               "Sanitised intelligence reports naming the subject"),
        Source(file("complaints.csv", complaints.write_complaints), "complaints", inv,
               "Complaints recorded against the subject"),
    ]
    return case_file, sources


def _exists(store: Store) -> bool:
    with store.reader() as session:
        return session.scalar(select(Case.id).where(Case.ref == DEMO_REF)) is not None


def build_demo_case(store: Store, *, rebuild: bool = False, progress: Progress = no_progress,
                    cancel: CancelToken | None = None) -> DemoBuild:
    """Create the demo case (or leave an existing one), reporting what was done.

    Errors name the demo and the file, position and reason; a failed or
    cancelled build leaves no half-built demo behind.
    """
    try:
        return _build(store, rebuild, progress, cancel or CancelToken())
    except WorkbenchError as exc:
        raise WorkbenchError(f"demo case: {exc}") from exc


def _build(store: Store, rebuild: bool, progress: Progress, cancel: CancelToken) -> DemoBuild:
    started = time.perf_counter()
    previous_head = None
    if _exists(store):
        if not rebuild:
            return DemoBuild(DEMO_REF, created=False)
        with store.reader() as session:
            previous_head = find_case(session, DEMO_REF).audit_head
        progress(0.0, "Removing the old demo case")
        remove_demo_case(store)
    build = DemoBuild(DEMO_REF, created=True)
    with tempfile.TemporaryDirectory(prefix="workbench-demo-") as folder:
        progress(0.01, "Writing the demo evidence files")
        case_file, sources = write_sources(Path(folder))
        cancel.check()
        casefile.create_case(store, casefile.load(case_file))
        try:
            _import_all(store, sources, build, progress, cancel)
            build.analysed = _analyse(store, progress, cancel)
            _record_build(store, build, previous_head)
        except BaseException:
            # A half-built demo helps nobody: remove what this call created.
            remove_demo_case(store)
            raise
    build.seconds = time.perf_counter() - started
    progress(1.0, f"Demo case {DEMO_REF} ready")
    return build


def _import_all(store: Store, sources: list[Source], build: DemoBuild, progress: Progress,
                cancel: CancelToken) -> None:
    known = registry.importers()
    for number, source in enumerate(sources):
        cancel.check()
        if source.kind not in known:
            build.skipped.append(f"{source.path.name} (no '{source.kind}' importer installed)")
            continue
        low, high = 0.05 + 0.85 * number / len(sources), 0.05 + 0.85 * (number + 1) / len(sources)

        def step(fraction: float, message: str, low: float = low, high: float = high) -> None:
            progress(low + (high - low) * fraction, message)

        build.imports.append(import_file(
            store, DEMO_REF, source.path, kind=source.kind, producer=source.producer,
            description=source.description, owner=source.owner, progress=step, cancel=cancel,
        ))


def _analyse(store: Store, progress: Progress, cancel: CancelToken) -> bool:
    """Run the escalation rules, then record the demo investigator's first reviews."""
    progress(0.92, "Running the escalation rules")
    run_analysis(store, DEMO_REF, progress=lambda f, m: progress(0.92 + 0.06 * f, m), cancel=cancel)
    progress(0.98, "Recording the first marker reviews, decisions and enquiries")
    review_demo_markers(store, DEMO_REF)
    seed_demo_casework(store, DEMO_REF)
    return True


def _record_build(store: Store, build: DemoBuild, previous_head: str | None) -> None:
    with store.session() as session:
        case = find_case(session, DEMO_REF)
        audit.append(session, case, "demo_build", {
            "generator_version": GENERATOR_VERSION,
            "exhibits": [r.exhibit for r in build.imports],
            "skipped": build.skipped,
            "analysed": build.analysed,
            "rebuilt_over_audit_head": previous_head,
        })


def build_demo(store: Store, *, rebuild: bool = False, progress: Progress = no_progress,
               cancel: CancelToken | None = None) -> str:
    """Build (or keep) the demo case; returns its ref, ``OP-WILLOW-DEMO``."""
    return build_demo_case(store, rebuild=rebuild, progress=progress, cancel=cancel).ref
