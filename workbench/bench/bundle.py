"""``bundle``: a ~1,000-page chronology bundle vs raw reportlab canvas calls writing the same rows."""

from __future__ import annotations

import io
import resource
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from workbench import audit, unit_key
from workbench.bench import BenchRow, benchmark, stopwatch
from workbench.bundle import export_bundle
from workbench.bundle.fonts import SANS, register_fonts
from workbench.bundle.gather import gather
from workbench.model import Case, Exhibit, Identifier, Person
from workbench.store import Store, open_store
from workbench.store.bulk import EventWriter
from workbench.store.queries import find_case

WORDS = ("see you later then x", "thanks for today", "are you working tomorrow?",
         "I can pop round after my shift if you like, just let me know what time suits you",
         "ok", "don't tell anyone I messaged you, it's better that way for both of us really")
ROWS_PER_PAGE = 30  # roughly, with the wrapped texts above


def bench_case(store: Store, events: int) -> str:
    """A case with one officer, one member of the public and ``events`` messages."""
    with store.session() as session:
        case = Case(ref="BENCH-BUNDLE", title="Bundle benchmark")
        session.add(case)
        session.flush()
        officer = Person(case_id=case.id, key="officer", name="Officer Bench", role="subject")
        member = Person(case_id=case.id, key="member", name="Alex Example",
                        role="member_of_public", cipher="Woman A")
        session.add_all([officer, member])
        session.flush()
        phone = Identifier(case_id=case.id, person_id=officer.id, kind="phone",
                           value="+447700900101", display="07700 900101", use="personal")
        other = Identifier(case_id=case.id, person_id=member.id, kind="phone",
                           value="+447700900201", display="07700 900201")
        exhibit = Exhibit(case_id=case.id, reference="B/1", producer="bench", file_name="b.csv",
                          sha256="0" * 64, size=0, kind="cdr", record_count=events)
        session.add_all([phone, other, exhibit])
        session.flush()
        writer = EventWriter(session)
        start = datetime(2021, 3, 1, tzinfo=UTC)
        for n in range(events):
            sender, recipient = (phone.id, other.id) if n % 2 else (other.id, phone.id)
            writer.add((case.id, exhibit.id, f"line {n + 2}", start + timedelta(minutes=41 * n),
                        False, "sms", "personal_mobile", "outgoing" if n % 2 else "incoming",
                        sender, recipient, None, None, f"{WORDS[n % len(WORDS)]} ({n}), Alex",
                        None, None, None))
        writer.flush()
        audit.append(session, case, "bench_case", {"events": events})  # as the app records a case
        return case.ref


def raw_canvas(rows: Sequence[tuple[str, ...]]) -> tuple[float, int]:
    """Seconds for plain canvas calls to write ``rows`` as a paginated table; and pages."""
    widths = [68.0, 96.0, 54.0, 200.0, 76.0]
    with stopwatch() as elapsed:
        canvas = Canvas(io.BytesIO(), pagesize=A4, initialFontName=SANS)
        pages = 1
        y = 780.0
        for row in rows:
            cells = [simpleSplit(value, SANS, 7.5, width - 5) for value, width in zip(row, widths, strict=True)]
            height = max(len(c) for c in cells) * 9.15 + 5
            if y - height < 60:
                canvas.showPage()
                pages += 1
                y = 780.0
            x = 45.0
            canvas.setFont(SANS, 7.5)
            for lines, width in zip(cells, widths, strict=True):
                for number, line in enumerate(lines):
                    canvas.drawString(x + 2.5, y - 10 - number * 9.15, line)
                x += width
            canvas.line(45, y - height, 45 + sum(widths), y - height)
            y -= height
        canvas.showPage()
        canvas.save()
    return elapsed[0], pages


@benchmark("bundle")
def run(quick: bool) -> BenchRow:
    events = 300 if quick else 1000 * ROWS_PER_PAGE
    register_fonts()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = open_store(f"sqlite:///{root / 'bench.db'}")
        ref = bench_case(store, events)
        key = unit_key.init("Bench unit", root / "unit-key.pem")
        with store.reader() as session:
            rows = gather(session, find_case(session, ref), "hearing", True).chronology
        baseline, baseline_pages = raw_canvas(rows)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with stopwatch() as ours:
            result = export_bundle(store, ref, root / "bundle.pdf", audience="hearing",
                                   signing_key=key)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        store.dispose()
    note = (f"{result.pages:,} pages ({baseline_pages:,} for the baseline), "
            f"{result.size / 1e6:.1f} MB; peak RSS {peak / 1024:.0f} MB "
            f"(+{max(peak - before, 0) / 1024:.0f} MB during the export)")
    return BenchRow("bundle", ours[0], baseline, 3.0,
                    "reportlab canvas drawString of the same chronology rows",
                    f"{events:,} events", note)
