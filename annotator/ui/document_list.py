"""The document list on the left of the window: a filter box, a status filter, the table and a
count. The rows come from :class:`~annotator.ui.document_list_model.DocumentListModel`, which
reads them page by page on the database worker.
"""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import DocumentSummary, Status
from annotator.services.workspace import Workspace
from annotator.ui.document_list_model import (
    CACHE_PAGES,
    PAGE_SIZE,
    SPANS_COLUMN,
    STATUS_COLUMN,
    STATUS_LABELS,
    TITLE_COLUMN,
    DocumentListModel,
)
from annotator.ui.executor import DbExecutor

FILTER_DELAY_MS = 200


class _DocumentTable(QTableView):
    """The table, with Enter opening the current row (Qt's own ``activated`` differs by
    platform: on some, Enter starts editing or a single click activates)."""

    rowActivated = Signal(int)

    #: Keys the list answers itself while it has focus, even where the window binds them
    #: (Enter accepts a suggestion in the article view).
    OWN_KEYS = frozenset(
        {
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        }
    )

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._own_key(event)
        ):
            event.accept()  # then it arrives as a key press, not as the window's shortcut
            return True
        return super().event(event)

    def _own_key(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return event.key() in self.OWN_KEYS and modifiers == Qt.KeyboardModifier.NoModifier

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._own_key(event):
            current = self.currentIndex()
            if current.isValid():
                self.rowActivated.emit(current.row())
                event.accept()
                return
        super().keyPressEvent(event)


class DocumentList(QWidget):
    """Filter box, status filter, the table and a count; emits :attr:`documentActivated`
    when the user opens a document (Enter or a click)."""

    documentActivated = Signal(int)

    STATUS_CHOICES: tuple[tuple[str, Status | None], ...] = (
        ("All", None),
        *((STATUS_LABELS[s], s) for s in Status),
    )

    def __init__(
        self,
        workspace: Workspace,
        executor: DbExecutor,
        parent: QWidget | None = None,
        *,
        page_size: int = PAGE_SIZE,
        cache_pages: int = CACHE_PAGES,
    ) -> None:
        super().__init__(parent)
        self._model = DocumentListModel(
            workspace, executor, self, page_size=page_size, cache_pages=cache_pages
        )
        self._current_id: int | None = None
        self._select_token = 0
        self._activate_token = 0

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by title or text")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter documents")
        self.filter_edit.installEventFilter(self)

        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName("Status filter")
        for label, status in self.STATUS_CHOICES:
            # The value, not the enum: Qt hands a str subclass back as a plain str.
            self.status_combo.addItem(label, None if status is None else status.value)

        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)

        self.view = _DocumentTable(self)
        self._setup_view()

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._apply_filter)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)
        self.view.rowActivated.connect(self._activate_row)
        self.view.clicked.connect(lambda index: self._activate_row(index.row()))
        self._model.countChanged.connect(self._show_count)
        self._model.loadFailed.connect(self._show_failure)
        self._model.modelReset.connect(self._reselect)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.status_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self._model.reload()

    def _setup_view(self) -> None:
        view = self.view
        view.setModel(self._model)
        view.setAccessibleName("Documents")
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setSortingEnabled(False)
        metrics = view.fontMetrics()
        rows = view.verticalHeader()
        rows.setVisible(False)
        # Fixed, equal row heights: Qt never measures a row, so a million cost nothing.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(1)
        rows.setDefaultSectionSize(metrics.height() + 6)
        columns = view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionsClickable(False)
        columns.setStretchLastSection(False)
        # No ResizeToContents anywhere: it would read every row.
        columns.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Fixed)
        columns.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(SPANS_COLUMN, QHeaderView.ResizeMode.Fixed)
        columns.resizeSection(STATUS_COLUMN, metrics.horizontalAdvance("◐") + 16)
        columns.resizeSection(SPANS_COLUMN, metrics.horizontalAdvance("Spans") + 16)

    # -- public -------------------------------------------------------------------------------

    @property
    def model(self) -> DocumentListModel:
        return self._model

    @property
    def current_document_id(self) -> int | None:
        return self._current_id

    def reload(self) -> None:
        self._model.reload()

    def refresh_documents(
        self, document_ids: Iterable[int], known: Iterable[DocumentSummary] = ()
    ) -> None:
        self._model.refresh_documents(document_ids, known)

    def set_filter(self, text: str | None = None, status: Status | None = None) -> None:
        """Set both filters at once, as if typed and chosen (applied without delay)."""
        self.filter_edit.blockSignals(True)
        self.status_combo.blockSignals(True)
        try:
            self.filter_edit.setText(text or "")
            found = self.status_combo.findData(None if status is None else status.value)
            self.status_combo.setCurrentIndex(max(0, found))
        finally:
            self.filter_edit.blockSignals(False)
            self.status_combo.blockSignals(False)
        self._apply_filter()

    @property
    def hides_copies(self) -> bool:
        return self._model.hides_copies

    def toggle_copies(self) -> None:
        """Hide near-duplicate copies of other documents from the list, or show them again
        (View > Hide near-duplicate copies)."""
        self._model.set_hide_copies(not self._model.hides_copies)

    def select_document(self, document_id: int) -> None:
        """Highlight ``document_id`` (the one open in the window) and scroll to it, once its
        row is known; nothing is highlighted if the filter hides it. Never emits
        :attr:`documentActivated`."""
        self._current_id = document_id
        self._find(document_id, after_reset=False)

    # -- internals ----------------------------------------------------------------------------

    def _find(self, document_id: int, *, after_reset: bool) -> None:
        self._select_token += 1
        token = self._select_token
        self._model.find_row(document_id, lambda row: self._on_found(token, row, after_reset))

    def _on_found(self, token: int, row: int | None, after_reset: bool) -> None:
        if token != self._select_token or not shiboken6.isValid(self):
            return  # a newer selection, or the list is gone
        if after_reset and (
            self.view.currentIndex().isValid() or self.view.verticalScrollBar().value() > 0
        ):
            # A long filter scan found the open document only after the user started moving
            # around the new list: leave them where they are.
            return
        selection = self.view.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self._model.index(row, TITLE_COLUMN)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _reselect(self) -> None:
        if self._current_id is not None:
            self._find(self._current_id, after_reset=True)

    def _activate_row(self, row: int) -> None:
        self._activate_token += 1
        token = self._activate_token

        def emit(document_id: int | None) -> None:
            if document_id is not None and token == self._activate_token:
                self.documentActivated.emit(document_id)

        # A placeholder row is opened as soon as its page arrives.
        self._model.fetch_document_id(row, emit)

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        value = self.status_combo.currentData()
        self._model.set_filter(self.filter_edit.text(), Status(value) if value else None)

    def _show_count(self, count: int, final: bool) -> None:
        filtered = self._model.text_filter is not None or self._model.status_filter is not None
        filtered = filtered or self._model.hides_copies
        if not final:
            text = f"Searching… {count:,} found so far" if filtered else "Counting…"
        elif count == 0:
            text = "No documents match" if filtered else "No documents"
        else:
            text = f"{count:,} document{'' if count == 1 else 's'}"
        if self._model.hides_copies:
            text += " (near-duplicate copies hidden)"
        self.count_label.setText(text)

    def _show_failure(self, message: str) -> None:
        self.count_label.setText(f"Could not read the list: {message}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.filter_edit or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == (
            Qt.KeyboardModifier.NoModifier
        )
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)
        if event.type() == QEvent.Type.ShortcutOverride and plain and event.key() in keys:
            event.accept()  # the filter box's, not the window's (Enter accepts a suggestion)
            return True
        if event.type() == QEvent.Type.KeyPress and plain and event.key() == Qt.Key.Key_Down:
            # Down in the filter box goes to the list, so filter-then-pick needs no mouse.
            if self._filter_timer.isActive():
                self._apply_filter()
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.view.currentIndex().isValid() and self._model.rowCount() > 0:
                self.view.setCurrentIndex(self._model.index(0, TITLE_COLUMN))
            return True
        return super().eventFilter(watched, event)
