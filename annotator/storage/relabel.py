"""Bulk relabelling for :mod:`annotator.core.relabel_commands`: move every entity span,
suggestion, decision and gazetteer term from one label to another, and put them back.

Runs inside the caller's write transaction (the command's). Spans have no unique key on the
label, so they are relabelled in place and remembered by id. Suggestions, decisions and terms
do: when the row already exists under the new label (a merge of two labels that both had it),
the old row is deleted and kept whole in the :class:`LabelMove` so undo can re-insert it with
its id. Statements are built with SQLAlchemy expressions, never strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, and_, delete, exists, func, select, update

from annotator.core.model import Layer
from annotator.core.relabel_commands import CLAIM_TYPE, ENTITY_LABEL, LabelMove
from annotator.storage.bulk import chunks
from annotator.storage.orm import ClaimRow, DecisionRow, SpanRow, SuggestionRow, TermRow, utcnow
from annotator.storage.store import Store

_ENTITY = Layer.ENTITY.value


def _move_keyed(
    store: Store, table: Table, key: Sequence[str], old: str, new: str, entity_only: bool
) -> tuple[tuple[int, ...], tuple[Mapping[str, Any], ...], set[int]]:
    """Relabel ``old`` rows of a table with a unique key (``key`` + label): drop those whose
    twin under ``new`` exists, relabel the rest. Returns (moved ids, dropped rows, documents)."""
    conn = store.session.connection()
    twin = table.alias("twin")
    mine = [table.c.label == old]
    if entity_only:
        mine.append(table.c.layer == _ENTITY)
    clash = exists().where(and_(*(twin.c[k] == table.c[k] for k in key), twin.c.label == new))
    dropped = tuple(
        dict(row._mapping)
        for row in conn.execute(select(table).where(*mine, clash).order_by(table.c.id))
    )
    documents = {int(r["document_id"]) for r in dropped if "document_id" in r}
    for ids in chunks([int(r["id"]) for r in dropped]):
        conn.execute(delete(table).where(table.c.id.in_(ids)))
    has_document = "document_id" in table.c
    columns = [table.c.id, table.c.document_id] if has_document else [table.c.id]
    moved: list[int] = []
    for row in conn.execute(select(*columns).where(*mine).order_by(table.c.id)):
        moved.append(int(row[0]))
        if has_document:
            documents.add(int(row[1]))
    conn.execute(update(table).where(*mine).values(label=new))
    return tuple(moved), dropped, documents


def move(store: Store, old: str, new: str) -> LabelMove:
    """Move every use of the entity label ``old`` to ``new``."""
    conn = store.session.connection()
    store.session.flush()  # the ORM's pending changes first: the statements below bypass it
    spans = SpanRow.__table__
    span_rows = conn.execute(
        select(spans.c.id, spans.c.document_id, spans.c.version)
        .where(spans.c.label == old, spans.c.layer == _ENTITY)
        .order_by(spans.c.id)
    ).all()
    span_ids = tuple(int(r[0]) for r in span_rows)
    documents = {int(r[1]) for r in span_rows}
    for ids in chunks(span_ids):
        conn.execute(
            update(spans)
            .where(spans.c.id.in_(ids))
            .values(label=new, version=spans.c.version + 1, updated_at=utcnow())
        )
    suggestion_ids, dropped_suggestions, docs = _move_keyed(
        store,
        SuggestionRow.__table__,
        ("document_id", "suggester", "layer", "start", "end"),
        old,
        new,
        entity_only=True,
    )
    documents |= docs
    decision_ids, dropped_decisions, docs = _move_keyed(
        store,
        DecisionRow.__table__,
        ("document_id", "annotator_id", "layer", "start", "end"),
        old,
        new,
        entity_only=True,
    )
    documents |= docs
    term_ids, dropped_terms, _ = _move_keyed(
        store, TermRow.__table__, ("term",), old, new, entity_only=False
    )
    store.session.expire_all()  # rows loaded before now carry the old label
    return LabelMove(
        old=old,
        new=new,
        span_ids=span_ids,
        span_versions=tuple(int(r[2]) for r in span_rows),
        suggestion_ids=suggestion_ids,
        decision_ids=decision_ids,
        term_ids=term_ids,
        dropped_suggestions=dropped_suggestions,
        dropped_decisions=dropped_decisions,
        dropped_terms=dropped_terms,
        document_ids=frozenset(documents),
    )


def move_claim_type(store: Store, old: str, new: str) -> LabelMove:
    """Move every claim of type ``old`` to ``new`` (claims have no unique key on the type:
    a merge of two types is the same statement as a rename)."""
    store.session.flush()
    conn = store.session.connection()
    spans, claims = SpanRow.__table__, ClaimRow.__table__
    rows = conn.execute(
        select(spans.c.id, spans.c.document_id, spans.c.version)
        .join(claims, claims.c.span_id == spans.c.id)
        .where(claims.c.claim_type == old)
        .order_by(spans.c.id)
    ).all()
    span_ids = tuple(int(r[0]) for r in rows)
    _set_claim_type(store, span_ids, new)
    store.session.expire_all()
    return LabelMove(
        old=old,
        new=new,
        span_ids=span_ids,
        span_versions=tuple(int(r[2]) for r in rows),
        kind=CLAIM_TYPE,
        document_ids=frozenset(int(r[1]) for r in rows),
    )


def _set_claim_type(store: Store, span_ids: Sequence[int], claim_type: str) -> None:
    conn = store.session.connection()
    spans, claims = SpanRow.__table__, ClaimRow.__table__
    for ids in chunks(span_ids):
        conn.execute(update(claims).where(claims.c.span_id.in_(ids)).values(claim_type=claim_type))
        conn.execute(
            update(spans)
            .where(spans.c.id.in_(ids))
            .values(version=spans.c.version + 1, updated_at=utcnow())
        )


def _versions(store: Store, span_ids: Sequence[int]) -> tuple[int, ...]:
    """The current versions of these spans, in the order given."""
    conn = store.session.connection()
    spans = SpanRow.__table__
    found: dict[int, int] = {}
    for ids in chunks(span_ids):
        found.update(
            (int(i), int(v))
            for i, v in conn.execute(select(spans.c.id, spans.c.version).where(spans.c.id.in_(ids)))
        )
    return tuple(found[i] for i in span_ids)


def restore(store: Store, moved: LabelMove) -> tuple[int, ...]:
    """Undo :func:`move` (or :func:`move_claim_type`): the moved rows get ``old`` back, the
    dropped rows return. Returns the spans' versions before the restore."""
    store.session.flush()
    before = _versions(store, moved.span_ids)
    if moved.kind == CLAIM_TYPE:
        _set_claim_type(store, moved.span_ids, moved.old)
        store.session.expire_all()
        return before
    conn = store.session.connection()
    spans = SpanRow.__table__
    for ids in chunks(moved.span_ids):
        conn.execute(
            update(spans)
            .where(spans.c.id.in_(ids))
            .values(label=moved.old, version=spans.c.version + 1, updated_at=utcnow())
        )
    for table, ids, dropped in (
        (SuggestionRow.__table__, moved.suggestion_ids, moved.dropped_suggestions),
        (DecisionRow.__table__, moved.decision_ids, moved.dropped_decisions),
        (TermRow.__table__, moved.term_ids, moved.dropped_terms),
    ):
        for chunk in chunks(ids):
            conn.execute(update(table).where(table.c.id.in_(chunk)).values(label=moved.old))
        if dropped:
            conn.execute(table.insert(), [dict(row) for row in dropped])
    store.session.expire_all()
    return before


class SqlRewriter:
    """The :class:`~annotator.core.relabel_commands.LabelRewriter` the commands are given."""

    def move(self, store: Any, old: str, new: str, kind: str = ENTITY_LABEL) -> LabelMove:
        if kind == CLAIM_TYPE:
            return move_claim_type(store, old, new)
        return move(store, old, new)

    def restore(self, store: Any, move_: LabelMove) -> tuple[int, ...]:
        return restore(store, move_)

    def __repr__(self) -> str:
        return "SqlRewriter()"


REWRITER = SqlRewriter()


def label_usage(store: Store) -> dict[str, int]:
    """How many entity spans, suggestions and gazetteer terms use each label."""
    counts: dict[str, int] = {}
    for table, entity_only in (
        (SpanRow.__table__, True),
        (SuggestionRow.__table__, True),
        (TermRow.__table__, False),
    ):
        query = select(table.c.label, func.count()).group_by(table.c.label)
        if entity_only:
            query = query.where(table.c.layer == _ENTITY)
        for label, n in store.session.execute(query):
            counts[label] = counts.get(label, 0) + int(n)
    return counts
