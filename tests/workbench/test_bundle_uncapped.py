"""A marker's supporting records are never capped: all of them are stored and in the annex."""

from __future__ import annotations

from pathlib import Path

from tests.workbench.analysis_builder import REF, CaseBuilder, markers, positions
from workbench.bundle.gather import gather
from workbench.bundle.sections.body import compact_positions
from workbench.store import Store
from workbench.store.queries import find_case

MANY = 620  # over the 500 the rules used to keep


def test_a_marker_of_more_than_500_records_keeps_and_lists_them_all(
        store: Store, tmp_path: Path) -> None:
    case = CaseBuilder(store, tmp_path)
    for n in range(MANY):  # personal-phone texts, one a day at noon: no work contact first
        day = n % 28 + 1
        case.sms(f"2021-{n // 28 % 12 + 1:02d}-{day:02d} 12:{n // 336:02d}", "ok",
                 line="personal", outgoing=n % 2 == 0)
    document = case.analyse()
    [marker] = markers(document, "personal_channel_contact")
    assert len(marker["evidence"]) == MANY
    assert sorted(positions(marker), key=lambda p: int(p.split()[1])) == [
        f"line {n}" for n in range(1, MANY + 1)]
    assert not any("further" in " ".join(item.get("detail", [])) for item in marker["evidence"])
    with store.reader() as session:
        content = gather(session, find_case(session, REF), "conference", True)
    [item] = [m for m in content.markers if m.rule == "personal_channel_contact"]
    assert len(item.evidence) == MANY
    assert compact_positions([e.source for e in item.evidence]) == f"T/1 lines 1–{MANY}"
