"""What agreement reads: which documents and annotators count (one query for the whole
project), then, per batch, every span as a plain row.

Kept out of :class:`~annotator.storage.store.Store` (it serves only the agreement service);
the documents' texts are read in batches with the store's bulk reads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

from sqlalchemy import func, select

from annotator.core.model import Status
from annotator.storage.bulk import chunks
from annotator.storage.orm import Annotator, ClaimRow, DocumentStatusRow, SpanRow
from annotator.storage.store import Store


class MarkRow(NamedTuple):
    """A span as agreement compares it (the claim columns are None for an entity)."""

    annotator: str
    layer: str
    start: int
    end: int
    label: str
    span_id: int
    claimant_id: int | None
    claim_type: str | None
    hedged: bool | None


def marks_by_documents(store: Store, ids: Sequence[int]) -> dict[int, list[MarkRow]]:
    """Every span of these documents, by document, in ``(start, end, id)`` order: tuples
    straight from the rows, since agreement reads every span of the project and needs none of
    what a :class:`~annotator.core.model.Span` carries besides."""
    result: dict[int, list[MarkRow]] = {}
    store.session.flush()  # the statement bypasses the ORM: its pending changes first
    conn = store.session.connection()
    make = MarkRow._make
    for chunk in chunks(ids):
        rows = conn.execute(
            select(
                SpanRow.document_id,
                Annotator.name,
                SpanRow.layer,
                SpanRow.start,
                SpanRow.end,
                SpanRow.label,
                SpanRow.id,
                ClaimRow.claimant_id,
                ClaimRow.claim_type,
                ClaimRow.hedged,
            )
            .join(Annotator, Annotator.id == SpanRow.annotator_id)
            .outerjoin(ClaimRow, ClaimRow.span_id == SpanRow.id)
            .where(SpanRow.document_id.in_(chunk))
            .order_by(SpanRow.document_id, SpanRow.start, SpanRow.end, SpanRow.id)
        ).fetchall()
        for row in rows:
            result.setdefault(row[0], []).append(make(row[1:]))
    return result


def shared_documents(
    store: Store,
    statuses: Collection[Status],
    *,
    only: Collection[str] | None = None,
    exclude: Collection[str] = (),
    minimum: int = 2,
) -> list[tuple[int, tuple[str, ...]]]:
    """``(document id, annotators)`` for every document that at least ``minimum`` annotators
    have in one of ``statuses`` (only the annotators in ``only`` when given; never those in
    ``exclude``), in document order, each document's annotators sorted by name."""
    values = sorted(status.value for status in statuses)
    conditions = [DocumentStatusRow.status.in_(values)]
    if only is not None:
        conditions.append(Annotator.name.in_(sorted(only)))
    if exclude:
        conditions.append(Annotator.name.not_in(sorted(exclude)))
    shared = (
        select(DocumentStatusRow.document_id)
        .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
        .where(*conditions)
        .group_by(DocumentStatusRow.document_id)
        .having(func.count() >= minimum)
    )
    rows = store.session.execute(
        select(DocumentStatusRow.document_id, Annotator.name)
        .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
        .where(*conditions, DocumentStatusRow.document_id.in_(shared))
        .order_by(DocumentStatusRow.document_id, Annotator.name)
    )
    result: list[tuple[int, tuple[str, ...]]] = []
    current: int | None = None
    names: list[str] = []
    for document_id, name in rows:
        if document_id != current:
            if current is not None:
                result.append((current, tuple(names)))
            current, names = document_id, []
        names.append(name)
    if current is not None:
        result.append((current, tuple(names)))
    return result
