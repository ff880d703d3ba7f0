"""The DocBin writer adds each Doc with :func:`annotator.export.docbin.add` (the strings of its
tokens from an array of hashes) instead of ``DocBin.add``: the DocBin's bytes must be exactly
``DocBin.add``'s."""

from __future__ import annotations

from annotator.core.model import ClaimDetails, Document, Layer
from annotator.core.tokens import tokenize
from annotator.export import docbin
from annotator.export.document import ExportDocument, RowSpan
from annotator.export.writing import ExportContext

TEXT = (
    " Mayor Petra Novak said the port of 𝒱almora closed 😀 today.\n\n"
    "  Drava Power reported 12 turbines failed;\ta note ́ here.  "
)


def _at(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


def _span(i: int, piece: str, label: str, layer: Layer = Layer.ENTITY, **claim: object) -> RowSpan:
    start, end = _at(piece)
    details = ClaimDetails(**claim) if layer is Layer.CLAIM else None  # type: ignore[arg-type]
    return RowSpan(i, start, end, label, layer, "ana", {}, details, None)


def _documents() -> list[ExportDocument]:
    spans = (
        _span(1, "Petra Novak", "PERSON"),
        _span(2, "Mayor Petra Novak", "PERSON"),  # overlaps: kept out of doc.ents
        _span(3, "𝒱almora", "GPE"),
        _span(4, "Drava Power", "ORG"),
        _span(5, "ote", "MISC"),  # inside a word: widened
        _span(
            6,
            "12 turbines failed",
            "CLAIM",
            Layer.CLAIM,
            claimant_id=4,
            cue=_at("reported"),
            hedged=True,
        ),
    )
    return [
        ExportDocument(Document(1, "a", "Title", TEXT, "wire"), spans, annotator="ana"),
        ExportDocument(Document(2, "b", "", "", None), (), annotator="ana"),
        ExportDocument(Document(3, "c", "", "   ", None), (), annotator="ana"),
        ExportDocument(Document(4, "d", "", "One.", None), (), annotator="ana"),
    ]


def test_the_docbin_holds_exactly_what_docbin_add_gives() -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    vocab = Vocab()
    context = ExportContext()
    made = [docbin.make_doc(vocab, doc, tokenize(doc.text), context) for doc in _documents()]
    theirs = DocBin(attrs=docbin._ATTRS, store_user_data=True)
    ours = DocBin(attrs=docbin._ATTRS, store_user_data=True)
    for doc in made:
        theirs.add(doc)
        docbin.add(ours, doc)
    assert ours.strings == theirs.strings
    assert ours.to_bytes() == theirs.to_bytes()
    assert "PERSON" in ours.strings and "𝒱almora" in ours.strings
