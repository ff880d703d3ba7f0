"""Finding near-duplicate documents (docs/adr/0021-near-duplicates-minhash.md).

:func:`find_new` signs every document that has no signature yet, in batches, after an import
(and its boilerplate detection: ignored ranges are left out of a signature); an import with
boilerplate detection hands its new texts to a :class:`Signer` as it marks them, which leaves
:func:`find_new` only the documents it was not handed. Each batch is one
transaction: its signatures and band keys are stored, the documents sharing a band key with
its documents (this import's or any earlier one's) are read back with their signatures, and
pairs estimated at least :data:`~annotator.core.near_duplicates.THRESHOLD` alike join one
group, named by its earliest document (the original). Memory is one batch plus the candidates
its band keys find, whatever the size of the project. :func:`recompute` forgets everything and
signs the whole project again (``annotator dedupe``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core import near_duplicates as nd
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.core.union_find import UnionFind
from annotator.storage import near_duplicates as stored
from annotator.storage.database import Database
from annotator.storage.near_duplicates import Member
from annotator.storage.store import Store

#: The phase of an import (or of ``annotator dedupe``) in progress reports.
FINDING_NEAR_DUPLICATES = "Looking for near-duplicates"
BATCH_SIZE = 500
#: Documents signed between two writes of signatures and band keys (see _Window).
FLUSH_EVERY = 5000
#: Estimated similarity from which a document is a copy of another.
THRESHOLD = nd.THRESHOLD

__all__ = [
    "FINDING_NEAR_DUPLICATES",
    "THRESHOLD",
    "Counts",
    "Member",
    "Signer",
    "counts",
    "find_new",
    "group_of",
    "kept_together",
    "recompute",
]


@dataclass(frozen=True, slots=True)
class Counts:
    """How many groups of near-duplicates a project holds, and documents in them (originals
    and copies)."""

    groups: int
    documents: int

    @property
    def copies(self) -> int:
        return self.documents - self.groups


class Signer:
    """Signs documents handed to it and compares them with the project's and with each
    other, writing every ``flush_every`` documents (see _Window). An import hands it each
    new text while its boilerplate pass holds it (:func:`annotator.services.importing.
    mark_sources`), so that :func:`find_new` need not read the texts back; the documents it
    was not handed are signed by :func:`find_new`."""

    def __init__(self, db: Database, *, flush_every: int = FLUSH_EVERY) -> None:
        self.db = db
        self.flush_every = flush_every
        self.window = _Window()
        #: Copies found by the writes so far.
        self.copies = 0
        #: Documents signed so far (what the progress of the phase counts).
        self.signed = 0

    def add(self, documents: Sequence[tuple[int, str, Sequence[tuple[int, int]]]]) -> None:
        """Sign and compare ``(id, text, ignored ranges)`` of documents not signed yet."""
        if not documents:
            return
        ids = [doc_id for doc_id, _, _ in documents]
        contents = [nd.content(text, ranges) for _, text, ranges in documents]
        signatures = dict(zip(ids, nd.signatures(contents), strict=True))
        self.signed += len(documents)
        with self.db.read() as store:
            stored.roomy_cache(store)
            self.window.compare(store, signatures)
        if len(self.window.signatures) >= self.flush_every:
            self.flush()

    def flush(self) -> int:
        """Write what was signed since the last write; returns the copies found so far."""
        if self.window.signatures:
            self.copies += self.db.run_write(self.window.flush)
            self.window = _Window()
        return self.copies


def find_new(
    db: Database,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    batch_size: int = BATCH_SIZE,
    flush_every: int = FLUSH_EVERY,
    signer: Signer | None = None,
) -> int:
    """Sign the documents without a signature and group them with their near-duplicates;
    returns how many of them turned out to be copies of another document (those ``signer``
    signed included: its documents are written first, then the rest are signed with it)."""
    if signer is None:
        signer = Signer(db, flush_every=flush_every)
    signer.flush()
    after = 0
    # The documents the signer was handed count as done: the phase's figure is every
    # document this import looked at for near-duplicates.
    progress(signer.signed, None, FINDING_NEAR_DUPLICATES)
    while True:
        if cancel is not None:
            cancel.check()
        with db.read() as store:
            batch = stored.unsigned_documents(store, after, batch_size)
        if not batch:
            break
        signer.add(batch)
        after = batch[-1][0]
        progress(signer.signed, None, FINDING_NEAR_DUPLICATES)
    copies = signer.flush()
    progress(signer.signed, signer.signed, FINDING_NEAR_DUPLICATES)
    return copies


class _Window:
    """Documents signed since the last write: their signatures, their band keys (looked up
    in memory by the documents signed after them) and the pairs found alike. Written in one
    transaction every ``FLUSH_EVERY`` documents: band keys are random, so each write touches
    pages all over their index, and fewer, larger writes touch each page fewer times."""

    def __init__(self) -> None:
        self.signatures: dict[int, nd.Signature | None] = {}
        self.keys: dict[int, list[int]] = {}
        self.edges: list[tuple[int, int]] = []
        #: Signatures of the documents in ``edges``.
        self.known: dict[int, bytes] = {}

    def compare(self, store: Store, batch: dict[int, nd.Signature | None]) -> None:
        """Find the documents each of ``batch`` is alike with: stored ones sharing a band key,
        and the window's own (this batch's included)."""
        signed = {doc_id: sig for doc_id, sig in batch.items() if sig is not None}
        sharing = stored.documents_sharing(store, (key for s in signed.values() for key in s.bands))
        window = self.keys
        candidates: dict[int, set[int]] = {}
        # Most documents share no key with any other: a dictionary probe per key, and a set
        # only for those that do.
        for doc_id, sig in signed.items():
            for key in sig.bands:
                found = sharing.get(key)
                mine = window.get(key)
                if found or mine:
                    pool = candidates.setdefault(doc_id, set())
                    pool.update(found or ())
                    pool.update(mine or ())
                if mine is None:
                    window[key] = [doc_id]
                else:
                    mine.append(doc_id)
        values = {doc_id: sig.values for doc_id, sig in signed.items()}
        ours = {
            other: sig.values
            for found in candidates.values()
            for other in found
            if (sig := self.signatures.get(other)) is not None
        }
        values.update(ours)
        outside = {c for found in candidates.values() for c in found} - values.keys()
        values.update(stored.signatures_of(store, outside))
        for doc_id, found in candidates.items():
            for other in sorted(found):
                if other in values and nd.similarity(values[doc_id], values[other]) >= THRESHOLD:
                    self.edges.append((doc_id, other))
                    self.known[doc_id] = values[doc_id]
                    self.known[other] = values[other]
        self.signatures.update(batch)

    def flush(self, store: Store) -> int:
        """Store the window's signatures and band keys and regroup what its pairs join;
        returns how many of its documents are copies."""
        stored.roomy_cache(store)
        stored.store_signatures(
            store,
            [
                (doc_id, sig.values if sig else None, sig.bands if sig else ())
                for doc_id, sig in self.signatures.items()
            ],
            nd.VERSION,
        )
        if not self.edges:
            return 0
        members = _regroup(store, self.edges, dict(self.known))
        stored.store_members(store, members)
        return sum(1 for m in members if m.document_id in self.signatures and not m.is_original)


def recompute(
    db: Database,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Counts:
    """Forget every signature and group and find them again over the whole project (after a
    change to boilerplate, or for a project made before near-duplicates were looked for).
    Cancelled part way, the documents not yet signed are signed by the next import."""
    with db.write() as store:
        stored.forget_all(store)
    find_new(db, progress=progress, cancel=cancel)
    return counts(db)


def counts(db: Database) -> Counts:
    with db.read() as store:
        return Counts(*stored.counts(store))


def kept_together(db: Database, ids: list[int], keys: list[str]) -> list[str | None]:
    """For documents ``ids`` (going out under export ids ``keys``), the name of each one's
    group of near-duplicates among them: the smallest key of the group's members that go
    out. None for a document whose group has no other member going out."""
    with db.read() as store:
        found = stored.memberships(store, ids)
    members: dict[int, list[str]] = {}
    for doc_id, key in zip(ids, keys, strict=True):
        member = found.get(doc_id)
        if member is not None:
            members.setdefault(member.group_id, []).append(key)
    names = {group: min(keys) for group, keys in members.items() if len(keys) > 1}
    return [names.get(found[doc_id].group_id) if doc_id in found else None for doc_id in ids]


def group_of(db: Database, document_id: int) -> list[Member]:
    """The members of the document's group (original first), or [] when it is in none."""
    with db.read() as store:
        mine = stored.memberships(store, [document_id]).get(document_id)
        if mine is None:
            return []
        return stored.members_of_groups(store, [mine.group_id])


def _regroup(store: Store, edges: list[tuple[int, int]], known: dict[int, bytes]) -> list[Member]:
    """The groups that ``edges`` join (with the groups their documents were in), each named by
    its earliest document, every member with its similarity to that one."""
    involved = {doc_id for edge in edges for doc_id in edge}
    before = stored.memberships(store, involved)
    previous = stored.members_of_groups(store, {m.group_id for m in before.values()})
    sets: UnionFind[int] = UnionFind()
    for member in previous:
        sets.join(member.document_id, member.group_id)
    for a, b in edges:
        sets.join(a, b)
    nodes = list(sets)
    missing = [n for n in nodes if n not in known]
    known.update(stored.signatures_of(store, missing))
    result = []
    for node in sorted(nodes):
        original = sets.root(node)
        similarity = 1.0 if node == original else _similarity(known.get(node), known.get(original))
        result.append(Member(node, original, similarity))
    return result


def _similarity(a: bytes | None, b: bytes | None) -> float:
    return 0.0 if a is None or b is None else nd.similarity(a, b)
