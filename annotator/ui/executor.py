"""The one database worker (Anki's CollectionOp/QueryOp idea): every database call from the
window runs on a single background thread, in order, and its result or error comes back on
the UI thread. The UI never waits on the database, and no connection crosses threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")
ErrorHandler = Callable[[BaseException], None]


class DbExecutor(QObject):
    _finished = Signal(object)

    def __init__(self, on_error: ErrorHandler | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-db")
        self._on_error = on_error
        self._pending = 0
        self._lock = threading.Lock()
        self._finished.connect(self._deliver)

    def set_error_handler(self, handler: ErrorHandler) -> None:
        self._on_error = handler

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
    ) -> Future[T]:
        """Run ``fn`` on the database thread; call ``on_done(result)`` or ``on_error(exc)``
        (default: the window's error dialog) on the UI thread."""
        with self._lock:
            self._pending += 1
        future = self._pool.submit(fn)
        # The signal is emitted from the worker thread; Qt queues it to this object's thread.
        future.add_done_callback(lambda f: self._finished.emit((f, on_done, on_error)))
        return future

    def _deliver(self, payload: tuple[Future[Any], Any, Any]) -> None:
        future, on_done, on_error = payload
        with self._lock:
            self._pending -= 1
        try:
            error = future.exception()
            if error is not None:
                handler = on_error or self._on_error
                if handler is None:
                    log.error("unhandled database error", exc_info=error)
                else:
                    handler(error)
            elif on_done is not None:
                on_done(future.result())
        except Exception as exc:  # a bug in a callback must still reach the user
            log.exception("error in a database callback")
            if self._on_error is not None:
                self._on_error(exc)

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._pending > 0

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every submitted call has been delivered (tests, shutdown).
        A delivered result may submit more work (a document shown asks for its tokens), so
        this waits again until a round of events leaves nothing pending, or the time is up."""
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: None if self.busy else loop.quit())
        deadline = QTimer()
        deadline.setSingleShot(True)
        expired = threading.Event()
        deadline.timeout.connect(expired.set)
        deadline.timeout.connect(loop.quit)
        timer.start()
        deadline.start(timeout_ms)
        while True:
            if self.busy:
                loop.exec()
            QCoreApplication.processEvents()
            if not self.busy or expired.is_set():
                break
        timer.stop()
        deadline.stop()
        return not self.busy

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
        QCoreApplication.processEvents()
