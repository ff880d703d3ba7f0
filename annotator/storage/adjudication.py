"""Queries for adjudication: which documents wait for it, who may do it, and a per-document
lock so that two reviewers adjudicating the same document are serialised (then the second
sees the first one's gold spans and gets a conflict instead of overwriting them)."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from annotator.core.errors import NotFoundError
from annotator.core.model import GOLD_ANNOTATOR, Status
from annotator.storage.orm import Annotator, DocumentRow, DocumentStatusRow
from annotator.storage.store import Store


def lock_document(store: Store, document_id: int) -> None:
    """Hold the document's row until the transaction ends (``SELECT ... FOR UPDATE`` on
    PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises every writer)."""
    found = store.session.execute(
        select(DocumentRow.id).where(DocumentRow.id == document_id).with_for_update()
    ).first()
    if found is None:
        raise NotFoundError(f"no document with id {document_id}")


def done_by(store: Store, document_id: int) -> list[str]:
    """The annotators (not gold) who marked the document done, by name."""
    rows = store.session.scalars(
        select(Annotator.name)
        .join(DocumentStatusRow, DocumentStatusRow.annotator_id == Annotator.id)
        .where(
            DocumentStatusRow.document_id == document_id,
            DocumentStatusRow.status == Status.DONE.value,
            Annotator.name != GOLD_ANNOTATOR,
        )
        .order_by(Annotator.name)
    )
    return list(rows)


def needing_adjudication(
    store: Store, *, after_id: int = 0, limit: int | None = None, include_adjudicated: bool = False
) -> list[int]:
    """Documents (id order, ``id > after_id``) marked done by at least two annotators other
    than gold whose gold status is not done (with ``include_adjudicated``: done or not)."""
    done = (
        select(DocumentStatusRow.document_id)
        .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
        .where(
            DocumentStatusRow.status == Status.DONE.value,
            Annotator.name != GOLD_ANNOTATOR,
            DocumentStatusRow.document_id > after_id,
        )
        .group_by(DocumentStatusRow.document_id)
        .having(func.count() >= 2)
    )
    if not include_adjudicated:
        gold_status = aliased(DocumentStatusRow)
        gold = aliased(Annotator)
        adjudicated = (
            select(gold_status.document_id)
            .join(gold, gold.id == gold_status.annotator_id)
            .where(and_(gold.name == GOLD_ANNOTATOR, gold_status.status == Status.DONE.value))
        )
        done = done.where(DocumentStatusRow.document_id.not_in(adjudicated))
    done = done.order_by(DocumentStatusRow.document_id)
    if limit is not None:
        done = done.limit(limit)
    return list(store.session.scalars(done))
