"""The same claim across articles: read every confirmed claim through storage, describe it
for the comparison (:mod:`annotator.core.claim_groups`), and group.

Only confirmed claims (spans) take part: a suggestion is a guess nobody has looked at yet,
and a fact-checker's list of "the same claim, reported here and here" must not be built on
guesses. Every annotator's claims count (``annotator`` narrows it to one); the same claim
marked by two annotators in one document is taken once (the gold one first, else the
oldest), and the other's id points at it.

A claim's entities are the entity spans inside it, its claimant, and what the project's
gazetteer (its confirmed entity texts and imported term lists) finds in its text, so a name
nobody marked in one article still counts.

Memory and time stay near-linear in the corpus: documents are read a batch at a time, only
claims are kept, and pairs are only tried within buckets (see the core module).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from annotator.core.article_meta import Appearance, appearance
from annotator.core.claim_groups import (
    ClaimGroup,
    ClaimRecord,
    EntityFinder,
    Match,
    describe_claim,
    group_claims,
)
from annotator.core.model import GOLD_ANNOTATOR, Document, Layer, Span
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.core.tokens import Sentence, Token, Tokenized
from annotator.storage.database import Database
from annotator.storage.store import Store

BATCH = 200
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    """One claim as the listing and the window show it."""

    claim_id: int
    document_id: int
    #: The document's id in exports (external id, else database id), and its title.
    document: str
    title: str
    start: int
    end: int
    text: str
    annotator: str
    claimant: str | None = None
    claimant_label: str | None = None
    cue: str | None = None
    hedged: bool = False
    claim_type: str = "other"
    where: Appearance = field(default_factory=Appearance)


@dataclass(frozen=True, slots=True)
class ClaimGroups:
    """Every group of the project, and each grouped claim's details."""

    groups: tuple[ClaimGroup, ...]
    entries: dict[int, ClaimEntry]
    #: A claim id taken as another's duplicate (two annotators, one claim) -> the kept id.
    aliases: dict[int, int] = field(default_factory=dict)
    claims: int = 0

    def group_of(self, claim_id: int) -> ClaimGroup | None:
        claim_id = self.aliases.get(claim_id, claim_id)
        for group in self.groups:
            if claim_id in group.claim_ids:
                return group
        return None

    def others(self, claim_id: int) -> list[tuple[ClaimEntry, Match | None]]:
        """The claims of other documents in ``claim_id``'s group, each with the match that
        links it to this claim directly (``None``: linked through another member)."""
        kept = self.aliases.get(claim_id, claim_id)
        group = self.group_of(kept)
        if group is None:
            return []
        direct = dict(group.reasons_for(kept))
        home = self.entries[kept].document_id
        return [
            (self.entries[other], direct.get(other))
            for other in group.claim_ids
            if self.entries[other].document_id != home
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "claims": self.claims,
            "groups": [
                {
                    "documents": len(group.document_ids),
                    "claims": [_entry_json(self.entries[i]) for i in group.claim_ids],
                    "links": [
                        {
                            "claims": [link.first, link.second],
                            "score": link.match.score,
                            "reasons": list(link.match.reasons),
                        }
                        for link in group.links
                    ],
                }
                for group in self.groups
            ],
        }


def _entry_json(entry: ClaimEntry) -> dict[str, object]:
    return {
        "id": entry.claim_id,
        "document": entry.document,
        "title": entry.title,
        "start": entry.start,
        "end": entry.end,
        "text": entry.text,
        "claimant": entry.claimant,
        "claimant_label": entry.claimant_label,
        "cue": entry.cue,
        "hedged": entry.hedged,
        "type": entry.claim_type,
        "annotator": entry.annotator,
        "outlet": entry.where.outlet,
        "url": entry.where.url,
        "date": entry.where.date,
    }


def simple_tokens(text: str) -> Tokenized:
    """Word and punctuation tokens of a short text (a claim): enough for the gazetteer's
    rule that a match starts and ends on a token edge, without loading spaCy."""
    tokens = tuple(Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text))
    return Tokenized(tokens, (Sentence(0, len(text)),) if text else ())


