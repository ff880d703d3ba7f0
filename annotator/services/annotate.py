"""Apply commands: each in its own write transaction, recorded for undo."""

from __future__ import annotations

from annotator.core.commands import Applied, Command
from annotator.core.history import History
from annotator.storage.database import Database


class AnnotationService:
    """Runs commands against the database. The UI calls it from its one database worker."""

    def __init__(self, db: Database, history: History | None = None) -> None:
        self.db = db
        self.history = history or History()

    def apply(self, command: Command) -> Applied:
        with self.db.write() as store:
            return command.apply(store)

    def execute(self, command: Command) -> Applied:
        """Apply a user action and make it undoable."""
        applied = self.apply(command)
        self.history.record(command.name, applied)
        return applied

    def undo(self) -> Applied | None:
        return self.history.undo(self.apply)

    def redo(self) -> Applied | None:
        return self.history.redo(self.apply)
