"""Native JSONL (DESIGN.md section 7): lossless, one document per line, code-point offsets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from annotator.core.model import (
    Decision,
    Document,
    DocumentState,
    IgnoredRange,
    Layer,
    Span,
    Status,
    Suggestion,
    SuggestionDecision,
)

FORMAT = "annotator"

_RANK = {Status.NEW: 0, Status.IN_PROGRESS: 1, Status.SKIPPED: 2, Status.DONE: 3}


def span_key(span: Span) -> str:
    """The id a span has in the export: its imported id when it had one, else ``T<db id>``."""
    return span.ref if span.ref else f"T{span.id}"


def document_record(
    document: Document,
    spans: Sequence[Span],
    *,
    ignored: Sequence[IgnoredRange] = (),
    decisions: Sequence[SuggestionDecision] = (),
    states: Sequence[DocumentState] = (),
    suggestions: Sequence[Suggestion] | None = None,
) -> dict[str, Any]:
    """One native JSONL record. ``states`` are the annotators' statuses for this document."""
    keys = {span.id: span_key(span) for span in spans}
    text = document.text
    entities = [
        {
            "id": keys[s.id],
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "text": text[s.start : s.end],
            "annotator": s.annotator,
            "origin": s.origin,
            **({"attributes": s.attributes} if s.attributes else {}),
        }
        for s in spans
        if s.layer is Layer.ENTITY
    ]
    claims = []
    for s in spans:
        if s.layer is not Layer.CLAIM:
            continue
        details = s.claim
        assert details is not None
        claimant = details.claimant_id
        claims.append(
            {
                "id": keys[s.id],
                "start": s.start,
                "end": s.end,
                "text": text[s.start : s.end],
                "claimant": None if claimant is None else keys.get(claimant),
                "cue": None
                if details.cue is None
                else {"start": details.cue[0], "end": details.cue[1]},
                "type": details.claim_type,
                "hedged": details.hedged,
                "annotator": s.annotator,
                "origin": s.origin,
                **({"label": s.label} if s.label != "CLAIM" else {}),
                **({"attributes": s.attributes} if s.attributes else {}),
            }
        )
    rejected = [
        {
            "start": d.start,
            "end": d.end,
            "label": d.label,
            "layer": d.layer.value,
            "annotator": d.annotator,
            "suggester": d.suggester,
        }
        for d in decisions
        if d.decision is Decision.REJECTED
    ]
    record: dict[str, Any] = {
        "id": document.external_id if document.external_id is not None else str(document.id),
        "title": document.title,
        "text": text,
        "source": document.source,
        "meta": document.meta,
        "offsets": "codepoint",
        "entities": entities,
        "claims": claims,
        "rejected": rejected,
        "ignored": [{"start": r.start, "end": r.end, "reason": r.reason} for r in ignored],
        "status": overall_status(states).value,
        "statuses": {st.annotator: st.status.value for st in states if st.status is not Status.NEW},
    }
    if suggestions is not None:
        record["suggestions"] = [
            {
                "start": s.start,
                "end": s.end,
                "layer": s.layer.value,
                "label": s.label,
                "text": text[s.start : s.end],
                "suggester": s.suggester,
                "score": s.score,
                "reason": s.reason,
                **({"attributes": s.attributes} if s.attributes else {}),
            }
            for s in suggestions
        ]
    return record


def overall_status(states: Iterable[DocumentState]) -> Status:
    """The most advanced status among the annotators (done > skipped > in progress > new)."""
    best = Status.NEW
    for state in states:
        if _RANK[state.status] > _RANK[best]:
            best = state.status
    return best


def dumps(record: Mapping[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"
