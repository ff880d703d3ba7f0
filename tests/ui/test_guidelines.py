"""The guidelines panel and editor: Markdown rendered inert (raw HTML literal, no image ever
loaded, links only after asking), edited as one undoable command, toggled with F2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QTextBrowser

from annotator.core.guidelines import GUIDELINES_KEY, Guidelines
from annotator.storage.database import Database
from annotator.ui.guidelines import EMPTY_TEXT, SafeMarkdownView, drop_images
from annotator.ui.main_window import MainWindow
from tests.builders import insert_documents, titled, turn_off_live_suggesters
from tests.ui.driver import opened, type_text

RED = QColor("#ff0000")


@pytest.fixture
def red_png(tmp_path: Path) -> Path:
    """A local image that would be impossible to miss if it were ever drawn."""
    path = tmp_path / "secret.png"
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(RED)
    assert image.save(str(path))
    return path


def red_pixels(widget) -> int:
    image = widget.grab().toImage()
    return sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if image.pixelColor(x, y) == RED
    )


def image_formats(document: QTextDocument) -> list[str]:
    names = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def test_raw_html_stays_literal_and_images_are_not_shown(qtbot, red_png: Path) -> None:
    view = SafeMarkdownView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    local = QUrl.fromLocalFile(str(red_png)).toString()
    view.set_markdown(
        "# Rules\n\n"
        "Tag <b>people</b> only. <script>alert('x')</script>\n\n"
        f'<img src="{red_png}"> and <img src="https://example.invalid/track.png">\n\n'
        f"![remote pixel](https://example.invalid/pixel.png)\n\n"
        f"![local file]({local})\n\n"
        "**Bold** still works.\n"
    )
    text = view.toPlainText()
    assert "Tag <b>people</b> only. <script>alert('x')</script>" in text
    assert f'<img src="{red_png}">' in text
    assert '<img src="https://example.invalid/track.png">' in text
    assert "[image not shown: remote pixel]" in text
    assert "[image not shown: local file]" in text
    assert "Bold still works." in text
    assert image_formats(view.document()) == []
    assert red_pixels(view) == 0
    # Qt's Markdown reader asks for the images while parsing; each got the blank answer.
    assert {name for _kind, name in view.requested} <= {
        local,
        "https://example.invalid/pixel.png",
    }
    for _kind, name in view.requested:
        got = view.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert isinstance(got, QImage) and got.width() == 1


def test_load_resource_never_reads_a_file_even_for_an_image_in_the_document(
    qtbot, red_png: Path
) -> None:
    """Images that reach the document anyway (they cannot from Markdown, but the guard must
    not depend on that) are answered with a blank image: the local file is never read. The
    same document in a plain QTextBrowser does read it, so the check can fail."""
    local = QUrl.fromLocalFile(str(red_png))
    remote = QUrl("https://example.invalid/pixel.png")
    views = {}
    for kind in (SafeMarkdownView, QTextBrowser):
        view = kind()
        qtbot.addWidget(view)
        view.resize(300, 300)
        view.show()
        qtbot.waitExposed(view)
        cursor = QTextCursor(view.document())
        cursor.insertImage(local.toString())
        cursor.insertImage(remote.toString())
        views[kind] = view
    safe, plain = views[SafeMarkdownView], views[QTextBrowser]

    assert red_pixels(plain) > 0  # the control: Qt on its own loads and draws the file
    assert red_pixels(safe) == 0
    requested = [name for _kind, name in safe.requested]
    assert local.toString() in requested and remote.toString() in requested
    for url in (local, remote):
        got = safe.document().resource(QTextDocument.ResourceType.ImageResource, url)
        assert isinstance(got, QImage) and got.size().width() == 1  # the blank answer
        answer = safe.loadResource(int(QTextDocument.ResourceType.ImageResource.value), url)
        assert answer.width() == 1 and answer.pixelColor(0, 0).alpha() == 0
    sheet = safe.loadResource(int(QTextDocument.ResourceType.StyleSheetResource.value), local)
    assert bytes(sheet.data()).strip() == b""
    # And the Markdown path strips such images before they are drawn at all.
    assert drop_images(safe.document()) == 2
    assert image_formats(safe.document()) == []


def click_text(qtbot, view: SafeMarkdownView, piece: str) -> None:
    document = view.document()
    found = document.find(piece)
    assert not found.isNull(), piece
    cursor = QTextCursor(document)
    cursor.setPosition(found.selectionStart() + 1)
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def visible_box(parent, name: str) -> QMessageBox | None:
    boxes = [
        b for b in parent.findChildren(QMessageBox) if b.objectName() == name and b.isVisible()
    ]
    return boxes[-1] if boxes else None


def wait_box(qtbot, parent, name: str) -> QMessageBox:
    qtbot.waitUntil(lambda: visible_box(parent, name) is not None)
    box = visible_box(parent, name)
    assert box is not None
    return box


def test_links_open_only_web_addresses_and_only_after_asking(qtbot) -> None:
    view = SafeMarkdownView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    opened: list[str] = []
    view.open_url = lambda url: opened.append(url.toString())
    view.set_markdown(
        "See [the style guide](https://example.org/guide?a=1) or [passwords](file:///etc/passwd)"
        " or [mail](mailto:x@example.org).\n"
    )

    click_text(qtbot, view, "the style guide")
    box = wait_box(qtbot, view, "open-link-dialog")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "https://example.org/guide?a=1" in box.text()
    assert opened == []  # nothing happens before the answer
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert opened == []
    click_text(qtbot, view, "the style guide")
    box = wait_box(qtbot, view, "open-link-dialog")
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Open), Qt.MouseButton.LeftButton)
    assert opened == ["https://example.org/guide?a=1"]

    for piece, url in (("passwords", "file:///etc/passwd"), ("mail", "mailto:x@example.org")):
        click_text(qtbot, view, piece)
        refused = wait_box(qtbot, view, "refused-link-dialog")
        assert url in refused.text()
        refused.close()
    assert opened == ["https://example.org/guide?a=1"]
    assert view.document().toPlainText().startswith("See the style guide")  # not navigated


# -- in the window --------------------------------------------------------------------------

TEXT = "Storm closes port\nMayor Petra Novak said 300 homes had lost power.\n"


@pytest.fixture
def window(db: Database, qtbot) -> Iterator[MainWindow]:
    with db.write() as store:
        turn_off_live_suggesters(store)
        insert_documents(store, [titled(TEXT, "Storm")])
    yield from opened(db, "ana", qtbot)


def stored(db: Database):
    with db.read() as store:
        return store.get_setting(GUIDELINES_KEY)


def test_f2_toggles_the_panel(qtbot, window: MainWindow) -> None:
    assert not window.guidelines.isVisible()
    qtbot.keyClick(window.article, Qt.Key.Key_F2)
    assert window.guidelines.isVisible()
    assert window.guidelines.panel.view.toPlainText() == EMPTY_TEXT
    qtbot.keyClick(window.article, Qt.Key.Key_F2)
    assert not window.guidelines.isVisible()


def open_editor(qtbot, window: MainWindow):
    qtbot.keyClick(window.article, Qt.Key.Key_F2)
    qtbot.mouseClick(window.guidelines.panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.guidelines.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_edit_with_live_preview_then_undo_and_redo(qtbot, window: MainWindow, db) -> None:
    dialog = open_editor(qtbot, window)
    type_text(qtbot, dialog.editor, "# Tagging\n\nTag **people** with <b>titles</b>.")
    qtbot.waitUntil(lambda: "Tag people with <b>titles</b>." in dialog.preview.toPlainText())
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.executor.wait_idle()
    assert window.executor.wait_idle()

    saved = Guidelines.from_value(stored(db))
    assert saved.markdown == "# Tagging\n\nTag **people** with <b>titles</b>."
    assert saved.updated_by == "ana" and saved.updated_at
    panel = window.guidelines.panel
    assert "Tag people with <b>titles</b>." in panel.view.toPlainText()
    assert panel.meta.text().startswith("Last changed by ana")
    assert window.undo_action.text() == "&Undo Edit guidelines"

    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.executor.wait_idle() and window.executor.wait_idle()
    assert stored(db) is None
    assert panel.view.toPlainText() == EMPTY_TEXT

    qtbot.keyClick(
        window.article,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.executor.wait_idle() and window.executor.wait_idle()
    assert Guidelines.from_value(stored(db)).markdown == saved.markdown
    assert "Tag people" in panel.view.toPlainText()


def test_cancel_stores_nothing(qtbot, window: MainWindow, db) -> None:
    dialog = open_editor(qtbot, window)
    qtbot.keyClicks(dialog.editor, "Never mind")
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert window.executor.wait_idle()
    assert stored(db) is None
    assert window.service.history.undo_name is None


def test_damaged_stored_guidelines_are_reported_in_the_panel(qtbot, window: MainWindow, db):
    with db.write() as store:
        store.set_setting(GUIDELINES_KEY, {"markdown": 12})
    window.guidelines.reload()
    assert window.executor.wait_idle()
    shown = window.guidelines.panel.view.toPlainText()
    assert "cannot be shown" in shown and "guidelines.markdown" in shown
