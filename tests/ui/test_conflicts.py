"""Two clients on one database: a span changed by another client is never overwritten by a
stale view. The window's client acts through real key presses; the other client is the
services layer on its own connection, as another process would be."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.commands import ReplaceSpan
from annotator.core.model import Span
from annotator.services.annotate import AnnotationService
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import add_documents, titled, turn_off_live_suggesters
from tests.ui.driver import key, opened

TEXT = "Mayor Petra Novak said 300 homes had lost power.\nThe port reopened on Monday.\n"
NAME = (TEXT.index("Petra Novak"), TEXT.index("Petra Novak") + len("Petra Novak"))


@pytest.fixture
def project(db: Database) -> Database:
    with db.write() as store:
        turn_off_live_suggesters(store)
    add_documents(db, [titled(TEXT, "Mayor")])
    return db


@pytest.fixture
def other(db_path: Path, project: Database) -> Iterator[Database]:
    """The second client: its own Database (engine, connections) on the same file."""
    second = Database.open(db_path, auto_backup=False)
    yield second
    second.close()


@pytest.fixture
def window(project: Database, qtbot) -> Iterator[MainWindow]:
    yield from opened(project, "ana", qtbot)


def close(box: QMessageBox, window: MainWindow, qtbot) -> None:
    box.close()
    window.back_to_article()
    qtbot.waitUntil(window.isActiveWindow)


def stored(db: Database, span_id: int) -> Span:
    with db.read() as store:
        return store.get_span(span_id)


def test_a_stale_relabel_is_refused_shown_and_refreshed(
    window: MainWindow, project: Database, other: Database, qtbot
) -> None:
    window.article.select_range(*NAME)
    key(qtbot, window, Qt.Key.Key_1)  # ana: PERSON
    mine = window.article.focused
    assert isinstance(mine, Span) and mine.label == "PERSON" and mine.version == 1
    assert mine.id is not None

    # bob, a reviewer on another machine, relabels the span ana is looking at.
    reviewer = AnnotationService(other)
    current = stored(other, mine.id)
    reviewer.execute(ReplaceSpan(replace(current, label="ORG"), by="bob"))

    key(qtbot, window, Qt.Key.Key_3)  # ana, from her stale view: GPE

    box = window.findChild(QMessageBox, "error-dialog")
    assert box is not None and box.isVisible()
    assert "changed by bob" in box.text() and "refreshed" in box.text()
    assert "changed by bob" in window.statusBar().currentMessage()
    # Nothing overwritten: bob's label stands, and ana's view now shows it.
    assert stored(project, mine.id).label == "ORG"
    assert window.view is not None and window.view.span(mine.id).label == "ORG"  # type: ignore[union-attr]
    focused = window.article.focused
    assert isinstance(focused, Span) and focused.label == "ORG" and focused.version == 2
    # The refused action is not in the history.
    assert window.undo_action.text() == "&Undo Add PERSON"
    close(box, window, qtbot)

    # Seeing bob's version, ana may still relabel it; her own undo is accepted and puts
    # bob's label back (not her older PERSON).
    key(qtbot, window, Qt.Key.Key_3)
    assert stored(project, mine.id).label == "GPE"
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(project, mine.id).label == "ORG"
    assert window.undo_action.text() == "&Undo Add PERSON"


def test_an_undo_over_someone_elses_change_is_refused_and_dropped(
    window: MainWindow, project: Database, other: Database, qtbot
) -> None:
    window.article.select_range(*NAME)
    key(qtbot, window, Qt.Key.Key_1)
    span = window.article.focused
    assert isinstance(span, Span) and span.id is not None
    key(qtbot, window, Qt.Key.Key_2)  # ana: ORG
    assert window.undo_action.text() == "&Undo Relabel as ORG"

    current = stored(other, span.id)
    AnnotationService(other).execute(ReplaceSpan(replace(current, label="FAC"), by="bob"))

    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    box = window.findChild(QMessageBox, "error-dialog")
    assert box is not None and "Cannot undo Relabel as ORG" in box.text()
    assert stored(project, span.id).label == "FAC"
    assert window.view is not None and window.view.span(span.id).label == "FAC"  # type: ignore[union-attr]
    # The overtaken step is gone; the one before it is next.
    assert window.undo_action.text() == "&Undo Add PERSON"
    close(box, window, qtbot)


def test_a_span_deleted_by_someone_else_is_reported_as_such(
    window: MainWindow, project: Database, other: Database, qtbot
) -> None:
    window.article.select_range(*NAME)
    key(qtbot, window, Qt.Key.Key_1)
    span = window.article.focused
    assert isinstance(span, Span) and span.id is not None
    with other.write() as store:  # another client deletes it
        store.delete_span(span.id)
    key(qtbot, window, Qt.Key.Key_X)  # ana deletes what her view still shows
    box = window.findChild(QMessageBox, "error-dialog")
    assert box is not None and "was deleted" in box.text()
    assert window.view is not None and window.view.spans == ()
    close(box, window, qtbot)
