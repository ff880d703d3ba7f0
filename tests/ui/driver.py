"""One driver for the main window in tests: the keys, typing and mouse drags a person makes,
each followed by waiting for the database worker, and what the person then reads (the status
bar, the focused item, the inspector). Offsets are code points into the document's text, as
everywhere in the project; the conversion to Qt's UTF-16 positions happens only here.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.ui.windows import OPEN_TIMEOUT_MS, open_window, wait_for_tokens

__all__ = [
    "OPEN_TIMEOUT_MS",
    "drag",
    "focused_text",
    "inspector_origin",
    "key",
    "keys",
    "open_window",
    "opened",
    "settle",
    "status",
    "type_text",
]

NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def opened(db: Database, annotator: str, qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """For a fixture: ``yield from opened(db, "ana", qtbot)`` opens the window and, after the
    test, waits for the worker so nothing is left writing when the database closes."""
    window = open_window(db, annotator, qtbot)
    yield window
    window.executor.wait_idle()


def settle(window: MainWindow) -> None:
    """Wait until every action sent to the database worker has been applied and drawn, and
    the open document's tokens have arrived (another document may have been opened)."""
    assert window.executor.wait_idle()
    wait_for_tokens(window)


def key(qtbot, window: MainWindow, k: Qt.Key, mod: Qt.KeyboardModifier = NO_MODIFIER) -> None:  # type: ignore[no-untyped-def]
    """Press one key in the article (where the annotation keys go) and wait for its action."""
    qtbot.keyClick(window.article, k, mod)
    settle(window)


def keys(qtbot, window: MainWindow, *pressed: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Press keys one after the other in the article, waiting after each."""
    for k in pressed:
        key(qtbot, window, k)


def type_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a person: QTest cannot click a newline, so lines end with Return."""
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(widget, line)


def drag(qtbot, window: MainWindow, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
    """A real mouse drag from code point ``start`` to ``end`` of the open document."""
    view = window.article
    table = view._table  # the drag needs Qt's positions of code points

    def point(offset: int) -> QPoint:
        cursor = view.textCursor()
        cursor.setPosition(table.to_utf16(offset))
        return view.cursorRect(cursor).center()

    a, b = point(start), point(end)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(view.viewport(), pos=QPoint((a.x() + b.x()) // 2, b.y()))
    qtbot.mouseMove(view.viewport(), pos=b)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=b)


def status(window: MainWindow) -> str:
    """The message the status bar shows now."""
    return window.statusBar().currentMessage()


def focused_text(window: MainWindow) -> str:
    """The text of the focused span or suggestion."""
    item = window.article.focused
    assert item is not None and window.view is not None
    return window.view.document.text[item.start : item.end]


def inspector_origin(window: MainWindow) -> str:
    """Where the inspector says the focused item comes from ("manual by …", a reason)."""
    return window.inspector.origin.text()
