"""Near-duplicate documents: signatures, LSH band keys and the groups found
(``near_duplicate_signatures``, ``near_duplicate_bands``, ``near_duplicate_members``).

Functions over a store's session, used by :mod:`annotator.services.near_duplicates` (which
computes what is stored here; the signatures are opaque bytes to this module) and by the
features that show or use the groups (export splits, statistics, the document list).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from annotator.storage.bulk import chunks
from annotator.storage.orm import (
    DocumentRow,
    IgnoredRangeRow,
    NearDuplicateBandRow,
    NearDuplicateMemberRow,
    NearDuplicateSignatureRow,
)
from annotator.storage.unit import Unit

_SIGNATURES = NearDuplicateSignatureRow.__table__
_BANDS = NearDuplicateBandRow.__table__
_MEMBERS = NearDuplicateMemberRow.__table__
_DOCUMENTS = DocumentRow.__table__
_IGNORED = IgnoredRangeRow.__table__


@dataclass(frozen=True, slots=True)
class Member:
    """A document in a group of near-duplicates: the group is named by its original's id."""

    document_id: int
    group_id: int
    similarity: float

    @property
    def is_original(self) -> bool:
        return self.document_id == self.group_id


#: SQLite page cache (KiB) of a connection that reads or writes band keys: they are random,
#: so with the default 2 MB cache every batch re-reads most of their index from the file.
BAND_CACHE_KIB = 65536


def roomy_cache(store: Unit) -> None:
    """Give this connection a page cache that holds the band keys' index of a large project
    (a fixed size: memory does not grow with the project beyond it)."""
    conn = store.session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size = -{int(BAND_CACHE_KIB)}")


def unsigned_documents(
    store: Unit, after: int, limit: int
) -> list[tuple[int, str, list[tuple[int, int]]]]:
    """``(id, text, ignored ranges)`` of up to ``limit`` documents past id ``after`` that have
    no signature yet, in id order."""
    conn = store.session.connection()
    rows = conn.execute(
        select(_DOCUMENTS.c.id, _DOCUMENTS.c.text)
        .select_from(
            _DOCUMENTS.outerjoin(_SIGNATURES, _SIGNATURES.c.document_id == _DOCUMENTS.c.id)
        )
        .where(_DOCUMENTS.c.id > after, _SIGNATURES.c.document_id.is_(None))
        .order_by(_DOCUMENTS.c.id)
        .limit(limit)
    ).fetchall()
    if not rows:
        return []
    # The ranges of the id span read (one range scan of the index, no list of ids).
    ranges: dict[int, list[tuple[int, int]]] = {}
    for doc_id, start, end in conn.execute(
        select(_IGNORED.c.document_id, _IGNORED.c.start, _IGNORED.c.end).where(
            _IGNORED.c.document_id.between(rows[0][0], rows[-1][0])
        )
    ):
        ranges.setdefault(int(doc_id), []).append((int(start), int(end)))
    return [(int(doc_id), text, ranges.get(int(doc_id), [])) for doc_id, text in rows]


def store_signatures(
    store: Unit, entries: Sequence[tuple[int, bytes | None, Sequence[int]]], version: int
) -> None:
    """Keep ``(document id, signature, band keys)`` for each document not signed yet; a
    document without a signature (too short) is recorded too, so it is not read again. A
    document is signed once: its band keys go when its signature goes (:func:`forget_all`),
    so a key already there is one another client stored for it at the same time."""
    conn = store.session.connection()
    sqlite = conn.dialect.name == "sqlite"
    for chunk in chunks(entries, 5000):
        ids = [doc_id for doc_id, _, _ in chunk]
        signatures = [(doc_id, version, signature) for doc_id, signature, _ in chunk]
        bands = _in_key_order(chunk)
        if sqlite:
            # The import's hot path, as in Documents.insert_documents: the driver's
            # executemany costs a fraction of SQLAlchemy's per-row processing.
            conn.exec_driver_sql(
                "INSERT OR REPLACE INTO near_duplicate_signatures "
                "(document_id, version, signature) VALUES (?, ?, ?)",
                signatures,
            )
            if bands:
                conn.exec_driver_sql(
                    "INSERT OR IGNORE INTO near_duplicate_bands (band_key, document_id) "
                    "VALUES (?, ?)",
                    bands,
                )
            continue
        conn.execute(delete(_SIGNATURES).where(_SIGNATURES.c.document_id.in_(ids)))
        conn.execute(
            _SIGNATURES.insert(),
            [{"document_id": d, "version": v, "signature": sig} for d, v, sig in signatures],
        )
        if bands:
            # Imported here: a window on a SQLite project never needs the PostgreSQL dialect.
            from sqlalchemy.dialects import postgresql

            conn.execute(
                postgresql.insert(_BANDS).on_conflict_do_nothing(),
                [{"band_key": k, "document_id": d} for k, d in bands],
            )


