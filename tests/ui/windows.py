"""Opening the main window in a test the way a person meets it: shown, active, the document
loaded and the article holding the keys."""

from __future__ import annotations

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
    win.article.setFocus()
    return win
