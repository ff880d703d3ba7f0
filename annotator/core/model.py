"""Domain values shared by every layer. Frozen: a change is a new value made by a command.

Offsets are Python code points into the document's normalised text, end exclusive.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Layer(enum.StrEnum):
    ENTITY = "entity"
    CLAIM = "claim"


class Status(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


CLAIM_TYPES: tuple[str, ...] = ("quantity", "event", "quote", "causal", "prediction", "other")

MANUAL = "manual"

#: The reserved annotator whose spans, claims and status are the adjudicated gold layer.
GOLD_ANNOTATOR = "gold"


def suggested_origin(suggester: str) -> str:
    """The ``origin`` of a span that was accepted from ``suggester``'s suggestion."""
    return f"suggested:{suggester}"


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    external_id: str | None
    title: str
    text: str
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    imported_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What the document list shows: no text, so a million of them stay cheap."""

    id: int
    external_id: str | None
    title: str
    source: str | None
    status: Status
    span_count: int
    #: The original this document is a near-duplicate copy of (its group's earliest
    #: document), or None.
    copy_of: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimDetails:
    """What makes a claim more than a span: who claims it, the cue, its type, hedging.

    ``claimant_id`` is the id of an entity span in the same document, or ``None`` when the
    claim is unattributed. ``cue`` is a ``(start, end)`` range, or ``None``.
    """

    claimant_id: int | None = None
    cue: tuple[int, int] | None = None
    claim_type: str = "other"
    hedged: bool = False


@dataclass(frozen=True, slots=True)
class Span:
    id: int | None
    document_id: int
    layer: Layer
    start: int
    end: int
    label: str
    annotator: str
    origin: str = MANUAL
    attributes: dict[str, Any] = field(default_factory=dict)
    claim: ClaimDetails | None = None
    #: The span's id in the file it came from (native JSONL ``id``); kept for round trips.
    ref: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    #: The stored row's version when this value was read (``None``: not read from storage).
    #: An edit carrying a version is refused when the row has moved on meanwhile.
    version: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(
                f"span offsets must satisfy 0 <= start < end, got {self.start}..{self.end}"
            )
        if self.layer is Layer.CLAIM and self.claim is None:
            object.__setattr__(self, "claim", ClaimDetails())


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int | None
    document_id: int
    layer: Layer
    start: int
    end: int
    label: str
    suggester: str
    score: float
    reason: str
    #: For claims: proposed ``claimant`` (start, end), ``cue`` (start, end), ``type``, ``hedged``.
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuggestionDecision:
    document_id: int
    annotator: str
    layer: Layer
    start: int
    end: int
    label: str
    decision: Decision
    suggester: str | None = None


@dataclass(frozen=True, slots=True)
class IgnoredRange:
    start: int
    end: int
    reason: str = "boilerplate"


@dataclass(frozen=True, slots=True)
class DocumentState:
    """One annotator's progress on one document."""

    document_id: int
    annotator: str
    status: Status = Status.NEW
    seconds_spent: float = 0.0
    skip_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    annotator: str | None = None
    document_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None
