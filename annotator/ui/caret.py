"""Keyboard conventions of the article view that are plain rules: which keys the view takes
before the window's shortcuts, which resize the focused span, and how a keyboard selection
snaps to tokens as it grows and shrinks."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from annotator.core.tokens import Token

_ALT: Final = Qt.KeyboardModifier.AltModifier
_CTRL: Final = Qt.KeyboardModifier.ControlModifier
_SHIFT: Final = Qt.KeyboardModifier.ShiftModifier
_NO_MODIFIER: Final = Qt.KeyboardModifier.NoModifier

#: The keys that move the caret (and, with Shift, the selection).
NAVIGATION_KEYS: Final = frozenset(
    {
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
    }
)

#: Which way a selection key moves the caret (for snapping the moving end to tokens).
FORWARD_KEYS: Final = frozenset(
    {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_End, Qt.Key.Key_PageDown}
)


def modifiers_of(event: QKeyEvent) -> Qt.KeyboardModifier:
    """The key's modifiers, without the keypad's: arrow keys on a keypad carry KeypadModifier,
    and it must not change what a key means."""
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


def view_takes_key(event: QKeyEvent) -> bool:
    """Whether the article view takes a key before the window's shortcuts do: resize keys,
    copy, select all, and the caret and selection moves an editor makes."""
    if resize_of(event) is not None:
        return True
    if event.matches(QKeySequence.StandardKey.Copy) or event.matches(
        QKeySequence.StandardKey.SelectAll
    ):
        return True
    key, mods = event.key(), modifiers_of(event)
    if key not in NAVIGATION_KEYS:
        return False
    if mods in (_NO_MODIFIER, _SHIFT):
        return True
    # Ctrl(+Shift)+arrows and Home/End are the editor's word and document moves;
    # Ctrl+PageUp/PageDown stay with the window (previous and next document).
    return mods in (_CTRL, _CTRL | _SHIFT) and key not in (
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
    )


def resize_of(event: QKeyEvent) -> tuple[str, int] | None:
    """The ``(edge, step)`` of a resize key, or None: Alt+] / Alt+[ move the end one token
    right / left, Ctrl+] / Ctrl+[ the start (see annotator.ui.article_view)."""
    mods = modifiers_of(event)
    key = event.key()
    if key not in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight):
        return None
    step = +1 if key == Qt.Key.Key_BracketRight else -1
    if mods == _ALT:
        return ("end", step)
    if mods == _CTRL:
        return ("start", step)
    return None


def snap_keyboard_selection(
    anchor: int, caret: int, direction: int, tokens: Sequence[Token]
) -> tuple[int, int]:
    """The selection ``(anchor, caret)`` (code points) to show after a selection key moved
    the caret in ``direction``: the anchor end takes in its whole token; the moving end goes
    on to the next token boundary the way it moved (token ends on the right side of the
    selection, starts on the left), so each Shift+arrow grows or shrinks it by one word. An
    empty result is ``(anchor, anchor)``."""
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    if caret > anchor:
        at = bisect.bisect_right(starts, anchor) - 1
        anchor = starts[at] if at >= 0 and ends[at] > anchor else anchor
        if direction > 0:
            at = bisect.bisect_left(ends, caret)
            caret = ends[at] if at < len(ends) else caret
        else:
            at = bisect.bisect_right(ends, caret) - 1
            caret = ends[at] if at >= 0 and ends[at] > anchor else anchor
    else:
        at = bisect.bisect_left(ends, anchor)
        anchor = ends[at] if at < len(ends) and starts[at] < anchor else anchor
        if direction < 0:
            at = bisect.bisect_right(starts, caret) - 1
            caret = starts[at] if at >= 0 else caret
        else:
            at = bisect.bisect_left(starts, caret)
            caret = starts[at] if at < len(starts) and starts[at] < anchor else anchor
    return anchor, caret
