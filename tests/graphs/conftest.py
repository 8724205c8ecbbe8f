"""Fixtures for the graphs tests (headless: no pyplot, no Qt)."""

from __future__ import annotations

import networkx as nx
import pytest

from tests.graphs.example_graph import build_example_graph


@pytest.fixture
def example_graph() -> nx.MultiGraph:
    """The ~35-node hand-built investigation chart."""
    return build_example_graph()
