"""Suggestions computed in a separate process, so that the work (tokenizing, matching,
running the model) never holds the window's interpreter: while it ran on a thread, the next
document took 2-3x as long to show.

:class:`SuggestionState` is the work itself (Qt-free): which suggesters run for this user,
computing suggestions for documents, and keeping the gazetteer in step. :func:`serve` runs one
in a child process ("spawn": no fork of a process with Qt and database threads) and answers
requests from a pipe; :class:`WorkerProcess` is the parent's end. The child opens the project
database itself; every result it computes is stored there, so only document ids come back.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import threading
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.services.document_tokens import encoded_tokens
from annotator.services.suggesting import SuggestCounts, SuggestionService
from annotator.storage.database import Database
from annotator.suggest.errors import SuggesterUnavailable

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

log = logging.getLogger(__name__)


class WorkerError(AnnotatorError):
    """The suggestion process failed or stopped."""


class SuggestionState:
    """What the suggestion worker knows: the service and the plan of suggesters for the
    user's choices. Called from one thread (or the child process) at a time."""

    def __init__(self, service: SuggestionService) -> None:
        self.service = service
        #: Suggesters run for the user's choices, for the settings they were worked out from.
        self._plan: tuple[object, tuple[str, ...]] | None = None

    def refresh(self, document_ids: Collection[int], overrides: Mapping[str, bool]) -> set[int]:
        """Compute what is missing or stale for these documents, in order; the ids whose
        stored suggestions changed."""
        changed: set[int] = set()
        only = self._chosen(overrides)
        if only == ():
            return changed  # this user turned every suggester off
        for document_id in document_ids:
            counts: SuggestCounts = self.service.for_documents([document_id], only=only)
            if sum(counts.computed.values()):
                changed.add(document_id)
        return changed

    def _chosen(self, overrides: Mapping[str, bool]) -> tuple[str, ...] | None:
        """None for the project's choice (no overrides), else the names to run."""
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

    def forget_plan(self) -> None:
        self._plan = None

    def confirmed(self, text: str, label: str) -> None:
        self.service.confirmed(text, label)

    def unconfirmed(self, text: str, label: str) -> None:
        self.service.unconfirmed(text, label)

    def reload_gazetteer(self) -> None:
        self.service.gazetteer.reload()

    def invalidate(self) -> None:
        self._plan = None  # a trained model can make a suggester runnable
        self.service.invalidate()


def any_enabled(service: SuggestionService, overrides: Mapping[str, bool]) -> bool:
    """Whether any suggester is on for this user (a cheap read: no process needed if not)."""
    settings = service.settings()
    return any(overrides.get(c.name, c.enabled) for c in settings.configs)


#: What the parent may ask the child to do.
REQUESTS = frozenset(
    {"refresh", "forget_plan", "confirmed", "unconfirmed", "reload_gazetteer", "invalidate"}
)


def serve(connection: Connection, target: str, tokens: Connection | None = None) -> None:
    """The child process: open the project and answer requests until told to stop. Token
    requests from the window (``tokens``) are answered on a thread of their own, so that the
    open document's tokens do not wait for a suggestion run (ADR 0031)."""
    db = Database.open(target, upgrade=False, check=False, auto_backup=False)
    if tokens is not None:  # first: the window may be waiting for them
        threading.Thread(
            target=serve_tokens, args=(tokens, db), name="annotator-tokens", daemon=True
        ).start()
    import annotator.services.training  # noqa: F401  (registers the model's context hook)

    state = SuggestionState(SuggestionService(db))
    try:
        while True:
            try:
                request = connection.recv()
            except EOFError:
                return  # the window is gone
            if request is None:
                return
            name, args = request
            try:
                if name not in REQUESTS:
                    raise WorkerError(f"unknown request {name!r}")
                answer: tuple[str, Any] = ("ok", getattr(state, name)(*args))
            except BaseException as exc:  # every error goes back to the window
                answer = ("error", _picklable(exc))
            connection.send(answer)
    finally:
        db.close()


def serve_tokens(connection: Connection, db: Database) -> None:
    """Answer ``document ids -> {id: encoded tokens}`` requests until the window is gone."""
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            answer: tuple[str, Any] = ("ok", encoded_tokens(db, list(request)))
        except BaseException as exc:  # the window tokenizes itself then
            answer = ("error", _picklable(exc))
        try:
            connection.send(answer)
        except (OSError, ValueError):
            return


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return WorkerError(f"{error.__class__.__name__}: {error}")
    return error


class WorkerProcess:
    """The parent's end: one request at a time (call it from one thread)."""

    def __init__(self, target: str) -> None:
        # Imported here: the window starts the process after its first document (ADR 36).
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._tokens, child_tokens = context.Pipe()
        self._tokens_lock = threading.Lock()
        self._process = context.Process(
            target=serve,
            args=(child, target, child_tokens),
            name="annotator-suggest",
            daemon=True,
        )
        self._process.start()
        child.close()
        child_tokens.close()

    def call(self, name: str, *args: Any) -> Any:
        return self._exchange(self._connection, (name, args))

    def _exchange(self, connection: Any, message: Any) -> Any:
        """Send ``message`` on ``connection`` and return the answer (an error the process
        sent back is raised here)."""
        try:
            connection.send(message)
            kind, value = connection.recv()
        except (EOFError, OSError) as exc:
            raise WorkerError(
                f"the suggestion process stopped (exit code {self._process.exitcode})"
            ) from exc
        if kind == "error":
            raise value
        return value

    def tokens(self, document_ids: Sequence[int]) -> dict[int, bytes]:
        """The documents' tokens, encoded (annotator.export.token_cache), on the token
        channel: answered while a suggestion request is still running. Thread-safe."""
        with self._tokens_lock:
            return dict(self._exchange(self._tokens, list(document_ids)))

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        with contextlib.suppress(OSError, ValueError):  # already gone
            self._connection.send(None)
        with contextlib.suppress(OSError, ValueError):
            self._tokens.send(None)
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()  # mid-transaction: the database rolls it back
            self._process.join(timeout)
        self._connection.close()
        self._tokens.close()
