"""Finding near-duplicate documents (docs/adr/0021-near-duplicates-minhash.md).

:func:`find_new` signs every document that has no signature yet, in batches, after an import
(and its boilerplate detection: ignored ranges are left out of a signature); an import with
boilerplate detection hands its new texts to a :class:`Signer` as it marks them, which leaves
:func:`find_new` only the documents it was not handed. A signer first loads the band keys of
every document the project has signed (derived from their stored signatures) into a
:class:`~annotator.core.near_duplicates.BandIndex`, then looks up each batch's keys there and
adds them: documents sharing a key are candidates, and pairs whose signatures are estimated at
least :data:`~annotator.core.near_duplicates.THRESHOLD` alike join one group, named by its
earliest document (the original). Every ``FLUSH_EVERY`` documents one transaction stores their
signatures and regroups. Memory is the index (136 bytes a document of the project) plus one
window of signatures. :func:`recompute` forgets everything and signs the whole project again
(``annotator dedupe``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

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
#: Documents signed between two writes of their signatures (see _Window).
FLUSH_EVERY = 5000
#: Stored signatures read at a time while a signer loads the project's band keys.
LOAD_BATCH = 20_000
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
    was not handed are signed by :func:`find_new`. The project's band keys are loaded when
    the first documents are handed over."""

    def __init__(self, db: Database, *, flush_every: int = FLUSH_EVERY) -> None:
        self.db = db
        self.flush_every = flush_every
        self.window = _Window()
        self.index: nd.BandIndex | None = None
        #: Copies found by the writes so far.
        self.copies = 0
        #: Documents signed so far (what the progress of the phase counts).
        self.signed = 0

    def add(self, documents: Sequence[tuple[int, str, Sequence[tuple[int, int]]]]) -> None:
        """Sign and compare ``(id, text, ignored ranges)`` of documents not signed yet."""
        if not documents:
            return
        if self.index is None:
            self.index = _load(self.db)
        ids = np.array([doc_id for doc_id, _, _ in documents], dtype=np.int64)
        signed = nd.sign([nd.content(text, ranges) for _, text, ranges in documents])
        self.signed += len(documents)
        self.window.keep(ids, signed)
        self._compare(ids[signed.index], signed.keys)
        if len(self.window.signatures) >= self.flush_every:
            self.flush()

    def _compare(self, ids: np.ndarray, keys: np.ndarray) -> None:
        """Add documents to the index and verify the pairs their keys find (their own
        included: a batch's documents are compared with each other too)."""
        assert self.index is not None
        pairs = self.index.add(ids, keys)
        if len(pairs):
            with self.db.read() as store:
                self.window.verify(store, pairs)

    def catch_up(self) -> None:
        """Compare the documents another client signed while this signer ran (they are not
        in its index, loaded before) with everything it holds: of two imports at the same
        time, the one that finishes later compares the other's documents with its own."""
        if self.index is None:
            return
        mine = np.sort(self.index.ids())
        after = 0
        while True:
            with self.db.read() as store:
                page = stored.signed_ids_after(store, after, LOAD_BATCH, nd.VERSION)
            if not page:
                break
            after = page[-1]
            ids = np.array(page, dtype=np.int64)
            place = np.minimum(np.searchsorted(mine, ids), max(len(mine) - 1, 0))
            theirs = ids if not len(mine) else ids[mine[place] != ids]
            if not len(theirs):
                continue
            with self.db.read() as store:
                found = stored.signatures_of(store, theirs.tolist())
            ids, table = _as_table(found)
            self.window.known_values.update(found)
            self._compare(ids, nd.band_keys(table))

    def flush(self) -> int:
        """Write what was signed since the last write; returns the copies found so far."""
        if self.window.signatures or self.window.edges:
            self.copies += self.db.run_write(self.window.flush)
            self.window = _Window()
        return self.copies


def _load(db: Database) -> nd.BandIndex:
    """The band keys of every document the project has signed the current way."""
    index = nd.BandIndex()
    after = 0
    while True:
        with db.read() as store:
            page = stored.signatures_after(store, after, LOAD_BATCH, nd.VERSION)
        if not page:
            return index
        after = page[-1][0]
        ids, table = _as_table(dict(page))
        # Pairs among the project's documents were looked for when they were signed.
        index.hold(ids, nd.band_keys(table))


