"""A small project with known figures for the overview tests (service, CLI and window).

Six documents; annotators ``ana`` and ``bob`` and the gold layer. Every figure the tests
expect is worked out by hand in the comments below.

    status rows            ana                bob                  gold
    d1                     done, 120 s        done, 300 s          done
    d2                     done, 60 s         in progress, 30 s
    d3                     skipped
    d4                                        in progress, 0 s
    d5                     done, 600 s (done 10 days ago)
    d6                                        done, 45 s

    overall (furthest status of ana and bob): done d1 d2 d5 d6, skipped d3, in progress d4.
    time on done documents: ana 60 120 600; bob 45 300; together 45 60 120 300 600.

Spans (UTC): ana PERSON d1 10:05, ORG d1 10:40, PERSON d2 11:15, a quantity claim d1 11:30,
ORG d5 ten days ago; bob GPE d6 09:59, PERSON d1 10:20; gold PERSON d1 12:00.
Done (status written): bob d6 09:30, ana d1 10:50, bob d1 10:55, ana d2 11:20, ana d5 ten
days ago, gold d1 12:10.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from annotator.core.model import (
    GOLD_ANNOTATOR,
    ClaimDetails,
    Decision,
    DocumentState,
    Layer,
    Span,
    Status,
    SuggestionDecision,
)
from annotator.storage.database import Database
from annotator.storage.orm import DocumentStatusRow
from tests.builders import insert_documents, titled

NOW = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
TEXT = (
    "Colonel Anna Berg of the Harbour Authority said {n} ships waited offshore in Vilnius.\n"
    "The ministry reported that 12 strikes had hit targets within 24 hours.\n"
)


def at(hour: int, minute: int) -> datetime:
    return NOW.replace(hour=hour, minute=minute)


OLD = NOW - timedelta(days=10)


def build(db: Database) -> dict[str, int]:
    """Fill ``db`` with the project above; returns the document ids by name (d1..d6)."""
    texts = {f"d{i}": TEXT.format(n=i) for i in range(1, 7)}
    with db.write() as store:
        ids = insert_documents(store, [titled(t, external_id=name) for name, t in texts.items()])
        doc = dict(zip(texts, ids, strict=True))
        text = TEXT

        def where(piece: str) -> tuple[int, int]:
            start = text.index(piece)
            return start, start + len(piece)

        def entity(d: str, who: str, piece: str, label: str, when: datetime) -> None:
            store.add_span(
                Span(None, doc[d], Layer.ENTITY, *where(piece), label, who, created_at=when)
            )

        entity("d1", "ana", "Anna Berg", "PERSON", at(10, 5))
        entity("d1", "ana", "Harbour Authority", "ORG", at(10, 40))
        entity("d2", "ana", "Anna Berg", "PERSON", at(11, 15))
        store.add_span(
            Span(
                None,
                doc["d1"],
                Layer.CLAIM,
                *where("12 strikes had hit targets within 24 hours"),
                "CLAIM",
                "ana",
                claim=ClaimDetails(claim_type="quantity"),
                created_at=at(11, 30),
            )
        )
        entity("d5", "ana", "Harbour Authority", "ORG", OLD)
        entity("d6", "bob", "Vilnius", "GPE", at(9, 59))
        entity("d1", "bob", "Anna Berg", "PERSON", at(10, 20))
        entity("d1", GOLD_ANNOTATOR, "Anna Berg", "PERSON", at(12, 0))

        states = [
            ("d1", "ana", Status.DONE, 120.0, at(10, 50)),
            ("d2", "ana", Status.DONE, 60.0, at(11, 20)),
            ("d3", "ana", Status.SKIPPED, 0.0, at(8, 0)),
            ("d5", "ana", Status.DONE, 600.0, OLD),
            ("d1", "bob", Status.DONE, 300.0, at(10, 55)),
            ("d2", "bob", Status.IN_PROGRESS, 30.0, at(11, 0)),
            ("d4", "bob", Status.IN_PROGRESS, 0.0, at(11, 5)),
            ("d6", "bob", Status.DONE, 45.0, at(9, 30)),
            ("d1", GOLD_ANNOTATOR, Status.DONE, 0.0, at(12, 10)),
        ]
        for d, who, status, seconds, when in states:
            store.set_state(DocumentState(doc[d], who, status, seconds))
            store.session.execute(
                update(DocumentStatusRow)
                .where(
                    DocumentStatusRow.document_id == doc[d],
                    DocumentStatusRow.annotator_id == store.annotator_id(who),
                )
                .values(updated_at=when)
            )

        decisions = [
            ("ana", "rules", "PERSON", Decision.ACCEPTED),
            ("ana", "rules", "PERSON", Decision.ACCEPTED),
            ("ana", "rules", "PERSON", Decision.REJECTED),
            ("ana", "rules", "ORG", Decision.ACCEPTED),
            ("ana", "gazetteer", "ORG", Decision.REJECTED),
            ("bob", "rules", "PERSON", Decision.ACCEPTED),
            (GOLD_ANNOTATOR, "rules", "PERSON", Decision.REJECTED),
        ]
        for i, (who, suggester, label, decision) in enumerate(decisions):
            store.set_decision(
                SuggestionDecision(
                    doc["d2"], who, Layer.ENTITY, i, i + 1, label, decision, suggester
                )
            )
    return doc
