"""File > New project: where the database goes, the label schema to start from, and the
articles to import first.

The location is a file (by default a new one in the per-user data directory; Browse… picks
another) or a team database URL. An installed spaCy pipeline can be chosen to suggest entities
from the first article (its labels mapped to the template's, editable). Creating runs off the
UI thread (migrations take a moment): the database is created, refused if it already holds a
project, and given the template's schema as version 1. Then the composition root opens it like
any project (``request_open``), and the chosen files are imported by the new window's own
import, in the background.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.schema import TEMPLATES, template_schema
from annotator.services.labels import create_project
from annotator.services.project import new_project_file, same_project
from annotator.ui import recent
from annotator.ui.context import MAIN_WINDOW_NAME
from annotator.ui.pipeline_choice import PipelineChoice
from annotator.ui.plain import label, message_box
from annotator.ui.settings import open_settings
from annotator.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from annotator.services.project import OpenProject

IMPORT_FILTER = "Articles (*.txt *.jsonl *.ndjson *.json *.csv *.tsv);;All files (*)"


def normalise_target(text: str) -> str:
    """What the location field means: a URL as typed, or an absolute ``.sqlite`` path."""
    text = text.strip()
    if "://" in text:
        return text
    path = Path(text).expanduser()
    if not path.suffix:
        path = path.with_suffix(".sqlite")
    return str(path.resolve())


class NewProjectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, current: OpenProject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new-project-dialog")
        self.setWindowTitle("New project")
        self.current = current
        self.task: BackgroundTask | None = None
        #: The project created (its target), once it is.
        self.created: str | None = None

        self.location = QLineEdit(str(new_project_file()))
        self.location.setObjectName("location")
        self.location.setToolTip("A project file, or a team database URL such as postgresql://…")
        self.location.setPlaceholderText("project file, or postgresql+psycopg://user@host/db")
        browse = QPushButton("&Browse…")
        browse.setObjectName("browse")
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        where = QHBoxLayout()
        where.addWidget(self.location, 1)
        where.addWidget(browse)

        self.template = QComboBox()
        self.template.setObjectName("template")
        for item in TEMPLATES:
            self.template.addItem(item.title, item.key)
        self.labels = label()
        self.labels.setObjectName("template-labels")
        self.labels.setWordWrap(True)
        self.template.currentIndexChanged.connect(self._show_labels)
        self._show_labels()
        # The project's switch for the shipped seed lists (Preferences can override it).
        self.seed_lists = QCheckBox(
            "Suggest &well-known places, nationalities and organisations from the start"
        )
        self.seed_lists.setObjectName("seed-lists")
        self.seed_lists.setChecked(True)
        self.seed_lists.setToolTip(
            "Countries, cities, regions, nationalities and international organisations from "
            "lists shipped with the app, before anything is confirmed in the project"
        )

        # An installed spaCy pipeline to suggest entities from the first article.
        self.pipeline = PipelineChoice(
            template_schema(self.template_key), open_settings(), parent=self
        )
        self.template.currentIndexChanged.connect(
            lambda _i: self.pipeline.set_schema(template_schema(self.template_key))
        )

        self.files = QListWidget()
        self.files.setObjectName("import-files")
        self.files.setMaximumHeight(110)
        add = QPushButton("&Add files…")
        add.setObjectName("add-files")
        add.setAutoDefault(False)
        add.clicked.connect(self.add_files)
        remove = QPushButton("&Remove")
        remove.setObjectName("remove-files")
        remove.setAutoDefault(False)
        remove.clicked.connect(self.remove_file)
        file_buttons = QVBoxLayout()
        file_buttons.addWidget(add)
        file_buttons.addWidget(remove)
        file_buttons.addStretch(1)
        first_import = QHBoxLayout()
        first_import.addWidget(self.files, 1)
        first_import.addLayout(file_buttons)

        form = QFormLayout()
        form.addRow("&Location:", where)
        form.addRow("&Labels from:", self.template)
        form.addRow("", self.labels)
        form.addRow("", self.seed_lists)
        form.addRow("&Pipeline:", self.pipeline)
        form.addRow("First &import:", first_import)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("&Create")
        self.create_button.setObjectName("create")
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(640, 480)
        self.location.setFocus()

    @property
    def template_key(self) -> str:
        return str(self.template.currentData())

    @property
    def import_paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def _show_labels(self) -> None:
        names = template_schema(self.template_key).entity_names
        self.labels.setText(
            ", ".join(names) + " — and claims"
            if names
            else "No entity labels: add them in Project > Labels…; claims are there"
        )

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New project file", self.location.text(), recent.PROJECT_FILTER
        )
        if path:
            self.location.setText(normalise_target(path))

    def add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Articles to import", "", IMPORT_FILTER)
        known = set(self.import_paths)
        for path in paths:
            if path not in known:
                self.files.addItem(path)

    def remove_file(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    def _refuse(self, text: str) -> None:
        box = message_box(self, "New project", text, QMessageBox.Icon.Warning)
        box.setObjectName("new-project-error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def create(self) -> None:
        if self.task is not None:
            return  # already creating
        if not self.location.text().strip():
            self._refuse("Say where the project goes: a file or a database URL.")
            return
        target = normalise_target(self.location.text())
        if same_project(target, self.current):
            self._refuse(f"{target} is the project that is open now: choose another location.")
            return
        key = self.template_key
        seeds = self.seed_lists.isChecked()
        pipeline = self.pipeline.chosen_pipeline() if self.pipeline.ready else None
        labels = self.pipeline.mapping() if pipeline else None
        self.create_button.setEnabled(False)
        self.create_button.setText("Creating…")
        task = BackgroundTask(
            "Creating the project",
            lambda _p, _c: create_project(
                target, key, seed_lists=seeds, pipeline=pipeline, labels=labels
            ),
        )
        task.succeeded.connect(lambda _schema: self._created(target))
        task.failed.connect(self._failed)
        self.task = task
        task.start()

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.create_button.setEnabled(True)
        self.create_button.setText("&Create")
        self._refuse(str(error))

    def _created(self, target: str) -> None:
        self.task = None
        self.created = target
        paths = self.import_paths
        self.accept()
        recent.request_open(target)  # app.py opens it and swaps the window
        if paths:
            window = find_window(target)
            if window is not None:
                window.import_files(paths)  # type: ignore[attr-defined]


def find_window(target: str) -> QWidget | None:
    """The open window showing the project ``target`` (after ``request_open``), if any."""
    # Found by its object name rather than its class: the main window imports this module.
    for widget in QApplication.topLevelWidgets():
        visible = widget.objectName() == MAIN_WINDOW_NAME and widget.isVisible()
        if visible and same_project(target, widget.db):  # type: ignore[attr-defined]
            return widget
    return None


def ask_new_project(parent: QWidget, current: OpenProject | None = None) -> NewProjectDialog:
    """Show the dialog (window-modal, not blocking); it opens the project when created."""
    dialog = NewProjectDialog(parent, current)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    back = getattr(parent, "back_to_article", None)
    if back is not None:
        dialog.rejected.connect(back)  # keys belong to the article again (common.md)
    dialog.open()
    return dialog
