"""``Store.add_new_work``: the work of newly imported documents, a batch per statement, on
SQLite and on PostgreSQL (``backend_db`` runs each test on both)."""

from __future__ import annotations

import pytest

from annotator.core.errors import NotFoundError
from annotator.core.model import (
    ClaimDetails,
    Decision,
    Layer,
    Span,
    Status,
    SuggestionDecision,
)
from annotator.ingest.records import ImportedClaim, ImportedEntity
from annotator.storage.database import Database
from annotator.storage.store import NewWork
from tests.builders import sha256_hex

TEXTS = [
    "Mayor Petra Novak said 300 homes in Valmora lost power.",
    "The Port Authority reported 41 ships waiting near Valmora.",
]


def _documents(db: Database) -> list[int]:
    rows = [
        {"title": text[:10], "text": text, "sha256": sha256_hex(text), "source": "wire"}
        for text in TEXTS
    ]
    with db.write() as store:
        by_sha = store.insert_documents(rows)
    return [by_sha[row["sha256"]] for row in rows]


def _entity(
    start: int, end: int, label: str, name: str | None = "ana", ref: str | None = None
) -> ImportedEntity:
    return ImportedEntity(ref, start, end, label, name, attributes={"k": "ü"})


def _claim(
    start: int,
    end: int,
    claimant: str | None = None,
    cue: tuple[int, int] | None = None,
) -> ImportedClaim:
    return ImportedClaim(
        None, start, end, claimant, cue, "quantity", True, "ana", label="CLAIM", attributes={}
    )


def test_spans_claims_decisions_and_statuses_of_two_documents(backend_db: Database) -> None:
    first, second = _documents(backend_db)
    works = [
        NewWork(
            first,
            "ana",
            entities=[_entity(6, 17, "PERSON", ref="T1"), _entity(35, 42, "GPE", "bo", "T2")],
            claims=[_claim(23, 54, "T1", (18, 22))],
            decisions=[
                SuggestionDecision(first, "ana", Layer.ENTITY, 0, 5, "ORG", Decision.REJECTED),
                # The same key again: the later one is kept, as set_decision would.
                SuggestionDecision(
                    first, "ana", Layer.ENTITY, 0, 5, "ORG", Decision.REJECTED, "rules"
                ),
            ],
            states=[("ana", Status.DONE, 12.5)],
        ),
        NewWork(
            second,
            "ana",
            entities=[_entity(4, 18, "ORG", ref="T1")],
            # A claimant the record does not have: the claim is stored unattributed.
            claims=[_claim(19, 57, "T9")],
        ),
    ]
    with backend_db.write() as store:
        store.add_new_work(works)
    with backend_db.read() as store:
        spans = store.spans(first)
        person = next(s for s in spans if s.label == "PERSON")
        claim = next(s for s in spans if s.layer is Layer.CLAIM)
        assert [(s.start, s.end, s.label, s.annotator) for s in spans] == [
            (6, 17, "PERSON", "ana"),
            (23, 54, "CLAIM", "ana"),
            (35, 42, "GPE", "bo"),
        ]
        assert person.attributes == {"k": "ü"} and person.version == 1
        assert claim.claim == ClaimDetails(person.id, (18, 22), "quantity", True)
        other = store.spans(second)
        assert [s.label for s in other] == ["ORG", "CLAIM"]
        assert other[1].claim is not None and other[1].claim.claimant_id is None
        decisions = store.decisions(first, "ana")
        assert [(d.label, d.suggester) for d in decisions] == [("ORG", "rules")]
        state = store.get_state(first, "ana")
        assert (state.status, state.seconds_spent) == (Status.DONE, 12.5)
        assert store.get_state(second, "ana").status is Status.NEW


def test_ids_follow_spans_stored_before(backend_db: Database) -> None:
    """Ids come from the database: after spans stored one at a time, and in order."""
    first, second = _documents(backend_db)
    with backend_db.write() as store:
        earlier = store.add_span(Span(None, first, Layer.ENTITY, 0, 5, "PERSON", "ana"))
        store.add_new_work(
            [
                NewWork(
                    second,
                    "ana",
                    entities=[_entity(4, 8, "ORG", ref="A"), _entity(9, 18, "ORG", ref="B")],
                    claims=[_claim(19, 57, "B")],
                )
            ]
        )
    with backend_db.read() as store:
        spans = store.spans(second)
    assert earlier.id is not None
    assert [s.id for s in spans] == [earlier.id + 1, earlier.id + 2, earlier.id + 3]
    assert spans[2].claim is not None and spans[2].claim.claimant_id == spans[1].id


@pytest.mark.parametrize(
    ("entities", "claims", "cues"),
    [([(50, 80)], [], []), ([], [(0, 10)], [(40, 90)])],
    ids=["span", "cue"],
)
def test_past_the_end_is_refused_and_nothing_stored(
    backend_db: Database,
    entities: list[tuple[int, int]],
    claims: list[tuple[int, int]],
    cues: list[tuple[int, int]],
) -> None:
    first, second = _documents(backend_db)
    good = NewWork(first, "ana", entities=[_entity(6, 17, "PERSON")])
    bad = NewWork(
        second,
        "ana",
        entities=[_entity(start, end, "ORG") for start, end in entities],
        claims=[
            _claim(start, end, cue=cue) for (start, end), cue in zip(claims, cues, strict=True)
        ],
    )
    with (
        pytest.raises(NotFoundError, match=r"past the end|outside the document"),
        backend_db.write() as store,
    ):
        store.add_new_work([good, bad])
    with backend_db.read() as store:
        assert store.spans(first) == [] and store.spans(second) == []


@pytest.mark.parametrize(("start", "end"), [(-1, 4), (5, 5), (9, 3)])
def test_offsets_out_of_order_are_refused(backend_db: Database, start: int, end: int) -> None:
    first, _ = _documents(backend_db)
    work = NewWork(first, "ana", entities=[_entity(start, end, "ORG")])
    with pytest.raises(ValueError, match="0 <= start < end"), backend_db.write() as store:
        store.add_new_work([work])


def test_spans_of_documents_inserted_in_the_same_unit_are_checked_too(
    backend_db: Database,
) -> None:
    """An import inserts its documents and their work in one transaction; the lengths of the
    texts it has just inserted are what a span is held to there, as a stored text's is."""
    row = {"title": "t", "text": TEXTS[0], "sha256": sha256_hex(TEXTS[0]), "source": "wire"}
    with (
        pytest.raises(NotFoundError, match="past the end"),
        backend_db.write() as store,
    ):
        doc_id = store.insert_documents([row])[row["sha256"]]
        end = len(TEXTS[0])
        store.add_new_work(
            [
                NewWork(
                    doc_id, "ana", entities=[_entity(0, 5, "ORG"), _entity(end - 3, end + 1, "X")]
                )
            ]
        )
    with backend_db.read() as store:
        assert store.document_count() == 0
    with backend_db.write() as store:
        doc_id = store.insert_documents([row])[row["sha256"]]
        store.add_new_work([NewWork(doc_id, "ana", entities=[_entity(end - 3, end, "X")])])
    with backend_db.read() as store:
        assert [(s.start, s.end) for s in store.spans(doc_id)] == [(end - 3, end)]
