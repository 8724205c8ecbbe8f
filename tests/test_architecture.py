"""The layering contract: the core never imports Qt; graphs never imports the workbench."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint_imports = shutil.which("lint-imports")
    if lint_imports is None:
        pytest.skip("import-linter not installed")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_is_mypy_clean():
    """The core keeps its type hints honest (STYLE.md); files and options are in pyproject."""
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy not installed (pip install -e .[test])")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    """The lint rules in pyproject (with RUF100: no stale noqa; BLE: no blind except)."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff not installed (pip install -e .[test])")
    result = subprocess.run([ruff, "check", "workbench", "graphs", "ui", "tests"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_imports_without_qt():
    code = (
        "import sys, importlib, pkgutil\n"
        "sys.modules['PySide6'] = None\n"
        "import workbench, graphs\n"
        "for pkg in (workbench, graphs):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' not in m.name and not m.name.endswith('__main__'):\n"
        "            importlib.import_module(m.name)\n"
    )
    result = subprocess.run(["python", "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_core_never_uses_pyplot():
    """pyplot keeps global state and may pick a GUI backend; the core draws on Figure objects.

    (import-linter cannot forbid a subpackage of an external package, hence this scan.)
    """
    import ast

    offenders = []
    for package in ("workbench", "graphs"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                if any(name.startswith("matplotlib.pyplot") or name == "pylab" for name in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
