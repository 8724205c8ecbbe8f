"""``analyse``: the escalation rules over a million events vs loading those events.

The baseline is a plain ``SELECT`` of the event columns of the case through the
database driver, measured in the same run on the same store, so the ratio says
how much the rules cost on top of reading the evidence at all.
"""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from workbench import casefile
from workbench.bench import BenchRow, benchmark, stopwatch
from workbench.model import DutyShift, Exhibit, Identifier
from workbench.store import Store, open_store
from workbench.store.bulk import EventWriter

MEMBERS = 8
STRANGERS = 2_000
START = datetime(2021, 1, 4, tzinfo=UTC)
DAYS = 540

PHRASES = (
    "Thanks for your time today, the crime reference is on the letter",
    "Can you bring 2 x forms of ID to the station",
    "Running late, stuck behind a tax disc check",
    "Hope the Xbox turns up, insurers will be in touch",
    "Are you free for a chat later",
    "night babe xx",
    "you looked gorgeous today",
    "best you don't mention you have my number",
    "can't stop thinking about you in bed",
    "ok",
    "See you Thursday at 10",
    "Merry Xmas to all the team",
)


def _case_file(folder: Path) -> Path:
    lines = [
        '[case]\nref = "BENCH-ANALYSE"\ntitle = "Benchmark case"\ntimezone = "Europe/London"\n'
        'opened = "2022-09-01"\n',
        '[[person]]\nkey = "officer"\nname = "Sam Carter"\nrole = "subject"\ncollar = "PC 1001"\n'
        'identifiers = [\n  { kind = "phone", value = "07700 900001", use = "work" },\n'
        '  { kind = "phone", value = "07700 900002", use = "personal" },\n'
        '  { kind = "whatsapp", value = "Sam", use = "personal" },\n'
        '  { kind = "system_user", value = "C1001", use = "work" },\n'
        '  { kind = "vehicle", value = "YX21 ABC", use = "work" },\n]\n',
    ]
    for n in range(MEMBERS):
        lines.append(
            f'[[person]]\nkey = "member_{n}"\nname = "Member Number{n}"\nrole = "member_of_public"\n'
            f'cipher = "Person {chr(65 + n)}"\n'
            f'vulnerabilities = {["mental_health"] if n % 3 == 0 else []}\n'
            f'identifiers = [\n  {{ kind = "phone", value = "07700 9002{n:02d}" }},\n'
            f'  {{ kind = "whatsapp", value = "Member {n}" }},\n'
            f'  {{ kind = "police_record", value = "NICHE-PER-{n:06d}" }},\n]\n'
            f'home = {{ lat = {53.80 + n * 0.01}, lon = -1.55, label = "Home address" }}\n'
        )
    for n in range(0, MEMBERS, 2):
        day = START + timedelta(days=30 * n)
        lines.append(
            f'[[engagement]]\nofficer = "officer"\nmember = "member_{n}"\nkind = "Report"\n'
            f'started = "{day:%Y-%m-%dT%H:%M:%S}"\n'
            f'concluded = "{day + timedelta(days=10):%Y-%m-%dT%H:%M:%S}"\n'
        )
    path = folder / "bench.toml"
    path.write_text("\n".join(lines).replace("'", '"'), encoding="utf-8")
    return path


