"""Per-token IOB2 tags for an entity column and a claim column, sentence by sentence.

Shared by CoNLL and Hugging Face: the same spans give the same tags in both. Each column keeps
the outermost of overlapping spans (nested entities: the outer one; reported), and a span that
runs across a sentence break starts again with ``B-`` in the next sentence (reported), so every
sentence is a valid IOB2 sequence on its own.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from typing import NamedTuple

from annotator.core.model import Layer
from annotator.core.tokens import Tokenized
from annotator.export.alignment import align_spans, iob2, outermost, restart_at, sentence_ranges
from annotator.export.document import ExportDocument
from annotator.export.problems import UNSAFE_TOKEN, ProblemLog
from annotator.export.writing import ExportContext

# Matches exactly the characters ``str.isspace`` is true for (re's Unicode ``\s``).
_SPACE = re.compile(r"\s")
_LABEL = operator.attrgetter("label")


class TaggedSentence(NamedTuple):
    index: int
    tokens: list[str]
    entity_tags: list[str]
    claim_tags: list[str]


def tagged_sentences(
    doc: ExportDocument, tokens: Tokenized, context: ExportContext, *, spaced_labels: bool = True
) -> Iterator[TaggedSentence]:
    """Each sentence's words and tags; what was built is noted in ``context.built``
    (``spaced_labels``: whether the format can write a label holding whitespace)."""
    text, key, problems = doc.text, doc.key, context.problems
    count = len(tokens.tokens)
    context.built.document(key, text, tokens.starts, tokens.ends)
    aligned = align_spans(tokens, doc.spans, text=text, document=key, problems=problems)
    context.built.labels(map(_LABEL, aligned), spaced=spaced_labels)
    columns = []
    for layer, name in ((Layer.ENTITY, "entity"), (Layer.CLAIM, "claim")):
        spans = [s for s in aligned if s.span is not None and s.span.layer is layer]
        kept = outermost(
            spans,
            text=text,
            document=key,
            problems=problems,
            where=f"left out of the {name} column",
        )
        columns.append(iob2(kept, count))
    entity_tags, claim_tags = columns
    words = tokens.words(text)
    if _SPACE.search("".join(words)):  # rare: looked at word by word only then
        words = [
            _safe(word, key, start, end, problems)
            for word, start, end in zip(words, tokens.starts, tokens.ends, strict=True)
        ]
    for index, indices in enumerate(sentence_ranges(tokens)):
        if not indices:
            continue
        first, stop = indices.start, indices.stop
        for tags, column in ((entity_tags, "entity"), (claim_tags, "claim")):
            if tags[first][0] == "I":  # a span runs on from the previous sentence (rare)
                restart_at(
                    tags, first, tokens=tokens, document=key, problems=problems, column=column
                )
        yield TaggedSentence(
            index, words[first:stop], entity_tags[first:stop], claim_tags[first:stop]
        )


def _safe(word: str, key: str, start: int, end: int, problems: ProblemLog) -> str:
    """A token as one whitespace-free column: readers split lines at whitespace. The project
    tokenizer only makes such a token for a combining mark after a space (one grapheme)."""
    if not any(ch.isspace() for ch in word):
        return word
    problems.report(
        key,
        UNSAFE_TOKEN,
        "token holds whitespace; written with '_' in its place",
        text=word,
        start=start,
        end=end,
    )
    return "".join("_" if ch.isspace() else ch for ch in word)
