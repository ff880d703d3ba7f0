"""Composition root of the window: open the project, ask who is annotating, show the window."""

from __future__ import annotations

import gc
import getpass
import logging
import sys
import threading
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.services.project import open_project
from annotator.ui.plain import message_box
from annotator.ui.settings import open_settings


def _default_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) or no login name
        return "annotator"


def ask_annotator(app: QApplication) -> str | None:
    """The annotator's name from the settings; the first start asks for it."""
    settings = open_settings()
    name = settings.value("annotator/name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    name, ok = QInputDialog.getText(
        None,
        "Welcome to Annotator",
        "Your name (stored with your annotations):",
        text=_default_name(),
    )
    if not ok or not name.strip():
        return None
    settings.setValue("annotator/name", name.strip())
    settings.sync()
    return name.strip()


def settle_runtime() -> None:
    """Load spaCy off the UI thread and move start-up objects out of the garbage collector's
    way: a full collection walks every live object (Qt wrappers, SQLAlchemy, spaCy's
    vocabulary) while holding the GIL, which stalled the window for 100-300 ms during
    background imports."""

    def warm() -> None:
        from annotator.core.tokens import tokenize

        tokenize("Warm up.")
        gc.freeze()

    threading.Thread(target=warm, name="warm-up", daemon=True).start()


def main(argv: Sequence[str] | None = None, *, db: str | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    assert isinstance(app, QApplication)
    app.setApplicationName("Annotator")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("annotator")
    try:
        database = open_project(db)
    except AnnotatorError as exc:
        message_box(None, "Annotator", str(exc), QMessageBox.Icon.Critical).exec()
        return 1
    annotator = ask_annotator(app)
    if annotator is None:
        return 0
    from annotator.ui.main_window import MainWindow

    window = MainWindow(database, annotator)
    for warning in database.report.warnings:
        window.statusBar().showMessage(warning, 15000)
    window.show()
    settle_runtime()
    code = app.exec()
    database.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
