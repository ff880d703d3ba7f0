"""Turn a raw selection into the span an annotator meant (docs/ARCHITECTURE.md, "The offset
contract").

Token mode (the default) widens the selection to whole tokens; character mode (Alt held) keeps
its ends but moves them outwards to grapheme cluster boundaries. Both trim whitespace at the
ends and never split a grapheme cluster. Whitespace is trimmed a cluster at a time, and a
cluster counts as whitespace only when all of it is: a space carrying a combining accent is a
visible character, so it stays.
"""

from __future__ import annotations

from annotator.core.graphemes import snap_to_grapheme
from annotator.core.tokens import Tokenized

__all__ = ["snap"]


def _is_blank(cluster: str) -> bool:
    return cluster.isspace()


def snap(
    text: str,
    tokenized: Tokenized,
    start: int,
    end: int,
    *,
    char_precision: bool = False,
) -> tuple[int, int] | None:
    """The snapped ``(start, end)`` of a selection, or None if nothing but whitespace is in it.

    ``start`` and ``end`` are code-point offsets (end exclusive) in any order, clamped to the
    text. ``tokenized`` must be :func:`annotator.core.tokens.tokenize` of ``text``.
    """
    n = len(text)
    start = min(max(start, 0), n)
    end = min(max(end, 0), n)
    if start > end:
        start, end = end, start
    if start == end:
        return None
    start = snap_to_grapheme(text, start, "backward")
    end = snap_to_grapheme(text, end, "forward")
    while start < end:
        cluster_end = snap_to_grapheme(text, start + 1, "forward")
        if not _is_blank(text[start:cluster_end]):
            break
        start = cluster_end
    while end > start:
        cluster_start = snap_to_grapheme(text, end - 1, "backward")
        if not _is_blank(text[cluster_start:end]):
            break
        end = cluster_start
    if start >= end:
        return None
    if not char_precision:
        covered = tokenized.token_range(start, end)
        if covered:
            # Tokens begin and end on cluster boundaries and never at whitespace, so widening
            # keeps both guarantees.
            start = min(start, tokenized.tokens[covered.start].start)
            end = max(end, tokenized.tokens[covered.stop - 1].end)
    return start, end
