"""Spans a suggester found before they become suggestions: chosen longest first without
overlaps, kept only when token-aligned, outside boilerplate and labelled in the schema."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.model import Layer, Suggestion
from annotator.core.tokens import Tokenized
from annotator.suggest.base import SuggestInput


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    label: str
    score: float
    #: Why, for the annotator: names the rule or the evidence (the suggester's name is added
    #: by the workspace when it shows it).
    reason: str
    #: Breaks ties between candidates of equal length: the higher wins.
    priority: int = 0


def longest_first(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, longest first (then by priority, then leftmost), returned in
    text order. Greedy: a long match claims its characters before shorter ones inside it."""
    ordered = sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start, c.label))
    # Taken ranges never overlap, so sorted by start they are sorted by end too: a new range
    # can only collide with its two neighbours (a bisection, not a scan of everything taken).
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Candidate] = []
    for candidate in ordered:
        at = bisect.bisect_left(starts, candidate.start)
        if at > 0 and ends[at - 1] > candidate.start:
            continue
        if at < len(starts) and starts[at] < candidate.end:
            continue
        starts.insert(at, candidate.start)
        ends.insert(at, candidate.end)
        chosen.append(candidate)
    chosen.sort(key=lambda c: (c.start, c.end))
    return chosen


def token_aligned(tokens: Tokenized, start: int, end: int) -> bool:
    return tokens.is_token_aligned(start, end)


def entity_suggestions(
    candidates: Iterable[Candidate], item: SuggestInput, suggester: str
) -> list[Suggestion]:
    """Entity suggestions for the candidates that are token-aligned, outside ignored ranges and
    labelled with a label the project's schema has."""
    labels = set(item.schema.entity_names)
    return [
        Suggestion(
            id=None,
            document_id=item.document.id,
            layer=Layer.ENTITY,
            start=c.start,
            end=c.end,
            label=c.label,
            suggester=suggester,
            score=round(c.score, 3),
            reason=c.reason,
        )
        for c in candidates
        if c.label in labels
        and not item.is_ignored(c.start, c.end)
        and item.tokens.is_token_aligned(c.start, c.end)
    ]
