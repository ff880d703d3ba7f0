"""The team in the window: Project > Team… (K annotators per document, the annotators with their
reviewer flag and counts, Add annotator) and View > Show work of… (a reviewer looks at another
annotator's work, or everyone's, read-only).

:class:`TeamControls` holds the window's part of it: whether the annotator is a reviewer, whose
work is on screen (kept in the workspace), and the refusal of edits while it is not their own.
Every database call goes through the window's database worker; role and K changes are
commands, so they are undoable like any other action.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.commands import Command
from annotator.core.model import GOLD_ANNOTATOR
from annotator.services.team import (
    AddAnnotator,
    SetPerDocument,
    SetReviewer,
    TeamMember,
    TeamService,
    TeamState,
    describe_shown,
)
from annotator.ui.plain import label

if TYPE_CHECKING:
    from annotator.services.annotate import OpChanges
    from annotator.services.workspace import DocumentView
    from annotator.ui.context import WindowContext

#: The columns of the Team dialog's table.
COLUMNS = ("Name", "Reviewer", "Assigned", "Open", "Done", "Skipped", "Spans")


class TeamDialog(QDialog):
    """Project > Team…: shows a :class:`TeamState`; changes go out as signals."""

    perDocumentChanged = Signal(int)
    reviewerChanged = Signal(str, bool)
    annotatorAdded = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team")
        self._state: TeamState | None = None
        self._filling = False

        self.per_document = QSpinBox(self)
        self.per_document.setRange(0, 1000)
        self.per_document.setSpecialValueText("no limit")
        self.per_document.setToolTip(
            "'Next document' hands each document to this many annotators (0: no limit)"
        )
        self.per_document.editingFinished.connect(self._per_document_edited)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.itemChanged.connect(self._item_changed)

        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Name of the new annotator")
        self.new_reviewer = QCheckBox("Reviewer", self)
        self.add_button = QPushButton("&Add annotator", self)
        self.add_button.clicked.connect(self._add)
        self.name.returnPressed.connect(self._add)

        self.note = label("")
        self.note.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Annotators per &document:", self.per_document)
        adding = QHBoxLayout()
        adding.addWidget(self.name, 1)
        adding.addWidget(self.new_reviewer)
        adding.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(adding)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(620, 360)

    @property
    def state(self) -> TeamState | None:
        return self._state

    def set_state(self, state: TeamState) -> None:
        self._state = state
        self._filling = True
        try:
            self.per_document.setValue(state.per_document)
            self.table.setRowCount(len(state.members))
            for row, member in enumerate(state.members):
                name = QTableWidgetItem(member.name)
                name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, 0, name)
                flag = QTableWidgetItem("")
                flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                if state.can_manage:
                    flags |= Qt.ItemFlag.ItemIsEnabled
                flag.setFlags(flags)
                flag.setCheckState(
                    Qt.CheckState.Checked if member.is_reviewer else Qt.CheckState.Unchecked
                )
                self.table.setItem(row, 1, flag)
                counts = (
                    member.assigned,
                    member.open,
                    member.done,
                    member.skipped,
                    member.spans,
                )
                for column, value in enumerate(counts, start=2):
                    cell = QTableWidgetItem(str(value))
                    cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    self.table.setItem(row, column, cell)
            self.table.resizeColumnsToContents()
        finally:
            self._filling = False
        for widget in (self.per_document, self.name, self.new_reviewer, self.add_button):
            widget.setEnabled(state.can_manage)
        self.note.setText(
            ""
            if state.can_manage
            else "Only a reviewer can change roles, add annotators or the annotators per document."
        )

    def _per_document_edited(self) -> None:
        state = self._state
        if (
            state is not None
            and not self._filling
            and self.per_document.value() != state.per_document
        ):
            self.perDocumentChanged.emit(self.per_document.value())

    def _item_changed(self, item: QTableWidgetItem) -> None:
        state = self._state
        if self._filling or state is None or item.column() != 1:
            return
        member = state.members[item.row()]
        wanted = item.checkState() == Qt.CheckState.Checked
        if wanted != member.is_reviewer:
            self.reviewerChanged.emit(member.name, wanted)

    def _add(self) -> None:
        name = self.name.text().strip()
        if not name:
            return
        self.annotatorAdded.emit(name, self.new_reviewer.isChecked())
        self.name.clear()
        self.new_reviewer.setChecked(False)


class ShowWorkDialog(QDialog):
    """View > Show work of…: the annotator's own work, one other annotator's, or everyone's."""

    def __init__(
        self, me: str, others: Sequence[str], shown: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Show work of")
        self.choices: list[str | None] = [me, GOLD_ANNOTATOR, *others, None]
        self.list = QListWidget(self)
        self.list.addItems(
            [
                f"My work ({me}) — editable",
                "The gold layer (adjudication) — editable",
                *(f"{o} — read-only" for o in others),
                "Everyone — read-only",
            ]
        )
        self.list.setCurrentRow(self.choices.index(shown) if shown in self.choices else 0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label("Whose annotations should the article view show?"))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.setFocus()

    @property
    def chosen(self) -> str | None:
        row = max(0, self.list.currentRow())
        return self.choices[row]


class TeamControls:
    """The window's team state and actions (see the module docstring)."""

    def __init__(self, ctx: WindowContext, who: QLabel) -> None:
        self.ctx = ctx
        self.who = who
        self.service = TeamService(ctx.db)
        self.is_reviewer = False
        self.dialog: TeamDialog | None = None
        self._show_label()
        ctx.executor.submit(lambda: self.service.join(ctx.annotator), self._joined)

    @property
    def shown(self) -> str | None:
        return self.ctx.workspace.showing

    def _joined(self, reviewer: bool) -> None:
        self.is_reviewer = reviewer
        self._show_label()

    def _show_label(self) -> None:
        ctx = self.ctx
        role = " (reviewer)" if self.is_reviewer else ""
        text = f"Annotator: {ctx.annotator}{role}"
        if self.is_reviewer or self.shown != ctx.annotator:
            text += f" — {describe_shown(ctx.annotator, self.shown)}"
        self.who.setText(text)

    # -- View > Show work of… ---------------------------------------------------------------

    def choose_shown_work(self) -> None:
        ctx = self.ctx
        if not self.is_reviewer:
            ctx.status("Only reviewers can see other annotators' work; yours is on screen.", 6000)
            return

        def ask(members: list[TeamMember]) -> None:
            others = [m.name for m in members if m.name != ctx.annotator]
            dialog = ShowWorkDialog(ctx.annotator, others, self.shown, ctx.widget)
            dialog.setObjectName("show-work-dialog")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self.show_work_of(dialog.chosen))
            dialog.finished.connect(ctx.back_to_article)
            dialog.open()

        ctx.executor.submit(self.service.members, ask)

    def show_work_of(self, shown: str | None) -> None:
        """Show ``shown``'s work (None: everyone's; the annotator's own name: editable)."""
        ctx = self.ctx
        workspace = ctx.workspace
        view = ctx.current_view()

        def work() -> DocumentView | None:
            self.service.check_may_view(ctx.annotator, shown)
            workspace.showing = shown
            return workspace.reload_spans(view) if view is not None else None

        def done(fresh: DocumentView | None) -> None:
            self._show_label()
            ctx.reload_documents()
            if fresh is not None:
                ctx.show_view(fresh)
            described = describe_shown(ctx.annotator, shown)
            ctx.status(described[:1].upper() + described[1:] + ".", 5000)

        ctx.executor.submit(work, done)

    # -- Project > Team… --------------------------------------------------------------------

    def show_team(self) -> TeamDialog:
        ctx = self.ctx
        if self.dialog is None:
            dialog = TeamDialog(ctx.widget)
            dialog.setObjectName("team-dialog")
            actor = ctx.annotator
            dialog.perDocumentChanged.connect(lambda k: self._run(SetPerDocument(k, actor)))
            dialog.reviewerChanged.connect(lambda name, on: self._run(SetReviewer(name, on, actor)))
            dialog.annotatorAdded.connect(lambda name, on: self._run(AddAnnotator(name, on, actor)))
            dialog.finished.connect(ctx.back_to_article)
            self.dialog = dialog
        self.refresh()
        self.dialog.open()
        return self.dialog

    def refresh(self) -> None:
        """Re-read the role (and the Team dialog's contents, when it is open)."""
        ctx = self.ctx

        def work() -> tuple[bool, TeamState]:
            return (
                self.service.is_reviewer(ctx.annotator),
                self.service.state(ctx.annotator),
            )

        def done(result: tuple[bool, TeamState]) -> None:
            reviewer, state = result
            self.is_reviewer = reviewer
            if not reviewer and self.shown != ctx.annotator:
                self.show_work_of(ctx.annotator)  # no longer allowed to look
            self._show_label()
            if self.dialog is not None:
                self.dialog.set_state(state)

        ctx.executor.submit(work, done)

    def _run(self, command: Command) -> None:
        """A team action through the window's one path (the commands check the roles);
        the dialog is read again after it, or after its refusal."""
        self.ctx.ops.run_op(command, self, edits_work=False)

    def changed(self, changes: OpChanges) -> None:
        if changes.team:
            self.refresh()

    def failed(self, initiator: object) -> None:
        if initiator is self:
            self.refresh()  # put the dialog back as the database has it
