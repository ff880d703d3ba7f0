"""Code points <-> UTF-16 code units, per document, for the Qt widget boundary.

Python offsets count code points; Qt counts UTF-16 code units, in which every character above
U+FFFF (emoji, flags, some CJK) takes two units, a surrogate pair. The two only differ by the
number of such "astral" characters before an offset, so the table stores just their positions:
most texts have none and then both conversions are the identity (after a range check). With
astral characters a conversion is one binary search, O(log k) for k astral characters.

A UTF-16 offset that falls between the two halves of a surrogate pair maps to the code point
that contains it, i.e. it rounds down to the start of that character (Qt never puts a cursor
there, but a stray offset must not raise or land after the character). Ranges round outwards
instead, so a range always covers every unit it was given.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

__all__ = ["Utf16Table"]

_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


class Utf16Table:
    """Offset conversion for one text. Build it once per document; it holds no text."""

    __slots__ = ("_astral", "_astral_utf16", "_len", "_len_utf16")

    def __init__(self, text: str) -> None:
        # Code-point positions of the astral characters, and where each starts in UTF-16
        # (shifted by one unit for every astral character before it).
        astral = tuple(match.start() for match in _ASTRAL.finditer(text))
        self._astral: tuple[int, ...] = astral
        self._astral_utf16: tuple[int, ...] = tuple(p + k for k, p in enumerate(astral))
        self._len = len(text)
        self._len_utf16 = len(text) + len(astral)

    @property
    def len_codepoints(self) -> int:
        return self._len

    @property
    def len_utf16(self) -> int:
        return self._len_utf16

    @property
    def has_astral(self) -> bool:
        """Whether any character needs a surrogate pair (if not, offsets are the same)."""
        return bool(self._astral)

    def to_utf16(self, offset: int) -> int:
        """The UTF-16 offset of code-point ``offset`` (0..len)."""
        if not 0 <= offset <= self._len:
            raise ValueError(f"code-point offset {offset} is outside 0..{self._len}")
        if not self._astral:
            return offset
        return offset + bisect.bisect_left(self._astral, offset)

    def to_codepoint(self, offset: int) -> int:
        """The code-point offset of UTF-16 ``offset`` (0..len_utf16), rounding down inside a
        surrogate pair to the character that contains it."""
        if not 0 <= offset <= self._len_utf16:
            raise ValueError(f"UTF-16 offset {offset} is outside 0..{self._len_utf16}")
        starts = self._astral_utf16
        if not starts:
            return offset
        # Astral characters that end at or before ``offset`` (their pairs lie wholly before).
        before = bisect.bisect_right(starts, offset - 2)
        if before < len(starts) and starts[before] + 1 == offset:
            return self._astral[before]  # between the halves of this pair
        return offset - before

    def range_to_utf16(self, start: int, end: int) -> tuple[int, int]:
        return self.to_utf16(start), self.to_utf16(end)

    def range_to_codepoint(self, start: int, end: int) -> tuple[int, int]:
        """Convert a UTF-16 range, rounding outwards: an edge inside a surrogate pair takes
        in that character. An empty range (a caret) stays empty; a reversed one (a selection
        made leftwards) keeps its direction."""
        if start == end:
            cp = self.to_codepoint(start)
            return cp, cp
        if start > end:
            cp_end, cp_start = self.range_to_codepoint(end, start)
            return cp_start, cp_end
        cp_start = self.to_codepoint(start)
        cp_end = self.to_codepoint(end)
        if self.to_utf16(cp_end) < end:
            cp_end += 1  # end was inside the pair of the character at cp_end
        return cp_start, cp_end
