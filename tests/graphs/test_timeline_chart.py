"""The generic timeline chart renders from plain tuples and dataclasses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from graphs.render import save_figure
from graphs.timeline_chart import TimelineEvent, TimelineMarker, render_timeline_figure

T0 = datetime(2024, 3, 1, tzinfo=UTC)


def test_timeline_renders_vector_with_text(tmp_path: Path) -> None:
    fig = render_timeline_figure(
        ["Officer A", "Phone 1"],
        [(0, T0, "call"), TimelineEvent(1, T0 + timedelta(hours=5), "sms")],
        spans=[(1, T0 - timedelta(days=1), T0 + timedelta(days=2), "Engagement")],
        shading=[(T0 + timedelta(hours=18), T0 + timedelta(hours=30))],
        markers=[TimelineMarker(T0 + timedelta(hours=20), "high", "Lookup off duty"),
                 (T0 + timedelta(days=1), "low", "Note")],
        title="Timeline",
    )
    svg = save_figure(fig, tmp_path / "t.svg").read_text(encoding="utf-8")
    assert "Officer A" in svg and "Lookup off duty" in svg
    assert save_figure(fig, tmp_path / "t.pdf").stat().st_size > 1000
    assert save_figure(fig, tmp_path / "t.png").stat().st_size > 1000


def test_timeline_with_no_events(tmp_path: Path) -> None:
    fig = render_timeline_figure(["Only lane"], [(0, T0, "call")])
    assert save_figure(fig, tmp_path / "t.png").stat().st_size > 0
