"""Billing and rosters sent as Excel workbooks import like their CSV equivalents."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime, time

import openpyxl
import pytest
from sqlalchemy import func, select

from workbench.errors import ImportRefused
from workbench.ingest.pipeline import import_file
from workbench.ingest.registry import detect
from workbench.model import Event, Exhibit


def billing_workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Itemised billing, 01/03/2021 to 31/03/2021"])  # a title row above the header
    sheet.append(["Calling Number", "Called Number", "Call Date", "Call Time",
                  "Duration (hh:mm:ss)", "Call Type"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_billing_workbook_is_detected_and_imported(willow, tmp_path):
    path = billing_workbook(tmp_path / "billing.xlsx", [
        ["07700 900101", "07700 900201", date(2021, 3, 2), time(10, 15), time(0, 2, 17), "Voice"],
        # A number typed into Excel as a number loses its leading zero.
        [7700900201, 7700900101, date(2021, 6, 20), time(22, 47), None, "SMS"],
    ])
    assert detect(path).kind == "cdr"
    result = import_file(willow, "OP-WILLOW", path, producer="Jane Brown")
    assert result.events == 2 and result.exhibit == "JB/1"
    with willow.reader() as session:
        events = session.scalars(select(Event).order_by(Event.id)).all()
        assert [(e.source_position, e.kind, e.channel, e.direction) for e in events] == [
            ("line 3", "call", "work_mobile", "outgoing"),
            ("line 4", "sms", "work_mobile", "incoming")]
        assert events[0].occurred_at == datetime(2021, 3, 2, 10, 15, tzinfo=UTC)
        assert events[0].duration_s == 137
        assert events[1].occurred_at == datetime(2021, 6, 20, 21, 47, tzinfo=UTC)  # BST
        assert events[1].sender.value == "+447700900201"


def test_a_bad_cell_names_the_row_and_nothing_is_left(willow, tmp_path):
    path = billing_workbook(tmp_path / "billing.xlsx", [
        ["07700 900101", "07700 900201", date(2021, 3, 2), time(10, 15), "0:01:00", "Voice"],
        ["07700 900101", "07700 900201", "not a date", time(11, 0), "0:01:00", "Voice"],
    ])
    with pytest.raises(ImportRefused, match="line 4") as refused:
        import_file(willow, "OP-WILLOW", path)
    assert refused.value.file == "billing.xlsx"
    with willow.reader() as session:
        assert session.scalar(select(func.count()).select_from(Exhibit)) == 0
        assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_damaged_or_hostile_workbook_is_refused(willow, tmp_path):
    good = billing_workbook(tmp_path / "good.xlsx", [
        ["07700 900101", "07700 900201", date(2021, 3, 2), time(10, 15), "0:01:00", "Voice"]])
    damaged = tmp_path / "damaged.xlsx"
    data = good.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportRefused):
        import_file(willow, "OP-WILLOW", damaged, kind="cdr")
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("../escape.txt", "x")
    with pytest.raises(ImportRefused, match="climbs out"):
        import_file(willow, "OP-WILLOW", hostile, kind="cdr")