def _in_key_order(
    entries: Sequence[tuple[int, bytes | None, Sequence[int]]],
) -> list[tuple[int, int]]:
    """``(band key, document id)`` of ``entries`` in key order (neighbouring keys share
    index pages, so inserting them in order touches each page once)."""
    # Imported here: numpy is only needed while groups are stored, not to start the window.
    import numpy as np

    counts = np.fromiter(
        (len(bands) for _, _, bands in entries), dtype=np.int64, count=len(entries)
    )
    total = int(counts.sum())
    if not total:
        return []
    # Built in numpy: a window holds 80,000 keys, which a loop over Python lists spends a
    # large part of a write on.
    keys = np.fromiter(
        itertools.chain.from_iterable(bands for _, _, bands in entries), dtype=np.int64, count=total
    )
    owners = np.repeat(np.fromiter((doc_id for doc_id, _, _ in entries), dtype=np.int64), counts)
    order = np.argsort(keys, kind="stable")
    return list(zip(keys[order].tolist(), owners[order].tolist(), strict=True))


def documents_sharing(store: Unit, keys: Iterable[int]) -> dict[int, list[int]]:
    """``band key -> ids of the documents that have it`` for the keys any document has."""
    conn = store.session.connection()
    found: dict[int, list[int]] = {}
    for chunk in chunks(sorted(set(keys))):
        if conn.dialect.name == "sqlite":
            marks = ",".join("?" * len(chunk))
            rows = conn.exec_driver_sql(
                "SELECT band_key, document_id FROM near_duplicate_bands "
                f"WHERE band_key IN ({marks})",
                tuple(chunk),
            )
        else:
            rows = conn.execute(
                select(_BANDS.c.band_key, _BANDS.c.document_id).where(_BANDS.c.band_key.in_(chunk))
            )
        for key, doc_id in rows:
            found.setdefault(int(key), []).append(int(doc_id))
    return found


def signatures_of(store: Unit, ids: Iterable[int]) -> dict[int, bytes]:
    """The stored signatures of these documents (those too short to have one are left out)."""
    conn = store.session.connection()
    found: dict[int, bytes] = {}
    for chunk in chunks(sorted(set(ids))):
        if conn.dialect.name == "sqlite":
            marks = ",".join("?" * len(chunk))
            rows = conn.exec_driver_sql(
                "SELECT document_id, signature FROM near_duplicate_signatures "
                f"WHERE document_id IN ({marks}) AND signature IS NOT NULL",
                tuple(chunk),
            )
        else:
            rows = conn.execute(
                select(_SIGNATURES.c.document_id, _SIGNATURES.c.signature).where(
                    _SIGNATURES.c.document_id.in_(chunk), _SIGNATURES.c.signature.is_not(None)
                )
            )
        found.update({int(doc_id): bytes(signature) for doc_id, signature in rows})
    return found


def memberships(store: Unit, ids: Iterable[int]) -> dict[int, Member]:
    """The group each of these documents is in (documents in none are left out)."""
    conn = store.session.connection()
    found: dict[int, Member] = {}
    for chunk in chunks(sorted(set(ids))):
        rows = conn.execute(
            select(_MEMBERS.c.document_id, _MEMBERS.c.group_id, _MEMBERS.c.similarity).where(
                _MEMBERS.c.document_id.in_(chunk)
            )
        )
        for doc_id, group_id, sim in rows:
            found[int(doc_id)] = Member(int(doc_id), int(group_id), float(sim))
    return found


def members_of_groups(store: Unit, group_ids: Iterable[int]) -> list[Member]:
    """Every member of these groups, originals included, by group then document id."""
    conn = store.session.connection()
    found: list[Member] = []
    for chunk in chunks(sorted(set(group_ids))):
        rows = conn.execute(
            select(_MEMBERS.c.document_id, _MEMBERS.c.group_id, _MEMBERS.c.similarity)
            .where(_MEMBERS.c.group_id.in_(chunk))
            .order_by(_MEMBERS.c.group_id, _MEMBERS.c.document_id)
        )
        found.extend(Member(int(d), int(g), float(s)) for d, g, s in rows)
    return found


def store_members(store: Unit, members: Sequence[Member]) -> None:
    """Put each document in its group, replacing the group it was in."""
    conn = store.session.connection()
    for chunk in chunks(members):
        conn.execute(
            delete(_MEMBERS).where(_MEMBERS.c.document_id.in_([m.document_id for m in chunk]))
        )
        conn.execute(
            _MEMBERS.insert(),
            [
                {"document_id": m.document_id, "group_id": m.group_id, "similarity": m.similarity}
                for m in chunk
            ],
        )


def forget_all(store: Unit) -> None:
    """Drop every signature, band key and group (before they are computed again)."""
    conn = store.session.connection()
    for table in (_MEMBERS, _BANDS, _SIGNATURES):
        conn.execute(delete(table))


def counts(store: Unit) -> tuple[int, int]:
    """``(groups, documents in them)``; a document in a group is its original or a copy."""
    conn = store.session.connection()
    groups, documents = conn.execute(
        select(func.count(func.distinct(_MEMBERS.c.group_id)), func.count())
    ).one()
    return int(groups or 0), int(documents or 0)


def copy_ids(store: Unit) -> set[int]:
    """Ids of the documents that are copies (in a group, not its original)."""
    conn = store.session.connection()
    rows = conn.execute(
        select(_MEMBERS.c.document_id).where(_MEMBERS.c.document_id != _MEMBERS.c.group_id)
    )
    return {int(doc_id) for (doc_id,) in rows}
