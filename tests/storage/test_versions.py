"""Optimistic span versions on both backends: an edit made against an older version of a
span is refused with a message saying who changed it, never applied over the newer one."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from annotator.core.commands import AddSpan, DeleteSpan, ReplaceSpan, relabel
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import ClaimDetails, Layer, Span
from annotator.services.annotate import AnnotationService
from annotator.storage.database import Database
from tests.builders import add_document

TEXT = "Mayor Petra Novak said 300 homes had lost power within 24 hours.\n"


@pytest.fixture
def doc(backend_db: Database) -> int:
    return add_document(backend_db, TEXT, "t")


def entity(doc: int, label: str = "PERSON", annotator: str = "ana") -> Span:
    return Span(None, doc, Layer.ENTITY, 6, 17, label, annotator)


def read(db: Database, span_id: int) -> Span:
    with db.read() as store:
        return store.get_span(span_id)


def test_every_change_bumps_the_version(backend_db: Database, doc: int) -> None:
    with backend_db.write() as store:
        span = store.add_span(entity(doc))
        assert span.version == 1
        changed = store.replace_span(replace(span, label="ORG"))
        assert changed.version == 2
        unchecked = store.replace_span(replace(changed, label="GPE", version=None))
        assert unchecked.version == 3
    assert read(backend_db, span.id).version == 3  # type: ignore[arg-type]


def test_a_stale_edit_is_refused_naming_who_changed_the_span(
    backend_db: Database, doc: int
) -> None:
    ana, bob = AnnotationService(backend_db), AnnotationService(backend_db)
    span = ana.execute(AddSpan(entity(doc))).spans[0]
    bob.execute(ReplaceSpan(replace(span, label="ORG"), by="bob"))
    with pytest.raises(ConflictError) as refused:
        ana.execute(replace(relabel(span, "GPE"), by="ana"))
    message = str(refused.value)
    assert "changed by bob" in message and "ORG span 6–17" in message
    assert "version 2, you had version 1" in message and "refreshed" in message
    assert read(backend_db, span.id).label == "ORG"  # type: ignore[arg-type]
    assert ana.history.undo_name == "Add span"  # the refused edit is not recorded


def test_a_stale_delete_is_refused_and_a_current_one_applies(
    backend_db: Database, doc: int
) -> None:
    service = AnnotationService(backend_db)
    span = service.execute(AddSpan(entity(doc))).spans[0]
    assert span.id is not None
    service.execute(relabel(span, "ORG"))  # now version 2
    with pytest.raises(ConflictError):
        service.execute(DeleteSpan(span.id, expected_version=1))
    assert read(backend_db, span.id).label == "ORG"
    service.execute(DeleteSpan(span.id, expected_version=2))
    with pytest.raises(NotFoundError):
        read(backend_db, span.id)


def test_editing_a_span_deleted_by_someone_else_is_a_conflict(
    backend_db: Database, doc: int
) -> None:
    ana = AnnotationService(backend_db)
    span = ana.execute(AddSpan(entity(doc))).spans[0]
    assert span.id is not None
    AnnotationService(backend_db).execute(
        DeleteSpan(span.id, expected_version=1, by="bob", name="Delete PERSON")
    )
    with pytest.raises(ConflictError, match="was deleted by bob"):
        ana.execute(relabel(span, "ORG"))
    with pytest.raises(ConflictError, match="was deleted by bob"):
        ana.execute(DeleteSpan(span.id, expected_version=1))
    # Without a version (not read from storage) it is plainly not found.
    with pytest.raises(NotFoundError):
        ana.execute(ReplaceSpan(replace(span, version=None)))


def test_deleting_a_claimant_moves_its_claims_on(backend_db: Database, doc: int) -> None:
    service = AnnotationService(backend_db)
    person = service.execute(AddSpan(entity(doc))).spans[0]
    claim = service.execute(
        AddSpan(
            Span(
                None,
                doc,
                Layer.CLAIM,
                23,
                63,
                "CLAIM",
                "ana",
                claim=ClaimDetails(person.id, None, "quantity", False),
            )
        )
    ).spans[0]
    assert claim.version == 1 and person.id is not None and claim.id is not None
    service.execute(DeleteSpan(person.id, expected_version=person.version))
    unlinked = read(backend_db, claim.id)
    assert unlinked.claim is not None and unlinked.claim.claimant_id is None
    assert unlinked.version == 2
    # A view that still shows the claimant cannot edit the claim as if it were linked.
    with pytest.raises(ConflictError):
        service.execute(ReplaceSpan(replace(claim, claim=replace(claim.claim, hedged=True))))  # type: ignore[type-var]
    service.undo()  # the delete: the person comes back, the claim is relinked
    relinked = read(backend_db, claim.id)
    assert relinked.claim is not None and relinked.claim.claimant_id == person.id
    assert relinked.version == 3
    restored = read(backend_db, person.id)
    assert restored.version == 2  # above the version it had, never a repeat
    service.redo()
    assert read(backend_db, claim.id).claim.claimant_id is None  # type: ignore[union-attr]


def test_a_long_undo_chain_applies_in_full_after_the_restore(
    backend_db: Database, doc: int
) -> None:
    """Undo brings older content back under new version numbers; the steps below are
    rebased, so undoing one's own work is never refused however far back it goes."""
    service = AnnotationService(backend_db)
    span = service.execute(AddSpan(entity(doc))).spans[0]
    assert span.id is not None
    service.execute(relabel(span, "ORG"))
    service.execute(relabel(read(backend_db, span.id), "GPE"))
    service.execute(DeleteSpan(span.id, expected_version=3))
    labels = []
    for _ in range(3):
        service.undo()
        labels.append(read(backend_db, span.id).label)
    assert labels == ["GPE", "ORG", "PERSON"]
    service.undo()
    with pytest.raises(NotFoundError):
        read(backend_db, span.id)
    for expected in ("PERSON", "ORG", "GPE"):
        service.redo()
        assert read(backend_db, span.id).label == expected
    service.redo()
    with pytest.raises(NotFoundError):
        read(backend_db, span.id)
    assert service.history.redo_name is None


