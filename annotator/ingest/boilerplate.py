"""Corpus-level boilerplate: passages that recur verbatim across the documents of one source.

Boilerplate stays in the text (DESIGN.md section 3); this only finds it, as ignored ranges.

How
---
1. **Pieces.** Each non-blank line (stripped) is cut into *pieces*: the whole line, its first
   few prefixes that end at a sentence boundary and its last few suffixes that start at one.
   A boundary is sentence-final punctuation followed by a capital (``difference.Russia``: where
   a scraper glued a block to the next without a line break) or by spaces and anything but a
   lowercase letter (``story. The``); a full stop after a capitalised word of up to three
   letters ("Mr.", "U.S.") is none. A glued piece shorter than ``min_glued_chars`` is not used.
   Both keep a range from taking a word off the body. (A block glued to the body with no
   punctuation at all, ``storyRussia``, is not found: a case-change scan costs more than the
   rest of the counting together.)
2. **Counting.** Each document adds the *set* of its pieces' hashes (so a piece counts once per
   document) to a lossy counter (Manku & Motwani, 2002): at a bucket boundary (every
   ``1 / error`` documents) once the table is large, entries seen too rarely to become
   frequent are dropped, so memory is bounded by the frequent pieces plus a fixed table,
   whatever the corpus size. A count may miss at most ``error`` x documents of a piece's
   occurrences (its upper bound is used, so no frequent piece is missed); counting is exact
   until the first pruning.
3. **Frequent.** A piece is frequent when it is in at least ``max(min_docs, min_share x N)``
   of the source's N documents; when there are fewer than ``min_docs`` documents but at least
   two, when all of them share it.
4. **Marking.** In each document a line whose whole text is frequent is boilerplate. In any
   other line, the longest frequent prefix is a glued *head* (a block that ends where the body
   starts in the same line) and the longest frequent suffix a glued *tail* (a block that starts
   at the end of a body line). Consecutive boilerplate lines, a head that ends a run and a tail
   that starts one form a *block*; a block counts only when it holds at least ``min_chars``
   characters (``pair_min_chars`` for a source of fewer than ``min_docs`` documents), so a
   short line such as "Comments" is kept when alone and marked next to a footer. Each block
   becomes one :class:`IgnoredRange` from its first character to its last, taking in the line
   breaks (and blank lines) between its lines. A head always ends at a boundary, so a range
   never ends inside the body's first word.

Passes and memory
-----------------
:func:`detect` reads the texts twice: once to count, once to mark. Give it something that can
be iterated twice (a list, or an object whose ``__iter__`` runs the query again) and its memory
is the counter plus the result; a one-shot iterator is first materialised into a list. For a
source too large for its result to be held, use :func:`learn` and :meth:`Boilerplate.ranges`.
Hashes are Python's (salted per process): a :class:`Boilerplate` is not meant to be stored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from annotator.core.model import IgnoredRange

K = TypeVar("K", bound=Hashable)

REASON = "boilerplate"

# A sentence-final punctuation mark and the closing quotes/brackets after it (group 1), then
# spaces and anything but an ASCII lowercase letter, or directly a capital or an opening quote.
# It never crosses a line break. A full stop after a capitalised word of one to three letters
# is no boundary: "Mr.", "Dr.", "St.", "U.S.", "J." open many paragraphs, and a head that
# took them in would take them off the body. The pattern starts with a single character class
# so the regex engine can skip ahead fast (``[.!?…]+`` is 3x slower; an ellipsis still matches
# at its last dot), and it scans the whole text at once, not line by line, for the same reason.
_ABBREVIATION = "".join(
    f"(?<!{before}[A-Z]{'[a-z]' * lower}\\.)"
    for before in ("[\\s(\"'.]", "^")
    for lower in range(3)
)
_BOUNDARY = re.compile(
    rf"([.!?…]{_ABBREVIATION}[\"'’”»)\]]*)"  # the mark and its closing quotes or brackets
    r"(?:[ \t\u00a0]+(?=[^\sa-z])|(?=[A-ZÀ-ÖØ-Þ\"'‘“«(\[]))"  # spaces, or glued to a capital
)

#: Prune the lossy counter only once it holds this many entries: pruning later than the bucket
#: boundary keeps more entries for longer, never fewer, and saves a pass per bucket.
_PRUNE_AT = 100_000


@dataclass(frozen=True, slots=True)
class BoilerplateSettings:
    """Thresholds; the defaults are what the README documents."""

    #: A piece is frequent in at least this share of a source's documents…
    min_share: float = 0.2
    #: …and in at least this many of them.
    min_docs: int = 3
    #: A block of boilerplate shorter than this (in characters) is not marked.
    min_chars: int = 20
    #: The block size that counts when a source has fewer than ``min_docs`` documents.
    pair_min_chars: int = 200
    #: Prefixes (and suffixes) of a line considered as glued heads (tails), in sentences.
    max_glued_sentences: int = 4
    #: A glued head or tail shorter than this (in characters) is not boilerplate.
    min_glued_chars: int = 20
    #: The lossy counter's error, as a share of the documents; keep it well below min_share.
    error: float = 0.002

    def __post_init__(self) -> None:
        if not 0 <= self.min_share <= 1 or self.min_docs < 2:
            raise ValueError("min_share must be within 0..1 and min_docs at least 2")
        # A count may miss up to error x N occurrences; against a share threshold that is
        # harmless only while the error is well below it. error=0 counts exactly (no pruning).
        if self.error < 0 or (self.error and self.error * 4 > self.min_share):
            raise ValueError(
                f"error {self.error} must be 0 (exact) or at most a quarter of min_share"
            )

    def threshold(self, documents: int) -> int | None:
        """Documents a piece must be in to be frequent; ``None`` when nothing can be."""
        if documents < 2:
            return None
        if documents < self.min_docs:
            return documents
        return max(self.min_docs, math.ceil(self.min_share * documents))

    def block_chars(self, documents: int) -> int:
        return self.pair_min_chars if documents < self.min_docs else self.min_chars


DEFAULT_SETTINGS = BoilerplateSettings()


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """What is boilerplate in one source: the hashes of its frequent pieces."""

    pieces: frozenset[int]
    min_chars: int
    max_glued_sentences: int = DEFAULT_SETTINGS.max_glued_sentences
    min_glued_chars: int = DEFAULT_SETTINGS.min_glued_chars

    def ranges(self, text: str) -> tuple[IgnoredRange, ...]:
        """The boilerplate blocks of ``text``, in order, merged across line breaks."""
        if not self.pieces:
            return ()
        pieces = self.pieces
        glued, shortest = self.max_glued_sentences, self.min_glued_chars
        result: list[IgnoredRange] = []
        block_start = block_end = block_chars = 0
        open_line = -2  # index of the line whose end the open block reaches; -2: no block
        for index, (start, line, cuts) in enumerate(_cut_lines(text)):
            end = start + len(line)
            if hash(line) in pieces:
                head, tail = len(line), 0
            else:
                head, tail = _glued(line, cuts, pieces, glued, shortest) if cuts else (0, 0)
                if head and tail and head >= tail:  # overlapping head and tail: the whole line
                    head, tail = len(line), 0
            if head:
                if open_line == index - 1:
                    block_end, block_chars = start + head, block_chars + head
                else:
                    self._close(result, block_start, block_end, block_chars)
                    block_start, block_end, block_chars = start, start + head, head
                if head == len(line):
                    open_line = index
                    continue
            # The line's body ends any open block.
            self._close(result, block_start, block_end, block_chars)
            block_chars, open_line = 0, -2
            if tail:
                block_start, block_end, block_chars = start + tail, end, len(line) - tail
                open_line = index
        self._close(result, block_start, block_end, block_chars)
        return tuple(result)

    def _close(self, result: list[IgnoredRange], start: int, end: int, chars: int) -> None:
        if chars and chars >= self.min_chars:
            result.append(IgnoredRange(start, end, REASON))


class BoilerplateLearner:
    """Counts the pieces of a stream of documents; :meth:`finish` says which are frequent."""

    def __init__(self, settings: BoilerplateSettings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.documents = 0
        self._width = math.ceil(1 / settings.error) if settings.error > 0 else 0
        # Plain dicts, not Counter: ``set.difference(dict)`` has a fast path for exact dicts.
        self._counts: dict[int, int] = {}
        #: Occurrences an entry may have missed before it was (re)inserted: the bucket of the
        #: last pruning at its insertion (a pruned entry had been seen at most that often).
        self._deltas: dict[int, int] = {}
        self._pruned_at = 0

    def add(self, text: str) -> None:
        keys = _piece_hashes(text, self.settings.max_glued_sentences, self.settings.min_glued_chars)
        self.documents += 1
        counts = self._counts
        new = keys.difference(counts)
        if new:
            counts.update(dict.fromkeys(new, 1))
            if self._pruned_at:
                self._deltas.update(dict.fromkeys(new, self._pruned_at))
        if len(new) < len(keys):
            for key in keys - new:
                counts[key] += 1
        if self._width and self.documents % self._width == 0 and len(counts) > _PRUNE_AT:
            self._prune(self.documents // self._width)

    def finish(self) -> Boilerplate:
        settings = self.settings
        threshold = settings.threshold(self.documents)
        pieces: frozenset[int] = frozenset()
        if threshold is not None:
            deltas = self._deltas
            # count + delta bounds the true count from above: no frequent piece is missed.
            pieces = frozenset(
                key
                for key, count in self._counts.items()
                if count + deltas.get(key, 0) >= threshold
            )
        return Boilerplate(
            pieces=pieces,
            min_chars=settings.block_chars(self.documents),
            max_glued_sentences=settings.max_glued_sentences,
            min_glued_chars=settings.min_glued_chars,
        )

    def _prune(self, bucket: int) -> None:
        """Drop the entries that cannot have been seen in more than ``bucket`` documents."""
        deltas = self._deltas
        self._counts = {
            key: count for key, count in self._counts.items() if count + deltas.get(key, 0) > bucket
        }
        self._deltas = {key: delta for key, delta in deltas.items() if key in self._counts}
        self._pruned_at = bucket


def learn(texts: Iterable[str], settings: BoilerplateSettings = DEFAULT_SETTINGS) -> Boilerplate:
    """Count the pieces of ``texts`` (one source) in one pass and return what is boilerplate."""
    learner = BoilerplateLearner(settings)
    for text in texts:
        learner.add(text)
    return learner.finish()


def detect(
    texts_by_doc: Iterable[tuple[K, str]], settings: BoilerplateSettings = DEFAULT_SETTINGS
) -> dict[K, tuple[IgnoredRange, ...]]:
    """The boilerplate ranges of each document of one source, by the caller's key.

    Every key is in the result (an empty tuple when the document has none).
    """
    if iter(texts_by_doc) is texts_by_doc:
        # A one-shot iterator cannot be read twice; keep its texts for the second pass.
        texts_by_doc = list(texts_by_doc)
    model = learn((text for _key, text in texts_by_doc), settings)
    if not model.pieces:
        return {key: () for key, _text in texts_by_doc}
    return {key: model.ranges(text) for key, text in texts_by_doc}


def _cut_lines(text: str) -> Iterator[tuple[int, str, list[tuple[int, int]]]]:
    """``(offset, stripped line, cuts)`` for each non-blank line of ``text``.

    A cut is ``(end of the left part, start of the right part)`` at a boundary inside the line,
    relative to the stripped line; the two differ by the spaces between the sentences.
    """
    bounds = [(match.end(1), match.end()) for match in _BOUNDARY.finditer(text)]
    count = len(bounds)
    next_bound = 0
    position = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            start = position + len(raw) - len(raw.lstrip())
            end = start + len(line)
            cuts: list[tuple[int, int]] = []
            # A boundary needs a visible character after it on its own line, so every boundary
            # up to this line's end lies strictly inside this line.
            while next_bound < count and bounds[next_bound][0] <= end:
                left, right = bounds[next_bound]
                cuts.append((left - start, right - start))
                next_bound += 1
            yield start, line, cuts
        position += len(raw) + 1


def _piece_hashes(text: str, glued: int, shortest: int) -> set[int]:
    keys: set[int] = set()
    add = keys.add
    for _start, line, cuts in _cut_lines(text):
        add(hash(line))
        if cuts:
            last = len(line) - shortest
            for left, _right in cuts[:glued]:
                if left >= shortest:
                    add(hash(line[:left]))
            for _left, right in cuts[-glued:]:
                if right <= last:
                    add(hash(line[right:]))
    return keys


def _glued(
    line: str, cuts: list[tuple[int, int]], pieces: frozenset[int], glued: int, shortest: int
) -> tuple[int, int]:
    """``(head end, tail start)``: the longest frequent prefix and suffix of ``line`` (0: none)."""
    head = tail = 0
    for left, _right in reversed(cuts[:glued]):
        if left < shortest:
            break
        if hash(line[:left]) in pieces:
            head = left
            break
    last = len(line) - shortest
    for _left, right in cuts[-glued:]:
        if right > last:
            break
        if hash(line[right:]) in pieces:
            tail = right
            break
    return head, tail
