"""Whether a project database holds anything yet (New project refuses to overwrite work)."""

from __future__ import annotations

from sqlalchemy import func, select

from annotator.storage.orm import LabelSchemaRow
from annotator.storage.store import Store


def contents(store: Store) -> dict[str, int]:
    """Counts of what makes a project "not empty": documents, schema versions, terms."""
    return {
        "documents": store.document_count(),
        "schema versions": store.session.scalar(select(func.count(LabelSchemaRow.version))) or 0,
        "gazetteer terms": store.term_count(),
    }


def is_empty(store: Store) -> bool:
    return not any(contents(store).values())
