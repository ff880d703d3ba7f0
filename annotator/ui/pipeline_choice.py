"""Choosing an installed spaCy pipeline to suggest entities from, and how its labels map to
the project's: a widget shared by Edit > Preferences and File > New project.

What is installed is looked up on a thread (spaCy's import and the package lookup take a
second or two); until then the choice says it is looking. The list holds installed packages
with an entity recogniser, folders the user added with "Add folder…" (remembered on this
computer), and the project's current choice even when it is not found here. The mapping table
starts from :func:`~annotator.suggest.pipelines.default_mapping` for the schema and is
editable; "(not suggested)" drops a label.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping, Sequence
from typing import Final

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.schema import LabelSchema
from annotator.suggest.errors import SuggesterUnavailable
from annotator.suggest.pipelines import (
    InstalledPipeline,
    default_mapping,
    find_pipelines,
    read_folder,
)
from annotator.ui.plain import label, message_box

#: Folders of saved pipelines the user added, kept in the user's settings.
FOLDERS_KEY: Final = "suggest/pipeline_folders"
NONE_TEXT: Final = "None: no installed pipeline"
DROPPED: Final = "(not suggested)"
LOOKING: Final = "Looking for installed spaCy pipelines…"
NOTHING_FOUND: Final = (
    "No spaCy pipeline with an entity recogniser is installed here. Install one (for example "
    "a model package from a wheel with pip) or add a folder saved with nlp.to_disk(); "
    "nothing is downloaded."
)
FOUND_NOTE: Final = (
    "Its entities are suggested from the first article, with their labels mapped as below; "
    "the model trained on this project starts from its weights."
)


def remembered_folders(settings: QSettings) -> list[str]:
    value = settings.value(FOLDERS_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list
        value = [value]
    return [str(v) for v in value or []]


def remember_folder(settings: QSettings, folder: str) -> None:
    folders = remembered_folders(settings)
    if folder not in folders:
        settings.setValue(FOLDERS_KEY, [*folders, folder])


class PipelineChoice(QWidget):
    """A pipeline combo box, "Add folder…", a note and the label mapping table."""

    #: Emitted on the UI thread when the lookup is done: ``(pipelines, problems)``.
    found = Signal(object, object)

    def __init__(
        self,
        schema: LabelSchema,
        settings: QSettings,
        current: str | None = None,
        current_labels: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.schema = schema
        self.settings = settings
        self.current = current
        self.current_labels = dict(current_labels or {})
        self.pipelines: dict[str, InstalledPipeline] = {}
        #: Whether the lookup has finished (tests and callers wait for it).
        self.ready = False
        self.combo = QComboBox(self)
        self.combo.setObjectName("pipeline-choice")
        self.combo.addItem(LOOKING, None)
        self.combo.setEnabled(False)
        self.add_folder = QPushButton("Add &folder…", self)
        self.add_folder.setObjectName("pipeline-add-folder")
        self.add_folder.setAutoDefault(False)
        self.add_folder.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.add_folder)
        self.note = label(LOOKING, self)
        self.note.setObjectName("pipeline-note")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("pipeline-labels")
        self.table.setHorizontalHeaderLabels(["Pipeline label", "Project label"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        # Room for about five labels; the rest scroll.
        self.table.setMinimumHeight(150)
        self.table.setMaximumHeight(190)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        self.table.hide()
        self.found.connect(self._found)
        self.combo.currentIndexChanged.connect(self._chosen)
        folders = remembered_folders(settings)
        if current and current not in folders:
            folders.append(current)  # a folder the project names; a package name is skipped
        # A plain thread: the lookup reads no project data, and the dialog may close first.
        threading.Thread(
            target=self._look, args=(folders,), name="annotator-pipelines", daemon=True
        ).start()

    # -- lookup ---------------------------------------------------------------------------

    def _look(self, folders: Sequence[str]) -> None:
        from pathlib import Path

        problems: list[str] = []
        try:
            found = find_pipelines([f for f in folders if Path(f).is_dir()], problems=problems)
        except Exception as exc:  # spaCy missing or broken: say so, the dialog still works
            found, problems = [], [f"{type(exc).__name__}: {exc}"]
        with contextlib.suppress(RuntimeError):  # the dialog was closed before the lookup ended
            self.found.emit(found, problems)

    def _found(self, pipelines: list[InstalledPipeline], problems: list[str]) -> None:
        self.ready = True
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(NONE_TEXT, None)
        for pipeline in pipelines:
            self._add(pipeline)
        if self.current and self.current not in self.pipelines:
            self.combo.addItem(f"{self.current} (not found on this computer)", self.current)
        index = self.combo.findData(self.current) if self.current else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.setEnabled(True)
        self.combo.blockSignals(False)
        self.problems = problems
        self._chosen()

    def _add(self, pipeline: InstalledPipeline) -> None:
        self.pipelines[pipeline.name] = pipeline
        if self.combo.findData(pipeline.name) < 0:
            self.combo.addItem(pipeline.describe(), pipeline.name)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of a saved spaCy pipeline")
        if folder:
            self.add_path(folder)

    def add_path(self, folder: str) -> None:
        """Add (and choose) the pipeline saved in ``folder``; a message says why not."""
        try:
            pipeline = read_folder(folder)
            if pipeline is None:
                raise SuggesterUnavailable(f"the pipeline in {folder} has no ner component")
        except SuggesterUnavailable as exc:
            box = message_box(self, "Installed pipeline", str(exc), QMessageBox.Icon.Warning)
            box.setObjectName("pipeline-error")
            box.open()
            return
        remember_folder(self.settings, pipeline.name)
        self._add(pipeline)
        self.combo.setCurrentIndex(self.combo.findData(pipeline.name))

    # -- the mapping ----------------------------------------------------------------------

    def set_schema(self, schema: LabelSchema) -> None:
        """Another schema (the new-project dialog's template): the mapping starts again."""
        self.schema = schema
        self.current_labels = {}
        self._chosen()

    def _chosen(self) -> None:
        name = self.chosen_pipeline()
        pipeline = self.pipelines.get(name) if name else None
        if not self.ready:
            return
        if name is None:
            self.note.setText(NOTHING_FOUND if not self.pipelines else "")
            self.note.setVisible(not self.pipelines)
            self.table.hide()
            return
        self.note.setVisible(True)
        if pipeline is None:
            self.note.setText(
                f"{name} is not installed on this computer: nothing is suggested from it here."
            )
            labels = sorted(self.current_labels)
        else:
            self.note.setText(FOUND_NOTE)
            labels = list(pipeline.labels)
        if name == self.current and self.current_labels:
            mapping = dict(self.current_labels)
        else:
            mapping = default_mapping(labels, self.schema)
        self._fill(labels, mapping)

    def _fill(self, labels: Sequence[str], mapping: Mapping[str, str]) -> None:
        self.table.setRowCount(len(labels))
        names = list(self.schema.entity_names)
        for row, theirs in enumerate(labels):
            item = QTableWidgetItem(theirs)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            combo = QComboBox(self.table)
            combo.setObjectName(f"pipeline-label-{theirs}")
            combo.addItem(DROPPED, None)
            for name in names:
                combo.addItem(name, name)
            ours = mapping.get(theirs)
            combo.setCurrentIndex(max(combo.findData(ours), 0) if ours else 0)
            self.table.setCellWidget(row, 1, combo)
        self.table.setVisible(bool(labels))
        # The dialog grows to show the table instead of squeezing what is above it.
        self.window().adjustSize()

    # -- the result -----------------------------------------------------------------------

    def chosen_pipeline(self) -> str | None:
        data = self.combo.currentData()
        return str(data) if data else None

    def mapping(self) -> dict[str, str]:
        """Pipeline label to project label, as the table shows it now."""
        result: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            theirs = self.table.item(row, 0)
            combo = self.table.cellWidget(row, 1)
            if theirs is None or not isinstance(combo, QComboBox):
                continue
            if combo.currentData():
                result[theirs.text()] = str(combo.currentData())
        return result

    def changed(self) -> bool:
        """Whether the choice differs from the project's (nothing changes before the lookup
        is done)."""
        if not self.ready:
            return False
        name = self.chosen_pipeline()
        if name != self.current:
            return True
        return name is not None and self.mapping() != self.current_labels
