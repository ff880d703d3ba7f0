"""One document as an export sees it: the text and the annotations chosen to go out.

Built by the export service from the database, possibly rewritten by ``--drop-ignored``
(:mod:`annotator.export.dropping`), then handed to each format's writer. Offsets are code
points into ``document.text``, end exclusive, like everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from annotator.core.model import (
    ClaimDetails,
    Document,
    DocumentState,
    IgnoredRange,
    Layer,
    Span,
    Suggestion,
    SuggestionDecision,
)


class RowSpan(NamedTuple):
    """A stored span as the token formats read it (:mod:`annotator.export.token_rows`): what
    they write of a :class:`~annotator.core.model.Span`, under the same names, as a tuple. A
    frozen ``Span`` per span cost more than the whole token export's budget."""

    id: int
    start: int
    end: int
    label: str
    layer: Layer
    annotator: str
    #: Empty unless the span has attributes (a claim's quantities).
    attributes: dict[str, Any]
    #: A claim's details (the defaults when it has no claims row); ``None`` for an entity.
    claim: ClaimDetails | None
    ref: str | None


#: A span as an export takes it: read as a core value, or as a row by the token formats.
AnySpan = Span | RowSpan


@dataclass(frozen=True, slots=True)
class ExportDocument:
    document: Document
    #: In ``(start, end)`` order; entities and claims of the chosen annotator(s).
    spans: tuple[AnySpan, ...] = ()
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
    def entities(self) -> list[AnySpan]:
        return [span for span in self.spans if span.layer is Layer.ENTITY]

    @property
    def claims(self) -> list[AnySpan]:
        return [span for span in self.spans if span.layer is Layer.CLAIM]

    def claimant(self, claim: AnySpan) -> AnySpan | None:
        """The entity ``claim`` names as its claimant, if it is among the exported spans."""
        details = claim.claim
        if details is None or details.claimant_id is None:
            return None
        for span in self.spans:
            if span.id == details.claimant_id and span.layer is Layer.ENTITY:
                return span
        return None


def span_key(span: AnySpan) -> str:
    """A span's id in an export: its imported id when it had one, else ``T<database id>``."""
    return span.ref if span.ref else f"T{span.id}"
