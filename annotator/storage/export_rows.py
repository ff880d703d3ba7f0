"""What the native export reads: one batch of documents as plain rows, straight from the
database driver's own cursor (docs/adr/0027-export-reads-plain-rows.md).

A native export writes every field of every span of the project, so its read is most of its
cost: through SQLAlchemy's result rows and one frozen ``Span`` per span it was five times the
whole bare read and write of the benchmark's floor. Here each table is one query per batch on
the DBAPI cursor of the unit's connection (the same transaction), the rows come back as the
driver's tuples, and values the export writes as they are (a span's export id, an empty JSON
object) are made by the database. Kept out of :class:`~annotator.storage.store.Store`: it
serves the native export only.

Every row layout is a tuple whose positions are given below; the native record builder
(:mod:`annotator.export.native_rows`) reads them by position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from annotator.core.model import DocumentState, Status
from annotator.storage.store import Store

#: ``(id, export id, title, text, source, meta as JSON text or None when empty)``.
_DOCUMENTS = (
    "SELECT id, COALESCE(external_id, CAST(id AS TEXT)), title, text, source, "
    "NULLIF(CAST(meta AS TEXT), '{{}}') FROM documents WHERE {where} ORDER BY id"
)
#: A span's id in an export: its imported id when it has one, else ``T<database id>``
#: (as :func:`annotator.export.document.span_key`).
_KEY = "COALESCE(NULLIF({t}.ref, ''), 'T' || CAST({t}.id AS TEXT))"
#: ``(document id, export id, start, end, label, annotator id, origin, attributes as JSON
#: text or None when empty)``, each document's in ``(start, end, id)`` order.
_ENTITIES = (
    f'SELECT s.document_id, {_KEY.format(t="s")}, s.start, s."end", s.label, s.annotator_id, '
    "s.origin, NULLIF(CAST(s.attributes AS TEXT), '{{}}') FROM spans s "
    "WHERE s.layer = 'entity' AND {where} ORDER BY s.document_id, s.start, s.\"end\", s.id"
)
#: The entity columns, then the claim's details (``details`` is None when the claim has no
#: claims row): ``details, cue start, cue end, type, hedged``, and its claimant span's
#: ``document id, annotator id, layer, export id`` (all None without a claimant).
_CLAIMS = (
    f'SELECT s.document_id, {_KEY.format(t="s")}, s.start, s."end", s.label, s.annotator_id, '
    "s.origin, NULLIF(CAST(s.attributes AS TEXT), '{{}}'), "
    "c.span_id, c.cue_start, c.cue_end, c.claim_type, c.hedged, "
    f"t.document_id, t.annotator_id, t.layer, {_KEY.format(t='t')} "
    "FROM spans s LEFT JOIN claims c ON c.span_id = s.id "
    "LEFT JOIN spans t ON t.id = c.claimant_id "
    "WHERE s.layer = 'claim' AND {where} ORDER BY s.document_id, s.start, s.\"end\", s.id"
)
#: ``(document id, annotator id, status, seconds spent)``.
_STATUSES = (
    "SELECT s.document_id, s.annotator_id, s.status, s.seconds_spent FROM document_status s "
    "WHERE {where} ORDER BY s.document_id"
)
#: ``(document id, annotator id, layer, start, end, label, suggester)`` of rejections.
_REJECTED = (
    'SELECT s.document_id, s.annotator_id, s.layer, s.start, s."end", s.label, s.suggester '
    "FROM decisions s WHERE s.decision = 'rejected' AND {where} "
    'ORDER BY s.document_id, s.start, s."end", s.id'
)
#: ``(document id, start, end, reason)``.
_IGNORED = (
    'SELECT s.document_id, s.start, s."end", s.reason FROM ignored_ranges s WHERE {where} '
    'ORDER BY s.document_id, s.start, s."end", s.id'
)
#: ``(document id, start, end, layer, label, suggester, score, reason, attributes as JSON
#: text or None)``.
_SUGGESTIONS = (
    'SELECT s.document_id, s.start, s."end", s.layer, s.label, s.suggester, s.score, s.reason, '
    "CAST(s.attributes AS TEXT) FROM suggestions s WHERE {where} "
    'ORDER BY s.document_id, s.start, s."end", s.id'
)


class ExportRows(NamedTuple):
    """One batch of documents as the native export reads them; lists of driver tuples, each
    in document order (layouts in the module's query constants)."""

    documents: list[tuple[Any, ...]]
    entities: list[tuple[Any, ...]]
    claims: list[tuple[Any, ...]]
    statuses: list[tuple[Any, ...]]
    rejected: list[tuple[Any, ...]]
    ignored: list[tuple[Any, ...]]
    #: ``None`` unless asked for.
    suggestions: list[tuple[Any, ...]] | None
    #: Annotator id -> name, for every annotator of the project.
    annotators: dict[int, str]


def export_rows(
    store: Store, ids: Sequence[int], *, annotator: str | None = None, suggestions: bool = False
) -> ExportRows:
    """The rows of the documents ``ids`` (ascending), of ``annotator`` only when given (spans,
    statuses and rejections; ``None``: everyone's), with pending suggestions if asked.

    Consecutive ids are read as one id range; others as an ``IN`` list of exactly them (a
    range over the documents an ``--only-done`` export leaves out would read their texts).
    """
    if not ids:
        return ExportRows([], [], [], [], [], [], [] if suggestions else None, {})
    store.session.flush()  # the statements bypass the ORM: its pending changes first
    connection = store.session.connection()
    mark, among, params = _among(connection.dialect.paramstyle, ids)
    where = f"s.document_id {among}"
    only: list[int] = []
    if annotator is not None:
        only = [store.existing_annotator_id(annotator)]
    by_annotator = f"{where} AND s.annotator_id = {mark}" if only else where
    cursor = connection.connection.cursor()
    try:

        def rows(query: str, condition: str, values: list[Any]) -> list[tuple[Any, ...]]:
            cursor.execute(query.format(where=condition), values)
            return cursor.fetchall()

        return ExportRows(
            documents=rows(_DOCUMENTS, f"id {among}", params),
            entities=rows(_ENTITIES, by_annotator, params + only),
            claims=rows(_CLAIMS, by_annotator, params + only),
            statuses=rows(_STATUSES, by_annotator, params + only),
            rejected=rows(_REJECTED, by_annotator, params + only),
            ignored=rows(_IGNORED, where, params),
            suggestions=rows(_SUGGESTIONS, where, params) if suggestions else None,
            annotators=dict(rows("SELECT id, name FROM annotators", "", [])),
        )
    finally:
        cursor.close()


def _among(paramstyle: str, ids: Sequence[int]) -> tuple[str, str, list[Any]]:
    """The parameter mark, the condition choosing ``ids`` (ascending) and its parameters:
    consecutive ids as one range, others as an ``IN`` list of exactly them."""
    # psycopg takes %s where sqlite3 takes ?: the only difference in these statements.
    mark = "?" if paramstyle == "qmark" else "%s"
    if ids[-1] - ids[0] + 1 == len(ids):
        return mark, f"BETWEEN {mark} AND {mark}", [ids[0], ids[-1]]
    return mark, f"IN ({', '.join([mark] * len(ids))})", list(ids)


#: ``(id, external id, title, text, source)``.
_TOKEN_DOCUMENTS = (
    "SELECT id, external_id, title, text, source FROM documents WHERE {where} ORDER BY id"
)
#: ``(document id, id, layer, start, end, label, annotator id, attributes as JSON text or None
#: when empty, ref, then the claim's details: span id (None: no claims row), claimant id, cue
#: start, cue end, type, hedged)``, each document's in ``(start, end, id)`` order.
_TOKEN_SPANS = (
    'SELECT s.document_id, s.id, s.layer, s.start, s."end", s.label, s.annotator_id, '
    "NULLIF(CAST(s.attributes AS TEXT), '{{}}'), s.ref, "
    "c.span_id, c.claimant_id, c.cue_start, c.cue_end, c.claim_type, c.hedged "
    "FROM spans s LEFT JOIN claims c ON c.span_id = s.id "
    'WHERE {where} ORDER BY s.document_id, s.start, s."end", s.id'
)


class TokenRows(NamedTuple):
    """One batch of documents as the token formats read them (layouts in the query
    constants above)."""

    documents: list[tuple[Any, ...]]
    spans: list[tuple[Any, ...]]
    #: Annotator id -> name, for every annotator of the project.
    annotators: dict[int, str]


def token_rows(store: Store, ids: Sequence[int], *, annotator: str | None = None) -> TokenRows:
    """The documents ``ids`` (ascending) and their entities and claims (of ``annotator`` only
    when given), as driver tuples: what the token formats write, without a ``Span`` per span
    (docs/adr/0027-export-reads-plain-rows.md)."""
    if not ids:
        return TokenRows([], [], {})
    store.session.flush()  # the statements bypass the ORM: its pending changes first
    connection = store.session.connection()
    mark, among, params = _among(connection.dialect.paramstyle, ids)
    where = f"s.document_id {among}"
    if annotator is not None:
        where += f" AND s.annotator_id = {mark}"
        spans_params = [*params, store.existing_annotator_id(annotator)]
    else:
        spans_params = params
    cursor = connection.connection.cursor()
    try:
        cursor.execute(_TOKEN_DOCUMENTS.format(where=f"id {among}"), params)
        documents = cursor.fetchall()
        cursor.execute(_TOKEN_SPANS.format(where=where), spans_params)
        spans = cursor.fetchall()
        cursor.execute("SELECT id, name FROM annotators")
        annotators = dict(cursor.fetchall())
    finally:
        cursor.close()
    return TokenRows(documents, spans, annotators)


class PlanPage(NamedTuple):
    """One page of the export plan: ``(id, external id, source)`` of each document, in id
    order, and every annotator's status of them (by document, in annotator name order)."""

    index: list[tuple[int, str | None, str | None]]
    states: dict[int, list[DocumentState]]


def plan_page(store: Store, *, after_id: int = 0, limit: int = 1000) -> PlanPage:
    """The documents with ``id > after_id``, up to ``limit`` of them, and their statuses: what
    an export needs to choose what goes out, without texts (keyset pagination). The statuses
    are read by the page's id range, so no list of ids is bound."""
    store.session.flush()  # the statements bypass the ORM: its pending changes first
    connection = store.session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    cursor = connection.connection.cursor()
    try:
        cursor.execute(
            f"SELECT id, external_id, source FROM documents WHERE id > {mark} ORDER BY id "
            f"LIMIT {mark}",
            (after_id, limit),
        )
        index = cursor.fetchall()
        states: dict[int, list[DocumentState]] = {}
        if index:
            cursor.execute(
                "SELECT s.document_id, a.name, s.status, s.seconds_spent, s.skip_reason "
                "FROM document_status s JOIN annotators a ON a.id = s.annotator_id "
                f"WHERE s.document_id BETWEEN {mark} AND {mark}",
                (index[0][0], index[-1][0]),
            )
            # Sorted here: names in code point order on every backend (as Store.states).
            for doc_id, name, status, seconds, reason in sorted(cursor.fetchall()):
                states.setdefault(doc_id, []).append(
                    DocumentState(doc_id, name, Status(status), float(seconds or 0.0), reason)
                )
    finally:
        cursor.close()
    return PlanPage(index, states)
