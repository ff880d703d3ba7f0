"""Suggestions for the window, computed in a separate process.

Computing suggestions (tokenizing, the gazetteer, the model) takes longer than a keystroke and,
on a thread, held the window's interpreter long enough to slow every redraw; so it runs in its
own process (annotator.services.suggest_worker). One helper thread here orders the requests
and waits for the process's answers, which come back on the UI thread as the set of documents
whose suggestions changed. The process starts on the first request that has something to
compute or the window asks for a document's tokens (ADR 31); if it cannot start or stops,
the work falls back to the helper thread and the status bar says so once.

Which suggesters run is the project's choice (setting ``suggesters``) unless this user
overrode it in Edit > Preferences (:attr:`SuggestionRunner.overrides`, per user, kept in the
user's settings): then exactly the suggesters that end up on for this user run, and a
suggester turned on here that cannot run on this machine (no trained model yet, no installed
pipeline) is left out the same way the project's own run leaves it out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import AnnotatorError
from annotator.services.suggest_worker import (
    SuggestionState,
    WorkerError,
    WorkerProcess,
    any_enabled,
)
from annotator.services.suggesting import SuggestionService

log = logging.getLogger(__name__)


class SuggestionRunner(QObject):
    #: Whether new runners compute in a process (benchmarks compare with False: a thread).
    USE_PROCESS = True

    #: ids of the documents whose stored suggestions were recomputed
    computed = Signal(object)
    failed = Signal(object)
    _done = Signal(object)

    def __init__(
        self,
        service: SuggestionService,
        parent: QObject | None = None,
        *,
        use_process: bool | None = None,
    ) -> None:
        super().__init__(parent)
        #: The window's own service: settings for Edit > Preferences (never computes here
        #: unless the process is unavailable).
        self.service = service
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-suggest")
        self._done.connect(self._deliver)
        self.enabled = True
        #: This user's on/off choices by suggester name; names not in it follow the project.
        self.overrides: Mapping[str, bool] = {}
        self._use_process = self.USE_PROCESS if use_process is None else use_process
        self._process: WorkerProcess | None = None
        #: In-thread fallback (also what runs when ``use_process`` is False).
        self._local = SuggestionState(service)
        self._closed = False
        #: Token requests wait on their own thread (and the process answers them on its own
        #: channel), never behind a suggestion run (ADR 0031).
        self._tokens_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-tokens")
        self._start_lock = threading.Lock()

    # -- plumbing (helper thread) --------------------------------------------------------------

    def _submit(
        self,
        fn: Callable[[], Any],
        then: Callable[[Any], None] | None = None,
        *,
        pool: ThreadPoolExecutor | None = None,
    ) -> Future:
        if self._closed:
            # The window is closing: a callback of work it started earlier may still ask for
            # suggestions. Nothing runs, and the pool (shut down) is not asked.
            future: Future = Future()
            future.cancel()
            return future
        future = (pool or self._pool).submit(fn)
        future.add_done_callback(lambda f: self._done.emit((f, then)))
        return future

    def _deliver(self, payload: tuple[Future, Callable[[Any], None] | None]) -> None:
        future, then = payload
        if self._closed or future.cancelled():  # the window is gone or going
            return
        error = future.exception()
        if error is not None:
            log.warning("suggestions failed", exc_info=error)
            self.failed.emit(error)
        elif then is not None:
            then(future.result())

    def _started(self) -> WorkerProcess | None:
        """The process, started now if it is not running yet (and may be)."""
        with self._start_lock:
            if self._use_process and self._process is None and not self._closed:
                try:
                    # The process writes to the project: not before the integrity check
                    # the window's start left for later has passed (Database.finish_open).
                    self.service.db.wait_checked()
                    self._process = WorkerProcess(self._target())
                except Exception as exc:  # no process on this system: work on the thread
                    log.warning("suggestion process unavailable; computing on a thread: %s", exc)
                    self._use_process = False
            return self._process

    def _stopped(self, process: WorkerProcess, exc: WorkerError) -> None:
        log.warning("suggestion process stopped; computing on a thread: %s", exc)
        with self._start_lock:
            if self._process is process:
                self._process = None
                self._use_process = False
        self.failed.emit(exc)

    def _call(self, name: str, *args: Any, start: bool = True) -> Any:
        """Run a request in the process (starting it when ``start``), else here."""
        process = self._started() if start else self._process
        if process is not None:
            try:
                return process.call(name, *args)
            except WorkerError as exc:
                if self._closed:
                    return None  # stopped on purpose: the window is closing
                self._stopped(process, exc)
        elif self._use_process:
            return None  # nothing started: the process reads everything when it starts
        return getattr(self._local, name)(*args)

    def _target(self) -> str:
        return self.service.db.url.render_as_string(hide_password=False)

    # -- requests ------------------------------------------------------------------------------

    def refresh(self, document_ids: Iterable[int]) -> Future | None:
        """Compute what is missing or stale for these documents (the open one first)."""
        if not self.enabled:
            return None
        ids = [i for i in document_ids if i is not None]
        overrides = dict(self.overrides)

        def work() -> set[int]:
            if not ids or not any_enabled(self.service, overrides):
                return set()
            return set(self._call("refresh", ids, overrides) or ())

        return self._submit(work, self.computed.emit)

    def remote_tokens(self, document_ids: Sequence[int]) -> Mapping[int, bytes] | None:
        """The documents' tokens from the process (started if need be), encoded; None when
        it cannot answer, and then the caller tokenizes itself. It waits: call it from
        :meth:`fetch_tokens`' thread."""
        process = self._started()
        if process is None:
            return {} if self._closed else None
        try:
            return process.tokens(document_ids)
        except WorkerError as exc:
            if self._closed:
                return {}  # closing: nothing more is needed
            self._stopped(process, exc)
        except AnnotatorError as exc:  # the process could not read or tokenize them
            log.warning("tokens from the suggestion process failed: %s", exc)
        return None

    def fetch_tokens(self, work: Callable[[], Any], then: Callable[[Any], None]) -> Future:
        """Run ``work`` (which waits for tokens, see :meth:`remote_tokens`) on the token
        thread; ``then`` gets its result on the UI thread."""
        return self._submit(work, then, pool=self._tokens_pool)

    def set_overrides(self, overrides: Mapping[str, bool]) -> None:
        """This user's suggester choices (Edit > Preferences); used from the next refresh."""
        self.overrides = dict(overrides)
        self._submit(lambda: self._call("forget_plan", start=False))

    def confirmed(self, text: str, label: str) -> None:
        self._submit(lambda: self._call("confirmed", text, label, start=False))

    def unconfirmed(self, text: str, label: str) -> None:
        self._submit(lambda: self._call("unconfirmed", text, label, start=False))

    def reload_gazetteer(self) -> None:
        self._submit(lambda: self._call("reload_gazetteer", start=False))

    #: For annotator.ui.operations: the gazetteer learns what an action applied.
    reload = reload_gazetteer

    def invalidate(self) -> None:
        self._submit(lambda: self._call("invalidate", start=False))

    def wait(self) -> None:
        """Block until queued work is done (tests and shutdown)."""
        self._submit(lambda: None).result()

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._tokens_pool.shutdown(wait=False, cancel_futures=True)
        with self._start_lock:
            process = self._process
        if process is not None:
            process.stop()
        self._pool.shutdown(wait=True)
        self._tokens_pool.shutdown(wait=True)
