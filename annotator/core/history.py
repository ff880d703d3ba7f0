"""Undo/redo over commands: undoing applies the inverse, whose own inverse is the redo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.commands import Applied, Command

Executor = Callable[[Command], Applied]


@dataclass
class History:
    limit: int = 1000
    _undo: list[tuple[str, Command]] = field(default_factory=list)
    _redo: list[tuple[str, Command]] = field(default_factory=list)

    def record(self, name: str, applied: Applied) -> None:
        """Remember a command that was just applied; a new action clears the redo stack."""
        self._undo.append((name, applied.inverse))
        del self._undo[: -self.limit]
        self._redo.clear()

    @property
    def undo_name(self) -> str | None:
        return self._undo[-1][0] if self._undo else None

    @property
    def redo_name(self) -> str | None:
        return self._redo[-1][0] if self._redo else None

    def undo(self, execute: Executor) -> Applied | None:
        if not self._undo:
            return None
        name, inverse = self._undo[-1]
        applied = execute(inverse)
        # Only pop once the inverse is stored: a failed undo stays available to retry.
        self._undo.pop()
        self._redo.append((name, applied.inverse))
        return applied

    def redo(self, execute: Executor) -> Applied | None:
        if not self._redo:
            return None
        name, command = self._redo[-1]
        applied = execute(command)
        self._redo.pop()
        self._undo.append((name, applied.inverse))
        return applied

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
