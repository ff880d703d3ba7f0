"""Which seed-list suggestions to hide because a longer entity covers them. Kept apart from
the seed lists' suggester, which loads the gazetteer and its automaton: the window's start
needs only this."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from annotator.core.model import Layer, Span, Suggestion

#: The seed lists' suggester name (``annotator.suggest.seeds.NAME``).
SEEDS = "seeds"


def hide_nested(suggestions: Sequence[Suggestion], spans: Iterable[Span] = ()) -> list[Suggestion]:
    """``suggestions`` without the seed lists' entity suggestions that lie inside a longer
    entity: a confirmed span or another suggester's suggestion ("Russian" inside "Russian
    Ministry of Defence"). Order is kept; nothing else is touched. O(n log n): an article
    view can hold a thousand suggestions."""
    ranges = sorted(
        [(s.start, s.end) for s in spans if s.layer is Layer.ENTITY]
        + [
            (s.start, s.end)
            for s in suggestions
            if s.layer is Layer.ENTITY and s.suggester != SEEDS
        ]
    )
    if not ranges:
        return list(suggestions)
    starts = [start for start, _ in ranges]
    # reach[i]: the furthest end of the ranges[:i + 1], all starting at or before ranges[i].
    reach: list[int] = []
    furthest = -1
    for _, end in ranges:
        furthest = max(furthest, end)
        reach.append(furthest)

    def inside_longer(s: Suggestion) -> bool:
        before = bisect.bisect_left(starts, s.start)
        if before and reach[before - 1] >= s.end:
            return True  # starts earlier, ends at or after it
        same = bisect.bisect_right(starts, s.start)
        return same > before and ranges[same - 1][1] > s.end  # same start, ends later

    return [
        s
        for s in suggestions
        if not (s.suggester == SEEDS and s.layer is Layer.ENTITY and inside_longer(s))
    ]
