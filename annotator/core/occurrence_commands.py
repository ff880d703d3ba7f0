""" "Label all occurrences" as one undoable command: the places where a confirmed entity's text
recurs in the corpus become pending suggestions, stored under the suggester name
:data:`OCCURRENCES`, and the inverse removes exactly the ones it added.

The rows are ordinary stored suggestions: the annotator accepts or rejects each (a rejection is
a decision keyed by span, so the others stay), suggesters that are recomputed replace only their
own rows, and the pending list merges them with what other suggesters propose at the same place.
Finding the places is the service's job (annotator.services.occurrences); this only stores them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from annotator.core.commands import Applied, Changes
from annotator.core.model import Suggestion

#: The suggester name of the rows "Label all occurrences" stores.
OCCURRENCES = "occurrences"

_Key = tuple[int, str, int, int, str]


def _key(s: Suggestion) -> _Key:
    return (s.document_id, s.layer.value, s.start, s.end, s.label)


class OccurrenceStore(Protocol):
    """What the commands may do inside one write transaction (the storage ``Store`` is one)."""

    def suggestions_by_documents(self, ids: Sequence[int]) -> dict[int, list[Suggestion]]: ...

    def add_suggestions(self, suggestions: Iterable[Suggestion], version: str = "") -> int: ...

    def remove_suggestions(self, suggestions: Iterable[Suggestion]) -> int: ...

    def log(
        self, kind: str, annotator: str | None, document_id: int | None, payload: dict
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class AddOccurrences:
    """Store ``suggestions`` (all of suggester :data:`OCCURRENCES`) as pending suggestions.

    ``document_id`` is the document the annotator acted in: it is in the changes even when no
    occurrence is there, so undo redraws it instead of moving to another document. A place that
    already holds an occurrence row (stored by an earlier run or by someone else since the count
    was shown) is left as it is and not removed by the inverse.
    """

    suggestions: tuple[Suggestion, ...]
    document_id: int
    annotator: str | None = None
    name: str = "Label all occurrences"

    def apply(self, store: OccurrenceStore) -> Applied:
        for s in self.suggestions:
            if s.suggester != OCCURRENCES:
                raise ValueError(
                    f"an occurrence must be stored as {OCCURRENCES!r}, not {s.suggester!r}"
                )
        ids = sorted({s.document_id for s in self.suggestions})
        have = {
            _key(s)
            for stored in store.suggestions_by_documents(ids).values()
            for s in stored
            if s.suggester == OCCURRENCES
        }
        new: dict[_Key, Suggestion] = {}
        for s in self.suggestions:
            if _key(s) not in have:
                new.setdefault(_key(s), s)
        added = tuple(new.values())
        store.add_suggestions(added)
        store.log(
            "suggest.occurrences",
            self.annotator,
            self.document_id,
            {"added": len(added), "documents": len({s.document_id for s in added})},
        )
        inverse = RemoveOccurrences(added, self.document_id, self.annotator, name=self.name)
        return Applied(_changes(added, self.document_id), inverse)


@dataclass(frozen=True, slots=True)
class RemoveOccurrences:
    """Remove these occurrence suggestions (only ever made by undo of :class:`AddOccurrences`).
    Decisions the annotator took on them meanwhile stay: they are keyed by span."""

    suggestions: tuple[Suggestion, ...]
    document_id: int
    annotator: str | None = None
    name: str = "Label all occurrences"

    def apply(self, store: OccurrenceStore) -> Applied:
        removed = store.remove_suggestions(self.suggestions)
        store.log(
            "suggest.occurrences.remove", self.annotator, self.document_id, {"removed": removed}
        )
        inverse = AddOccurrences(self.suggestions, self.document_id, self.annotator, name=self.name)
        return Applied(_changes(self.suggestions, self.document_id), inverse)


def _changes(suggestions: Iterable[Suggestion], document_id: int) -> Changes:
    documents = frozenset({document_id, *(s.document_id for s in suggestions)})
    return Changes(document_ids=documents, decisions=True)
