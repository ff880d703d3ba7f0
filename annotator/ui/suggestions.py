"""Suggestions for the window, computed on their own worker thread.

Computing suggestions (first use builds the gazetteer) can take longer than a keystroke, so it
does not run on the database worker that answers the annotator's commands. Results come back
on the UI thread as the set of documents whose suggestions changed.

Which suggesters run is the project's choice (setting ``suggesters``) unless this user
overrode it in Edit > Preferences (:attr:`SuggestionRunner.overrides`, per user, kept in the
user's settings): then exactly the suggesters that end up on for this user run, and a
suggester turned on here that cannot run on this machine (no trained model yet, no installed
pipeline) is left out the same way the project's own run leaves it out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.services.suggesting import SuggestCounts, SuggestionService
from annotator.suggest.errors import SuggesterUnavailable

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
        #: This user's on/off choices by suggester name; names not in it follow the project.
        self.overrides: Mapping[str, bool] = {}
        #: Suggesters run for this user, for the project settings they were worked out from
        #: (only touched on the worker thread).
        self._plan: tuple[object, tuple[str, ...]] | None = None
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
            only = self._chosen()
            if only == ():
                return changed  # this user turned every suggester off
            for document_id in ids:
                counts: SuggestCounts = self.service.for_documents([document_id], only=only)
                if sum(counts.computed.values()):
                    changed.add(document_id)
            return changed

        return self._submit(work, self.computed.emit)

    def set_overrides(self, overrides: Mapping[str, bool]) -> None:
        """This user's suggester choices (Edit > Preferences); used from the next refresh."""
        self.overrides = dict(overrides)
        self._submit(self._forget_plan)

    def _forget_plan(self) -> None:
        self._plan = None

    def _chosen(self) -> tuple[str, ...] | None:
        """The suggesters to run for this user: None for the project's choice (no overrides),
        else their names (worker thread)."""
        overrides = dict(self.overrides)
        if not overrides:
            return None
        settings = self.service.settings()
        wanted = tuple(c.name for c in settings.configs if overrides.get(c.name, c.enabled))
        key = (repr(sorted(settings.to_value().items())), wanted)
        if self._plan is not None and self._plan[0] == key:
            return self._plan[1]
        project_on = set(settings.enabled_names())
        _built, unavailable = self.service.suggesters()
        runnable: list[str] = []
        for name in wanted:
            if name in unavailable:
                continue
            if name not in project_on:
                try:  # turned on only by this user: can it run here at all?
                    self.service.suggesters(only=[name])
                except SuggesterUnavailable as exc:
                    log.info("suggester %s not run for this user: %s", name, exc)
                    continue
            runnable.append(name)
        self._plan = (key, tuple(runnable))
        return self._plan[1]

    def confirmed(self, text: str, label: str) -> None:
        self._submit(lambda: self.service.confirmed(text, label))

    def unconfirmed(self, text: str, label: str) -> None:
        self._submit(lambda: self.service.unconfirmed(text, label))

    def reload_gazetteer(self) -> None:
        self._submit(self.service.gazetteer.reload)

    def invalidate(self) -> None:
        def work() -> None:
            self._plan = None  # a trained model can make a suggester runnable
            self.service.invalidate()

        self._submit(work)

    def wait(self) -> None:
        """Block until queued work is done (tests and shutdown)."""
        self._submit(lambda: None).result()

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
