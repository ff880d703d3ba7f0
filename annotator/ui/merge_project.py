"""File > Merge project…: bring another project (an annotator's laptop file, or a database
URL) into the open one, in the background, and report what the merge did.

The dialog only chooses; the work is :func:`annotator.services.merging.merge_project`, run as
a background task like an import, so the window stays usable and Cancel keeps whole batches.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.progress import CancelToken, ProgressCallback
from annotator.ui.context import WindowContext
from annotator.ui.plain import message_box
from annotator.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    # At run time imported where used: merging is not needed to show the window.
    from annotator.services.merging import MergeSummary

MERGING = "Merging"


class MergeProjectDialog(QDialog):
    """Which project to merge, and the two choices a merge can need."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("merge-project-dialog")
        self.setWindowTitle("Merge project")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Bring another project's documents and every annotator's work into this one. "
            "Documents already here are matched by id or text; this project is backed up first."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.source = QLineEdit()
        self.source.setObjectName("merge-source")
        self.source.setPlaceholderText("project file (.sqlite) or database URL")
        where = QLabel("&Project:")
        where.setBuddy(self.source)
        browse = QPushButton("&Browse…")
        browse.setObjectName("merge-browse")
        browse.clicked.connect(self._browse)
        row.addWidget(where)
        row.addWidget(self.source, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.replace = QCheckBox(
            "Where an annotator's work differs, take the other project's &version"
        )
        self.replace.setObjectName("merge-replace")
        self.add_labels = QCheckBox("Add &labels this project does not have")
        self.add_labels.setObjectName("merge-add-labels")
        layout.addWidget(self.replace)
        layout.addWidget(self.add_labels)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Merge")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.source.setFocus()  # typing the path is the first thing to do

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Project to merge", str(Path.home()), "Projects (*.sqlite *.db);;All files (*)"
        )
        if path:
            self.source.setText(path)

    def _accept(self) -> None:
        if self.source.text().strip():
            self.accept()


class MergeControls:
    """The window's File > Merge project… (``merging.merge_project`` in the action table)."""

    def __init__(self, ctx: WindowContext) -> None:
        self.ctx = ctx

    def merge_project(self) -> None:
        dialog = MergeProjectDialog(self.ctx.widget)
        dialog.accepted.connect(
            lambda: self.start(
                dialog.source.text().strip(),
                replace=dialog.replace.isChecked(),
                add_labels=dialog.add_labels.isChecked(),
            )
        )
        dialog.finished.connect(self.ctx.back_to_article)
        dialog.open()

    def start(self, source: str, *, replace: bool, add_labels: bool) -> BackgroundTask | None:
        """Merge ``source`` into the open project in the background."""
        if self.ctx.tasks.running(MERGING):
            return None
        db = self.ctx.db
        from annotator.services.merging import merge_project, open_other

        def work(progress: ProgressCallback, cancel: CancelToken) -> MergeSummary:
            other = open_other(source)
            try:
                return merge_project(
                    db,
                    other,
                    replace_conflicts=replace,
                    add_labels=add_labels,
                    progress=progress,
                    cancel=cancel,
                )
            finally:
                other.close()

        return self.ctx.tasks.start_task(MERGING, work, self._merged, dialog_parent=self.ctx.widget)

    def _merged(self, summary: MergeSummary) -> None:
        ctx = self.ctx
        ctx.reload_schema()
        ctx.suggestions.reload_gazetteer()
        ctx.reload_documents()
        lines = summary.lines()
        # The first lines say what happened; conflicts and refused documents go in details.
        head = [line for line in lines if not line.startswith(("Conflict:", "Not merged:"))]
        rest = [line for line in lines if line.startswith(("Conflict:", "Not merged:"))]
        troubled = bool(rest) or summary.documents.cancelled
        icon = QMessageBox.Icon.Warning if troubled else QMessageBox.Icon.Information
        box = message_box(
            ctx.widget, "Merge project", "\n".join(head), icon, "\n".join(rest) or None
        )
        box.setObjectName("merge-summary")
        box.open()
