"""Agreement computed from a project database built here: which documents and annotators
count, claimants compared by their spans (not ids), and the same figures as the core gives
for the same annotations."""

from __future__ import annotations

import pytest

from annotator.core.agreement import AnnotatorWork, ClaimMark, DocumentInput, Mark, compute
from annotator.core.errors import AnnotatorError
from annotator.core.model import (
    GOLD_ANNOTATOR,
    ClaimDetails,
    DocumentState,
    Layer,
    Span,
    Status,
)
from annotator.core.tokens import tokenize
from annotator.services.agreement import AgreementOptions, compute_agreement
from annotator.storage.database import Database
from tests.builders import add_documents, at

TEXTS = [
    "Port strike widens\nThe Port Authority of Valmora reported that 41 ships were waiting.\n",
    "Floods in Drava\nMayor Petra Novak said 300 homes had lost power within 24 hours.\n",
    "Airline grounded\nSkylane Regional grounded its 14 turboprops, the company announced.\n",
    "Quiet day\nNothing happened in the harbour today.\n",
]


def entity(doc: int, text: str, piece: str, label: str, who: str) -> Span:
    return Span(None, doc, Layer.ENTITY, *at(text, piece), label, who)


def annotate(db: Database, doc: int, text: str, who: str, plan: dict) -> None:
    """``plan``: entities [(piece, label)], claim (piece, claimant piece | None, type, hedged),
    status."""
    with db.write() as store:
        stored = {}
        for piece, label in plan.get("entities", []):
            stored[piece] = store.add_span(entity(doc, text, piece, label, who))
        claim = plan.get("claim")
        if claim is not None:
            piece, claimant, claim_type, hedged = claim
            details = ClaimDetails(
                claimant_id=None if claimant is None else stored[claimant].id,
                claim_type=claim_type,
                hedged=hedged,
            )
            store.add_span(
                Span(None, doc, Layer.CLAIM, *at(text, piece), "CLAIM", who, claim=details)
            )
        store.set_state(DocumentState(doc, who, plan.get("status", Status.DONE)))


@pytest.fixture
def project(backend_db: Database) -> tuple[Database, list[int]]:
    db = backend_db
    ids = add_documents(db, TEXTS)
    t0, t1, t2, t3 = TEXTS
    port = "The Port Authority of Valmora reported that 41 ships were waiting."
    # Document 0: ana and ben agree on the ORG and the claim; ben's claimant is his own span
    # (another id) at the same place, so the claimants agree.
    for who in ("ana", "ben"):
        annotate(
            db,
            ids[0],
            t0,
            who,
            {
                "entities": [("The Port Authority of Valmora", "ORG"), ("41 ships", "QUANTITY")],
                "claim": (port, "The Port Authority of Valmora", "quantity", False),
            },
        )
    # Document 1: they disagree on the person's extent, the type and the claimant.
    said = "Mayor Petra Novak said 300 homes had lost power within 24 hours."
    annotate(
        db,
        ids[1],
        t1,
        "ana",
        {
            "entities": [("Petra Novak", "PERSON"), ("300 homes", "QUANTITY")],
            "claim": (said, "Petra Novak", "quantity", False),
        },
    )
    annotate(
        db,
        ids[1],
        t1,
        "ben",
        {
            "entities": [("Mayor Petra Novak", "PERSON"), ("300 homes", "QUANTITY")],
            "claim": (said, None, "event", True),
        },
    )
    # Document 2: only ana is done; ben is in progress (counts with include_unfinished).
    annotate(db, ids[2], t2, "ana", {"entities": [("Skylane Regional", "ORG")]})
    annotate(
        db,
        ids[2],
        t2,
        "ben",
        {"entities": [("14 turboprops", "QUANTITY")], "status": Status.IN_PROGRESS},
    )
    # Document 3: gold and ana done; gold never counts unless named.
    annotate(db, ids[3], t3, "ana", {})
    annotate(db, ids[3], t3, GOLD_ANNOTATOR, {"entities": [("harbour", "LOC")]})
    return db, ids


