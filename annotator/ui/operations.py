"""One path for every user action (the idea of Anki's CollectionOp and OpChanges).

:meth:`Operations.run_op` executes a command on the database worker (the service checks first
whether it is allowed), works out the open document after it (annotator.services.view_after;
read again only where that is not exact), tells the gazetteer what the applied
action confirmed or removed, and then emits one ``changed(outcome, initiator)`` on the UI
thread. Each view connects to ``changed`` and redraws only what the outcome says concerns it;
nothing calls the views one by one. Undo and redo take the same path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from annotator.core.commands import Applied, Command
from annotator.core.model import DocumentSummary
from annotator.services.annotate import AnnotationService, OpChanges
from annotator.services.view_after import view_after, with_echoes
from annotator.services.workspace import DocumentView, Workspace, entity_changes
from annotator.ui.executor import DbExecutor

log = logging.getLogger(__name__)


class GazetteerUpdates(Protocol):
    """Where the gazetteer is kept (annotator.ui.suggestions.SuggestionRunner)."""

    def confirmed(self, text: str, label: str) -> None: ...

    def unconfirmed(self, text: str, label: str) -> None: ...

    def reload(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """An applied action: what it changed, and the document to show now (the open one read
    again, or the one an undo went back to; None when no document is involved)."""

    applied: Applied
    changes: OpChanges
    view: DocumentView | None
    #: The document list's rows known from ``view`` (no read needed for them).
    summaries: tuple[DocumentSummary, ...] = ()


class Operations(QObject):
    #: ``(Outcome, initiator)``: the initiator is whoever asked (a widget, a string), so a
    #: view can tell its own action from someone else's.
    changed = Signal(object, object)
    #: ``(error, initiator)`` for a refused action (read-only, conflict, ...).
    failed = Signal(object, object)

    def __init__(
        self,
        executor: DbExecutor,
        service: AnnotationService,
        workspace: Workspace,
        gazetteer: GazetteerUpdates,
        current: Callable[[], DocumentView | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.executor = executor
        self.service = service
        self.workspace = workspace
        self.gazetteer = gazetteer
        self._current = current

    def run_op(
        self,
        command: Command,
        initiator: object = None,
        *,
        edits_work: bool = True,
        reread: bool = True,
        then: Callable[[Outcome], Any] | None = None,
    ) -> None:
        """Execute a user action; ``then(outcome)`` runs after every view has redrawn.
        ``reread=False``: the window moves on anyway (done, next), so the open document is
        not read again."""
        view = self._current() if reread else None
        if edits_work and view is not None:  # the first action starts a new document
            command = self.workspace.started(view, command)

        def work() -> Outcome:
            applied = self.service.execute(command, edits_work=edits_work)
            return self._outcome(applied, view, move_to_other=False, command=command)

        self._submit(work, initiator, then)

    def undo(self, initiator: object = None, then: Callable[[Outcome | None], Any] | None = None):  # type: ignore[no-untyped-def]
        self._replay(self.service.undo, initiator, then)

    def redo(self, initiator: object = None, then: Callable[[Outcome | None], Any] | None = None):  # type: ignore[no-untyped-def]
        self._replay(self.service.redo, initiator, then)

    def notify(self, applied: Applied, initiator: object = None) -> None:
        """Tell the views about an action applied through the service by other means (the
        adjudication dialog runs its own commands)."""
        self.changed.emit(Outcome(applied, OpChanges.of(applied), None), initiator)

    def _replay(
        self,
        step: Callable[[], Applied | None],
        initiator: object,
        then: Callable[[Outcome | None], Any] | None,
    ) -> None:
        view = self._current()

        def work() -> Outcome | None:
            applied = step()
            return None if applied is None else self._outcome(applied, view, move_to_other=True)

        self._submit(work, initiator, then)

    def _outcome(
        self,
        applied: Applied,
        view: DocumentView | None,
        *,
        move_to_other: bool,
        command: Command | None = None,
    ) -> Outcome:
        """On the worker: what the window shows next, and the gazetteer told. The open
        document is worked out from the command where that is exact (view_after), else read
        again (undo and redo, conflicts, other people's work on screen, ...)."""
        changes = OpChanges.of(applied)
        touched = changes.documents
        fresh: DocumentView | None = None
        if view is not None and (view.document.id in touched or not touched):
            view = self.workspace.newest(view)
            fresh = None if command is None else view_after(self.workspace, view, command, applied)
            if fresh is None:
                fresh = self.workspace.reload_spans(view)
            confirmed, unconfirmed = entity_changes(view, fresh)
            for text, label in unconfirmed:
                self.gazetteer.unconfirmed(text, label)
            for text, label in confirmed:
                self.gazetteer.confirmed(text, label)
            if confirmed:  # the other places with the same text show as suggestions at once
                self.workspace.echo(fresh, confirmed)
                fresh = with_echoes(self.workspace, fresh)
        elif touched:
            self.gazetteer.reload()  # work in another document: read it all again
            if move_to_other:  # an undo of work elsewhere shows that document
                fresh = self.workspace.load(min(touched))
        summary = None if fresh is None else self.workspace.summary_of(fresh)
        return Outcome(applied, changes, fresh, () if summary is None else (summary,))

    def _submit(
        self,
        work: Callable[[], Outcome | None],
        initiator: object,
        then: Callable[[Any], Any] | None,
    ) -> None:
        def done(outcome: Outcome | None) -> None:
            if outcome is not None:
                self.changed.emit(outcome, initiator)
            if then is not None:
                then(outcome)

        self.executor.submit(work, done, lambda error: self.failed.emit(error, initiator))
