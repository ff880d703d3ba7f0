"""What the article view draws, as per-block format runs, and the highlighter that applies them.

Why not extra selections: they are repainted one by one on every paint, a cliff at
thousands of spans, while formats stored in each block's layout cost nothing until the block is
drawn. So every highlight (entities, suggestions, claims, boilerplate, the focused item) is
reduced to *marks* (a range, a kind, a colour), the marks are indexed by the block (paragraph)
they touch, and each block's marks are cut into elementary intervals whose styles are merged.
A block's result is a tuple of runs that compares by value, so after a change only the blocks
whose runs differ are handed back to Qt.

Offsets: marks are in code points; runs are in UTF-16 units relative to their block, which is
what ``QSyntaxHighlighter.setFormat`` takes. Nothing here reads text from Qt.
"""

from __future__ import annotations

import bisect
import enum
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any, Final, NamedTuple

from PySide6.QtGui import QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.core.model import Layer, Span, Suggestion
from annotator.core.offsets import Utf16Table
from annotator.core.schema import LabelSchema
from annotator.services.workspace import DocumentView
from annotator.suggest.combining import BEHIND
from annotator.ui.colors import (
    CLAIM_FOCUS_ALPHA,
    ENTITY_ALPHA,
    FOCUS_ALPHA,
    IGNORED_COLOR,
    SUGGESTION_ALPHA,
    label_color,
    qcolor,
)

__all__ = [
    "FormatIndex",
    "Item",
    "Mark",
    "MarkKind",
    "Run",
    "SpanHighlighter",
    "Style",
    "Underline",
    "build_marks",
    "item_key",
    "qt_block_starts",
    "style_for",
]

Item = Span | Suggestion

# The characters at which QTextCursor.insertText (and so setPlainText) starts a new block. Each
# becomes one block separator, so positions do not shift; U+2028 stays inside its block.
_BLOCK_BREAK: Final = re.compile("[\n\r\u2029\ufdd0\ufdd1]")


def qt_block_starts(text: str) -> list[int]:
    """Code-point offsets where Qt's blocks (paragraphs) start after ``setPlainText(text)``.

    ``text`` must not contain CR LF, which Qt turns into a single separator.
    """
    return [0, *(match.end() for match in _BLOCK_BREAK.finditer(text))]


def item_key(item: Item) -> tuple[Any, ...]:
    """What identifies an item across reloads: a stored span by its id, a suggestion by what
    :func:`annotator.services.workspace.pending` merges on (layer, range, label)."""
    if isinstance(item, Span):
        if item.id is not None:
            return ("span", item.id)
        return ("span", item.layer.value, item.start, item.end, item.label)
    return ("suggestion", item.layer.value, item.start, item.end, item.label)


class MarkKind(enum.IntEnum):
    IGNORED = 0
    CLAIM = 1
    SUGGESTED_CLAIM = 2
    ENTITY = 3
    SUGGESTED_ENTITY = 4
    #: The claimant entity of the focused claim.
    CLAIMANT = 5
    #: The cue range of the focused claim.
    CUE = 6


class Mark(NamedTuple):
    """One thing to draw over ``start..end`` (code points). Hashable: marks are diffed as sets."""

    start: int
    end: int
    kind: MarkKind
    color: str
    focused: bool = False


class Underline(enum.IntEnum):
    NONE = 0
    SOLID = 1
    DASH = 2
    WAVE = 3


_QT_UNDERLINE: Final = {
    Underline.SOLID: QTextCharFormat.UnderlineStyle.SingleUnderline,
    Underline.DASH: QTextCharFormat.UnderlineStyle.DashUnderline,
    Underline.WAVE: QTextCharFormat.UnderlineStyle.WaveUnderline,
}


class Style(NamedTuple):
    """The merged look of one elementary interval; hashable, so formats are cached by it."""

    background: str | None
    background_alpha: int
    foreground: str | None
    underline: Underline
    underline_color: str | None
    bold: bool
    italic: bool

    def to_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if self.background is not None:
            fmt.setBackground(qcolor(self.background, self.background_alpha))
        if self.foreground is not None:
            fmt.setForeground(qcolor(self.foreground))
        if self.underline is not Underline.NONE:
            fmt.setUnderlineStyle(_QT_UNDERLINE[self.underline])
            if self.underline_color is not None:
                fmt.setUnderlineColor(qcolor(self.underline_color))
        if self.bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if self.italic:
            fmt.setFontItalic(True)
        return fmt


#: (start, length, style): UTF-16 units from the start of the block.
Run = tuple[int, int, Style]

