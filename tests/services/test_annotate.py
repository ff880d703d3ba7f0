"""Commands applied to a real database, undone and redone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core.commands import (
    AddSpan,
    DeleteSpan,
    ReplaceSpan,
    accept_all,
    mark,
    reject_suggestion,
    relabel,
)
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import (
    ClaimDetails,
    Decision,
    Layer,
    Span,
    Status,
    Suggestion,
)
from annotator.services.annotate import AnnotationService
from annotator.storage.database import Database
from tests.builders import add_document

TEXT = "Mayor Petra Novak said 300 homes had lost power within 24 hours.\n"


@pytest.fixture
def doc_id(db: Database) -> int:
    return add_document(db, TEXT, "t")


def spans(db: Database, doc: int) -> list[tuple[str, int, int, str]]:
    with db.read() as store:
        return [(s.layer.value, s.start, s.end, s.label) for s in store.spans(doc)]


def test_add_relabel_delete_with_undo_and_redo(db: Database, doc_id: int) -> None:
    service = AnnotationService(db)
    added = service.execute(AddSpan(Span(None, doc_id, Layer.ENTITY, 6, 17, "PERSON", "ana")))
    span = added.spans[0]
    assert TEXT[span.start : span.end] == "Petra Novak"
    service.execute(relabel(span, "ORG"))
    assert spans(db, doc_id) == [("entity", 6, 17, "ORG")]
    assert service.history.undo_name == "Relabel as ORG"
    service.undo()
    assert spans(db, doc_id) == [("entity", 6, 17, "PERSON")]
    service.redo()
    assert spans(db, doc_id) == [("entity", 6, 17, "ORG")]
    service.execute(DeleteSpan(span.id))  # type: ignore[arg-type]
    assert spans(db, doc_id) == []
    service.undo()
    assert spans(db, doc_id) == [("entity", 6, 17, "ORG")]
    service.undo()
    service.undo()
    assert spans(db, doc_id) == []
    assert service.undo() is None


def test_deleting_a_claimant_unlinks_and_undo_relinks(db: Database, doc_id: int) -> None:
    service = AnnotationService(db)
    person = service.execute(
        AddSpan(Span(None, doc_id, Layer.ENTITY, 6, 17, "PERSON", "ana"))
    ).spans[0]
    claim = service.execute(
        AddSpan(
            Span(
                None,
                doc_id,
                Layer.CLAIM,
                23,
                63,
                "CLAIM",
                "ana",
                claim=ClaimDetails(person.id, (18, 22), "quantity", False),
            )
        )
    ).spans[0]
    service.execute(DeleteSpan(person.id))  # type: ignore[arg-type]
    with db.read() as store:
        assert store.get_span(claim.id).claim.claimant_id is None  # type: ignore[arg-type, union-attr]
    service.undo()
    with db.read() as store:
        restored = store.get_span(claim.id)  # type: ignore[arg-type]
        assert restored.claim is not None and restored.claim.claimant_id == person.id
        assert restored.claim.cue == (18, 22)


def test_bulk_accept_is_one_undo_step(db: Database, doc_id: int) -> None:
    service = AnnotationService(db)
    suggestions = [
        Suggestion(None, doc_id, Layer.ENTITY, 6, 17, "PERSON", "rules", 0.9, "title + name"),
        Suggestion(None, doc_id, Layer.ENTITY, 23, 32, "QUANTITY", "rules", 0.8, "figure"),
    ]
    applied = service.execute(accept_all(suggestions, "ana"))
    assert applied.changes.document_ids == {doc_id}
    assert len(spans(db, doc_id)) == 2
    with db.read() as store:
        assert {d.decision for d in store.decisions(doc_id)} == {Decision.ACCEPTED}
        assert {s.origin for s in store.spans(doc_id)} == {"suggested:rules"}
    service.undo()
    assert spans(db, doc_id) == []
    with db.read() as store:
        assert store.decisions(doc_id) == []


def test_rejection_is_stored_and_undoable(db: Database, doc_id: int) -> None:
    service = AnnotationService(db)
    suggestion = Suggestion(None, doc_id, Layer.ENTITY, 0, 5, "PERSON", "rules", 0.5, "title")
    service.execute(reject_suggestion(suggestion, "ana"))
    with db.read() as store:
        (decision,) = store.decisions(doc_id, "ana")
        assert decision.decision is Decision.REJECTED and decision.suggester == "rules"
    service.undo()
    with db.read() as store:
        assert store.decisions(doc_id, "ana") == []


def test_status_with_time_spent(db: Database, doc_id: int) -> None:
    service = AnnotationService(db)
    service.execute(mark(doc_id, "ana", Status.DONE, 95.5))
    with db.read() as store:
        state = store.get_state(doc_id, "ana")
        assert state.status is Status.DONE and state.seconds_spent == 95.5
        assert store.status_counts("ana")["done"] == 1
    service.undo()
    with db.read() as store:
        assert store.get_state(doc_id, "ana").status is Status.NEW


def test_a_span_past_the_end_is_refused_and_nothing_is_written(db: Database, doc_id: int) -> None:
    service = AnnotationService(db)
    with pytest.raises(NotFoundError, match="past the end"):
        service.execute(AddSpan(Span(None, doc_id, Layer.ENTITY, 60, 500, "ORG", "ana")))
    assert spans(db, doc_id) == []
    assert service.history.undo_name is None


def test_an_undo_overtaken_by_someone_else_is_refused_and_dropped(
    db: Database, doc_id: int
) -> None:
    service = AnnotationService(db)
    service.execute(mark(doc_id, "ana", Status.IN_PROGRESS, 1.0))
    span = service.execute(AddSpan(Span(None, doc_id, Layer.ENTITY, 6, 17, "PERSON", "ana"))).spans[
        0
    ]
    # Someone else removes the span; undoing our add now fails, loudly and harmlessly, and
    # the step leaves the history (it can never apply again): the next undo is the one before.
    with db.write() as store:
        store.delete_span(span.id)  # type: ignore[arg-type]
    with pytest.raises(ConflictError, match=r"Cannot undo Add span: Span .* was deleted"):
        service.undo()
    assert service.history.undo_name == "Mark in progress"
    service.undo()
    with db.read() as store:
        assert store.get_state(doc_id, "ana").status is Status.NEW


def test_replace_keeps_claim_details(db: Database, doc_id: int) -> None:
    service = AnnotationService(db)
    claim = service.execute(AddSpan(Span(None, doc_id, Layer.CLAIM, 23, 63, "CLAIM", "ana"))).spans[
        0
    ]
    assert claim.claim == ClaimDetails()
    hedged = ClaimDetails(None, (18, 22), "quantity", True)
    service.execute(ReplaceSpan(replace(claim, claim=hedged)))
    with db.read() as store:
        assert store.get_span(claim.id).claim == hedged  # type: ignore[arg-type]
    service.undo()
    with db.read() as store:
        assert store.get_span(claim.id).claim == ClaimDetails()  # type: ignore[arg-type]
