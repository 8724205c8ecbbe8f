"""The command-line contract: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from tests.conftest import DATA
from workbench.cli import main


def test_unknown_case_is_exit_1_with_one_line(cli_env, capsys):
    assert main(["case", "show", "OP-NONE"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "workbench: no case 'OP-NONE'"


def test_bad_usage_is_exit_2(cli_env, capsys):
    result = subprocess.run([sys.executable, "-m", "workbench", "case", "frobnicate"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_case_list_json(cli_env, capsys):
    main(["case", "create", str(DATA / "willow.toml")])
    capsys.readouterr()
    assert main(["case", "list", "--json"]) == 0
    assert [c["ref"] for c in json.loads(capsys.readouterr().out)] == ["OP-WILLOW"]


def test_audit_verify_fails_after_a_row_is_edited(cli_env, capsys):
    main(["case", "create", str(DATA / "willow.toml")])
    assert main(["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    with sqlite3.connect(cli_env) as connection:
        connection.execute("UPDATE audit_entries SET user = 'someone-else'")
    assert main(["audit", "verify", "OP-WILLOW"]) == 1
    assert "audit entry 1: content does not match its hash" in capsys.readouterr().err


def test_verify_rehashes_exhibit_files(cli_env, tmp_path, capsys):
    main(["case", "create", str(DATA / "willow.toml")])
    assert main(["verify"]) == 0
    assert "every stored exhibit matches" in capsys.readouterr().out


def test_bench_prints_its_row(cli_env, capsys):
    assert main(["bench", "--quick", "--only", "store_insert"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("store_insert") and "baseline" in line and "ratio" in line


def test_bench_unknown_name_is_usage_error(cli_env, capsys):
    assert main(["bench", "--only", "nope"]) == 2


def test_no_command_opens_the_app_keeping_global_options(monkeypatch):
    import types

    import workbench.cli.app as app_command

    calls = []
    fake = types.SimpleNamespace(run=lambda **kwargs: calls.append(kwargs) or 0)
    real = app_command.importlib.import_module
    monkeypatch.setattr(app_command.importlib, "import_module",
                        lambda name: fake if name == "ui.app" else real(name))
    assert main(["--db", "sqlite:///elsewhere.db"]) == 0
    assert calls == [{"db": "sqlite:///elsewhere.db", "ref": None, "snapshot": None}]
