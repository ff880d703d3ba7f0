"""Composition root of the window: lock and open the project, ask who is annotating, show the
window; File > Open swaps the project (and the window) in place.

``ANNOTATOR_QUIT_AFTER_MS=N`` runs the window unattended, for smoke tests of a wheel or a
bundle: no dialog waits for an answer (messages go to stderr; the annotator is the login name
unless the settings have one), and the app quits as soon as the window shows its first document
(or the empty project). It exits 1 if that has not happened within N ms or an error dialog
appeared.
"""

from __future__ import annotations

import gc
import getpass
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

# isort: off
# The services the window uses at start, with SQLAlchemy and the storage layer under them, are
# imported before Qt on purpose: PySide6 hooks every import made after it and reads each new
# module's source, which for these 300-odd modules cost about 0.13 s of CPU at every start
# (docs/adr/0036-start-before-orm.md). tests/ui/test_start_imports.py keeps them first.
import annotator.services.annotate
import annotator.services.claim_groups
import annotator.services.occurrences
import annotator.services.project
import annotator.services.suggest_worker
import annotator.services.suggesting
import annotator.services.take_over
import annotator.services.team
import annotator.services.view_after
import annotator.services.workspace  # noqa: F401

# isort: on
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent, QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.core.resources import resource
from annotator.services.project import open_project
from annotator.storage.database import Database
from annotator.ui import recent
from annotator.ui.instance import ProjectLock, project_file
from annotator.ui.plain import message_box
from annotator.ui.settings import check_annotator_name, load_preferences, open_settings

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

log = logging.getLogger(__name__)

APP_ID = "io.github.annotator.Annotator"  # the .desktop file, AppStream id and macOS bundle id
QUIT_AFTER_ENV = "ANNOTATOR_QUIT_AFTER_MS"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def _default_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) or no login name
        return "annotator"


