"""Decisions on suggestions: an annotator's accept or reject, keyed by the span it names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from annotator.core.model import Decision, Layer, SuggestionDecision
from annotator.storage import convert
from annotator.storage.bulk import chunks
from annotator.storage.orm import Annotator, DecisionRow, utcnow
from annotator.storage.unit import Unit


class Decisions(Unit):
    """Accept/reject decisions on suggestions."""

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
        """The document's decisions (of ``annotator`` only, when given) in span order."""
        return self.decisions_by_documents([document_id], annotator).get(document_id, [])

    def decisions_by_documents(
        self, ids: Sequence[int], annotator: str | None = None
    ) -> dict[int, list[SuggestionDecision]]:
        """The accept/reject decisions on each of these documents (of ``annotator`` only,
        when given) in ``(start, end, id)`` order; documents without any are absent."""
        result: dict[int, list[SuggestionDecision]] = {}
        self.session.flush()  # the statement bypasses the ORM: its pending changes first
        for chunk in chunks(ids):
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
