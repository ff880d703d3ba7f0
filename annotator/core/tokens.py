"""The one tokenizer: spaCy's blank English pipeline plus the rule-based sentencizer.

Every consumer (the editor's snapping, every export, the suggesters) takes tokens and sentences
from here, so a span that is token-aligned in the UI is token-aligned in spaCy
(docs/ARCHITECTURE.md, "The offset contract"). The pipeline needs no downloaded model; it is
built on first use, once per process.

spaCy's output is adjusted in three ways, each because our contract needs it:

* Whitespace tokens (spaCy emits one for ``"\\n"``, a second space, a tab, NBSP, U+2028) are
  dropped, and other tokens are trimmed of whitespace at their ends: a token is something an
  annotator can select, and selections never start or end with whitespace.
* spaCy splits inside grapheme clusters: a flag becomes two regional-indicator tokens, an emoji
  ZWJ family becomes five tokens (each ZWJ on its own), a skin tone or U+FE0F leaves its emoji,
  and a combining mark after a space starts a token. Token edges are widened to the enclosing
  cluster boundaries and tokens that then overlap are merged, so a token never splits a cluster.
* The sentencizer only breaks after sentence-final punctuation, so a headline line (no full
  stop) would run into the first paragraph. Sentences also break at every line break (the
  characters :meth:`str.splitlines` breaks at). spaCy already splits "difference.Russia".

One rule is added to spaCy's own: a full stop after an uppercase letter or a digit that ends a
word is a token of its own ("to 47C." gives "47C" and "."; "the US." gives "US" and "."), as
spaCy already does after a lowercase letter. Without it the span "47C" could not be expressed
in a token format and was widened on export. A known abbreviation stays whole: spaCy's
exceptions ("U.S.", "Inc.", "Jan.", "No.") are matched first, a period inside the word
("U.S.", "N.Y.C.", "3.5.") keeps the last one attached, and so does a single letter ("John F.
Kennedy"). The split full stop also ends the sentence, as a lone "." does.

Offsets are code points, end exclusive; spaCy's ``token.idx`` already counts code points.
Sentences are built from the adjusted tokens, so each one starts at its first token and ends at
its last (no surrounding whitespace) and every token lies in exactly one sentence.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, overload

from annotator.core.graphemes import grapheme_interior_offsets
from annotator.core.text import MAX_FILE_BYTES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "Sentence",
    "Token",
    "TokenList",
    "Tokenized",
    "get_nlp",
    "tokenize",
    "tokenize_many",
]

#: Bump whenever a rule here changes where tokens or sentences fall: stored boundaries made by
#: an older version are then recomputed (annotator.export.token_cache).
VERSION: Final = 3

#: Quotation marks that open a quotation when they follow a space: “ ‘ « „ ‚ and the plain ones.
_OPENING_QUOTES: Final = "\u201c\u2018\u00ab\u201e\u201a\"'"

# A full stop at the end of a word, after an uppercase letter or digit that itself follows a
# letter or digit (not a period: "U.S." stays one token; not the start: "F." stays one).
_FINAL_PERIOD: Final = r"(?<=[A-Za-z0-9][A-Z0-9])\."

# What str.splitlines() breaks at. U+2028/U+2029 and the rest are line breaks on screen too.
_LINE_BREAK: Final = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


class TokenList(Sequence[Token]):
    """A text's tokens as two offset arrays; :class:`Token` objects are built the first time
    one is asked for by index (then kept, so the suggesters' many lookups stay cheap). An
    export reads hundreds of thousands of tokens and needs only their offsets and words."""

    __slots__ = ("_built", "_ends", "_starts", "_text")

    def __init__(self, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        self._text, self._starts, self._ends = text, starts, ends
        self._built: tuple[Token, ...] | None = None

    def _tokens(self) -> tuple[Token, ...]:
        if self._built is None:
            self._built = tuple(
                map(Token, self._starts, self._ends, _words(self._text, self._starts, self._ends))
            )
        return self._built

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> Token: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Token, ...]: ...
    def __getitem__(self, index: int | slice) -> Token | tuple[Token, ...]:
        return self._tokens()[index]

    def __iter__(self) -> Iterator[Token]:
        return iter(self._tokens())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(map(operator.eq, self, other))

    def __hash__(self) -> int:
        return hash(self._tokens())

    def __repr__(self) -> str:
        return f"TokenList({list(self)!r})"


def _words(text: str, starts: Iterable[int], ends: Iterable[int]) -> Iterator[str]:
    # map() instead of a generator: no Python frame per token.
    return map(text.__getitem__, map(slice, starts, ends))


@dataclass(frozen=True, slots=True)
class Tokenized:
    """A text's tokens and sentences, in order, with offset lookups by binary search.

    Built from offsets (:meth:`from_offsets`, what tokenizing and the export token cache do),
    ``tokens`` is a :class:`TokenList` over offset arrays; ``starts``, ``ends`` and
    :meth:`words` give the tokens without an object per token.
    """

    tokens: Sequence[Token]
    sentences: tuple[Sentence, ...]
    _token_starts: Sequence[int] = field(init=False, repr=False, compare=False)
    _token_ends: Sequence[int] = field(init=False, repr=False, compare=False)
    _sentence_starts: Sequence[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_token_starts", tuple(t.start for t in self.tokens))
        object.__setattr__(self, "_token_ends", tuple(t.end for t in self.tokens))
        object.__setattr__(self, "_sentence_starts", tuple(s.start for s in self.sentences))

    @classmethod
    def from_offsets(
        cls,
        text: str,
        starts: Sequence[int],
        ends: Sequence[int],
        sentence_starts: Sequence[int],
        sentence_ends: Sequence[int],
    ) -> Tokenized:
        """Tokens ``text[starts[i]:ends[i]]`` and sentences ``sentence_starts[j] ..
        sentence_ends[j]`` (the sequences are kept, not copied)."""
        made = object.__new__(cls)
        put = object.__setattr__
        put(made, "tokens", TokenList(text, starts, ends))
        put(made, "sentences", tuple(map(Sentence, sentence_starts, sentence_ends)))
        put(made, "_token_starts", starts)
        put(made, "_token_ends", ends)
        put(made, "_sentence_starts", sentence_starts)
        return made

    @property
    def starts(self) -> Sequence[int]:
        """Every token's start offset, in order."""
        return self._token_starts

    @property
    def ends(self) -> Sequence[int]:
        """Every token's end offset (exclusive), in order."""
        return self._token_ends

    def words(self, text: str) -> list[str]:
        """Every token's text (``text`` is the tokenized text)."""
        return list(_words(text, self._token_starts, self._token_ends))

    def token_index_at(self, offset: int) -> int | None:
        """Index of the token containing the character at ``offset``; None in whitespace."""
        index = bisect.bisect_right(self._token_starts, offset) - 1
        if index >= 0 and offset < self._token_ends[index]:
            return index
        return None

    def token_at(self, offset: int) -> Token | None:
        index = self.token_index_at(offset)
        return None if index is None else self.tokens[index]

    def token_range(self, start: int, end: int) -> range:
        """Indices of the tokens that overlap ``start..end`` (even by one character)."""
        first = bisect.bisect_right(self._token_ends, start)
        stop = bisect.bisect_left(self._token_starts, end)
        return range(first, max(first, stop))

    def tokens_in(self, start: int, end: int) -> tuple[Token, ...]:
        """The tokens that overlap ``start..end``; partly covered ones are included."""
        indices = self.token_range(start, end)
        return self.tokens[indices.start : indices.stop]

    def token_indices(self, start: int, end: int) -> tuple[int, int] | None:
        """``(first, stop)`` token indices exactly covering ``start..end``, or None if the range
        does not start at a token start and end at a token end (what exports need)."""
        if start >= end:
            return None
        first = bisect.bisect_left(self._token_starts, start)
        last = bisect.bisect_left(self._token_ends, end)
        if (
            first < len(self.tokens)
            and self._token_starts[first] == start
            and last < len(self.tokens)
            and self._token_ends[last] == end
            and first <= last
        ):
            return first, last + 1
        return None

    def is_token_aligned(self, start: int, end: int) -> bool:
        """Whether ``start..end`` is non-empty, starts at a token start and ends at a token end."""
        return self.token_indices(start, end) is not None

    def sentence_index_at(self, offset: int) -> int | None:
        """Index of the sentence containing ``offset``; None between sentences."""
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return index
        return None

    def sentence_at(self, offset: int) -> Sentence | None:
        index = self.sentence_index_at(offset)
        return None if index is None else self.sentences[index]

    def sentence_tokens(self, index: int) -> tuple[Token, ...]:
        """The tokens of sentence ``index``."""
        sentence = self.sentences[index]
        return self.tokens_in(sentence.start, sentence.end)


_nlp: Language | None = None
_build_lock = threading.Lock()
# spaCy's tokenizer mutates caches and the shared vocabulary while it runs and calls back into
# Python (regexes), so two threads could interleave inside it; calls are serialised. A batch
# holds the lock only for its own documents, so the UI never waits for a whole export.
_run_lock = threading.Lock()


def get_nlp() -> Language:
    """The process-wide pipeline (``spacy.blank("en")`` + ``sentencizer``), built on first use.

    spaCy is imported here, not at module import, because importing it takes about a second.
    """
    global _nlp
    nlp = _nlp
    if nlp is not None:
        return nlp
    with _build_lock:
        if _nlp is None:
            import spacy
            from spacy.util import compile_suffix_regex

            built = spacy.blank("en")
            # spaCy's suffixes plus ours; its exceptions are still matched before any suffix.
            suffixes = [*built.Defaults.suffixes, _FINAL_PERIOD]
            built.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
            built.add_pipe("sentencizer")
            # A document can be as long as the largest file we import (no decoded file has more
            # characters than bytes); the blank pipeline's memory use is linear in the text.
            built.max_length = max(built.max_length, MAX_FILE_BYTES + 1)
            _nlp = built
        return _nlp


_RawParts = tuple[list[tuple[int, int]], list[int]]


def _raw_parts(doc: Doc, text: str) -> _RawParts:
    """Token ranges and sentence starts, copied out of a spaCy ``Doc`` (inside the lock)."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START

    if len(doc.text) != len(text):
        raise RuntimeError("spaCy changed the text it tokenized; offsets would be wrong")
    # One array copy instead of a Python object per token: several times faster.
    rows = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).tolist()
    spans = [(idx, idx + length) for idx, length, is_space, _ in rows if not is_space]
    starts = [
        _quote_start(text, rows[k - 1]) if k else idx
        for k, (idx, _, _, sent_start) in enumerate(rows)
        if sent_start == 1
    ]
    return spans, starts


def _quote_start(text: str, before: list[int]) -> int:
    """Where a sentence starting after token ``before`` starts: at that token when it is an
    opening quotation mark. The sentencizer ends a sentence after every closing punctuation,
    so in 'failed. “The company …,” said X.' it left the “ on the sentence before, and the
    quotation lost its opening mark (the claims suggester looks for it)."""
    idx, length, is_space, _ = before
    start = idx + length
    if is_space or length != 1 or text[idx] not in _OPENING_QUOTES:
        return start
    if idx and not text[idx - 1].isspace():
        return start  # glued to the word before: a closing mark ('He said "no".')
    return idx


def _cluster_edge(interior: list[int], offset: int, step: int) -> int:
    """The cluster boundary before (``step`` -1) or after (+1) an interior ``offset``.

    Interior offsets of one cluster are consecutive integers, so walk them in ``interior``
    (sorted) instead of recomputing boundaries.
    """
    index = bisect.bisect_left(interior, offset)
    while 0 <= index + step < len(interior) and interior[index + step] == offset + step:
        index += step
        offset += step
    return offset + step


def _build(text: str, parts: _RawParts) -> Tokenized:
    raw_spans, sentence_starts = parts
    # 1. Trim whitespace at token ends (a token can be all whitespace only if spaCy disagrees
    #    with str.isspace(); then it disappears).
    spans: list[tuple[int, int]] = []
    for start, end in raw_spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    # 2. Widen edges that fall inside a grapheme cluster and merge tokens that then overlap.
    #    Most texts have no cluster longer than one code point and skip this.
    interior = grapheme_interior_offsets(text)
    if interior:
        inside = set(interior)
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if start in inside:
                start = _cluster_edge(interior, start, -1)
            if end in inside:
                end = _cluster_edge(interior, end, +1)
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        spans = merged
    # 3. Sentences: a new one starts before token i when a sentencizer start or the character
    #    after a line break lies in (start of token i-1, start of token i]. A break that spaCy
    #    put inside a merged token therefore moves to the next token.
    breaks = sorted(set(sentence_starts) | {match.end() for match in _LINE_BREAK.finditer(text)})
    sentences: list[Sentence] = []
    if spans:
        first = 0
        b = 0
        n_breaks = len(breaks)
        for i in range(1, len(spans)):
            previous_start, start = spans[i - 1][0], spans[i][0]
            while b < n_breaks and breaks[b] <= previous_start:
                b += 1
            if b < n_breaks and breaks[b] <= start:
                sentences.append(Sentence(spans[first][0], spans[i - 1][1]))
                first = i
        sentences.append(Sentence(spans[first][0], spans[-1][1]))
    return Tokenized.from_offsets(
        text,
        [start for start, _ in spans],
        [end for _, end in spans],
        [sentence.start for sentence in sentences],
        [sentence.end for sentence in sentences],
    )


def tokenize(text: str) -> Tokenized:
    """Tokens and sentences of ``text`` (normalised document text), in code-point offsets."""
    nlp = get_nlp()
    with _run_lock:
        parts = _raw_parts(nlp(text), text)
    return _build(text, parts)


def tokenize_many(texts: Iterable[str], *, batch_size: int = 64) -> Iterator[Tokenized]:
    """:func:`tokenize` for many texts, in order, through ``nlp.pipe`` for throughput."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    nlp = get_nlp()
    iterator = iter(texts)
    while batch := list(itertools.islice(iterator, batch_size)):
        with _run_lock:
            parts = [
                _raw_parts(doc, text)
                for doc, text in zip(nlp.pipe(batch, batch_size=batch_size), batch, strict=True)
            ]
        for text, part in zip(batch, parts, strict=True):
            yield _build(text, part)
