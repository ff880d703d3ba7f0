"""Which documents and annotators agreement counts: one query for the whole project.

Kept out of :class:`~annotator.storage.store.Store` (it serves only the agreement service);
the documents' texts and spans are then read in batches with the store's bulk reads.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select

from annotator.core.model import Status
from annotator.storage.orm import Annotator, DocumentStatusRow
from annotator.storage.store import Store


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
