"""Help > Manual: the pages of docs/ (shipped with the app) shown in the window, offline.

The pages are the same Markdown files a reader of the repository sees; links between them are
followed here, links to the web open in the browser, and a link to a file that is not part of
the installed manual (a design record, the benchmarks) says so instead of showing a blank page.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.resources import MANUAL_PAGES, manual_folder


def heading_anchor(text: str) -> str:
    """The anchor a Markdown renderer of the repository gives a heading ("## Exit codes" →
    "exit-codes"): lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(
        c for c in text.strip().lower() if c in " -_" or unicodedata.category(c)[0] in "LN"
    )
    return re.sub(r" ", "-", kept)


class PageBrowser(QTextBrowser):
    """A page whose pictures are drawn no wider than the page: the screenshots are 1,400 pixels
    wide and would otherwise push the text off to the side, behind a horizontal scroll bar."""

    #: Room left beside a picture for the document's margins and the vertical scroll bar.
    MARGIN = 32

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_images()

    def fit_images(self) -> None:
        room = max(self.viewport().width() - self.MARGIN, 64)
        document = self.document()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                image_format = fragment.charFormat().toImageFormat()
                if fragment.isValid() and image_format.isValid():
                    self._fit(cursor, fragment.position(), fragment.length(), image_format, room)
                it += 1
            block = block.next()
        cursor.endEditBlock()

    def _fit(
        self, cursor: QTextCursor, position: int, length: int, image: QTextImageFormat, room: int
    ) -> None:
        natural = self._natural_width(image.name())
        if natural <= 0:
            return
        width = float(min(natural, room))
        if image.width() == width:
            return
        image.setWidth(width)
        # With the height unset, Qt derives it from the width and keeps the proportions.
        image.clearProperty(QTextImageFormat.Property.ImageHeight)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(image)

    def _natural_width(self, name: str) -> int:
        resource = self.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        if resource is None:
            resource = self.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        if isinstance(resource, QImage):
            return resource.width()
        width = getattr(resource, "width", None)
        return int(width()) if callable(width) else 0


class ManualDialog(QDialog):
    """The manual's pages on the left, the open page on the right."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manual-dialog")
        self.setWindowTitle("Annotator manual")
        self.resize(900, 680)
        self.folder = folder or manual_folder()
        self.page: Path | None = None
        self.pages = QListWidget(self)
        self.pages.setObjectName("manual-pages")
        for _name, title in MANUAL_PAGES:
            self.pages.addItem(title)
        self.pages.setFixedWidth(220)
        self.browser = PageBrowser(self)
        self.browser.setObjectName("manual-page")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.follow)
        self.note = QLabel(self)
        self.note.setObjectName("manual-note")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.pages)
        body.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.pages.currentRowChanged.connect(self._page_chosen)
        self.pages.setCurrentRow(0)
        self.browser.setFocus()

    def _page_chosen(self, row: int) -> None:
        if 0 <= row < len(MANUAL_PAGES):
            self.show_page(self.folder / MANUAL_PAGES[row][0])

    def show_page(self, path: Path, anchor: str = "") -> None:
        if not path.is_file():
            self.note.setText(f"Not part of the installed manual: {path.name}")
            return
        if path != self.page:
            self.page = path
            # Pictures are relative to the page ("screenshot.png").
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
            self.browser.fit_images()
            self.browser.document().setMetaInformation(
                QTextDocument.MetaInformation.DocumentUrl, QUrl.fromLocalFile(str(path)).toString()
            )
            names = [name for name, _title in MANUAL_PAGES]
            if path.name in names and self.pages.currentRow() != names.index(path.name):
                self.pages.blockSignals(True)
                self.pages.setCurrentRow(names.index(path.name))
                self.pages.blockSignals(False)
        self.note.clear()
        if anchor:
            self.scroll_to_heading(anchor)
        else:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)

    def scroll_to_heading(self, anchor: str) -> bool:
        """Put the heading whose anchor is ``anchor`` at the top; False if there is none."""
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and heading_anchor(block.text()) == anchor:
                cursor = QTextCursor(block)
                self.browser.moveCursor(QTextCursor.MoveOperation.End)
                self.browser.setTextCursor(cursor)
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        self.note.setText(f"No section '{anchor}' on this page")
        return False

    def follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        target = url.path()
        anchor = url.fragment()
        if not target:
            if anchor:
                self.scroll_to_heading(anchor)
            return
        base = self.page.parent if self.page else self.folder
        path = (base / target).resolve() if not Path(target).is_absolute() else Path(target)
        if path.suffix == ".md" and path.is_file():
            self.show_page(path, anchor)
        else:
            self.note.setText(f"Not part of the installed manual: {target}")


def open_manual(parent: QWidget) -> ManualDialog:
    dialog = ManualDialog(parent)
    dialog.open()
    return dialog