_FILLED: Final = frozenset({MarkKind.ENTITY, MarkKind.SUGGESTED_ENTITY})
_SUGGESTED: Final = frozenset({MarkKind.SUGGESTED_ENTITY, MarkKind.SUGGESTED_CLAIM})
_CLAIMS: Final = frozenset({MarkKind.CLAIM, MarkKind.SUGGESTED_CLAIM})
_ENTITY: Final = frozenset({MarkKind.ENTITY})
_SUGGESTED_ENTITY: Final = frozenset({MarkKind.SUGGESTED_ENTITY})
_CLAIM: Final = frozenset({MarkKind.CLAIM})
_SUGGESTED_CLAIM: Final = frozenset({MarkKind.SUGGESTED_CLAIM})
_CLAIMANT: Final = frozenset({MarkKind.CLAIMANT})


#: What a mark contributes to a style, without its position: (kind, colour, focused).
Look = tuple[MarkKind, str, bool]


def _first(looks: Sequence[Look], kinds: frozenset[MarkKind], focused_only: bool) -> Look | None:
    """The innermost look of one of ``kinds`` (``looks`` is ordered innermost first)."""
    for look in looks:
        if look[0] in kinds and (look[2] or not focused_only):
            return look
    return None


def _merge(looks: Sequence[Look]) -> Style | None:
    """Merge the marks covering one interval, innermost (shortest) first, into one style.

    A character has one background and one underline, so each is decided by priority:

    * background: the focused entity or suggestion (strong) > the innermost confirmed entity >
      the innermost suggested entity (faint tint) > the focused claim (faint tint);
    * underline: the focused suggestion (dashed) > the focused claim's claimant (wavy) > the
      innermost suggested entity (dashed) > a confirmed claim (solid) > a suggested claim
      (dashed), all in their label's colour. A confirmed entity inside a claim keeps its fill
      and the claim's underline runs under it, which is why entities are fills and claims
      underlines;
    * boilerplate is grey text; the focused item, the claimant and the cue are bold, the cue
      also italic.
    """
    background: str | None = None
    alpha = 0
    for kinds, focused_only, strength in (
        (_FILLED, True, FOCUS_ALPHA),
        (_ENTITY, False, ENTITY_ALPHA),
        (_SUGGESTED_ENTITY, False, SUGGESTION_ALPHA),
        (_CLAIMS, True, CLAIM_FOCUS_ALPHA),
    ):
        if chosen := _first(looks, kinds, focused_only):
            background, alpha = chosen[1], strength
            break

    underline = Underline.NONE
    underline_color: str | None = None
    for kinds, focused_only, style in (
        (_SUGGESTED, True, Underline.DASH),
        (_CLAIMANT, False, Underline.WAVE),
        (_SUGGESTED_ENTITY, False, Underline.DASH),
        (_CLAIM, False, Underline.SOLID),
        (_SUGGESTED_CLAIM, False, Underline.DASH),
    ):
        if chosen := _first(looks, kinds, focused_only):
            underline, underline_color = style, chosen[1]
            break

    kinds_here = {look[0] for look in looks}
    foreground = IGNORED_COLOR if MarkKind.IGNORED in kinds_here else None
    italic = MarkKind.CUE in kinds_here
    bold = any(look[2] for look in looks) or italic or MarkKind.CLAIMANT in kinds_here
    if background is None and foreground is None and underline is Underline.NONE and not bold:
        return None
    return Style(background, alpha, foreground, underline, underline_color, bold, italic)


# Styles by their looks: a document has only a few combinations (an entity in a claim, ...),
# so nearly every interval is a dict hit. Capped in case of pathological overlaps.
_style_cache: dict[tuple[Look, ...], Style | None] = {}
_STYLE_CACHE_SIZE: Final = 4096


def _mark_order(mark: Mark) -> tuple[int, Mark]:
    # Innermost first; the mark itself breaks ties so the order never depends on set order.
    return (mark.end - mark.start, mark)


def style_for(marks: Iterable[Mark]) -> Style | None:
    """The style of an interval covered by ``marks`` (None: draw it plainly)."""
    looks = tuple((m.kind, m.color, m.focused) for m in sorted(marks, key=_mark_order))
    return _style_of(looks)


def _style_of(looks: tuple[Look, ...]) -> Style | None:
    try:
        return _style_cache[looks]
    except KeyError:
        pass
    if len(_style_cache) >= _STYLE_CACHE_SIZE:
        _style_cache.clear()
    style = _style_cache[looks] = _merge(looks) if looks else None
    return style


