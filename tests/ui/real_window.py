"""Drive the main window in a real X server with real key presses (xdotool, through XTEST),
for what only a real platform shows: how X11 reports a key (Shift+Tab arrives as Backtab with
Shift held, and matches more key sequences than an offscreen key event does).

Run as a script in its own process (the platform plugin is chosen once per process):

    python -m tests.ui.real_window PROJECT ANNOTATOR FOCUS KEY...

FOCUS is the text of the item to focus first (empty: leave the window's choice). After each
key it prints one JSON line: the key, the focused item's text, and the selection.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import orjson
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow


class _KeyCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.releases = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyRelease and watched.isWidgetType():
            self.releases += 1
        return False


def _wait(app: QApplication, done, tries: int = 2000) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):  # about 20 s at most by default: a stuck run must end
        app.processEvents()
        if done():
            return
        time.sleep(0.01)
    raise SystemExit("timed out waiting for the window")


def main(argv: list[str]) -> int:
    path, annotator, focus, *keys = argv
    app = QApplication([])
    counter = _KeyCounter()
    app.installEventFilter(counter)
    db = Database.open(Path(path))
    window = MainWindow(db, annotator)
    window.show()
    # The document's tokens (from the suggestion process) too: a person reads before selecting.
    _wait(
        app,
        lambda: (
            window.view is not None and window.view.token_source.ready and not window.executor.busy
        ),
    )
    view = window.view
    assert view is not None
    if focus:
        text = view.document.text
        item = next(i for i in window.article.items_in_order() if text[i.start : i.end] == focus)
        window.article.focus_item(item)
    wid = str(int(window.winId()))
    subprocess.run(["xdotool", "windowactivate", "--sync", wid], check=False)
    _wait(app, lambda: window.isActiveWindow())
    window.article.setFocus()
    app.processEvents()
    for key in keys:
        before = counter.releases
        subprocess.run(["xdotool", "key", "--clearmodifiers", key], check=True)
        _wait(app, lambda before=before: counter.releases > before)
        _wait(app, lambda: not window.executor.busy)
        current = window.view
        focused = window.article.focused
        selection = window.article.selection()
        text = current.document.text if current is not None else ""
        line = {
            "key": key,
            "focused": text[focused.start : focused.end] if focused is not None else None,
            "selection": text[selection[0] : selection[1]] if selection else None,
            "document": current.document.id if current is not None else None,
        }
        sys.stdout.write(orjson.dumps(line).decode() + "\n")
        sys.stdout.flush()
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
