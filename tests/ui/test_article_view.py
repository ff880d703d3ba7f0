"""The article view: offsets at the Qt boundary, snapping, highlights, focus, keys."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QHelpEvent,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QToolTip

from annotator.core.model import (
    ClaimDetails,
    Document,
    DocumentState,
    IgnoredRange,
    Layer,
    Span,
    Suggestion,
)
from annotator.core.offsets import Utf16Table
from annotator.core.schema import LabelSchema, default_schema
from annotator.core.tokens import tokenize
from annotator.services.document_tokens import TokensOnDemand
from annotator.services.workspace import DocumentView
from annotator.ui.article_view import ArticleView

SCHEMA: LabelSchema = default_schema()
FAMILY = "👨\u200d👩\u200d👧"
FLAG = "🇺🇦"
# Astral characters (UTF-16 surrogate pairs) and multi-code-point clusters before the words the
# tests select, so any confusion of code points with UTF-16 units shows as a wrong offset.
TEXT = (
    f"Headline {FAMILY} with {FLAG} and 😀 icons\n"
    "Officials in Kharkiv said\u00a0the convoy reached Izium today.\n"
    "The\u2028governor Oleh Syniehubov confirmed it.\n"
    "<b>bold</b> <img src=x> stays literal\n"
    "Subscribe to our newsletter"
)


def at(word: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def make_view(
    text: str = TEXT,
    spans: tuple[Span, ...] = (),
    suggestions: tuple[Suggestion, ...] = (),
    ignored: tuple[IgnoredRange, ...] = (),
    tokens: object = None,
) -> DocumentView:
    return DocumentView(
        document=Document(id=1, external_id=None, title="t", text=text),
        spans=spans,
        suggestions=suggestions,
        ignored=ignored,
        state=DocumentState(document_id=1, annotator="ann"),
        token_source=TokensOnDemand(
            tokens if tokens is not None else tokenize(text)  # type: ignore[arg-type]
        ),
    )


def entity(span_id: int, word: str, label: str = "GPE", text: str = TEXT) -> Span:
    return Span(span_id, 1, Layer.ENTITY, *at(word, text), label, "ann")


def suggestion(word: str, label: str = "PERSON", text: str = TEXT, reason: str = "r") -> Suggestion:
    return Suggestion(None, 1, Layer.ENTITY, *at(word, text), label, "rules", 0.9, reason)


@pytest.fixture
def view(qtbot: object) -> ArticleView:
    widget = ArticleView()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)  # type: ignore[attr-defined]
    return widget


def point(widget: ArticleView, offset: int) -> QPoint:
    """Viewport coordinates of the caret position before code point ``offset``."""
    cursor = QTextCursor(widget.document())
    cursor.setPosition(Utf16Table(TEXT).to_utf16(offset))
    rect = widget.cursorRect(cursor)
    return QPoint(rect.x() + 1, rect.center().y())


def drag(
    qtbot: object,
    widget: ArticleView,
    start: int,
    end: int,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    viewport = widget.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, point(widget, start))  # type: ignore[attr-defined]
    qtbot.mouseMove(viewport, point(widget, (start + end) // 2))  # type: ignore[attr-defined]
    qtbot.mouseMove(viewport, point(widget, end))  # type: ignore[attr-defined]
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, point(widget, end))  # type: ignore[attr-defined]


def qt_selection(widget: ArticleView) -> tuple[int, int]:
    cursor = widget.textCursor()
    return tuple(sorted((cursor.anchor(), cursor.position())))  # type: ignore[return-value]


# -- offsets and snapping ----------------------------------------------------------------------


def test_drag_over_a_word_after_emoji_gives_code_point_offsets(qtbot, view) -> None:
    view.set_view(make_view(), SCHEMA)
    received: list[object] = []
    view.selectionRangeChanged.connect(received.append)
    start, end = at("Izium")
    drag(qtbot, view, start, end)
    assert view.selection() == (start, end)
    assert TEXT[slice(*view.selection())] == "Izium"
    assert received[-1] == (start, end)


def test_drag_from_mid_word_snaps_to_tokens_and_shows_it(qtbot, view) -> None:
    view.set_view(make_view(), SCHEMA)
    convoy, izium = at("convoy"), at("Izium")
    drag(qtbot, view, convoy[0] + 2, izium[0] + 2)  # "nvoy reached Iz"
    assert view.selection() == (convoy[0], izium[1])
    # After the release Qt's own selection was moved to the snapped range (UTF-16 units).
    table = Utf16Table(TEXT)
    assert qt_selection(view) == table.range_to_utf16(convoy[0], izium[1])


def test_alt_drag_keeps_character_precision(qtbot, view) -> None:
    view.set_view(make_view(), SCHEMA)
    start, _ = at("Kharkiv")
    drag(qtbot, view, start + 1, start + 5, Qt.KeyboardModifier.AltModifier)
    assert view.selection() == (start + 1, start + 5)  # "hark", not the whole token
    # The same selection read with token precision widens to the token.
    assert view.selection(char_precision=False) == at("Kharkiv")


def test_character_precision_never_splits_a_grapheme_cluster(qtbot, view) -> None:
    view.set_view(make_view(), SCHEMA)
    family, flag = at(FAMILY), at(FLAG)
    # Ends inside the family (after its first ZWJ) and inside the flag (one indicator).
    view.select_range(family[0] + 2, flag[0] + 1, precise=True)
    assert view.selection() == (family[0], flag[1])
    drag(qtbot, view, flag[0], at("and")[1], Qt.KeyboardModifier.AltModifier)
    assert view.selection() == (flag[0], at("and")[1])


def test_shift_right_selects_by_keyboard_and_snaps_to_the_token(qtbot, view) -> None:
    view.set_view(make_view(), SCHEMA)
    start, end = at("Izium")
    view.select_range(start, start)  # caret only
    assert view.selection() is None
    assert view.cursor_offset() == start
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    # The visible selection is the whole token at once (it used to show one character).
    assert view.cursor_offset() == end
    assert view.selection() == (start, end)
    assert view.textCursor().selectedText() == "Izium"
    qtbot.keyClick(view, Qt.Key.Key_Right)  # without Shift: the caret moves, no selection
    assert view.selection() is None


def test_nbsp_and_line_separator_do_not_shift_offsets(qtbot, view) -> None:
    view.set_view(make_view(), SCHEMA)
    for word in ("convoy", "Syniehubov"):  # after U+00A0 and after U+2028
        start, end = at(word)
        drag(qtbot, view, start, end)
        assert view.selection() == (start, end)
    # Copy takes the database text: the NBSP survives (Qt's own copy would give a space).
    view.select_range(*at("said\u00a0the"))
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "said\u00a0the"


def test_markup_in_the_text_shows_literally(view) -> None:
    reason = "<img src=x> matched <b>"
    view.set_view(make_view(suggestions=(suggestion("stays", reason=reason),)), SCHEMA)
    # toPlainText only to check what Qt shows, never as data.
    assert "<b>bold</b> <img src=x>" in view.document().toPlainText()
    tip = view.tooltip_at(at("stays")[0])
    assert tip is not None
    assert "<img" not in tip and "<b>" not in tip
    assert "&lt;img src=x&gt;" in tip


def test_crlf_text_is_rejected(view) -> None:
    with pytest.raises(ValueError, match="LF"):
        view.set_view(make_view("a\r\nb", tokens=tokenize("a b")), SCHEMA)


# -- highlights ----------------------------------------------------------------------------------


def _same_rgb(color: QColor, hex_color: str) -> bool:
    return color.rgb() == QColor(hex_color).rgb()


def test_formats_for_entities_suggestions_claims_and_boilerplate(view) -> None:
    claim_range = at("Officials in Kharkiv said\u00a0the convoy reached Izium today.")
    claim = Span(10, 1, Layer.CLAIM, *claim_range, "CLAIM", "ann")
    kharkiv = entity(1, "Kharkiv")
    izium = suggestion("Izium", label="GPE")
    ignored = IgnoredRange(*at("Subscribe to our newsletter"))
    view.set_view(
        make_view(spans=(claim, kharkiv), suggestions=(izium,), ignored=(ignored,)), SCHEMA
    )
    gpe = SCHEMA.entity("GPE").color

    inside = view.format_at(kharkiv.start + 2)  # an entity inside a claim: both visible
    assert _same_rgb(inside.background().color(), gpe)
    assert 0 < inside.background().color().alpha() < 255  # a tint: text stays readable
    assert inside.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert _same_rgb(inside.underlineColor(), SCHEMA.claim_color)

    plain_claim = view.format_at(at("convoy")[0])
    assert plain_claim.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert plain_claim.background().style() == Qt.BrushStyle.NoBrush

    suggested = view.format_at(izium.start)
    assert suggested.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
    assert _same_rgb(suggested.underlineColor(), gpe)
    assert suggested.background().color().alpha() < inside.background().color().alpha()

    grey = view.format_at(ignored.start + 3)
    assert grey.foreground().color().red() == grey.foreground().color().blue()  # grey
    assert view.format_at(at("Headline")[0]) == QTextCharFormat()


def test_focused_claim_emphasises_itself_its_claimant_and_cue(view) -> None:
    person = entity(2, "Oleh Syniehubov", "PERSON")
    cue = at("confirmed")
    claim = Span(
        11,
        1,
        Layer.CLAIM,
        *at("convoy reached Izium today"),
        "CLAIM",
        "ann",
        claim=ClaimDetails(claimant_id=2, cue=cue),
    )
    view.set_view(make_view(spans=(claim, person)), SCHEMA)
    assert not view.format_at(person.start).fontItalic()
    assert view.format_at(cue[0]).underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline

    view.focus_item(claim)
    assert view.focused is claim
    claimant = view.format_at(person.start)
    assert claimant.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert claimant.fontWeight() > 400
    cue_format = view.format_at(cue[0])
    assert cue_format.fontItalic() and cue_format.fontWeight() > 400
    assert view.format_at(claim.start).fontWeight() > 400
    assert set(view.last_rehighlighted) == {1, 2}  # the claim's line and the claimant's

    view.focus_item(None)
    assert view.format_at(person.start).underlineStyle() != (
        QTextCharFormat.UnderlineStyle.WaveUnderline
    )

    # A suggested claim names its claimant and cue as ranges in its attributes.
    proposed = Suggestion(
        None,
        1,
        Layer.CLAIM,
        claim.start,
        claim.end,
        "CLAIM",
        "cues",
        0.7,
        "reporting verb",
        attributes={"claimant": [person.start, person.end, "PERSON"], "cue": list(cue)},
    )
    view.set_view(make_view(spans=(person,), suggestions=(proposed,)), SCHEMA)
    assert view.format_at(claim.start).underlineStyle() == (
        QTextCharFormat.UnderlineStyle.DashUnderline
    )
    view.focus_item(proposed)
    assert view.format_at(person.start).underlineStyle() == (
        QTextCharFormat.UnderlineStyle.WaveUnderline
    )
    assert view.format_at(cue[0]).fontItalic()


def test_update_view_rehighlights_only_the_changed_block(qtbot, view) -> None:
    lines = [f"Line {i} mentions Kyiv and Odesa again." for i in range(300)]
    text = "\n".join(lines)
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(300)]
    suggestions = tuple(
        Suggestion(None, 1, Layer.ENTITY, s + 13, s + 17, "GPE", "rules", 0.5, "gazetteer")
        for s in starts
    )
    spans = tuple(
        Span(i + 1, 1, Layer.ENTITY, s + 22, s + 27, "GPE", "ann") for i, s in enumerate(starts)
    )
    first = make_view(text, spans=spans, suggestions=suggestions)
    view.set_view(first, SCHEMA)
    assert view.format_at(starts[150] + 14).underlineStyle() == (
        QTextCharFormat.UnderlineStyle.DashUnderline
    )

    # Accept the suggestion on line 150: it leaves the suggestions and becomes a span.
    accepted = suggestions[150]
    new_span = Span(1000, 1, Layer.ENTITY, accepted.start, accepted.end, "GPE", "ann")
    second = replace(
        first,
        spans=(*spans, new_span),
        suggestions=tuple(s for s in suggestions if s is not accepted),
    )
    calls = view.highlighter.calls
    view.update_view(second, {1000})
    assert view.last_rehighlighted == (150,)
    assert view.rehighlighted_blocks == 1
    assert view.highlighter.calls - calls == 1
    assert view.format_at(accepted.start).background().color().alpha() > 60

    # Removing a suggestion outright: again only its block.
    third = replace(
        second, suggestions=tuple(s for s in second.suggestions if s is not suggestions[7])
    )
    view.update_view(third)
    assert view.last_rehighlighted == (7,)
    assert view.format_at(starts[7] + 14) == QTextCharFormat()
    # Nothing changed: nothing re-highlighted.
    view.update_view(third)
    assert view.rehighlighted_blocks == 0


# -- focus ---------------------------------------------------------------------------------------


def test_focus_next_and_previous_walk_in_order_and_wrap(view) -> None:
    kharkiv = entity(1, "Kharkiv")
    izium = suggestion("Izium", "GPE")
    person = entity(2, "Oleh Syniehubov", "PERSON")
    view.set_view(make_view(spans=(person, kharkiv), suggestions=(izium,)), SCHEMA)
    assert view.items_in_order() == (kharkiv, izium, person)
    seen: list[object] = []
    view.focusChanged.connect(seen.append)

    assert view.focus_next() is kharkiv
    assert view.focus_next() is izium
    assert view.focus_next() is person
    assert view.focus_next() is kharkiv  # wraps
    assert view.focus_previous() is person  # wraps back
    assert view.focused is person
    assert seen == [kharkiv, izium, person, kharkiv, person]
    assert view.cursor_offset() == person.start  # scrolled to / caret at the focused item

    view.focus_item(None)
    view.select_range(izium.end, izium.end)
    assert view.focus_previous() is izium  # without focus: from the caret


def test_focus_survives_update_and_follows_an_accepted_suggestion(view) -> None:
    izium = suggestion("Izium", "GPE")
    base = make_view(suggestions=(izium,))
    view.set_view(base, SCHEMA)
    view.focus_item(izium)
    seen: list[object] = []
    view.focusChanged.connect(seen.append)
    span = Span(5, 1, Layer.ENTITY, izium.start, izium.end, "GPE", "ann")
    view.update_view(replace(base, spans=(span,), suggestions=()))
    assert view.focused is span
    assert seen == [span]
    view.update_view(replace(base, spans=(), suggestions=()))
    assert view.focused is None
    assert seen == [span, None]


def test_click_focuses_the_innermost_item(qtbot, view) -> None:
    claim = Span(10, 1, Layer.CLAIM, *at("Officials in Kharkiv said"), "CLAIM", "ann")
    kharkiv = entity(1, "Kharkiv")
    view.set_view(make_view(spans=(claim, kharkiv)), SCHEMA)
    start = kharkiv.start
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, start + 2))
    assert view.focused is kharkiv
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, claim.start + 1))
    assert view.focused is claim
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, at("Headline")[0] + 1)
    )
    assert view.focused is None


# -- keys ----------------------------------------------------------------------------------------


def test_window_shortcuts_fire_while_the_view_has_focus(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    widget = ArticleView()
    window.setCentralWidget(widget)
    counts: dict[str, int] = {}
    for keys in (
        "Tab",
        "Shift+Tab",
        "3",
        "Return",
        "Alt+Right",
        "Ctrl+PgDown",
        "Ctrl+Z",
        "X",
        "F1",
    ):
        action = QAction(keys, window)
        action.setShortcut(QKeySequence(keys))
        counts[keys] = 0
        action.triggered.connect(lambda *_, k=keys: counts.__setitem__(k, counts[k] + 1))
        window.addAction(action)
    widget.set_view(make_view(spans=(entity(1, "Kharkiv"),)), SCHEMA)
    with qtbot.waitActive(window):  # window shortcuts need the active window
        window.show()
        window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)

    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    qtbot.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(widget, Qt.Key.Key_3)
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.keyClick(widget, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(widget, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_X)
    qtbot.keyClick(widget, Qt.Key.Key_F1)
    assert counts == dict.fromkeys(counts, 1)
    assert QApplication.focusWidget() is widget  # Tab did not move the keyboard focus
    assert widget.focused is None  # the window's action, not the view, handled Tab

    # Without a window action Tab walks the items and still keeps the keyboard focus.
    for action in window.actions():
        window.removeAction(action)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert widget.focused is not None and widget.focused.start == at("Kharkiv")[0]
    assert QApplication.focusWidget() is widget


def test_the_view_keeps_its_navigation_keys_from_window_actions(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    widget = ArticleView()
    window.setCentralWidget(widget)
    stolen: list[bool] = []
    for keys in ("Right", "Shift+Right", "Ctrl+Right", "Ctrl+Shift+Right"):
        action = QAction(keys, window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda *_: stolen.append(True))
        window.addAction(action)
    widget.set_view(make_view(), SCHEMA)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)
    widget.select_range(0, 0)
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    qtbot.keyClick(widget, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    # The visible selection took in the whole word at once (snapped, live).
    assert widget.textCursor().anchor() == 0 and widget.cursor_offset() == len("Headline")
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(widget, Qt.Key.Key_Right, ctrl)  # by word, as in an editor
    assert widget.selection() is None and widget.cursor_offset() > len("Headline")
    assert not stolen


def test_resize_keys_emit_edges_and_steps(qtbot, view) -> None:
    view.set_view(make_view(), SCHEMA)
    received: list[tuple[str, int]] = []
    view.resizeRequested.connect(lambda edge, step: received.append((edge, step)))
    alt = Qt.KeyboardModifier.AltModifier
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(view, Qt.Key.Key_BracketRight, alt)
    qtbot.keyClick(view, Qt.Key.Key_BracketLeft, alt)
    qtbot.keyClick(view, Qt.Key.Key_BracketRight, ctrl)
    qtbot.keyClick(view, Qt.Key.Key_BracketLeft, ctrl)
    # Shift+Alt+arrows and Ctrl+Alt+arrows belong to the window manager: nothing here.
    qtbot.keyClick(view, Qt.Key.Key_Right, alt | Qt.KeyboardModifier.ShiftModifier)
    assert received == [("end", 1), ("end", -1), ("start", 1), ("start", -1)]
    assert view.selection() is None  # they did not select


def test_zoom_is_bounded(view) -> None:
    sizes: list[float] = []
    view.zoomChanged.connect(sizes.append)
    start = view.font_size()
    view.zoom_in()
    assert view.font_size() == start + 1
    for _ in range(100):
        view.zoom_out()
    assert view.font_size() == ArticleView.MIN_POINT_SIZE
    for _ in range(100):
        view.zoom_in()
    assert view.font_size() == ArticleView.MAX_POINT_SIZE
    assert view.document().defaultFont().pointSizeF() == ArticleView.MAX_POINT_SIZE
    view.reset_zoom()
    assert view.font_size() == start
    view.set_font_size(2)
    assert view.font_size() == ArticleView.MIN_POINT_SIZE
    view.reset_zoom()
    assert sizes[0] == start + 1 and sizes[-1] == start


def test_tooltip_event_shows_escaped_plain_text(qtbot, view) -> None:
    reason = "<img src=x> in <b>bold</b>"
    izium = suggestion("Izium", "GPE", reason=reason)
    view.set_view(make_view(suggestions=(izium,)), SCHEMA)
    pos = point(view, izium.start + 2)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    tip = QToolTip.text()
    assert "GPE" in tip and "&lt;img src=x&gt;" in tip and "<img" not in tip
    QToolTip.hideText()


def test_focus_scrolls_the_item_into_view_and_search_hits_select(view) -> None:
    lines = [f"Paragraph {i} reports from Kherson and Mykolaiv." for i in range(400)]
    text = "\n".join(lines)
    last = text.rindex("Mykolaiv")
    far = Span(1, 1, Layer.ENTITY, last, last + len("Mykolaiv"), "GPE", "ann")
    view.set_view(make_view(text, spans=(far,)), SCHEMA)
    assert view.verticalScrollBar().value() == 0
    view.focus_item(far)
    assert view.verticalScrollBar().value() > 0
    assert view.viewport().rect().contains(view.cursorRect().center())
    assert view.cursor_offset() == far.start

    received: list[object] = []
    view.selectionRangeChanged.connect(received.append)
    hit = text.index("Kherson", 100)
    view.show_match(hit + 1, hit + 4)  # a hit inside a word keeps its exact range
    assert view.selection() == (hit + 1, hit + 4)
    assert received == [(hit + 1, hit + 4)]
    assert view.viewport().rect().contains(view.cursorRect().center())
    view.clear_selection()
    assert view.selection() is None and received[-1] is None
    assert view.cursor_offset() == hit + 4
