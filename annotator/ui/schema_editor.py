"""Project > Labels…: the schema editor.

The dialog edits a draft (a list of :class:`_Row`, not the widgets) and Save turns everything
into ONE command (:class:`~annotator.core.relabel_commands.EditLabels`): the renames and merges
in the order they were made, then the new schema version. So Cancel changes nothing, and one
Ctrl+Z in the window undoes the whole edit, annotations included.

- Name, hotkey and description are edited in the table (F2 or typing); a colour is typed as
  ``#rrggbb`` or picked with Colour…. Each edit is checked at once: a hotkey another label or
  the window uses, a name that exists, a colour that fails the light/dark contrast check are
  refused with a message naming the label, and the cell goes back.
- Renaming a label that has annotations moves them (and its suggestions, decisions and terms)
  to the new name when saved.
- Move up / Move down reorder the labels; hotkeys stay with the positions (the moved label
  swaps keys with its neighbour), so the label bar keeps reading 1, 2, 3… left to right.
- Remove asks first when the label is in use and offers to merge it into another label
  (everything moves there) or to remove it anyway (the annotations keep the old name and are
  drawn grey).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.relabel_commands import CLAIM_TYPE, EditLabels, LabelStep
from annotator.core.schema import (
    CLAIM_ATTRIBUTES,
    DARK_TEXT,
    LIGHT_TEXT,
    EntityLabel,
    LabelSchema,
    color_problems,
    contrast,
    hotkey_problem,
    name_problem,
    next_free_hotkey,
    problems,
)
from annotator.services import labels
from annotator.ui.plain import label, message_box

if TYPE_CHECKING:
    from annotator.ui.context import WindowContext
    from annotator.ui.operations import Outcome

NAME, COLOR, HOTKEY, DESCRIPTION = range(4)
#: Colours offered to new labels, in order (all pass the contrast check; a test keeps it so).
NEW_COLORS = (
    "#2c7ed0", "#d64040", "#298e29", "#a24fcc", "#ba6e21", "#27899d", "#cf3f9f", "#8d7a1e",
    "#7968cd", "#3c8b71", "#c44d75", "#59862d", "#6a7d90", "#ad6b4a",
)  # fmt: skip


@dataclass
class _Row:
    name: str
    color: str
    hotkey: str | None
    description: str
    #: The label this row's annotations are stored under after the steps so far (None: a
    #: label added in this editor, with nothing stored yet).
    data_label: str | None
    #: Stored labels whose annotations end up in this row (for "in use" counts).
    origins: list[str] = field(default_factory=list)


class RemoveLabelDialog(QDialog):
    """Removing a label in use: merge it into another, remove it anyway, or cancel."""

    MERGE, REMOVE = 1, 2

    def __init__(self, name: str, uses: int, others: list[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("remove-label-dialog")
        self.setWindowTitle(f"Remove {name}")
        self.choice = 0
        text = label(
            f"{name} is used by {uses} annotations, suggestions and gazetteer terms.\n"
            f"Merge them into another label, or remove {name} and leave them under the "
            "old name (drawn grey, still exported)?"
        )
        text.setWordWrap(True)
        self.into = QComboBox()
        self.into.setObjectName("merge-into")
        self.into.addItems(others)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("merge")
        self.merge_button.setEnabled(bool(others))
        self.remove_button = buttons.addButton(
            "Remove &anyway", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setObjectName("remove-anyway")
        self.merge_button.clicked.connect(lambda: self._done(self.MERGE))
        self.remove_button.clicked.connect(lambda: self._done(self.REMOVE))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        row = QHBoxLayout()
        row.addWidget(label("Merge into:"))
        row.addWidget(self.into, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.into.setFocus()

    def _done(self, choice: int) -> None:
        self.choice = choice
        self.accept()


class SchemaEditor(QDialog):
    def __init__(
        self, schema: LabelSchema, usage: dict[str, int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("schema-editor")
        self.setWindowTitle("Labels")
        self.schema = schema
        self.usage = dict(usage)
        self.rows = [
            _Row(e.name, e.color, e.hotkey, e.description, e.name, [e.name])
            for e in schema.entities
        ]
        #: Stored labels whose annotations belong to no row (removed, or never in the schema).
        self.orphans = {n for n, count in usage.items() if count} - set(schema.entity_names)
        self.steps: list[LabelStep] = []
        #: What each step is called in the Edit menu ("Rename GPE to PLACE").
        self.step_names: list[str] = []
        self.command: EditLabels | None = None
        self._filling = False

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("entity-labels")
        self.table.setHorizontalHeaderLabels(["Name", "Colour", "Hotkey", "Description"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemChanged.connect(self._cell_edited)

        buttons = QVBoxLayout()
        for text, name, slot in (
            ("&Add", "add", self.add_label),
            ("Re&move…", "remove", self.remove_label),
            ("Move &up", "up", lambda: self.move(-1)),
            ("Move &down", "down", lambda: self.move(+1)),
            ("C&olour…", "colour", self.pick_color),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        entities = QGroupBox("Entity labels")
        entity_layout = QHBoxLayout(entities)
        entity_layout.addWidget(self.table, 1)
        entity_layout.addLayout(buttons)

        self.claim_types = QListWidget()
        self.claim_types.setObjectName("claim-types")
        for claim_type in schema.claim_types:
            # Remember the stored name: an edited item becomes a rename of the stored claims.
            self._add_type_item(claim_type).setData(Qt.ItemDataRole.UserRole, claim_type)
        type_buttons = QVBoxLayout()
        for text, name, slot in (
            ("Add &type", "add-type", self.add_type),
            ("Re&name type", "rename-type", self.rename_type),
            ("Remove t&ype", "remove-type", self.remove_type),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            type_buttons.addWidget(button)
        self.attributes: dict[str, QCheckBox] = {}
        for attribute in CLAIM_ATTRIBUTES:
            box = QCheckBox(f"Record {attribute}")
            box.setObjectName(f"attribute-{attribute}")
            box.setChecked(attribute in schema.claim_attributes)
            type_buttons.addWidget(box)
            self.attributes[attribute] = box
        type_buttons.addStretch(1)
        claims = QGroupBox("Claims: types and attributes")
        claim_layout = QHBoxLayout(claims)
        claim_layout.addWidget(self.claim_types, 1)
        claim_layout.addLayout(type_buttons)

        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save")
        self.save_button.setAutoDefault(False)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)

        self.version = label(f"Schema version {schema.version}: saving makes a new version.")
        layout = QVBoxLayout(self)
        layout.addWidget(entities, 5)
        layout.addWidget(claims, 2)
        layout.addWidget(self.version)
        layout.addWidget(box)
        self.resize(760, 620)
        self._fill()
        if self.rows:
            self.table.setCurrentCell(0, NAME)
        self.table.setFocus()

    # -- the table ------------------------------------------------------------------------

    def _fill(self) -> None:
        self._filling = True
        try:
            self.table.setRowCount(len(self.rows))
            for i, row in enumerate(self.rows):
                uses = sum(self.usage.get(n, 0) for n in row.origins)
                name = QTableWidgetItem(row.name)
                name.setToolTip(f"{uses} annotations, suggestions and terms")
                self.table.setItem(i, NAME, name)
                swatch = QTableWidgetItem(row.color)
                swatch.setBackground(QColor(row.color))
                readable = (
                    LIGHT_TEXT
                    if contrast(LIGHT_TEXT, row.color) >= contrast(DARK_TEXT, row.color)
                    else DARK_TEXT
                )
                swatch.setForeground(QColor(readable))
                self.table.setItem(i, COLOR, swatch)
                self.table.setItem(i, HOTKEY, QTableWidgetItem((row.hotkey or "").upper()))
                self.table.setItem(i, DESCRIPTION, QTableWidgetItem(row.description))
            for column in (NAME, COLOR, HOTKEY):
                self.table.resizeColumnToContents(column)
        finally:
            self._filling = False

    def _current(self) -> int | None:
        index = self.table.currentRow()
        return index if 0 <= index < len(self.rows) else None

    def _refuse(self, text: str) -> None:
        box = message_box(self, "Labels", text, QMessageBox.Icon.Warning)
        box.setObjectName("schema-editor-error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        index, column = item.row(), item.column()
        row = self.rows[index]
        value = item.text().strip()
        error = None
        if column == NAME:
            error = self._rename(row, value)
        elif column == COLOR:
            error = self._recolor(row, value)
        elif column == HOTKEY:
            error = self._set_hotkey(row, value or None)
        elif column == DESCRIPTION:
            row.description = " ".join(value.split())  # one line
        # Redraw from the draft: a refused edit goes back, an accepted one is normalised.
        self._fill()
        if error:
            self._refuse(error)

    def _rename(self, row: _Row, new: str) -> str | None:
        if new == row.name:
            return None
        problem = name_problem(new, self.schema.claim_label)
        if problem:
            return problem
        if any(r.name == new for r in self.rows):
            return (
                f"{new} exists already. To combine {row.name} with it, remove {row.name} and "
                f"merge it into {new}."
            )
        if new in self.orphans:
            return f"{new} is still used by annotations of a removed label: choose another name."
        if row.data_label is not None:
            self.steps.append(LabelStep(row.data_label, new))
            self.step_names.append(f"Rename {row.name} to {new}")
            row.data_label = new
        row.name = new
        return None

    def _recolor(self, row: _Row, color: str) -> str | None:
        color = color.lower()
        found = color_problems(color)
        if found:
            return f"{row.name}: colour {color} refused: " + "; ".join(found) + "."
        row.color = color
        return None

    def _set_hotkey(self, row: _Row, key: str | None) -> str | None:
        key = key.lower() if key else None
        problem = hotkey_problem(key, row.name)
        if problem:
            return problem
        for other in self.rows:
            if other is not row and key is not None and other.hotkey == key:
                return f"Hotkey {key.upper()} is already {other.name}'s: choose another key."
        row.hotkey = key
        return None

    # -- buttons --------------------------------------------------------------------------

    def add_label(self) -> None:
        taken = {r.name for r in self.rows}
        number = 1
        name = "NEW"
        while name in taken or name in self.orphans:
            number += 1
            name = f"NEW{number}"
        used = {r.color for r in self.rows}
        color = next((c for c in NEW_COLORS if c not in used), NEW_COLORS[0])
        key = next_free_hotkey({r.hotkey for r in self.rows if r.hotkey})
        self.rows.append(_Row(name, color, key, "", None))
        self._fill()
        self.table.setCurrentCell(len(self.rows) - 1, NAME)
        self.table.editItem(self.table.item(len(self.rows) - 1, NAME))  # type the name now

    def move(self, step: int) -> None:
        index = self._current()
        if index is None or not 0 <= index + step < len(self.rows):
            return
        a, b = self.rows[index], self.rows[index + step]
        a.hotkey, b.hotkey = b.hotkey, a.hotkey  # keys stay with positions
        self.rows[index], self.rows[index + step] = b, a
        self._fill()
        self.table.setCurrentCell(index + step, self.table.currentColumn())

    def pick_color(self) -> None:
        index = self._current()
        if index is None:
            return
        row = self.rows[index]
        dialog = QColorDialog(QColor(row.color), self)
        dialog.setObjectName("colour-dialog")

        def chosen(color: QColor) -> None:
            error = self._recolor(row, color.name())
            self._fill()
            if error:
                self._refuse(error)

        dialog.colorSelected.connect(chosen)
        dialog.open()

    def remove_label(self) -> None:
        index = self._current()
        if index is None:
            return
        row = self.rows[index]
        uses = sum(self.usage.get(n, 0) for n in row.origins)
        if not uses:
            self._drop(index)
            return
        others = [r.name for r in self.rows if r is not row]
        dialog = RemoveLabelDialog(row.name, uses, others, self)

        def decided() -> None:
            if dialog.choice == RemoveLabelDialog.MERGE:
                self.merge(row.name, dialog.into.currentText())
            elif dialog.choice == RemoveLabelDialog.REMOVE:
                self._drop(self.rows.index(row))

        dialog.accepted.connect(decided)
        dialog.finished.connect(self.table.setFocus)
        dialog.open()

    def merge(self, name: str, into: str) -> None:
        row = next(r for r in self.rows if r.name == name)
        target = next(r for r in self.rows if r.name == into)
        if row.data_label is not None:
            if target.data_label is None:
                target.data_label = target.name
            self.steps.append(LabelStep(row.data_label, target.data_label))
            self.step_names.append(f"Merge {name} into {into}")
            target.origins += row.origins
        self.rows.remove(row)
        self._fill()

    def _drop(self, index: int) -> None:
        row = self.rows.pop(index)
        if row.data_label is not None and any(self.usage.get(n, 0) for n in row.origins):
            self.orphans.add(row.data_label)
        self._fill()
        if self.rows:
            self.table.setCurrentCell(min(index, len(self.rows) - 1), NAME)

    # -- claim types ----------------------------------------------------------------------

    def _add_type_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.claim_types.addItem(item)
        return item

    def add_type(self) -> None:
        item = self._add_type_item("new_type")
        self.claim_types.setCurrentItem(item)
        self.claim_types.editItem(item)

    def rename_type(self) -> None:
        item = self.claim_types.currentItem()
        if item is not None:
            self.claim_types.editItem(item)

    def remove_type(self) -> None:
        item = self.claim_types.currentItem()
        if item is not None:
            self.claim_types.takeItem(self.claim_types.row(item))

    # -- saving ---------------------------------------------------------------------------

    def edited_schema(self) -> LabelSchema:
        types = tuple(
            self.claim_types.item(i).text().strip() for i in range(self.claim_types.count())
        )
        return replace(
            self.schema,
            entities=tuple(
                EntityLabel(r.name, r.color, r.hotkey, r.description) for r in self.rows
            ),
            claim_types=types,
            claim_attributes=tuple(a for a, box in self.attributes.items() if box.isChecked()),
        )

    def save(self) -> None:
        types = [self.claim_types.item(i).text().strip() for i in range(self.claim_types.count())]
        if not types:
            self._refuse("Keep at least one claim type.")
            return
        if len(set(types)) != len(types):
            self._refuse("A claim type is listed twice.")
            return
        try:
            schema = self.edited_schema()
        except Exception as exc:  # SchemaError from the structural checks
            self._refuse(str(exc))
            return
        found = problems(schema)
        if found:
            self._refuse("Not saved:\n" + "\n".join(found))
            return
        if schema == self.schema and not self.steps:
            self.reject()  # nothing changed: no new version
            return
        self.command = labels.edit(
            [*self.steps, *self._type_steps()], schema, name=self._command_name()
        )
        self.accept()

    def _type_steps(self) -> list[LabelStep]:
        """Claim types renamed in the list, as steps that move the stored claims too. A
        rename onto another type's old name (a swap) goes through a temporary name so the
        two sets of claims never mix."""
        renames: list[tuple[str, str]] = []
        for i in range(self.claim_types.count()):
            item = self.claim_types.item(i)
            old = item.data(Qt.ItemDataRole.UserRole)
            new = item.text().strip()
            if isinstance(old, str) and old != new:
                renames.append((old, new))
        olds = {old for old, _new in renames}
        if not any(new in olds for _old, new in renames):
            return [LabelStep(old, new, CLAIM_TYPE) for old, new in renames]
        parked = [(old, f"renaming-{i}", new) for i, (old, new) in enumerate(renames)]
        return [LabelStep(old, tmp, CLAIM_TYPE) for old, tmp, _new in parked] + [
            LabelStep(tmp, new, CLAIM_TYPE) for _old, tmp, new in parked
        ]

    def _command_name(self) -> str:
        return self.step_names[0] if len(self.step_names) == 1 else "Edit labels"


# -- the window's side ---------------------------------------------------------------------


def open_editor(ctx: WindowContext) -> None:
    """Project > Labels…: read the schema and label use on the database worker, then edit."""

    def read() -> tuple[LabelSchema, dict[str, int]]:
        return ctx.workspace.schema(), labels.label_usage(ctx.db)

    def show(result: tuple[LabelSchema, dict[str, int]]) -> None:
        schema, usage = result
        dialog = SchemaEditor(schema, usage, ctx.widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def saved() -> None:
            if dialog.command is not None:
                run(ctx, dialog.command)

        dialog.accepted.connect(saved)
        dialog.finished.connect(ctx.back_to_article)
        dialog.open()

    ctx.executor.submit(read, show)


def run(ctx: WindowContext, command: EditLabels) -> None:
    """Apply a label edit through the window's one path, so Ctrl+Z undoes it."""
    ctx.ops.run_op(command, "labels", edits_work=False)


def after_command(ctx: WindowContext, outcome: Outcome) -> None:
    """After a command, its undo or redo: when it changed the schema, show the new labels
    (label bar, hotkeys, colours) and forget suggestions and gazetteer built on the old ones."""
    if not outcome.changes.schema:
        return
    ctx.reload_schema()
    ctx.suggestions.invalidate()
    ctx.suggestions.reload_gazetteer()
    document_id = ctx.current_document_id()
    if document_id is not None:
        ctx.open_document(document_id)