def _as_table(signatures: dict[int, bytes]) -> tuple[np.ndarray, np.ndarray]:
    """The ids and ``(n, SLOTS)`` values of stored signatures (a damaged one, of another
    length, is left out: its document is as if unsigned)."""
    good = {d: sig for d, sig in signatures.items() if len(sig) == nd.SLOTS * 4}
    ids = np.fromiter(good, dtype=np.int64, count=len(good))
    table = np.frombuffer(b"".join(good.values()), dtype="<u4").reshape(len(good), nd.SLOTS)
    return ids, table


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
            batch = stored.unsigned_documents(store, after, batch_size, nd.VERSION)
        if not batch:
            break
        signer.add(batch)
        after = batch[-1][0]
        progress(signer.signed, None, FINDING_NEAR_DUPLICATES)
    signer.flush()
    signer.catch_up()
    copies = signer.flush()
    progress(signer.signed, signer.signed, FINDING_NEAR_DUPLICATES)
    return copies


class _Window:
    """Documents signed since the last write: their signatures (None for a text too short)
    and the pairs found alike. Written in one transaction every ``FLUSH_EVERY`` documents."""

    def __init__(self) -> None:
        self.signatures: dict[int, bytes | None] = {}
        self.edges: list[tuple[int, int]] = []
        #: Signatures of the documents in ``edges``.
        self.known: dict[int, bytes] = {}
        #: Signatures read from the project that verification needs beside the window's.
        self.known_values: dict[int, bytes] = {}

    def keep(self, ids: np.ndarray, signed: nd.Signed) -> None:
        values = dict.fromkeys(ids.tolist())
        raw = signed.table.astype("<u4").tobytes()
        width = nd.SLOTS * 4
        for row, doc_id in enumerate(ids[signed.index].tolist()):
            values[doc_id] = raw[row * width : (row + 1) * width]
        self.signatures.update(values)

    def verify(self, store: Store, pairs: np.ndarray) -> None:
        """Keep the ``(m, 2)`` pairs of documents whose signatures are alike; a document's
        signature is the window's, or read from the project."""
        values: dict[int, bytes] = {}
        missing = []
        for doc_id in np.unique(pairs).tolist():
            sig = self.signatures.get(doc_id) or self.known_values.get(doc_id)
            if sig is None:
                missing.append(doc_id)
            else:
                values[doc_id] = sig
        values.update(stored.signatures_of(store, missing))
        ids, table = _as_table(values)
        order = np.argsort(ids)
        ids, table = ids[order], table[order]
        place = np.searchsorted(ids, pairs).clip(0, max(len(ids) - 1, 0))
        # A document deleted since it was signed has no signature left: no pair.
        present = (ids[place] == pairs).all(axis=1) if len(ids) else np.zeros(len(pairs), bool)
        pairs, place = pairs[present], place[present]
        equal = np.count_nonzero(table[place[:, 0]] == table[place[:, 1]], axis=1)
        for a, b in pairs[equal >= THRESHOLD * nd.SLOTS].tolist():
            self.edges.append((a, b))
            self.known[a] = values[a]
            self.known[b] = values[b]

    def flush(self, store: Store) -> int:
        """Store the window's signatures and regroup what its pairs join; returns how many
        documents became copies (a copy signed before its original, which an import signs
        again when its signature was made another way, counts when the original is)."""
        stored.store_signatures(store, list(self.signatures.items()), nd.VERSION)
        if not self.edges:
            return 0
        involved = {doc_id for edge in self.edges for doc_id in edge}
        copies_before = {
            m.document_id for m in stored.memberships(store, involved).values() if not m.is_original
        }
        members = _regroup(store, self.edges, dict(self.known))
        stored.store_members(store, members)
        return sum(
            1
            for m in members
            if not m.is_original
            and m.document_id in involved
            and m.document_id not in copies_before
        )


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
