"""Every user action is a command: applied in one transaction, it returns what changed and
the command that undoes it (Orange3/Anki style). The store is a protocol implemented by the
storage layer's write session, so this module stays free of SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from annotator.core.model import (
    ClaimDetails,
    Decision,
    DocumentState,
    Layer,
    Span,
    Status,
    Suggestion,
    SuggestionDecision,
    suggested_origin,
)


class AnnotationStore(Protocol):
    """What commands may do to the database, inside one write transaction."""

    def add_span(self, span: Span) -> Span:
        """Insert ``span``; if ``span.id`` is set, that id is reused (undo of a delete)."""
        ...

    def get_span(self, span_id: int) -> Span: ...

    def replace_span(self, span: Span) -> Span:
        """Overwrite the stored span with ``span.id`` (label, offsets, attributes, claim)."""
        ...

    def delete_span(self, span_id: int) -> None: ...

    def claims_citing(self, span_id: int) -> list[Span]:
        """Claims whose claimant is ``span_id``."""
        ...

    def get_state(self, document_id: int, annotator: str) -> DocumentState: ...

    def set_state(self, state: DocumentState) -> None: ...

    def get_decision(
        self, document_id: int, annotator: str, layer: Layer, start: int, end: int, label: str
    ) -> SuggestionDecision | None: ...

    def set_decision(self, decision: SuggestionDecision) -> None: ...

    def clear_decision(
        self, document_id: int, annotator: str, layer: Layer, start: int, end: int, label: str
    ) -> None: ...

    def log(
        self, kind: str, annotator: str | None, document_id: int | None, payload: dict
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Changes:
    """What a command touched, so views refresh only that (Anki's OpChanges)."""

    document_ids: frozenset[int] = frozenset()
    span_ids: frozenset[int] = frozenset()
    status: bool = False
    decisions: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.document_ids | other.document_ids,
            self.span_ids | other.span_ids,
            self.status or other.status,
            self.decisions or other.decisions,
        )


@dataclass(frozen=True, slots=True)
class Applied:
    changes: Changes
    inverse: Command
    #: Spans as they are after the command (created or changed), keyed by id.
    spans: tuple[Span, ...] = ()


class Command(Protocol):
    @property
    def name(self) -> str:
        """Shown in the Edit menu as "Undo <name>"."""
        ...

    def apply(self, store: AnnotationStore) -> Applied: ...


def _touch(span: Span) -> Changes:
    assert span.id is not None
    return Changes(document_ids=frozenset({span.document_id}), span_ids=frozenset({span.id}))


@dataclass(frozen=True, slots=True)
class AddSpan:
    span: Span
    name: str = "Add span"

    def apply(self, store: AnnotationStore) -> Applied:
        stored = store.add_span(self.span)
        assert stored.id is not None
        store.log("span.add", stored.annotator, stored.document_id, {"span": stored.id})
        return Applied(_touch(stored), DeleteSpan(stored.id, name=self.name), (stored,))


@dataclass(frozen=True, slots=True)
class DeleteSpan:
    span_id: int
    name: str = "Delete span"

    def apply(self, store: AnnotationStore) -> Applied:
        old = store.get_span(self.span_id)
        citing = store.claims_citing(self.span_id)
        store.delete_span(self.span_id)
        store.log("span.delete", old.annotator, old.document_id, {"span": self.span_id})
        # Undo puts the span back under its old id and relinks the claims that cited it.
        inverse = Batch(
            (RestoreSpan(old, name=self.name), *(ReplaceSpan(c, name=self.name) for c in citing)),
            name=self.name,
        )
        changes = _touch(old)
        for claim in citing:
            changes = changes | _touch(claim)
        return Applied(changes, inverse)


@dataclass(frozen=True, slots=True)
class RestoreSpan:
    """Re-insert a deleted span with its old id (only ever made by undo)."""

    span: Span
    name: str = "Restore span"

    def apply(self, store: AnnotationStore) -> Applied:
        stored = store.add_span(self.span)
        assert stored.id is not None
        store.log("span.restore", stored.annotator, stored.document_id, {"span": stored.id})
        return Applied(_touch(stored), DeleteSpan(stored.id, name=self.name), (stored,))


@dataclass(frozen=True, slots=True)
class ReplaceSpan:
    """Change a span's label, offsets, attributes or claim details."""

    span: Span
    name: str = "Edit span"

    def apply(self, store: AnnotationStore) -> Applied:
        assert self.span.id is not None
        old = store.get_span(self.span.id)
        stored = store.replace_span(self.span)
        store.log("span.edit", stored.annotator, stored.document_id, {"span": stored.id})
        return Applied(_touch(stored), ReplaceSpan(old, name=self.name), (stored,))


