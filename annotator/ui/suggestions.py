"""Suggestions for the window, computed on their own worker thread.

Computing suggestions (first use builds the gazetteer) can take longer than a keystroke, so it
does not run on the database worker that answers the annotator's commands. Results come back
on the UI thread as the set of documents whose suggestions changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.services.suggesting import SuggestCounts, SuggestionService

log = logging.getLogger(__name__)


class SuggestionRunner(QObject):
    #: ids of the documents whose stored suggestions were recomputed
    computed = Signal(object)
    failed = Signal(object)
    _done = Signal(object)

    def __init__(self, service: SuggestionService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-suggest")
        self._done.connect(self._deliver)
        self.enabled = True
        self._closed = False

    def _submit(self, fn: Callable[[], Any], then: Callable[[Any], None] | None = None) -> Future:
        future = self._pool.submit(fn)
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

    def refresh(self, document_ids: Iterable[int]) -> Future | None:
        """Compute what is missing or stale for these documents (the open one first)."""
        if not self.enabled:
            return None
        ids = [i for i in document_ids if i is not None]

        def work() -> set[int]:
            changed: set[int] = set()
            for document_id in ids:
                counts: SuggestCounts = self.service.for_documents([document_id])
                if sum(counts.computed.values()):
                    changed.add(document_id)
            return changed

        return self._submit(work, self.computed.emit)

    def confirmed(self, text: str, label: str) -> None:
        self._submit(lambda: self.service.confirmed(text, label))

    def unconfirmed(self, text: str, label: str) -> None:
        self._submit(lambda: self.service.unconfirmed(text, label))

    def reload_gazetteer(self) -> None:
        self._submit(self.service.gazetteer.reload)

    def invalidate(self) -> None:
        self._submit(self.service.invalidate)

    def wait(self) -> None:
        """Block until queued work is done (tests and shutdown)."""
        self._submit(lambda: None).result()

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
