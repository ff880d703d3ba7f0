"""The annotation window: its layout (document list, article view, inspector, label bar,
status bar), opening documents, and the wiring between the parts.

The window holds no data of its own: it shows the last :class:`DocumentView` loaded from the
database. Keys are actions from the table in :mod:`annotator.ui.actions`; the annotation keys
become commands in :mod:`annotator.ui.annotation`; every command takes the one path of
:mod:`annotator.ui.operations`, whose ``changed`` signal each view listens to.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from annotator import __version__
from annotator.core.commands import Applied, Command
from annotator.core.errors import AnnotatorError, ConflictError, OperationCancelled
from annotator.core.model import Status
from annotator.core.schema import LabelSchema
from annotator.services.annotate import AnnotationService, ReadOnlyError
from annotator.services.suggesting import SuggestionService
from annotator.services.workspace import DocumentView, SearchHit, Workspace
from annotator.ui import preferences as preferences_dialog
from annotator.ui.actions import ACTIONS, ActionTable
from annotator.ui.annotation import AnnotationController
from annotator.ui.article_view import ArticleView
from annotator.ui.claim_matches import ClaimMatches
from annotator.ui.context import MAIN_WINDOW_NAME, WindowContext
from annotator.ui.dialogs import SearchDialog, ShortcutsDialog
from annotator.ui.document_list import DocumentList
from annotator.ui.executor import DbExecutor
from annotator.ui.guidelines import GuidelinesDock
from annotator.ui.inspector import Inspector
from annotator.ui.label_bar import LabelBar
from annotator.ui.merge_project import MergeControls
from annotator.ui.near_duplicates import CopyBar
from annotator.ui.operations import Operations, Outcome
from annotator.ui.plain import label, message_box
from annotator.ui.settings import open_settings
from annotator.ui.suggestions import SuggestionRunner
from annotator.ui.taskman import TaskManager
from annotator.ui.team import TeamControls
from annotator.ui.transfer import Transfer

if TYPE_CHECKING:
    from annotator.services.project import OpenProject

log = logging.getLogger(__name__)

#: A visit longer than this counts as this long: the annotator went for lunch.
MAX_VISIT_SECONDS = 30 * 60


class MainWindow(QMainWindow):
    #: A document is on screen (its id): the start's deferred work waits for the first.
    documentShown = Signal(int)

    def __init__(self, db: OpenProject, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(MAIN_WINDOW_NAME)
        self.db = db
        self.annotator = annotator
        self.workspace = Workspace(db, annotator)
        # Tokens come from the suggestion process (or the token cache): spaCy stays out of
        # this process (annotator.services.document_tokens, ADR 0031).
        self.workspace.tokenize_here = False
        self.service = AnnotationService(db, may_edit=self.workspace.check_editable)
        self.executor = DbExecutor(self.show_error, self)
        self.suggestions = SuggestionRunner(
            SuggestionService(db, tokens=self.workspace.tokens), self
        )
        #: The one owner of background work (annotator.ui.taskman).
        self.tasks = TaskManager(self.executor, self.suggestions, self.show_error, self)
        self.suggestions.computed.connect(self._suggestions_computed)
        self.suggestions.failed.connect(self._suggestions_failed)
        self.ops = Operations(
            self.executor,
            self.service,
            self.workspace,
            self.suggestions,
            lambda: self.view,
            self,
        )
        self.settings = open_settings()
        self.schema: LabelSchema | None = None
        self.view: DocumentView | None = None
        self._opened_at = time.monotonic()
        #: The item focused last in each document visited: coming back focuses it again.
        self._last_focus: dict[int, object] = {}

        self.setWindowTitle("Annotator")
        self.article = ArticleView(self)
        self.setCentralWidget(self.article)
        self.context = WindowContext(
            db=db,
            annotator=annotator,
            workspace=self.workspace,
            service=self.service,
            executor=self.executor,
            ops=self.ops,
            tasks=self.tasks,
            suggestions=self.suggestions,
            settings=self.settings,
            widget=self,
            status=lambda text, ms: self.statusBar().showMessage(text, ms),
            show_error=self.show_error,
            back_to_article=self.back_to_article,
            open_document=self.open_document,
            current_view=lambda: self.view,
            show_view=self.show_view,
            current_schema=lambda: self.schema,
            reload_schema=self.reload_schema,
            reload_documents=lambda: self.documents.reload(),
        )
        self.controller = AnnotationController(self.context, self.article, self)

        self.documents = DocumentList(self.workspace, self.executor, self)
        left = QDockWidget("Documents", self)
        left.setObjectName("documents-dock")
        left.setWidget(self.documents)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, left)

        # Offers to take over a near-duplicate original's annotations (hidden otherwise).
        self.copy_bar = CopyBar(self.context, self)
        top = QDockWidget("Near-duplicate", self)
        top.setObjectName("near-duplicate-dock")
        top.setWidget(self.copy_bar)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, top)
        top.hide()

        self.inspector = Inspector(self)
        right = QDockWidget("Inspector", self)
        right.setObjectName("inspector-dock")
        right.setWidget(self.inspector)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, right)

        # Project guidelines (View > Guidelines, F2); hidden until asked for or restored.
        self.guidelines = GuidelinesDock(db, self.executor, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guidelines)
        self.guidelines.hide()
        self.guidelines.panel.editRequested.connect(self.edit_guidelines)

        self.label_bar = LabelBar(self)
        bar = QToolBar("Labels", self)
        bar.setObjectName("label-bar")
        bar.setMovable(False)
        bar.addWidget(self.label_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

        self.status_annotator = label(f"Annotator: {annotator}")
        self.status_db = label(f"Database: {db.display_url}")
        self.status_progress = label("")
        self.statusBar().addWidget(self.status_annotator)
        self.statusBar().addWidget(self.status_db, 1)
        self.status_model = label("")
        self.statusBar().addPermanentWidget(self.status_model)
        self.statusBar().addPermanentWidget(self.status_progress)
        #: Role, whose work is on screen, Project > Team… (annotator.ui.team).
        self.team = TeamControls(self.context, self.status_annotator)
        self.transfer = Transfer(self.context, self.status_model, self._imported)
        #: The model's status is shown once the first document shows (:meth:`_schema_loaded`).
        self._model_status_due = False
        self.merging = MergeControls(self.context)  # File > Merge project…
        #: "Same claim elsewhere" in the inspector (annotator.ui.claim_matches).
        self.claim_matches = ClaimMatches(
            self.context, self.inspector, self.article, self.open_document, self
        )

        self.action_table = ActionTable(self, self.menuBar(), ACTIONS)
        from annotator.ui import recent  # project files: open, new, recent (desktop integration)

        self.action_table.insert_menu_after("open-project", recent.RecentMenu(self))
        self.undo_action = self.action_table.by_name["undo"]
        self.redo_action = self.action_table.by_name["redo"]
        self._connect()
        self._restore_layout()
        self.executor.submit(self.workspace.schema, self._schema_loaded)

    # -- set-up -----------------------------------------------------------------------------

    def _connect(self) -> None:
        controller = self.controller
        self.label_bar.labelChosen.connect(controller.apply_label)
        self.label_bar.claimChosen.connect(controller.make_claim)
        self.documents.documentActivated.connect(self.open_document)
        self.article.focusChanged.connect(self.inspector.show_item)
        self.article.resizeRequested.connect(controller.resize_focused)
        self.article.wrapped.connect(self._wrapped)
        self.inspector.itemActivated.connect(self._focus_from_inspector)
        self.inspector.claimTypeChosen.connect(lambda t: controller.edit_claim(claim_type=t))
        self.inspector.hedgedToggled.connect(lambda h: controller.edit_claim(hedged=h))
        self.inspector.quantitiesEdited.connect(self._quantities_edited)
        self.inspector.keysReturned.connect(self.back_to_article)
        self.inspector.notice.connect(lambda text: self.statusBar().showMessage(text, 5000))
        # Every view listens to the one path of actions and redraws its own part.
        self.ops.changed.connect(self._show_outcome)
        self.ops.changed.connect(
            lambda o, _i: self.documents.refresh_documents(o.changes.documents, o.summaries)
        )
        self.ops.changed.connect(lambda o, _i: self.guidelines.changed(o.applied))
        self.ops.changed.connect(self._after_schema_change)
        self.ops.changed.connect(lambda o, _i: preferences_dialog.after_command(self.context, o))
        self.ops.changed.connect(
            lambda o, _i: self.refresh_progress() if o.changes.statuses else None
        )
        self.ops.changed.connect(lambda _o, _i: self._update_undo_texts())
        self.ops.changed.connect(lambda o, _i: self.team.changed(o.changes))
        self.ops.failed.connect(self._op_failed)
        self.ops.failed.connect(lambda _e, initiator: self.team.failed(initiator))

    @property
    def linking(self):  # type: ignore[no-untyped-def]
        """The claim whose claimant is being picked in the text (Shift+L), if any."""
        return self.controller.linking

    @property
    def menu_actions(self) -> list[tuple[str, QAction]]:
        """``(menu, action)`` for every action, label keys included (what F1 lists)."""
        return list(self.action_table.rows)

    def _schema_loaded(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.label_bar.set_schema(schema)
        self.inspector.set_schema(schema)
        self.action_table.set_label_keys(
            ((e.name, e.hotkey) for e in schema.entities if e.hotkey), self.controller.apply_label
        )
        self.refresh_progress()
        if self.view is None:
            # The model's status once the first document shows: it imports the training
            # service, which showing the document does not need (benchmarks/bench_start.py).
            self._model_status_due = True
            self.executor.submit(self.workspace.first_document, self._open_if_any)
        else:
            self.transfer.refresh_model_status()

    def reload_schema(self) -> None:
        self.executor.submit(self.workspace.schema, self._schema_loaded)

    def _open_if_any(self, document_id: int | None) -> None:
        if document_id is not None:
            self.open_document(document_id)
        else:
            self._refresh_model_status_if_due()

    def _refresh_model_status_if_due(self) -> None:
        if self._model_status_due:
            self._model_status_due = False
            self.transfer.refresh_model_status()

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        from annotator.ui.preferences import apply_startup

        apply_startup(
            self.context, self.article
        )  # theme, article font, this user's suggesters; before the zoom
        zoom = self.settings.value("view/font_size")
        if zoom is not None:
            self.article.set_font_size(float(zoom))

    # -- errors -----------------------------------------------------------------------------

    def show_error(self, error: BaseException) -> None:
        """Every error ends here: one dialog that says what happened, never silence."""
        if isinstance(error, OperationCancelled):
            self.statusBar().showMessage("Cancelled.", 5000)
            return
        if isinstance(error, ReadOnlyError):
            self.statusBar().showMessage(str(error), 8000)
            return
        if isinstance(error, AnnotatorError):
            text, details = str(error), None
        else:
            log.error("unexpected error", exc_info=error)
            text = f"Something went wrong: {error.__class__.__name__}: {error}"
            details = "".join(traceback.format_exception(error))
        box = message_box(self, "Annotator", text, QMessageBox.Icon.Warning, details)
        box.setObjectName("error-dialog")
        box.open()

    def _op_failed(self, error: BaseException, _initiator: object) -> None:
        """An action was refused: say why. On a conflict (somebody else changed the span) the
        open document is reloaded so the person sees the other version; the history is as
        it was (a refused action is not recorded; a refused undo step is dropped)."""
        self._update_undo_texts()
        view = self.view
        if isinstance(error, ConflictError) and view is not None:
            self.statusBar().showMessage(str(error), 15000)
            self.executor.submit(lambda: self.workspace.reload_spans(view), self._redraw)
        self.show_error(error)

    # -- documents --------------------------------------------------------------------------

    def open_document(self, document_id: int, then: Callable[[], None] | None = None) -> None:
        self._remember_focus()
        # The time on the document left is stored after the next one is read (the worker
        # runs in order), so the write is not part of the wait; but before reading the same
        # document again, whose shown state must include it.
        same = self.view is not None and self.view.document.id == document_id
        if same:
            self._record_time()
        self.executor.submit(
            lambda: self.workspace.load(document_id), lambda view: self._show(view, then)
        )
        if not same:
            self._record_time()

    def show_view(self, view: DocumentView) -> None:
        """Show a document state read elsewhere (a new document, or whose work is shown)."""
        self._show(view)

    def _show(self, view: DocumentView, then: Callable[[], None] | None = None) -> None:
        assert self.schema is not None
        self.view = view
        self._opened_at = time.monotonic()
        self.article.set_view(view, self.schema)
        self.inspector.set_view(view)
        self.inspector.show_item(None)
        self.copy_bar.document_shown(view)
        self.documents.select_document(view.document.id)
        from annotator.ui.recent import project_label  # one way to name a project: masked

        self.setWindowTitle(f"{view.document.title} — {project_label(self.db)} — Annotator")
        self.article.setFocus()
        self._focus_first_or_last(view)
        if then is not None:
            then()
        self._prefetch_neighbours(view)
        self.documentShown.emit(view.document.id)
        self._refresh_model_status_if_due()

    def _remember_focus(self) -> None:
        if self.view is not None and self.article.focused is not None:
            self._last_focus[self.view.document.id] = self.article.focused

    def _focus_first_or_last(self, view: DocumentView) -> None:
        """A document opens on its first item in walk order; coming back to one, on the item
        focused there last (when it is still there)."""
        last = self._last_focus.get(view.document.id)
        if last is not None:
            try:
                self.article.focus_item(last)  # type: ignore[arg-type]
                return
            except ValueError:
                pass  # decided or deleted meanwhile
        if view.suggestions or view.spans:
            self.article.focus_next()

    def _show_outcome(self, outcome: Outcome, _initiator: object) -> None:
        """The open document after an action: redraw what changed, or show the document an
        undo went back to."""
        fresh = outcome.view
        if fresh is None:
            return
        if self.view is not None and fresh.document.id == self.view.document.id:
            self.view = fresh
            self.article.update_view(fresh, set(outcome.changes.spans))
            self.inspector.set_view(fresh)
            self.inspector.show_item(self.article.focused)
        else:
            self._record_time()
            self._show(fresh)

    def _prefetch_neighbours(self, view: DocumentView) -> None:
        """Have the shown document's tokens brought here (a document is shown before its
        tokens are: annotator.services.document_tokens), and, while the annotator reads it,
        the next documents' tokens and suggestions for this one and the next few."""
        document_id = view.document.id
        self.supply_tokens([document_id])
        self.suggestions.refresh([document_id])

        def work() -> tuple[list[int | None], int | None]:
            ws = self.workspace
            ahead = [ws.neighbour(document_id, +1), ws.next_unfinished(document_id)]
            return ahead, ws.neighbour(document_id, -1)

        def then(found: tuple[list[int | None], int | None]) -> None:
            ahead, behind = found
            self.supply_tokens([*ahead, behind])
            self.suggestions.refresh(i for i in ahead if i is not None)

        self.executor.submit(work, then)

    def supply_tokens(self, document_ids: list[int | None]) -> None:
        """Bring these documents' tokens here on the token thread, from the token cache or
        the suggestion process; the article view and the controller are told when the open
        document's arrive."""
        slots, remote = self.workspace.token_slots, self.suggestions.remote_tokens
        self.suggestions.fetch_tokens(
            lambda: slots.supply(document_ids, remote), self._tokens_arrived
        )

    def _tokens_arrived(self, document_ids: list[int]) -> None:
        view = self.view
        if view is None or view.document.id not in document_ids:
            return
        self.article.tokens_arrived()
        self.controller.tokens_arrived(view.document.id)

    def _suggestions_computed(self, document_ids: set[int]) -> None:
        view = self.view
        if view is None or view.document.id not in document_ids:
            return
        self.executor.submit(lambda: self.workspace.reload_spans(view), self._redraw)

    def _suggestions_failed(self, error: BaseException) -> None:
        # Suggestions are a help, not the work: say so in the status bar, keep annotating.
        self.statusBar().showMessage(f"Suggestions unavailable: {error}", 10000)

    def _redraw(self, fresh: DocumentView) -> None:
        """Show a newer state of the open document (suggestions arrived)."""
        if self.view is None or fresh.document.id != self.view.document.id:
            return
        self.view = fresh
        self.article.update_view(fresh, None)
        self.inspector.set_view(fresh)
        self.inspector.show_item(self.article.focused)
        # A document that opened with nothing to focus focuses its first suggestion when they
        # arrive, unless the person already put the caret somewhere or selected text: moving
        # it would drop their selection, and the next label key would go to the suggestion.
        if self.article.focused is None and fresh.suggestions and not self.article.caret_placed:
            self.article.focus_next()

    def _record_time(self) -> None:
        if self.view is None:
            return
        seconds = min(time.monotonic() - self._opened_at, MAX_VISIT_SECONDS)
        self._opened_at = time.monotonic()
        document_id = self.view.document.id
        self.executor.submit(lambda: self.workspace.add_time(document_id, seconds))

    def step(self, direction: int) -> None:
        if self.view is None:
            return
        current = self.view.document.id
        self.executor.submit(
            lambda: self.workspace.neighbour(current, direction), self._open_if_any
        )

    def previous_document(self) -> None:
        self.step(-1)

    def next_document(self) -> None:
        self.step(+1)

    def done_and_next(self) -> None:
        self._finish(Status.DONE, None)

    def skip(self) -> None:
        if self.view is None:
            return
        try:
            self.workspace.check_editable()
        except ReadOnlyError as exc:
            self.show_error(exc)
            return
        reason, ok = QInputDialog.getText(self, "Skip document", "Why skip this document?")
        if ok:
            self._finish(Status.SKIPPED, reason.strip() or None)

    def _finish(self, status: Status, reason: str | None) -> None:
        view = self.view
        if view is None:
            return
        seconds = view.state.seconds_spent + min(
            time.monotonic() - self._opened_at, MAX_VISIT_SECONDS
        )
        command = self.workspace.set_status(view, status, seconds, reason)
        current = view.document.id

        def next_one(outcome: Outcome) -> None:
            self._opened_at = time.monotonic()
            self.transfer.refresh_model_status(retrain_if_due=True)

            def go(next_id: int | None) -> None:
                self._remember_focus()
                self.view = None  # time was recorded with the status
                if next_id is None:
                    self.statusBar().showMessage("Every document is done or skipped.", 8000)
                    self.open_document(current)
                else:
                    self.open_document(next_id)

            # With K annotators per document, the next one is handed out (takes a slot).
            self.executor.submit(lambda: self.workspace.take_next(current), go)

        self.ops.run_op(command, "finish", reread=False, then=next_one)

    # -- undo texts, inspector ----------------------------------------------------------------

    def _update_undo_texts(self) -> None:
        undo, redo = self.service.history.undo_name, self.service.history.redo_name
        self.undo_action.setText(f"&Undo {undo}" if undo else "&Undo")
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(f"&Redo {redo}" if redo else "&Redo")
        self.redo_action.setEnabled(redo is not None)

    def _quantities_edited(self, line: str) -> None:
        self.controller.edit_quantities(line)
        self.article.setFocus()  # back to the article: its keys work again

    def _focus_from_inspector(self, item: object) -> None:
        self.article.focus_item(item)  # type: ignore[arg-type]
        self.article.setFocus()

    def _wrapped(self, step: int) -> None:
        where = "first" if step > 0 else "last"
        self.statusBar().showMessage(f"Wrapped around to the {where} item.", 3000)

    # -- search -------------------------------------------------------------------------------

    def search(self) -> None:
        def run_search(text: str, show: Callable[[list[SearchHit]], None]) -> None:
            self.executor.submit(lambda: self.workspace.search(text), show)

        dialog = SearchDialog(run_search, self)
        dialog.setObjectName("search-dialog")
        dialog.hitChosen.connect(self.open_hit)
        dialog.finished.connect(self.back_to_article)
        dialog.open()

    def open_hit(self, hit: SearchHit) -> None:
        self.open_document(hit.document_id, lambda: self.article.show_match(hit.start, hit.end))

    # -- import, export, model (annotator.ui.transfer) ------------------------------------------

    def import_files(self, paths: list[str] | None = None):  # type: ignore[no-untyped-def]
        return self.transfer.import_files(paths)

    def export_file(self, path: str | None = None, fmt: str = "annotator", **options):  # type: ignore[no-untyped-def]
        return self.transfer.export_file(path, fmt, **options)

    def refresh_model_status(self, *, retrain_if_due: bool = False) -> None:
        self.transfer.refresh_model_status(retrain_if_due=retrain_if_due)

    def _imported(self) -> None:
        self.documents.reload()
        self.claim_matches.forget()
        self.refresh_progress()
        if self.view is None:
            self.executor.submit(self.workspace.first_document, self._open_if_any)

    def refresh_progress(self) -> None:
        def counts() -> dict[str, int]:
            with self.db.read() as store:
                return store.status_counts(self.annotator)

        def show(result: dict[str, int]) -> None:
            total = sum(result.values())
            self.status_progress.setText(f"{result.get('done', 0)} / {total} done")

        self.executor.submit(counts, show)

    # -- menus that open other parts --------------------------------------------------------

    def new_project(self) -> None:
        from annotator.ui.new_project import ask_new_project

        ask_new_project(self, self.db)

    def open_project(self) -> None:
        from annotator.ui import recent

        recent.choose_project(self, self.db)

    def connect_team_database(self) -> None:
        from annotator.ui.connect import connect_to_team_database  # PostgreSQL projects

        connect_to_team_database(self, self.db)

    def edit_labels(self) -> None:
        from annotator.ui import schema_editor  # imported when first used: start time

        schema_editor.open_editor(self.context)

    def _after_schema_change(self, outcome: Outcome, _initiator: object) -> None:
        if outcome.changes.schema:  # only the labels editor and its undo change the schema
            from annotator.ui import schema_editor

            schema_editor.after_command(self.context, outcome)

    def show_overview(self) -> None:
        from annotator.ui.overview import show_overview  # charts of where the work stands

        show_overview(self, self.db, self.executor)

    def open_agreement(self) -> None:
        from annotator.ui.agreement_view import open_agreement  # Review > Agreement

        open_agreement(self, self.db, self.open_document, self.back_to_article)

    def open_adjudication(self) -> None:
        from annotator.ui.adjudication import open_adjudication  # gold layer, for reviewers

        open_adjudication(self.context)

    def show_manual(self) -> None:
        from annotator.ui.manual import open_manual

        open_manual(self).finished.connect(self.back_to_article)

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self.action_table.shortcut_rows(), self)
        dialog.setObjectName("shortcuts-dialog")
        dialog.finished.connect(self.back_to_article)
        dialog.open()

    def run_project_command(self, command: Command) -> None:
        """A project-level action (no document involved, e.g. the guidelines): stored as one
        undoable command through the one path; the views redraw what it changed."""
        self.ops.run_op(command, "project", edits_work=False)

    def edit_guidelines(self) -> None:
        self.guidelines.edit(self.annotator, self.run_project_command, self.back_to_article)

    def preferences(self) -> None:
        from annotator.ui.preferences import open_preferences

        open_preferences(self.context, self.article)

    def back_to_article(self) -> None:
        """After a dialog, the keys belong to the article again (window managers differ in
        which window they activate when a dialog closes)."""
        self.activateWindow()
        self.article.setFocus()

    def about(self) -> None:
        import platform

        from PySide6.QtCore import qVersion

        from annotator.services.project import places

        where = places(self.db)
        text = (
            f"Annotator {__version__}\n"
            "Label entities and claims in news articles; export training data.\n\n"
            "MIT licence. Copyright (c) 2026 The Annotator developers.\n\n"
            f"Project: {where.project}\n"
            f"Backups: {where.backups or 'kept by the database server'}\n"
            f"Default project folder: {where.default_folder}\n"
            f"Settings: {self.settings.fileName()}\n\n"
            f"Python {platform.python_version()}, Qt {qVersion()}"
        )
        box = message_box(self, "About Annotator", text)
        box.setObjectName("about-dialog")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copy paths
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._record_time()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("view/font_size", self.article.font_size())
        self.settings.sync()
        self.tasks.shutdown()
        super().closeEvent(event)


__all__ = ["Applied", "MainWindow"]
