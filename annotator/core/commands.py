"""Every user action is a command: applied in one transaction, it returns what changed and
the command that undoes it (Orange3/Anki style). The store is a protocol implemented by the
storage layer's write session, so this module stays free of SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from annotator.core import quantities
from annotator.core.errors import NotFoundError
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
        """Overwrite the stored span with ``span.id`` (label, offsets, attributes, claim) and
        bump its version; refused with ``ConflictError`` when ``span.version`` is set and the
        stored row is at another version (somebody else changed it meanwhile)."""
        ...

    def delete_span(self, span_id: int, expected_version: int | None = None) -> None:
        """Delete the span (``ConflictError`` when ``expected_version`` is set and stale);
        claims citing it lose their claimant and move to their next version."""
        ...

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
class SpanVersion:
    """One span's version before and after a command (``None``: the span did not exist)."""

    span_id: int
    before: int | None
    after: int | None


@dataclass(frozen=True, slots=True)
class Applied:
    changes: Changes
    inverse: Command
    #: Spans as they are after the command (created or changed), keyed by id.
    spans: tuple[Span, ...] = ()
    #: How the command moved span versions; lets the history rebase older undo steps.
    versions: tuple[SpanVersion, ...] = ()


class Command(Protocol):
    @property
    def name(self) -> str:
        """Shown in the Edit menu as "Undo <name>"."""
        ...

    def apply(self, store: AnnotationStore) -> Applied: ...


def _touch(span: Span) -> Changes:
    assert span.id is not None
    return Changes(document_ids=frozenset({span.document_id}), span_ids=frozenset({span.id}))


def _payload(span_id: int, by: str | None) -> dict:
    """The event payload; ``by`` (who acted) lets a refused edit say who changed the span."""
    return {"span": span_id} if by is None else {"span": span_id, "by": by}


def _bumped(span: Span) -> Span:
    """``span`` at the version the store gives it when it changes it once more."""
    return span if span.version is None else replace(span, version=span.version + 1)


# Versions and undo: a span edit carries the version its author saw, and the store refuses it
# when the row has moved on (another client). An inverse therefore carries the version that
# is current right after its command, so undoing one's own last edit is accepted while
# undoing over somebody else's later edit is refused. Within one Batch each span is changed
# by at most one step, so every step's inverse sees exactly the versions it recorded.


@dataclass(frozen=True, slots=True)
class AddSpan:
    span: Span
    name: str = "Add span"

    def apply(self, store: AnnotationStore) -> Applied:
        stored = store.add_span(self.span)
        assert stored.id is not None
        store.log("span.add", stored.annotator, stored.document_id, _payload(stored.id, None))
        inverse = DeleteSpan(stored.id, name=self.name, expected_version=stored.version)
        versions = (SpanVersion(stored.id, None, stored.version),)
        return Applied(_touch(stored), inverse, (stored,), versions)


@dataclass(frozen=True, slots=True)
class DeleteSpan:
    span_id: int
    name: str = "Delete span"
    #: The version the view showed: the delete is refused if the span changed since.
    expected_version: int | None = None
    #: Who deletes it (logged, so that a refused edit can say who changed the span).
    by: str | None = None

    def apply(self, store: AnnotationStore) -> Applied:
        try:
            old = store.get_span(self.span_id)
        except NotFoundError:
            if self.expected_version is not None:
                # Deleted by somebody else: the store says so (and by whom) as a conflict.
                store.delete_span(self.span_id, self.expected_version)
            raise
        citing = store.claims_citing(self.span_id)
        store.delete_span(self.span_id, self.expected_version)
        store.log("span.delete", old.annotator, old.document_id, _payload(self.span_id, self.by))
        # Undo puts the span back under its old id and relinks the claims that cited it
        # (the delete moved each of them to its next version).
        inverse = Batch(
            (
                RestoreSpan(old, name=self.name, by=self.by),
                *(ReplaceSpan(_bumped(c), name=self.name, by=self.by) for c in citing),
            ),
            name=self.name,
        )
        changes = _touch(old)
        versions = [SpanVersion(self.span_id, old.version, None)]
        for claim in citing:
            changes = changes | _touch(claim)
            assert claim.id is not None
            versions.append(SpanVersion(claim.id, claim.version, _bumped(claim).version))
        return Applied(changes, inverse, (), tuple(versions))


@dataclass(frozen=True, slots=True)
class RestoreSpan:
    """Re-insert a deleted span with its old id (only ever made by undo), one version above
    the one it had, so that a span's versions never repeat."""

    span: Span
    name: str = "Restore span"
    by: str | None = None

    def apply(self, store: AnnotationStore) -> Applied:
        stored = store.add_span(self.span)
        assert stored.id is not None
        payload = _payload(stored.id, self.by)
        store.log("span.restore", stored.annotator, stored.document_id, payload)
        inverse = DeleteSpan(stored.id, name=self.name, expected_version=stored.version, by=self.by)
        versions = (SpanVersion(stored.id, None, stored.version),)
        return Applied(_touch(stored), inverse, (stored,), versions)


