"""Overlapping suggestions in the window: one shown, the others kept behind it; Tab goes into
them, the inspector says what they are behind, rejecting the one in front brings the next one
forward, and "accept all" leaves them (annotator.suggest.combining)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.core.model import Suggestion
from annotator.core.schema import default_schema
from annotator.storage.database import Database
from annotator.suggest.combining import is_behind
from annotator.ui.colors import label_color
from annotator.ui.main_window import MainWindow
from tests.builders import at, insert_documents, suggestion, turn_off_live_suggesters
from tests.ui.driver import key, opened

TEXT = "Bridge closed\nThe Varnian Ministry of Defence said on Monday the bridge was shut.\n"
NAME = "Varnian Ministry of Defence"


@pytest.fixture
def project(db: Database) -> Database:
    with db.write() as store:
        turn_off_live_suggesters(store)
        (doc,) = insert_documents(store, [TEXT])
        store.add_suggestions(
            [
                suggestion(doc, *at(TEXT, NAME), "ORG", suggester="gazetteer", score=0.8),
                # Another label on the same words, and a part of the name: both behind ORG.
                suggestion(doc, *at(TEXT, NAME), "GPE", suggester="rules", score=0.6),
                suggestion(doc, *at(TEXT, "Varnian"), "NORP", suggester="rules", score=0.7),
                suggestion(doc, *at(TEXT, "Monday"), "DATE", suggester="rules", score=0.8),
            ]
        )
    return db


@pytest.fixture
def window(project: Database, qtbot) -> Iterator[MainWindow]:
    yield from opened(project, "ana", qtbot)


def focused(window: MainWindow) -> Suggestion:
    item = window.article.focused
    assert isinstance(item, Suggestion)
    return item


def underline_at(window: MainWindow, offset: int) -> QColor:
    return window.article.format_at(offset).underlineColor()


def color(label: str) -> str:
    return label_color(default_schema(), False, label)


def same(a: QColor, hex_color: str) -> bool:
    return a.rgb() == QColor(hex_color).rgb()


def test_tab_walks_into_the_suggestions_behind_and_reject_brings_one_forward(
    window: MainWindow, project: Database, qtbot
) -> None:
    varnian = at(TEXT, "Varnian")[0]
    window.article.focus_item(None)
    window.article.setFocus()
    # Only the one in front is drawn: "Varnian" carries ORG's dashed underline, not the
    # innermost suggestion's (NORP, behind ORG).
    assert same(underline_at(window, varnian), color("ORG"))

    key(qtbot, window, Qt.Key.Key_Tab)
    assert (focused(window).label, is_behind(focused(window))) == ("ORG", False)
    assert window.inspector.kind.text() == "ORG (suggested)"
    assert window.inspector.origin.text() == "gazetteer (0.80): test"

    # Tab goes into what is behind it, drawn while it is focused.
    key(qtbot, window, Qt.Key.Key_Tab)
    assert (focused(window).label, is_behind(focused(window))) == ("GPE", True)
    assert window.inspector.kind.text() == "GPE (suggested, behind ORG)"
    listed = window.inspector.list.currentItem().text()
    assert listed == f"suggested GPE (behind ORG): {NAME}"
    assert same(window.article.format_at(varnian + 3).background().color(), color("GPE"))
    key(qtbot, window, Qt.Key.Key_Tab)
    assert (focused(window).label, is_behind(focused(window))) == ("NORP", True)
    assert same(underline_at(window, varnian), color("NORP"))
    key(qtbot, window, Qt.Key.Key_Tab)
    assert focused(window).label == "DATE"

    # Back to ORG and reject it: the best one behind it comes forward, focused and drawn.
    for _ in range(3):
        key(qtbot, window, Qt.Key.Key_Backtab)
    assert focused(window).label == "ORG"
    key(qtbot, window, Qt.Key.Key_X)
    assert (focused(window).label, is_behind(focused(window))) == ("GPE", False)
    assert window.inspector.kind.text() == "GPE (suggested)"
    assert same(underline_at(window, varnian), color("GPE"))

    # Accept all takes what is in front (GPE, DATE), not NORP behind GPE.
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    with project.read() as store:
        document = store.document(window.view.document.id)  # type: ignore[union-attr]
        stored = {(s.label, TEXT[s.start : s.end]) for s in store.spans(document.id, "ana")}
    assert stored == {("GPE", NAME), ("DATE", "Monday")}
    remaining = [(s.label, is_behind(s)) for s in window.view.suggestions]  # type: ignore[union-attr]
    assert remaining == [("NORP", False)]
