"""Undo/redo over commands: undoing applies the inverse, whose own inverse is the redo.

Span edits carry the span version they expect (optimistic concurrency). Undoing a step puts a
span back to older content under a new version, so the steps below it, which expected the old
number, are rebased to the new one (``annotator.core.commands.rebased``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.core.commands import Applied, Command, SpanVersion, rebased

Executor = Callable[[Command], Applied]


@dataclass(frozen=True, slots=True)
class _Step:
    name: str
    #: Undoes (or redoes) the step; expects the versions in ``versions[*].after``.
    command: Command
    #: How the step moved span versions when it was applied.
    versions: tuple[SpanVersion, ...]

    def rebased(self, moved: dict[int, dict[int, int]]) -> _Step:
        if not moved:
            return self
        versions = tuple(
            SpanVersion(
                v.span_id, _moved(moved, v.span_id, v.before), _moved(moved, v.span_id, v.after)
            )
            for v in self.versions
        )
        return _Step(self.name, rebased(self.command, moved), versions)


@dataclass
class History:
    limit: int = 1000
    _undo: list[_Step] = field(default_factory=list)
    _redo: list[_Step] = field(default_factory=list)

    def record(self, name: str, applied: Applied) -> None:
        """Remember a command that was just applied; a new action clears the redo stack."""
        self._undo.append(_Step(name, applied.inverse, applied.versions))
        del self._undo[: -self.limit]
        self._redo.clear()

    @property
    def undo_name(self) -> str | None:
        return self._undo[-1].name if self._undo else None

    @property
    def redo_name(self) -> str | None:
        return self._redo[-1].name if self._redo else None

    def undo(self, execute: Executor) -> Applied | None:
        return _replay(self._undo, self._redo, execute)

    def redo(self, execute: Executor) -> Applied | None:
        return _replay(self._redo, self._undo, execute)

    def drop_undo(self) -> str | None:
        """Forget the next undo step (it can no longer apply: the data moved on); its name."""
        return self._undo.pop().name if self._undo else None

    def drop_redo(self) -> str | None:
        return self._redo.pop().name if self._redo else None

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()


def _replay(source: list[_Step], target: list[_Step], execute: Executor) -> Applied | None:
    if not source:
        return None
    step = source[-1]
    applied = execute(step.command)
    # Only pop once the inverse is stored: a failed undo stays available to retry.
    source.pop()
    # The step put each span back to the content it had at ``before``, as version ``after``
    # of this run: what below expected ``before`` now expects the new number.
    moved = _moves(step.versions, applied.versions)
    source[:] = [s.rebased(moved) for s in source]
    target.append(_Step(step.name, applied.inverse, applied.versions))
    return applied


def _moves(
    recorded: Iterable[SpanVersion], replayed: Iterable[SpanVersion]
) -> dict[int, dict[int, int]]:
    now = {v.span_id: v.after for v in replayed}
    moved: dict[int, dict[int, int]] = {}
    for v in recorded:
        new = now.get(v.span_id)
        if v.before is not None and new is not None and new != v.before:
            moved.setdefault(v.span_id, {})[v.before] = new
    return moved


def _moved(moved: dict[int, dict[int, int]], span_id: int, version: int | None) -> int | None:
    if version is None:
        return None
    return moved.get(span_id, {}).get(version, version)
