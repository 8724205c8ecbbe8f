"""Owner attribution in the import dialog: it asks which sender is the owner, with counts,
and offers the other party with the likely person chosen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QRadioButton

from ui.case_context import CaseContext
from ui.import_dialog import ImportDialog

CHAT = """20/03/2021, 19:05 - Dan M: Hi, it's Dan from the station
20/03/2021, 19:12 - Kerry L: Hiya yes im ok
20/03/2021, 19:13 - Kerry L: Still a bit shaken
20/03/2021, 19:20 - Dan M: Text me on here any time x
20/03/2021, 19:21 - Dan M: x
"""


@pytest.fixture
def dialog(qtbot, case_store):
    store, ref = case_store
    widget = ImportDialog(CaseContext(store, ref))
    qtbot.addWidget(widget)
    return widget


def _import(qtbot, dialog, path):
    dialog.add_files([path])
    dialog.owner.setCurrentIndex(dialog.owner.findData("pcso"))
    with qtbot.waitSignal(dialog.start().signals.finished, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: not dialog.runner.running)


def _owner_of(context, display):
    ident = next(i for i in context.case.identifiers if i.display == display)
    return ident.person.key if ident.person else None


def test_dialog_asks_which_sender_is_the_owner_and_assigns_the_other(qtbot, dialog, tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(CHAT, encoding="utf-8")
    _import(qtbot, dialog, path)
    assert len(dialog.owner_dialogs) == 1
    asked = dialog.owner_dialogs[0]
    qtbot.addWidget(asked)
    choices = [b.text() for b in asked.findChildren(QRadioButton)]
    assert choices == ["Dan M — 3 messages", "Kerry L — 2 messages"]
    assert "could not be told" in dialog.notes.text()  # the import notes say so
    # The other party's likely person is chosen already.
    kerry_combo = next(c for i, c in asked.assign.items()
                       if next(s for s in asked.attribution.senders if s.identifier_id == i).display == "Kerry L")
    assert kerry_combo.currentData() == "woman_a"
    asked.accept()
    context = dialog.context
    assert _owner_of(context, "Dan M") == "pcso"
    assert _owner_of(context, "Kerry L") == "woman_a"
    context.undo_stack.undo()  # the assignment is an ordinary undoable one
    assert _owner_of(context, "Kerry L") is None


def test_no_question_when_the_owner_is_clear(qtbot, dialog, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(CHAT.replace("Kerry L", "Kerry"), encoding="utf-8")  # Kerry is woman_a's name
    _import(qtbot, dialog, path)
    assert dialog.owner_dialogs == []
    assert "“Dan M” (3 messages) was linked to pcso" in dialog.notes.text()
    assert _owner_of(dialog.context, "Dan M") == "pcso"
