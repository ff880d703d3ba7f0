"""Review > Agreement… driven by the keyboard: open it from the menu, read the figures, press
Enter on the hardest document and see it open in the main window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from annotator.core.model import DocumentState, Layer, Span, Status
from annotator.storage.database import Database
from annotator.ui.agreement_view import AgreementView
from annotator.ui.main_window import MainWindow
from tests.builders import at, insert_documents, turn_off_live_suggesters
from tests.ui.windows import open_window

EASY = "Port reopens\nThe Port Authority said 41 ships were waiting.\n"
HARD = "Floods <b>rise</b>\nMayor Petra Novak said 300 homes lost power.\n"
OTHER = "Quiet day\nNothing happened.\n"


@pytest.fixture
def project(db: Database) -> tuple[Database, dict[str, int]]:
    with db.write() as store:
        turn_off_live_suggesters(store)
        texts = (OTHER, EASY, HARD)
        ids = dict(zip(texts, insert_documents(store, texts), strict=True))
        marks = {
            ("ana", EASY): [("The Port Authority", "ORG")],
            ("ben", EASY): [("The Port Authority", "ORG")],
            ("ana", HARD): [("Petra Novak", "PERSON"), ("300 homes", "QUANTITY")],
            ("ben", HARD): [("Mayor Petra Novak", "PERSON")],
        }
        for (who, text), pieces in marks.items():
            for piece, name in pieces:
                store.add_span(Span(None, ids[text], Layer.ENTITY, *at(text, piece), name, who))
            store.set_state(DocumentState(ids[text], who, Status.DONE))
    return db, {"easy": ids[EASY], "hard": ids[HARD], "other": ids[OTHER]}


@pytest.fixture
def window(project: tuple[Database, dict[str, int]], qtbot) -> Iterator[MainWindow]:
    db, _ = project
    win = open_window(db, "ana", qtbot)
    yield win
    view = win.findChild(AgreementView)
    if view is not None and view.task is not None:
        view.task.join(30)
    win.executor.wait_idle()


def cell(table, row: int, column: str, columns) -> str:
    return table.item(row, list(columns).index(column)).text()


def open_from_menu(qtbot, window: MainWindow) -> AgreementView:
    """Alt+R opens the Review menu; G (A&greement…) chooses the item."""
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    assert menu.title() == "&Review"
    qtbot.keyClick(menu, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: window.findChild(AgreementView) is not None, timeout=5000)
    view = window.findChild(AgreementView)
    qtbot.waitUntil(lambda: view.report is not None and view.task is None, timeout=30_000)
    return view


def test_open_read_figures_and_open_the_hardest(
    qtbot, window: MainWindow, project: tuple[Database, dict[str, int]]
) -> None:
    _, ids = project
    assert window.view is not None and window.view.document.id == ids["other"]
    view = open_from_menu(qtbot, window)
    assert view.isVisible()
    overall = {
        view.overall.item(r, 0).text(): view.overall.item(r, 1).text()
        for r in range(view.overall.rowCount())
    }
    assert overall["Documents"] == "2"
    assert overall["Annotators"] == "ana, ben"
    # ana/ben: exact 1 match of 3 + 2 spans... EASY ORG=ORG, HARD nothing exact:
    # 2·1 / (3 + 2) = 0.4; overlap adds PERSON: 2·2 / 5 = 0.8.
    assert overall["Entity span F1 (exact / overlap)"] == "0.400 / 0.800"
    assert overall["Claim type α"] == "-"  # no claims: no evidence
    labels = {
        view.labels.item(r, 1).text(): view.labels.item(r, 2).text()
        for r in range(view.labels.rowCount())
    }
    assert labels == {"ORG": "1.000", "PERSON": "0.000", "QUANTITY": "0.000"}
    from annotator.ui.agreement_view import DOCUMENT_COLUMNS as cols

    assert view.documents.rowCount() == 2
    assert cell(view.documents, 0, "Id", cols) == str(ids["hard"])
    # The title is shown as plain text, markup and all.
    assert cell(view.documents, 0, "Title", cols) == "Floods <b>rise</b>"
    assert cell(view.documents, 0, "Agreement", cols) == "0.000"
    assert cell(view.documents, 1, "Agreement", cols) == "1.000"
    # The hardest document is current and the table has the keys: Enter opens it.
    assert view.documents.currentRow() == 0
    view.documents.setFocus()
    qtbot.keyClick(view.documents, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.view is not None and window.view.document.id == ids["hard"],
        timeout=10_000,
    )
    assert view.isVisible()  # stays open for the next document
    # The keys went back to the article; coming back to the view (a click on it activates
    # it), Down, then Enter opens the next document.
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    view.documents.setFocus()
    qtbot.keyClick(view.documents, Qt.Key.Key_Down)
    qtbot.keyClick(view.documents, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: window.view.document.id == ids["easy"], timeout=10_000)
    # Opening again reuses the same view.
    again = open_from_menu(qtbot, window)
    assert again is view
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_double_click_and_unfinished_option(
    qtbot, window: MainWindow, project: tuple[Database, dict[str, int]]
) -> None:
    db, ids = project
    with db.write() as store:
        store.set_state(DocumentState(ids["other"], "ana", Status.IN_PROGRESS))
        store.set_state(DocumentState(ids["other"], "ben", Status.IN_PROGRESS))
    view = open_from_menu(qtbot, window)
    assert view.documents.rowCount() == 2
    qtbot.mouseClick(view.unfinished, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.task is None and view.documents.rowCount() == 3, timeout=30_000)
    # Nobody marked anything in the unfinished document: full agreement, like the easy one
    # (ties go by document id).
    from annotator.ui.agreement_view import DOCUMENT_COLUMNS as cols

    shown = [cell(view.documents, r, "Id", cols) for r in range(3)]
    assert shown == [str(ids["hard"]), str(ids["other"]), str(ids["easy"])]
    assert cell(view.documents, 1, "Agreement", cols) == "1.000"
    rect = view.documents.visualItemRect(view.documents.item(2, 0))
    # A real double click: press and release, then the double-click event.
    qtbot.mouseClick(view.documents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.documents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.view.document.id == ids["easy"], timeout=10_000)


def test_annotators_field_names_unknown_one(qtbot, window: MainWindow) -> None:
    view = open_from_menu(qtbot, window)
    view.annotators.setFocus()
    qtbot.keyClicks(view.annotators, "ana, zed")
    qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.task is None, timeout=30_000)
    assert "'zed'" in view.status.text()
    view.annotators.clear()
    qtbot.keyClicks(view.annotators, "ana")
    qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)
    assert "at least two" in view.status.text()
