"""graphs stays generic: no workbench, ui, Qt or pyplot imports."""

from __future__ import annotations

import ast
from pathlib import Path

import graphs

FORBIDDEN = ("workbench", "ui", "PySide6", "matplotlib.pyplot")


def test_graphs_imports_nothing_forbidden() -> None:
    package = Path(graphs.__file__).parent
    for source in package.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                for forbidden in FORBIDDEN:
                    assert not (name == forbidden or name.startswith(forbidden + ".")), (
                        f"{source.name} imports {name}"
                    )
