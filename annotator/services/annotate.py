"""Apply commands: each in its own write transaction, recorded for undo."""

from __future__ import annotations

from annotator.core.commands import Applied, Command
from annotator.core.errors import ConflictError
from annotator.core.history import History
from annotator.storage.database import Database


class AnnotationService:
    """Runs commands against the database. The UI calls it from its one database worker."""

    def __init__(self, db: Database, history: History | None = None) -> None:
        self.db = db
        self.history = history or History()

    def apply(self, command: Command) -> Applied:
        # A command only touches the store it is given, so it can run again from the start
        # when the database rolls it back for a transient reason (another client's lock).
        return self.db.run_write(command.apply)

    def execute(self, command: Command) -> Applied:
        """Apply a user action and make it undoable. A refused action (``ConflictError``:
        somebody else changed the span) leaves the history as it was."""
        applied = self.apply(command)
        self.history.record(command.name, applied)
        return applied

    def undo(self) -> Applied | None:
        """Undo the last step. If somebody else has changed what it would restore since, it
        is refused and dropped from the history (it can never apply again: versions only
        grow), so the next Ctrl+Z undoes the step before it."""
        try:
            return self.history.undo(self.apply)
        except ConflictError as exc:
            name = self.history.drop_undo()
            raise ConflictError(f"Cannot undo {name}: {exc}") from exc

    def redo(self) -> Applied | None:
        try:
            return self.history.redo(self.apply)
        except ConflictError as exc:
            name = self.history.drop_redo()
            raise ConflictError(f"Cannot redo {name}: {exc}") from exc
