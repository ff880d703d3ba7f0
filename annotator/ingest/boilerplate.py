"""Corpus-level boilerplate: passages that recur verbatim across the documents of one source.

Boilerplate stays in the text, so offsets never shift (docs/adr/0004); this only finds it, as
ignored ranges.

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
2. **Counting.** Each document adds the *set* of its pieces' keys (a hash, with the piece's
   length in its low bits; a piece counts once per document) to a lossy counter (Manku &
   Motwani, 2002): at a bucket boundary (every ``1 / error`` documents) once the table is
   large, entries seen too rarely to become frequent are dropped, so memory is bounded by the
   frequent pieces plus a fixed table, whatever the corpus size. A count may miss at most
   ``error`` x documents of a piece's occurrences (its upper bound is used, so no frequent
   piece is missed); counting is exact until the first pruning.

   **Sampling.** The documents of a source are all counted up to ``2 x sample`` (500 by
   default); past that, the n-th is counted with a chance of 1 in ``n // sample``, and counts
   that many times (an unbiased estimate of the documents a piece is in). Boilerplate repeats:
   a sample finds it as well as every document does, and counting is most of the cost. About
   ``sample x (1 + ln(N / sample))`` of N documents are counted (1,100 of 5,000; 1,900 of
   100,000), and a piece's estimated share is off by about ``sqrt(p(1 - p) / (2 x sample))``
   (1.8 points at a share of 20%), whatever N: only a piece within a few points of the
   threshold can come out otherwise than from a count of every document. Which documents are
   counted depends on their position alone (a golden-ratio sequence: evenly spread over any
   stretch of the stream and over every k-th document of it), so a source gives the same
   ranges in every run.
3. **Frequent.** A piece is frequent when it is in at least ``max(min_docs, min_share x N)``
   of the source's N documents; when there are fewer than ``min_docs`` documents but at least
   two, when all of them share it.
4. **Marking.** In each document a line whose whole text is frequent is boilerplate. In any
   other line, the longest frequent prefix is a glued *head* (a block that ends where the body
   starts in the same line) and the longest frequent suffix a glued *tail* (a block that starts
   at the end of a body line). Consecutive boilerplate lines, a head that ends a run and a tail
   that starts one form a *block*; a block counts only when it holds at least ``min_chars``
   characters (``pair_min_chars`` for a source of fewer than ``min_docs`` documents, except
   for a block that ends the document: see below), so a short line such as "Comments" is kept
   when alone and marked next to a footer. Each block
   becomes one :class:`IgnoredRange` from its first character to its last, taking in the line
   breaks (and blank lines) between its lines. A head always ends at a boundary, so a range
   never ends inside the body's first word.

   Why a source of two documents needs 200 characters: with only two texts, "in every
   document" is weak evidence (two reports of one event share quotes, a headline, a dateline),
   so only a long passage counts. Lines that both documents *end* with are the exception: a
   comment or subscribe footer is short, and a shared ending is what a template gives, not what
   two independent stories do. A block that runs to the end of the text (only blank lines
   after it) therefore needs ``min_chars`` there too.

Passes and memory
-----------------
:func:`detect` reads the texts twice: once to count, once to mark (and the first
``WINDOW_DOCUMENTS`` of them once more, for the frequent pieces' texts). Give it something that
can be iterated more than once (a list, or an object whose ``__iter__`` runs the query again)
and its memory is the counter plus the result; a one-shot iterator is first materialised into a
list. For a source too large for its result to be held, use :func:`learn`,
:meth:`Boilerplate.with_windows` and :meth:`Boilerplate.ranges`.
Hashes are Python's (salted per process): a :class:`Boilerplate` is not meant to be stored.

Cost
----
Counting scans each line with a full stop (or another mark) for boundaries and hashes every
piece: it is most of the time, hence the sampling. Marking, once it knows the frequent pieces'
texts (:meth:`Boilerplate.with_windows`, from a few documents), compares every line's first and
last ``min_glued_chars`` characters with theirs, in C, and looks only at the lines that begin
or end like one. Without them it looks up each line's length; only a line whose characters at
the frequent pieces' lengths could end a prefix or start a suffix at a boundary is scanned, and
only a piece of a frequent length is hashed.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Container, Hashable, Iterable
from dataclasses import dataclass, field, replace
from itertools import accumulate, compress, islice, repeat
from operator import and_, itemgetter, or_, sub
from typing import TypeVar

from annotator.core.model import IgnoredRange

K = TypeVar("K", bound=Hashable)

REASON = "boilerplate"

# A sentence-final punctuation mark and the closing quotes/brackets after it (group 1), then
# spaces and anything but an ASCII lowercase letter, or directly a capital or an opening quote
# (group 2: the spaces, empty when glued). It never crosses a line break. A full stop after a
# capitalised word of one to three letters is no boundary: "Mr.", "Dr.", "St.", "U.S.", "J."
# open many paragraphs, and a head that took them in would take them off the body.
_CLOSING = "\"'’”»)\\]"
_SPACES = " \\t\\u00a0"
_OPENING = "A-ZÀ-ÖØ-Þ\"'‘“«(\\["
_ABBREVIATION = "".join(
    f"(?<!{before}[A-Z]{'[a-z]' * lower}\\.)"
    for before in ("[\\s(\"'.]", "^")
    for lower in range(3)
)


def _boundary(mark: str) -> re.Pattern[str]:
    return re.compile(
        f"({mark}"
        # Two shortcuts that change no match but spare most marks the six lookbehinds: what must
        # follow the mark of a boundary (most full stops that are none end a line), and three
        # lowercase letters before it, which rule out an abbreviation.
        f"(?=[{_CLOSING}{_SPACES}{_OPENING}])"
        f"(?:(?<=[a-z][a-z][a-z].)|{_ABBREVIATION})"
        f"[{_CLOSING}]*)"  # the closing quotes or brackets
        f"([{_SPACES}]+(?=[^\\sa-z])|(?=[{_OPENING}]))"  # spaces, or glued to a capital
    )


# A single character class as the first item lets the regex engine skip ahead without trying
# the whole pattern at each character (``[.!?…]+`` is 3x slower; an ellipsis still matches at
# its last dot), but a literal first character is faster still: the engine then looks for it
# with a plain character loop, 4x faster than testing each character against the class. Most
# texts have no "!", "?" or "…", and for them the full stop alone finds the same boundaries.
# A line is scanned with ``split``, whose parts' lengths give every offset without a match
# object per boundary. (The boundaries of a stripped line alone are those it has in its text:
# what comes before a line, whitespace or the start of the text, and after it, whitespace or
# the end, are alike to the pattern.)
_BOUNDARY = _boundary("[.!?…]")
_FULL_STOP_BOUNDARY = _boundary(r"\.")

#: Prune the lossy counter only once it holds this many entries: pruning later than the bucket
#: boundary keeps more entries for longer, never fewer, and saves a pass per bucket.
_PRUNE_AT = 100_000

# Sampling (see BoilerplateLearner.add): the n-th document is picked when n x 2**64 / phi,
# modulo 2**64, falls in the first 1 / every of the range.
_GOLDEN = 0x9E3779B97F4A7C15
_SPAN = 1 << 64
_SPAN_MASK = _SPAN - 1

#: How many documents :func:`detect` looks in for the texts of the frequent pieces (see
#: ``Boilerplate.with_windows``); a piece in 20% of the documents is nearly always in 64.
WINDOW_DOCUMENTS = 64


@dataclass(frozen=True, slots=True)
class BoilerplateSettings:
    """Thresholds; the defaults are what docs/formats.md ("Boilerplate") documents."""

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
    #: Every document of a source is counted up to twice this many; past that, the n-th is
    #: counted with a chance of 1 in n // sample, that many times (see "Sampling" above).
    #: 0: every document.
    sample: int = 250

    def __post_init__(self) -> None:
        if not 0 <= self.min_share <= 1 or self.min_docs < 2 or self.sample < 0:
            raise ValueError(
                "min_share must be within 0..1, min_docs at least 2 and sample at least 0"
            )
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

    def end_block_chars(self, documents: int) -> int:
        """The size that counts for a block that ends the document (a footer), any source."""
        return min(self.min_chars, self.block_chars(documents))


DEFAULT_SETTINGS = BoilerplateSettings()


# A piece's key: its hash with the low bits replaced by its length (for a piece of 2**16
# characters or more, the length's higher bits mix into the hash's; the key is still a function
# of the piece). It is as unlikely as a hash to be shared by two pieces, and it tells the length
# of its piece, which marking puts to use.
_LENGTH_BITS = 16
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1
# Positive: ``&`` with a negative int costs Python an extra allocation.
_HASH_MASK = (1 << 64) - 1 - _LENGTH_MASK


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """What is boilerplate in one source: the keys of its frequent pieces (see ``_LENGTH_BITS``:
    a hash with the piece's length in its low bits)."""

    pieces: frozenset[int]
    min_chars: int
    max_glued_sentences: int = DEFAULT_SETTINGS.max_glued_sentences
    min_glued_chars: int = DEFAULT_SETTINGS.min_glued_chars
    #: The size that counts for a block that runs to the end of the text; ``None``: min_chars.
    end_min_chars: int | None = None
    #: The first ``min_glued_chars`` characters of every frequent piece (the whole piece when
    #: shorter), and the last of those as long, once their texts are known
    #: (see :meth:`with_windows`): a line that begins like none of them and ends like none of
    #: them is neither a frequent piece nor has a frequent head or tail. ``None``: every line
    #: is looked at.
    windows: tuple[frozenset[str], frozenset[str]] | None = None
    # Derived from the above: the lengths of the frequent pieces (their low bits, from their
    # keys), and what tells the lines that may have a glued head or tail.
    _lengths: frozenset[int] = field(init=False, repr=False, compare=False)
    _glued: _GluedFilter = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lengths = frozenset(key & _LENGTH_MASK for key in self.pieces)
        object.__setattr__(self, "_lengths", lengths)
        object.__setattr__(self, "_glued", _GluedFilter(lengths, self.min_glued_chars))

    def with_windows(self, texts: Iterable[str]) -> Boilerplate:
        """This, with ``windows`` from the texts of the frequent pieces found in ``texts`` (a
        few documents of the source), or as it is when one of them is not there (a piece of
        an older template, say): marking then looks at every line."""
        shortest = self.min_glued_chars
        if self.windows is not None or not self.pieces or shortest < 1:
            return self
        found: dict[int, str] = {}
        for text in texts:
            found.update(_piece_texts(text, self.max_glued_sentences, shortest))
            if self.pieces <= found.keys():
                break
        else:
            return self
        # A piece shorter than the window is whole: a line as short is compared whole.
        windows = (
            frozenset(found[key][:shortest] for key in self.pieces),
            frozenset(found[key][-shortest:] for key in self.pieces if len(found[key]) >= shortest),
        )
        return replace(self, windows=windows)

    def ranges(self, text: str) -> tuple[IgnoredRange, ...]:
        """The boilerplate blocks of ``text``, in order, merged across line breaks."""
        pieces = self.pieces
        if not pieces:
            return ()
        if self.windows is not None and len(text) <= _LENGTH_MASK:
            return self._ranges_by_windows(text, *self.windows)
        # A length is looked up before a piece is sliced out and hashed: few pass.
        lengths: Container[int] = self._lengths
        sizes, last_chars, every = self._glued.sizes, self._glued.last_chars, self._glued.every
        if len(text) > _LENGTH_MASK:
            # Lengths past the low bits: look them up by those, and scan every line.
            lengths, sizes, every = _LowBits(self._lengths), [], True
        split, _mark = _splitter(text)
        result: list[IgnoredRange] = []
        block_start = block_end = block_chars = 0
        open_line = -2  # index of the line whose end the open block reaches; -2: no block
        index = -1
        position = 0
        for raw in text.split("\n"):
            raw_start, position = position, position + len(raw) + 1
            line = raw.strip()
            if not line:
                continue
            index += 1
            size = len(line)
            if size in lengths and (hash(line) & _HASH_MASK | size) in pieces:
                head, tail = size, 0
            else:
                # Can the line have a frequent head or tail at all? A few of its characters
                # tell that it cannot for nearly every line (see _GluedFilter), without a scan
                # for its boundaries.
                maybe_head = maybe_tail = every
                count = bisect_left(sizes, size)  # the frequent lengths shorter than the line
                if count:
                    maybe_head = not _HEAD_LAST.isdisjoint(last_chars[count - 1](line))
                    for length in sizes:
                        if length >= size:
                            break
                        if line[-length] not in _LOWERCASE and line[-length - 1] in _TAIL_BEFORE:
                            maybe_tail = True
                            break
                head = tail = 0
                if maybe_head or maybe_tail:
                    head, tail = self._glued_ends(line, split, maybe_head, maybe_tail, lengths)
                if not head and not tail:
                    # Most lines: body, which ends any open block.
                    if block_chars:
                        self._close(result, block_start, block_end, block_chars)
                        block_chars, open_line = 0, -2
                    continue
            start = raw_start + len(raw) - len(raw.lstrip())
            if head:
                if open_line == index - 1:
                    block_end, block_chars = start + head, block_chars + head
                else:
                    self._close(result, block_start, block_end, block_chars)
                    block_start, block_end, block_chars = start, start + head, head
                if head == size:
                    open_line = index
                    continue
            # The line's body ends any open block.
            self._close(result, block_start, block_end, block_chars)
            block_chars, open_line = 0, -2
            if tail:
                block_start, block_end = start + tail, start + size
                block_chars, open_line = size - tail, index
        # A block still open here runs to the text's last line: a footer.
        end_min = self.min_chars if self.end_min_chars is None else self.end_min_chars
        self._close(result, block_start, block_end, block_chars, end_min)
        return tuple(result)

    def _ranges_by_windows(
        self, text: str, heads: frozenset[str], tails: frozenset[str]
    ) -> tuple[IgnoredRange, ...]:
        """:meth:`ranges`, looking only at the lines that are a frequent piece or begin or end
        like one: those are found in C for every line at once (nearly every line is body), and
        the blocks are made of them alone, told apart by the non-blank lines between."""
        raws = text.split("\n")
        lines = list(map(str.strip, raws))
        shortest = self.min_glued_chars
        firsts = map(heads.__contains__, map(itemgetter(slice(None, shortest)), lines))
        lasts = map(tails.__contains__, map(itemgetter(slice(-shortest, None)), lines))
        hits = list(compress(range(len(lines)), map(or_, firsts, lasts)))
        if not hits:
            return ()
        split, _mark = _splitter(text)
        pieces, lengths = self.pieces, self._lengths
        result: list[IgnoredRange] = []
        block_start = block_end = block_chars = 0
        open_line = -1  # the raw line whose end the open block reaches; -1: no block
        position = passed = 0  # where raw line ``passed`` starts
        for at in hits:
            line = lines[at]
            size = len(line)
            if size in lengths and (hash(line) & _HASH_MASK | size) in pieces:
                head, tail = size, 0
            else:
                head = tail = 0
                if size > shortest:
                    head, tail = self._glued_ends(line, split, True, True, lengths)
                if not head and not tail:
                    if block_chars:
                        self._close(result, block_start, block_end, block_chars)
                        block_chars, open_line = 0, -1
                    continue
            position += sum(map(len, raws[passed:at])) + at - passed
            passed = at
            raw = raws[at]
            start = position + len(raw) - len(raw.lstrip())
            if head:
                # A block goes on from the line before, blank lines apart.
                if open_line >= 0 and not any(lines[open_line + 1 : at]):
                    block_end, block_chars = start + head, block_chars + head
                else:
                    self._close(result, block_start, block_end, block_chars)
                    block_start, block_end, block_chars = start, start + head, head
                if head == size:
                    open_line = at
                    continue
            self._close(result, block_start, block_end, block_chars)
            block_chars, open_line = 0, -1
            if tail:
                block_start, block_end = start + tail, start + size
                block_chars, open_line = size - tail, at
        if block_chars and not any(lines[open_line + 1 :]):
            # A block still open at the text's last non-blank line: a footer.
            end_min = self.min_chars if self.end_min_chars is None else self.end_min_chars
            self._close(result, block_start, block_end, block_chars, end_min)
        else:
            self._close(result, block_start, block_end, block_chars)
        return tuple(result)

    def _glued_ends(
        self,
        line: str,
        split: Callable[[str], list[str]],
        maybe_head: bool,
        maybe_tail: bool,
        lengths: Container[int],
    ) -> tuple[int, int]:
        """``(head end, tail start)``: the longest frequent prefix and suffix of ``line`` that
        end and start at a boundary (0: none); the whole line for the head when they overlap.
        """
        parts = split(line)
        if len(parts) == 1:
            return 0, 0
        pieces, shortest = self.pieces, self.min_glued_chars
        lefts, rights = _cuts(parts, self.max_glued_sentences)
        head = tail = 0
        if maybe_head:
            # The longest first: from the last of the line's first few boundaries.
            for left in reversed(lefts):
                if left < shortest:
                    break
                if left in lengths and (hash(line[:left]) & _HASH_MASK | left) in pieces:
                    head = left
                    break
        if maybe_tail:
            size = len(line)
            # The longest first: from the first of the line's last few boundaries.
            for right in rights:
                rest = size - right
                if rest < shortest:
                    break
                if rest in lengths and (hash(line[right:]) & _HASH_MASK | rest) in pieces:
                    tail = right
                    break
        if head and tail and head >= tail:
            return len(line), 0
        return head, tail

    def _close(
        self,
        result: list[IgnoredRange],
        start: int,
        end: int,
        chars: int,
        min_chars: int | None = None,
    ) -> None:
        if chars and chars >= (self.min_chars if min_chars is None else min_chars):
            result.append(IgnoredRange(start, end, REASON))


#: The last character of a prefix that ends at a boundary: a mark or a closing quote.
_HEAD_LAST = frozenset(".!?…\"'’”»)]")
#: The character before a suffix that starts at a boundary: that, or a space.
_TAIL_BEFORE = _HEAD_LAST | frozenset(" \t\u00a0")
#: What a suffix that starts at a boundary never starts with.
_LOWERCASE = frozenset("abcdefghijklmnopqrstuvwxyz")


class _GluedFilter:
    """What tells which lines may have a frequent head or tail from a few of their characters.

    Finding a line's boundaries costs a regex scan, and nearly every line has no frequent prefix
    or suffix: the lengths of the frequent pieces rule those out first. A line can only have a
    head or tail of a frequent length shorter than it. A prefix of length n that ends at a
    boundary has a mark or a closing quote for n-th character (picked for every such n at once,
    in C, by an ``itemgetter``); a suffix of length n that starts at one has no lowercase letter
    first, and a space, a mark or a closing quote before. Nearly every line fails both tests.
    """

    #: Past this many lengths, every line is scanned: the tail test, a Python loop over them,
    #: would cost more than the scan (and the getters grow as their square).
    MOST = 32

    def __init__(self, lengths: frozenset[int], shortest: int) -> None:
        sizes = sorted(size for size in lengths if size >= max(shortest, 1))
        #: Let every line through.
        self.every = len(sizes) > self.MOST
        #: The lengths a frequent head or tail can have, in order.
        self.sizes = [] if self.every else sizes
        #: At index k, what picks a line's characters that end prefixes of the first k + 1
        #: sizes, in C. (For one size, the character itself, which iterates as itself.)
        self.last_chars = [
            itemgetter(*(size - 1 for size in self.sizes[:end]))
            for end in range(1, len(self.sizes) + 1)
        ]


class _LowBits:
    """Lengths looked up by their low bits, as keys hold them: for a text too long for all of
    its pieces' lengths to fit."""

    __slots__ = ("lengths",)

    def __init__(self, lengths: frozenset[int]) -> None:
        self.lengths = lengths

    def __contains__(self, length: object) -> bool:
        return isinstance(length, int) and length & _LENGTH_MASK in self.lengths


class BoilerplateLearner:
    """Counts the pieces of a stream of documents; :meth:`finish` says which are frequent."""

    def __init__(self, settings: BoilerplateSettings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.documents = 0
        self._width = math.ceil(1 / settings.error) if settings.error > 0 else 0
        #: Piece key -> its count less ``_pruned_at``. A count bounds from above the documents
        #: the piece is in: those since its last insertion plus the occurrences it may have
        #: missed before, the bucket of the last pruning at that insertion (a pruned entry had
        #: been seen at most that often). Less ``_pruned_at``, a new entry starts at 0 like in
        #: any counter, so a document is counted by a single ``Counter.update``, in C; a
        #: pruning, which rebuilds the table anyway, shifts what it keeps.
        self._counts: Counter[int] = Counter()
        self._pruned_at = 0

    def add(self, text: str) -> None:
        settings = self.settings
        seen = self.documents
        self.documents = seen + 1
        every = seen // settings.sample if settings.sample else 0
        if every < 2:
            self._counts.update(
                _piece_keys(text, settings.max_glued_sentences, settings.min_glued_chars)
            )
        elif (seen * _GOLDEN) & _SPAN_MASK < _SPAN // every:
            # One in ``every``, counted ``every`` times. The golden-ratio sequence spreads the
            # picks evenly over any stretch of the stream and over every k-th document of it
            # (sources that alternate templates are sampled fairly), the same in every run.
            keys = _piece_keys(text, settings.max_glued_sentences, settings.min_glued_chars)
            self._counts.update(dict.fromkeys(keys, every))
        if self._width and self.documents % self._width == 0 and len(self._counts) > _PRUNE_AT:
            self._prune(self.documents // self._width)

    def finish(self) -> Boilerplate:
        settings = self.settings
        threshold = settings.threshold(self.documents)
        pieces: frozenset[int] = frozenset()
        if threshold is not None:
            # The count bounds the true count from above: no frequent piece is missed.
            pieces = frozenset(_above(self._counts, threshold - self._pruned_at - 1))
        return Boilerplate(
            pieces=pieces,
            min_chars=settings.block_chars(self.documents),
            end_min_chars=settings.end_block_chars(self.documents),
            max_glued_sentences=settings.max_glued_sentences,
            min_glued_chars=settings.min_glued_chars,
        )

    def _prune(self, bucket: int) -> None:
        """Drop the entries that cannot have been seen in more than ``bucket`` documents."""
        counts = self._counts
        shift = bucket - self._pruned_at
        kept = _above(counts, shift)
        self._counts = Counter(
            dict(zip(kept, map(sub, map(counts.__getitem__, kept), repeat(shift)), strict=True))
        )
        self._pruned_at = bucket


def _above(counts: Counter[int], floor: int) -> list[int]:
    """The keys of ``counts`` counted more than ``floor`` times, found in C."""
    return list(compress(counts, map(floor.__lt__, counts.values())))


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
    model = model.with_windows(islice((text for _key, text in texts_by_doc), WINDOW_DOCUMENTS))
    return {key: model.ranges(text) for key, text in texts_by_doc}


def _splitter(text: str) -> tuple[Callable[[str], list[str]], str]:
    """What splits the lines of ``text`` at their boundaries into text, mark and spaces parts
    (text, mark, spaces, text, ..., text), and a string that a line with a boundary holds before
    its last character (a mark needs something after it)."""
    if "!" in text or "?" in text or "…" in text:
        return _BOUNDARY.split, ""
    return _FULL_STOP_BOUNDARY.split, "."


def _cuts(parts: list[str], glued: int) -> tuple[list[int], list[int]]:
    """The ends of the first ``glued`` prefixes and the starts of the last ``glued`` suffixes
    that a line split into ``parts`` has at its boundaries."""
    offsets = list(accumulate(map(len, parts)))
    lefts, rights = offsets[1::3], offsets[2::3]
    if len(lefts) > glued:
        return lefts[:glued], rights[-glued:]
    return lefts, rights


def _piece_texts(text: str, glued: int, shortest: int) -> dict[int, str]:
    """The pieces of ``text`` by key (as ``_piece_keys``, with their texts: a few documents)."""
    found = {}
    split, _mark = _splitter(text)
    for line in filter(None, map(str.strip, text.split("\n"))):
        pieces = [line]
        parts = split(line)
        if len(parts) > 1:
            lefts, rights = _cuts(parts, glued)
            pieces.extend(line[:left] for left in lefts if left >= shortest)
            pieces.extend(line[right:] for right in rights if len(line) - right >= shortest)
        for piece in pieces:
            found[hash(piece) & _HASH_MASK | len(piece)] = piece
    return found


def _piece_keys(text: str, glued: int, shortest: int) -> set[int]:
    """The keys of the pieces of ``text``."""
    lines = list(filter(None, map(str.strip, text.split("\n"))))
    # Every whole line, in C; only the lines with a boundary need more.
    keys = set(map(or_, map(and_, map(hash, lines), repeat(_HASH_MASK)), map(len, lines)))
    split, mark = _splitter(text)
    add = keys.add
    for line in lines:
        if line.find(mark, 0, len(line) - 1) < 0:
            continue
        parts = split(line)
        if len(parts) == 1:
            continue
        # (_cuts, inlined: this runs for most lines of every document.)
        offsets = list(accumulate(map(len, parts)))
        lefts, rights = offsets[1::3], offsets[2::3]
        if len(lefts) > glued:
            lefts, rights = lefts[:glued], rights[-glued:]
        for left in lefts:
            if left >= shortest:
                add(hash(line[:left]) & _HASH_MASK | left)
        size = len(line)
        for right in rights:
            rest = size - right
            if rest < shortest:
                break
            add(hash(line[right:]) & _HASH_MASK | rest)
    return keys
