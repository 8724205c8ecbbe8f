"""Case description files: validated fully before anything is created."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.conftest import DATA
from workbench import casefile
from workbench.cli import main
from workbench.errors import CaseFileError
from workbench.model import AuditEntry, Case, Person


def test_realistic_case_file_gives_e164_ciphers_and_vulnerabilities(cli_env, capsys):
    assert main(["case", "create", str(DATA / "willow.toml")]) == 0
    assert capsys.readouterr().out.strip() == "OP-WILLOW"
    assert main(["case", "show", "OP-WILLOW", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    people = {p["key"]: p for p in shown["people"]}
    assert people["woman_a"]["cipher"] == "Woman A"
    assert people["woman_a"]["vulnerabilities"] == ["learning_disability", "lives_alone", "victim_of_crime"]
    phones = {(i["value"], i["use"]) for i in people["pcso"]["identifiers"] if i["kind"] == "phone"}
    assert phones == {("+447700900101", "work"), ("+447700900102", "personal")}
    assert people["woman_a"]["identifiers"][0] == {
        "kind": "phone", "value": "+447700900201", "display": "+44 7700 900201", "use": "unknown"}
    facebook = next(i for i in people["pcso"]["identifiers"] if i["kind"] == "facebook")
    assert facebook["value"] == "dan marsh" and facebook["display"] == "Dan Marsh"
    vehicle = next(i for i in people["pcso"]["identifiers"] if i["kind"] == "vehicle")
    assert vehicle["value"] == "YX21ABC"
    assert shown["counts"]["events"] == 0 and shown["timezone"] == "Europe/London"


def test_engagement_times_are_local_to_the_case(store):
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    with store.reader() as session:
        case = session.scalars(select(Case)).one()
        engagement = case.engagements[0]
        # 10:12 GMT on 1 March is 10:12 UTC; the case file gives local time.
        assert engagement.started.isoformat() == "2021-03-01T10:12:00+00:00"
        assert case.places[0].radius_m == 150.0


BROKEN = {
    "unknown role": ('role = "subject"', 'role = "suspect"', "person 'pcso'.role: unknown role 'suspect'"),
    "duplicate key": ('key = "colleague"', 'key = "woman_a"', "person 'woman_a': duplicate key"),
    "unknown person in engagement": ('member = "woman_a"', 'member = "woman_z"',
                                     "engagement 1.member: unknown person 'woman_z'"),
    "bad date": ('concluded = "2021-03-05T17:00:00"', 'concluded = "5th March"',
                 "engagement 1.concluded: '5th March' is not a date and time"),
    "bad number": ('"+44 7700 900201"', '"+44 7700 900201 999"', "person 'woman_a' identifier 1.value"),
    "bad vulnerability": ('"lives_alone"', '"lonely"', "unknown factor 'lonely'"),
    "toml syntax": ("[case]", "[case", "willow.toml: syntax"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_invalid_case_files_are_refused_and_nothing_is_created(name, tmp_path, cli_env, capsys):
    old, new, message = BROKEN[name]
    text = (DATA / "willow.toml").read_text()
    assert old in text
    broken = tmp_path / "willow.toml"
    broken.write_text(text.replace(old, new, 1))
    assert main(["case", "create", str(broken)]) == 1
    err = capsys.readouterr().err
    assert message in err and "willow.toml" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["case", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_the_same_case_twice_is_refused(store):
    data = casefile.load(DATA / "willow.toml")
    casefile.create_case(store, data)
    with pytest.raises(Exception, match="already exists"):
        casefile.create_case(store, data)
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 3
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(CaseFileError, match="nothere.toml: file: no such file"):
        casefile.load(tmp_path / "nothere.toml")
