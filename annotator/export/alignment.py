"""Spans onto tokens, for the token-based formats (prodigy, spacy, conll, hf).

Tokens come from :mod:`annotator.core.tokens`, the tokenizer the editor snaps to, so a span
made in the editor is token-aligned. One made with character precision (Alt) may not be. The
policy, the same in every token format: **widen to the tokens it touches and report it**
(``misaligned``, with the document id and both texts). Dropping it would teach the model that
those tokens are outside any entity, which is worse than a slightly wider span. A span that
touches no token (only whitespace) cannot be written and is left out and reported
(``unalignable``). Character-offset formats (native, brat, doccano, labelstudio, claims-json)
keep the exact offsets and need none of this.

Formats that cannot hold overlapping spans (``doc.ents``, an IOB2 column) keep the
**outermost** of overlapping spans: the longest in tokens, then the first; the others are
reported (``overlap``) and, where the format has another place for them, kept there.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Sequence
from functools import partial
from typing import NamedTuple

from annotator.core.tokens import Tokenized
from annotator.export.document import AnySpan
from annotator.export.problems import (
    CROSSES_SENTENCE,
    MISALIGNED,
    OVERLAP,
    UNALIGNABLE,
    ProblemLog,
)

_START = operator.attrgetter("start")
_END = operator.attrgetter("end")
_LABEL = operator.attrgetter("label")
_NEXT = (1).__add__


class TokenSpan(NamedTuple):
    """A span on tokens ``first .. stop - 1``; ``start``/``end`` are those tokens' edges. A
    named tuple: an export makes one per span, and a frozen dataclass cost three times as
    much to make."""

    first: int
    stop: int
    start: int
    end: int
    label: str
    span: AnySpan | None = None

    @property
    def last(self) -> int:
        """The inclusive index of the last token (Prodigy's ``token_end``)."""
        return self.stop - 1


def align(
    tokens: Tokenized,
    start: int,
    end: int,
    label: str,
    *,
    text: str,
    document: str,
    problems: ProblemLog,
    span: AnySpan | None = None,
    what: str = "span",
) -> TokenSpan | None:
    """``start..end`` on whole tokens, widened and reported if it does not fit them."""
    indices = tokens.token_indices(start, end)
    if indices is not None:
        first, stop = indices
        return TokenSpan(first, stop, start, end, label, span)
    covered = tokens.token_range(start, end)
    if not covered:
        problems.report(
            document,
            UNALIGNABLE,
            f"{what} {label} covers no token; left out",
            text=text[start:end],
            start=start,
            end=end,
        )
        return None
    first, stop = covered.start, covered.stop
    new_start, new_end = tokens.tokens[first].start, tokens.tokens[stop - 1].end
    problems.report(
        document,
        MISALIGNED,
        f"{what} {label} does not match token edges; widened to {text[new_start:new_end]!r} "
        f"[{new_start}:{new_end}]",
        text=text[start:end],
        start=start,
        end=end,
    )
    return TokenSpan(first, stop, new_start, new_end, label, span)


def align_spans(
    tokens: Tokenized,
    spans: Iterable[AnySpan],
    *,
    text: str,
    document: str,
    problems: ProblemLog,
) -> list[TokenSpan]:
    """:func:`align` for each span (in order), leaving out the unalignable ones."""
    spans = list(spans)
    if not spans:
        return []
    token_starts, token_ends = tokens.starts, tokens.ends
    count = len(token_starts)
    # Every span's candidate first and last token by binary searches run in C; a span that
    # sits exactly on them (nearly all) needs nothing more.
    starts, ends = list(map(_START, spans)), list(map(_END, spans))
    firsts = list(map(partial(bisect.bisect_left, token_starts), starts))
    lasts = list(map(partial(bisect.bisect_left, token_ends), ends))
    if (
        max(lasts) < count
        and max(firsts) < count
        and list(map(token_starts.__getitem__, firsts)) == starts
        and list(map(token_ends.__getitem__, lasts)) == ends
        and all(map(operator.le, firsts, lasts))
        and all(map(operator.lt, starts, ends))
    ):
        # All of them (the usual case), a column at a time.
        return list(
            map(TokenSpan, firsts, map(_NEXT, lasts), starts, ends, map(_LABEL, spans), spans)
        )
    result = []
    for span, first, last in zip(spans, firsts, lasts, strict=True):
        start, end = span.start, span.end
        if (
            first <= last < count
            and token_starts[first] == start
            and token_ends[last] == end
            and start < end
        ):
            result.append(TokenSpan(first, last + 1, start, end, span.label, span))
            continue
        aligned = align(
            tokens,
            span.start,
            span.end,
            span.label,
            text=text,
            document=document,
            problems=problems,
            span=span,
            what=span.layer.value,
        )
        if aligned is not None:
            result.append(aligned)
    return result


def outermost(
    spans: Sequence[TokenSpan],
    *,
    text: str,
    document: str,
    problems: ProblemLog,
    where: str,
) -> list[TokenSpan]:
    """Non-overlapping spans, outermost first (longest, then earliest), in token order; each
    span left out is reported with the span that won and ``where`` it still is."""
    order = sorted(
        range(len(spans)), key=lambda i: (spans[i].first - spans[i].stop, spans[i].first, i)
    )
    # The kept span covering each token (None: free), as one list: a candidate's tokens are
    # looked at and taken as slices, not one Python step per token.
    taken: list[TokenSpan | None] = [None] * (max((s.stop for s in spans), default=0))
    kept: list[TokenSpan] = []
    for i in order:
        candidate = spans[i]
        covered = taken[candidate.first : candidate.stop]
        if any(covered):
            clash = next(span for span in covered if span is not None)
            problems.report(
                document,
                OVERLAP,
                f"{candidate.label} overlaps {clash.label} {text[clash.start : clash.end]!r}, "
                f"which was kept; {where}",
                text=text[candidate.start : candidate.end],
                start=candidate.start,
                end=candidate.end,
            )
            continue
        kept.append(candidate)
        taken[candidate.first : candidate.stop] = [candidate] * len(covered)
    kept.sort(key=lambda s: s.first)
    return kept


def iob2(spans: Iterable[TokenSpan], count: int) -> list[str]:
    """IOB2 tags for ``count`` tokens from non-overlapping spans."""
    tags = ["O"] * count
    for span in spans:
        tags[span.first] = f"B-{span.label}"
        tags[span.first + 1 : span.stop] = [f"I-{span.label}"] * (span.stop - span.first - 1)
    return tags


def restart_at(
    tags: list[str],
    first: int,
    *,
    tokens: Tokenized,
    document: str,
    problems: ProblemLog,
    column: str,
) -> None:
    """Make the tag at ``first`` (the first token of a sentence) begin a span: a span that
    runs on from the previous sentence would start with ``I-``, which is not valid IOB2 where
    sentences are separate sequences. Reported once per span."""
    tag = tags[first]
    if tag.startswith("I-"):
        tags[first] = "B-" + tag[2:]
        token = tokens.tokens[first]
        problems.report(
            document,
            CROSSES_SENTENCE,
            f"{column} {tag[2:]} runs across a sentence break; the next sentence starts it "
            "again with B-",
            text=token.text,
            start=token.start,
            end=token.end,
        )


def sentence_ranges(tokens: Tokenized) -> list[range]:
    """The token indices of each sentence, in order."""
    return [tokens.token_range(s.start, s.end) for s in tokens.sentences]


def valid_iob2(tags: Sequence[str]) -> str | None:
    """Why ``tags`` (one sequence) is not valid IOB2, or ``None``."""
    previous = "O"
    for index, tag in enumerate(tags):
        if tag != "O" and not (tag.startswith(("B-", "I-")) and len(tag) > 2):
            return f"tag {index} {tag!r} is not O, B-<label> or I-<label>"
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return f"tag {index} {tag!r} follows {previous!r}: an I- tag must continue its label"
        previous = tag
    return None
