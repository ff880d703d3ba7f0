"""The rules of the annotation loop, by real key presses: the walk order and where a document
opens, the caret's text conventions, the document keys, the span-resize keys, the inspector,
the claimant list, what marks a document in progress, and other occurrences shown at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.core.model import Layer, Status, Suggestion
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import at, insert_documents, titled, turn_off_live_suggesters
from tests.ui.driver import focused_text, key, opened

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier

FIRST = (
    "Mr Putin said 300 soldiers had crossed the border.\n"
    "Officials in Kyiv said Mr Putin was wrong, and Kyiv would hold.\n"
)
SECOND = "Ferry resumes\nThe ferry company said services would resume on Monday.\n"
CLAIM = "Mr Putin said 300 soldiers had crossed the border."


@pytest.fixture
def project(db: Database) -> Database:
    with db.write() as store:
        turn_off_live_suggesters(store)
        first, _ = insert_documents(
            store, [titled(t, t.splitlines()[0][:20]) for t in (FIRST, SECOND)]
        )
        store.add_suggestions(
            [
                Suggestion(
                    None, first, Layer.ENTITY, *at(FIRST, "Mr Putin"), "PERSON", "rules", 0.9, "t"
                ),
                Suggestion(
                    None,
                    first,
                    Layer.CLAIM,
                    *at(FIRST, CLAIM),
                    "CLAIM",
                    "claims",
                    0.8,
                    "said",
                    {
                        "claimant": [0, 8, "PERSON"],
                        "cue": list(at(FIRST, "said")),
                        "type": "quantity",
                        "hedged": True,
                    },
                ),
                Suggestion(
                    None,
                    first,
                    Layer.ENTITY,
                    *at(FIRST, "300 soldiers"),
                    "QUANTITY",
                    "rules",
                    0.8,
                    "t",
                ),
            ]
        )
    return db


@pytest.fixture
def window(project: Database, qtbot) -> Iterator[MainWindow]:
    yield from opened(project, "ana", qtbot)


def shown(window: MainWindow) -> str:
    """The text Qt shows selected (what the person sees highlighted)."""
    return window.article.textCursor().selectedText()


def status(db: Database, document_id: int) -> Status:
    with db.read() as store:
        return store.get_state(document_id, "ana").status


# -- walk order -----------------------------------------------------------------------------------


def test_a_document_opens_on_its_first_item_outer_first(window: MainWindow, qtbot) -> None:
    # The claim and 'Mr Putin' start together: the longer (the claim) comes first.
    assert focused_text(window) == CLAIM
    key(qtbot, window, Qt.Key.Key_Tab)
    assert focused_text(window) == "Mr Putin"
    key(qtbot, window, Qt.Key.Key_Tab)
    assert focused_text(window) == "300 soldiers"
    key(qtbot, window, Qt.Key.Key_Tab)  # round the end: back to the first, with a note
    assert focused_text(window) == CLAIM
    assert "Wrapped" in window.statusBar().currentMessage()
    key(qtbot, window, Qt.Key.Key_Backtab, SHIFT)
    assert focused_text(window) == "300 soldiers"


def test_coming_back_to_a_document_focuses_the_item_focused_there_last(
    window: MainWindow, qtbot
) -> None:
    first = window.view.document.id  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_Tab)
    assert focused_text(window) == "300 soldiers"
    key(qtbot, window, Qt.Key.Key_Right, ALT)
    qtbot.waitUntil(lambda: window.view.document.id != first)  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Left, ALT)
    qtbot.waitUntil(lambda: window.view.document.id == first)  # type: ignore[union-attr]
    assert focused_text(window) == "300 soldiers"


# -- caret conventions ----------------------------------------------------------------------------


def test_ctrl_arrows_move_the_caret_by_word_not_the_document(window: MainWindow, qtbot) -> None:
    document = window.view.document.id  # type: ignore[union-attr]
    window.article.focus_item(None)
    window.article.select_range(0, 0)
    key(qtbot, window, Qt.Key.Key_Right, CTRL)
    key(qtbot, window, Qt.Key.Key_Right, CTRL)
    assert window.article.cursor_offset() == FIRST.index("said")
    assert window.view.document.id == document  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Left, CTRL)
    assert window.article.cursor_offset() == FIRST.index("Putin")


def test_shift_arrows_select_whole_words_live_and_a_label_key_labels_them(
    window: MainWindow, project: Database, qtbot
) -> None:
    start = FIRST.index("Officials")
    window.article.focus_item(None)
    window.article.select_range(start, start)
    key(qtbot, window, Qt.Key.Key_Right, SHIFT)
    assert shown(window) == "Officials"  # the whole word at once, before any label key
    key(qtbot, window, Qt.Key.Key_Right, SHIFT)
    key(qtbot, window, Qt.Key.Key_Right, SHIFT)
    assert shown(window) == "Officials in Kyiv"
    key(qtbot, window, Qt.Key.Key_Left, SHIFT)  # shrinks by a word
    assert shown(window) == "Officials in"
    key(qtbot, window, Qt.Key.Key_Right, CTRL | SHIFT)  # by word
    assert shown(window) == "Officials in Kyiv"
    key(qtbot, window, Qt.Key.Key_2)  # ORG
    with project.read() as store:
        spans = store.spans(window.view.document.id, "ana")  # type: ignore[union-attr]
    assert [FIRST[s.start : s.end] for s in spans] == ["Officials in Kyiv"]


def test_shift_left_from_inside_a_word_selects_back_to_its_start(window: MainWindow, qtbot) -> None:
    end = FIRST.index(" was wrong")
    window.article.focus_item(None)
    window.article.select_range(end, end)
    key(qtbot, window, Qt.Key.Key_Left, SHIFT)
    assert shown(window) == "Putin"
    key(qtbot, window, Qt.Key.Key_Left, SHIFT)
    assert shown(window) == "Mr Putin"


# -- document keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forward", "back"),
    [
        ((Qt.Key.Key_Right, ALT), (Qt.Key.Key_Left, ALT)),
        ((Qt.Key.Key_PageDown, CTRL), (Qt.Key.Key_PageUp, CTRL)),
    ],
    ids=["alt-arrows", "ctrl-page"],
)
def test_next_and_previous_document_keys(window: MainWindow, qtbot, forward, back) -> None:  # type: ignore[no-untyped-def]
    first = window.view.document.id  # type: ignore[union-attr]
    key(qtbot, window, *forward)
    qtbot.waitUntil(lambda: window.view.document.id != first)  # type: ignore[union-attr]
    key(qtbot, window, *back)
    qtbot.waitUntil(lambda: window.view.document.id == first)  # type: ignore[union-attr]


def test_resize_keys_move_the_focused_span_by_a_word(
    window: MainWindow, project: Database, qtbot
) -> None:
    window.article.select_range(*at(FIRST, "Kyiv"))
    key(qtbot, window, Qt.Key.Key_3)  # GPE
    key(qtbot, window, Qt.Key.Key_BracketLeft, CTRL)  # start one word left
    assert focused_text(window) == "in Kyiv"
    key(qtbot, window, Qt.Key.Key_BracketRight, ALT)  # end one word right
    assert focused_text(window) == "in Kyiv said"
    key(qtbot, window, Qt.Key.Key_BracketLeft, ALT)
    key(qtbot, window, Qt.Key.Key_BracketRight, CTRL)
    assert focused_text(window) == "Kyiv"


# -- inspector ------------------------------------------------------------------------------------


def test_inspector_shows_claim_fields_only_for_claims(window: MainWindow, qtbot) -> None:
    inspector = window.inspector
    assert focused_text(window) == CLAIM  # a suggested claim
    assert inspector.claim_type.isVisible() and inspector.claim_type.currentText() == "quantity"
    assert inspector.hedged.isChecked()
    assert inspector.claimant.text() == "proposed: Mr Putin"
    assert inspector.cue.text() == "said"
    width = window.article.width()
    key(qtbot, window, Qt.Key.Key_Tab)  # 'Mr Putin', an entity suggestion
    assert not inspector.claim_type.isVisible()
    assert not inspector.hedged.isVisible()
    assert not inspector.claimant.isVisible()
    assert window.article.width() == width  # the article did not re-wrap


# -- claimant list --------------------------------------------------------------------------------


def test_claimant_list_shows_context_and_preselects_the_nearest_entity_before(
    window: MainWindow, qtbot
) -> None:
    for piece, nth in (("Kyiv", 0), ("Mr Putin", 1), ("Kyiv", 1)):
        window.article.select_range(*at(FIRST, piece, nth))
        key(qtbot, window, Qt.Key.Key_3 if piece == "Kyiv" else Qt.Key.Key_1)
    window.article.select_range(*at(FIRST, "Mr Putin was wrong"))
    key(qtbot, window, Qt.Key.Key_C)
    qtbot.keyClick(window.article, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "claimant-dialog") is not None)
    dialog = window.findChild(QDialog, "claimant-dialog")
    current = dialog.list.currentItem().text()  # type: ignore[union-attr]
    # The Mr Putin of the claim itself starts it: that one, with its place and context.
    assert current.startswith("PERSON: Mr Putin  (line 2, col 24)")
    assert "Officials in Kyiv said [Mr Putin] was wrong, and Kyiv" in current
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)  # type: ignore[union-attr]


# -- in progress ----------------------------------------------------------------------------------


def test_opening_does_not_mark_in_progress_the_first_action_does(
    window: MainWindow, project: Database, qtbot
) -> None:
    first = window.view.document.id  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Right, ALT)  # look at the second one and come back
    qtbot.waitUntil(lambda: window.view.document.id != first)  # type: ignore[union-attr]
    second = window.view.document.id  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Left, ALT)
    qtbot.waitUntil(lambda: window.view.document.id == first)  # type: ignore[union-attr]
    assert status(project, first) is Status.NEW
    assert status(project, second) is Status.NEW
    key(qtbot, window, Qt.Key.Key_X)  # the first action: reject the claim
    assert status(project, first) is Status.IN_PROGRESS
    key(qtbot, window, Qt.Key.Key_Z, CTRL)  # undone with it
    assert status(project, first) is Status.NEW


# -- other occurrences ----------------------------------------------------------------------------


def test_confirming_an_entity_shows_its_other_occurrences_at_once(
    window: MainWindow, qtbot
) -> None:
    window.article.select_range(*at(FIRST, "Kyiv"))
    key(qtbot, window, Qt.Key.Key_3)  # GPE
    view = window.view
    assert view is not None
    echoes = [s for s in view.suggestions if FIRST[s.start : s.end] == "Kyiv"]
    assert [(s.start, s.label) for s in echoes] == [(at(FIRST, "Kyiv", 1)[0], "GPE")]
    # Accepting 'Mr Putin' shows the second 'Mr Putin' as a suggestion too.
    window.article.focus_item(
        next(s for s in view.suggestions if FIRST[s.start : s.end] == "Mr Putin")
    )
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.view is not None
    assert any(
        (s.start, s.label) == (at(FIRST, "Mr Putin", 1)[0], "PERSON")
        for s in window.view.suggestions
    )
