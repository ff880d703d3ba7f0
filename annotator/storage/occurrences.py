"""The documents whose text contains a string, a page at a time: what "Label all occurrences"
reads (annotator.services.occurrences). The database filters with LIKE (case-insensitive for
ASCII on SQLite, exact on PostgreSQL), so only texts that may hold the string leave it; the
service checks each place exactly."""

from __future__ import annotations

from sqlalchemy import select

from annotator.storage.orm import DocumentRow
from annotator.storage.store import Store


def documents_containing(
    store: Store, needle: str, *, after_id: int = 0, limit: int = 200
) -> list[tuple[int, str]]:
    """``(id, text)`` of up to ``limit`` documents after ``after_id`` whose text may contain
    ``needle``, in id order (keyset pages: each one costs the same at any depth)."""
    rows = store.session.execute(
        select(DocumentRow.id, DocumentRow.text)
        .where(DocumentRow.id > after_id, DocumentRow.text.contains(needle, autoescape=True))
        .order_by(DocumentRow.id)
        .limit(limit)
    )
    return [(doc_id, text) for doc_id, text in rows]
