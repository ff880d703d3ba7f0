"""Extended grapheme cluster boundaries (UAX #29) for a Python ``str``, through ``regex``'s ``\\X``.

A grapheme cluster is what a reader sees as one character: ``e`` + U+0301, a flag made of two
regional indicators, an emoji ZWJ family, a Hangul syllable spelled with jamo, a Devanagari
conjunct (consonant, virama, consonant), an Arabic number sign with the digit it stands over.
Selections and tokens must never split one (docs/adr/0004-text-normalised-once.md), so
everything that moves an offset asks this module where the clusters end.

The rules themselves are the ``regex`` package's: its ``\\X`` implements every rule of the
current UAX #29, including GB9b (prepended marks) and GB9c (Indic conjuncts), with tables for
the Unicode version it was built for, which is updated with each Unicode release
(docs/adr/0014-grapheme-clusters-through-regex.md). This module only adds what ``\\X``
alone does not give: offsets instead of strings, a shortcut for text in which nothing can join
and local answers for one offset. Like a space carrying a combining accent, a prepended mark
before a space makes a cluster that holds whitespace ("\\u0600 "); the tokenizer, snapping and
exporters already treat such clusters as a whole.

Speed: only the clusters around characters that can join are segmented (none at all in most
Latin, Cyrillic or CJK text), until those characters are frequent, when one pass of ``\\X``
over the rest is cheaper. All boundaries of 50,000 characters (CPU time, best of 21,
``benchmarks/bench_graphemes.py``; the hand-written segmenter this replaced in brackets): Hindi
8.8 ms (20.6), Bengali 8.0 (19.1), Arabic 10.2 (12.7), Thai 9.1 (17.2), emoji-heavy English
10.8 (7.4), accented Latin with typographic punctuation 1.9 (3.9), ASCII 0.8 (0.7). The old
segmenter disagreed with UAX #29 at 4,775 offsets of the Hindi text, 4,449 of the Bengali and
360 of the Arabic (GB9c and GB9b); this module at none. :func:`is_grapheme_boundary` and
:func:`snap_to_grapheme` segment only from the nearest certain boundary before the offset:
about 2-5 us each.
"""

from __future__ import annotations

import itertools
import re
from typing import Final, Literal

import regex

__all__ = [
    "Direction",
    "grapheme_boundaries",
    "grapheme_clusters",
    "grapheme_interior_offsets",
    "is_grapheme_boundary",
    "snap_to_grapheme",
]

Direction = Literal["backward", "forward"]

_CLUSTER: Final = regex.compile(r"\X")
_CRLF: Final = re.compile("\r\n")

# Runs of characters whose Grapheme_Cluster_Break is not Other, Control, CR or LF. Outside them
# no cluster is longer than one code point except CR LF: every rule that joins (GB6-GB9c,
# GB11-GB13) needs a character of another class (Hangul, Extend, ZWJ, SpacingMark, Prepend, a
# virama, a regional indicator) on one side. Latin, Greek, Cyrillic and CJK news text, with its
# quotes, dashes and currency signs, has few or none, so only the clusters around them are
# segmented; text that has many (Indic scripts, Thai, vocalised Arabic) is segmented whole.
_JOINING_RUN: Final = regex.compile(r"[^\p{GCB=Other}\p{GCB=Control}\p{GCB=CR}\p{GCB=LF}]+")
# More than one run per this many characters so far (after the first few) and a single pass of
# \X over the rest is cheaper (about 2 us per run against 0.2 us per character).
_RUNS_PER_SCAN: Final = 16

# An offset between a left character whose Grapheme_Cluster_Break is Other, Control or LF and a
# right one that is Other, Control, CR or LF is a boundary whatever comes before or after: GB4
# and GB5 break around controls, and every rule that joins (GB3, GB6-GB9c, GB11-GB13) needs a
# character of another class on one side (CR, Hangul, Extend, ZWJ, SpacingMark, Prepend, a
# virama, a regional indicator). Segmenting forward from such an offset gives the same clusters
# as segmenting from the start of the text, so local questions start from the nearest one.
# Searched backwards (REVERSE) from the offset asked about.
_CERTAIN_BOUNDARY: Final = regex.compile(
    r"(?<=[\p{GCB=Other}\p{GCB=Control}\p{GCB=LF}])"
    r"(?=[\p{GCB=Other}\p{GCB=Control}\p{GCB=CR}\p{GCB=LF}])",
    flags=regex.REVERSE,
)


