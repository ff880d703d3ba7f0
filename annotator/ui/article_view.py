"""The article view: the read-only centre of the annotation window.

It shows one document's text and draws its annotations; it never changes data. The window
turns its signals (focus, selection, resize keys) into workspace commands and hands back a new
:class:`~annotator.services.workspace.DocumentView` through :meth:`ArticleView.update_view`.

Offsets: every offset in this class's public API is a Python code-point offset into
``view.document.text`` (end exclusive), the same numbers the database and the exports use.
Qt counts UTF-16 units; the conversion happens only inside this class, through one
:class:`~annotator.core.offsets.Utf16Table` per document. Text is never read back from Qt
(``toPlainText`` turns NBSP into a space and U+2028 into a line break): copying and snapping
use the document's own text.

Drawing: per-block formats from :mod:`annotator.ui.highlighter`, not extra selections (that
module says why). A change re-highlights only the blocks whose formats differ.
"""

from __future__ import annotations

import bisect
import logging
import operator
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from annotator.core.model import Layer, Span, Suggestion
from annotator.core.offsets import Utf16Table
from annotator.core.schema import LabelSchema
from annotator.core.snapping import snap
from annotator.core.tokens import Tokenized
from annotator.services.workspace import DocumentView, in_walk_order
from annotator.ui.article_tooltip import tooltip_html
from annotator.ui.caret import (
    FORWARD_KEYS,
    NAVIGATION_KEYS,
    modifiers_of,
    resize_of,
    snap_keyboard_selection,
    view_takes_key,
)
from annotator.ui.highlighter import (
    FormatIndex,
    Item,
    SpanHighlighter,
    build_marks,
    item_key,
    qt_block_starts,
)

__all__ = ["ArticleView", "Item"]

log = logging.getLogger(__name__)

_ALT: Final = Qt.KeyboardModifier.AltModifier
_SHIFT: Final = Qt.KeyboardModifier.ShiftModifier
_CTRL: Final = Qt.KeyboardModifier.ControlModifier
#: For snapping to clusters alone (``char_precision``), which reads no tokens.
_NO_TOKENS: Final = Tokenized.from_offsets("", (), (), (), ())


_start_of: Final = operator.attrgetter("start")


def _order_key(item: Item) -> tuple[int, int, int, int, str]:
    # Suggestions first on a tie: they are what Enter/X decide on.
    return (
        item.start,
        item.end,
        0 if isinstance(item, Suggestion) else 1,
        0 if item.layer is Layer.ENTITY else 1,
        item.label,
    )