def _range_of(value: object) -> tuple[int, int] | None:
    """A ``(start, end)`` from a suggester's attribute: a list/tuple or a {start, end} dict.
    Suggesters are plug-ins, so anything malformed is skipped instead of breaking the view."""
    if isinstance(value, dict):
        value = (value.get("start"), value.get("end"))
    if not isinstance(value, list | tuple) or len(value) < 2:
        return None
    try:
        start, end = int(value[0]), int(value[1])
    except (TypeError, ValueError):
        return None
    return (start, end) if start < end else None


# Builds a Mark from one tuple at C speed: the NamedTuple constructor is a Python function,
# and build_marks runs for thousands of items on every change (a one-frame budget).
_new_mark: Final = functools.partial(tuple.__new__, Mark)

_KINDS: Final = {
    (Layer.ENTITY, False): MarkKind.ENTITY,
    (Layer.CLAIM, False): MarkKind.CLAIM,
    (Layer.ENTITY, True): MarkKind.SUGGESTED_ENTITY,
    (Layer.CLAIM, True): MarkKind.SUGGESTED_CLAIM,
}


def build_marks(view: DocumentView, schema: LabelSchema, focused: Item | None) -> list[Mark]:
    """Every mark of a document view. ``focused`` must be an item of ``view`` (compared by
    identity, which is exact and cheaper than comparing keys of thousands of items).

    Offsets come from the database and from suggester plug-ins, so they are clamped to the
    text rather than trusted; an item that ends up empty is not drawn.
    """
    n = len(view.document.text)
    colors: dict[tuple[Layer, str], str] = {}
    marks: list[Mark] = []
    append = marks.append

    def add(start: int, end: int, kind: MarkKind, hue: str, is_focused: bool = False) -> None:
        start, end = max(start, 0), min(end, n)
        if start < end:
            append(_new_mark((start, end, kind, hue, is_focused)))

    for ignored in view.ignored:
        add(ignored.start, ignored.end, MarkKind.IGNORED, IGNORED_COLOR)
    for items, suggested in ((view.spans, False), (view.suggestions, True)):
        for item in items:
            if suggested and BEHIND in item.attributes and item is not focused:
                continue  # kept behind another (annotator.suggest.combining): drawn when focused
            layer, label, start, end = item.layer, item.label, item.start, item.end
            hue = colors.get((layer, label))
            if hue is None:
                hue = colors[layer, label] = label_color(schema, layer is Layer.CLAIM, label)
            kind = _KINDS[layer, suggested]
            if 0 <= start < end <= n:
                append(_new_mark((start, end, kind, hue, item is focused)))
            else:
                add(start, end, kind, hue, item is focused)

    if focused is not None and focused.layer is Layer.CLAIM:
        claimant: tuple[int, int] | None = None
        cue: tuple[int, int] | None = None
        if isinstance(focused, Span):
            details = focused.claim
            if details is not None:
                if details.claimant_id is not None:
                    entity = view.span(details.claimant_id)
                    if entity is not None:
                        claimant = (entity.start, entity.end)
                cue = _range_of(details.cue)
        else:
            claimant = _range_of(focused.attributes.get("claimant"))
            cue = _range_of(focused.attributes.get("cue"))
        if claimant is not None:
            add(*claimant, MarkKind.CLAIMANT, schema.claim_color)
        if cue is not None:
            add(*cue, MarkKind.CUE, schema.claim_color)
    return marks


