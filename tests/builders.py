"""Builders for test data: documents (their sha256 computed once, here), spans, claims,
suggestions and whole projects. Small typed functions, no pytest magic, so a test reads
``add_documents(db, [FIRST, SECOND])`` instead of the rows the store wants."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.model import ClaimDetails, Layer, Span, Suggestion
from annotator.storage.database import Database
from annotator.storage.store import Store

#: The suggesters a project runs live; tests that store their own suggestions turn them off.
LIVE_SUGGESTERS = ("gazetteer", "rules", "claims", "seeds")


def sha256_hex(text: str) -> str:
    """The hex sha256 of ``text`` in UTF-8: how the project keys a document's text."""
    return hashlib.sha256(text.encode()).hexdigest()


def at(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    """``(start, end)`` code points of the ``nth`` occurrence (from 0) of ``piece`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


# -- documents ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Doc:
    """A document as a test means it: its text, title and the text's sha256."""

    text: str
    title: str
    sha256: str
    #: None: the store makes one from the text.
    external_id: str | None = None

    def row(self) -> dict[str, Any]:
        """The row :meth:`Store.insert_documents` takes."""
        row: dict[str, Any] = {"title": self.title, "text": self.text, "sha256": self.sha256}
        if self.external_id is not None:
            row["external_id"] = self.external_id
        return row


def titled(text: str, title: str | None = None, *, external_id: str | None = None) -> Doc:
    """A document with its title (by default its first line)."""
    first_line = text.split("\n", 1)[0]
    return Doc(text, first_line if title is None else title, sha256_hex(text), external_id)


def _docs(documents: Iterable[str | Doc]) -> list[Doc]:
    docs = [d if isinstance(d, Doc) else titled(d) for d in documents]
    seen: set[str] = set()
    for d in docs:
        # The store keys what it inserted by sha256: two equal texts would get one id.
        if d.sha256 in seen:
            raise ValueError(f"the same text twice in one batch: {d.text[:40]!r}")
        seen.add(d.sha256)
    return docs


def insert_documents(store: Store, documents: Iterable[str | Doc]) -> list[int]:
    """Insert documents in the caller's write transaction; their ids, in the order given."""
    docs = _docs(documents)
    ids = store.insert_documents([d.row() for d in docs])
    return [ids[d.sha256] for d in docs]


def add_documents(db: Database, documents: Iterable[str | Doc]) -> list[int]:
    """Insert documents in one write transaction; their ids, in the order given."""
    with db.write() as store:
        return insert_documents(store, documents)


def add_document(db: Database, text: str, title: str | None = None) -> int:
    """Insert one document; its id."""
    return add_documents(db, [titled(text, title)])[0]


def numbered_texts(n: int) -> list[str]:
    """``n`` short, distinct news-like texts: a title line and one body line."""
    return [
        f"Document {i}\nPort workers in Valmora extended their strike, day {i}.\n" for i in range(n)
    ]


# -- spans and suggestions ------------------------------------------------------------------------


def entity(document_id: int, start: int, end: int, label: str, annotator: str = "ana") -> Span:
    """A manual entity span, not yet stored."""
    return Span(None, document_id, Layer.ENTITY, start, end, label, annotator)


def claim(
    document_id: int,
    start: int,
    end: int,
    annotator: str = "ana",
    *,
    claimant_id: int | None = None,
    cue: tuple[int, int] | None = None,
    claim_type: str = "other",
    hedged: bool = False,
) -> Span:
    """A manual claim span, not yet stored."""
    details = ClaimDetails(claimant_id, cue, claim_type, hedged)
    return Span(None, document_id, Layer.CLAIM, start, end, "CLAIM", annotator, claim=details)


def suggestion(
    document_id: int,
    start: int,
    end: int,
    label: str,
    *,
    layer: Layer = Layer.ENTITY,
    suggester: str = "rules",
    score: float = 0.9,
    reason: str = "test",
    attributes: dict[str, Any] | None = None,
) -> Suggestion:
    """A suggestion, not yet stored."""
    return Suggestion(
        None, document_id, layer, start, end, label, suggester, score, reason, attributes or {}
    )


def store_spans(db: Database, spans: Iterable[Span]) -> list[Span]:
    """Store spans directly (no command, no history); the stored values, with ids."""
    with db.write() as store:
        return [store.add_span(s) for s in spans]


def turn_off_live_suggesters(store: Store) -> None:
    """Only the suggestions a test stores itself are shown."""
    store.set_setting("suggesters", {name: {"enabled": False} for name in LIVE_SUGGESTERS})


# -- projects -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Project:
    db: Database
    texts: tuple[str, ...]
    document_ids: tuple[int, ...]
    #: In joining order; the first to join a project is its reviewer.
    annotators: tuple[str, ...]


def project(
    db: Database,
    documents: int | Sequence[str | Doc] = 3,
    annotators: Sequence[str] = ("ana",),
    *,
    live_suggesters: bool = True,
) -> Project:
    """A project: ``documents`` (a count of :func:`numbered_texts`, or the documents) and the
    ``annotators`` joined in that order (the first becomes the reviewer)."""
    from annotator.services.team import TeamService

    docs = _docs(numbered_texts(documents) if isinstance(documents, int) else documents)
    with db.write() as store:
        if not live_suggesters:
            turn_off_live_suggesters(store)
        ids = insert_documents(store, docs)
    team = TeamService(db)
    for name in annotators:
        team.join(name)
    return Project(db, tuple(d.text for d in docs), tuple(ids), tuple(annotators))