@dataclass(frozen=True, slots=True)
class SetState:
    """Set one annotator's status (and time spent) on one document."""

    state: DocumentState
    name: str = "Set status"

    def apply(self, store: AnnotationStore) -> Applied:
        old = store.get_state(self.state.document_id, self.state.annotator)
        store.set_state(self.state)
        store.log(
            "status",
            self.state.annotator,
            self.state.document_id,
            {"status": str(self.state.status), "reason": self.state.skip_reason},
        )
        changes = Changes(document_ids=frozenset({self.state.document_id}), status=True)
        return Applied(changes, SetState(old, name=self.name))


@dataclass(frozen=True, slots=True)
class SetDecision:
    """Record (or, with ``decision=None``, clear) an annotator's decision on a suggestion."""

    document_id: int
    annotator: str
    layer: Layer
    start: int
    end: int
    label: str
    decision: Decision | None
    suggester: str | None = None
    name: str = "Decide suggestion"

    def apply(self, store: AnnotationStore) -> Applied:
        key = (self.document_id, self.annotator, self.layer, self.start, self.end, self.label)
        old = store.get_decision(*key)
        if self.decision is None:
            store.clear_decision(*key)
        else:
            store.set_decision(SuggestionDecision(*key, self.decision, self.suggester))
        inverse = SetDecision(
            *key,
            decision=None if old is None else old.decision,
            suggester=None if old is None else old.suggester,
            name=self.name,
        )
        changes = Changes(document_ids=frozenset({self.document_id}), decisions=True)
        return Applied(changes, inverse)


@dataclass(frozen=True, slots=True)
class Batch:
    """Several commands as one undoable step (bulk accept, delete with relinking)."""

    commands: tuple[Command, ...] = field(default_factory=tuple)
    name: str = "Batch"

    def apply(self, store: AnnotationStore) -> Applied:
        changes = Changes()
        inverses: list[Command] = []
        spans: list[Span] = []
        for command in self.commands:
            applied = command.apply(store)
            changes = changes | applied.changes
            inverses.append(applied.inverse)
            spans.extend(applied.spans)
        return Applied(changes, Batch(tuple(reversed(inverses)), name=self.name), tuple(spans))


def accept_suggestion(
    suggestion: Suggestion, annotator: str, claimant_id: int | None = None
) -> Batch:
    """Confirm a suggestion as a span of ``annotator`` and record the decision."""
    claim = None
    if suggestion.layer is Layer.CLAIM:
        attrs = suggestion.attributes
        cue = attrs.get("cue")
        claim = ClaimDetails(
            claimant_id=claimant_id,
            cue=(int(cue[0]), int(cue[1])) if cue else None,
            claim_type=str(attrs.get("type", "other")),
            hedged=bool(attrs.get("hedged", False)),
        )
    span = Span(
        id=None,
        document_id=suggestion.document_id,
        layer=suggestion.layer,
        start=suggestion.start,
        end=suggestion.end,
        label=suggestion.label,
        annotator=annotator,
        origin=suggested_origin(suggestion.suggester),
        claim=claim,
    )
    decision = SetDecision(
        suggestion.document_id,
        annotator,
        suggestion.layer,
        suggestion.start,
        suggestion.end,
        suggestion.label,
        Decision.ACCEPTED,
        suggestion.suggester,
    )
    return Batch((AddSpan(span), decision), name=f"Accept {suggestion.label}")


def reject_suggestion(suggestion: Suggestion, annotator: str) -> SetDecision:
    return SetDecision(
        suggestion.document_id,
        annotator,
        suggestion.layer,
        suggestion.start,
        suggestion.end,
        suggestion.label,
        Decision.REJECTED,
        suggestion.suggester,
        name=f"Reject {suggestion.label}",
    )


def accept_all(suggestions: Sequence[Suggestion], annotator: str) -> Batch:
    return Batch(
        tuple(accept_suggestion(s, annotator) for s in suggestions),
        name=f"Accept {len(suggestions)} suggestions",
    )


def relabel(span: Span, label: str) -> ReplaceSpan:
    return ReplaceSpan(replace(span, label=label), name=f"Relabel as {label}")


def mark(
    document_id: int, annotator: str, status: Status, seconds: float, reason: str | None = None
) -> SetState:
    state = DocumentState(document_id, annotator, status, seconds, reason)
    name = {Status.DONE: "Mark done", Status.SKIPPED: "Skip document"}.get(
        status, f"Mark {status.value.replace('_', ' ')}"
    )
    return SetState(state, name=name)