def gazetteer_finder(db: Database) -> EntityFinder:
    """Finds the project's known entities (confirmed texts, imported terms) in a text."""
    from annotator.services.suggesting import GazetteerCache

    gazetteer = GazetteerCache(db).get()

    def find(text: str) -> list[tuple[int, int]]:
        return [(c.start, c.end) for c in gazetteer.find(text, simple_tokens(text))]

    return find


def entry_for(document: Document, claim: Span, spans: Sequence[Span]) -> ClaimEntry:
    text = document.text
    details = claim.claim
    claimant = None
    if details is not None and details.claimant_id is not None:
        claimant = next((s for s in spans if s.id == details.claimant_id), None)
    cue = details.cue if details is not None else None
    assert claim.id is not None
    return ClaimEntry(
        claim_id=claim.id,
        document_id=document.id,
        document=document.external_id or str(document.id),
        title=document.title,
        start=claim.start,
        end=claim.end,
        text=text[claim.start : claim.end],
        annotator=claim.annotator,
        claimant=None if claimant is None else text[claimant.start : claimant.end],
        claimant_label=None if claimant is None else claimant.label,
        cue=None if cue is None else text[cue[0] : cue[1]],
        hedged=details.hedged if details is not None else False,
        claim_type=details.claim_type if details is not None else "other",
        where=appearance(document),
    )


def _claims_of(spans: Sequence[Span], aliases: dict[int, int]) -> Iterator[Span]:
    """A document's claims, one per ``(start, end)``: gold first, else the oldest id."""
    kept: dict[tuple[int, int], Span] = {}
    for span in sorted(
        (s for s in spans if s.layer is Layer.CLAIM and s.id is not None),
        key=lambda s: (s.annotator != GOLD_ANNOTATOR, s.id),
    ):
        place = (span.start, span.end)
        if place in kept:
            assert span.id is not None and kept[place].id is not None
            aliases[span.id] = kept[place].id  # type: ignore[assignment]
        else:
            kept[place] = span
    yield from kept.values()


def find_claim_groups(
    db: Database,
    *,
    annotator: str | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    batch: int = BATCH,
    use_gazetteer: bool = True,
) -> ClaimGroups:
    """Every group of the same claim in different documents of the project."""
    with db.read() as store:
        index = [row[0] for row in _all_ids(store)]
    finder = gazetteer_finder(db) if use_gazetteer else None
    records: list[ClaimRecord] = []
    entries: dict[int, ClaimEntry] = {}
    aliases: dict[int, int] = {}
    total = len(index)
    progress(0, total, "Reading claims")
    for first in range(0, total, batch):
        if cancel is not None:
            cancel.check()
        ids = index[first : first + batch]
        with db.read() as store:
            spans_by = store.spans_by_documents(ids, annotator)
            with_claims = [
                i for i in ids if any(s.layer is Layer.CLAIM for s in spans_by.get(i, ()))
            ]
            documents = store.documents_by_ids(with_claims)
        for document in documents:
            spans = spans_by[document.id]
            for claim in _claims_of(spans, aliases):
                records.append(describe_claim(document, claim, spans, finder))
                entries[claim.id] = entry_for(document, claim, spans)  # type: ignore[index]
        progress(min(first + batch, total), total, "Reading claims")
    groups = []
    if records:  # no claims: nothing to compare, and no empty phase to show
        progress(0, len(records), "Comparing claims")
        groups = group_claims(records, cancel.check if cancel is not None else None)
        progress(len(records), len(records), "Comparing claims")
    grouped = {i for group in groups for i in group.claim_ids}
    return ClaimGroups(
        tuple(groups),
        {i: entry for i, entry in entries.items() if i in grouped},
        {a: k for a, k in aliases.items() if k in grouped},
        claims=len(records),
    )


def _all_ids(store: Store) -> Iterator[tuple[int, str | None, str | None]]:
    after = 0
    while True:
        page = store.document_index(after_id=after, limit=1000)
        if not page:
            return
        yield from page
        after = page[-1][0]
