"""The inspector's claim part: how a proposed claimant was found."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import Layer, Span
from annotator.core.schema import default_schema
from annotator.core.tokens import tokenize
from annotator.suggest.base import SuggestInput
from annotator.suggest.claims import ClaimSuggester
from annotator.ui.main_window import MainWindow
from tests.builders import insert_documents, titled, turn_off_live_suggesters
from tests.ui.driver import key

TEXT = (
    "Ministry reports sorties\n"
    "The footage was published by the Varnian Ministry of Defence on Tuesday.\n"
    "In a statement, the ministry reported that 96 sorties had been flown.\n"
)


def _window(qtbot, db, text: str = TEXT, title: str = "Ministry reports sorties") -> MainWindow:  # type: ignore[no-untyped-def]
    """A window on ``text`` with the claim suggester's own suggestions stored."""
    with db.write() as store:
        turn_off_live_suggesters(store)
        (document,) = insert_documents(store, [titled(text, title)])
        doc = store.documents_by_ids([document])[0]
        found = ClaimSuggester(default_schema()).suggest(
            SuggestInput(doc, tokenize(text), default_schema())
        )
        store.add_suggestions(found)
    window = MainWindow(db, "ana")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.view is not None and window.article.focused is not None)
    return window


def test_the_inspector_says_how_a_claimant_was_resolved(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, db)
    focused = window.article.focused
    assert focused is not None and focused.layer is Layer.CLAIM
    assert window.inspector.claimant.text() == (
        "proposed: ‘the ministry’ → Varnian Ministry of Defence, 1 sentence earlier"
    )
    # Accepting it (Return) accepts the resolved organisation as its claimant.
    key(qtbot, window, Qt.Key.Key_Return)
    with db.read() as store:
        (claim,) = store.spans(window.view.document.id, "ana", Layer.CLAIM)  # type: ignore[union-attr]
        claimant = store.get_span(claim.claim.claimant_id)  # type: ignore[arg-type, union-attr]
    assert TEXT[claimant.start : claimant.end] == "Varnian Ministry of Defence"
    assert claimant.label == "ORG"


FIGURES = (
    "Strikes reported\n"
    "The Valmoran Ministry of Defence reported that 33 air strikes had destroyed 49 Isis "
    "targets within 24 hours.\n"
)


def _claims(db, window: MainWindow) -> int:  # type: ignore[no-untyped-def]
    with db.read() as store:
        return len(store.spans(window.view.document.id, "ana", Layer.CLAIM))  # type: ignore[union-attr]


def _stored_claim(db, window: MainWindow):  # type: ignore[no-untyped-def]
    with db.read() as store:
        (claim,) = store.spans(window.view.document.id, "ana", Layer.CLAIM)  # type: ignore[union-attr]
    return claim


def test_figures_are_proposed_accepted_and_edited_as_one_undoable_step(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, db, FIGURES, "Strikes reported")
    field = window.inspector.quantities
    # The suggestion's proposal is shown, not editable until accepted.
    assert field.text() == "33 | air strikes; 49 | Isis targets; 24 | hours"
    assert not field.isEnabled()

    key(qtbot, window, Qt.Key.Key_Return)  # accept the claim
    qtbot.waitUntil(lambda: _claims(db, window) == 1)
    for _ in range(4):  # Tab moves between the annotations: to the claim
        if isinstance(window.article.focused, Span) and window.article.focused.layer is Layer.CLAIM:
            break
        key(qtbot, window, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: field.isEnabled())
    assert _stored_claim(db, window).attributes["quantities"] == [
        {"figure": "33", "unit": "", "counted": "air strikes"},
        {"figure": "49", "unit": "", "counted": "Isis targets"},
        {"figure": "24", "unit": "", "counted": "hours"},
    ]
    assert field.isEnabled()

    # Edit with the keyboard: click into the field, replace its text, Return.
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "33 | air strikes; 1.5 million $ | reconstruction")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(_stored_claim(db, window).attributes.get("quantities", [])) == 2)
    assert _stored_claim(db, window).attributes["quantities"] == [
        {"figure": "33", "unit": "", "counted": "air strikes"},
        {"figure": "1500000", "unit": "$", "counted": "reconstruction"},
    ]
    assert window.article.hasFocus()  # back to the article: its keys work again
    # The write is seen in the database before the window hears back from the worker.
    qtbot.waitUntil(lambda: window.undo_action.text() == "&Undo Set claim figures")

    # One step: one undo brings the accepted slots back.
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(_stored_claim(db, window).attributes.get("quantities", [])) == 3)
    assert field.text() == "33 | air strikes; 49 | Isis targets; 24 | hours"

    # A line that cannot be read changes nothing and says why.
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "many | targets")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "“many” is not a number" in window.statusBar().currentMessage()
    assert len(_stored_claim(db, window).attributes["quantities"]) == 3
