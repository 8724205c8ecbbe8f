"""``workbench gui --snapshot DIR REF`` writes a PNG of each main view."""

from __future__ import annotations

from PySide6.QtGui import QImage

from ui import app

EXPECTED = ("main_window.png", "timeline.png", "markers_panel.png", "details_panel.png",
            "people_panel.png")


def test_snapshot_writes_each_view(qapp, case_store, tmp_path, capsys):
    store, ref = case_store
    out = tmp_path / "shots"
    assert app.run(db=store.url, ref=ref, snapshot=str(out)) == 0
    printed = capsys.readouterr().out
    for name in EXPECTED:
        image = QImage(str(out / name))
        assert not image.isNull(), name
        assert image.width() > 300 and image.height() > 200
        assert name in printed
    main = QImage(str(out / "main_window.png"))
    assert (main.width(), main.height()) == (1600, 1000)
    colours = {main.pixel(x, y) for x in range(0, 1600, 37) for y in range(0, 1000, 37)}
    assert len(colours) > 20  # a real picture, not a blank frame
