"""Long work (import, export) on its own thread with progress, Cancel and an error path.

The work is a Qt-free function taking ``progress`` and ``cancel`` (Orange3 style); this module
only adapts it: progress reports become a progress dialog, Cancel sets the token, and the
result or the error comes back on the UI thread. Nothing is lost if the user cancels: the
functions commit in batches and say what they kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.progress import CancelToken, ProgressCallback

Work = Callable[[ProgressCallback, CancelToken], Any]


class BackgroundTask(QObject):
    progressed = Signal(int, int, str)  # done, total (0 = unknown), message
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, title: str, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._work = work
        self.cancel_token = CancelToken()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"task:{self.title}", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def _run(self) -> None:
        def report(done: int, total: int | None, message: str) -> None:
            self.progressed.emit(done, total or 0, message)

        try:
            result = self._work(report, self.cancel_token)
        except BaseException as exc:  # every error reaches the user
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)


class TaskProgress(QProgressDialog):
    """A modeless progress dialog bound to a task; Cancel asks the task to stop."""

    def __init__(self, task: BackgroundTask, parent: QWidget | None = None) -> None:
        super().__init__(task.title, "Cancel", 0, 0, parent)
        self.setWindowTitle(task.title)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setMinimumDuration(300)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.task = task
        self.canceled.connect(self._cancel)
        task.progressed.connect(self._on_progress)
        task.finished.connect(self.close)

    def _cancel(self) -> None:
        self.setLabelText(f"{self.task.title}: cancelling…")
        self.task.cancel()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.setMaximum(total)
        self.setValue(min(done, total) if total else 0)
        self.setLabelText(message)
