"""Finding the places for "Label all occurrences": every whole-word occurrence, in the whole
corpus, of a confirmed entity's text, as suggestions of the same label for one annotator.

A place counts when the text is there exactly (same characters, same case), starts and ends on
the project's token edges (annotator.core.tokens: "Haverly" is not found inside "Haverlyan"),
and none of these hold:

* one of the annotator's entities with the same label covers it (the confirmed span itself, or
  "Port Haverly" when labelling "Haverly" with the label of both);
* one of the annotator's entities has exactly its extent, whatever the label: that place has
  been decided already;
* the annotator rejected that label there before (rejections win);
* it lies in boilerplate (ignored ranges), where no suggester proposes anything either;
* an earlier "Label all occurrences" already stored it.

The corpus is read a page at a time (only texts that may contain the string, filtered in the
database: annotator.storage.occurrences). By default only the few words around each place are
tokenized, here; the window passes ``tokens`` instead, which gives whole documents' tokens
from the token cache or the suggestion process (annotator.services.document_tokens), so its
process never loads the tokenizer (ADR 31). It runs as a
background task with progress and Cancel; nothing is written here (the window stores what was
found as one command, annotator.core.occurrence_commands, after the annotator confirmed the
count).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from annotator.core.model import Decision, Layer, Suggestion
from annotator.core.occurrence_commands import OCCURRENCES
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.core.tokens import Tokenized, tokenize_many
from annotator.storage import occurrences as queries
from annotator.storage.database import Database

#: Documents read per page.
PAGE = 200

#: The tokens of whole documents, asked for by ``{document id: text}``, by document id (a
#: document left out is searched without its tokens being known: nowhere).
DocumentTokens = Callable[[Mapping[int, str]], Mapping[int, Tokenized]]


@dataclass(frozen=True, slots=True)
class Occurrences:
    """What was found: the suggestions to store, and what they were found for."""

    text: str
    label: str
    suggestions: tuple[Suggestion, ...]

    @property
    def documents(self) -> int:
        return len({s.document_id for s in self.suggestions})

    def describe(self) -> str:
        n, m = len(self.suggestions), self.documents
        return f"{n} occurrence{'' if n == 1 else 's'} in {m} document{'' if m == 1 else 's'}"


def _places(text: str, needle: str) -> Iterator[int]:
    """Every start of ``needle`` in ``text`` (overlapping ones too: the token check decides)."""
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def _context(text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of ``text`` around ``start..end`` that decides its token edges: its own
    whitespace-separated chunk and one chunk on each side.

    spaCy splits at whitespace first and tokenizes each chunk on its own, and the project's
    adjustments (trimming, grapheme clusters) look no further than the neighbouring characters,
    so tokenizing this stretch gives the same edges there as tokenizing the whole text, at a
    fraction of the cost (the test suite compares both).
    """
    size = len(text)
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    while left > 0 and text[left - 1].isspace():
        left -= 1
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < size and not text[right].isspace():
        right += 1
    while right < size and text[right].isspace():
        right += 1
    while right < size and not text[right].isspace():
        right += 1
    return left, right


def whole_words(text: str, needle: str) -> list[int]:
    """The starts of ``needle`` in ``text`` that start and end on the project's token edges."""
    places = list(_places(text, needle))
    if not places:
        return []
    contexts = [_context(text, start, start + len(needle)) for start in places]
    tokenized = tokenize_many([text[left:right] for left, right in contexts])
    return [
        start
        for start, (left, _right), tokens in zip(places, contexts, tokenized, strict=True)
        if tokens.is_token_aligned(start - left, start - left + len(needle))
    ]


def whole_words_in(tokens: Tokenized, text: str, needle: str) -> list[int]:
    """The starts of ``needle`` in ``text`` that start and end on ``tokens``' edges (the
    tokens of the whole ``text``)."""
    return [
        start
        for start in _places(text, needle)
        if tokens.is_token_aligned(start, start + len(needle))
    ]


def find_occurrences(
    db: Database,
    annotator: str,
    text: str,
    label: str,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    tokens: DocumentTokens | None = None,
) -> Occurrences:
    """The places to suggest ``text`` as ``label`` to ``annotator`` (see the module);
    ``tokens``, when given, is where the documents' tokens come from."""
    found: list[Suggestion] = []
    if not text or text != text.strip():
        return Occurrences(text, label, ())
    reason = f"the same text as an entity you labelled {label}"
    with db.read() as store:
        # Progress by id: pages skip the documents without the text, so a count would jump.
        _count, _first, last = store.document_id_extent()
    total = last or 0
    after = 0
    while True:
        if cancel is not None:
            cancel.check()
        with db.read() as store:
            page = queries.documents_containing(store, text, after_id=after, limit=PAGE)
            if not page:
                break
            ids = [doc_id for doc_id, _ in page]
            spans = store.spans_by_documents(ids, annotator, Layer.ENTITY)
            decisions = store.decisions_by_documents(ids, annotator)
            ignored = store.ignored_by_documents(ids)
            stored = store.suggestions_by_documents(ids)
        after = ids[-1]
        # (The database's filter may ignore case: only the texts that hold it need tokens.)
        known = None if tokens is None else tokens({i: b for i, b in page if text in b})
        for doc_id, body in page:
            if known is None:
                places = whole_words(body, text)
            else:
                found_tokens = known.get(doc_id)
                places = [] if found_tokens is None else whole_words_in(found_tokens, body, text)
            if not places:
                continue
            own = spans.get(doc_id, [])
            rejected = {
                (d.start, d.end)
                for d in decisions.get(doc_id, [])
                if d.layer is Layer.ENTITY and d.label == label and d.decision is Decision.REJECTED
            }
            already = {
                (s.start, s.end)
                for s in stored.get(doc_id, [])
                if s.suggester == OCCURRENCES and s.layer is Layer.ENTITY and s.label == label
            }
            skipped = [(r.start, r.end) for r in ignored.get(doc_id, [])]
            for start in places:
                end = start + len(text)
                if (start, end) in rejected or (start, end) in already:
                    continue
                if any(
                    (s.start == start and s.end == end)
                    or (s.label == label and s.start <= start and end <= s.end)
                    for s in own
                ):
                    continue
                if any(a < end and start < b for a, b in skipped):
                    continue
                found.append(
                    Suggestion(
                        None, doc_id, Layer.ENTITY, start, end, label, OCCURRENCES, 1.0, reason
                    )
                )
        progress(min(after, total), total, f"Finding occurrences of “{text}”")
    return Occurrences(text, label, tuple(found))
