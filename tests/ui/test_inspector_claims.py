"""The inspector's claim part: how a proposed claimant was found."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import Layer
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


def _window(qtbot, db) -> MainWindow:  # type: ignore[no-untyped-def]
    """A window on TEXT with the claim suggester's own suggestions stored."""
    with db.write() as store:
        turn_off_live_suggesters(store)
        (document,) = insert_documents(store, [titled(TEXT, "Ministry reports sorties")])
        doc = store.documents_by_ids([document])[0]
        found = ClaimSuggester(default_schema()).suggest(
            SuggestInput(doc, tokenize(TEXT), default_schema())
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
