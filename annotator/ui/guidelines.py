"""The project's guidelines: a Markdown text shown in a side panel, edited in a dialog.

Guidelines are written by people but read by everyone on the project, so they are rendered
as inert text:

* Markdown is parsed with ``MarkdownNoHTML``: ``<b>``, ``<script>``, ``<img src=…>`` in the
  text stay literal characters.
* Markdown images (``![x](https://…)``, ``![x](file:///etc/passwd)``) are replaced by a
  "[image not shown: …]" note before anything is drawn. Returning nothing from
  ``loadResource`` is NOT enough on its own: Qt's image handler then loads a local file by
  its name itself (measured with PySide6 6.11), so :class:`SafeMarkdownView` also answers
  every resource request with a blank 1×1 image that leaves Qt nothing to fall back on.
* Links are never followed inside the view. An http(s) link opens the system browser only
  after the address was shown as plain text and the reader said yes; other schemes are
  refused with a message; ``#anchors`` scroll within the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.commands import Applied, Command
from annotator.core.errors import InputError
from annotator.core.guidelines import GUIDELINES_KEY, Guidelines, set_guidelines
from annotator.core.setting_commands import changed_setting
from annotator.ui.executor import DbExecutor
from annotator.ui.plain import label, message_box

if TYPE_CHECKING:
    from annotator.services.project import OpenProject

MARKDOWN_FEATURES: Final = (
    QTextDocument.MarkdownFeature.MarkdownNoHTML
    | QTextDocument.MarkdownFeature.MarkdownDialectGitHub
)
WEB_SCHEMES: Final = frozenset({"http", "https"})
EMPTY_TEXT: Final = "No guidelines yet. Project > Guidelines… writes them for everyone."
#: Preview refresh delay while typing: re-parsing a long text on every key would lag.
PREVIEW_DELAY_MS: Final = 150


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    return image


def url_text(url: QUrl) -> str:
    """The address exactly as it will be requested (punycode host, escapes kept): what the
    reader is asked to trust."""
    return bytes(url.toEncoded().data()).decode("ascii", "replace")


def drop_images(document: QTextDocument) -> int:
    """Replace every image in ``document`` by a visible "[image not shown: …]" note; returns
    how many there were."""
    found: list[tuple[int, int, str]] = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fragment.isValid() and fmt.isImageFormat():
                image = fmt.toImageFormat()
                alt = str(image.property(QTextFormat.Property.ImageAltText) or "").strip()
                found.append((fragment.position(), fragment.length(), alt or image.name()))
            it += 1
        block = block.next()
    for position, length, what in reversed(found):  # from the end: positions stay valid
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        plain = QTextCharFormat()
        plain.setFontItalic(True)
        cursor.insertText(f"[image not shown: {what}]", plain)
    return len(found)


class SafeMarkdownView(QTextBrowser):
    """Read-only Markdown that loads nothing and follows no link by itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        #: Every resource Qt asked for (none was read); for tests and for curiosity.
        self.requested: list[tuple[int, str]] = []
        #: Opens an address in the system browser (tests swap it for a recorder).
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self.anchorClicked.connect(self._link_clicked)

    def set_markdown(self, markdown: str) -> None:
        document = self.document()
        document.setMarkdown(markdown, MARKDOWN_FEATURES)
        drop_images(document)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        self.requested.append((int(kind), name.toString()))
        # Never None: an empty answer makes Qt read local files itself (module docstring).
        if int(kind) == int(QTextDocument.ResourceType.ImageResource.value):
            return _blank_image()
        return QByteArray(b" ")

    def _link_clicked(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if not scheme and url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment())
            return
        if scheme in WEB_SCHEMES and url.isValid() and url.host():
            box = message_box(
                self,
                "Open link",
                f"Open this address in your web browser?\n\n{url_text(url)}",
                QMessageBox.Icon.Question,
            )
            box.setObjectName("open-link-dialog")
            box.setStandardButtons(
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel
            )
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.accepted.connect(lambda: self.open_url(url))
            box.open()
            return
        box = message_box(
            self,
            "Link not opened",
            "Only web links (http, https) open from the guidelines; this one is not "
            f"opened:\n\n{url_text(url)}",
            QMessageBox.Icon.Warning,
        )
        box.setObjectName("refused-link-dialog")
        box.open()


