"""Taking over the annotations of a near-duplicate's original onto the copy open in the window.

Offsets are carried through an alignment of the two texts (annotator.core.text_alignment): a
span whose text is the same in the copy is added there, one whose text changed is left out and
listed for the user. A claim goes with its cue and claimant; one whose cue or claimant did not
map is left out too. All of it is one command (:class:`~annotator.core.commands.AddLinkedSpans`),
undone in one step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotator.core.commands import AddLinkedSpans
from annotator.core.model import ClaimDetails, Layer, Span
from annotator.core.text_alignment import Alignment
from annotator.storage import near_duplicates as stored
from annotator.storage.database import Database


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A span of the original that is not taken over, and why."""

    label: str
    text: str
    reason: str

    def describe(self) -> str:
        shown = self.text if len(self.text) <= 40 else self.text[:37] + "…"
        return f"{self.label} “{shown}” ({self.reason})"


@dataclass(frozen=True, slots=True)
class TakeOver:
    """What taking over the original's annotations would add to the copy, and leave out."""

    copy_id: int
    original_id: int
    original_title: str
    spans: tuple[Span, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def command(self) -> AddLinkedSpans:
        return AddLinkedSpans(self.spans)


def plan(db: Database, document_id: int, annotator: str) -> TakeOver | None:
    """The take-over offered on opening ``document_id``: None unless it is a near-duplicate
    copy, ``annotator`` has no spans on it yet and has some on its original."""
    with db.read() as store:
        member = stored.memberships(store, [document_id]).get(document_id)
        if member is None or member.is_original:
            return None
        if store.spans(document_id, annotator):
            return None
        theirs = store.spans(member.group_id, annotator)
        if not theirs:
            return None
        original = store.document(member.group_id)
        copy = store.document(document_id)
    return carry(theirs, original.text, copy.text, document_id, member.group_id, original.title)


def carry(
    spans: list[Span],
    source: str,
    target: str,
    document_id: int,
    original_id: int,
    original_title: str = "",
) -> TakeOver:
    """``spans`` of ``source`` carried onto ``target`` (document ``document_id``)."""
    alignment = Alignment(source, target)
    kept: list[Span] = []
    index_of: dict[int, int] = {}
    left_out: list[LeftOut] = []

    def leave(span: Span, reason: str) -> None:
        left_out.append(LeftOut(span.label, source[span.start : span.end], reason))

    # Entities first, so that a claim knows whether its claimant came along.
    for span in sorted(spans, key=lambda s: (s.layer is Layer.CLAIM, s.start, s.end)):
        where = alignment.range(span.start, span.end)
        if where is None:
            leave(span, "its text changed")
            continue
        claim = span.claim
        if claim is not None:
            cue = None
            if claim.cue is not None:
                cue = alignment.range(*claim.cue)
                if cue is None:
                    leave(span, "its cue changed")
                    continue
            claimant = None
            if claim.claimant_id is not None:
                if claim.claimant_id not in index_of:
                    leave(span, "its claimant was left out")
                    continue
                claimant = -(index_of[claim.claimant_id] + 1)
            claim = ClaimDetails(claimant, cue, claim.claim_type, claim.hedged)
        if span.id is not None:
            index_of[span.id] = len(kept)
        kept.append(
            replace(
                span,
                id=None,
                document_id=document_id,
                start=where[0],
                end=where[1],
                claim=claim,
                ref=None,
                created_at=None,
                updated_at=None,
                version=None,
            )
        )
    return TakeOver(document_id, original_id, original_title, tuple(kept), tuple(left_out))