class ArticleView(QPlainTextEdit):
    """Read-only article text with entity, suggestion, claim and boilerplate highlights.

    Keys the view handles itself (everything else is left to the window's actions, which fire
    while the view has focus):

    * arrows, Home/End, PageUp/PageDown move the caret; with Shift they select;
    * Tab / Shift+Tab: :meth:`focus_next` / :meth:`focus_previous` when no window action owns
      them (focus never leaves the view by Tab);
    * Ctrl+C copies the selected part of the document's text (code points, not Qt's copy);
    * resize of the focused span, emitted as ``resizeRequested(edge, step)``, one token per
      step (the window decides what a step means and whether anything is focused):

      ========================  ================  ==============================
      keys                      signal            meaning
      ========================  ================  ==============================
      Alt+]                     ("end", +1)       end one token right (grow)
      Alt+[                     ("end", -1)       end one token left (shrink)
      Ctrl+[                    ("start", -1)     start one token left (grow)
      Ctrl+]                    ("start", +1)     start one token right (shrink)
      ========================  ================  ==============================

      Not arrows: Openbox, GNOME and KDE take Ctrl+Alt+arrows and Shift+Alt+arrows for
      workspaces and moving windows, and Ctrl+arrows move the caret by word as in any editor.

    The caret follows the platform's text conventions: arrows, Home/End, PageUp/PageDown move
    it, Ctrl+Left/Right by word; with Shift they select (Ctrl+Shift+Left/Right by word). The
    visible selection snaps to tokens as it grows or shrinks, as a mouse drag does; a mouse
    selection made with Alt held (at the press, during the drag or at the release) snaps to
    grapheme clusters only. ``selection(char_precision=True)`` lets the window offer a
    precise variant of any command.

    Clicking (without dragging) focuses the innermost item under the pointer: the shortest
    one; on a tie a suggestion before a confirmed span, an entity before a claim. Clicking
    where there is none clears the focus.
    """

    #: The focused item (Span, Suggestion) or None.
    focusChanged = Signal(object)
    #: The snapped selection as ``(start, end)`` in code points, or None.
    selectionRangeChanged = Signal(object)
    #: ``(edge, step)``: edge "start" or "end", step +1 (right) or -1 (left), in tokens.
    resizeRequested = Signal(str, int)
    #: The font's new point size.
    zoomChanged = Signal(float)
    #: A walk went round the end of the document: +1 forwards (back to the first), -1 back.
    wrapped = Signal(int)

    MIN_POINT_SIZE: Final = 6.0
    MAX_POINT_SIZE: Final = 48.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Keyboard selection needs the caret, which read-only mode hides by default.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._view: DocumentView | None = None
        self._schema: LabelSchema | None = None
        self._table = Utf16Table("")
        self._index: FormatIndex | None = None
        self._items: list[Item] = []
        self._focused: Item | None = None
        #: Whether the current selection was made with character precision (Alt).
        self._precise = False
        self._mouse_selecting = False
        self._last_selection: tuple[int, int] | None = None
        #: The direction of a keyboard selection made before the tokens arrived, else 0.
        self._snap_pending = 0
        self._caret_placed = False
        size = self.font().pointSizeF()
        self._default_point_size = size if size > 0 else 10.0
        #: Blocks re-highlighted by the last change (update, focus); all of them after set_view.
        self.rehighlighted_blocks = 0
        #: Their block numbers (empty after set_view, which highlights every block).
        self.last_rehighlighted: tuple[int, ...] = ()
        self._highlighter = SpanHighlighter(self.document())
        self.selectionChanged.connect(self._emit_selection)

    # -- content ------------------------------------------------------------------------------

    @property
    def view(self) -> DocumentView | None:
        return self._view

    @property
    def highlighter(self) -> SpanHighlighter:
        return self._highlighter

    @property
    def caret_placed(self) -> bool:
        """Whether the caret, a selection or the focus was set since the document was shown
        (a key, a click, a search hit, an item focused): work that lands later, such as
        suggestions, then leaves them where they are."""
        return self._caret_placed

    def set_view(self, view: DocumentView, schema: LabelSchema) -> None:
        """Show a document (replacing the text) with its annotations; clears the focus."""
        text = view.document.text
        if "\r" in text:
            # Qt makes one separator of CR LF, which would shift every later offset.
            raise ValueError("document text must be normalised to LF line breaks")
        had_focus = self._focused is not None
        self._view, self._schema = view, schema
        self._table = Utf16Table(text)
        self._items = in_walk_order(view)
        self._focused = None
        self._precise = self._mouse_selecting = False
        self._snap_pending = 0
        self._caret_placed = False
        # The index is ready before the text goes in, so Qt's one highlighting pass during
        # setPlainText already draws everything.
        index = FormatIndex(self._table, qt_block_starts(text))
        index.reset(build_marks(view, schema, None))
        self._index = index
        self._highlighter.set_index(index)
        self.setPlainText(text)
        document = self.document()
        if document.characterCount() - 1 != self._table.len_utf16:
            raise RuntimeError("Qt changed the document's length; offsets would be wrong")
        if document.blockCount() != index.block_count:
            # Should not happen (qt_block_starts mirrors Qt); trust Qt's blocks if it does.
            log.warning("block count differs from Qt's; rebuilding the block index")
            starts = []
            block = document.firstBlock()
            while block.isValid():
                starts.append(self._table.to_codepoint(block.position()))
                block = block.next()
            index = FormatIndex(self._table, starts)
            index.reset(build_marks(view, schema, None))
            self._index = index
            self._highlighter.set_index(index)
            self._highlighter.rehighlight()
        self.rehighlighted_blocks = document.blockCount()
        self.last_rehighlighted = ()
        self._emit_selection()
        if had_focus:
            self.focusChanged.emit(None)

    def update_view(self, view: DocumentView, changed_span_ids: set[int] | None = None) -> None:
        """Show new spans/suggestions/ignored ranges of the same document, keeping the text,
        the scroll position and the selection; re-highlight only the blocks that changed.

        The focused item is looked up again (by span id, or a suggestion by layer, range and
        label); if it is gone, a confirmed span of the same layer and range takes its place
        (an accepted suggestion), else the focus clears. ``focusChanged`` is emitted when the
        focused value changed. ``changed_span_ids`` is an optional hint: the blocks of those
        spans are compared too; the view diffs everything it draws anyway. A different
        document (or text) falls back to :meth:`set_view`.
        """
        old = self._view
        if old is None or self._schema is None:
            raise RuntimeError("update_view before set_view")
        if view.document.id != old.document.id or view.document.text != old.document.text:
            self.set_view(view, self._schema)
            return
        recheck: list[tuple[int, int]] = []
        if changed_span_ids:
            recheck = [
                (s.start, s.end) for s in (*old.spans, *view.spans) if s.id in changed_span_ids
            ]
        before = self._focused
        self._view = view
        self._items = in_walk_order(view)
        self._focused = self._find_again(before)
        self._refresh(recheck)
        if self._focused != before:
            self.focusChanged.emit(self._focused)

    def _find_again(self, item: Item | None) -> Item | None:
        if item is None:
            return None
        found = self._find_key(item)
        if found is not None:
            return found
        # Gone: an item of the same layer and range takes its place, preferably a span with
        # the same label (the suggestion was accepted).
        same_place = [
            c for c in self._starting_at(item.start) if (c.layer, c.end) == (item.layer, item.end)
        ]
        same_place.sort(key=lambda c: (not isinstance(c, Span), c.label != item.label))
        return same_place[0] if same_place else None

    def _starting_at(self, start: int) -> list[Item]:
        items = self._items
        at = bisect.bisect_left(items, start, key=_start_of)
        stop = bisect.bisect_right(items, start, lo=at, key=_start_of)
        return items[at:stop]

    def _refresh(self, recheck: list[tuple[int, int]] | None = None) -> None:
        """Recompute the marks and re-highlight the blocks whose formats changed."""
        if self._view is None or self._schema is None or self._index is None:
            return
        marks = build_marks(self._view, self._schema, self._focused)
        changed = self._index.update(marks, recheck or ())
        document = self.document()
        for number in changed:
            self._highlighter.rehighlightBlock(document.findBlockByNumber(number))
        self.rehighlighted_blocks = len(changed)
        self.last_rehighlighted = tuple(changed)

    def format_at(self, offset: int) -> QTextCharFormat:
        """The highlight format drawn at code point ``offset`` (empty where nothing is)."""
        position = self._table.to_utf16(offset)
        block = self.document().findBlock(position)
        relative = position - block.position()
        for entry in block.layout().formats():
            if entry.start <= relative < entry.start + entry.length:
                return QTextCharFormat(entry.format)
        return QTextCharFormat()

    # -- items and focus ------------------------------------------------------------------------

    def items_in_order(self) -> tuple[Item, ...]:
        """Spans and suggestions in walk order (annotator.services.workspace.walk_key)."""
        return tuple(self._items)

    def items_at(self, offset: int) -> list[Item]:
        """The items covering code point ``offset``, innermost (shortest) first."""
        found = [item for item in self._items if item.start <= offset < item.end]
        found.sort(key=lambda item: (item.end - item.start, *_order_key(item)))
        return found

    @property
    def focused(self) -> Item | None:
        return self._focused

    def focus_item(self, item: Item | None, *, reveal: bool = True) -> None:
        """Focus an item of the current view (matched by identity, else by its key), or
        clear the focus. ``reveal`` moves the caret to its start and scrolls it into view.
        Raises ValueError for an item the view does not show."""
        self._caret_placed = True
        found: Item | None = None
        if item is not None:
            found = next((c for c in self._items if c is item), None) or self._find_key(item)
            if found is None:
                raise ValueError(f"the view does not show {item!r}")
        if found is not self._focused:
            self._focused = found
            self._refresh()
            self.focusChanged.emit(found)
        if found is not None and reveal:
            self._reveal(found.start, found.end)

    def _find_key(self, item: Item) -> Item | None:
        """The current item with ``item``'s key (see :func:`item_key`)."""
        if isinstance(item, Span) and item.id is not None:
            # A stored span keeps its id through a resize or relabel: look everywhere.
            span_id = item.id
            spans = self._view.spans if self._view is not None else ()
            return next((s for s in spans if s.id == span_id), None)
        # Any other key holds the start: only items starting there can match.
        key = item_key(item)
        return next((c for c in self._starting_at(item.start) if item_key(c) == key), None)

    def focus_next(self, only: Callable[[Item], bool] | None = None) -> Item | None:
        """Focus the item after the focused one in walk order (wrapping), or the first at or
        after the caret; ``only`` limits the walk (e.g. to entities). Emits ``wrapped`` when
        the walk went round the end."""
        return self._step(+1, only)

    def focus_previous(self, only: Callable[[Item], bool] | None = None) -> Item | None:
        """Focus the item before the focused one (wrapping), or the last before the caret."""
        return self._step(-1, only)

    def _step(self, step: int, only: Callable[[Item], bool] | None = None) -> Item | None:
        items = self._items
        count = len(items)
        if not count:
            return None
        focused = self._focused
        if focused is not None:
            at = next(i for i, c in enumerate(items) if c is focused)
        else:
            # From the caret: as if an item sat just before it (forwards) or at it (back).
            at = bisect.bisect_left(items, self.cursor_offset(), key=_start_of)
            at = at - 1 if step > 0 else at
        for distance in range(1, count + 1):
            index = at + step * distance
            candidate = items[index % count]
            if candidate is focused or (only is not None and not only(candidate)):
                continue
            if not 0 <= index < count:
                self.wrapped.emit(step)
            self.focus_item(candidate)
            return candidate
        return None

    def _reveal(self, start: int, end: int) -> None:
        # End first, then start: a long item shows from its start when it does not fit.
        for offset in (end, start):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._table.to_utf16(offset))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    # -- selection and caret --------------------------------------------------------------------

    def _raw_selection(self) -> tuple[int, int] | None:
        """Qt's selection in code points, unsnapped (rounded outwards inside surrogates)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        low, high = sorted((cursor.anchor(), cursor.position()))
        high = min(high, self._table.len_utf16)
        return self._table.range_to_codepoint(low, high)

    def selection(self, char_precision: bool | None = None) -> tuple[int, int] | None:
        """The selection in code points, snapped to tokens (to grapheme clusters when it was
        made with Alt, or ``char_precision`` says so), or None."""
        raw = self._raw_selection()
        if raw is None or self._view is None:
            return None
        precise = self._precise if char_precision is None else char_precision
        tokens = self._view.token_source.peek()
        if tokens is None:  # not here yet (ADR 0031): clusters now, tokens when they arrive
            precise, tokens = True, _NO_TOKENS
        return snap(self._view.document.text, tokens, *raw, char_precision=precise)

    def waits_for_tokens(self) -> bool:
        """Whether the selection is to snap to tokens that have not arrived yet."""
        view, selected = self._view, self.textCursor().hasSelection()
        return view is not None and selected and not self._precise and not view.token_source.ready

    def tokens_arrived(self) -> None:
        """The shown document's tokens arrived: snap the selection made before them."""
        direction, self._snap_pending = self._snap_pending, 0
        if self._precise or self._mouse_selecting or not self.textCursor().hasSelection():
            return  # (a drag still going on is snapped when the button is released)
        if direction:
            self._snap_keyboard_selection(direction)
        else:
            self._snap_visible_selection()
        self._emit_selection()

    def cursor_offset(self) -> int:
        """The caret in code points."""
        position = min(self.textCursor().position(), self._table.len_utf16)
        return self._table.to_codepoint(position)

    def select_range(self, start: int, end: int, *, precise: bool = True) -> None:
        """Select ``start..end`` (code points; the caret ends at ``end``). ``precise`` keeps
        the given ends (only grapheme-snapped) when the selection is read back."""
        self._caret_placed = True
        anchor16, position16 = self._table.to_utf16(start), self._table.to_utf16(end)
        self._precise = precise
        cursor = QTextCursor(self.document())
        cursor.setPosition(anchor16)
        cursor.setPosition(position16, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._emit_selection()

    def clear_selection(self) -> None:
        """Drop the selection, leaving the caret where it is."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def show_match(self, start: int, end: int) -> None:
        """Select a search hit and scroll it to the middle of the view."""
        self.select_range(start, end)
        self.centerCursor()

    def _emit_selection(self) -> None:
        value = self.selection()
        if value != self._last_selection:
            self._last_selection = value
            self.selectionRangeChanged.emit(value)

    def _snap_visible_selection(self) -> None:
        """Make Qt's selection show the snapped range, keeping the drag's direction."""
        cursor = self.textCursor()
        anchor, position = cursor.anchor(), cursor.position()
        snapped = self.selection()
        if snapped is None:
            cursor.clearSelection()
            self.setTextCursor(cursor)
            return
        start16, end16 = self._table.range_to_utf16(*snapped)
        new = (start16, end16) if anchor <= position else (end16, start16)
        if new != (anchor, position):
            cursor.setPosition(new[0])
            cursor.setPosition(new[1], QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)

    def offset_at(self, point: QPoint) -> int | None:
        """The code point under ``point`` (viewport coordinates), or None past the text.

        Qt gives the nearest caret position; the character is the one after it when the
        pointer is right of the caret, else the one before (left-to-right text).
        """
        if self._table.len_codepoints == 0:
            return None
        cursor = self.cursorForPosition(point)
        position = cursor.position()
        if point.x() < self.cursorRect(cursor).x() and position > 0:
            position -= 1
        offset = self._table.to_codepoint(min(position, self._table.len_utf16))
        return offset if offset < self._table.len_codepoints else None

    # -- mouse ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._caret_placed = True
        if event.button() == Qt.MouseButton.LeftButton:
            self._mouse_selecting = True
            # Set before Qt moves the selection, so the live signal snaps the right way.
            self._precise = bool(event.modifiers() & _ALT)
            if not event.modifiers() & _SHIFT and self.textCursor().hasSelection():
                # A press inside a selection would start dragging the text out (useless
                # here) instead of a new selection; drop the old one at the pointer first
                # (where the caret is visible, so nothing scrolls).
                self.setTextCursor(self.cursorForPosition(event.position().toPoint()))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._mouse_selecting and event.modifiers() & _ALT:
            self._precise = True
        super().mouseMoveEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._mouse_selecting = True  # the release that follows snaps the word selection
        super().mouseDoubleClickEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or not self._mouse_selecting:
            return
        self._mouse_selecting = False
        if event.modifiers() & _ALT:
            self._precise = True
        if self.textCursor().hasSelection():
            self._snap_visible_selection()
        else:
            offset = self.offset_at(event.position().toPoint())
            items = self.items_at(offset) if offset is not None else []
            # The click already put the caret where the user wants it: do not move it.
            self.focus_item(items[0] if items else None, reveal=False)
        self._emit_selection()

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Qt zooms read-only text on Ctrl+wheel by itself, unbounded and without telling us.
        if event.modifiers() & _CTRL:
            delta = event.angleDelta().y()
            if delta > 0:
                self.zoom_in()
            elif delta < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    # -- keyboard -------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # Accepting an override steals the key from the window's actions. Take only what
            # the view itself needs; Tab, Return, digits, letters, Ctrl+arrows, Ctrl+Z... stay
            # unaccepted so the window's shortcuts fire while the view has focus.
            if view_takes_key(event):
                event.accept()
            else:
                event.ignore()
            return True
        return super().event(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab moves between annotations (keyPressEvent), never the keyboard focus away.
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._caret_placed = True
        resize = resize_of(event)
        if resize is not None:
            self.resizeRequested.emit(*resize)
            event.accept()
            return
        key, mods = event.key(), modifiers_of(event)
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not mods & (_CTRL | _ALT):
            # Reached only when no window action owns Tab.
            if key == Qt.Key.Key_Backtab or mods & _SHIFT:
                self.focus_previous()
            else:
                self.focus_next()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        if key in NAVIGATION_KEYS and mods & _SHIFT:
            self._precise = False  # keyboard selections snap to tokens
            super().keyPressEvent(event)
            self._snap_keyboard_selection(+1 if key in FORWARD_KEYS else -1)
            return
        super().keyPressEvent(event)

    def _snap_keyboard_selection(self, direction: int) -> None:
        """Show a keyboard selection snapped to tokens, live (see annotator.ui.caret)."""
        view = self._view
        cursor = self.textCursor()
        if view is None or not cursor.hasSelection():
            return
        tokens = view.token_source.peek()
        if tokens is None:
            self._snap_pending = direction  # snapped in tokens_arrived
            return
        table = self._table
        anchor, caret = snap_keyboard_selection(
            table.to_codepoint(min(cursor.anchor(), table.len_utf16)),
            table.to_codepoint(min(cursor.position(), table.len_utf16)),
            direction,
            tokens.tokens,
        )
        fresh = QTextCursor(self.document())
        fresh.setPosition(table.to_utf16(anchor))
        fresh.setPosition(table.to_utf16(caret), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(fresh)
        self._emit_selection()

    def copy_selection(self) -> None:
        """Ctrl+C: the document's own text (Qt's copy turns NBSP into a space). The clipboard
        gets a string, not a QMimeData made here: a Python-made QMimeData handed to the
        clipboard is deleted twice when the application quits, a segfault on exit."""
        raw = self._raw_selection()
        if raw is not None and self._view is not None:
            QApplication.clipboard().setText(self._view.document.text[raw[0] : raw[1]])

    # -- tooltips -------------------------------------------------------------------------------

    def tooltip_at(self, offset: int) -> str | None:
        """The tooltip for code point ``offset``: rich text whose every piece of data is
        escaped, so labels, reasons and text like ``<img src=x>`` show literally."""
        if self._view is None:
            return None
        return tooltip_html(self.items_at(offset), self._view.ignored, offset)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            offset = self.offset_at(event.pos())
            tip = self.tooltip_at(offset) if offset is not None else None
            if tip is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            return True
        return super().viewportEvent(event)

    # -- zoom -----------------------------------------------------------------------------------

    def font_size(self) -> float:
        """The font's point size (what the zoom keys change)."""
        return self.font().pointSizeF()

    def set_font_size(self, size: float) -> None:
        """Set the point size (bounded to MIN_POINT_SIZE..MAX_POINT_SIZE), e.g. from settings."""
        self._set_point_size(float(size))

    def zoom_in(self) -> None:
        self._set_point_size(self.font_size() + 1)

    def zoom_out(self) -> None:
        self._set_point_size(self.font_size() - 1)

    def reset_zoom(self) -> None:
        self._set_point_size(self._default_point_size)

    def set_base_font(self, family: str | None, size: float | None) -> None:
        """The preferred article font (Edit > Preferences; None: the application's default).
        The size becomes what Ctrl+0 returns to; the zoom keys still work from it."""
        font = self.font()
        font.setFamily(family or QApplication.font(self).family())
        if size is not None:
            self._default_point_size = min(max(size, self.MIN_POINT_SIZE), self.MAX_POINT_SIZE)
            font.setPointSizeF(self._default_point_size)
        self.setFont(font)
        self.zoomChanged.emit(self.font_size())

    def _set_point_size(self, size: float) -> None:
        size = min(max(size, self.MIN_POINT_SIZE), self.MAX_POINT_SIZE)
        if size == self.font_size():
            return
        font = self.font()
        font.setPointSizeF(size)
        self.setFont(font)
        self.zoomChanged.emit(size)
