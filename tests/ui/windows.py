"""Opening the main window in a test the way a person meets it: shown, active, the document
loaded and the article holding the keys."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEventLoop

from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow

#: Generous: the first window of a test process loads spaCy and Qt's fonts.
OPEN_TIMEOUT_MS = 30_000


def open_window(db: Database, annotator: str, qtbot, timeout: int = OPEN_TIMEOUT_MS) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(db, annotator)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.view is not None, timeout=timeout)
    # A person reads before selecting: the document's tokens (from the suggestion process)
    # are here by then. Tests of a selection made before they arrive hold them back.
    wait_for_tokens(win, timeout)
    win.article.setFocus()
    return win


def wait_for_tokens(win: MainWindow, timeout: int = OPEN_TIMEOUT_MS) -> None:
    """Process events until the open document's tokens have arrived and been delivered."""
    deadline = time.monotonic() + timeout / 1000
    while win.view is not None and not win.view.token_source.ready:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)
        if time.monotonic() > deadline:
            raise TimeoutError("the open document's tokens did not arrive")
    QCoreApplication.processEvents()
