"""All the window's background work in one place (the idea of Anki's TaskManager).

Three kinds of work leave the UI thread, each where it runs best:

* database calls: one worker thread, in order (:class:`~annotator.ui.executor.DbExecutor`);
* suggestions: their own process (:class:`~annotator.ui.suggestions.SuggestionRunner`);
* long tasks with progress and Cancel (import, export, training):
  :class:`~annotator.ui.tasks.BackgroundTask`.

The task manager owns them: the window and its features start work through it, and closing
the window stops all of it in one order (cancel the long tasks, let the database worker
finish what was acknowledged, stop the suggestion process, then the worker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from annotator.ui.executor import DbExecutor, ErrorHandler
from annotator.ui.suggestions import SuggestionRunner
from annotator.ui.tasks import BackgroundTask, TaskProgress, Work


class TaskManager(QObject):
    def __init__(
        self,
        db: DbExecutor,
        suggestions: SuggestionRunner,
        on_error: ErrorHandler,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.suggestions = suggestions
        self._on_error = on_error
        self.tasks: list[BackgroundTask] = []

    def run_db(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: ErrorHandler | None = None,
    ) -> Any:
        """A database call on the one database worker (see DbExecutor.submit)."""
        return self.db.submit(fn, on_done, on_error)

    def start_task(
        self,
        title: str,
        work: Work,
        on_success: Callable[[Any], None],
        *,
        dialog_parent: QWidget | None = None,
        show_progress: bool = True,
    ) -> BackgroundTask:
        """A long task on its own thread; a progress dialog (with Cancel) when asked."""
        task = BackgroundTask(title, work, self)
        if show_progress:
            progress = TaskProgress(task, dialog_parent)
            progress.setObjectName("task-progress")
        task.succeeded.connect(on_success)
        task.failed.connect(self._on_error)
        task.finished.connect(lambda: self.tasks.remove(task) if task in self.tasks else None)
        self.tasks.append(task)
        task.start()
        return task

    def running(self, title: str) -> bool:
        return any(task.title == title for task in self.tasks)

    def shutdown(self, seconds: float = 5.0) -> None:
        for task in list(self.tasks):
            task.cancel()
        self.db.wait_idle(int(seconds * 1000))
        for task in list(self.tasks):
            task.join(seconds)
        self.suggestions.shutdown()
        self.db.shutdown()
