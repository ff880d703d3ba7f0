"""What a feature of the window (team, label editor, preferences, adjudication, import and
export) may use: the database, the workspace, the one database worker, the one path for
actions, the status bar. Features get this instead of the main window, so they cannot reach
into its insides and the window can change its layout without breaking them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from annotator.core.schema import LabelSchema
from annotator.services.annotate import AnnotationService
from annotator.services.workspace import DocumentView, Workspace
from annotator.ui.executor import DbExecutor
from annotator.ui.operations import Operations
from annotator.ui.suggestions import SuggestionRunner
from annotator.ui.taskman import TaskManager

if TYPE_CHECKING:
    from annotator.services.project import OpenProject

#: The main window's object name: how a dialog finds an open window without importing
#: the window's module (which imports the dialogs).
MAIN_WINDOW_NAME = "annotator-main-window"


@dataclass(frozen=True, slots=True)
class WindowContext:
    db: OpenProject
    annotator: str
    workspace: Workspace
    service: AnnotationService
    executor: DbExecutor
    ops: Operations
    #: Every kind of background work (database worker, suggestion process, long tasks).
    tasks: TaskManager
    suggestions: SuggestionRunner
    settings: QSettings
    #: The parent for dialogs.
    widget: QWidget
    #: A message in the status bar for that many milliseconds.
    status: Callable[[str, int], None]
    show_error: Callable[[BaseException], None]
    #: After a dialog: the keys belong to the article again.
    back_to_article: Callable[[], None]
    open_document: Callable[[int], None]
    #: The open document as last drawn, or None.
    current_view: Callable[[], DocumentView | None]
    #: Show a document state read elsewhere (e.g. after switching whose work is shown).
    show_view: Callable[[DocumentView], None]
    current_schema: Callable[[], LabelSchema | None]
    #: Read the label schema again and rebuild what shows it.
    reload_schema: Callable[[], None]
    reload_documents: Callable[[], None]

    def current_document_id(self) -> int | None:
        view = self.current_view()
        return view.document.id if view is not None else None
