"""The activity matrix in the app: counts, the pair choice, the time range, clicking a cell."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from tests.ui.conftest import at
from ui.case_context import CaseContext
from ui.main_window import MainWindow
from ui.matrix_panel import MatrixPanel


def test_matrix_counts_pairs_and_range(qtbot, case_store):
    store, ref = case_store
    context = CaseContext(store, ref)
    panel = MatrixPanel(context)
    qtbot.addWidget(panel)
    panel.resize(900, 320)
    with qtbot.waitSignal(panel.counted):  # counted in a worker
        panel.show()
    assert panel.matrix.total == 11  # every contact but the vehicle stop
    with qtbot.waitSignal(panel.counted):
        panel.pair.setCurrentIndex(panel.pair.findData("woman_a"))
    assert panel.matrix.total == 10  # not the unattributed number's call
    with qtbot.waitSignal(panel.counted):
        context.select_range((int(at(20, 0).timestamp()), int(at(21, 23).timestamp())))
    assert panel.matrix.total == 3
    assert "3 contact(s)" in panel.summary.text()


def test_clicking_a_cell_selects_its_records(qtbot, case_store, tmp_path):
    store, ref = case_store
    context = CaseContext(store, ref)
    window = MainWindow(context, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    panel = window.views.matrix
    window.views.docks["matrix"].raise_()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.matrix is not None)  # counted in a worker
    panel.grid.resize(24 * 30 + 44, 7 * 30 + 20)
    # The WhatsApp messages of Monday 22 March, 22:xx (GMT): three in one cell.
    day, hour = 0, 22
    centre = panel.grid.cell_rect(day, hour).center().toPoint()
    with qtbot.waitSignal(panel.recordsChosen) as chosen:
        qtbot.mouseClick(panel.grid, Qt.MouseButton.LeftButton, pos=centre)
    assert len(chosen.args[0]) == 3
    assert context.selection.event == chosen.args[0][0]
    assert context.search_results == chosen.args[0]
    assert len(window.timeline.view.highlighted) == 3