def ask_annotator(app: QApplication, *, unattended: bool = False) -> str | None:
    """The annotator's name from the settings; the first start asks for it."""
    settings = open_settings()
    name = settings.value("annotator/name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    if unattended:
        return _default_name()  # nobody to ask; not stored, so a real first start still asks
    name, ok = QInputDialog.getText(
        None,
        "Welcome to Annotator",
        "Your name (stored with your annotations):",
        text=_default_name(),
    )
    if not ok or not name.strip():
        return None
    try:
        name = check_annotator_name(name)
    except AnnotatorError as exc:  # the reserved gold name
        message_box(None, "Annotator", str(exc), QMessageBox.Icon.Warning).exec()
        return None
    settings.setValue("annotator/name", name)
    settings.sync()
    return name


def settle_runtime() -> None:
    """Move start-up objects out of the garbage collector's way: a full collection walks
    every live object (Qt wrappers, SQLAlchemy) while holding the GIL, which stalled the
    window for 100-300 ms during background work. spaCy is not loaded here: the window's
    tokens come from the suggestion process (docs/adr/0031-start-window.md)."""
    gc.freeze()


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource("icons", f"annotator-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def quit_after_ms() -> int | None:
    value = os.environ.get(QUIT_AFTER_ENV, "").strip()
    if not value:
        return None
    try:
        return max(0, int(value))
    except ValueError:
        log.warning("%s=%r is not a number of milliseconds; ignored", QUIT_AFTER_ENV, value)
        return None


class Session(QObject):
    """The project on screen: its lock, database and window. Opening another project opens it
    (and its lock) first and only then closes the current one, so a refused or broken project
    leaves the annotator where they were."""

    def __init__(self, app: QApplication, *, unattended: bool = False) -> None:
        super().__init__(app)
        self.app = app
        self.unattended = unattended
        self.annotator: str | None = None
        self.database: Database | None = None
        self.window: QWidget | None = None
        self.lock: ProjectLock | None = None
        self.exit_code = 0
        recent.requests().openRequested.connect(self.open)

    def tell(self, text: str, icon: QMessageBox.Icon) -> None:
        print(f"annotator: {text}", file=sys.stderr)
        if not self.unattended:
            message_box(self.window, "Annotator", text, icon).exec()

    def open(self, target: str | None) -> bool:
        """Open ``target`` (a path or URL, None for the default) in the window; False if it was
        refused, failed, or the annotator declined to give a name."""
        try:
            path = project_file(target)
        except AnnotatorError as exc:
            self.tell(str(exc), QMessageBox.Icon.Critical)
            return False
        current = self.database
        if current is not None and path is not None and current.path == path:
            self._raise_window()
            return True
        lock = ProjectLock(path) if path is not None else None
        if lock is not None:
            refusal = lock.acquire()
            if refusal is not None:
                self.tell(refusal, QMessageBox.Icon.Information)
                return False
        try:
            # This user's backup interval and count (Edit > Preferences), read at every open.
            # The integrity check and the backup run once the first document shows
            # (finish_checks); every write waits for them (docs/adr/0031-start-window.md).
            database = open_project(target, defer_checks=True, **load_preferences().open_options())
        except AnnotatorError as exc:
            if lock is not None:
                lock.release()
            self.tell(str(exc), QMessageBox.Icon.Critical)
            if self.window is None:  # nothing to fall back to: the start failed
                self.exit_code = 1
            return False
        # Read at every open: a name changed in Edit > Preferences applies from here on.
        annotator = ask_annotator(self.app, unattended=self.unattended) or self.annotator
        if annotator is None:
            database.close()
            if lock is not None:
                lock.release()
            return False
        self.annotator = annotator
        self._show(database, lock)
        return True

    def _show(self, database: Database, lock: ProjectLock | None) -> None:
        from annotator.ui.main_window import MainWindow

        assert self.annotator is not None
        window = MainWindow(database, self.annotator)
        window.setWindowTitle(f"{recent.project_label(database)} — Annotator")
        for warning in database.report.warnings:
            window.statusBar().showMessage(warning, 15000)
        window.show()  # before the old one closes: closing the last window quits the app
        finish_checks(window, database)
        target = recent.recent_target(database)
        if target is not None:
            recent.remember(open_settings(), target)
        old = (self.window, self.database, self.lock)
        self.window, self.database, self.lock = window, database, lock
        self._close(*old)

    def _raise_window(self) -> None:
        if self.window is not None:
            self.window.raise_()
            self.window.activateWindow()

    @staticmethod
    def _close(window: QWidget | None, database: Database | None, lock: ProjectLock | None) -> None:
        if window is not None:
            if window.isVisible():  # a window the annotator closed has run its closeEvent
                window.close()  # saves the layout, records time, drains the database worker
            window.deleteLater()
        if database is not None:
            if database.checks_pending:  # closed before the deferred checks began
                try:
                    database.finish_open()  # the backup this open promised
                except AnnotatorError as exc:  # nothing was written: writes wait for it
                    log.warning("%s", exc)
            database.close()
        if lock is not None:
            lock.release()

    def close(self) -> None:
        recent.requests().openRequested.disconnect(self.open)
        self._close(self.window, self.database, self.lock)
        self.window = self.database = self.lock = None
        self.deleteLater()


#: The deferred checks start this long after the window shows if no document has shown by then
#: (an empty project, a slow first read).
CHECKS_LATEST_MS = 3000


def finish_checks(window: MainWindow, database: Database) -> None:
    """Run the integrity check and the automatic backup that opening left (Database.open's
    ``defer_checks``) as a background task, once the first document is on screen: the
    window shows sooner, and writes wait for the check, which refuses all of them if the
    file is damaged (the error dialog says how to recover)."""
    if not database.checks_pending:
        return
    started: list[bool] = []

    def start(*_: object) -> None:
        if started or window.tasks.running(CHECK_TITLE):
            return
        started.append(True)
        window.documentShown.disconnect(start)

        def done(warnings: tuple[str, ...]) -> None:
            for warning in warnings:
                window.statusBar().showMessage(warning, 15000)

        window.tasks.start_task(
            CHECK_TITLE, lambda _p, _c: database.finish_open(), done, show_progress=False
        )

    window.documentShown.connect(start)
    QTimer.singleShot(CHECKS_LATEST_MS, window, start)


CHECK_TITLE = "Checking the project"


class _FileOpenFilter(QObject):
    """macOS hands a double-clicked project to a running app as a FileOpen event."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            if event.file():
                recent.request_open(event.file())
            return True
        return super().eventFilter(watched, event)


def _watch_until_ready(session: Session, limit_ms: int) -> QTimer:
    """Unattended mode: quit once the window shows a document, fail after ``limit_ms``."""
    started = time.monotonic()
    empty: list[bool] = []
    timer = QTimer(session)
    timer.setInterval(50)

    def finish(code: int, message: str) -> None:
        timer.stop()
        session.exit_code = code
        print(f"annotator: {message}", file=sys.stderr, flush=True)
        if session.window is not None:
            session.window.close()
        session.app.quit()

    def check() -> None:
        window = session.window
        if window is None or session.database is None:
            finish(1, "no window")
            return
        errors = [
            box.text()
            for box in window.findChildren(QMessageBox)
            if box.objectName() == "error-dialog" and box.isVisible()
        ]
        if errors:
            finish(1, f"error shown in the window: {errors[0]}")
            return
        if not empty:
            with session.database.read() as store:
                empty.append(store.document_count() == 0)
        shown = getattr(window, "view", None) is not None
        # Ready once the deferred integrity check has passed too (a damaged file fails).
        checked = session.database.checked
        if getattr(window, "schema", None) is not None and (shown or empty[0]) and checked:
            finish(0, f"window ready: {window.windowTitle()}")
        elif (time.monotonic() - started) * 1000 > limit_ms:
            finish(1, f"window not ready after {limit_ms} ms")

    timer.timeout.connect(check)
    timer.start()
    return timer


def main(argv: Sequence[str] | None = None, *, db: str | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    assert isinstance(app, QApplication)
    app.setApplicationName("Annotator")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("annotator")
    # Wayland compositors match windows to the .desktop file (and its icon) by this name.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    file_open = _FileOpenFilter(app)
    app.installEventFilter(file_open)
    limit = quit_after_ms()
    session = Session(app, unattended=limit is not None)
    try:
        if not session.open(db):
            # Refused (open elsewhere), cancelled at the name prompt: 0; failed to open: 1.
            return session.exit_code
        if limit is not None:
            _watch_until_ready(session, limit)
        settle_runtime()
        app.exec()
        return session.exit_code
    finally:
        session.close()
        app.removeEventFilter(file_open)
        # Closing the last window posts a Quit event that may still be queued once exec()
        # returns; delivered later, it would end every event loop the process starts next
        # (main() runs more than once in a test process).
        QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)


if __name__ == "__main__":
    sys.exit(main())
