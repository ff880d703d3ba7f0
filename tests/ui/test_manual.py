"""Help > Manual: the pages of docs/ shown in the window, links between them followed."""

from __future__ import annotations

from collections.abc import Iterator
from hashlib import sha256

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QListWidget, QTextBrowser

from annotator.core.resources import MANUAL_PAGES, manual_folder
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from annotator.ui.manual import ManualDialog, heading_anchor
from tests.ui.windows import open_window


@pytest.fixture
def window(db: Database, qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with db.write() as store:
        store.set_setting(
            "suggesters",
            {name: {"enabled": False} for name in ("gazetteer", "rules", "claims", "seeds")},
        )
        text = "Ferry timetable\nThe crossing leaves at noon."
        store.insert_documents(
            [
                {
                    "title": "Ferry timetable",
                    "text": text,
                    "sha256": sha256(text.encode()).hexdigest(),
                }
            ]
        )
    win = open_window(db, "ana", qtbot)
    yield win
    win.executor.wait_idle()


def _manual(win: MainWindow, qtbot) -> ManualDialog:  # type: ignore[no-untyped-def]
    win.action_table.by_name["manual"].trigger()
    qtbot.waitUntil(lambda: win.findChild(ManualDialog, "manual-dialog") is not None)
    dialog = win.findChild(ManualDialog, "manual-dialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_every_page_of_the_manual_is_there() -> None:
    folder = manual_folder()
    for name, title in MANUAL_PAGES:
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith("# "), name
        assert title.split()[0].lower() in text.splitlines()[0].lower(), (name, title)


def test_help_manual_opens_on_the_user_guide_and_walks_the_pages_by_keyboard(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    dialog = _manual(window, qtbot)
    pages = dialog.findChild(QListWidget, "manual-pages")
    browser = dialog.findChild(QTextBrowser, "manual-page")
    assert [pages.item(i).text() for i in range(pages.count())] == [t for _n, t in MANUAL_PAGES]
    assert browser.toPlainText().startswith("User guide")
    assert "Keys" in browser.toPlainText()
    pages.setFocus()
    qtbot.keyClick(pages, Qt.Key.Key_Down)
    assert dialog.page is not None and dialog.page.name == "formats.md"
    assert "Native JSONL" in browser.toPlainText()
    qtbot.keyClick(pages, Qt.Key.Key_End)
    assert dialog.page.name == "limits.md"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_link_to_another_page_and_section_is_followed(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    dialog = _manual(window, qtbot)
    browser = dialog.findChild(QTextBrowser, "manual-page")
    dialog.follow(QUrl("limits.md#databases"))
    assert dialog.page is not None and dialog.page.name == "limits.md"
    assert browser.textCursor().block().text() == "Databases"
    assert dialog.findChild(QListWidget, "manual-pages").currentItem().text() == "Limits"
    dialog.follow(QUrl("nowhere.md"))
    assert dialog.page.name == "limits.md"
    assert "nowhere.md" in dialog.note.text()


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Exit codes", "exit-codes"),
        ("Team database (PostgreSQL)", "team-database-postgresql"),
        (
            "Seed lists: places, nationalities and organisations from the first article",
            "seed-lists-places-nationalities-and-organisations-from-the-first-article",
        ),
    ],
)
def test_headings_get_the_anchors_the_pages_link_to(heading: str, anchor: str) -> None:
    assert heading_anchor(heading) == anchor


def _image_widths(browser: QTextBrowser) -> list[float]:
    widths = []
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            image = it.fragment().charFormat().toImageFormat()
            if image.isValid():
                widths.append(image.width())
            it += 1
        block = block.next()
    return widths


def test_a_wide_screenshot_fits_the_page_and_follows_its_width(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    dialog = _manual(window, qtbot)
    browser = dialog.findChild(QTextBrowser, "manual-page")
    assert dialog.page is not None and dialog.page.name == "user-guide.md"
    widths = _image_widths(browser)
    # The user guide opens with the 1,400-pixel screenshot of the window.
    assert len(widths) == 2 and all(0 < w <= browser.viewport().width() for w in widths)
    dialog.resize(dialog.width() + 200, dialog.height())
    qtbot.waitUntil(lambda: _image_widths(browser)[0] > widths[0])
    assert _image_widths(browser)[0] <= browser.viewport().width()
