"""The work that comes with newly imported documents (spans, claims, rejections, statuses),
stored a batch at a time.

An import of annotated documents stores thousands of spans per batch. Added one at a time
through the ORM (an insert, a flush and a read-back each) that was most of the import's time;
here each table gets one ``executemany`` per batch. The checks ``Spans.add_span`` makes stay:
a span or cue past the end of its document is refused, naming the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Table, func, select

from annotator.core.errors import NotFoundError, StorageError
from annotator.core.model import DocumentState, Layer, SuggestionDecision
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

#: A new span's values: ``(start, end, label, annotator, origin, attributes, ref)``. Plain
#: tuples, not :class:`Span`: an import builds ten of them per document, and a frozen
#: dataclass costs several times a tuple to build (docs/adr/0030-native-import-rows.md).
SpanValues = tuple[int, int, str, str, str, Mapping[str, Any], "str | None"]
#: A new claim's own values: ``(cue or None, claim type, hedged)``.
ClaimValues = tuple["tuple[int, int] | None", str, bool]


@dataclass(frozen=True, slots=True)
class NewWork:
    """Everything one newly stored document brings with it.

    ``cited_as[i]`` is the name claims use for ``entities[i]`` in the file (or None);
    ``claims[j]`` comes with ``claim_details[j]`` and cites the entity named
    ``claimants[j]`` (or None): its claimant is only known once the entities have ids.
    """

    document_id: int
    entities: Sequence[SpanValues] = ()
    cited_as: Sequence[str | None] = ()
    claims: Sequence[SpanValues] = ()
    claim_details: Sequence[ClaimValues] = ()
    claimants: Sequence[str | None] = ()
    decisions: Sequence[SuggestionDecision] = ()
    states: Sequence[DocumentState] = ()


class NewWorkWrites(Unit):
    """Bulk inserts of the work of new documents."""

    def add_new_work(self, works: Sequence[NewWork]) -> None:
        """Store the spans, claims, decisions and statuses of documents that have none yet
        (just inserted in this transaction). A later decision or status with the same key as
        an earlier one replaces it, as ``set_decision`` and ``set_state`` would."""
        works = [w for w in works if w.entities or w.claims or w.decisions or w.states]
        if not works:
            return
        self._check_new_spans(works)
        conn = self.session.connection()
        now = utcnow()
        entity_ids = self._insert_spans(conn, works, Layer.ENTITY, now)
        claimant_ids: list[int | None] = []
        at = 0
        for work in works:
            ids = entity_ids[at : at + len(work.entities)]
            at += len(work.entities)
            refs = {name: i for name, i in zip(work.cited_as, ids, strict=True) if name is not None}
            claimant_ids.extend(
                refs.get(claimant) if claimant else None
                for claimant in _same_length(work.claimants, work.claims)
            )
        claim_ids = self._insert_spans(conn, works, Layer.CLAIM, now)
        details = [d for w in works for d in _same_length(w.claim_details, w.claims)]
        self._insert_claims(conn, details, claimant_ids, claim_ids)
        self._insert_decisions(conn, [d for w in works for d in w.decisions], now)
        self._insert_states(conn, [s for w in works for s in w.states], now)

    def _check_new_spans(self, works: Sequence[NewWork]) -> None:
        lengths: dict[int, int] = {}
        ids = [w.document_id for w in works if w.entities or w.claims]
        for chunk in chunks(ids):
            rows = self.session.connection().execute(
                select(DocumentRow.id, func.length(DocumentRow.text)).where(
                    DocumentRow.id.in_(chunk)
                )
            )
            lengths.update({doc_id: length for doc_id, length in rows})
        for work in works:
            if not work.entities and not work.claims:
                continue
            length = lengths.get(work.document_id)
            if length is None:
                raise NotFoundError(f"no document with id {work.document_id}")
            # One comparison per span; the loop below only runs to name a bad one.
            spans = (*work.entities, *work.claims)
            cues = [c[0] for c in work.claim_details if c[0] is not None]
            if all(0 <= s[0] < s[1] <= length for s in spans) and all(
                0 <= c[0] < c[1] <= length for c in cues
            ):
                continue
            for start, end, *_ in spans:
                if not 0 <= start < end:
                    raise ValueError(
                        f"span offsets must satisfy 0 <= start < end, got {start}..{end}"
                    )
                if end > length:
                    raise NotFoundError(
                        f"span {start}..{end} is past the end of document "
                        f"{work.document_id} ({length} characters)"
                    )
            for cue_start, cue_end in cues:
                if not 0 <= cue_start < cue_end <= length:
                    raise NotFoundError(f"cue {cue_start}..{cue_end} is outside the document")

    def _insert_spans(
        self, conn: Connection, works: Sequence[NewWork], layer: Layer, now: Any
    ) -> list[int]:
        """Insert the new entities or claims of ``works`` (their ids are the database's);
        their ids, in order."""
        spans = [
            (w.document_id, s)
            for w in works
            for s in (w.entities if layer is Layer.ENTITY else w.claims)
        ]
        if not spans:
            return []
        names = {s[3] for _, s in spans}
        annotator_ids = {name: self.annotator_id(name) for name in sorted(names)}
        table = SpanRow.__table__
        kind = layer.value
        if conn.dialect.name == "sqlite":
            # Write transactions hold SQLite's write lock from BEGIN, and a new row takes
            # max(id) + 1: the rows inserted here get the ids after the highest one, in order.
            before = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            stamp = now.strftime(SQLITE_TIME)
            conn.exec_driver_sql(
                'INSERT INTO spans (document_id, layer, start, "end", label, annotator_id, '
                "origin, attributes, ref, version, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                [
                    (
                        doc_id,
                        kind,
                        start,
                        end,
                        label,
                        annotator_ids[name],
                        origin,
                        "{}" if not attributes else orjson.dumps(dict(attributes)).decode(),
                        ref,
                        stamp,
                        stamp,
                    )
                    for doc_id, (start, end, label, name, origin, attributes, ref) in spans
                ],
            )
            after = conn.execute(select(func.max(table.c.id))).scalar_one()
            if after != before + len(spans):
                raise StorageError("span ids were not handed out in order; nothing was stored")
            return list(range(before + 1, after + 1))
        rows = conn.execute(
            table.insert().returning(table.c.id, sort_by_parameter_order=True),
            [
                {
                    "document_id": doc_id,
                    "layer": kind,
                    "start": start,
                    "end": end,
                    "label": label,
                    "annotator_id": annotator_ids[name],
                    "origin": origin,
                    "attributes": dict(attributes),
                    "ref": ref,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for doc_id, (start, end, label, name, origin, attributes, ref) in spans
            ],
        )
        return [row[0] for row in rows]

    def _insert_claims(
        self,
        conn: Connection,
        details: Sequence[ClaimValues],
        claimants: Sequence[int | None],
        ids: Sequence[int],
    ) -> None:
        names = ("span_id", "claimant_id", "cue_start", "cue_end", "claim_type", "hedged")
        rows = [
            (span_id, claimant, *(cue or (None, None)), claim_type, hedged)
            for (cue, claim_type, hedged), claimant, span_id in zip(
                details, claimants, ids, strict=True
            )
        ]
        _insert_tuples(conn, ClaimRow.__table__, names, rows)

    def _insert_decisions(
        self, conn: Connection, decisions: Iterable[SuggestionDecision], now: Any
    ) -> None:
        when = _when(conn, now)
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

    def _insert_states(self, conn: Connection, states: Iterable[DocumentState], now: Any) -> None:
        when = _when(conn, now)
        rows: dict[tuple[int, int], tuple[Any, ...]] = {}
        for state in states:
            key = (state.document_id, self.annotator_id(state.annotator))
            rows[key] = (*key, state.status.value, state.seconds_spent, state.skip_reason, when)
        names = (
            "document_id",
            "annotator_id",
            "status",
            "seconds_spent",
            "skip_reason",
            "updated_at",
        )
        _insert_tuples(conn, DocumentStatusRow.__table__, names, list(rows.values()))


def _when(conn: Connection, now: datetime) -> Any:
    """``now`` as a bound value: on SQLite the text SQLAlchemy's DateTime would store."""
    return now.strftime(SQLITE_TIME) if conn.dialect.name == "sqlite" else now


def _same_length(values: Sequence[Any], of: Sequence[Any]) -> Sequence[Any]:
    if len(values) != len(of):
        raise ValueError(f"{len(values)} values for {len(of)} claims")
    return values


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
