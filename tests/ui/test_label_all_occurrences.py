"""Annotate > Label all occurrences (Ctrl+L), driven with keys: confirm an entity, press Ctrl+L,
read the count, answer Yes; every place becomes a suggestion, and one Ctrl+Z removes them all."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

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


#: Ctrl+L in a fresh window process, driven by key presses: the other documents' tokens come
#: from the token cache or the suggestion process (docs/adr/0031-start-window.md), so finding
#: the occurrences never imports spaCy into the window's process.
SESSION = """
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

app = QApplication([])

from annotator.core.model import Layer, Suggestion
from annotator.core.occurrence_commands import OCCURRENCES
from annotator.services.project import open_project
from annotator.ui.main_window import MainWindow
from tests.builders import insert_documents, turn_off_live_suggesters
from tests.ui.windows import wait_for_tokens

FIRST, SECOND, THIRD = sys.argv[2:5]
db = open_project(Path(sys.argv[1]) / "p.annotator")
with db.write() as store:
    turn_off_live_suggesters(store)
    first, _second, _third = insert_documents(store, [FIRST, SECOND, THIRD])
    start = FIRST.index("Haverly")
    store.add_suggestions([Suggestion(
        None, first, Layer.ENTITY, start, start + 7, "GPE", "rules", 0.8, "a place"
    )])

window = MainWindow(db, "ana")
window.show()
window.activateWindow()


def until(condition):
    while not condition():
        QCoreApplication.processEvents()
    assert window.executor.wait_idle(120_000)  # a loaded machine: wait, never fail on time


def box():
    found = [
        b for b in window.findChildren(QMessageBox)
        if b.objectName() == "confirm-occurrences" and b.isVisible()
    ]
    return found[-1] if found else None


def stored():
    with db.read() as store:
        return sum(
            1 for i in store.document_ids() for s in store.suggestions(i)
            if s.suggester == OCCURRENCES
        )


until(lambda: window.view is not None and window.view.document.id == first)
wait_for_tokens(window)
window.article.setFocus()
QTest.keyClick(window.article, Qt.Key.Key_Return)  # confirm the suggested "Haverly"
until(lambda: len(window.view.spans) == 1)
QTest.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
until(lambda: box() is not None)
print(box().text().splitlines()[0])
QTest.keyClick(QApplication.focusWidget() or box(), Qt.Key.Key_Return)  # Yes
until(lambda: stored() == 4)
window.close()
print(stored())
print(sorted(m for m in ("spacy", "thinc") if m in sys.modules))
"""


def test_ctrl_l_takes_tokens_from_the_suggestion_process_not_spacy_in_the_window(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SESSION, str(tmp_path), FIRST, SECOND, THIRD],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    counted, stored, imported = done.stdout.strip().splitlines()[-3:]
    # The same places as in this process, where the tokenizer may load: the work was done.
    assert counted == "“Haverly” as GPE: 4 occurrences in 3 documents."
    assert stored == "4"
    assert imported == "[]"
