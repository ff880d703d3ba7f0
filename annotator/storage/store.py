"""Reads and writes inside one unit of work. Implements the core's ``AnnotationStore``.

A :class:`Store` wraps one SQLAlchemy session bound to one connection; :class:`Database` hands
one out per unit of work (one per command, one per import batch) and never shares it between
threads. Everything returned is a core value, never an ORM row.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from annotator.core.errors import NotFoundError, SchemaError
from annotator.core.model import (
    ClaimDetails,
    Decision,
    Document,
    DocumentState,
    DocumentSummary,
    IgnoredRange,
    Layer,
    Span,
    Status,
    Suggestion,
    SuggestionDecision,
)
from annotator.core.schema import LabelSchema, default_schema
from annotator.storage import convert, sequences, span_conflicts
from annotator.storage.orm import (
    Annotator,
    ClaimRow,
    DecisionRow,
    DocumentRow,
    DocumentStatusRow,
    EventRow,
    IgnoredRangeRow,
    LabelSchemaRow,
    ModelRow,
    Setting,
    SpanRow,
    SuggestionRow,
    TermRow,
    utcnow,
)


@dataclass(frozen=True, slots=True)
class StoredTerm:
    """A gazetteer term the user imported (see :meth:`Store.terms`)."""

    id: int
    term: str
    label: str
    case_sensitive: bool
    source: str | None


@dataclass(frozen=True, slots=True)
class PageScan:
    """How far a scan for the page boundaries of a filtered document list has got.

    Every matching document with ``id <= after`` is counted in ``matched``; ``starts`` holds the
    ids found by the last call, each the first row of the next page (rows in id order). ``after``
    is ``None`` before the first call.
    """

    after: int | None = None
    matched: int = 0
    starts: tuple[int, ...] = ()
    done: bool = False


class Store:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._annotator_ids: dict[str, int] = {}
        self._annotator_names: dict[int, str] = {}

    # -- annotators -------------------------------------------------------------------------

    def annotator_id(self, name: str, *, create: bool = True) -> int:
        cached = self._annotator_ids.get(name)
        if cached is not None:
            return cached
        found = self.session.scalar(select(Annotator.id).where(Annotator.name == name))
        if found is None:
            if not create:
                raise NotFoundError(f"no annotator named {name!r}")
            found = self._add_annotator(name)
        self._annotator_ids[name] = found
        self._annotator_names[found] = name
        return found

    def _add_annotator(self, name: str) -> int:
        # PostgreSQL runs write transactions side by side (SQLite's BEGIN IMMEDIATE queues
        # them): two clients may add the same name at once. The second insert waits for the
        # first to commit and fails on the unique name; inside a savepoint that failure leaves
        # the transaction usable, and the name's row is then there to read.
        try:
            with self.session.begin_nested():
                row = Annotator(name=name)
                self.session.add(row)
            return row.id
        except IntegrityError:
            found = self.session.scalar(select(Annotator.id).where(Annotator.name == name))
            if found is None:
                raise
            return found

    def annotator_name(self, annotator_id: int) -> str:
        cached = self._annotator_names.get(annotator_id)
        if cached is None:
            cached = self.session.scalar(select(Annotator.name).where(Annotator.id == annotator_id))
            if cached is None:
                raise NotFoundError(f"no annotator with id {annotator_id}")
            self._annotator_names[annotator_id] = cached
        return cached

    def annotators(self) -> list[str]:
        # Sorted here, in code point order: a server's collation (en_US on PostgreSQL) would
        # order names differently from SQLite.
        return sorted(self.session.scalars(select(Annotator.name)))

    # -- settings and schema ----------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.session.get(Setting, key)
        return default if row is None else row.value.get("value", default)

    def set_setting(self, key: str, value: Any) -> None:
        row = self.session.get(Setting, key)
        if row is None:
            # A savepoint for the same reason as in _add_annotator: another client may store
            # the key first; then this value replaces it, as it would have a moment later.
            try:
                with self.session.begin_nested():
                    self.session.add(Setting(key=key, value={"value": value}))
                return
            except IntegrityError:
                row = self.session.get(Setting, key)
                if row is None:
                    raise
        row.value = {"value": value}

    def schema(self) -> LabelSchema:
        row = self.session.scalar(
            select(LabelSchemaRow).order_by(LabelSchemaRow.version.desc()).limit(1)
        )
        if row is None:
            return default_schema()
        try:
            return LabelSchema.from_dict(row.schema)
        except SchemaError as exc:
            raise SchemaError(f"schema version {row.version} in the project: {exc}") from exc

    def save_schema(self, schema: LabelSchema) -> LabelSchema:
        latest = self.session.scalar(select(func.max(LabelSchemaRow.version))) or 0
        data = schema.to_dict()
        data["version"] = latest + 1
        self.session.add(LabelSchemaRow(version=latest + 1, schema=data))
        self.session.flush()
        return LabelSchema.from_dict(data)

    # -- documents --------------------------------------------------------------------------

    def document(self, document_id: int) -> Document:
        row = self.session.get(DocumentRow, document_id)
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return convert.document(row)

    def document_count(self) -> int:
        return self.session.scalar(select(func.count(DocumentRow.id))) or 0

    def document_ids(self) -> list[int]:
        return list(self.session.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))

    def iter_texts(self, source: str | None, *, batch: int = 1000) -> Iterator[tuple[int, str]]:
        """``(id, text)`` of every document of ``source`` whose ignored ranges are ours to
        detect (not given by the file it came from), in id order, ``batch`` rows at a time."""
        last = 0
        same_source = (
            DocumentRow.source.is_(None) if source is None else DocumentRow.source == source
        )
        while True:
            rows = self.session.execute(
                select(DocumentRow.id, DocumentRow.text)
                .where(same_source, DocumentRow.id > last, DocumentRow.ignored_from_file.is_(False))
                .order_by(DocumentRow.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            yield from ((row[0], row[1]) for row in rows)
            last = rows[-1][0]

    def existing_hashes(self, hashes: Iterable[str]) -> dict[str, int]:
        wanted = list(set(hashes))
        found: dict[str, int] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            rows = self.session.execute(
                select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.sha256.in_(chunk))
            )
            found.update({sha: doc_id for sha, doc_id in rows})
        return found

    def existing_external_ids(self, ids: Iterable[str]) -> dict[str, str]:
        """``external_id -> sha256`` for the ids already in the project."""
        wanted = list(set(ids))
        found: dict[str, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            rows = self.session.execute(
                select(DocumentRow.external_id, DocumentRow.sha256).where(
                    DocumentRow.external_id.in_(chunk)
                )
            )
            found.update({ext: sha for ext, sha in rows if ext is not None})
        return found

    def insert_documents(self, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        """Insert documents (dicts of DocumentRow columns) in one statement; ``sha -> id``."""
        if not rows:
            return {}
        now = utcnow()
        conn = self.session.connection()
        # Write transactions hold the write lock from BEGIN, so the rows after the current
        # highest id are exactly the ones inserted here: no second lookup by hash needed.
        before = self.session.scalar(select(func.max(DocumentRow.id))) or 0
        if conn.dialect.name == "sqlite":
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
            return self.existing_hashes(row["sha256"] for row in rows)
        inserted = conn.execute(
            select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.id > before)
        )
        return {sha: doc_id for sha, doc_id in inserted}

    def summaries(
        self,
        annotator: str,
        *,
        after_id: int = 0,
        limit: int = 200,
        text: str | None = None,
        status: Status | None = None,
    ) -> list[DocumentSummary]:
        """A page of the document list for ``annotator``, in id order after ``after_id``."""
        annotator_id = self._maybe_annotator_id(annotator)
        state = aliased(DocumentStatusRow)
        count = (
            select(func.count(SpanRow.id))
            .where(SpanRow.document_id == DocumentRow.id)
            .where(SpanRow.annotator_id == annotator_id)
            .correlate(DocumentRow)
            .scalar_subquery()
        )
        query = (
            select(
                DocumentRow.id,
                DocumentRow.external_id,
                DocumentRow.title,
                DocumentRow.source,
                state.status,
                count,
            )
            .outerjoin(
                state,
                and_(state.document_id == DocumentRow.id, state.annotator_id == annotator_id),
            )
            .where(DocumentRow.id > after_id)
            .order_by(DocumentRow.id)
            .limit(limit)
        )
        if text:
            pattern = f"%{_escape_like(text)}%"
            query = query.where(
                or_(
                    DocumentRow.title.ilike(pattern, escape="\\"),
                    DocumentRow.text.ilike(pattern, escape="\\"),
                )
            )
        if status is Status.NEW:
            query = query.where(or_(state.status.is_(None), state.status == Status.NEW.value))
        elif status is not None:
            query = query.where(state.status == status.value)
        return [
            DocumentSummary(
                id=row[0],
                external_id=row[1],
                title=row[2],
                source=row[3],
                status=Status(row[4]) if row[4] else Status.NEW,
                span_count=row[5] or 0,
            )
            for row in self.session.execute(query)
        ]

    # -- the document list: a million rows, fetched a page at a time -----------------------

    def document_id_extent(self) -> tuple[int, int | None, int | None]:
        """``(count, first id, last id)`` of all documents.

        ``count(*)``, not ``count(id)``: SQLite answers the first from its smallest index
        (about 30 ms at 1M documents) and walks the whole table for the second (150 ms).
        ``min`` and ``max`` of the key are one b-tree descent each.
        """
        count = self.session.scalar(select(func.count()).select_from(DocumentRow)) or 0
        first = self.session.scalar(select(func.min(DocumentRow.id)))
        last = self.session.scalar(select(func.max(DocumentRow.id)))
        return count, first, last

    def scan_page_starts(
        self,
        annotator: str,
        scan: PageScan,
        *,
        page_size: int,
        text: str | None = None,
        status: Status | None = None,
        max_seconds: float = 0.03,
        max_span: int = 20_000,
    ) -> PageScan:
        """Continue ``scan`` for about ``max_seconds``: the ids of the first row of each
        further page of the list filtered by ``text`` and ``status`` (rows in id order).

        A filtered list has no index to count rows with, so finding row N is a scan. Each query
        covers at most ``max_span`` ids, so it is short whatever the filter, and callers can
        stop between calls when the filter is superseded. Every row is read once: a step asks
        for the next page start, or how many rows are left before the span ends. Where the
        rows are dense, SQLite then hops from page start to page start itself (a recursive
        query), so one round trip brings many pages: one per page costs a second at 1M rows.
        """
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        deadline = time.perf_counter() + max_seconds
        last_id = self.session.scalar(select(func.max(DocumentRow.id)))
        after, matched = scan.after, scan.matched
        if after is None:
            first = self.session.scalar(select(func.min(DocumentRow.id)))
            after = (first - 1) if first is not None else 0
        if last_id is None or after >= last_id:
            return PageScan(after, matched, (), True)
        annotator_id = self._maybe_annotator_id(annotator)
        step, hops = self._page_start_queries(annotator_id, text, status)
        next_id = select(func.min(DocumentRow.id)).where(DocumentRow.id > bindparam("upper"))
        conn = self.session.connection()
        starts: list[int] = []
        while after < last_id:  # at least one step per call, however short max_seconds
            upper = after + max_span
            boundary = -(-matched // page_size) * page_size  # the first row of the next page
            wanted = boundary - matched + 1
            found, last = conn.execute(
                step, {"after": after, "upper": upper, "wanted": wanted}
            ).one()
            if found == wanted:
                starts.append(last)
                density = wanted / (last - after)
                matched, after = boundary + 1, last
                # Hop over the pages this density promises before ``upper``, less a margin: a
                # hop that runs dry has read the tail of the span, which the next step rereads.
                pages = int((upper - after) * density / page_size * 0.75)
                if pages >= 2:
                    values = {"after": after, "upper": upper, "skip": page_size - 1}
                    more = list(conn.scalars(hops, {**values, "pages": pages}))
                    if more:
                        starts += more
                        matched += len(more) * page_size
                        after = more[-1]
            else:
                # No page starts before ``upper``: count the rest, and skip a stretch of
                # unused ids in one b-tree descent rather than span by span.
                matched += found
                following = conn.scalar(next_id, {"upper": upper})
                after = last_id if following is None else max(upper, following - 1)
            if time.perf_counter() >= deadline:
                break
        return PageScan(after, matched, tuple(starts), after >= last_id)

    def _page_start_queries(
        self, annotator_id: int, text: str | None, status: Status | None
    ) -> tuple[Select[Any], Select[Any]]:
        """For :meth:`scan_page_starts`: ``(count, last id)`` of the first ``wanted`` listed
        rows after ``after`` up to ``upper``; and the recursive query for the id ``skip + 1``
        rows after ``after``, ``skip + 1`` after that, and so on (up to ``pages`` ids)."""

        def window(previous: Any) -> tuple[Select[Any], Any]:
            ids, key = self._list_ids(annotator_id, text, status)
            return ids.where(key > previous, key <= bindparam("upper")).order_by(key), key

        first, _key = window(bindparam("after"))
        rows = first.limit(bindparam("wanted")).subquery()
        step = select(func.count(), func.max(rows.c[0]))

        def nth_after(previous: Any) -> Any:
            query, _key = window(previous)
            return query.limit(1).offset(bindparam("skip")).scalar_subquery()

        start = select(nth_after(bindparam("after")).label("id"), literal(1).label("n"))
        anchor = start.cte("page_starts", recursive=True)
        hop = select(nth_after(anchor.c.id), (anchor.c.n + 1).label("n"))
        chain = anchor.union_all(
            hop.where(anchor.c.id.is_not(None), anchor.c.n < bindparam("pages"))
        )
        hops = select(chain.c.id).where(chain.c.id.is_not(None)).order_by(chain.c.n)
        return step, hops

    def _list_ids(
        self, annotator_id: int, text: str | None, status: Status | None
    ) -> tuple[Select[Any], Any]:
        """``SELECT key`` of the documents in the filtered list, and ``key``: the document id
        column to range over and order by. For done, in progress and skipped that is the
        status table's, so SQLite walks its primary key in document order instead of visiting
        every document or sorting (73 ms instead of 4.6 s for the done pages of 1M)."""
        if status is None or status is Status.NEW:
            query, _state = self._list_select([DocumentRow.id], annotator_id, text, status)
            return query, DocumentRow.id
        state = aliased(DocumentStatusRow)
        key = state.document_id
        query = select(key).where(state.annotator_id == annotator_id)
        if text:
            query = query.join(DocumentRow, DocumentRow.id == key)
        return query.where(*self._list_conditions(state, text, status)), key

    def summaries_between(
        self,
        annotator: str,
        start_id: int,
        end_id: int | None,
        *,
        limit: int = 200,
        text: str | None = None,
        status: Status | None = None,
    ) -> list[DocumentSummary]:
        """List rows for ``annotator`` with ``start_id <= id < end_id`` (no upper bound when
        ``end_id`` is ``None``) that match the filter, in id order, at most ``limit``."""
        annotator_id = self._maybe_annotator_id(annotator)
        query, _state = self._list_select(
            self._summary_columns(annotator_id), annotator_id, text, status, join=True
        )
        query = query.where(DocumentRow.id >= start_id)
        if end_id is not None:
            query = query.where(DocumentRow.id < end_id)
        return self._summary_rows(query.order_by(DocumentRow.id).limit(limit))

    def summaries_of(self, annotator: str, document_ids: Iterable[int]) -> list[DocumentSummary]:
        """The current list rows of these documents, whatever the list's filter (to redraw
        rows a command changed); ids of no document are left out."""
        annotator_id = self._maybe_annotator_id(annotator)
        wanted = sorted(set(document_ids))
        found: list[DocumentSummary] = []
        for i in range(0, len(wanted), 500):
            query, _state = self._list_select(
                self._summary_columns(annotator_id), annotator_id, None, None, join=True
            )
            chunk = wanted[i : i + 500]
            found += self._summary_rows(
                query.where(DocumentRow.id.in_(chunk)).order_by(DocumentRow.id)
            )
        return found

    def _summary_columns(self, annotator_id: int) -> Any:
        """The columns of a list row, as a function of the status alias (see _list_select)."""

        def columns(state: Any) -> list[Any]:
            count = (
                select(func.count(SpanRow.id))
                .where(SpanRow.document_id == DocumentRow.id)
                .where(SpanRow.annotator_id == annotator_id)
                .correlate(DocumentRow)
                .scalar_subquery()
            )
            return [
                DocumentRow.id,
                DocumentRow.external_id,
                DocumentRow.title,
                DocumentRow.source,
                state.status,
                count,
            ]

        return columns

    def _list_select(
        self,
        columns: Any,
        annotator_id: int,
        text: str | None,
        status: Status | None,
        *,
        join: bool = False,
    ) -> tuple[Select[Any], Any]:
        """``SELECT columns FROM documents`` filtered for the document list: by ``text`` in the
        title or text (case-insensitive) and by the annotator's ``status`` (no status row
        counts as new). ``columns`` is a list, or a function of the status alias."""
        state = aliased(DocumentStatusRow)
        query = select(*(columns(state) if callable(columns) else columns))
        if join or status is not None:
            query = query.outerjoin(
                state,
                and_(state.document_id == DocumentRow.id, state.annotator_id == annotator_id),
            )
        return query.where(*self._list_conditions(state, text, status)), state

    def _list_conditions(
        self, state: Any, text: str | None, status: Status | None
    ) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if text:
            pattern = f"%{_escape_like(text)}%"
            if self.session.get_bind().dialect.name == "sqlite":
                # SQLite's LIKE ignores ASCII case and its lower() folds only ASCII, so this
                # matches exactly what ilike's lower(x) LIKE lower(p) matches, three times
                # faster: 0.5 s instead of 1.7 s over 1M texts.
                like = [
                    DocumentRow.title.like(pattern, escape="\\"),
                    DocumentRow.text.like(pattern, escape="\\"),
                ]
            else:
                like = [
                    DocumentRow.title.ilike(pattern, escape="\\"),
                    DocumentRow.text.ilike(pattern, escape="\\"),
                ]
            conditions.append(or_(*like))
        if status is Status.NEW:
            conditions.append(or_(state.status.is_(None), state.status == Status.NEW.value))
        elif status is not None:
            conditions.append(state.status == status.value)
        return conditions

    def _summary_rows(self, query: Select[Any]) -> list[DocumentSummary]:
        return [
            DocumentSummary(
                id=row[0],
                external_id=row[1],
                title=row[2],
                source=row[3],
                status=Status(row[4]) if row[4] else Status.NEW,
                span_count=row[5] or 0,
            )
            for row in self.session.execute(query)
        ]

    def neighbour(self, document_id: int, step: int) -> int | None:
        """The id of the next (``step`` > 0) or previous document in id order."""
        if step > 0:
            query = select(func.min(DocumentRow.id)).where(DocumentRow.id > document_id)
        else:
            query = select(func.max(DocumentRow.id)).where(DocumentRow.id < document_id)
        return self.session.scalar(query)

    def next_with_status(
        self,
        annotator: str,
        after_id: int,
        statuses: tuple[Status, ...] = (Status.NEW, Status.IN_PROGRESS),
    ) -> int | None:
        """The first document after ``after_id`` whose status for ``annotator`` is one of
        ``statuses`` (a document never touched counts as new)."""
        annotator_id = self._maybe_annotator_id(annotator)
        state = aliased(DocumentStatusRow)
        wanted = [s.value for s in statuses]
        condition = state.status.in_(wanted)
        if Status.NEW in statuses:
            condition = or_(state.status.is_(None), condition)
        query = (
            select(DocumentRow.id)
            .outerjoin(
                state,
                and_(state.document_id == DocumentRow.id, state.annotator_id == annotator_id),
            )
            .where(DocumentRow.id > after_id, condition)
            .order_by(DocumentRow.id)
            .limit(1)
        )
        return self.session.scalar(query)

    def search(self, query: str, limit: int = 100) -> list[tuple[int, str, str]]:
        """``(id, title, text)`` of documents whose title or text contains ``query``."""
        pattern = f"%{_escape_like(query)}%"
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.title, DocumentRow.text)
            .where(
                or_(
                    DocumentRow.title.ilike(pattern, escape="\\"),
                    DocumentRow.text.ilike(pattern, escape="\\"),
                )
            )
            .order_by(DocumentRow.id)
            .limit(limit)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def _maybe_annotator_id(self, name: str) -> int:
        try:
            return self.annotator_id(name, create=False)
        except NotFoundError:
            return -1

    # -- spans ------------------------------------------------------------------------------

    def spans(
        self, document_id: int, annotator: str | None = None, layer: Layer | None = None
    ) -> list[Span]:
        query = (
            select(SpanRow, Annotator.name, ClaimRow)
            .join(Annotator, Annotator.id == SpanRow.annotator_id)
            .outerjoin(ClaimRow, ClaimRow.span_id == SpanRow.id)
            .where(SpanRow.document_id == document_id)
            .order_by(SpanRow.start, SpanRow.end, SpanRow.id)
        )
        if annotator is not None:
            query = query.where(Annotator.name == annotator)
        if layer is not None:
            query = query.where(SpanRow.layer == layer.value)
        return [convert.span(row, name, claim) for row, name, claim in self.session.execute(query)]

    def get_span(self, span_id: int) -> Span:
        row = self.session.execute(
            select(SpanRow, Annotator.name, ClaimRow)
            .join(Annotator, Annotator.id == SpanRow.annotator_id)
            .outerjoin(ClaimRow, ClaimRow.span_id == SpanRow.id)
            .where(SpanRow.id == span_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no span with id {span_id}")
        return convert.span(row[0], row[1], row[2])

    def _check_span(self, span: Span) -> None:
        length = self.session.scalar(
            select(func.length(DocumentRow.text)).where(DocumentRow.id == span.document_id)
        )
        if length is None:
            raise NotFoundError(f"no document with id {span.document_id}")
        if span.end > length:
            raise NotFoundError(
                f"span {span.start}..{span.end} is past the end of document {span.document_id} "
                f"({length} characters)"
            )
        if span.claim is not None and span.claim.cue is not None:
            cue_start, cue_end = span.claim.cue
            if not 0 <= cue_start < cue_end <= length:
                raise NotFoundError(f"cue {cue_start}..{cue_end} is outside the document")

    def add_span(self, span: Span) -> Span:
        self._check_span(span)
        row = SpanRow(
            document_id=span.document_id,
            layer=span.layer.value,
            start=span.start,
            end=span.end,
            label=span.label,
            annotator_id=self.annotator_id(span.annotator),
            origin=span.origin,
            attributes=dict(span.attributes),
            ref=span.ref,
        )
        if span.id is not None:
            row.id = span.id
            # Put back under its old id (undo of a delete): above the version it had, so
            # that versions of one span never repeat (History rebases the older undo steps).
            row.version = (span.version or 0) + 1
        if span.created_at is not None:
            row.created_at = span.created_at
        self.session.add(row)
        self.session.flush()
        if span.id is not None:
            sequences.keep_ahead_of(self.session, SpanRow.__table__.c.id, span.id)
        if span.claim is not None and span.layer is Layer.CLAIM:
            self.session.add(self._claim_row(row.id, span))
            self.session.flush()
        return self.get_span(row.id)

    def _claim_row(self, span_id: int, span: Span) -> ClaimRow:
        assert span.claim is not None
        cue = span.claim.cue
        return ClaimRow(
            span_id=span_id,
            claimant_id=span.claim.claimant_id,
            cue_start=None if cue is None else cue[0],
            cue_end=None if cue is None else cue[1],
            claim_type=span.claim.claim_type,
            hedged=span.claim.hedged,
        )

    def replace_span(self, span: Span) -> Span:
        """Overwrite the span and bump its version. With ``span.version`` set, only if the
        row is still at that version (one atomic ``UPDATE … WHERE version = :v``, also under
        PostgreSQL READ COMMITTED): otherwise :class:`ConflictError` saying who changed it."""
        assert span.id is not None
        self._check_span(span)
        guard = [SpanRow.id == span.id]
        if span.version is not None:
            guard.append(SpanRow.version == span.version)
        result = self.session.execute(
            update(SpanRow)
            .where(*guard)
            .values(
                layer=span.layer.value,
                start=span.start,
                end=span.end,
                label=span.label,
                origin=span.origin,
                attributes=dict(span.attributes),
                annotator_id=self.annotator_id(span.annotator),
                version=SpanRow.version + 1,
            )
            .execution_options(synchronize_session="fetch")
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            if span.version is None:
                raise NotFoundError(f"no span with id {span.id}")
            raise span_conflicts.refused(self, span.id, span.version)
        claim = self.session.get(ClaimRow, span.id)
        if claim is not None:
            self.session.delete(claim)
            self.session.flush()
        if span.claim is not None and span.layer is Layer.CLAIM:
            self.session.add(self._claim_row(span.id, span))
        self.session.flush()
        return self.get_span(span.id)

    def delete_span(self, span_id: int, expected_version: int | None = None) -> None:
        """Delete the span; with ``expected_version``, only if the row is still at that
        version (else :class:`ConflictError`). Claims that cited it lose their claimant and
        move to their next version, so a view still showing the old claimant is refused."""
        citing = list(
            self.session.scalars(select(ClaimRow.span_id).where(ClaimRow.claimant_id == span_id))
        )
        guard = [SpanRow.id == span_id]
        if expected_version is not None:
            guard.append(SpanRow.version == expected_version)
        result = self.session.execute(delete(SpanRow).where(*guard))
        if result.rowcount == 0:  # type: ignore[attr-defined]
            if expected_version is None:
                raise NotFoundError(f"no span with id {span_id}")
            raise span_conflicts.refused(self, span_id, expected_version)
        if citing:
            self.session.execute(
                update(SpanRow)
                .where(SpanRow.id.in_(citing))
                .values(version=SpanRow.version + 1)
                .execution_options(synchronize_session=False)
            )
        # SQLite applies ON DELETE SET NULL itself; clear it explicitly too so that a backend
        # without the foreign key action (or a stale session) never holds a dangling claimant.
        self.session.execute(
            update(ClaimRow).where(ClaimRow.claimant_id == span_id).values(claimant_id=None)
        )
        self.session.expire_all()

    def claims_citing(self, span_id: int) -> list[Span]:
        ids = list(
            self.session.scalars(select(ClaimRow.span_id).where(ClaimRow.claimant_id == span_id))
        )
        return [self.get_span(i) for i in ids]

    def span_count(self) -> int:
        return self.session.scalar(select(func.count(SpanRow.id))) or 0

    # -- ignored ranges ---------------------------------------------------------------------

    def ignored(self, document_id: int) -> list[IgnoredRange]:
        rows = self.session.scalars(
            select(IgnoredRangeRow)
            .where(IgnoredRangeRow.document_id == document_id)
            .order_by(IgnoredRangeRow.start, IgnoredRangeRow.end, IgnoredRangeRow.id)
        )
        return [IgnoredRange(r.start, r.end, r.reason) for r in rows]

    def set_ignored(self, document_id: int, ranges: Iterable[IgnoredRange]) -> None:
        self.replace_ignored({document_id: ranges})

    def replace_ignored(self, ranges_by_document: dict[int, Iterable[IgnoredRange]]) -> None:
        """Replace the ignored ranges of many documents with two statements per 500."""
        table = IgnoredRangeRow.__table__
        conn = self.session.connection()
        ids = list(ranges_by_document)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            conn.execute(table.delete().where(table.c.document_id.in_(chunk)))
            rows = [
                {"document_id": doc_id, "start": r.start, "end": r.end, "reason": r.reason}
                for doc_id in chunk
                for r in ranges_by_document[doc_id]
            ]
            if rows:
                conn.execute(table.insert(), rows)

    # -- suggestions and decisions ----------------------------------------------------------

    def suggestions(self, document_id: int) -> list[Suggestion]:
        rows = self.session.scalars(
            select(SuggestionRow)
            .where(SuggestionRow.document_id == document_id)
            .order_by(SuggestionRow.start, SuggestionRow.end, SuggestionRow.id)
        )
        return [convert.suggestion(r) for r in rows]

    def add_suggestions(self, suggestions: Iterable[Suggestion], version: str = "") -> int:
        rows = [
            {
                "document_id": s.document_id,
                "layer": s.layer.value,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "suggester": s.suggester,
                "suggester_version": version,
                "score": s.score,
                "reason": s.reason,
                "attributes": dict(s.attributes),
                "created_at": utcnow(),
            }
            for s in suggestions
        ]
        if rows:
            self.session.connection().execute(SuggestionRow.__table__.insert(), rows)
        return len(rows)

    def get_decision(
        self, document_id: int, annotator: str, layer: Layer, start: int, end: int, label: str
    ) -> SuggestionDecision | None:
        row = self.session.scalar(
            self._decision_query(document_id, annotator, layer, start, end, label)
        )
        return None if row is None else convert.decision(row, annotator)

    def _decision_query(
        self, document_id: int, annotator: str, layer: Layer, start: int, end: int, label: str
    ) -> Any:
        return select(DecisionRow).where(
            DecisionRow.document_id == document_id,
            DecisionRow.annotator_id == self.annotator_id(annotator),
            DecisionRow.layer == layer.value,
            DecisionRow.start == start,
            DecisionRow.end == end,
            DecisionRow.label == label,
        )

    def set_decision(self, decision: SuggestionDecision) -> None:
        row = self.session.scalar(
            self._decision_query(
                decision.document_id,
                decision.annotator,
                decision.layer,
                decision.start,
                decision.end,
                decision.label,
            )
        )
        if row is None:
            row = DecisionRow(
                document_id=decision.document_id,
                annotator_id=self.annotator_id(decision.annotator),
                layer=decision.layer.value,
                start=decision.start,
                end=decision.end,
                label=decision.label,
                decision=decision.decision.value,
            )
            self.session.add(row)
        row.decision = decision.decision.value
        row.suggester = decision.suggester
        row.decided_at = utcnow()
        self.session.flush()

    def clear_decision(
        self, document_id: int, annotator: str, layer: Layer, start: int, end: int, label: str
    ) -> None:
        row = self.session.scalar(
            self._decision_query(document_id, annotator, layer, start, end, label)
        )
        if row is not None:
            self.session.delete(row)
            self.session.flush()

    def decisions(self, document_id: int, annotator: str | None = None) -> list[SuggestionDecision]:
        query = (
            select(DecisionRow, Annotator.name)
            .join(Annotator, Annotator.id == DecisionRow.annotator_id)
            .where(DecisionRow.document_id == document_id)
            .order_by(DecisionRow.start, DecisionRow.end, DecisionRow.id)
        )
        if annotator is not None:
            query = query.where(Annotator.name == annotator)
        return [convert.decision(row, name) for row, name in self.session.execute(query)]

    # -- document status --------------------------------------------------------------------

    def get_state(self, document_id: int, annotator: str) -> DocumentState:
        row = self.session.get(DocumentStatusRow, (document_id, self.annotator_id(annotator)))
        return convert.state(document_id, annotator, row)

    def states(self, document_id: int) -> list[DocumentState]:
        rows = self.session.execute(
            select(DocumentStatusRow, Annotator.name)
            .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
            .where(DocumentStatusRow.document_id == document_id)
        )
        # Code point order of names on every backend (see annotators()).
        ordered = sorted(rows, key=lambda pair: pair[1])
        return [convert.state(document_id, name, row) for row, name in ordered]

    def set_state(self, state: DocumentState) -> None:
        key = (state.document_id, self.annotator_id(state.annotator))
        row = self.session.get(DocumentStatusRow, key)
        if row is None:
            row = DocumentStatusRow(document_id=key[0], annotator_id=key[1])
            self.session.add(row)
        row.status = state.status.value
        row.seconds_spent = state.seconds_spent
        row.skip_reason = state.skip_reason
        self.session.flush()

    # -- statistics -------------------------------------------------------------------------

    def status_counts(self, annotator: str | None = None) -> dict[str, int]:
        """Documents per status. Without an annotator, a document counts once, by its most
        advanced status across annotators (done > skipped > in progress > new)."""
        total = self.document_count()
        if annotator is not None:
            annotator_id = self._maybe_annotator_id(annotator)
            rows = self.session.execute(
                select(DocumentStatusRow.status, func.count())
                .where(DocumentStatusRow.annotator_id == annotator_id)
                .group_by(DocumentStatusRow.status)
            )
            counts = {status: n for status, n in rows}
        else:
            rank = {"new": 0, "in_progress": 1, "skipped": 2, "done": 3}
            best: dict[int, str] = {}
            for doc_id, status in self.session.execute(
                select(DocumentStatusRow.document_id, DocumentStatusRow.status)
            ):
                if rank[status] > rank.get(best.get(doc_id, "new"), 0):
                    best[doc_id] = status
            counts = {}
            for status in best.values():
                counts[status] = counts.get(status, 0) + 1
        counts.pop("new", None)
        result = {s.value: counts.get(s.value, 0) for s in Status}
        result["new"] = total - sum(v for k, v in result.items() if k != "new")
        return result

    def label_counts(self, annotator: str | None = None) -> dict[str, dict[str, int]]:
        query = select(SpanRow.layer, SpanRow.label, func.count()).group_by(
            SpanRow.layer, SpanRow.label
        )
        if annotator is not None:
            query = query.where(SpanRow.annotator_id == self._maybe_annotator_id(annotator))
        result: dict[str, dict[str, int]] = {"entity": {}, "claim": {}}
        for layer, label, n in self.session.execute(query):
            result.setdefault(layer, {})[label] = n
        return result

    def claim_type_counts(self) -> dict[str, int]:
        rows = self.session.execute(
            select(ClaimRow.claim_type, func.count()).group_by(ClaimRow.claim_type)
        )
        return {claim_type: n for claim_type, n in rows}

    # -- events -----------------------------------------------------------------------------

    def log(self, kind: str, annotator: str | None, document_id: int | None, payload: dict) -> None:
        self.session.add(
            EventRow(kind=kind, annotator=annotator, document_id=document_id, payload=payload)
        )

    def events(self, limit: int = 100) -> list[tuple[str, str | None, int | None, dict]]:
        rows = self.session.scalars(select(EventRow).order_by(EventRow.id.desc()).limit(limit))
        return [(r.kind, r.annotator, r.document_id, dict(r.payload)) for r in rows]

    # -- bulk reads for exports: one query per table for a batch of documents --------------
    #
    # Exports stream a corpus in batches; one query per table and batch (rather than several
    # per document) keeps them close to the cost of serialising. For the same reason these run
    # as Core statements on the session's connection and build values from plain column
    # tuples (no ORM rows), and JSON columns are read as text and parsed with orjson (most are
    # "{}"); timestamps are not read (no export carries them) and are ``None`` here.

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

    def documents_by_ids(self, ids: Sequence[int]) -> list[Document]:
        """The documents with these ids, in id order; ids that do not exist are left out."""
        found: list[Document] = []
        for chunk in _chunks(ids):
            rows = self.session.connection().execute(
                select(
                    DocumentRow.id,
                    DocumentRow.external_id,
                    DocumentRow.title,
                    DocumentRow.text,
                    DocumentRow.source,
                    type_coerce(DocumentRow.meta, Text),
                    DocumentRow.sha256,
                ).where(DocumentRow.id.in_(chunk))
            )
            found.extend(
                Document(
                    id=row[0],
                    external_id=row[1],
                    title=row[2],
                    text=row[3],
                    source=row[4],
                    meta=_json_object(row[5]),
                    sha256=row[6],
                )
                for row in rows
            )
        found.sort(key=lambda document: document.id)
        return found

    def spans_by_document(
        self, ids: Sequence[int], annotator: str | None = None
    ) -> dict[int, list[Span]]:
        """The spans of many documents (of ``annotator`` only, when given), each document's in
        ``(start, end, id)`` order like :meth:`spans`; documents without spans are absent."""
        result: dict[int, list[Span]] = {}
        for chunk in _chunks(ids):
            query = (
                select(
                    SpanRow.document_id,
                    SpanRow.id,
                    SpanRow.layer,
                    SpanRow.start,
                    SpanRow.end,
                    SpanRow.label,
                    Annotator.name,
                    SpanRow.origin,
                    type_coerce(SpanRow.attributes, Text),
                    SpanRow.ref,
                    ClaimRow.span_id,
                    ClaimRow.claimant_id,
                    ClaimRow.cue_start,
                    ClaimRow.cue_end,
                    ClaimRow.claim_type,
                    ClaimRow.hedged,
                )
                .join(Annotator, Annotator.id == SpanRow.annotator_id)
                .outerjoin(ClaimRow, ClaimRow.span_id == SpanRow.id)
                .where(SpanRow.document_id.in_(chunk))
            )
            if annotator is not None:
                query = query.where(Annotator.name == annotator)
            # Sorted below, per document: cheaper than SQL's sort of the whole batch.
            for row in self.session.connection().execute(query).all():
                details = None
                if row[10] is not None:
                    cue = None if row[12] is None or row[13] is None else (row[12], row[13])
                    details = ClaimDetails(row[11], cue, row[14], bool(row[15]))
                result.setdefault(row[0], []).append(
                    Span(
                        id=row[1],
                        document_id=row[0],
                        layer=_LAYERS[row[2]],
                        start=row[3],
                        end=row[4],
                        label=row[5],
                        annotator=row[6],
                        origin=row[7],
                        attributes=_json_object(row[8]),
                        claim=details,
                        ref=row[9],
                    )
                )
        for spans in result.values():
            spans.sort(key=_span_order)
        return result

    def span_annotators_by_document(self, ids: Sequence[int]) -> dict[int, set[str]]:
        """The annotators who have spans in each of these documents (absent: nobody)."""
        result: dict[int, set[str]] = {}
        for chunk in _chunks(ids):
            rows = self.session.connection().execute(
                select(SpanRow.document_id, Annotator.name)
                .join(Annotator, Annotator.id == SpanRow.annotator_id)
                .where(SpanRow.document_id.in_(chunk))
                .distinct()
            )
            for doc_id, name in rows:
                result.setdefault(doc_id, set()).add(name)
        return result

    def states_by_document(self, ids: Sequence[int]) -> dict[int, list[DocumentState]]:
        """Every annotator's status row for each of these documents, by annotator name."""
        result: dict[int, list[DocumentState]] = {}
        for chunk in _chunks(ids):
            rows = self.session.connection().execute(
                select(
                    DocumentStatusRow.document_id,
                    Annotator.name,
                    DocumentStatusRow.status,
                    DocumentStatusRow.seconds_spent,
                    DocumentStatusRow.skip_reason,
                )
                .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
                .where(DocumentStatusRow.document_id.in_(chunk))
            )
            # Sorted here: names in code point order on every backend (see annotators()).
            for doc_id, name, status, seconds, reason in sorted(rows, key=lambda r: (r[0], r[1])):
                result.setdefault(doc_id, []).append(
                    DocumentState(doc_id, name, Status(status), float(seconds or 0.0), reason)
                )
        return result

    def ignored_by_document(self, ids: Sequence[int]) -> dict[int, list[IgnoredRange]]:
        """The ignored ranges of each of these documents, in start order."""
        result: dict[int, list[IgnoredRange]] = {}
        for chunk in _chunks(ids):
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

    def decisions_by_document(
        self, ids: Sequence[int], annotator: str | None = None
    ) -> dict[int, list[SuggestionDecision]]:
        """The accept/reject decisions on each of these documents, like :meth:`decisions`."""
        result: dict[int, list[SuggestionDecision]] = {}
        for chunk in _chunks(ids):
            query = (
                select(
                    DecisionRow.document_id,
                    Annotator.name,
                    DecisionRow.layer,
                    DecisionRow.start,
                    DecisionRow.end,
                    DecisionRow.label,
                    DecisionRow.decision,
                    DecisionRow.suggester,
                )
                .join(Annotator, Annotator.id == DecisionRow.annotator_id)
                .where(DecisionRow.document_id.in_(chunk))
                .order_by(
                    DecisionRow.document_id, DecisionRow.start, DecisionRow.end, DecisionRow.id
                )
            )
            if annotator is not None:
                query = query.where(Annotator.name == annotator)
            rows = self.session.connection().execute(query)
            for doc_id, name, layer, start, end, label, decision, suggester in rows:
                result.setdefault(doc_id, []).append(
                    SuggestionDecision(
                        doc_id, name, Layer(layer), start, end, label, Decision(decision), suggester
                    )
                )
        return result

    def suggestions_by_document(self, ids: Sequence[int]) -> dict[int, list[Suggestion]]:
        """The pending suggestions of each of these documents, like :meth:`suggestions`."""
        result: dict[int, list[Suggestion]] = {}
        for chunk in _chunks(ids):
            rows = self.session.scalars(
                select(SuggestionRow)
                .where(SuggestionRow.document_id.in_(chunk))
                .order_by(
                    SuggestionRow.document_id,
                    SuggestionRow.start,
                    SuggestionRow.end,
                    SuggestionRow.id,
                )
            )
            for row in rows:
                result.setdefault(row.document_id, []).append(convert.suggestion(row))
        return result

    # -- the suggestion cache and the gazetteer (annotator.services.suggesting) ------------

    def suggestion_versions(self, ids: Sequence[int]) -> dict[int, dict[str, set[str]]]:
        """For each of these documents, the versions its stored suggestions carry, by
        suggester; documents without stored suggestions are absent."""
        result: dict[int, dict[str, set[str]]] = {}
        for chunk in _chunks(ids):
            rows = self.session.connection().execute(
                select(
                    SuggestionRow.document_id,
                    SuggestionRow.suggester,
                    SuggestionRow.suggester_version,
                )
                .where(SuggestionRow.document_id.in_(chunk))
                .distinct()
            )
            for doc_id, suggester, version in rows:
                result.setdefault(doc_id, {}).setdefault(suggester, set()).add(version)
        return result

    def replace_suggestions(
        self, document_id: int, suggester: str, version: str, suggestions: Iterable[Suggestion]
    ) -> int:
        """Replace what ``suggester`` suggested for one document by ``suggestions``, stored
        under ``version``; returns how many were stored. Decisions are keyed by span, not by
        suggestion row, so they survive the replacement."""
        rows = list(suggestions)
        for s in rows:
            if s.document_id != document_id or s.suggester != suggester:
                raise ValueError(
                    f"a suggestion of {s.suggester!r} for document {s.document_id} cannot be "
                    f"stored as {suggester!r}'s for document {document_id}"
                )
        self.session.connection().execute(
            delete(SuggestionRow).where(
                SuggestionRow.document_id == document_id, SuggestionRow.suggester == suggester
            )
        )
        return self.add_suggestions(rows, version)

    def delete_suggestions(
        self, *, suggester: str | None = None, document_ids: Sequence[int] | None = None
    ) -> int:
        """Forget stored suggestions (of one suggester, of some documents, or all)."""
        conditions = []
        if suggester is not None:
            conditions.append(SuggestionRow.suggester == suggester)
        if document_ids is None:
            result = self.session.connection().execute(delete(SuggestionRow).where(*conditions))
            return int(result.rowcount or 0)
        deleted = 0
        for chunk in _chunks(document_ids):
            result = self.session.connection().execute(
                delete(SuggestionRow).where(SuggestionRow.document_id.in_(chunk), *conditions)
            )
            deleted += int(result.rowcount or 0)
        return deleted

    def suggestion_counts(self) -> dict[str, int]:
        """Stored suggestions per suggester."""
        rows = self.session.execute(
            select(SuggestionRow.suggester, func.count()).group_by(SuggestionRow.suggester)
        )
        return {suggester: n for suggester, n in rows}

    def confirmed_entity_texts(self) -> dict[tuple[str, str], int]:
        """How many confirmed entity spans (every annotator's) have each ``(text, label)``:
        what the gazetteer learns from. Computed in the database, one row per distinct pair."""
        # substr counts characters (code points) on SQLite and PostgreSQL alike, 1-based.
        texts = (
            select(
                func.substr(DocumentRow.text, SpanRow.start + 1, SpanRow.end - SpanRow.start).label(
                    "text"
                ),
                SpanRow.label.label("label"),
            )
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .where(SpanRow.layer == Layer.ENTITY.value)
            .subquery()
        )
        rows = self.session.execute(
            select(texts.c.text, texts.c.label, func.count()).group_by(texts.c.text, texts.c.label)
        )
        return {(text, label): n for text, label, n in rows if text}

    def rejected_entity_texts(self) -> dict[tuple[str, str], int]:
        """How many rejected entity suggestions (every annotator's) have each ``(text,
        label)``: what the seed lists must not suggest again. Like
        :meth:`confirmed_entity_texts`, one row per distinct pair."""
        texts = (
            select(
                func.substr(
                    DocumentRow.text, DecisionRow.start + 1, DecisionRow.end - DecisionRow.start
                ).label("text"),
                DecisionRow.label.label("label"),
            )
            .join(DocumentRow, DocumentRow.id == DecisionRow.document_id)
            .where(
                DecisionRow.layer == Layer.ENTITY.value,
                DecisionRow.decision == Decision.REJECTED.value,
            )
            .subquery()
        )
        rows = self.session.execute(
            select(texts.c.text, texts.c.label, func.count()).group_by(texts.c.text, texts.c.label)
        )
        return {(text, label): n for text, label, n in rows if text}

    def terms(self, *, source: str | None = None) -> list[StoredTerm]:
        """The imported gazetteer terms (of one list, when ``source`` is given)."""
        query = select(TermRow).order_by(TermRow.id)
        if source is not None:
            query = query.where(TermRow.source == source)
        return [
            StoredTerm(row.id, row.term, row.label, bool(row.case_sensitive), row.source)
            for row in self.session.scalars(query)
        ]

    def add_terms(
        self, terms: Iterable[tuple[str, str, bool]], *, source: str | None = None
    ) -> int:
        """Add ``(term, label, case_sensitive)`` terms from the list ``source``; a term
        already stored with the same label gets the new case rule and source. Returns how
        many terms were added or changed."""
        wanted: dict[tuple[str, str], bool] = {}
        for term, label, case_sensitive in terms:
            wanted[(term, label)] = bool(case_sensitive)
        keys = list(wanted)
        changed = 0
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            existing = {
                (row.term, row.label): row
                for row in self.session.scalars(
                    select(TermRow).where(TermRow.term.in_({term for term, _ in chunk}))
                )
            }
            for key in chunk:
                row = existing.get(key)
                if row is None:
                    self.session.add(
                        TermRow(
                            term=key[0], label=key[1], case_sensitive=wanted[key], source=source
                        )
                    )
                    changed += 1
                elif row.case_sensitive != wanted[key] or row.source != source:
                    row.case_sensitive = wanted[key]
                    row.source = source
                    changed += 1
            self.session.flush()
        return changed

    def delete_terms(self, *, source: str | None = None, label: str | None = None) -> int:
        """Delete imported terms: those of one list and/or label, or all of them."""
        conditions = []
        if source is not None:
            conditions.append(TermRow.source == source)
        if label is not None:
            conditions.append(TermRow.label == label)
        result = self.session.execute(delete(TermRow).where(*conditions))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def term_count(self) -> int:
        return self.session.scalar(select(func.count(TermRow.id))) or 0

    # -- trained models (annotator.services.training) ---------------------------------------

    def save_model(
        self, kind: str, data: bytes, *, trained_documents: int, metrics: dict[str, Any]
    ) -> StoredModel:
        """Store a trained model of ``kind``; it becomes the project's latest of that kind."""
        row = ModelRow(
            kind=kind, data=data, trained_documents=trained_documents, metrics=dict(metrics)
        )
        self.session.add(row)
        self.session.flush()
        return _stored_model(row.id, row.kind, row.created_at, row.trained_documents, row.metrics)

    def latest_model(self, kind: str) -> StoredModel | None:
        """The newest model of ``kind`` without its bytes (cheap: suggesters ask this to know
        their version), or ``None`` when none was trained."""
        row = self.session.execute(
            select(
                ModelRow.id,
                ModelRow.kind,
                ModelRow.created_at,
                ModelRow.trained_documents,
                ModelRow.metrics,
            )
            .where(ModelRow.kind == kind)
            .order_by(ModelRow.id.desc())
            .limit(1)
        ).first()
        return None if row is None else _stored_model(*row)

    def model_data(self, model_id: int) -> bytes:
        data = self.session.scalar(select(ModelRow.data).where(ModelRow.id == model_id))
        if data is None:
            raise NotFoundError(f"no trained model with id {model_id}")
        return bytes(data)

    def prune_models(self, kind: str, *, keep: int) -> int:
        """Delete all but the newest ``keep`` models of ``kind`` (each is megabytes)."""
        kept = select(ModelRow.id).where(ModelRow.kind == kind).order_by(ModelRow.id.desc())
        newest = list(self.session.scalars(kept.limit(max(keep, 0))))
        query = delete(ModelRow).where(ModelRow.kind == kind)
        if newest:
            query = query.where(ModelRow.id.not_in(newest))
        return int(self.session.execute(query).rowcount or 0)  # type: ignore[attr-defined]

    def done_documents(
        self, annotator: str | None = None, *, limit: int | None = None
    ) -> list[tuple[int, str]]:
        """``(document id, annotator)`` for every document an annotator (``annotator`` only,
        when given) marked done, in document order; with ``limit``, the most recently
        finished ones."""
        query = (
            select(DocumentStatusRow.document_id, Annotator.name)
            .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
            .where(DocumentStatusRow.status == Status.DONE.value)
        )
        if annotator is not None:
            query = query.where(Annotator.name == annotator)
        if limit is not None:
            query = query.order_by(
                DocumentStatusRow.updated_at.desc(), DocumentStatusRow.document_id.desc()
            ).limit(limit)
        rows = [(row[0], row[1]) for row in self.session.execute(query)]
        return sorted(rows)

    def done_document_count(self, annotator: str | None = None) -> int:
        """How many documents are done (by ``annotator``, or by anyone: each counted once)."""
        query = select(func.count(func.distinct(DocumentStatusRow.document_id))).where(
            DocumentStatusRow.status == Status.DONE.value
        )
        if annotator is not None:
            query = query.where(
                DocumentStatusRow.annotator_id == self._maybe_annotator_id(annotator)
            )
        return self.session.scalar(query) or 0


_LAYERS = {layer.value: layer for layer in Layer}


def _span_order(span: Span) -> tuple[int, int, int]:
    return span.start, span.end, span.id or 0


def _json_object(raw: Any) -> dict[str, Any]:
    """A JSON object column read as text (see the bulk reads); a driver that parses JSON
    itself (psycopg) hands over the object instead."""
    if raw is None or raw == "{}":
        return {}
    if isinstance(raw, str | bytes):
        value = orjson.loads(raw)
        return value if isinstance(value, dict) else {}
    return dict(raw)


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    """``ids`` in pieces small enough for one ``IN (...)`` list on every backend."""
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A trained model kept in the project, without its bytes (see :meth:`Store.model_data`)."""

    id: int
    kind: str
    created_at: datetime | None
    trained_documents: int
    metrics: dict[str, Any]


def _stored_model(
    model_id: int, kind: str, created_at: datetime | None, documents: int, metrics: Any
) -> StoredModel:
    # SQLite hands back naive datetimes; every stamp we write is UTC.
    if created_at is not None and created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return StoredModel(model_id, kind, created_at, documents, dict(metrics or {}))
