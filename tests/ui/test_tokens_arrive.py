"""The open document's tokens come from the suggestion process (ADR 0031). A selection made
before they arrive is snapped when they do, an action that needs them runs then, and nothing
waits on the UI thread; if the process dies, the window tokenizes the text itself."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, Sequence

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Layer
from annotator.core.tokens import tokenize
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import at, insert_documents, titled, turn_off_live_suggesters
from tests.ui.driver import opened, settle
from tests.ui.windows import wait_for_tokens

SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXTS = [
    f"Story {n}\nOfficials in Kyiv said the ferry number {n} would resume on Monday.\n"
    for n in range(1, 6)
]


@pytest.fixture
def project(db: Database) -> tuple[Database, list[int]]:
    with db.write() as store:
        turn_off_live_suggesters(store)
        ids = insert_documents(store, [titled(t) for t in TEXTS])
    return db, ids


@pytest.fixture
def window(project: tuple[Database, list[int]], qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    yield from opened(project[0], "ana", qtbot)


def held_back(window: MainWindow) -> threading.Event:
    """Hold the suggestion process's answers about tokens until the event is set."""
    gate = threading.Event()
    real = window.suggestions.remote_tokens

    def slow(ids: Sequence[int]):  # type: ignore[no-untyped-def]
        assert gate.wait(60)
        return real(ids)

    window.suggestions.remote_tokens = slow  # type: ignore[method-assign]
    return gate


def open_far(window: MainWindow, qtbot, document_id: int) -> None:  # type: ignore[no-untyped-def]
    """Open a document that is not a neighbour of the open one (its tokens were not fetched
    ahead), without waiting for its tokens."""
    window.open_document(document_id)
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.id == document_id)
    assert window.executor.wait_idle()


def entity_texts(db: Database, document_id: int) -> list[str]:
    with db.read() as store:
        text = store.document(document_id).text
        return [text[s.start : s.end] for s in store.spans(document_id, "ana")]


def test_the_tokens_come_from_the_suggestion_process_even_with_every_suggester_off(
    window: MainWindow,
) -> None:
    view = window.view
    assert view is not None and view.token_source.ready
    assert view.tokens == tokenize(view.document.text)
    assert window.suggestions._process is not None and window.suggestions._process.alive


def test_a_keyboard_selection_made_before_the_tokens_snaps_when_they_arrive(
    window: MainWindow, project: tuple[Database, list[int]], qtbot
) -> None:
    db, ids = project
    gate = held_back(window)
    open_far(window, qtbot, ids[3])
    assert not window.view.token_source.ready  # type: ignore[union-attr]
    text = TEXTS[3]
    start, end = at(text, "Officials")
    window.article.focus_item(None)
    window.article.select_range(start, start)
    qtbot.keyClick(window.article, Qt.Key.Key_Right, SHIFT)
    assert window.article.textCursor().selectedText() == "O"  # not snapped yet, not blocked
    qtbot.keyClick(window.article, Qt.Key.Key_1)  # a label key: waits for the tokens
    assert window.executor.wait_idle()
    assert "Finding the words" in window.statusBar().currentMessage()
    assert entity_texts(db, ids[3]) == []
    gate.set()
    wait_for_tokens(window)
    settle(window)
    assert entity_texts(db, ids[3]) == ["Officials"]
    spans = window.view.spans  # type: ignore[union-attr]
    assert [(s.start, s.end, s.layer) for s in spans] == [(start, end, Layer.ENTITY)]


def test_a_mouse_selection_made_before_the_tokens_is_widened_to_words_when_they_arrive(
    window: MainWindow, project: tuple[Database, list[int]], qtbot
) -> None:
    _db, ids = project
    gate = held_back(window)
    open_far(window, qtbot, ids[4])
    text = TEXTS[4]
    start, _ = at(text, "Kyiv")
    window.article.select_range(start + 1, start + 3, precise=False)
    assert window.article.selection() == (start + 1, start + 3)  # clusters only, for now
    gate.set()
    wait_for_tokens(window)
    assert window.article.selection() == at(text, "Kyiv")
    assert window.article.textCursor().selectedText() == "Kyiv"


def test_when_the_suggestion_process_dies_the_window_tokenizes_itself(
    window: MainWindow, project: tuple[Database, list[int]], qtbot
) -> None:
    db, ids = project
    process = window.suggestions._process
    assert process is not None and process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not process.alive)
    open_far(window, qtbot, ids[3])
    wait_for_tokens(window)
    view = window.view
    assert view is not None and view.tokens == tokenize(TEXTS[3])
    start, _ = at(TEXTS[3], "Kyiv")
    window.article.select_range(start + 1, start + 2, precise=False)
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    settle(window)
    assert entity_texts(db, ids[3]) == ["Kyiv"]
