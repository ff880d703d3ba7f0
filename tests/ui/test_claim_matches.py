"""The inspector's "Same claim elsewhere": a focused claim says in how many other articles it
is reported, and choosing one (click, or Return in the list) opens that article with that
claim focused. An action that changes claims makes the window look again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Layer
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import turn_off_live_suggesters
from tests.services.claims_corpus import claims_project
from tests.ui.driver import key, opened, settle


@pytest.fixture
def claims(db: Database) -> dict[str, int]:
    with db.write() as store:
        turn_off_live_suggesters(store)
    return claims_project(db)


@pytest.fixture
def window(db: Database, claims: dict[str, int], qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    yield from opened(db, "ana", qtbot)


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _focus_claim(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Tab through the article until its claim is focused."""
    for _ in range(4):
        focused = window.article.focused
        if focused is not None and focused.layer is Layer.CLAIM:
            return
        key(qtbot, window, Qt.Key.Key_Tab)
    raise AssertionError("no claim reached with Tab")


def _note(window: MainWindow) -> str:
    return window.inspector.elsewhere_note.text()


def test_a_claim_reported_elsewhere_opens_the_other_article(
    window: MainWindow, claims: dict[str, int], qtbot
) -> None:
    inspector = window.inspector
    assert window.view is not None and window.view.document.title == "Strikes in Idlib"
    _focus_claim(window, qtbot)
    qtbot.waitUntil(lambda: _note(window) == "also reported in 1 article", timeout=20_000)
    assert inspector.elsewhere.isVisible()
    assert inspector.others.count() == 1
    item = inspector.others.item(0)
    assert item.text().startswith("Northern Ledger, 2026-03-03: Kartapolov's air group")
    assert "same figure 33 air strikes" in item.toolTip()
    assert "https://ledger.example/2" in item.toolTip()

    # A click on the other report opens its article with that claim focused.
    rect = inspector.others.visualItemRect(item)
    qtbot.mouseClick(inspector.others.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.view.document.title == "Air group busy")  # type: ignore[union-attr]
    settle(window)
    focused = window.article.focused
    assert focused is not None and focused.id == claims["Air group busy"]
    assert window.article.hasFocus()
    qtbot.waitUntil(lambda: _note(window) == "also reported in 1 article")
    assert inspector.others.item(0).text().startswith("Harbour Post, 2026-03-02")

    # From the keyboard: Ctrl+Shift+E puts the keys in the list, Escape gives them back.
    qtbot.keyClick(window.article, Qt.Key.Key_E, CTRL_SHIFT)
    assert inspector.others.hasFocus() and inspector.others.currentRow() == 0
    qtbot.keyClick(inspector.others, Qt.Key.Key_Escape)
    assert window.article.hasFocus()
    assert window.view.document.title == "Air group busy"  # type: ignore[union-attr]
    # Return (the window's "accept" elsewhere) opens the chosen report.
    qtbot.keyClick(window.article, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.keyClick(inspector.others, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.view.document.title == "Strikes in Idlib")  # type: ignore[union-attr]
    settle(window)
    assert window.article.focused is not None
    assert window.article.focused.id == claims["Strikes in Idlib"]


def test_an_entity_hides_the_box_and_a_lone_claim_says_so(
    window: MainWindow, claims: dict[str, int], qtbot
) -> None:
    focused = window.article.focused
    assert focused is not None and focused.layer is Layer.ENTITY  # Kartapolov comes first
    assert not window.inspector.elsewhere.isVisible()
    qtbot.keyClick(window.article, Qt.Key.Key_E, CTRL_SHIFT)
    assert "Focus a claim" in window.statusBar().currentMessage()
    assert window.article.hasFocus()
    # Another general's figure: no other article reports it.
    window.open_document(window.view.document.id + 3)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.view.document.title == "Another general")  # type: ignore[union-attr]
    _focus_claim(window, qtbot)
    qtbot.waitUntil(lambda: _note(window) == "not reported in other articles", timeout=20_000)
    assert window.inspector.others.count() == 0
    qtbot.keyClick(window.article, Qt.Key.Key_E, CTRL_SHIFT)
    assert window.statusBar().currentMessage() == "Not reported in other articles"


def test_deleting_the_other_report_is_seen_at_once(
    window: MainWindow, claims: dict[str, int], qtbot
) -> None:
    _focus_claim(window, qtbot)
    qtbot.waitUntil(lambda: _note(window) == "also reported in 1 article", timeout=20_000)
    rect = window.inspector.others.visualItemRect(window.inspector.others.item(0))
    qtbot.mouseClick(
        window.inspector.others.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    qtbot.waitUntil(lambda: window.view.document.title == "Air group busy")  # type: ignore[union-attr]
    settle(window)
    key(qtbot, window, Qt.Key.Key_Delete)  # the focused claim goes
    window.open_document(window.view.document.id - 1)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.view.document.title == "Strikes in Idlib")  # type: ignore[union-attr]
    _focus_claim(window, qtbot)
    qtbot.waitUntil(lambda: _note(window) == "not reported in other articles", timeout=20_000)