class GuidelinesDialog(QDialog):
    """Project > Guidelines…: the Markdown source on the left, the rendering on the right."""

    def __init__(self, guidelines: Guidelines, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Guidelines")
        self.resize(1000, 650)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("guidelines-editor")
        self.editor.setPlainText(guidelines.markdown)
        self.editor.setTabChangesFocus(True)
        self.preview = SafeMarkdownView(self)
        self.preview.setObjectName("guidelines-preview")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "Markdown: # headings, **bold**, lists, tables, links. HTML and images are "
                "shown as text, never loaded. Every project member sees these guidelines.",
                self,
            )
        )
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        self.editor.textChanged.connect(self._timer.start)
        self.update_preview()
        self.editor.setFocus()

    @property
    def markdown(self) -> str:
        # toRawText keeps what was typed (toPlainText turns NBSP into spaces); Qt separates
        # paragraphs with U+2029.
        return self.editor.document().toRawText().replace("\u2029", "\n")

    def update_preview(self) -> None:
        self.preview.set_markdown(self.markdown)


class GuidelinesPanel(QWidget):
    """The side panel's content: the rendered guidelines and who changed them last."""

    editRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guidelines = Guidelines()
        self.view = SafeMarkdownView(self)
        self.view.setObjectName("guidelines-view")
        self.meta = label("", self)
        self.meta.setWordWrap(True)
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.edit_button.clicked.connect(self.editRequested.emit)
        footer = QHBoxLayout()
        footer.addWidget(self.meta, 1)
        footer.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)
        self.show_guidelines(Guidelines())

    def show_guidelines(self, guidelines: Guidelines) -> None:
        self.guidelines = guidelines
        if guidelines.empty:
            self.view.setPlainText(EMPTY_TEXT)
        else:
            self.view.set_markdown(guidelines.markdown)
        if guidelines.updated_by or guidelines.updated_at:
            when = (guidelines.updated_at or "").replace("T", " ").replace("+00:00", " UTC")
            who = guidelines.updated_by or "someone"
            self.meta.setText(f"Last changed by {who}" + (f", {when}" if when else ""))
        else:
            self.meta.setText("")

    def show_problem(self, message: str) -> None:
        self.view.setPlainText(f"The project's guidelines cannot be shown: {message}")
        self.meta.setText("")


class GuidelinesDock(QDockWidget):
    """View > Guidelines (F2): the panel in a dock, loaded from and saved to the project.

    Saving goes through ``run``, the window's command path, so the edit is one undoable
    command; :meth:`changed` reloads the panel after any command that touched the guidelines
    (the edit itself, its undo and its redo).
    """

    def __init__(
        self, db: OpenProject, executor: DbExecutor, parent: QWidget | None = None
    ) -> None:
        super().__init__("Guidelines", parent)
        self.setObjectName("guidelines-dock")
        self.db = db
        self.executor = executor
        self.panel = GuidelinesPanel(self)
        self.setWidget(self.panel)
        self.dialog: GuidelinesDialog | None = None
        self.reload()

    def reload(self) -> None:
        def read() -> Any:
            with self.db.read() as store:
                return store.get_setting(GUIDELINES_KEY)

        self.executor.submit(read, self._loaded)

    def _loaded(self, value: Any) -> None:
        try:
            guidelines = Guidelines.from_value(value)
        except Exception as exc:  # a damaged setting: say so in the panel, keep working
            self.panel.show_problem(str(exc))
            return
        self.panel.show_guidelines(guidelines)

    def changed(self, applied: Applied) -> None:
        if changed_setting(applied) == GUIDELINES_KEY:
            self.reload()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.reload()  # on a team database someone else may have changed them
            self.show()
            self.raise_()

    def edit(
        self,
        annotator: str,
        run: Callable[[Command], None],
        finished: Callable[[], None] | None = None,
    ) -> GuidelinesDialog:
        """Open the editor on the guidelines as last shown; OK stores them through ``run``
        (nothing is stored when the text did not change)."""
        dialog = GuidelinesDialog(self.panel.guidelines, self.parentWidget())
        dialog.setObjectName("guidelines-dialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a fresh one each time
        before = self.panel.guidelines.markdown

        def accepted() -> None:
            text = dialog.markdown
            if text == before:
                return
            try:
                command = set_guidelines(text, annotator)
            except InputError as exc:
                box = message_box(self, "Guidelines", str(exc), QMessageBox.Icon.Warning)
                box.setObjectName("guidelines-error")
                box.open()
                return
            run(command)

        dialog.accepted.connect(accepted)
        if finished is not None:
            dialog.finished.connect(lambda _result: finished())
        self.dialog = dialog
        dialog.open()
        return dialog
