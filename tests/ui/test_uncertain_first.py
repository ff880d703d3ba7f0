"""Edit > Preferences > "Done, next: the document the suggesters are least sure about": with the
project setting on, Ctrl+Return goes to the unfinished document whose stored suggestions have
scores nearest 0.5, then to those without suggestions in order; off, it goes in order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.core.model import Layer, Suggestion
from annotator.core.setting_commands import UNCERTAIN_FIRST_KEY
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import insert_documents, turn_off_live_suggesters
from tests.ui.driver import key, opened, settle
from tests.ui.test_preferences import back_in_window, click, open_dialog, press

C = Qt.KeyboardModifier.ControlModifier
S = Qt.KeyboardModifier.ShiftModifier

TEXTS = [
    "Opening\nMayor Petra Novak opened the bridge.\n",
    "Sure\nMayor Ivo Brand said 300 homes were hit.\n",
    "Quiet\nThe festival returned to the harbour.\n",
    "Unsure\nMayor Lena Roos said 41 ships waited.\n",
    "Fairly sure\nMayor Omar Adel said 12 roads were shut.\n",
]


def _suggestion(doc_id: int, text: str, piece: str, label: str, score: float) -> Suggestion:
    start = text.index(piece)
    return Suggestion(
        None, doc_id, Layer.ENTITY, start, start + len(piece), label, "rules", score, "test"
    )


@pytest.fixture
def window(db: Database, qtbot) -> Iterator[MainWindow]:
    with db.write() as store:
        turn_off_live_suggesters(store)
        ids = insert_documents(store, TEXTS)
        store.add_suggestions(
            [
                # Document 2: near-certain (mean margin 0.45); 4: a coin toss (0.0 and 0.1);
                # 5: in between (0.25); 3 has none.
                _suggestion(ids[1], TEXTS[1], "Ivo Brand", "PERSON", 0.95),
                _suggestion(ids[1], TEXTS[1], "300 homes", "QUANTITY", 0.95),
                _suggestion(ids[3], TEXTS[3], "Lena Roos", "PERSON", 0.5),
                _suggestion(ids[3], TEXTS[3], "41 ships", "QUANTITY", 0.6),
                _suggestion(ids[4], TEXTS[4], "Omar Adel", "PERSON", 0.75),
            ]
        )
    yield from opened(db, "ana", qtbot)


def _title(window: MainWindow) -> str:
    assert window.view is not None
    return window.view.document.text.split("\n", 1)[0]


def _done_next(qtbot, window: MainWindow) -> str:
    before = window.view.document.id  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Return, C)
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.id != before)
    settle(window)
    return _title(window)


def _setting(db: Database) -> object:
    with db.read() as store:
        return store.get_setting(UNCERTAIN_FIRST_KEY)


def test_done_next_takes_the_least_certain_document_when_the_setting_is_on(
    qtbot, window: MainWindow, db: Database
) -> None:
    assert _title(window) == "Opening"
    # Off (the default): in order.
    assert _done_next(qtbot, window) == "Sure"

    # Turn it on in Preferences: Space ticks the box, OK stores it as one undoable step.
    dialog = open_dialog(qtbot, window)
    assert not dialog.uncertain_first.isChecked()
    press(qtbot, dialog.uncertain_first, Qt.Key.Key_Space)
    assert dialog.uncertain_first.isChecked()
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    back_in_window(qtbot, window)
    qtbot.waitUntil(lambda: _setting(db) is True)
    # Undo and redo go through the same history as span edits.
    key(qtbot, window, Qt.Key.Key_Z, C)
    qtbot.waitUntil(lambda: _setting(db) is None)
    key(qtbot, window, Qt.Key.Key_Z, C | S)
    qtbot.waitUntil(lambda: _setting(db) is True)

    # On: the coin toss first, then the one in between, then the one without suggestions.
    assert _done_next(qtbot, window) == "Unsure"
    assert _done_next(qtbot, window) == "Fairly sure"
    assert _done_next(qtbot, window) == "Quiet"

    # The dialog shows the stored setting next time.
    dialog = open_dialog(qtbot, window)
    assert dialog.uncertain_first.isChecked()
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
