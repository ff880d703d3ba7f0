"""Documents and their ignored ranges: import, lookups, and reads of many documents at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
from sqlalchemy import Text, func, select, type_coerce

from annotator.core.document_ids import fill_missing_ids
from annotator.core.errors import NotFoundError
from annotator.core.model import Document, IgnoredRange
from annotator.storage.bulk import chunks, insert_rows, json_object
from annotator.storage.orm import DocumentRow, IgnoredRangeRow, utcnow
from annotator.storage.unit import Unit


class Documents(Unit):
    """Documents (the imported texts) and the ranges of them that are ignored."""

    def document(self, document_id: int) -> Document:
        found = self.documents_by_ids([document_id])
        if not found:
            raise NotFoundError(f"no document with id {document_id}")
        return found[0]

    def document_count(self) -> int:
        # count(*), not count(id): see DocumentList.document_id_extent.
        return self.session.scalar(select(func.count()).select_from(DocumentRow)) or 0

    def document_ids(self) -> list[int]:
        return list(self.session.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))

    def iter_texts(self, source: str | None, *, batch: int = 1000) -> Iterator[tuple[int, str]]:
        """``(id, text)`` of every document of ``source`` whose ignored ranges are ours to
        detect (not given by the file it came from), in id order, ``batch`` rows at a time."""
        last = 0
        while page := self.texts_page(source, after_id=last, limit=batch):
            yield from page
            last = page[-1][0]

    def texts_page(
        self,
        source: str | None,
        *,
        after_id: int = 0,
        up_to: int | None = None,
        limit: int = 1000,
    ) -> list[tuple[int, str]]:
        """Up to ``limit`` of the ``(id, text)`` that :meth:`iter_texts` yields, with ids
        after ``after_id`` (and up to ``up_to``, when given): keyset pagination."""
        same_source = (
            DocumentRow.source.is_(None) if source is None else DocumentRow.source == source
        )
        conditions = [same_source, DocumentRow.id > after_id]
        if up_to is not None:
            conditions.append(DocumentRow.id <= up_to)
        rows = self.session.connection().execute(
            select(DocumentRow.id, DocumentRow.text)
            .where(*conditions, DocumentRow.ignored_from_file.is_(False))
            .order_by(DocumentRow.id)
            .limit(limit)
        )
        return [(row[0], row[1]) for row in rows]

    def last_document_id(self) -> int:
        """The highest document id (0 in an empty project)."""
        return self.session.scalar(select(func.max(DocumentRow.id))) or 0

    def existing_hashes(self, hashes: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        if self._on_sqlite():
            found.update(self._pairs_where_in("sha256", "id", hashes))
            return found
        for chunk in chunks(list(set(hashes))):
            rows = self.session.execute(
                select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.sha256.in_(chunk))
            )
            found.update({sha: doc_id for sha, doc_id in rows})
        return found

    def existing_external_ids(self, ids: Iterable[str]) -> dict[str, str]:
        """``external_id -> sha256`` for the ids already in the project."""
        found: dict[str, str] = {}
        if self._on_sqlite():
            found.update(self._pairs_where_in("external_id", "sha256", ids))
            return found
        for chunk in chunks(list(set(ids))):
            rows = self.session.execute(
                select(DocumentRow.external_id, DocumentRow.sha256).where(
                    DocumentRow.external_id.in_(chunk)
                )
            )
            found.update({ext: sha for ext, sha in rows if ext is not None})
        return found

    def _on_sqlite(self) -> bool:
        return self.session.connection().dialect.name == "sqlite"

    def _pairs_where_in(self, key: str, value: str, keys: Iterable[str]) -> list[tuple[Any, Any]]:
        """``(key, value)`` of the documents whose ``key`` column is one of ``keys``, on
        SQLite: one plain statement per 500 keys on the driver (the import looks up each
        batch's hashes and ids; SQLAlchemy's building of an ``IN`` of 500 parameters cost
        more than the lookup). ``key`` and ``value`` are our own column names."""
        conn = self.session.connection()
        found: list[tuple[Any, Any]] = []
        for chunk in chunks(list(set(keys))):
            marks = ", ".join("?" * len(chunk))
            found.extend(
                conn.exec_driver_sql(
                    f"SELECT {key}, {value} FROM documents WHERE {key} IN ({marks})", tuple(chunk)
                ).fetchall()
            )
        return found

    def insert_documents(self, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        """Insert documents (dicts of DocumentRow columns) in one statement; ``sha -> id``.
        A row without ``external_id`` gets one made from its text, unique in the project."""
        if not rows:
            return {}
        rows = fill_missing_ids(rows, self.existing_external_ids)
        now = utcnow()
        conn = self.session.connection()
        if conn.dialect.name == "sqlite":
            # Write transactions hold the write lock from BEGIN, so the rows after the current
            # highest id are exactly the ones inserted here: no second lookup by hash needed.
            before = conn.exec_driver_sql("SELECT max(id) FROM documents").scalar() or 0
            # The import hot path: a plain executemany on the driver is several times cheaper
            # than SQLAlchemy's per-row processing, and the values are simple to bind here.
            stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
            conn.exec_driver_sql(
                "INSERT INTO documents (external_id, source, title, text, sha256, meta, "
                "imported_at, ignored_from_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        row.get("external_id"),
                        row.get("source"),
                        row["title"],
                        row["text"],
                        row["sha256"],
                        orjson.dumps(row.get("meta") or {}).decode(),
                        stamp,
                        1 if row.get("ignored_from_file") else 0,
                    )
                    for row in rows
                ],
            )
        else:
            values = [
                {"imported_at": now, "meta": {}, "ignored_from_file": False, **row} for row in rows
            ]
            conn.execute(DocumentRow.__table__.insert(), values)
        if conn.dialect.name != "sqlite":
            ids = self.existing_hashes(row["sha256"] for row in rows)
        else:
            ids = dict(
                conn.exec_driver_sql(
                    "SELECT sha256, id FROM documents WHERE id > ?", (before,)
                ).fetchall()
            )
        self._inserted_lengths.update((ids[row["sha256"]], len(row["text"])) for row in rows)
        return ids

    def document_index(
        self, *, after_id: int = 0, limit: int = 1000
    ) -> list[tuple[int, str | None, str | None]]:
        """``(id, external_id, source)`` of up to ``limit`` documents with ``id > after_id``,
        in id order: no text, so a whole corpus can be planned cheaply (keyset pagination)."""
        rows = self.session.connection().execute(
            select(DocumentRow.id, DocumentRow.external_id, DocumentRow.source)
            .where(DocumentRow.id > after_id)
            .order_by(DocumentRow.id)
            .limit(limit)
        )
        return [(row[0], row[1], row[2]) for row in rows]

    def longer_than(self, characters: int) -> list[tuple[int, str, int]]:
        """``(id, title, length)`` of the documents whose text has more than ``characters``
        characters, in id order (one scan of the texts; no text is returned)."""
        rows = self.session.connection().execute(
            select(DocumentRow.id, DocumentRow.title, func.length(DocumentRow.text))
            .where(func.length(DocumentRow.text) > characters)
            .order_by(DocumentRow.id)
        )
        return [(row[0], row[1], row[2]) for row in rows]

    def documents_by_ids(self, ids: Sequence[int]) -> list[Document]:
        """The documents with these ids, in id order; ids that do not exist are left out."""
        found: list[Document] = []
        for chunk in chunks(ids):
            rows = self.session.connection().execute(
                select(
                    DocumentRow.id,
                    DocumentRow.external_id,
                    DocumentRow.title,
                    DocumentRow.text,
                    DocumentRow.source,
                    type_coerce(DocumentRow.meta, Text),
                    DocumentRow.sha256,
                    DocumentRow.imported_at,
                ).where(DocumentRow.id.in_(chunk))
            )
            found.extend(
                Document(
                    id=row[0],
                    external_id=row[1],
                    title=row[2],
                    text=row[3],
                    source=row[4],
                    meta=json_object(row[5]),
                    sha256=row[6],
                    imported_at=row[7],
                )
                for row in rows
            )
        found.sort(key=lambda document: document.id)
        return found

    def ignored(self, document_id: int) -> list[IgnoredRange]:
        """The document's ignored ranges in ``(start, end)`` order."""
        return self.ignored_by_documents([document_id]).get(document_id, [])

    def set_ignored(self, document_id: int, ranges: Iterable[IgnoredRange]) -> None:
        self.replace_ignored({document_id: ranges})

    def replace_ignored(self, ranges_by_document: dict[int, Iterable[IgnoredRange]]) -> None:
        """Replace the ignored ranges of many documents with two statements per 500."""
        table = IgnoredRangeRow.__table__
        conn = self.session.connection()
        sqlite = conn.dialect.name == "sqlite"
        for chunk in chunks(list(ranges_by_document)):
            if sqlite:
                # As for the lookups: SQLAlchemy's building of a 500-item IN cost more than
                # the delete (boilerplate detection replaces the ranges of every document).
                marks = ", ".join("?" * len(chunk))
                conn.exec_driver_sql(
                    f"DELETE FROM ignored_ranges WHERE document_id IN ({marks})", tuple(chunk)
                )
            else:
                conn.execute(table.delete().where(table.c.document_id.in_(chunk)))
            rows = [
                {"document_id": doc_id, "start": r.start, "end": r.end, "reason": r.reason}
                for doc_id in chunk
                for r in ranges_by_document[doc_id]
            ]
            insert_rows(conn, table, rows)

    def ignored_by_documents(self, ids: Sequence[int]) -> dict[int, list[IgnoredRange]]:
        """The ignored ranges of each of these documents in ``(start, end)`` order; documents
        without any are absent."""
        result: dict[int, list[IgnoredRange]] = {}
        for chunk in chunks(ids):
            rows = self.session.connection().execute(
                select(
                    IgnoredRangeRow.document_id,
                    IgnoredRangeRow.start,
                    IgnoredRangeRow.end,
                    IgnoredRangeRow.reason,
                )
                .where(IgnoredRangeRow.document_id.in_(chunk))
                .order_by(
                    IgnoredRangeRow.document_id,
                    IgnoredRangeRow.start,
                    IgnoredRangeRow.end,
                    IgnoredRangeRow.id,
                )
            )
            for doc_id, start, end, reason in rows:
                result.setdefault(doc_id, []).append(IgnoredRange(start, end, reason))
        return result
