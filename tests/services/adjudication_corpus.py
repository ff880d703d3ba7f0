"""Two annotators' versions of one article, built to hold every kind of unit (shared by the
adjudication tests of services, exports and the window)."""

from __future__ import annotations

from annotator.core.model import ClaimDetails, DocumentState, Layer, Span, Status
from annotator.storage.database import Database
from tests import builders

TEXT = (
    "Mayor Petra Novak said 300 homes had lost power within 24 hours.\n"
    "The Port Authority reported that 41 ships were waiting offshore.\n"
)


def at(piece: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


#: Entities per annotator: "Petra Novak" and "The Port Authority" agreed, "300 homes" vs "300"
#: a boundary disagreement, "24 hours" DATE vs QUANTITY a label disagreement, "41 ships" only
#: ben's (missing in ana's version).
ENTITIES = {
    "ana": [
        ("Petra Novak", "PERSON"),
        ("300 homes", "QUANTITY"),
        ("24 hours", "DATE"),
        ("The Port Authority", "ORG"),
    ],
    "ben": [
        ("Petra Novak", "PERSON"),
        ("300", "QUANTITY"),
        ("24 hours", "QUANTITY"),
        ("The Port Authority", "ORG"),
        ("41 ships", "QUANTITY"),
    ],
}
CLAIM = "41 ships were waiting offshore"
#: The claim: same offsets, claimant and cue; ben marked it hedged.
HEDGED = {"ana": False, "ben": True}


def add_document(db: Database, text: str = TEXT) -> int:
    """One document holding ``text`` (by default :data:`TEXT`); its id."""
    return builders.add_document(db, text)


def annotate(db: Database, document_id: int, *, done: bool = True) -> None:
    """Both annotators' spans and claim on ``document_id`` (which holds :data:`TEXT`)."""
    with db.write() as store:
        for name, entities in ENTITIES.items():
            stored = {}
            for piece, label in entities:
                span = Span(None, document_id, Layer.ENTITY, *at(piece), label, name)
                stored[piece] = store.add_span(span)
            details = ClaimDetails(
                claimant_id=stored["The Port Authority"].id,
                cue=at("reported"),
                claim_type="quantity",
                hedged=HEDGED[name],
            )
            store.add_span(
                Span(None, document_id, Layer.CLAIM, *at(CLAIM), "CLAIM", name, claim=details)
            )
            if done:
                store.set_state(DocumentState(document_id, name, Status.DONE, 60.0))


def project(db: Database) -> int:
    document_id = add_document(db)
    annotate(db, document_id)
    return document_id
