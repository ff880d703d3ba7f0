"""Rows to core values. Kept in one place so every repository returns the same shapes."""

from __future__ import annotations

from annotator.core.model import (
    Decision,
    DocumentState,
    Layer,
    Status,
    Suggestion,
    SuggestionDecision,
)
from annotator.storage.orm import DecisionRow, SuggestionRow


def suggestion(row: SuggestionRow) -> Suggestion:
    return Suggestion(
        id=row.id,
        document_id=row.document_id,
        layer=Layer(row.layer),
        start=row.start,
        end=row.end,
        label=row.label,
        suggester=row.suggester,
        score=row.score,
        reason=row.reason,
        attributes=dict(row.attributes or {}),
    )


def decision(row: DecisionRow, annotator: str) -> SuggestionDecision:
    return SuggestionDecision(
        document_id=row.document_id,
        annotator=annotator,
        layer=Layer(row.layer),
        start=row.start,
        end=row.end,
        label=row.label,
        decision=Decision(row.decision),
        suggester=row.suggester,
    )


def state(document_id: int, annotator: str, row: object | None) -> DocumentState:
    if row is None:
        return DocumentState(document_id, annotator)
    return DocumentState(
        document_id=document_id,
        annotator=annotator,
        status=Status(row.status),  # type: ignore[attr-defined]
        seconds_spent=float(row.seconds_spent),  # type: ignore[attr-defined]
        skip_reason=row.skip_reason,  # type: ignore[attr-defined]
    )