def _sparse_scan(text: str) -> tuple[list[int], int]:
    """The interior offsets found by segmenting only around joining runs, and the offset (a
    boundary) from which the rest of the text still has to be segmented whole: ``len(text)``
    when the runs were sparse enough to do all of it this way."""
    if text.isascii():
        # Among ASCII characters only CR LF forms a cluster.
        return [match.start() + 1 for match in _CRLF.finditer(text)], len(text)
    interior: list[int] = []
    pos = 0  # a boundary; everything before it is done
    runs = 0
    for run in _JOINING_RUN.finditer(text):
        run_start, run_end = run.span()
        if run_end <= pos:
            continue  # already inside a cluster that an earlier run reached into
        runs += 1
        if runs * _RUNS_PER_SCAN > run_start + 256:
            return interior, pos
        # Segment from the nearest certain boundary before the run until past it (its last
        # cluster may reach beyond it: GB9b, GB9c, GB11); before that only CR LF can join.
        certain = _CERTAIN_BOUNDARY.search(text, pos, run_start + 1)
        start = pos if certain is None else max(certain.start(), pos)
        interior.extend(match.start() + 1 for match in _CRLF.finditer(text, pos, start))
        while start < run_end:
            end = _cluster_end(text, start)
            interior.extend(range(start + 1, end))
            start = end
        pos = start
    interior.extend(match.start() + 1 for match in _CRLF.finditer(text, pos))
    return interior, len(text)


def grapheme_interior_offsets(text: str) -> list[int]:
    """The offsets that are *not* boundaries (they lie inside a cluster), ascending.

    The complement of :func:`grapheme_boundaries`, and much shorter: most texts have none or a
    handful, so callers that only need to repair a few offsets (the tokenizer) ask for this.
    """
    interior, pos = _sparse_scan(text)
    for cluster in _CLUSTER.findall(text, pos):
        size = len(cluster)
        if size > 1:
            interior.extend(range(pos + 1, pos + size))
        pos += size
    return interior


def grapheme_boundaries(text: str) -> list[int]:
    """Every grapheme cluster boundary in ``text``, sorted, including 0 and ``len(text)``."""
    interior, pos = _sparse_scan(text)
    boundaries: list[int] = []
    start = 0
    for offset in interior:
        boundaries.extend(range(start, offset))
        start = offset + 1
    boundaries.extend(range(start, pos))
    boundaries.extend(itertools.accumulate(map(len, _CLUSTER.findall(text, pos)), initial=pos))
    return boundaries


def _cluster_end(text: str, start: int) -> int:
    match = _CLUSTER.match(text, start)
    # \X matches at least one code point anywhere before the end of the text.
    assert match is not None
    return match.end()


def grapheme_clusters(text: str) -> list[str]:
    """``text`` cut into its grapheme clusters (mostly for tests and debugging)."""
    return _CLUSTER.findall(text)


def _check_offset(text: str, i: int) -> None:
    if not 0 <= i <= len(text):
        raise ValueError(f"offset {i} is outside the text (0..{len(text)})")


def _cluster_around(text: str, i: int) -> tuple[int, int]:
    """The boundaries ``(start, end)`` with ``start <= i <= end`` and none strictly between.

    ``start == end == i`` when ``i`` is a boundary. Starts at the nearest certain boundary at or
    before ``i`` and walks forward cluster by cluster, so the cost is the distance to it.
    """
    if i == 0 or i == len(text):
        return i, i
    certain = _CERTAIN_BOUNDARY.search(text, 0, i + 1)
    start = certain.start() if certain is not None else 0
    while start < i:
        end = _cluster_end(text, start)
        if end == i:
            return i, i
        if end > i:
            return start, end
        start = end
    return i, i


def is_grapheme_boundary(text: str, i: int) -> bool:
    """Whether offset ``i`` (0..len(text)) lies between two grapheme clusters.

    Decided from the clusters around ``i``; agrees with :func:`grapheme_boundaries`.
    """
    _check_offset(text, i)
    start, end = _cluster_around(text, i)
    return start == end


def snap_to_grapheme(text: str, i: int, direction: Direction) -> int:
    """The nearest grapheme boundary at or before (``"backward"``) or after ``i``.

    ``i`` is clamped to 0..len(text) first, so callers may pass raw widget positions.
    """
    if direction not in ("backward", "forward"):
        raise ValueError(f"direction must be 'backward' or 'forward', not {direction!r}")
    i = min(max(i, 0), len(text))
    start, end = _cluster_around(text, i)
    return start if direction == "backward" else end
