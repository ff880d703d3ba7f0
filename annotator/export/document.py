"""One document as an export sees it: the text and the annotations chosen to go out.

Built by the export service from the database, possibly rewritten by ``--drop-ignored``
(:mod:`annotator.export.dropping`), then handed to each format's writer. Offsets are code
points into ``document.text``, end exclusive, like everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import (
    Document,
    DocumentState,
    IgnoredRange,
    Layer,
    Span,
    Suggestion,
    SuggestionDecision,
)


@dataclass(frozen=True, slots=True)
class ExportDocument:
    document: Document
    #: In ``(start, end)`` order; entities and claims of the chosen annotator(s).
    spans: tuple[Span, ...] = ()
    ignored: tuple[IgnoredRange, ...] = ()
    decisions: tuple[SuggestionDecision, ...] = ()
    states: tuple[DocumentState, ...] = ()
    suggestions: tuple[Suggestion, ...] | None = None
    #: Whose annotations these are; ``None`` when every annotator's went out (native format).
    annotator: str | None = None

    @property
    def key(self) -> str:
        """The document's id in every export: its external id, else its database id."""
        document = self.document
        return document.external_id if document.external_id is not None else str(document.id)

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def entities(self) -> list[Span]:
        return [span for span in self.spans if span.layer is Layer.ENTITY]

    @property
    def claims(self) -> list[Span]:
        return [span for span in self.spans if span.layer is Layer.CLAIM]

    def claimant(self, claim: Span) -> Span | None:
        """The entity ``claim`` names as its claimant, if it is among the exported spans."""
        details = claim.claim
        if details is None or details.claimant_id is None:
            return None
        for span in self.spans:
            if span.id == details.claimant_id and span.layer is Layer.ENTITY:
                return span
        return None


def span_key(span: Span) -> str:
    """A span's id in an export: its imported id when it had one, else ``T<database id>``."""
    return span.ref if span.ref else f"T{span.id}"
