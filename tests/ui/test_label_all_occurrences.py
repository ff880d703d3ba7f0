"""Annotate > Label all occurrences (Ctrl+L), driven with keys: confirm an entity, press Ctrl+L,
read the count, answer Yes; every place becomes a suggestion, and one Ctrl+Z removes them all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import Layer, Suggestion
from annotator.core.occurrence_commands import OCCURRENCES
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import insert_documents, turn_off_live_suggesters
from tests.ui.driver import key, opened, settle

C = Qt.KeyboardModifier.ControlModifier

FIRST = "Port talks\nDockers at Haverly walked out. Haverly port is shut.\n"
SECOND = "Calm returns\nIn Haverly, calm. The Haverlyan coast waits.\n"
THIRD = "Ships wait\nShips off Haverly and more ships off Haverly.\n"


@pytest.fixture
def window(db: Database, qtbot) -> Iterator[MainWindow]:
    with db.write() as store:
        turn_off_live_suggesters(store)
        first, _second, _third = insert_documents(store, [FIRST, SECOND, THIRD])
        start = FIRST.index("Haverly")
        store.add_suggestions(
            [
                Suggestion(
                    None, first, Layer.ENTITY, start, start + 7, "GPE", "rules", 0.8, "a place"
                )
            ]
        )
    yield from opened(db, "ana", qtbot)


def _stored(db: Database) -> list[tuple[int, int, str]]:
    with db.read() as store:
        return sorted(
            (s.document_id, s.start, s.label)
            for doc_id in store.document_ids()
            for s in store.suggestions(doc_id)
            if s.suggester == OCCURRENCES
        )


def _box(window: MainWindow) -> QMessageBox | None:
    found = [
        b
        for b in window.findChildren(QMessageBox)
        if b.objectName() == "confirm-occurrences" and b.isVisible()
    ]
    return found[-1] if found else None


def test_confirm_then_ctrl_l_suggests_every_occurrence_and_undo_takes_them_back(
    qtbot, window: MainWindow, db: Database
) -> None:
    view = window.view
    assert view is not None and view.document.text == FIRST
    # The document opens on its suggestion: Enter confirms it (the focus moves on).
    key(qtbot, window, Qt.Key.Key_Return)
    assert [(s.start, s.label) for s in window.view.spans] == [(FIRST.index("Haverly"), "GPE")]  # type: ignore[union-attr]

    qtbot.keyClick(window.article, Qt.Key.Key_L, C)
    qtbot.waitUntil(lambda: _box(window) is not None, timeout=20_000)
    box = _box(window)
    assert box is not None
    # The second "Haverly" here, one in the second document (not "Haverlyan"), two in the third.
    assert "“Haverly” as GPE: 4 occurrences in 3 documents" in box.text()
    assert _stored(db) == []  # nothing stored before the answer
    qtbot.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_Return)  # Yes (the default)
    qtbot.waitUntil(lambda: len(_stored(db)) == 4)
    settle(window)
    # The open document shows its other occurrence as a pending suggestion at once.
    qtbot.waitUntil(
        lambda: any(
            s.start == FIRST.index("Haverly port") and s.label == "GPE"
            for s in window.view.suggestions  # type: ignore[union-attr]
        )
    )
    assert "Ctrl+Z" in window.statusBar().currentMessage()

    # One undo takes every occurrence back.
    key(qtbot, window, Qt.Key.Key_Z, C)
    qtbot.waitUntil(lambda: _stored(db) == [])
    # The confirmed span stays.
    assert [(s.start, s.label) for s in window.view.spans] == [(FIRST.index("Haverly"), "GPE")]  # type: ignore[union-attr]


def test_no_entity_says_what_to_do(qtbot, window: MainWindow, db: Database) -> None:
    window.article.focus_item(None)
    key(qtbot, window, Qt.Key.Key_L, C)
    assert "Confirm or focus an entity first" in window.statusBar().currentMessage()
    assert _box(window) is None and _stored(db) == []
