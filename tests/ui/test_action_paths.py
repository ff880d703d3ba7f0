"""The window's fast paths after an action: what it draws (worked out from the command, not
read again) is what a fresh read of the document shows, the document list's row follows
without a read, and time spent survives leaving and reopening a document."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Layer, Status, Suggestion
from annotator.storage.database import Database
from annotator.ui.highlighter import item_key
from annotator.ui.main_window import MainWindow
from tests.ui.windows import open_window

TEXT = (
    "Mayor Petra Novak said 300 homes in Valmora lost power.\n"
    "The Port Authority reported that 41 ships waited near Valmora.\n"
)
OTHER = "Ferry resumes\nThe ferry company said services would resume on Monday.\n"


@pytest.fixture
def project(db: Database) -> Database:
    with db.write() as store:
        store.set_setting(
            "suggesters", {name: {"enabled": False} for name in ("gazetteer", "rules", "claims")}
        )
        ids = store.insert_documents(
            [
                {
                    "title": t.splitlines()[0],
                    "text": t,
                    "sha256": hashlib.sha256(t.encode()).hexdigest(),
                }
                for t in (TEXT, OTHER)
            ]
        )
        doc = ids[hashlib.sha256(TEXT.encode()).hexdigest()]
        store.add_suggestions(
            [
                Suggestion(
                    None,
                    doc,
                    Layer.ENTITY,
                    TEXT.index(p),
                    TEXT.index(p) + len(p),
                    label,
                    "rules",
                    0.9,
                    "r",
                )
                for p, label in (
                    ("Petra Novak", "PERSON"),
                    ("300 homes", "QUANTITY"),
                    ("Port Authority", "ORG"),
                )
            ]
        )
    return db


def press(qtbot, window: MainWindow, key: Qt.Key, mod=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.article, key, mod)
    assert window.executor.wait_idle()


def drawn_equals_stored(window: MainWindow) -> None:
    view = window.view
    assert view is not None
    fresh = window.workspace.reload_spans(view)
    assert view == fresh
    drawn = {item_key(item) for item in window.article.items_in_order()}
    assert drawn == {item_key(item) for item in (*fresh.suggestions, *fresh.spans)}
    listed = window.workspace.summaries_of([view.document.id])[0]
    row = window.documents._model._row_of_id[view.document.id]
    page = window.documents._model._page_size
    assert window.documents._model._pages[row // page][row % page] == listed


def test_after_each_key_the_window_shows_what_is_stored(project: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(project, "ana", qtbot)
    assert window.executor.wait_idle()
    text = window.view.document.text  # type: ignore[union-attr]
    start = text.index("Valmora")
    window.article.select_range(start, start + len("Valmora"))
    press(qtbot, window, Qt.Key.Key_1)  # label the selection
    drawn_equals_stored(window)
    assert window.view.state.status is Status.IN_PROGRESS  # type: ignore[union-attr]
    # The same text elsewhere is suggested at once (the echo), also without a read.
    assert sum(s.label == window.view.spans[0].label for s in window.view.suggestions) >= 1  # type: ignore[union-attr]
    window.article.focus_item(next(s for s in window.view.suggestions if s.label == "PERSON"))  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_Return)  # accept
    drawn_equals_stored(window)
    press(qtbot, window, Qt.Key.Key_X)  # reject the next pending one
    drawn_equals_stored(window)
    sentence = text.index("The Port")
    window.article.focus_item(None)
    window.article.select_range(sentence + 4, sentence + 4)
    window.article.clear_selection()
    press(qtbot, window, Qt.Key.Key_C)  # a claim over the sentence
    drawn_equals_stored(window)
    press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, window, Qt.Key.Key_Return)  # link the nearest entity as claimant
    drawn_equals_stored(window)
    claim = next(s for s in window.view.spans if s.layer is Layer.CLAIM)  # type: ignore[union-attr]
    assert claim.claim is not None and claim.claim.claimant_id is not None
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: read again
    drawn_equals_stored(window)


def test_time_spent_survives_reopening_the_same_document(project: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Leaving a document stores the time after the next one is read; reopening the same
    document stores it first, so finishing it later keeps that time."""
    window = open_window(project, "ana", qtbot)
    assert window.executor.wait_idle()
    first = window.view.document.id  # type: ignore[union-attr]
    window._opened_at -= 100  # a hundred seconds of reading
    window.open_document(first)
    qtbot.waitUntil(lambda: window.view is not None and window.view.state.seconds_spent >= 100)
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # done, next
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.id != first)
    assert window.executor.wait_idle()
    with project.read() as store:
        assert store.get_state(first, "ana").seconds_spent >= 100
    second = window.view.document.id  # type: ignore[union-attr]
    window._opened_at -= 50
    window.open_document(first)  # another document: its time is stored after the read
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.id == first)
    assert window.executor.wait_idle()
    with project.read() as store:
        assert store.get_state(second, "ana").seconds_spent >= 50