def populate(store: Store, count: int, folder: Path, seed: int = 7) -> str:
    """Create the benchmark case with ``count`` events; returns its ref."""
    ref = casefile.create_case(store, casefile.load(_case_file(folder)))
    rng = random.Random(seed)
    with store.session() as session:
        case_id = session.execute(text("SELECT id FROM cases WHERE ref = :r"), {"r": ref}).scalar_one()
        idents = {(kind, value): ident_id for ident_id, kind, value in session.execute(
            text("SELECT id, kind, value FROM identifiers WHERE case_id = :c"), {"c": case_id})}
        officer_id = session.execute(
            text("SELECT id FROM people WHERE case_id = :c AND key = 'officer'"), {"c": case_id}
        ).scalar_one()
        strangers = []
        for n in range(STRANGERS):
            ident = Identifier(case_id=case_id, kind="phone", value=f"+44770090{n + 3000:04d}",
                               display=f"07700 9{n + 3000:05d}", use="unknown")
            session.add(ident)
            strangers.append(ident)
        exhibit = Exhibit(case_id=case_id, reference="B/1", producer="bench", file_name="bench",
                          sha256="1" * 64, size=0, kind="cdr")
        session.add(exhibit)
        session.flush()
        for day in range(DAYS):
            begin = START + timedelta(days=day, hours=7)
            if day % 7 < 5:
                session.add(DutyShift(case_id=case_id, person_id=officer_id, start=begin,
                                      end=begin + timedelta(hours=9), exhibit_id=exhibit.id,
                                      source_position=f"line {day + 2}"))
        work = idents[("phone", "+447700900001")]
        personal = idents[("phone", "+447700900002")]
        officer_whatsapp = idents[("whatsapp", "sam")]
        system_user = idents[("system_user", "C1001")]
        vehicle = idents[("vehicle", "YX21ABC")]
        members = [(idents[("phone", f"+4477009002{n:02d}")], idents[("whatsapp", f"member {n}")],
                    idents[("police_record", f"NICHE-PER-{n:06d}")]) for n in range(MEMBERS)]
        stranger_ids = [s.id for s in strangers]
        writer = EventWriter(session)
        span = DAYS * 86_400
        for n in range(count):
            moment = START + timedelta(seconds=rng.randrange(span))
            draw = rng.random()
            lat = lon = None
            duration = status = body = None
            if draw < 0.70:  # a busy officer's work phone: colleagues and the public
                kind, channel = ("call", "work_mobile") if rng.random() < 0.6 else ("sms", "work_mobile")
                other, mine = rng.choice(stranger_ids), work
            elif draw < 0.86:  # members of the public, on every channel
                phone, whatsapp, _ = members[rng.randrange(MEMBERS)]
                pick = rng.random()
                if pick < 0.4:
                    kind, channel, other, mine = "call", "work_mobile", phone, work
                elif pick < 0.7:
                    kind, channel, other, mine = "sms", "personal_mobile", phone, personal
                else:
                    kind, channel, other, mine = "message", "whatsapp", whatsapp, officer_whatsapp
            elif draw < 0.98:
                kind, channel, other, mine = "vehicle_position", "telematics", None, vehicle
                lat, lon = 53.8 + rng.random() * 0.1, -1.55 + rng.random() * 0.01
                if rng.random() < 0.1:
                    kind, duration = "vehicle_stop", float(rng.randrange(60, 3600))
            else:
                kind, channel, mine = "system_lookup", "police_system", system_user
                other = rng.choice(members)[2] if rng.random() < 0.3 else None
                body = "PNC check"
            outgoing = rng.random() < 0.5 or other is None
            if kind == "call":
                duration = float(rng.choice((0, 2, 3, 45, 120, 600)))
                status = "missed" if duration == 0 and rng.random() < 0.5 else None
            elif kind in ("sms", "message") and rng.random() < 0.2:
                body = rng.choice(PHRASES)
            writer.add((
                case_id, exhibit.id, f"line {n + 2}", moment, False, kind, channel,
                "outgoing" if outgoing else "incoming",
                mine if outgoing else other, other if outgoing else mine,
                duration, status, body, None, lat, lon,
            ))
        writer.flush()
    return ref


def load_baseline(store: Store, ref: str) -> float:
    """Seconds for a plain SELECT of the case's event columns through the driver."""
    with store.engine.connect() as connection:
        case_id = connection.execute(text("SELECT id FROM cases WHERE ref = :r"), {"r": ref}).scalar_one()
        with stopwatch() as elapsed:
            rows = connection.exec_driver_sql(
                "SELECT id, exhibit_id, source_position, occurred_at, kind, channel, direction, "
                "from_id, to_id, duration_s, status, text, lat, lon FROM events WHERE case_id = ?"
                if connection.dialect.paramstyle == "qmark" else
                "SELECT id, exhibit_id, source_position, occurred_at, kind, channel, direction, "
                "from_id, to_id, duration_s, status, text, lat, lon FROM events WHERE case_id = %s",
                (case_id,),
            ).fetchall()
        del rows
    return elapsed[0]


_CASES: dict[int, tuple[str, str]] = {}
_FOLDER = tempfile.TemporaryDirectory()  # the bench run's synthetic cases, one per size


def bench_case(count: int) -> tuple[str, str]:
    """(store URL, ref) of the synthetic case with ``count`` events, built once per bench
    run and shared by the rows that read it (analyse first, then discover and the app's)."""
    if count not in _CASES:
        root = Path(_FOLDER.name) / str(count)
        root.mkdir()
        url = f"sqlite:///{root / 'case.db'}"
        store = open_store(url)
        _CASES[count] = (url, populate(store, count, root))
        store.dispose()
    return _CASES[count]


@benchmark("analyse")
def run(quick: bool) -> BenchRow:
    from workbench.analysis import run_analysis

    count = 5_000 if quick else 1_000_000
    url, ref = bench_case(count)
    store = open_store(url)
    baseline = min(load_baseline(store, ref) for _ in range(2))
    with stopwatch() as ours:
        result = run_analysis(store, ref)
    store.dispose()
    # The 2x target is for a million events; at the quick size fixed costs (storing
    # hundreds of markers, the audit entry) dwarf a 20 ms SELECT, so no target there.
    return BenchRow("analyse", ours[0], baseline, None if quick else 2.0,
                    "plain SELECT of the case's event columns (same store, same run)",
                    f"{count:,} events", note=f"{len(result.markers)} markers")
