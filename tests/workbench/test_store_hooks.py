"""The store imports nothing above it: what the audit chain and the shared store do when a
case is found or refused, they register with ``store.queries`` at import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What the store may build on: the model, errors, configuration and the exhibit files.
BELOW_THE_STORE = ("workbench.store", "workbench.model", "workbench.errors", "workbench.config",
                   "workbench.evidence.files")


def imported_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


def test_the_store_imports_nothing_above_it():
    offenders = {}
    for path in (ROOT / "workbench" / "store").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        above = [m for m in imported_modules(path) if m.startswith("workbench")
                 and m != "workbench" and not m.startswith(BELOW_THE_STORE)]
        if above:
            offenders[str(path.relative_to(ROOT))] = above
    assert offenders == {}


def test_find_case_is_imported_from_the_store_only():
    with pytest.raises(ImportError):
        exec("from workbench.ingest.pipeline import find_case", {})
    users = [str(p.relative_to(ROOT)) for folder in ("workbench", "ui", "tests")
             for p in (ROOT / folder).rglob("*.py")
             if "workbench.ingest.pipeline.find_case" in imported_modules(p)]
    assert users == []


@pytest.mark.parametrize("entry", [
    "from workbench.cli import build_parser; build_parser()",  # the command line
    "import ui.main_window",  # the app
])
def test_the_programs_register_both_hooks(entry):
    code = (f"{entry}\nfrom workbench.store import queries\n"
            "print(len(queries._taken_for_writing), len(queries._refused))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                            "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "1"]


def test_an_edit_behind_the_applications_back_is_still_recorded(willow):
    """The audit chain's hook runs when a writer takes the case (behaviour as before)."""
    from sqlalchemy import select, text

    from workbench import audit
    from workbench.model import AuditEntry
    from workbench.store.queries import find_case

    with willow.engine.begin() as connection:
        connection.execute(text("UPDATE people SET name = 'Someone Else' WHERE key = 'woman_a'"))
    with willow.session() as session:
        audit.append(session, find_case(session, "OP-WILLOW"), "note", {"text": "after"})
    with willow.reader() as session:
        actions = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.case_ref == "OP-WILLOW").order_by(AuditEntry.sequence)))
    assert actions[-2:] == [audit.OUTSIDE_CHANGES, "note"]
