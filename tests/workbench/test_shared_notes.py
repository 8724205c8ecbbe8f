"""Notes, tags, hits and watchlists on a workstation (SQLite) store, through the CLI and
the bundle; the PostgreSQL side is in test_shared_store.py."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.workbench.bundle_case import REF, build_case
from workbench.bundle import export_bundle
from workbench.cli import main
from workbench.shared import notes


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_user_commands_say_plainly_they_need_a_shared_store(cli_env, capsys):
    status, _, err = run(capsys, "user", "list")
    assert status == 1
    assert "needs a shared PostgreSQL store" in err and "\n" not in err.strip()
    status, _, err = run(capsys, "user", "add", "jbrown", "--name", "DS 4120 Jane Brown",
                         "--role", "investigator")
    assert status == 1 and "needs a shared PostgreSQL store" in err


def test_notes_tags_and_bookmarks_through_the_cli(cli_env, capsys):
    from tests.conftest import DATA

    assert run(capsys, "case", "create", str(DATA / "willow.toml"))[0] == 0
    assert run(capsys, "note", "add", "OP-WILLOW", "--person", "woman_a", "First contact?")[0] == 0
    assert run(capsys, "note", "edit", "OP-WILLOW", "1", "First contact on 1 March")[0] == 0
    status, _, err = run(capsys, "tag", "add", "OP-WILLOW", "--person", "woman_a", "no such tag")
    assert status == 1 and "not in case OP-WILLOW's vocabulary" in err
    assert run(capsys, "tag", "vocab", "OP-WILLOW", "--add", "safeguarding")[0] == 0
    assert run(capsys, "tag", "add", "OP-WILLOW", "--person", "pcso", "safeguarding")[0] == 0
    assert run(capsys, "bookmark", "OP-WILLOW", "--person", "pcso")[0] == 0
    _, out, _ = run(capsys, "note", "list", "OP-WILLOW", "--json")
    found = json.loads(out)
    assert [(n["kind"], n["on"]["name"], n["text"], n["version"]) for n in found] == [
        ("tag", "pcso", "safeguarding", 1), ("bookmark", "pcso", "", 1),
        ("note", "woman_a", "First contact on 1 March", 2)]
    _, out, _ = run(capsys, "note", "list", "OP-WILLOW", "--tag", "safeguarding", "--json")
    assert [n["on"]["name"] for n in json.loads(out)] == ["pcso"]
    assert run(capsys, "tag", "remove", "OP-WILLOW", "--person", "pcso", "safeguarding")[0] == 0
    _, out, _ = run(capsys, "note", "list", "OP-WILLOW", "--kind", "tag", "--json")
    assert json.loads(out) == []
    _, out, _ = run(capsys, "audit", "verify")
    assert "intact" in out


def test_hits_and_watchlist_on_one_workstation(cli_env, capsys, tmp_path):
    from tests.conftest import DATA

    run(capsys, "case", "create", str(DATA / "willow.toml"))
    second = tmp_path / "ash.toml"
    second.write_text((DATA / "willow.toml").read_text().replace('"OP-WILLOW"', '"OP-ASH"'))
    run(capsys, "case", "create", str(second))
    _, out, _ = run(capsys, "hits", "OP-ASH", "--json")
    phone = next(h for h in json.loads(out) if h["value"] == "+447700900201")
    assert phone == {"kind": "phone", "value": "+447700900201", "other_cases": 1,
                     "cases": ["OP-WILLOW"], "hidden": []}
    assert run(capsys, "watchlist", "add", "phone", "07700 900201", "--reason", "intel report",
               "--review", "2027-06-01")[0] == 0
    _, out, _ = run(capsys, "watchlist", "list", "--json")
    assert [e["value"] for e in json.loads(out)["entries"]] == ["+447700900201"]
    assert run(capsys, "watchlist", "remove", "1", "--reason", "reviewed")[0] == 0
    _, out, _ = run(capsys, "watchlist", "list", "--json")
    assert json.loads(out)["entries"] == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_notes_go_in_the_internal_bundle_and_the_hearing_bundle_only_when_chosen(store, tmp_path):
    build_case(store, tmp_path)
    with store.session() as session:
        from workbench.store.queries import find_case

        case = find_case(session, REF)
        target = notes.resolve_target(session, case, "person", "woman_a")
        notes.add_note(session, case, target, "Kerry Lowe says the PCSO called her twice")

    def text(audience: str, **options) -> str:
        path = tmp_path / f"{audience}-{len(options)}.pdf"
        export_bundle(store, REF, path, audience=audience, **options)
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout

    assert "called her twice" in text("internal")
    assert "called her twice" not in text("hearing")
    chosen = text("hearing", include_notes=True)
    assert "called her twice" in chosen and "Kerry" not in chosen
