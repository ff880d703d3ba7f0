"""``--drop-ignored``: cut the ignored ranges (boilerplate) out of a document's text.

Every offset after a cut moves left by the length cut before it, so each kept span still covers
the same characters. A span that overlaps a cut range by even one character cannot keep its
text, so it is dropped and reported (never shortened silently); a claim whose cue or claimant
is dropped keeps its other details and loses that one, reported too. Rejections under a cut go
with it, reported as well (rejections are training data); pending suggestions under a cut just
go (they are not annotations). Problems give offsets in the text as stored, before the cut.
Nothing is inserted where text is cut: the appeal glued to the body goes and the body stays.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence

from annotator.core.model import IgnoredRange, Layer, Span
from annotator.export.document import ExportDocument
from annotator.export.problems import DROPPED_IGNORED, ProblemLog


class _Cuts:
    """Merged cut ranges and the offset arithmetic over them."""

    def __init__(self, ranges: Sequence[IgnoredRange], length: int) -> None:
        merged: list[tuple[int, int]] = []
        for item in sorted(ranges, key=lambda r: (r.start, r.end)):
            start, end = max(0, item.start), min(length, item.end)
            if start >= end:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        self.ranges = merged
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]
        # removed[i]: characters cut before the end of range i.
        self.removed: list[int] = []
        total = 0
        for start, end in merged:
            total += end - start
            self.removed.append(total)

    def hits(self, start: int, end: int) -> bool:
        """Whether ``start..end`` shares a character with a cut range."""
        index = bisect.bisect_right(self.ends, start)  # first range ending after start
        return index < len(self.ranges) and self.starts[index] < end

    def shift(self, offset: int) -> int:
        """Where ``offset`` (not inside a cut) lands in the cut text."""
        index = bisect.bisect_right(self.ends, offset)  # ranges wholly at or before offset
        return offset - (self.removed[index - 1] if index else 0)

    def cut(self, text: str) -> str:
        pieces: list[str] = []
        position = 0
        for start, end in self.ranges:
            pieces.append(text[position:start])
            position = end
        pieces.append(text[position:])
        return "".join(pieces)


def drop_ignored(doc: ExportDocument, problems: ProblemLog) -> ExportDocument:
    """``doc`` without its ignored ranges; every change to an annotation goes to ``problems``."""
    if not doc.ignored:
        return doc
    text = doc.text
    cuts = _Cuts(doc.ignored, len(text))
    key = doc.key

    def report(what: str, start: int, end: int) -> None:
        problems.report(
            key,
            DROPPED_IGNORED,
            what,
            text=text[start:end],
            start=start,
            end=end,
        )

    dropped: set[int | None] = set()
    kept: list[Span] = []
    for span in doc.spans:
        if cuts.hits(span.start, span.end):
            report(f"{span.layer.value} {span.label} overlaps ignored text; dropped", *_se(span))
            dropped.add(span.id)
            continue
        kept.append(span)
    spans: list[Span] = []
    for span in kept:
        moved = dataclasses.replace(span, start=cuts.shift(span.start), end=cuts.shift(span.end))
        details = span.claim
        if span.layer is Layer.CLAIM and details is not None:
            cue = details.cue
            if cue is not None:
                if cuts.hits(*cue):
                    report("the claim's cue overlaps ignored text; cue dropped", *cue)
                    cue = None
                else:
                    cue = (cuts.shift(cue[0]), cuts.shift(cue[1]))
            claimant = details.claimant_id
            if claimant is not None and claimant in dropped:
                report("the claim's claimant was dropped; claim kept unattributed", *_se(span))
                claimant = None
            moved = dataclasses.replace(
                moved, claim=dataclasses.replace(details, cue=cue, claimant_id=claimant)
            )
        spans.append(moved)
    decisions = []
    for decision in doc.decisions:
        if cuts.hits(decision.start, decision.end):
            report(
                f"a {decision.decision.value} suggestion overlaps ignored text; dropped",
                decision.start,
                decision.end,
            )
            continue
        decisions.append(
            dataclasses.replace(
                decision, start=cuts.shift(decision.start), end=cuts.shift(decision.end)
            )
        )
    suggestions = None
    if doc.suggestions is not None:
        suggestions = tuple(
            dataclasses.replace(s, start=cuts.shift(s.start), end=cuts.shift(s.end))
            for s in doc.suggestions
            if not cuts.hits(s.start, s.end)
        )
    return dataclasses.replace(
        doc,
        document=dataclasses.replace(doc.document, text=cuts.cut(text)),
        spans=tuple(spans),
        ignored=(),
        decisions=tuple(decisions),
        suggestions=suggestions,
    )


def _se(span: Span) -> tuple[int, int]:
    return span.start, span.end