class FormatIndex:
    """The marks of one text indexed by block, and each block's format runs.

    ``reset`` builds everything; ``update`` takes the new full set of marks, touches only the
    blocks of marks that appeared or disappeared, and returns the blocks whose runs changed.
    """

    def __init__(self, table: Utf16Table, block_starts: Sequence[int]) -> None:
        self._table = table
        self._starts = list(block_starts)
        self._starts16 = [table.to_utf16(s) for s in self._starts]
        n = table.len_codepoints
        # A block ends before its separator; the last block ends at the end of the text.
        self._ends = [s - 1 for s in self._starts[1:]] + [n]
        self._marks: set[Mark] = set()
        self._block_marks: dict[int, list[Mark]] = {}
        self._runs: dict[int, tuple[Run, ...]] = {}

    @property
    def block_count(self) -> int:
        return len(self._starts)

    @property
    def block_starts(self) -> tuple[int, ...]:
        return tuple(self._starts)

    def block_of(self, offset: int) -> int:
        """The block containing code point ``offset`` (a separator belongs to its block)."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def blocks_of(self, start: int, end: int) -> range:
        """The blocks that ``start..end`` (non-empty) touches."""
        return range(self.block_of(start), self.block_of(max(end - 1, start)) + 1)

    def runs(self, block: int) -> tuple[Run, ...]:
        return self._runs.get(block, ())

    def reset(self, marks: Iterable[Mark]) -> None:
        self._marks = set(marks)
        self._block_marks = {}
        starts = self._starts
        by_block = self._block_marks
        for mark in self._marks:
            first = bisect.bisect_right(starts, mark.start) - 1
            last = bisect.bisect_right(starts, mark.end - 1) - 1
            for block in range(max(first, 0), last + 1):
                if block in by_block:
                    by_block[block].append(mark)
                else:
                    by_block[block] = [mark]
        self._runs = {}
        for block in self._block_marks:
            runs = self._compute(block)
            if runs:
                self._runs[block] = runs

    def update(self, marks: Iterable[Mark], recheck: Iterable[tuple[int, int]] = ()) -> list[int]:
        """Replace the marks; the blocks (ascending) whose runs differ from before.

        ``recheck`` adds ranges whose blocks are recomputed even if no mark there changed
        (a caller's hint; a block whose runs come out the same is still not reported).
        """
        new = set(marks)
        touched: set[int] = set()
        for mark in self._marks - new:
            for block in self.blocks_of(mark.start, mark.end):
                in_block = self._block_marks[block]
                in_block.remove(mark)
                if not in_block:
                    del self._block_marks[block]
                touched.add(block)
        for mark in new - self._marks:
            for block in self.blocks_of(mark.start, mark.end):
                self._block_marks.setdefault(block, []).append(mark)
                touched.add(block)
        n = self._table.len_codepoints
        for start, end in recheck:
            start, end = max(start, 0), min(end, n)
            if start < end:
                touched.update(self.blocks_of(start, end))
        self._marks = new
        changed: list[int] = []
        for block in sorted(touched):
            runs = self._compute(block)
            if runs != self._runs.get(block, ()):
                changed.append(block)
                if runs:
                    self._runs[block] = runs
                else:
                    self._runs.pop(block, None)
        return changed

    def _compute(self, block: int) -> tuple[Run, ...]:
        """The block's runs: a sweep over its marks' clipped ends, merging each elementary
        interval's marks into a style and joining neighbours that look the same."""
        marks = self._block_marks.get(block)
        if not marks:
            return ()
        block_start, block_end = self._starts[block], self._ends[block]
        to16 = self._table.to_utf16
        base16 = self._starts16[block]
        if len(marks) == 1:
            mark = marks[0]
            left, right = max(mark.start, block_start), min(mark.end, block_end)
            style = _style_of((mark[2:],)) if left < right else None
            if style is None:
                return ()  # nothing to draw, or the mark only covers this block's separator
            left16 = to16(left)
            return ((left16 - base16, to16(right) - left16, style),)
        opening: dict[int, list[Mark]] = {}
        closing: dict[int, list[Mark]] = {}
        for mark in marks:
            left, right = max(mark.start, block_start), min(mark.end, block_end)
            if left < right:
                opening.setdefault(left, []).append(mark)
                closing.setdefault(right, []).append(mark)
        active: list[Mark] = []  # the marks covering the current interval, innermost first
        runs: list[list[Any]] = []
        for left, right in itertools.pairwise(sorted(opening.keys() | closing.keys())):
            for mark in closing.get(left, ()):
                active.remove(mark)
            for mark in opening.get(left, ()):
                bisect.insort(active, mark, key=_mark_order)
            if not active:
                continue
            style = _style_of(tuple(mark[2:] for mark in active))
            if style is None:
                continue
            if runs and runs[-1][1] == left and runs[-1][2] == style:
                runs[-1][1] = right  # same look as the interval before: one longer run
            else:
                runs.append([left, right, style])
        result: list[Run] = []
        for left, right, style in runs:
            left16 = to16(left)
            result.append((left16 - base16, to16(right) - left16, style))
        return tuple(result)


class SpanHighlighter(QSyntaxHighlighter):
    """Applies a :class:`FormatIndex` block by block. It never looks at the block's text."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._index: FormatIndex | None = None
        self._formats: dict[Style, QTextCharFormat] = {}
        #: How many times Qt asked for a block's formats (tests check it stays local).
        self.calls = 0

    def set_index(self, index: FormatIndex | None) -> None:
        self._index = index

    def highlightBlock(self, text: str) -> None:
        self.calls += 1
        index = self._index
        if index is None:
            return
        for start, length, style in index.runs(self.currentBlock().blockNumber()):
            fmt = self._formats.get(style)
            if fmt is None:
                fmt = self._formats[style] = style.to_format()
            self.setFormat(start, length, fmt)
