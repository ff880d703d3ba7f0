"""Walking the document with the keys: Tab / Shift+Tab, where the focus goes after Enter, X
or a label key, and picking a claimant in the text (Shift+L). Real key presses only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import ClaimDetails, Layer, Span, Suggestion
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import at, insert_documents, suggestion, titled, turn_off_live_suggesters
from tests.ui.driver import focused_text, key, open_window, opened

SHIFT = Qt.KeyboardModifier.ShiftModifier

# Two claims, each with entities nested in it; 'Mr Putin' starts at the same word as the first.
TEXT = (
    "Mr Putin said 300 soldiers had crossed the border.\n"
    "Officials at the Port Authority said Russian ships were waiting.\n"
)
CLAIM_1 = "Mr Putin said 300 soldiers had crossed the border."
CLAIM_2 = "Officials at the Port Authority said Russian ships were waiting."

# Confirmed work for claimant picking: entities before, inside and after two claims.
LINKS = (
    "Mr Putin spoke to the Port Authority. Officials said ships were waiting. "
    "The Kremlin said more would come.\n"
)


def _insert(store, text: str) -> int:  # type: ignore[no-untyped-def]
    return insert_documents(store, [titled(text, text[:20])])[0]


def _suggestion(document: int, layer: Layer, piece: str, label: str) -> Suggestion:
    return suggestion(document, *at(TEXT, piece), label, layer=layer)


@pytest.fixture
def nested(db: Database) -> Database:
    """One document whose suggestions nest: two claims with entities inside."""
    with db.write() as store:
        turn_off_live_suggesters(store)
        doc = _insert(store, TEXT)
        store.add_suggestions(
            [
                _suggestion(doc, Layer.CLAIM, CLAIM_1, "CLAIM"),
                _suggestion(doc, Layer.ENTITY, "Mr Putin", "PERSON"),
                _suggestion(doc, Layer.ENTITY, "300 soldiers", "QUANTITY"),
                _suggestion(doc, Layer.CLAIM, CLAIM_2, "CLAIM"),
                _suggestion(doc, Layer.ENTITY, "Port Authority", "ORG"),
                _suggestion(doc, Layer.ENTITY, "Russian", "NORP"),
            ]
        )
    return db


@pytest.fixture
def window(nested: Database, qtbot) -> Iterator[MainWindow]:
    yield from opened(nested, "ana", qtbot)


def focus_suggestion(window: MainWindow, piece: str) -> None:
    """Put the focus on a suggestion the way a click does."""
    start, end = at(TEXT, piece)
    view = window.view
    assert view is not None
    window.article.focus_item(next(s for s in view.suggestions if (s.start, s.end) == (start, end)))


# -- Shift+Tab ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shift_tab", "modifiers"),
    [
        (Qt.Key.Key_Backtab, SHIFT),
        (Qt.Key.Key_Backtab, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Tab, SHIFT),
    ],
    ids=["backtab-with-shift", "backtab", "tab-with-shift"],
)
def test_shift_tab_walks_back(
    window: MainWindow, qtbot, shift_tab: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:
    # Platforms report Shift+Tab in each of these ways (X11: Backtab, Shift held or not).
    focus_suggestion(window, "Russian")
    key(qtbot, window, shift_tab, modifiers)
    assert focused_text(window) == "Port Authority"
    key(qtbot, window, Qt.Key.Key_Tab)
    assert focused_text(window) == "Russian"


# -- after Enter, X or a label key: the next pending item, nested ones included ------------------


def test_enter_on_a_claim_goes_to_the_entities_inside_it(window: MainWindow, qtbot) -> None:
    focus_suggestion(window, CLAIM_1)
    key(qtbot, window, Qt.Key.Key_Return)
    # 'Mr Putin' starts at the same word as the claim: it is next, then the quantity.
    assert focused_text(window) == "Mr Putin"
    key(qtbot, window, Qt.Key.Key_Return)
    assert focused_text(window) == "300 soldiers"


def test_x_on_a_claim_goes_to_the_entities_inside_it(window: MainWindow, qtbot) -> None:
    focus_suggestion(window, CLAIM_2)
    key(qtbot, window, Qt.Key.Key_X)
    assert focused_text(window) == "Port Authority"
    key(qtbot, window, Qt.Key.Key_X)
    assert focused_text(window) == "Russian"


def test_label_key_on_an_entity_goes_to_the_next_item_inside_the_claim(
    window: MainWindow, qtbot
) -> None:
    focus_suggestion(window, "Mr Putin")
    key(qtbot, window, Qt.Key.Key_1)  # PERSON: accepts it as labelled
    assert focused_text(window) == "300 soldiers"


def test_enter_walks_every_suggestion_in_text_order(window: MainWindow, qtbot) -> None:
    focus_suggestion(window, CLAIM_1)
    seen = []
    for _ in range(6):
        seen.append(focused_text(window))
        key(qtbot, window, Qt.Key.Key_Return)
    assert seen == [
        CLAIM_1,
        "Mr Putin",
        "300 soldiers",
        CLAIM_2,
        "Port Authority",
        "Russian",
    ]
    assert window.view is not None and window.view.suggestions == ()


# -- picking the claimant in the text (Shift+L) ---------------------------------------------------


@pytest.fixture
def linking(db: Database) -> Database:
    with db.write() as store:
        turn_off_live_suggesters(store)
        doc = _insert(store, LINKS)

        def span(layer: Layer, piece: str, label: str) -> Span:
            claim = ClaimDetails() if layer is Layer.CLAIM else None
            return Span(None, doc, layer, *at(LINKS, piece), label, "ana", claim=claim)

        for layer, piece, name in (
            (Layer.ENTITY, "Mr Putin", "PERSON"),
            (Layer.ENTITY, "Port Authority", "ORG"),
            (Layer.CLAIM, "Officials said ships were waiting.", "CLAIM"),
            (Layer.CLAIM, "The Kremlin said more would come.", "CLAIM"),
            (Layer.ENTITY, "The Kremlin", "ORG"),
        ):
            store.add_span(span(layer, piece, name))
    return db


def test_picking_a_claimant_walks_entities_only(linking: Database, qtbot) -> None:
    window = open_window(linking, "ana", qtbot)
    view = window.view
    assert view is not None
    claim = next(s for s in view.spans if LINKS[s.start : s.end].startswith("Officials"))
    window.article.focus_item(claim)
    key(qtbot, window, Qt.Key.Key_L, SHIFT)
    # The nearest entity before the claim is focused at once.
    assert focused_text(window) == "Port Authority"
    key(qtbot, window, Qt.Key.Key_Tab)  # over the second claim, which starts with the entity
    assert focused_text(window) == "The Kremlin"
    key(qtbot, window, Qt.Key.Key_Tab)  # wraps, entities only
    assert focused_text(window) == "Mr Putin"
    key(qtbot, window, Qt.Key.Key_Backtab, SHIFT)
    assert focused_text(window) == "The Kremlin"
    key(qtbot, window, Qt.Key.Key_Backtab, SHIFT)
    assert focused_text(window) == "Port Authority"
    key(qtbot, window, Qt.Key.Key_Return)
    with linking.read() as store:
        linked = store.get_span(claim.id)  # type: ignore[arg-type]
        assert linked.claim is not None and linked.claim.claimant_id is not None
        claimant = store.get_span(linked.claim.claimant_id)
    assert LINKS[claimant.start : claimant.end] == "Port Authority"
    window.executor.wait_idle()


def test_enter_on_a_claim_while_picking_keeps_picking(linking: Database, qtbot) -> None:
    window = open_window(linking, "ana", qtbot)
    view = window.view
    assert view is not None
    claims = [s for s in view.spans if s.layer is Layer.CLAIM]
    first, second = sorted(claims, key=lambda s: s.start)
    window.article.focus_item(first)
    key(qtbot, window, Qt.Key.Key_L, SHIFT)
    window.article.focus_item(second)  # a click on the other claim
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.linking is first  # still picking: a claim is no claimant
    key(qtbot, window, Qt.Key.Key_Tab)
    assert window.article.focused is not None
    assert window.article.focused.layer is Layer.ENTITY
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.linking is None
    with linking.read() as store:
        linked = store.get_span(first.id)  # type: ignore[arg-type]
    assert linked.claim is not None and linked.claim.claimant_id is not None
    window.executor.wait_idle()
