"""Rows to core values. Kept in one place so every repository returns the same shapes."""

from __future__ import annotations

from annotator.core.model import (
    ClaimDetails,
    Decision,
    Document,
    DocumentState,
    Layer,
    Span,
    Status,
    Suggestion,
    SuggestionDecision,
)
from annotator.storage.orm import ClaimRow, DecisionRow, DocumentRow, SpanRow, SuggestionRow


def document(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        external_id=row.external_id,
        title=row.title,
        text=row.text,
        source=row.source,
        meta=dict(row.meta or {}),
        sha256=row.sha256,
        imported_at=row.imported_at,
    )


def span(row: SpanRow, annotator: str, claim: ClaimRow | None) -> Span:
    details = None
    if claim is not None:
        cue = None
        if claim.cue_start is not None and claim.cue_end is not None:
            cue = (claim.cue_start, claim.cue_end)
        details = ClaimDetails(claim.claimant_id, cue, claim.claim_type, bool(claim.hedged))
    return Span(
        id=row.id,
        document_id=row.document_id,
        layer=Layer(row.layer),
        start=row.start,
        end=row.end,
        label=row.label,
        annotator=annotator,
        origin=row.origin,
        attributes=dict(row.attributes or {}),
        claim=details,
        ref=row.ref,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


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
