"""The inspector from the keyboard: in its "Annotations and suggestions" list the arrows choose,
Return focuses the chosen item in the article (it does not accept the article's suggestion) and
Escape gives the keys back; the Figures line has a key of its own. Real key presses only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from annotator.core.model import Layer, Span, Suggestion
from annotator.storage.database import Database
from annotator.ui.actions import ACTIONS, VIEW_KEYS
from annotator.ui.main_window import MainWindow
from tests.builders import (
    at,
    claim,
    insert_documents,
    store_spans,
    suggestion,
    titled,
    turn_off_live_suggesters,
)
from tests.ui.driver import key, opened, settle, status

TEXT = (
    "Mr Putin said 300 soldiers had crossed the border.\n"
    "Officials at the Port Authority said Russian ships were waiting.\n"
)


@pytest.fixture
def window(db: Database, qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with db.write() as store:
        turn_off_live_suggesters(store)
        (doc,) = insert_documents(store, [titled(TEXT, "Ships waiting")])
        store.add_suggestions(
            [
                suggestion(doc, *at(TEXT, "Mr Putin"), "PERSON"),
                suggestion(doc, *at(TEXT, "Port Authority"), "ORG"),
                suggestion(doc, *at(TEXT, "Russian"), "NORP"),
            ]
        )
    yield from opened(db, "ana", qtbot)


def _spans(db: Database, window: MainWindow) -> int:
    settle(window)
    with db.read() as store:
        return len(store.spans(window.view.document.id, "ana", Layer.ENTITY))  # type: ignore[union-attr]


def _click_below_the_rows(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """A click in the list's empty part: the keys go to the list, no row is chosen."""
    rows = window.inspector.list
    viewport = rows.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(10, viewport.height() - 5))
    assert rows.hasFocus()


def test_return_in_the_annotations_list_focuses_the_row_and_accepts_nothing(
    db: Database, window: MainWindow, qtbot
) -> None:
    rows = window.inspector.list
    qtbot.waitUntil(lambda: rows.count() == 3)
    assert window.article.focused is not None
    assert TEXT[window.article.focused.start : window.article.focused.end] == "Mr Putin"

    _click_below_the_rows(qtbot, window)
    qtbot.keyClick(rows, Qt.Key.Key_Down)
    qtbot.keyClick(rows, Qt.Key.Key_Down)
    assert rows.currentRow() == 2
    # Return opens the chosen row, as in the "Same claim elsewhere" list: the window's
    # "accept" (also Return) must not take the key and accept the article's suggestion.
    qtbot.keyClick(rows, Qt.Key.Key_Return)
    focused = window.article.focused
    assert focused is not None and TEXT[focused.start : focused.end] == "Russian"
    assert window.article.hasFocus()
    assert _spans(db, window) == 0

    # Escape gives the keys back to the article without changing the focused item.
    _click_below_the_rows(qtbot, window)
    qtbot.keyClick(rows, Qt.Key.Key_Up)
    qtbot.keyClick(rows, Qt.Key.Key_Escape)
    assert window.article.hasFocus()
    focused = window.article.focused
    assert focused is not None and TEXT[focused.start : focused.end] == "Russian"
    assert _spans(db, window) == 0

    # Back in the article, Return accepts the focused suggestion as before.
    qtbot.keyClick(window.article, Qt.Key.Key_Return)
    assert _spans(db, window) == 1


FIGURES = "Strikes reported\nThe ministry said that 33 air strikes hit 49 targets.\n"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def figures_window(db: Database, qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """An accepted claim with two figures, and a suggested claim after it."""
    with db.write() as store:
        turn_off_live_suggesters(store)
        (doc,) = insert_documents(store, [titled(FIGURES, "Strikes reported")])
    stored = claim(doc, *at(FIGURES, "33 air strikes hit 49 targets"))
    store_spans(
        db,
        [
            replace(
                stored,
                attributes={
                    "quantities": [
                        {"figure": "33", "unit": "", "counted": "air strikes"},
                        {"figure": "49", "unit": "", "counted": "targets"},
                    ]
                },
            )
        ],
    )
    with db.write() as store:
        store.add_suggestions(
            [suggestion(doc, *at(FIGURES, "The ministry said"), "CLAIM", layer=Layer.CLAIM)]
        )
    yield from opened(db, "ana", qtbot)


def _stored_figures(db: Database, window: MainWindow) -> list[dict[str, str]]:
    settle(window)
    with db.read() as store:
        claims = store.spans(window.view.document.id, "ana", Layer.CLAIM)  # type: ignore[union-attr]
    (claim_span,) = claims
    return list(claim_span.attributes.get("quantities", []))


def _focus(qtbot, window: MainWindow, layer: Layer, kind: type) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        focused = window.article.focused
        if isinstance(focused, kind) and focused.layer is layer:
            return
        key(qtbot, window, Qt.Key.Key_Tab)
    raise AssertionError(f"no {layer} {kind.__name__} reached with Tab")


def test_ctrl_shift_f_reaches_the_figures_line_from_the_article(
    db: Database, figures_window: MainWindow, qtbot
) -> None:
    window = figures_window
    field = window.inspector.quantities
    _focus(qtbot, window, Layer.CLAIM, Span)
    qtbot.waitUntil(field.isEnabled)
    assert field.text() == "33 | air strikes; 49 | targets"

    # The key puts the keys in the line with its text selected: typing replaces it.
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL_SHIFT)
    assert field.hasFocus() and field.selectedText() == field.text()
    qtbot.keyClicks(field, "33 | air strikes")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(_stored_figures(db, window)) == 1)
    assert _stored_figures(db, window) == [{"figure": "33", "unit": "", "counted": "air strikes"}]
    assert window.article.hasFocus()
    qtbot.waitUntil(lambda: window.undo_action.text() == "&Undo Set claim figures")

    # Escape leaves the line as stored and gives the keys back to the article.
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL_SHIFT)
    assert field.hasFocus()
    qtbot.keyClicks(field, "7 | drones")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert window.article.hasFocus()
    assert field.text() == "33 | air strikes"
    assert _stored_figures(db, window) == [{"figure": "33", "unit": "", "counted": "air strikes"}]

    # On a suggested claim the key says what to do first and leaves the keys in the article.
    _focus(qtbot, window, Layer.CLAIM, Suggestion)
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL_SHIFT)
    assert window.article.hasFocus()
    assert status(window) == "Accept the suggested claim (Enter) to edit its figures."


def test_the_figures_key_is_listed_in_f1(figures_window: MainWindow, qtbot) -> None:
    qtbot.keyClick(figures_window.article, Qt.Key.Key_F1)
    dialog = figures_window.findChild(QDialog, "shortcuts-dialog")
    assert dialog is not None
    rows = {
        (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
        for r in range(dialog.table.rowCount())
    }
    assert ("Edit claim figures", "Ctrl+Shift+F") in rows
    dialog.close()


def test_no_two_actions_or_view_keys_share_a_key() -> None:
    seen: dict[str, str] = {}
    for spec in ACTIONS:
        for keys in spec.keys:
            sequence = QKeySequence(keys).toString(QKeySequence.SequenceFormat.PortableText)
            assert sequence not in seen, f"{spec.name} and {seen[sequence]} both use {keys}"
            seen[sequence] = spec.name
    for view_key in VIEW_KEYS:
        for keys in view_key.keys.split(", "):
            assert keys not in seen, f"{view_key.text!r} and {seen[keys]} both use {keys}"
