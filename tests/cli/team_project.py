"""A small team project: three documents, three annotators who agree and disagree."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import ClaimDetails, DocumentState, Layer, Span, Status
from annotator.storage.database import Database
from tests.builders import at, insert_documents

TEXTS = [
    "Strike at the port\nThe Port Authority reported that 41 ships were waiting.\n",
    "Floods\nMayor Petra Novak said 300 homes had lost power.\n",
    "Fleet grounded\nSkylane Regional grounded 14 turboprops, the company said.\n",
]
MARKS = {
    # (document index, annotator): entity pieces, (claim piece, claimant piece, type, hedged)
    (0, "ana"): (
        [("The Port Authority", "ORG"), ("41 ships", "QUANTITY")],
        ("41 ships were waiting", "The Port Authority", "quantity", False),
    ),
    (0, "ben"): (
        [("Port Authority", "ORG"), ("41 ships", "QUANTITY")],
        ("41 ships were waiting", "Port Authority", "quantity", True),
    ),
    (0, "cy"): ([("The Port Authority", "ORG")], None),
    (1, "ana"): ([("Petra Novak", "PERSON")], ("300 homes had lost power", None, "event", False)),
    (1, "ben"): ([("Petra Novak", "PERSON")], ("300 homes had lost power", None, "event", False)),
    (2, "ana"): ([("Skylane Regional", "ORG")], None),
    (2, "ben"): ([("Skylane Regional", "ORG")], None),
}


def team_project(path: Path) -> str:
    """Three documents marked by ana, ben and cy; document 2 is still in progress for ben."""
    db = Database.open(path)
    with db.write() as store:
        ids = insert_documents(store, TEXTS)
        for (index, who), (entities, claim) in MARKS.items():
            text, doc = TEXTS[index], ids[index]
            stored = {
                piece: store.add_span(Span(None, doc, Layer.ENTITY, *at(text, piece), name, who))
                for piece, name in entities
            }
            if claim is not None:
                piece, claimant, kind, hedged = claim
                details = ClaimDetails(
                    None if claimant is None else stored[claimant].id, None, kind, hedged
                )
                store.add_span(
                    Span(None, doc, Layer.CLAIM, *at(text, piece), "CLAIM", who, claim=details)
                )
            # Document 2 is still in progress for ben.
            status = Status.IN_PROGRESS if (index, who) == (2, "ben") else Status.DONE
            store.set_state(DocumentState(doc, who, status))
    db.close()
    return str(path)
