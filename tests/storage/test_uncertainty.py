"""The least-certain unfinished document, as one query, on both backends."""

from __future__ import annotations

from annotator.core.model import DocumentState, Layer, Status, Suggestion
from annotator.storage import uncertainty
from annotator.storage.database import Database
from tests.builders import insert_documents


def _scored(doc_id: int, *scores: float) -> list[Suggestion]:
    return [
        Suggestion(None, doc_id, Layer.ENTITY, i * 10, i * 10 + 4, "ORG", "rules", score, "r")
        for i, score in enumerate(scores)
    ]


def test_smallest_mean_margin_first_among_unfinished(backend_db: Database) -> None:
    texts = [f"Document number {i} with words enough for offsets up to forty." for i in range(5)]
    with backend_db.write() as store:
        a, b, c, d, _without = insert_documents(store, texts)
        store.add_suggestions(
            [
                *_scored(a, 0.9, 0.95),  # margin 0.425
                *_scored(b, 0.5, 0.7),  # 0.1
                *_scored(c, 0.55),  # 0.05, but done
                *_scored(d, 0.2, 0.8),  # 0.3
            ]
        )  # e: no suggestions
        store.annotator_id("ana", create=True)
        store.set_state(DocumentState(c, "ana", Status.DONE, 1.0))
    with backend_db.read() as store:
        assert uncertainty.least_certain(store, "ana") == b
        assert uncertainty.least_certain(store, "ana", besides=b) == d
        # Someone who has done nothing yet: the done document is theirs to do.
        assert uncertainty.least_certain(store, "bea") == c
    with backend_db.write() as store:
        for doc_id in (a, b, d):
            store.set_state(DocumentState(doc_id, "ana", Status.SKIPPED, 1.0))
    with backend_db.read() as store:
        # Only the document without suggestions is left: the caller takes it in order.
        assert uncertainty.least_certain(store, "ana") is None