def test_an_undo_over_someone_elses_edit_is_refused(backend_db: Database, doc: int) -> None:
    ana = AnnotationService(backend_db)
    span = ana.execute(AddSpan(entity(doc))).spans[0]
    ana.execute(relabel(span, "ORG"))
    current = read(backend_db, span.id)  # type: ignore[arg-type]
    AnnotationService(backend_db).execute(ReplaceSpan(replace(current, label="FAC"), by="bob"))
    with pytest.raises(ConflictError, match=r"Cannot undo Relabel as ORG: .*changed by bob"):
        ana.undo()
    assert read(backend_db, span.id).label == "FAC"  # type: ignore[arg-type]
    assert ana.history.undo_name == "Add span"


def test_two_writers_racing_on_one_version_one_wins(backend_db: Database, doc: int) -> None:
    """The check and the bump are one UPDATE: a writer that waited for the other's lock
    re-checks the version after it (PostgreSQL READ COMMITTED; SQLite BEGIN IMMEDIATE) and
    is refused rather than overwriting."""
    with backend_db.write() as store:
        span = store.add_span(entity(doc))
    outcome: list[BaseException | Span] = []
    started = threading.Event()

    def second() -> None:
        started.set()
        try:
            with backend_db.write() as store:
                outcome.append(store.replace_span(replace(span, label="GPE")))
        except BaseException as exc:  # the test inspects it
            outcome.append(exc)

    with backend_db.write() as store:
        store.replace_span(replace(span, label="ORG"))
        thread = threading.Thread(target=second)
        thread.start()
        started.wait()
        # Give the second writer time to queue behind our lock (either way it must lose:
        # if it starts after our commit it simply reads the newer version).
        time.sleep(0.2)
    thread.join()
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError), outcome
    stored = read(backend_db, span.id)  # type: ignore[arg-type]
    assert (stored.label, stored.version) == ("ORG", 2)