def expected_input(db: Database, doc: int, names: tuple[str, ...]) -> DocumentInput:
    """The core input built by hand from what is stored (claimants by their spans)."""
    with db.read() as store:
        document = store.document(doc)
        work = []
        for name in names:
            spans = store.spans(doc, name)
            by_id = {s.id: s for s in spans}
            entities = tuple(
                Mark(s.start, s.end, s.label) for s in spans if s.layer is Layer.ENTITY
            )
            claims = []
            for s in spans:
                if s.layer is Layer.CLAIM:
                    assert s.claim is not None
                    c = by_id.get(s.claim.claimant_id)
                    claims.append(
                        ClaimMark(
                            s.start,
                            s.end,
                            s.label,
                            s.claim.claim_type,
                            s.claim.hedged,
                            None if c is None else (c.start, c.end, c.label),
                        )
                    )
            work.append(AnnotatorWork(name, entities, tuple(claims)))
    tokens = tuple((t.start, t.end) for t in tokenize(document.text).tokens)
    return DocumentInput(doc, document.title, tokens, tuple(work))


def test_done_documents_of_non_gold_annotators(project: tuple[Database, list[int]]) -> None:
    db, ids = project
    report = compute_agreement(db)
    assert report.overall.documents == 2
    assert report.overall.annotators == ("ana", "ben")
    # Hardest first: document 1 (PERSON extent differs, the claim's type and claimant too).
    assert [row.document_id for row in report.documents] == [ids[1], ids[0]]
    easy = report.documents[1]
    assert easy.agreement == 1.0 and easy.claimant == 1.0 and easy.kappa == 1.0
    hard = report.documents[0]
    # Exact over both layers: QUANTITY and the claim match, PERSON does not: 2·2 / (3 + 3).
    assert hard.agreement == pytest.approx(2 / 3)
    assert hard.entities.overlap == 1.0
    assert hard.claimant == 0.0
    expected = compute([expected_input(db, i, ("ana", "ben")) for i in ids[:2]])
    assert report == expected
    # Claim type: units (quantity, quantity), (quantity, event): n = 4, quantity 3, event 1.
    # D_o = 2/4, D_e = (16 - 9 - 1)/12 = 1/2: α = 0.
    assert report.overall.claim_type_alpha == pytest.approx(0.0)
    assert report.overall.claimant == pytest.approx(0.5)


def test_unfinished_gold_and_chosen_annotators(project: tuple[Database, list[int]]) -> None:
    db, ids = project
    unfinished = compute_agreement(db, AgreementOptions(include_unfinished=True))
    assert sorted(row.document_id for row in unfinished.documents) == ids[:3]
    with_gold = compute_agreement(db, AgreementOptions(annotators=("ana", GOLD_ANNOTATOR)))
    assert [row.document_id for row in with_gold.documents] == [ids[3]]
    # ana marked nothing and gold one LOC: exact F1 0, and a κ below 1.
    assert with_gold.documents[0].agreement == 0.0
    assert with_gold.overall.annotators == ("ana", GOLD_ANNOTATOR)
    with pytest.raises(AnnotatorError, match="'nobody'"):
        compute_agreement(db, AgreementOptions(annotators=("ana", "nobody")))


def test_empty_project(backend_db: Database) -> None:
    report = compute_agreement(backend_db)
    assert report.overall.documents == 0 and report.documents == ()


def test_batches_and_progress(
    project: tuple[Database, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.services.agreement as service

    db, _ = project
    whole = compute_agreement(db, AgreementOptions(include_unfinished=True))
    monkeypatch.setattr(service, "BATCH", 1)
    seen: list[tuple[int, int | None]] = []
    batched = compute_agreement(
        db,
        AgreementOptions(include_unfinished=True),
        progress=lambda done, total, _message: seen.append((done, total)),
    )
    assert batched == whole
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_agreement_keeps_tokens_and_reads_them_the_next_time(
    project: tuple[Database, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.export import token_cache

    db, ids = project
    first = compute_agreement(db)
    with db.read() as store:
        texts = [d.text for d in store.documents_by_ids(ids[:2])]
        hashes = [token_cache.text_hash(text) for text in texts]
        kept = store.token_boundaries(hashes, token_cache.TOKENIZER)
    assert set(kept) == set(hashes)

    # Nothing is tokenized the second time: the tokenizer is made to fail.
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("tokenized again")

    monkeypatch.setattr(token_cache, "tokenize_many", refuse)
    assert compute_agreement(db) == first
