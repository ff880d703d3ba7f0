"""Apply commands: each in its own write transaction, recorded for undo.

Every user action goes through :meth:`AnnotationService.execute` (or undo/redo), which checks
first whether the action is allowed at all: edits of the work on screen are refused while it is
not the annotator's own (a reviewer looking at someone else's work). The window does not repeat
that check; it shows the refusal like any other error. What an action changed is summed up in
an :class:`OpChanges` (Anki's OpChanges), which every view reads to redraw only its part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.commands import Applied, Command
from annotator.core.errors import AnnotatorError, ConflictError
from annotator.core.history import History
from annotator.core.relabel_commands import touches_schema
from annotator.core.setting_commands import changed_setting
from annotator.storage.database import Database


class ReadOnlyError(AnnotatorError):
    """The work on screen is not the annotator's own: it may be read, not edited."""


#: Raises :class:`ReadOnlyError` when edits of the work on screen are not allowed now.
EditCheck = Callable[[], None]


@dataclass(frozen=True, slots=True)
class OpChanges:
    """What one action (or its undo/redo) changed, for the views to redraw only that."""

    #: Documents whose spans, decisions or status changed.
    documents: frozenset[int] = frozenset()
    spans: frozenset[int] = frozenset()
    statuses: bool = False
    decisions: bool = False
    #: The label schema changed (labels, colours, hotkeys).
    schema: bool = False
    #: The project setting changed by the action (e.g. the guidelines), if any.
    setting: str | None = None
    #: Roles or assignments changed.
    team: bool = False
    #: The undo history changed (every action, undo and redo).
    history: bool = True

    @classmethod
    def of(cls, applied: Applied) -> OpChanges:
        changes = applied.changes
        return cls(
            documents=changes.document_ids,
            spans=changes.span_ids,
            statuses=changes.status,
            decisions=changes.decisions,
            schema=touches_schema(applied),
            setting=changed_setting(applied),
            team=type(applied.inverse).__module__ == "annotator.services.team",
        )


class AnnotationService:
    """Runs commands against the database. The UI calls it from its one database worker."""

    def __init__(
        self, db: Database, history: History | None = None, may_edit: EditCheck | None = None
    ) -> None:
        self.db = db
        self.history = history or History()
        self.may_edit = may_edit

    def apply(self, command: Command) -> Applied:
        # A command only touches the store it is given, so it can run again from the start
        # when the database rolls it back for a transient reason (another client's lock).
        return self.db.run_write(command.apply)

    def _check(self, edits_work: bool) -> None:
        if edits_work and self.may_edit is not None:
            self.may_edit()

    def execute(self, command: Command, *, edits_work: bool = True) -> Applied:
        """Apply a user action and make it undoable. ``edits_work``: the action changes the
        annotations or statuses on screen, so it is refused (:class:`ReadOnlyError`) while
        they are not the annotator's to edit; project actions (labels, guidelines, team) pass
        False and are checked by their own commands. A refused action (also
        ``ConflictError``: somebody else changed the span) leaves the history as it was."""
        self._check(edits_work)
        applied = self.apply(command)
        self.history.record(command.name, applied)
        return applied

    def undo(self) -> Applied | None:
        """Undo the last step. If somebody else has changed what it would restore since, it
        is refused and dropped from the history (it can never apply again: versions only
        grow), so the next Ctrl+Z undoes the step before it."""
        self._check(True)
        try:
            return self.history.undo(self.apply)
        except ConflictError as exc:
            name = self.history.drop_undo()
            raise ConflictError(f"Cannot undo {name}: {exc}") from exc

    def redo(self) -> Applied | None:
        self._check(True)
        try:
            return self.history.redo(self.apply)
        except ConflictError as exc:
            name = self.history.drop_redo()
            raise ConflictError(f"Cannot redo {name}: {exc}") from exc
