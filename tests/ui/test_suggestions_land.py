"""Suggestions computed in the background land while the person is already working in the
text: they are drawn, but the selection and the caret the person made stay where they are (a
document that opened with nothing to focus focuses its first suggestion only while the person
has not placed the caret yet)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Layer, Suggestion
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import at, insert_documents, titled, turn_off_live_suggesters
from tests.ui.driver import key, opened, settle

TEXT = "Officials in Kyiv said the ferry would resume on Monday.\n"
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def document(db: Database) -> int:
    with db.write() as store:
        turn_off_live_suggesters(store)  # only what the test delivers arrives
        (document_id,) = insert_documents(store, [titled(TEXT, "Ferry")])
    return document_id


@pytest.fixture
def window(db: Database, document: int, qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    yield from opened(db, "ana", qtbot)


def suggestions_land(window: MainWindow, db: Database, document: int) -> None:
    """A suggestion run finishes for the open document: "Kyiv" is suggested."""
    with db.write() as store:
        store.add_suggestions(
            [Suggestion(None, document, Layer.ENTITY, *at(TEXT, "Kyiv"), "GPE", "rules", 0.9, "t")]
        )
    window.suggestions.computed.emit({document})  # what the suggestion runner signals
    settle(window)
    assert window.view is not None and [s.label for s in window.view.suggestions] == ["GPE"]


def labelled(db: Database, document: int) -> list[str]:
    with db.read() as store:
        return sorted(TEXT[s.start : s.end] for s in store.spans(document, "ana"))


def test_a_selection_made_before_suggestions_land_is_the_one_a_label_key_labels(
    window: MainWindow, db: Database, document: int, qtbot
) -> None:
    assert window.article.focused is None  # nothing to focus when the document opened
    key(qtbot, window, Qt.Key.Key_Home, CTRL)
    key(qtbot, window, Qt.Key.Key_Right, SHIFT)
    assert window.article.selection() == at(TEXT, "Officials")
    suggestions_land(window, db, document)
    # Still the person's selection, not the new suggestion focused in its place.
    assert window.article.selection() == at(TEXT, "Officials")
    assert window.article.focused is None
    key(qtbot, window, Qt.Key.Key_1)
    assert labelled(db, document) == ["Officials"]


def test_the_caret_placed_before_suggestions_land_stays_where_it_was(
    window: MainWindow, db: Database, document: int, qtbot
) -> None:
    key(qtbot, window, Qt.Key.Key_End, CTRL)
    end = window.article.cursor_offset()
    suggestions_land(window, db, document)
    assert window.article.cursor_offset() == end
    assert window.article.focused is None


def test_suggestions_that_land_before_the_person_does_anything_focus_the_first(
    window: MainWindow, db: Database, document: int
) -> None:
    suggestions_land(window, db, document)
    focused = window.article.focused
    assert focused is not None and TEXT[focused.start : focused.end] == "Kyiv"