@dataclass(frozen=True, slots=True)
class ReplaceSpan:
    """Change a span's label, offsets, attributes or claim details. With ``span.version``
    set (a span read from storage), refused if the stored span has moved on since."""

    span: Span
    name: str = "Edit span"
    #: Who edits it (logged, so that a refused edit can say who changed the span).
    by: str | None = None

    def apply(self, store: AnnotationStore) -> Applied:
        assert self.span.id is not None
        try:
            old = store.get_span(self.span.id)
        except NotFoundError:
            if self.span.version is not None:
                store.replace_span(self.span)  # deleted by somebody else: a conflict
            raise
        stored = store.replace_span(self.span)
        assert stored.id is not None
        store.log("span.edit", stored.annotator, stored.document_id, _payload(stored.id, self.by))
        inverse = ReplaceSpan(replace(old, version=stored.version), name=self.name, by=self.by)
        versions = (SpanVersion(stored.id, old.version, stored.version),)
        return Applied(_touch(stored), inverse, (stored,), versions)


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
    """Several commands as one undoable step (bulk accept, delete with relinking). Each span
    is changed by at most one of them (see the note on versions above)."""

    commands: tuple[Command, ...] = field(default_factory=tuple)
    name: str = "Batch"

    def apply(self, store: AnnotationStore) -> Applied:
        changes = Changes()
        inverses: list[Command] = []
        spans: list[Span] = []
        versions: list[SpanVersion] = []
        for command in self.commands:
            applied = command.apply(store)
            changes = changes | applied.changes
            inverses.append(applied.inverse)
            spans.extend(applied.spans)
            versions.extend(applied.versions)
        inverse = Batch(tuple(reversed(inverses)), name=self.name)
        return Applied(changes, inverse, tuple(spans), tuple(versions))


def rebased(command: Command, moved: dict[int, dict[int, int]]) -> Command:
    """``command`` expecting, for each span in ``moved``, version ``new`` where it expected
    ``old`` (``moved[span_id][old] == new``).

    Undo brings a span back to the content of an older version, but as a new version number
    (versions never repeat, so a view holding an old number is never mistaken for current).
    The undo steps recorded before it expected the old number for that same content; the
    history rebases them with this. Commands it does not know are returned as they are.
    """
    if isinstance(command, ReplaceSpan):
        span = command.span
        new = moved.get(span.id or -1, {}).get(span.version or -1)
        return command if new is None else replace(command, span=replace(span, version=new))
    if isinstance(command, DeleteSpan):
        new = moved.get(command.span_id, {}).get(command.expected_version or -1)
        return command if new is None else replace(command, expected_version=new)
    if isinstance(command, Batch):
        return replace(command, commands=tuple(rebased(c, moved) for c in command.commands))
    return command


def accept_suggestion(
    suggestion: Suggestion, annotator: str, claimant_id: int | None = None
) -> Batch:
    """Confirm a suggestion as a span of ``annotator`` and record the decision."""
    claim = None
    attributes: dict[str, Any] = {}
    if suggestion.layer is Layer.CLAIM:
        attrs = suggestion.attributes
        if attrs.get(quantities.KEY):
            # The proposed number slots become the claim's own (editable in the inspector); a
            # plug-in's malformed list is left behind rather than refusing the accept.
            try:
                attributes = quantities.to_attributes({}, quantities.from_attributes(attrs))
            except quantities.QuantityError:
                attributes = {}
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
        attributes=attributes,
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


@dataclass(frozen=True, slots=True)
class AddLinkedSpans:
    """Add spans of one document at once, claims citing entities added with them (taking
    over a near-duplicate's annotations): ``spans[i].claim.claimant_id``, when it is the
    index of an entity in ``spans`` written as ``-(index + 1)``, is linked to that entity once
    it has its id. One undo step removes them all."""

    spans: tuple[Span, ...]
    name: str = "Take over annotations"

    def apply(self, store: AnnotationStore) -> Applied:
        ids: dict[int, int] = {}
        added: list[Span] = []
        # Entities first: the claims cite them.
        order = sorted(range(len(self.spans)), key=lambda i: self.spans[i].layer is Layer.CLAIM)
        for index in order:
            span = self.spans[index]
            claim = span.claim
            if claim is not None and claim.claimant_id is not None and claim.claimant_id < 0:
                claim = replace(claim, claimant_id=ids.get(-claim.claimant_id - 1))
                span = replace(span, claim=claim)
            stored = store.add_span(span)
            assert stored.id is not None
            store.log("span.add", stored.annotator, stored.document_id, _payload(stored.id, None))
            ids[index] = stored.id
            added.append(stored)
        changes = Changes()
        for span in added:
            changes = changes | _touch(span)
        inverse = Batch(
            tuple(
                DeleteSpan(s.id, name=self.name, expected_version=s.version)
                for s in reversed(added)
                if s.id is not None
            ),
            name=self.name,
        )
        versions = tuple(SpanVersion(s.id, None, s.version) for s in added if s.id is not None)
        return Applied(changes, inverse, tuple(added), versions)
