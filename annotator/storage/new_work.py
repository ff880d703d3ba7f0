"""The work that comes with newly imported documents (spans, claims, rejections, statuses),
stored a batch at a time.

An import of annotated documents stores thousands of spans per batch. Added one at a time
through the ORM (an insert, a flush and a read-back each) that was most of the import's time;
here each table gets one ``executemany`` per batch, and each span's row is built straight from
the value the import read (docs/adr/0033-native-import-rows.md). The checks ``Spans.add_span``
makes stay: a span or cue past the end of its document is refused, naming the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

import orjson
from sqlalchemy import Connection, Table, func, select

from annotator.core.errors import NotFoundError, StorageError
from annotator.core.model import MANUAL, Layer, Status, SuggestionDecision
from annotator.storage.bulk import SQLITE_TIME, chunks
from annotator.storage.orm import (
    ClaimRow,
    DecisionRow,
    DocumentRow,
    DocumentStatusRow,
    SpanRow,
    utcnow,
)
from annotator.storage.unit import Unit


class NewSpan(Protocol):
    """What is stored of a span of a new document. The import hands over the values it read
    (immutable tuples with these fields) as they are: a second value per span, built only to
    be taken apart into its row, cost more than storing it."""

    @property
    def ref(self) -> str | None: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...
    #: ``None``: the span is its work's ``owner``'s.
    @property
    def annotator(self) -> str | None: ...
    #: Empty: ``manual``.
    @property
    def origin(self) -> str: ...
    @property
    def attributes(self) -> Mapping[str, Any]: ...


class NewEntity(NewSpan, Protocol):
    #: The name claims of the same document cite it by, or ``None``.
    @property
    def cited_as(self) -> str | None: ...


class NewClaim(NewSpan, Protocol):
    #: The ``cited_as`` of an entity of the same document, or ``None`` (unattributed; a name
    #: no entity has is stored as unattributed too).
    @property
    def claimant(self) -> str | None: ...
    @property
    def cue(self) -> tuple[int, int] | None: ...
    @property
    def claim_type(self) -> str: ...
    @property
    def hedged(self) -> bool: ...


#: A new document's status for one annotator: ``(annotator, status, seconds spent)``.
NewState = tuple[str, Status, float]


class NewWork(NamedTuple):
    """Everything one newly stored document brings with it: a tuple, as one is built per
    document (docs/adr/0030-native-import-rows.md). ``owner`` owns each span that names
    no annotator."""

    document_id: int
    owner: str
    entities: Sequence[NewEntity] = ()
    claims: Sequence[NewClaim] = ()
    decisions: Sequence[SuggestionDecision] = ()
    states: Sequence[NewState] = ()


#: A span's row without its id: ``(document_id, layer, start, end, label, annotator_id,
#: origin, attributes, ref, created_at, updated_at)``; on SQLite the attributes are JSON text
#: and the times text, as SQLAlchemy's types would bind them.
_SpanRow = tuple[int, str, int, int, str, int, str, Any, "str | None", Any, Any]
_SPAN_COLUMNS = (
    "document_id",
    "layer",
    "start",
    "end",
    "label",
    "annotator_id",
    "origin",
    "attributes",
    "ref",
    "created_at",
    "updated_at",
)


class NewWorkWrites(Unit):
    """Bulk inserts of the work of new documents."""

    def add_new_work(self, works: Sequence[NewWork]) -> None:
        """Store the spans, claims, decisions and statuses of documents that have none yet
        (just inserted in this transaction). A later decision or status with the same key as
        an earlier one replaces it, as ``set_decision`` and ``set_state`` would."""
        works = [w for w in works if w.entities or w.claims or w.decisions or w.states]
        if not works:
            return
        conn = self.session.connection()
        when = _when(conn, utcnow())
        entities = self._span_rows(conn, works, Layer.ENTITY, when)
        claims = self._span_rows(conn, works, Layer.CLAIM, when)
        self._check_new_spans(conn, works, entities, claims)
        entity_ids = self._insert_spans(conn, entities)
        claim_ids = self._insert_spans(conn, claims)
        self._insert_claims(conn, works, entity_ids, claim_ids)
        self._insert_decisions(conn, [d for w in works for d in w.decisions], when)
        self._insert_states(conn, works, when)

    def _span_rows(
        self, conn: Connection, works: Sequence[NewWork], layer: Layer, when: Any
    ) -> list[_SpanRow]:
        """The rows of the entities or claims of ``works``, in order."""
        entity = layer is Layer.ENTITY
        ids = _AnnotatorIds(self)
        kind = layer.value
        by_document = ((w.document_id, w.owner, w.entities if entity else w.claims) for w in works)
        if conn.dialect.name != "sqlite":
            # SQLAlchemy's JSON type takes the mapping.
            return [
                (
                    doc_id,
                    kind,
                    s.start,
                    s.end,
                    s.label,
                    ids[s.annotator or owner],
                    s.origin or MANUAL,
                    dict(s.attributes),
                    s.ref,
                    when,
                    when,
                )
                for doc_id, owner, spans in by_document
                for s in spans
            ]
        # The driver takes no mapping: the JSON column is bound as the text SQLAlchemy's JSON
        # type would write (written out here: a call per span costs as much as the rest).
        return [
            (
                doc_id,
                kind,
                s.start,
                s.end,
                s.label,
                ids[s.annotator or owner],
                s.origin or MANUAL,
                orjson.dumps(dict(s.attributes)).decode() if s.attributes else "{}",
                s.ref,
                when,
                when,
            )
            for doc_id, owner, spans in by_document
            for s in spans
        ]

    def _check_new_spans(
        self,
        conn: Connection,
        works: Sequence[NewWork],
        entities: Sequence[_SpanRow],
        claims: Sequence[_SpanRow],
    ) -> None:
        """Refuse a span or cue outside its document, or offsets out of order."""
        ids = [w.document_id for w in works if w.entities or w.claims]
        lengths = self._lengths(conn, ids)
        for doc_id in ids:
            if doc_id not in lengths:
                raise NotFoundError(f"no document with id {doc_id}")
        cues = [(w.document_id, *c.cue) for w in works for c in w.claims if c.cue is not None]
        # One comparison per span; the loops below only run to name a bad one.
        if (
            all(0 <= r[2] < r[3] <= lengths[r[0]] for r in entities)
            and all(0 <= r[2] < r[3] <= lengths[r[0]] for r in claims)
            and all(0 <= start < end <= lengths[doc] for doc, start, end in cues)
        ):
            return
        for doc_id, _, start, end, *_ in (*entities, *claims):
            if not 0 <= start < end:
                raise ValueError(f"span offsets must satisfy 0 <= start < end, got {start}..{end}")
            if end > lengths[doc_id]:
                raise NotFoundError(
                    f"span {start}..{end} is past the end of document {doc_id} "
                    f"({lengths[doc_id]} characters)"
                )
        for doc_id, cue_start, cue_end in cues:
            if not 0 <= cue_start < cue_end <= lengths[doc_id]:
                raise NotFoundError(f"cue {cue_start}..{cue_end} is outside the document")

    def _lengths(self, conn: Connection, ids: Sequence[int]) -> Mapping[int, int]:
        """``document id -> length of its text`` of the documents with these ids: known for
        those inserted in this unit (an import's), read for the others."""
        known = self._inserted_lengths
        missing = [doc_id for doc_id in ids if doc_id not in known]
        if not missing:
            return known
        lengths = dict(known)
        for chunk in chunks(missing):
            if conn.dialect.name == "sqlite":
                # A plain statement on the driver: SQLAlchemy's building of an ``IN`` of
                # many ids costs more than the look-up.
                marks = ", ".join("?" * len(chunk))
                found = conn.exec_driver_sql(
                    f"SELECT id, length(text) FROM documents WHERE id IN ({marks})", tuple(chunk)
                )
            else:
                found = conn.execute(
                    select(DocumentRow.id, func.length(DocumentRow.text)).where(
                        DocumentRow.id.in_(chunk)
                    )
                )
            lengths.update({doc_id: length for doc_id, length in found})
        return lengths

    def _insert_spans(self, conn: Connection, rows: Sequence[_SpanRow]) -> list[int]:
        """Insert span rows (their ids are the database's); their ids, in order."""
        if not rows:
            return []
        if conn.dialect.name == "sqlite":
            # Write transactions hold SQLite's write lock from BEGIN, and a new row takes
            # max(id) + 1: the rows inserted here get the ids after the highest one, in order.
            before = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM spans").scalar_one()
            conn.exec_driver_sql(
                'INSERT INTO spans (document_id, layer, start, "end", label, annotator_id, '
                "origin, attributes, ref, created_at, updated_at, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                rows,
            )
            after = conn.exec_driver_sql("SELECT max(id) FROM spans").scalar_one()
            if after != before + len(rows):
                raise StorageError("span ids were not handed out in order; nothing was stored")
            return list(range(before + 1, after + 1))
        table = SpanRow.__table__
        found = conn.execute(
            table.insert().returning(table.c.id, sort_by_parameter_order=True),
            [{**dict(zip(_SPAN_COLUMNS, row, strict=True)), "version": 1} for row in rows],
        )
        return [row[0] for row in found]

    def _insert_claims(
        self,
        conn: Connection,
        works: Sequence[NewWork],
        entity_ids: Sequence[int],
        claim_ids: Sequence[int],
    ) -> None:
        """The claim details of the claims of ``works`` (stored with ``claim_ids``), each
        citing its claimant by the id its entity got (of ``entity_ids``)."""
        rows: list[tuple[Any, ...]] = []
        span_ids = iter(claim_ids)
        at = 0
        for work in works:
            count = len(work.entities)
            if work.claims:
                ids = entity_ids[at : at + count]
                cited = dict(zip(map(_cited_as, work.entities), ids, strict=True))
                rows.extend(
                    (
                        next(span_ids),
                        cited.get(c.claimant) if c.claimant else None,
                        *(c.cue or (None, None)),
                        c.claim_type,
                        c.hedged,
                    )
                    for c in work.claims
                )
            at += count
        names = ("span_id", "claimant_id", "cue_start", "cue_end", "claim_type", "hedged")
        _insert_tuples(conn, ClaimRow.__table__, names, rows)

    def _insert_decisions(
        self, conn: Connection, decisions: Iterable[SuggestionDecision], when: Any
    ) -> None:
        rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for d in decisions:
            annotator_id = self.annotator_id(d.annotator)
            key = (d.document_id, annotator_id, d.layer.value, d.start, d.end, d.label)
            rows[key] = (*key, d.decision.value, d.suggester, when)
        names = (
            "document_id",
            "annotator_id",
            "layer",
            "start",
            "end",
            "label",
            "decision",
            "suggester",
            "decided_at",
        )
        _insert_tuples(conn, DecisionRow.__table__, names, list(rows.values()))

    def _insert_states(self, conn: Connection, works: Sequence[NewWork], when: Any) -> None:
        rows: dict[tuple[int, int], tuple[Any, ...]] = {}
        for work in works:
            for name, status, seconds in work.states:
                key = (work.document_id, self.annotator_id(name))
                rows[key] = (*key, status.value, seconds, None, when)
        names = (
            "document_id",
            "annotator_id",
            "status",
            "seconds_spent",
            "skip_reason",
            "updated_at",
        )
        _insert_tuples(conn, DocumentStatusRow.__table__, names, list(rows.values()))


_cited_as = attrgetter("cited_as")


class _AnnotatorIds(dict[str, int]):
    """``name -> annotator id``, each name looked up (or registered) when first asked for:
    a row is built with a plain look-up, without a first pass to gather the names."""

    def __init__(self, unit: Unit) -> None:
        super().__init__()
        self._unit = unit

    def __missing__(self, name: str) -> int:
        found = self[name] = self._unit.annotator_id(name)
        return found


def _when(conn: Connection, now: datetime) -> Any:
    """``now`` as a bound value: on SQLite the text SQLAlchemy's DateTime would store."""
    return now.strftime(SQLITE_TIME) if conn.dialect.name == "sqlite" else now


def _insert_tuples(
    conn: Connection, table: Table, names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (plain values in the order of ``names``, times from :func:`_when`):
    on SQLite one ``executemany`` of the tuples as they are (it binds a bool as 0 or 1)."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])
        return
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", rows)
