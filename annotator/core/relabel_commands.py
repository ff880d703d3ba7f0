"""Renaming and merging entity labels across the whole project, as undoable commands.

A rename or merge moves every entity span, suggestion, decision and gazetteer term from the old
label to the new one and saves the new schema, all in the command's one transaction. The bulk
SQL lives in ``annotator.storage.relabel``; this module stays free of SQLAlchemy, so the
command is handed that rewriter (anything with ``move`` and ``restore``) when it is made.

Undo must restore exactly, including a merge, where two labels collapse into one and rows can
collide on the unique keys of suggestions, decisions and terms (the same suggestion was made
under both labels). :class:`LabelMove` therefore remembers which rows were relabelled (by id)
and keeps a full copy of each row that was dropped because its twin under the new label was
already there; :class:`RestoreLabels` puts the labels back and re-inserts those rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from annotator.core.commands import Applied, Changes, SpanVersion
from annotator.core.errors import SchemaError
from annotator.core.schema import LabelSchema

ENTITY_LABEL = "entity"
CLAIM_TYPE = "claim_type"


@dataclass(frozen=True, slots=True)
class LabelMove:
    """What moving ``old`` to ``new`` changed: enough to put it back."""

    old: str
    new: str
    span_ids: tuple[int, ...] = ()
    #: Each moved span's version before the move (aligned with ``span_ids``); every move and
    #: restore bumps it by one, which the history needs to rebase older undo steps.
    span_versions: tuple[int, ...] = ()
    #: ``entity``: an entity label; ``claim_type``: a claim type (claims' ``type``).
    kind: str = ENTITY_LABEL
    suggestion_ids: tuple[int, ...] = ()
    decision_ids: tuple[int, ...] = ()
    term_ids: tuple[int, ...] = ()
    #: Whole rows (column -> value) deleted because the same row already existed as ``new``.
    dropped_suggestions: tuple[Mapping[str, Any], ...] = field(default=(), compare=False)
    dropped_decisions: tuple[Mapping[str, Any], ...] = field(default=(), compare=False)
    dropped_terms: tuple[Mapping[str, Any], ...] = field(default=(), compare=False)
    #: Documents whose spans, suggestions or decisions changed.
    document_ids: frozenset[int] = frozenset()

    @property
    def count(self) -> int:
        return (
            len(self.span_ids)
            + len(self.suggestion_ids)
            + len(self.decision_ids)
            + len(self.term_ids)
            + len(self.dropped_suggestions)
            + len(self.dropped_decisions)
            + len(self.dropped_terms)
        )


class LabelRewriter(Protocol):
    """The bulk relabelling done inside the command's transaction (storage layer)."""

    def move(self, store: Any, old: str, new: str, kind: str = ENTITY_LABEL) -> LabelMove: ...

    def restore(self, store: Any, move: LabelMove) -> tuple[int, ...]:
        """Put the move back; returns the moved spans' versions before the restore."""
        ...


class SchemaStore(Protocol):
    def schema(self) -> LabelSchema: ...

    def save_schema(self, schema: LabelSchema) -> LabelSchema: ...

    def log(
        self, kind: str, annotator: str | None, document_id: int | None, payload: dict
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class LabelStep:
    """Move every use of ``old`` to ``new``: a rename when ``new`` was not a label yet, a
    merge when it was. ``kind`` says whether these are entity labels or claim types."""

    old: str
    new: str
    kind: str = ENTITY_LABEL


def _changes(moves: tuple[LabelMove, ...]) -> Changes:
    documents: frozenset[int] = frozenset()
    spans: frozenset[int] = frozenset()
    for move in moves:
        documents |= move.document_ids
        spans |= frozenset(move.span_ids)
    return Changes(document_ids=documents, span_ids=spans, decisions=True)


@dataclass(frozen=True, slots=True)
class EditLabels:
    """Apply label steps (renames, merges) in order, then save ``schema`` as the project's
    new schema version: one transaction, one undo step."""

    steps: tuple[LabelStep, ...]
    schema: LabelSchema
    rewriter: LabelRewriter = field(compare=False)
    name: str = "Edit labels"

    def apply(self, store: Any) -> Applied:
        before: LabelSchema = store.schema()
        moves: list[LabelMove] = []
        for step in self.steps:
            if step.old == step.new:
                continue
            moves.append(self.rewriter.move(store, step.old, step.new, step.kind))
        saved = store.save_schema(self.schema)
        store.log(
            "schema.edit",
            None,
            None,
            {
                "version": saved.version,
                "steps": [[s.old, s.new] for s in self.steps],
                "moved": sum(m.count for m in moves),
            },
        )
        done = tuple(moves)
        inverse = RestoreLabels(done, before, self, rewriter=self.rewriter, name=self.name)
        versions = tuple(
            SpanVersion(span_id, v, v + 1)
            for move in done
            for span_id, v in zip(move.span_ids, move.span_versions, strict=True)
        )
        return Applied(_changes(done), inverse, versions=versions)


@dataclass(frozen=True, slots=True)
class RestoreLabels:
    """Undo of :class:`EditLabels`: put every moved row back, re-insert dropped rows, and
    save the schema as it was (as a new version: versions only ever go up)."""

    moves: tuple[LabelMove, ...]
    schema: LabelSchema
    redo: EditLabels
    rewriter: LabelRewriter = field(compare=False)
    name: str = "Edit labels"

    def apply(self, store: Any) -> Applied:
        versions: list[SpanVersion] = []
        for move in reversed(self.moves):
            before = self.rewriter.restore(store, move)
            versions.extend(
                SpanVersion(span_id, v, v + 1)
                for span_id, v in zip(move.span_ids, before, strict=True)
            )
        saved = store.save_schema(self.schema)
        store.log("schema.restore", None, None, {"version": saved.version})
        return Applied(_changes(self.moves), self.redo, versions=tuple(versions))


def rename_label(schema: LabelSchema, old: str, new: str, rewriter: LabelRewriter) -> EditLabels:
    """Rename the entity label ``old`` to ``new`` everywhere (its colour and hotkey stay)."""
    if not schema.has_entity(old):
        raise SchemaError(f"there is no label {old!r} to rename")
    if schema.has_entity(new):
        raise SchemaError(f"label {new!r} exists already: merge {old!r} into it instead")
    entities = tuple(replace(e, name=new) if e.name == old else e for e in schema.entities)
    return EditLabels(
        (LabelStep(old, new),),
        replace(schema, entities=entities),
        rewriter,
        name=f"Rename {old} to {new}",
    )


def merge_label(schema: LabelSchema, old: str, into: str, rewriter: LabelRewriter) -> EditLabels:
    """Move every use of ``old`` to ``into`` and remove ``old`` from the schema."""
    if old == into:
        raise SchemaError(f"cannot merge {old!r} into itself")
    for name in (old, into):
        if not schema.has_entity(name):
            raise SchemaError(f"there is no label {name!r}")
    entities = tuple(e for e in schema.entities if e.name != old)
    return EditLabels(
        (LabelStep(old, into),),
        replace(schema, entities=entities),
        rewriter,
        name=f"Merge {old} into {into}",
    )


def touches_schema(applied: Applied) -> bool:
    """Whether a command (or its undo/redo) just changed the label schema."""
    return isinstance(applied.inverse, EditLabels | RestoreLabels)
