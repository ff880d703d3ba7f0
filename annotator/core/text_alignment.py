"""Offsets of one text carried over to a near-duplicate of it (a syndicated copy with a new
headline, a footer and a few words changed), through an alignment of the two texts.

The alignment is difflib's matching blocks over code points: runs of characters the two texts
share, in order. A range maps when its first and last characters both fall in shared runs and
the characters between the mapped ends read exactly as in the source; anything else (a word
inside it changed, it straddles an insertion) does not map and is reported, never guessed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from difflib import SequenceMatcher


class Alignment:
    """Where each code point of ``source`` is in ``target``, where the two texts agree."""

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target
        matcher = SequenceMatcher(None, source, target, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        self._starts = [b.a for b in blocks]
        self._blocks = blocks

    def position(self, offset: int) -> int | None:
        """Where the character at ``offset`` of the source is in the target, or None when it
        is not in a shared run."""
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        block = self._blocks[i]
        if offset >= block.a + block.size:
            return None
        return block.b + offset - block.a

    def range(self, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` of the source in the target when its text is the same there."""
        if not 0 <= start < end <= len(self.source):
            return None
        first, last = self.position(start), self.position(end - 1)
        if first is None or last is None or last < first:
            return None
        if self.target[first : last + 1] != self.source[start:end]:
            return None
        return first, last + 1


def map_ranges(
    source: str, target: str, ranges: Sequence[tuple[int, int]]
) -> list[tuple[int, int] | None]:
    """Each range of ``source`` in ``target`` (None where its text is not the same there)."""
    alignment = Alignment(source, target)
    return [alignment.range(start, end) for start, end in ranges]
