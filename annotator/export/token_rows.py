"""The token formats' documents built from plain rows (docs/adr/0027-export-reads-plain-rows.md).

Prodigy, spaCy, CoNLL and Hugging Face write a span's offsets, label, layer and a claim's
details; read as one frozen :class:`~annotator.core.model.Span` each through SQLAlchemy, the
spans of 1,000 articles cost more CPU than the whole budget of those exports. Here each batch
comes from :func:`annotator.storage.export_rows.token_rows` as the driver's tuples and every
span becomes a :class:`~annotator.export.document.RowSpan` (a tuple with the names of a
``Span``'s fields), so the writers take either unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from annotator.core.model import ClaimDetails, Document, Layer
from annotator.export.document import ExportDocument, RowSpan

_LAYERS = {layer.value: layer for layer in Layer}


def documents(
    documents: Sequence[tuple[Any, ...]],
    spans: Sequence[tuple[Any, ...]],
    annotators: dict[int, str],
    owners: Sequence[str | None],
    *,
    everyone: bool = False,
) -> list[ExportDocument]:
    """One :class:`ExportDocument` per row of ``documents`` (layouts in
    :mod:`annotator.storage.export_rows`), with the spans of its owner (``owners``, in the
    same order; ``None``: none, or everyone's with ``everyone``)."""
    ids = {name: annotator_id for annotator_id, name in annotators.items()}
    result = []
    position, count = 0, len(spans)
    for (doc_id, external_id, title, text, source), owner in zip(documents, owners, strict=True):
        # Both lists are in document order: this document's spans are the run from here.
        while position < count and spans[position][0] < doc_id:
            position += 1
        begin = position
        while position < count and spans[position][0] == doc_id:
            position += 1
        if everyone and owner is None:
            keep = spans[begin:position]
        elif owner is not None and owner in ids:
            owner_id = ids[owner]
            keep = [row for row in spans[begin:position] if row[6] == owner_id]
        else:
            keep = []
        result.append(
            ExportDocument(
                document=Document(doc_id, external_id, title, text, source),
                spans=_spans(keep, annotators),
                annotator=owner,
            )
        )
    return result


def _spans(rows: Sequence[tuple[Any, ...]], annotators: dict[int, str]) -> tuple[RowSpan, ...]:
    entity, value = Layer.ENTITY, Layer.ENTITY.value
    return tuple(
        [
            # Nearly every span is an entity without attributes: made here, without a call.
            RowSpan(row[1], row[3], row[4], row[5], entity, annotators[row[6]], {}, None, row[8])
            if row[2] == value and row[7] is None
            else _span(row, annotators)
            for row in rows
        ]
    )


def _span(row: tuple[Any, ...], annotators: dict[int, str]) -> RowSpan:
    layer = _LAYERS[row[2]]
    details = None
    if layer is Layer.CLAIM:
        if row[9] is None:
            details = ClaimDetails()  # as a stored Span: a claim without its claims row
        else:
            cue = None if row[11] is None or row[12] is None else (row[11], row[12])
            details = ClaimDetails(row[10], cue, row[13], bool(row[14]))
    attributes = row[7]
    return RowSpan(
        row[1],  # id
        row[3],  # start
        row[4],  # end
        row[5],  # label
        layer,
        annotators[row[6]],
        {} if attributes is None else _object(attributes),
        details,
        row[8],  # ref
    )


def _object(raw: Any) -> dict[str, Any]:
    """A JSON object column read as text (psycopg may hand over the object itself)."""
    value = orjson.loads(raw) if isinstance(raw, str | bytes) else raw
    return dict(value) if isinstance(value, dict) else {}
