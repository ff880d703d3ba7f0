"""Small dialogs: shortcuts (F1), corpus search (Ctrl+F), claimant picker (L)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Span
from annotator.services.workspace import SearchHit
from annotator.ui.inspector import excerpt
from annotator.ui.plain import label


class ShortcutsDialog(QDialog):
    """Every key: ``(menu, action, keys)`` rows built from the window's action table (so it
    never lies), and the article view's own keys."""

    def __init__(self, rows: Sequence[tuple[str, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        table = QTableWidget(len(rows), 3, self)
        table.setHorizontalHeaderLabels(["Menu", "Action", "Shortcut"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for col, value in enumerate(values):
                table.setItem(row, col, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        self.table = table
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 620)


class SearchDialog(QDialog):
    """Type to search titles and texts; Enter opens the chosen hit."""

    hitChosen = Signal(object)  # SearchHit

    def __init__(
        self,
        run_search: Callable[[str, Callable[[list[SearchHit]], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search the corpus")
        self._run_search = run_search
        self._generation = 0
        self.hits: list[SearchHit] = []
        layout = QVBoxLayout(self)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("words in a title or text")
        self.results = QListWidget(self)
        self.status = label("", self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._search)
        self.query.textChanged.connect(lambda _: self._timer.start())
        self.query.returnPressed.connect(self._enter)
        self.results.itemActivated.connect(self._choose)
        self.resize(640, 420)

    def _search(self) -> None:
        self._generation += 1
        generation = self._generation
        text = self.query.text()
        self.status.setText("searching…")

        def show(hits: list[SearchHit]) -> None:
            if generation != self._generation:
                return  # a newer query superseded this one
            self.hits = hits
            self.results.clear()
            for hit in hits:
                item = QListWidgetItem(f"{hit.title}\n    …{hit.snippet}…")
                self.results.addItem(item)
            self.status.setText(f"{len(hits)} documents" if text.strip() else "")
            if hits:
                self.results.setCurrentRow(0)

        self._run_search(text, show)

    def _enter(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._search()
            return
        if self.results.currentRow() >= 0:
            self._choose(self.results.currentItem())
        elif self.results.count():
            self.results.setFocus()

    def _choose(self, item: QListWidgetItem | None) -> None:
        row = self.results.row(item) if item is not None else -1
        if 0 <= row < len(self.hits):
            self.hitChosen.emit(self.hits[row])
            self.accept()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Up/Down in the query box move through the results.
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return
        super().keyPressEvent(event)


#: Words of context shown on each side of an entity in the claimant list.
CONTEXT_WORDS = 4


def describe_entity(text: str, entity: Span) -> str:
    """One claimant-list row: label, text, line and column, and a few words around it."""
    line = text.count("\n", 0, entity.start) + 1
    column = entity.start - (text.rfind("\n", 0, entity.start) + 1) + 1
    before = " ".join(text[: entity.start].split()[-CONTEXT_WORDS:])
    after = " ".join(text[entity.end :].split()[:CONTEXT_WORDS])
    name = excerpt(text, entity.start, entity.end)
    return f"{entity.label}: {name}  (line {line}, col {column})  …{before} [{name}] {after}…"


class ClaimantDialog(QDialog):
    """Pick the claimant of a claim from the document's entities, or "unattributed"."""

    UNATTRIBUTED = -1

    def __init__(
        self, text: str, claim: Span, entities: Sequence[Span], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link claimant")
        self.chosen: int | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"Claim: {excerpt(text, claim.start, claim.end)}", self))
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("filter")
        layout.addWidget(self.filter)
        self.list = QListWidget(self)
        layout.addWidget(self.list, 1)
        # In text order, each with where it is and the words around it; the nearest entity
        # before the claim (the usual claimant) is chosen to start with.
        self._entities = sorted(entities, key=lambda e: (e.start, -e.end))
        before = [e for e in self._entities if e.start <= claim.start]
        nearest = before[-1] if before else (self._entities[0] if self._entities else None)
        current = claim.claim.claimant_id if claim.claim else None
        if current is None and nearest is not None:
            current = nearest.id
        self._rows: list[int] = []
        self.filter.textChanged.connect(self._fill)
        self.filter.returnPressed.connect(self._accept_current)
        self.list.itemActivated.connect(lambda _item: self._accept_current())
        self._text = text
        self._fill("")
        if current is not None and current in self._rows:
            self.list.setCurrentRow(self._rows.index(current))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept_current)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 380)

    def _fill(self, query: str) -> None:
        self.list.clear()
        self._rows = [self.UNATTRIBUTED]
        self.list.addItem("(unattributed)")
        for entity in self._entities:
            shown = describe_entity(self._text, entity)
            if query.casefold() in shown.casefold():
                assert entity.id is not None
                self._rows.append(entity.id)
                self.list.addItem(shown)
        self.list.setCurrentRow(1 if len(self._rows) > 1 else 0)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
            self.list.setCurrentRow(row)
            return
        super().keyPressEvent(event)

    def _accept_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._rows):
            self.chosen = self._rows[row]
            self.accept()


class ExportDialog(QDialog):
    """Choose a format and what goes out; the file or folder is asked for next."""

    def __init__(
        self, formats: dict[str, tuple[str, str]], annotator: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._formats = formats
        layout = QFormLayout(self)
        self.format = QComboBox(self)
        for name, (description, _suffix) in formats.items():
            self.format.addItem(f"{name} — {description}", name)
        self.mine = QCheckBox(f"only {annotator}'s annotations", self)
        self.only_done = QCheckBox("only documents marked done", self)
        self.only_done.setChecked(True)
        self.drop_ignored = QCheckBox("drop boilerplate (offsets shift with the text)", self)
        self.gold = QCheckBox("use gold where adjudicated", self)
        self.gold.setObjectName("export-gold")
        self.split = QLineEdit(self)
        self.split.setPlaceholderText("e.g. train=0.8,dev=0.1,test=0.1 (empty: no split)")
        self.seed = QLineEdit("0", self)
        layout.addRow("Format", self.format)
        layout.addRow("", self.mine)
        layout.addRow("", self.only_done)
        layout.addRow("", self.drop_ignored)
        layout.addRow("", self.gold)
        layout.addRow("Split", self.split)
        layout.addRow("Seed", self.seed)
        self.error = label("", self)
        layout.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    @property
    def chosen_format(self) -> str:
        return str(self.format.currentData())

    @property
    def writes_folder(self) -> bool:
        return self._formats[self.chosen_format][1] == "folder" or bool(self.split.text().strip())

    def _check(self) -> None:
        if not self.seed.text().strip().lstrip("-").isdigit():
            self.error.setText("The seed must be a whole number.")
            return
        self.accept()
