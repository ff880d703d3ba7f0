"""Spans (entities and claims) of every annotator: the facts commands change."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Text, delete, func, select, type_coerce, update

from annotator.core.errors import NotFoundError
from annotator.core.model import ClaimDetails, Layer, Span
from annotator.storage import sequences, span_conflicts
from annotator.storage.bulk import chunks, json_object
from annotator.storage.orm import Annotator, ClaimRow, DocumentRow, SpanRow
from annotator.storage.unit import Unit


class Spans(Unit):
    """Reads and writes of spans and their claim details."""

    def spans(
        self, document_id: int, annotator: str | None = None, layer: Layer | None = None
    ) -> list[Span]:
        """One document's spans (of ``annotator``, of ``layer``, when given) in ``(start, end,
        id)`` order, with their versions and timestamps."""
        found = self.spans_by_documents([document_id], annotator, layer, with_times=True)
        return found.get(document_id, [])

    def get_span(self, span_id: int) -> Span:
        found = self._read_spans(SpanRow.id == span_id, with_times=True)
        if not found:
            raise NotFoundError(f"no span with id {span_id}")
        return found[0]

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
        """The claims whose claimant is ``span_id``, in id order."""
        citing = select(ClaimRow.span_id).where(ClaimRow.claimant_id == span_id)
        return sorted(
            self._read_spans(SpanRow.id.in_(citing), with_times=True), key=lambda s: s.id or 0
        )

    def span_count(self) -> int:
        return self.session.scalar(select(func.count(SpanRow.id))) or 0

    def spans_by_documents(
        self,
        ids: Sequence[int],
        annotator: str | None = None,
        layer: Layer | None = None,
        *,
        with_times: bool = False,
    ) -> dict[int, list[Span]]:
        """The spans of each of these documents (of ``annotator``, of ``layer``, when given),
        each document's in ``(start, end, id)`` order; documents without spans are absent.
        Timestamps only ``with_times`` (no export carries them, and parsing them is a cost
        per span); versions always."""
        result: dict[int, list[Span]] = {}
        for chunk in chunks(ids):
            conditions = [SpanRow.document_id.in_(chunk)]
            if annotator is not None:
                conditions.append(Annotator.name == annotator)
            if layer is not None:
                conditions.append(SpanRow.layer == layer.value)
            for span in self._read_spans(*conditions, with_times=with_times):
                result.setdefault(span.document_id, []).append(span)
        # Sorted here, per document: cheaper than SQL's sort of the whole batch. Stored spans
        # always have an id, so the key is read in C.
        for spans in result.values():
            spans.sort(key=_STORED_ORDER)
        return result

    def _read_spans(self, *conditions: ColumnElement[bool], with_times: bool) -> list[Span]:
        """The one query every span read goes through: spans with their annotator's name and
        claim details, as a Core statement building values from plain column tuples (see
        :mod:`annotator.storage.bulk`)."""
        columns: list[Any] = [
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
            SpanRow.version,
            ClaimRow.span_id,
            ClaimRow.claimant_id,
            ClaimRow.cue_start,
            ClaimRow.cue_end,
            ClaimRow.claim_type,
            ClaimRow.hedged,
        ]
        if with_times:
            columns += [SpanRow.created_at, SpanRow.updated_at]
        query = (
            select(*columns)
            .join(Annotator, Annotator.id == SpanRow.annotator_id)
            .outerjoin(ClaimRow, ClaimRow.span_id == SpanRow.id)
            .where(*conditions)
        )
        self.session.flush()  # the statement bypasses the ORM: its pending changes first
        found: list[Span] = []
        append = found.append
        # fetchall: one call building every row in C instead of one Python call per row. An
        # export reads tens of thousands of spans: arguments by position (cheaper than by
        # name), and the usual empty attributes without a call.
        for row in self.session.connection().execute(query).fetchall():
            details = None
            if row[11] is not None:
                cue = None if row[13] is None or row[14] is None else (row[13], row[14])
                details = ClaimDetails(row[12], cue, row[15], bool(row[16]))
            attributes = row[8]
            append(
                Span(
                    row[1],  # id
                    row[0],  # document_id
                    _LAYERS[row[2]],
                    row[3],  # start
                    row[4],  # end
                    row[5],  # label
                    row[6],  # annotator
                    row[7],  # origin
                    {} if attributes == "{}" else json_object(attributes),
                    details,
                    row[9],  # ref
                    row[17] if with_times else None,  # created_at
                    row[18] if with_times else None,  # updated_at
                    row[10],  # version
                )
            )
        return found

    def span_annotators_by_documents(self, ids: Sequence[int]) -> dict[int, set[str]]:
        """The annotators who have spans in each of these documents (absent: nobody)."""
        result: dict[int, set[str]] = {}
        for chunk in chunks(ids):
            rows = self.session.connection().execute(
                select(SpanRow.document_id, Annotator.name)
                .join(Annotator, Annotator.id == SpanRow.annotator_id)
                .where(SpanRow.document_id.in_(chunk))
                .distinct()
            )
            for doc_id, name in rows:
                result.setdefault(doc_id, set()).add(name)
        return result


_LAYERS = {layer.value: layer for layer in Layer}


#: ``(start, end, id)`` of a stored span.
_STORED_ORDER = operator.attrgetter("start", "end", "id")
