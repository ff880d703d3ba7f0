"""The work that comes with newly imported documents (spans, claims, rejections, statuses),
stored a batch at a time.

An import of annotated documents stores thousands of spans per batch. Added one at a time
through the ORM (an insert, a flush and a read-back each) that was most of the import's time;
here each table gets one ``executemany`` per batch. The checks ``Spans.add_span`` makes stay:
a span or cue past the end of its document is refused, naming the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, func, select

from annotator.core.errors import NotFoundError, StorageError
from annotator.core.model import DocumentState, Span, SuggestionDecision
from annotator.storage.bulk import SQLITE_TIME, chunks, insert_rows
from annotator.storage.orm import (
    ClaimRow,
    DecisionRow,
    DocumentRow,
    DocumentStatusRow,
    SpanRow,
    utcnow,
)
from annotator.storage.unit import Unit


@dataclass(frozen=True, slots=True)
class NewWork:
    """Everything one newly stored document brings with it.

    ``cited_as[i]`` is the name claims use for ``entities[i]`` in the file (or None);
    ``claimants[j]`` is the name of the entity ``claims[j]`` cites (or None). A claim's
    ``claim.claimant_id`` is ignored: its claimant is only known once the entities have ids.
    """

    document_id: int
    entities: Sequence[Span] = ()
    cited_as: Sequence[str | None] = ()
    claims: Sequence[Span] = ()
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
        entity_ids = self._insert_spans(conn, [s for w in works for s in w.entities], now)
        claim_rows: list[tuple[Span, int | None]] = []
        at = 0
        for work in works:
            ids = entity_ids[at : at + len(work.entities)]
            at += len(work.entities)
            refs = {name: i for name, i in zip(work.cited_as, ids, strict=True) if name is not None}
            claim_rows.extend(
                (claim, refs.get(claimant) if claimant else None)
                for claim, claimant in zip(work.claims, work.claimants, strict=True)
            )
        claim_ids = self._insert_spans(conn, [claim for claim, _ in claim_rows], now)
        self._insert_claims(conn, claim_rows, claim_ids)
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
            for span in (*work.entities, *work.claims):
                if span.end > length:
                    raise NotFoundError(
                        f"span {span.start}..{span.end} is past the end of document "
                        f"{span.document_id} ({length} characters)"
                    )
                cue = None if span.claim is None else span.claim.cue
                if cue is not None and not 0 <= cue[0] < cue[1] <= length:
                    raise NotFoundError(f"cue {cue[0]}..{cue[1]} is outside the document")

    def _insert_spans(self, conn: Connection, spans: Sequence[Span], now: Any) -> list[int]:
        """Insert new spans (their ids are the database's); their ids, in order."""
        if not spans:
            return []
        names = {span.annotator for span in spans}
        annotator_ids = {name: self.annotator_id(name) for name in sorted(names)}
        table = SpanRow.__table__
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
                        span.document_id,
                        span.layer.value,
                        span.start,
                        span.end,
                        span.label,
                        annotator_ids[span.annotator],
                        span.origin,
                        _json(span.attributes),
                        span.ref,
                        stamp,
                        stamp,
                    )
                    for span in spans
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
                    "document_id": span.document_id,
                    "layer": span.layer.value,
                    "start": span.start,
                    "end": span.end,
                    "label": span.label,
                    "annotator_id": annotator_ids[span.annotator],
                    "origin": span.origin,
                    "attributes": dict(span.attributes),
                    "ref": span.ref,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for span in spans
            ],
        )
        return [row[0] for row in rows]

    def _insert_claims(
        self, conn: Connection, claims: Sequence[tuple[Span, int | None]], ids: Sequence[int]
    ) -> None:
        values = []
        for (span, claimant), span_id in zip(claims, ids, strict=True):
            details = span.claim
            cue = None if details is None else details.cue
            values.append(
                {
                    "span_id": span_id,
                    "claimant_id": claimant,
                    "cue_start": None if cue is None else cue[0],
                    "cue_end": None if cue is None else cue[1],
                    "claim_type": "other" if details is None else details.claim_type,
                    "hedged": False if details is None else details.hedged,
                }
            )
        insert_rows(conn, ClaimRow.__table__, values)

    def _insert_decisions(
        self, conn: Connection, decisions: Iterable[SuggestionDecision], now: Any
    ) -> None:
        rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        for d in decisions:
            annotator_id = self.annotator_id(d.annotator)
            key = (d.document_id, annotator_id, d.layer.value, d.start, d.end, d.label)
            rows[key] = {
                "document_id": d.document_id,
                "annotator_id": annotator_id,
                "layer": d.layer.value,
                "start": d.start,
                "end": d.end,
                "label": d.label,
                "decision": d.decision.value,
                "suggester": d.suggester,
                "decided_at": now,
            }
        insert_rows(conn, DecisionRow.__table__, list(rows.values()))

    def _insert_states(self, conn: Connection, states: Iterable[DocumentState], now: Any) -> None:
        rows: dict[tuple[int, int], dict[str, Any]] = {}
        for state in states:
            annotator_id = self.annotator_id(state.annotator)
            rows[(state.document_id, annotator_id)] = {
                "document_id": state.document_id,
                "annotator_id": annotator_id,
                "status": state.status.value,
                "seconds_spent": state.seconds_spent,
                "skip_reason": state.skip_reason,
                "updated_at": now,
            }
        insert_rows(conn, DocumentStatusRow.__table__, list(rows.values()))


def _json(value: Any) -> str:
    return "{}" if not value else orjson.dumps(dict(value)).decode()
