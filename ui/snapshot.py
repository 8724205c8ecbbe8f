"""``workbench gui --snapshot DIR [REF]``: each main view rendered to a PNG, offscreen-capable."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from ui import theme
from ui.case_context import CaseContext
from ui.casework_docks import snapshot_casework
from ui.main_window import MainWindow
from ui.views_docks import snapshot_views
from workbench.overview import case_exists
from workbench.store import Store
from workbench.timeline import KIND_CODES

WINDOW_SIZE = (1600, 1000)


def _settle() -> None:
    app = QApplication.instance()
    for _ in range(3):
        if app is not None:
            app.processEvents()


def _side_by_side(left: QPixmap, right: QPixmap) -> QImage:
    """Two renderings of a panel next to each other in one image."""
    gap = 12
    image = QImage(left.width() + gap + right.width(), max(left.height(), right.height()),
                   QImage.Format.Format_ARGB32)
    image.fill(theme.colours(theme.current())["window"])
    painter = QPainter(image)
    painter.drawPixmap(0, 0, left)
    painter.drawPixmap(left.width() + gap, 0, right)
    painter.end()
    return image


def write_snapshots(store: Store, ref: str | None, folder: Path, anonymise: bool = False) -> list[Path]:
    """Render the main window and each panel of case ``ref`` (default: the demo) to PNGs."""
    from workbench.demo import DEMO_REF, build_demo

    if ref is None:
        ref = DEMO_REF
        if not case_exists(store, ref):
            build_demo(store)
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.apply(app, "light")
    # A private settings file: a snapshot neither uses nor changes the user's layout.
    with tempfile.TemporaryDirectory(prefix="workbench-snapshot-") as settings_dir:
        settings = QSettings(str(Path(settings_dir) / "settings.ini"), QSettings.Format.IniFormat)
        written = _render(store, ref, folder, anonymise, settings)
        settings.sync()  # while its folder is still there
    return written


def _render(store: Store, ref: str, folder: Path, anonymise: bool, settings: QSettings) -> list[Path]:
    context = CaseContext(store, ref, anonymise=anonymise)
    window = MainWindow(context, settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    _settle()
    written: list[Path] = []

    def save(image: QImage | QWidget, name: str) -> None:
        path = folder / name
        (image if isinstance(image, QImage) else image.grab()).save(str(path))
        written.append(path)

    marker = _interesting_marker(context)
    if marker is not None:
        context.select_marker(marker)
    _settle()
    save(window, "main_window.png")
    save(window.timeline.render_image(1600, 620), "timeline.png")
    save(window.docks["markers"].widget(), "markers_panel.png")
    marker_id = context.selection.marker
    spans = context.timeline.markers  # with their supporting events
    chosen = next((m for m in spans if m.id == marker_id), None)
    first_event = chosen.evidence[0] if chosen and chosen.evidence else None
    worded = next((m for m in spans if m.rule == "affectionate_language" and m.evidence), None)
    if worded is not None:  # a message shows the lexicon at work
        first_event = worded.evidence[0]
    if first_event is None and context.timeline.count:  # no markers yet: show a message
        first_event = _a_message(context)
    details = _detached_details(context)
    shots = []
    if first_event is not None:
        context.select_event(first_event)
        _settle()
        shots.append(details.grab())
    if marker_id is not None:
        context.select_marker(marker_id)
        _settle()
        shots.append(details.grab())
    if len(shots) == 2:
        save(_side_by_side(*shots), "details_panel.png")
    elif shots:
        save(shots[0].toImage(), "details_panel.png")
    details.close()
    people = window.docks["people"].widget()
    people.resize(640, 520)
    save(people, "people_panel.png")
    written += snapshot_casework(window, context, folder)
    written += snapshot_views(window, context, folder)
    window.close()
    _settle()
    return written


def _interesting_marker(context: CaseContext) -> int | None:
    """A high-severity marker with message evidence, else the first one."""
    ranked = sorted(context.timeline.markers, key=lambda m: (
        {"high": 0, "medium": 1}.get(m.severity, 2), -len(m.evidence), m.start))
    return ranked[0].id if ranked else None


def _detached_details(context: CaseContext) -> QWidget:
    from ui.details_panel import DetailsPanel

    panel = DetailsPanel(context)
    panel.resize(560, 720)
    return panel


def _a_message(context: CaseContext) -> int:
    """An event with text, to show the details panel at work (the first event otherwise)."""
    data = context.timeline
    messages = np.flatnonzero(data.kind == KIND_CODES["message"])
    return int(data.event_id[messages[len(messages) // 3]] if messages.size else data.event_id[0])
