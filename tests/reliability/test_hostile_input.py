"""Hostile input beyond the importers' own tests: huge lines, formula injection in our CSV."""

from __future__ import annotations

import csv
import time

import pytest
from sqlalchemy import func, select

from tests.workbench.case_builder import add_events
from workbench.chronology_csv import safe_cell, write_chronology_csv
from workbench.errors import ImportRefused
from workbench.ingest.pipeline import import_file
from workbench.model import Event, Exhibit


@pytest.mark.parametrize("kind, header", [
    ("cdr", b"Calling Number,Called Number,Call Date,Call Time\n"),
    ("whatsapp", b"20/06/2021, 14:30 - Kerry: "),
    ("system-audit", b"Timestamp,User ID,System,Action,Record Ref\n"),
])
def test_a_50_mb_single_line_is_refused_quickly_and_cleanly(willow, tmp_path, kind, header):
    path = tmp_path / "huge.txt"
    path.write_bytes(header + b"A" * (50 * 1024 * 1024))
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        import_file(willow, "OP-WILLOW", path, kind=kind)
    assert time.perf_counter() - started < 60  # generous: the point is that it ends
    assert refused.value.file == "huge.txt" and refused.value.position.startswith("line")
    with willow.reader() as session:
        assert session.scalar(select(func.count()).select_from(Exhibit)) == 0
        assert session.scalar(select(func.count()).select_from(Event)) == 0


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_formula_cells_are_neutralised(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("ordinary text") == "ordinary text" and safe_cell(12.5) == 12.5


def test_chronology_csv_neutralises_message_bodies(willow, tmp_path):
    from datetime import UTC, datetime

    add_events(willow, "OP-WILLOW", [
        {"at": datetime(2021, 3, 2, 10, tzinfo=UTC), "sender": ("phone", "07700 900101"),
         "recipient": ("phone", "07700 900201"), "text": "=cmd|'/c calc'!A1"},
        {"at": datetime(2021, 3, 2, 11, tzinfo=UTC), "sender": ("phone", "07700 900201"),
         "recipient": ("phone", "07700 900101"), "text": "@everyone hi Kerry"},
    ])
    out = tmp_path / "chronology.csv"
    assert write_chronology_csv(willow, "OP-WILLOW", out, anonymise=True) == 2
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows] == ["'=cmd|'/c calc'!A1", "'@everyone hi [Woman A]"]
    assert (rows[0]["from"], rows[0]["from identifier"]) == ("Daniel Marsh", "07700 900101")
    assert (rows[0]["to"], rows[0]["to identifier"]) == ("Woman A", "Woman A's phone")
    assert "Kerry" not in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("kind, root", [("telematics", "gpx"), ("sms-backup", "smses"), ("ufdr", "project")])
def test_an_unknown_xml_encoding_is_refused(willow, tmp_path, kind, root):
    """Found by the long fuzz run: expat raised LookupError for encoding="TF-8"."""
    path = tmp_path / "odd.xml"
    path.write_text(f'<?xml version="1.0" encoding="TF-8"?>\n<{root}></{root}>\n')
    with pytest.raises(ImportRefused, match="unknown encoding|encoding Python does not know"):
        import_file(willow, "OP-WILLOW", path, kind=kind, owner="pcso:07700900102")


@pytest.mark.parametrize(("field", "value"), [(6, 235), (10, 99)])  # version needed, method
def test_a_zip_python_cannot_read_is_refused_not_crashed(willow, tmp_path, field, value):
    """Found by fuzzing: zipfile raises NotImplementedError for a "version needed to
    extract" or a compression method it does not know."""
    import struct

    from tests.conftest import DATA
    from tests.workbench.device_import_helpers import assert_refused

    data = bytearray((DATA / "ingest" / "whatsapp" / "WhatsApp Chat - Kerry.zip").read_bytes())
    at = -1
    while (at := data.find(b"PK\x01\x02", at + 1)) != -1:  # every central directory entry
        data[at + field: at + field + 2] = struct.pack("<H", value)
    odd = tmp_path / "WhatsApp Chat - Kerry.zip"
    odd.write_bytes(bytes(data))
    assert_refused(willow, odd, "zip", kind="whatsapp")
