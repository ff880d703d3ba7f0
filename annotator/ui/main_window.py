"""The annotation window: document list, article view, inspector, label bar, status bar.

The window holds no data of its own: it shows the last :class:`DocumentView` loaded from the
database and turns keys into commands. Every database call goes through the one database
worker (:class:`DbExecutor`); results come back as new views, and only what a command changed
is redrawn.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from annotator import __version__
from annotator.core.commands import Applied, Command
from annotator.core.errors import AnnotatorError, ConflictError, OperationCancelled
from annotator.core.model import Layer, Span, Status, Suggestion
from annotator.core.schema import LabelSchema
from annotator.core.tokens import Sentence
from annotator.export.splitting import parse_split
from annotator.services import exporting, importing
from annotator.services.annotate import AnnotationService
from annotator.services.suggesting import SuggestionService
from annotator.services.training import TrainingService, describe_status
from annotator.services.workspace import DocumentView, OverlapError, SearchHit, Workspace
from annotator.storage.database import Database
from annotator.ui import schema_editor
from annotator.ui.article_view import ArticleView
from annotator.ui.dialogs import ClaimantDialog, ExportDialog, SearchDialog, ShortcutsDialog
from annotator.ui.document_list import DocumentList
from annotator.ui.executor import DbExecutor
from annotator.ui.guidelines import GuidelinesDock
from annotator.ui.inspector import Inspector
from annotator.ui.label_bar import LabelBar
from annotator.ui.plain import label, message_box, tooltip
from annotator.ui.settings import open_settings
from annotator.ui.suggestions import SuggestionRunner
from annotator.ui.tasks import BackgroundTask, TaskProgress
from annotator.ui.team import TeamControls

log = logging.getLogger(__name__)

#: A visit longer than this counts as this long: the annotator went for lunch.
MAX_VISIT_SECONDS = 30 * 60


class MainWindow(QMainWindow):
    def __init__(self, db: Database, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.annotator = annotator
        self.workspace = Workspace(db, annotator)
        self.service = AnnotationService(db)
        self.executor = DbExecutor(self.show_error, self)
        self.suggestions = SuggestionRunner(
            SuggestionService(db, tokens=self.workspace.tokens), self
        )
        self.suggestions.computed.connect(self._suggestions_computed)
        self.suggestions.failed.connect(self._suggestions_failed)
        self.settings = open_settings()
        self.schema: LabelSchema | None = None
        self.view: DocumentView | None = None
        self._opened_at = time.monotonic()
        self._tasks: list[BackgroundTask] = []
        self._menu_actions: list[tuple[str, QAction]] = []
        self._label_actions: list[QAction] = []
        #: The claim whose claimant is being picked in the text (Shift+L), if any.
        self._linking: Span | None = None

        self.setWindowTitle("Annotator")
        self.article = ArticleView(self)
        self.setCentralWidget(self.article)

        self.documents = DocumentList(self.workspace, self.executor, self)
        left = QDockWidget("Documents", self)
        left.setObjectName("documents-dock")
        left.setWidget(self.documents)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, left)

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
        self.team = TeamControls(self)

        self._build_actions()
        self._connect()
        self._restore_layout()
        self.executor.submit(self.workspace.schema, self._schema_loaded)

    # -- set-up -----------------------------------------------------------------------------

    def _action(
        self,
        menu: str,
        text: str,
        slot: Callable[[], Any],
        *shortcuts: QKeySequence | str | QKeySequence.StandardKey,
    ) -> QAction:
        action = QAction(text, self)
        keys = [QKeySequence(s) for s in shortcuts]
        if keys:
            action.setShortcuts(keys)
        # The article view has focus most of the time: shortcuts belong to the whole window.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self._menus[menu].addAction(action)
        self._menu_actions.append((menu, action))
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        self._menus = {
            name: bar.addMenu(f"&{name}")
            for name in (
                "File",
                "Edit",
                "Annotate",
                "Document",
                "Project",
                "Review",
                "View",
                "Help",
            )
        }
        a = self._action
        from annotator.ui import recent  # project files: open, new, recent (desktop integration)

        a("File", "&New project…", lambda: recent.new_project(self, self.db), "Ctrl+N")
        a("File", "&Open project…", lambda: recent.choose_project(self, self.db), "Ctrl+O")
        self._menus["File"].addMenu(recent.RecentMenu(self))
        from annotator.ui.connect import connect_to_team_database  # PostgreSQL projects

        a("File", "Connect to &team database…", lambda: connect_to_team_database(self, self.db))
        self._menus["File"].addSeparator()
        a("File", "&Import…", self.import_files, "Ctrl+I")
        a("File", "&Export…", self.export_file, "Ctrl+E")
        self._menus["File"].addSeparator()
        a("File", "&Quit", self.close, QKeySequence.StandardKey.Quit)

        self.undo_action = a("Edit", "&Undo", self.undo, "Ctrl+Z")
        self.redo_action = a("Edit", "&Redo", self.redo, "Ctrl+Shift+Z", "Ctrl+Y")
        a("Edit", "&Search the corpus…", self.search, "Ctrl+F")
        a("Edit", "&Preferences…", self.preferences, "Ctrl+,")
        a("Project", "&Guidelines…", self.edit_guidelines)
        a("Project", "&Labels…", lambda: schema_editor.open_editor(self))
        a("Project", "&Team…", self.team.show_team)

        a("Annotate", "Make &claim (selection or sentence)", self.make_claim, "C")
        a("Annotate", "&Link claimant…", self.link_claimant, "L")
        a("Annotate", "Pick the claimant in the te&xt", self.pick_claimant_in_text, "Shift+L")
        a("Annotate", "Cancel picking", self.cancel_pick, "Escape")
        a("Annotate", "Set c&ue from selection", self.set_cue, "U")
        a("Annotate", "Next claim &type", self.cycle_claim_type, "T")
        a("Annotate", "Toggle &hedged", self.toggle_hedged, "H")
        a("Annotate", "&Accept suggestion", self.accept, "Return", "Enter")
        a("Annotate", "Accept &all suggestions", self.accept_all, "Shift+Return", "Shift+Enter")
        a("Annotate", "&Reject or delete", self.reject_or_delete, "X", "Delete")
        a("Annotate", "&Next item", self.article.focus_next, "Tab")
        a("Annotate", "&Previous item", self.article.focus_previous, "Shift+Tab", "Backtab")
        a("Annotate", "Train the suggestion &model", self.train_model)
        self._menus["Annotate"].addSeparator()

        a("Document", "&Done, next unfinished", self.done_and_next, "Ctrl+Return", "Ctrl+Enter")
        a("Document", "&Skip…", self.skip, "S")
        a("Document", "&Previous document", lambda: self.step(-1), "Ctrl+Left")
        a("Document", "N&ext document", lambda: self.step(+1), "Ctrl+Right")

        a("View", "Zoom &in", self.article.zoom_in, "Ctrl+=", "Ctrl++")
        a("View", "Zoom &out", self.article.zoom_out, "Ctrl+-")
        a("View", "&Reset zoom", self.article.reset_zoom, "Ctrl+0")
        from annotator.ui.overview import show_overview  # charts of where the work stands

        a("View", "&Overview", lambda: show_overview(self, self.db, self.executor), "Ctrl+Shift+O")
        a("View", "&Guidelines", self.guidelines.toggle, "F2")
        a("View", "Show &work of…", self.team.choose_shown_work, "Ctrl+Shift+W")

        from annotator.ui.agreement_view import open_agreement  # Review > Agreement

        a(
            "Review",
            "A&greement…",
            lambda: open_agreement(self, self.db, self.open_document, self._back_to_article),
        )
        from annotator.ui.adjudication import open_adjudication  # gold layer, for reviewers

        a("Review", "A&djudicate document…", lambda: open_adjudication(self), "Ctrl+Shift+J")

        a("Help", "&Keyboard shortcuts", self.show_shortcuts, "F1")
        a("Help", "&About Annotator", self.about)

    def _connect(self) -> None:
        self.label_bar.labelChosen.connect(self.apply_label)
        self.label_bar.claimChosen.connect(self.make_claim)
        self.documents.documentActivated.connect(self.open_document)
        self.article.focusChanged.connect(self.inspector.show_item)
        self.article.resizeRequested.connect(self.resize_focused)
        self.inspector.itemActivated.connect(self._focus_from_inspector)
        self.inspector.claimTypeChosen.connect(lambda t: self._edit_claim(claim_type=t))
        self.inspector.hedgedToggled.connect(lambda h: self._edit_claim(hedged=h))

    def _schema_loaded(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.label_bar.set_schema(schema)
        self.inspector.set_schema(schema)
        for action in self._label_actions:
            self.removeAction(action)
            self._menus["Annotate"].removeAction(action)
        self._menu_actions = [(m, a) for m, a in self._menu_actions if a not in self._label_actions]
        self._label_actions = []
        for entity in schema.entities:
            if entity.hotkey:
                action = self._action(
                    "Annotate",
                    f"Label {entity.name}",
                    lambda name=entity.name: self.apply_label(name),
                    entity.hotkey,
                )
                self._label_actions.append(action)
        self.refresh_progress()
        self.refresh_model_status()
        if self.view is None:
            self.executor.submit(self.workspace.first_document, self._open_if_any)

    def _open_if_any(self, document_id: int | None) -> None:
        if document_id is not None:
            self.open_document(document_id)

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

        apply_startup(self)  # theme, article font, this user's suggesters; before the zoom
        zoom = self.settings.value("view/font_size")
        if zoom is not None:
            self.article.set_font_size(float(zoom))

    # -- errors -----------------------------------------------------------------------------

    def show_error(self, error: BaseException) -> None:
        """Every error ends here: one dialog that says what happened, never silence."""
        if isinstance(error, OperationCancelled):
            self.statusBar().showMessage("Cancelled.", 5000)
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

    # -- documents --------------------------------------------------------------------------

    def open_document(self, document_id: int, then: Callable[[], None] | None = None) -> None:
        self._record_time()
        self.executor.submit(
            lambda: self.workspace.load(document_id), lambda view: self._show(view, then)
        )

    def _show(self, view: DocumentView, then: Callable[[], None] | None = None) -> None:
        assert self.schema is not None
        self.view = view
        self._opened_at = time.monotonic()
        self.article.set_view(view, self.schema)
        self.inspector.set_view(view)
        self.inspector.show_item(None)
        self.documents.select_document(view.document.id)
        from annotator.ui.recent import project_label  # one way to name a project: masked

        self.setWindowTitle(f"{view.document.title} — {project_label(self.db)} — Annotator")
        self.article.setFocus()
        if view.suggestions or view.spans:
            self.article.focus_next()
        if then is not None:
            then()
        self._prefetch_neighbours(view.document.id)

    def _prefetch_neighbours(self, document_id: int) -> None:
        """Warm the next documents while the annotator reads this one, and have suggestions
        computed for this one and the next few."""
        self.suggestions.refresh([document_id])

        def work() -> list[int | None]:
            ws = self.workspace
            ahead = [ws.neighbour(document_id, +1), ws.next_unfinished(document_id)]
            ws.prefetch([*ahead, ws.neighbour(document_id, -1)])
            return ahead

        def then(ahead: list[int | None]) -> None:
            self.suggestions.refresh(i for i in ahead if i is not None)

        self.executor.submit(work, then)

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
        if self.article.focused is None and fresh.suggestions:
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

    def done_and_next(self) -> None:
        self._finish(Status.DONE, None)

    def skip(self) -> None:
        if self.view is None or self.team.refuse_edit():
            return
        reason, ok = QInputDialog.getText(self, "Skip document", "Why skip this document?")
        if ok:
            self._finish(Status.SKIPPED, reason.strip() or None)

    def _finish(self, status: Status, reason: str | None) -> None:
        view = self.view
        if view is None or self.team.refuse_edit():
            return
        seconds = view.state.seconds_spent + min(
            time.monotonic() - self._opened_at, MAX_VISIT_SECONDS
        )
        self._opened_at = time.monotonic()
        command = self.workspace.set_status(view, status, seconds, reason)
        current = view.document.id

        def work() -> tuple[Applied, int | None]:
            applied = self.service.execute(command)
            # With K annotators per document, the next one is handed out (takes a slot).
            return applied, self.workspace.take_next(current)

        def done(result: tuple[Applied, int | None]) -> None:
            applied, next_id = result
            self._after_command(applied)
            self.refresh_model_status(retrain_if_due=True)
            if next_id is None:
                self.statusBar().showMessage("Every document is done or skipped.", 8000)
                self.executor.submit(lambda: self.workspace.load(current), self._show)
            else:
                self.view = None  # time was recorded with the status
                self.open_document(next_id)

        self.executor.submit(work, done)

    # -- commands ---------------------------------------------------------------------------

    def run(self, command: Command, focus: Callable[[Applied], Any] | None = None) -> None:
        """Execute a user action on the database worker and redraw what it changed."""
        view = self.view
        if view is None or self.team.refuse_edit():
            return

        def work() -> tuple[Applied, DocumentView]:
            applied = self.service.execute(command)
            return applied, self.workspace.reload_spans(view)

        def done(result: tuple[Applied, DocumentView]) -> None:
            applied, fresh = result
            self._apply_fresh(fresh, applied)
            if focus is not None:
                focus(applied)

        self.executor.submit(work, done, self._command_failed)

    def _command_failed(self, error: BaseException) -> None:
        """A command was refused: say why. On a conflict (somebody else changed the span) the
        open document is reloaded so the person sees the other version; the history is as
        it was (a refused action is not recorded; a refused undo step is dropped)."""
        self._update_undo_texts()
        view = self.view
        if isinstance(error, ConflictError) and view is not None:
            self.statusBar().showMessage(str(error), 15000)
            self.executor.submit(lambda: self.workspace.reload_spans(view), self._redraw)
        self.show_error(error)

    def _apply_fresh(self, fresh: DocumentView, applied: Applied) -> None:
        if self.view is None or fresh.document.id != self.view.document.id:
            return
        self.view = fresh
        self.article.update_view(fresh, set(applied.changes.span_ids))
        self.inspector.set_view(fresh)
        self.inspector.show_item(self.article.focused)
        self._after_command(applied)

    def _after_command(self, applied: Applied) -> None:
        self.documents.refresh_documents(set(applied.changes.document_ids))
        self.guidelines.changed(applied)  # an edit of the guidelines, or its undo/redo
        schema_editor.after_command(self, applied)  # a label edit, or its undo/redo
        self._update_undo_texts()
        if applied.changes.status:
            self.refresh_progress()

    def _focus_created(self, applied: Applied) -> None:
        if applied.spans and self.view is not None:
            created = self.view.span(applied.spans[-1].id or -1)
            if created is not None:
                self.article.focus_item(created)

    def _focus_next_suggestion(self, after: int) -> Callable[[Applied], None]:
        def focus(_applied: Applied) -> None:
            if self.view is None:
                return
            following = [s for s in self.view.suggestions if s.start >= after]
            target = following[0] if following else (self.view.suggestions or (None,))[0]
            self.article.focus_item(target)

        return focus

    def _update_undo_texts(self) -> None:
        undo, redo = self.service.history.undo_name, self.service.history.redo_name
        self.undo_action.setText(f"&Undo {undo}" if undo else "&Undo")
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(f"&Redo {redo}" if redo else "&Redo")
        self.redo_action.setEnabled(redo is not None)

    def undo(self) -> None:
        self._replay(self.service.undo)
        self.suggestions.reload_gazetteer()  # whatever the undone step confirmed or removed

    def redo(self) -> None:
        self._replay(self.service.redo)
        self.suggestions.reload_gazetteer()

    def _replay(self, step: Callable[[], Applied | None]) -> None:
        if self.team.refuse_edit():
            return
        view = self.view

        def work() -> tuple[Applied | None, DocumentView | None]:
            applied = step()
            if applied is None:
                return None, None
            touched = applied.changes.document_ids
            if view is not None and view.document.id in touched:
                return applied, self.workspace.reload_spans(view)
            # Undo of work in another document: open that document to show what changed.
            if touched:
                return applied, self.workspace.load(min(touched))
            return applied, None

        def done(result: tuple[Applied | None, DocumentView | None]) -> None:
            applied, fresh = result
            if applied is None:
                self.statusBar().showMessage("Nothing to undo or redo.", 3000)
                return
            if fresh is not None and (
                self.view is None or fresh.document.id != self.view.document.id
            ):
                self._record_time()
                self._show(fresh)
                self._after_command(applied)
            elif fresh is not None:
                self._apply_fresh(fresh, applied)
            else:
                self._after_command(applied)

        self.executor.submit(work, done, self._command_failed)

    # -- annotation actions -----------------------------------------------------------------

    def apply_label(self, name: str) -> None:
        view = self.view
        if view is None or self.team.refuse_edit():
            return
        selection = self.article.selection()
        focused = self.article.focused
        if selection is not None:
            start, end = selection
            allow = self.schema is None or self.schema.overlapping_entities
            try:
                command = self.workspace.add_entity(view, start, end, name, allow_overlap=allow)
            except OverlapError as exc:
                self.statusBar().showMessage(str(exc), 6000)
                return
            self.article.clear_selection()
            self.suggestions.confirmed(view.document.text[start:end], name)
            self.run(command, self._focus_created)
        elif isinstance(focused, Span) and focused.layer is Layer.ENTITY:
            if focused.label != name:
                text = view.document.text[focused.start : focused.end]
                self.suggestions.unconfirmed(text, focused.label)
                self.suggestions.confirmed(text, name)
                self.run(self.workspace.relabel(focused, name), self._refocus(focused))
        elif isinstance(focused, Suggestion) and focused.layer is Layer.ENTITY:
            relabelled = replace(focused, label=name)
            self.suggestions.confirmed(view.document.text[focused.start : focused.end], name)
            self.run(
                self.workspace.accept(view, relabelled), self._focus_next_suggestion(focused.end)
            )
        else:
            self.statusBar().showMessage("Select some text first, then press a label key.", 4000)

    def _refocus(self, span: Span) -> Callable[[Applied], None]:
        def focus(_applied: Applied) -> None:
            if self.view is not None and span.id is not None:
                self.article.focus_item(self.view.span(span.id))

        return focus

    def make_claim(self) -> None:
        view = self.view
        if view is None:
            return
        selection = self.article.selection()
        if selection is None:
            sentence: Sentence | None = view.tokens.sentence_at(self.article.cursor_offset())
            if sentence is None:
                self.statusBar().showMessage("Put the cursor in a sentence or select text.", 4000)
                return
            selection = (sentence.start, sentence.end)
        self.article.clear_selection()
        self.run(self.workspace.add_claim(view, *selection), self._focus_created)

    def _focused_claim(self) -> Span | None:
        focused = self.article.focused
        if isinstance(focused, Span) and focused.layer is Layer.CLAIM:
            return focused
        self.statusBar().showMessage("Focus a claim first (Tab moves between items).", 4000)
        return None

    def link_claimant(self) -> None:
        claim = self._focused_claim()
        if claim is None or self.view is None:
            return
        entities = [s for s in self.view.spans if s.layer is Layer.ENTITY]
        dialog = ClaimantDialog(self.view.document.text, claim, entities, self)
        dialog.setObjectName("claimant-dialog")

        def chosen() -> None:
            if dialog.chosen is None:
                return
            claimant = None if dialog.chosen == ClaimantDialog.UNATTRIBUTED else dialog.chosen
            self.run(self.workspace.set_claim(claim, claimant_id=claimant), self._refocus(claim))

        dialog.accepted.connect(chosen)
        dialog.finished.connect(self._back_to_article)
        dialog.open()

    def pick_claimant_in_text(self) -> None:
        """Shift+L: the next entity focused in the text (click or Tab) and confirmed with
        Enter becomes the focused claim's claimant; Escape gives up."""
        claim = self._focused_claim()
        if claim is None:
            return
        self._linking = claim
        self.statusBar().showMessage(
            "Click or Tab to the claimant entity and press Enter (Escape cancels).", 15000
        )

    def _link_focused_entity(self) -> bool:
        """In pick mode, Enter on an entity links it; returns whether it did."""
        claim, self._linking = self._linking, None
        focused = self.article.focused
        if claim is None:
            return False
        if not (isinstance(focused, Span) and focused.layer is Layer.ENTITY):
            self.statusBar().showMessage("Not an entity: claimant not linked.", 4000)
            return True
        self.statusBar().clearMessage()
        self.run(self.workspace.set_claim(claim, claimant_id=focused.id), self._refocus(claim))
        return True

    def cancel_pick(self) -> None:
        if self._linking is not None:
            self._linking = None
            self.statusBar().showMessage("Claimant not linked.", 3000)

    def set_cue(self) -> None:
        claim = self._focused_claim()
        selection = self.article.selection()
        if claim is None:
            return
        if selection is None:
            self.statusBar().showMessage("Select the cue words (e.g. 'said'), then press U.", 4000)
            return
        self.article.clear_selection()
        self.run(self.workspace.set_claim(claim, cue=selection), self._refocus(claim))

    def cycle_claim_type(self) -> None:
        claim = self._focused_claim()
        if claim is None or self.schema is None or claim.claim is None:
            return
        types = list(self.schema.claim_types)
        current = claim.claim.claim_type
        following = types[(types.index(current) + 1) % len(types)] if current in types else types[0]
        self.run(self.workspace.set_claim(claim, claim_type=following), self._refocus(claim))

    def toggle_hedged(self) -> None:
        claim = self._focused_claim()
        if claim is None or claim.claim is None:
            return
        self.run(
            self.workspace.set_claim(claim, hedged=not claim.claim.hedged), self._refocus(claim)
        )

    def _edit_claim(self, **changes: object) -> None:
        focused = self.article.focused
        if isinstance(focused, Span) and focused.layer is Layer.CLAIM and focused.claim:
            if all(getattr(focused.claim, k) == v for k, v in changes.items()):
                return
            self.run(self.workspace.set_claim(focused, **changes), self._refocus(focused))

    def accept(self) -> None:
        if self.team.refuse_edit() or self._link_focused_entity():
            return
        focused = self.article.focused
        if isinstance(focused, Suggestion) and self.view is not None:
            self._confirm_in_gazetteer([focused])
            self.run(
                self.workspace.accept(self.view, focused), self._focus_next_suggestion(focused.end)
            )
        else:
            self.statusBar().showMessage("Focus a suggestion (Tab) to accept it.", 4000)

    def accept_all(self) -> None:
        if self.team.refuse_edit():
            return
        if self.view is not None and self.view.suggestions:
            self._confirm_in_gazetteer(self.view.suggestions)
            self.run(self.workspace.accept_all(self.view))

    def _confirm_in_gazetteer(self, suggestions: Iterable[Suggestion]) -> None:
        if self.view is None:
            return
        text = self.view.document.text
        for s in suggestions:
            if s.layer is Layer.ENTITY:
                self.suggestions.confirmed(text[s.start : s.end], s.label)

    def reject_or_delete(self) -> None:
        if self.team.refuse_edit():
            return
        focused = self.article.focused
        if isinstance(focused, Suggestion):
            self.run(self.workspace.reject(focused), self._focus_next_suggestion(focused.end))
        elif isinstance(focused, Span):
            if focused.layer is Layer.ENTITY and self.view is not None:
                text = self.view.document.text[focused.start : focused.end]
                self.suggestions.unconfirmed(text, focused.label)
            self.run(self.workspace.delete(focused), self._focus_next_suggestion(focused.start))

    def resize_focused(self, edge: str, step: int) -> None:
        focused = self.article.focused
        if not isinstance(focused, Span) or self.view is None:
            return
        tokens = self.view.tokens.tokens
        start, end = focused.start, focused.end
        if edge == "end":
            ends = [t.end for t in tokens]
            later = (
                [e for e in ends if e > end] if step > 0 else [e for e in ends if start < e < end]
            )
            if not later:
                return
            end = later[0] if step > 0 else later[-1]
        else:
            starts = [t.start for t in tokens]
            moved = (
                [s for s in starts if s < start]
                if step < 0
                else [s for s in starts if start < s < end]
            )
            if not moved:
                return
            start = moved[-1] if step < 0 else moved[0]
        self.run(self.workspace.resize(focused, start, end), self._refocus(focused))

    def _focus_from_inspector(self, item: Span | Suggestion) -> None:
        self.article.focus_item(item)
        self.article.setFocus()

    # -- search, import, export -------------------------------------------------------------

    def search(self) -> None:
        def run_search(text: str, show: Callable[[list[SearchHit]], None]) -> None:
            self.executor.submit(lambda: self.workspace.search(text), show)

        dialog = SearchDialog(run_search, self)
        dialog.setObjectName("search-dialog")
        dialog.hitChosen.connect(self.open_hit)
        dialog.finished.connect(self._back_to_article)
        dialog.open()

    def open_hit(self, hit: SearchHit) -> None:
        self.open_document(hit.document_id, lambda: self.article.show_match(hit.start, hit.end))

    def import_files(self, paths: list[str] | None = None) -> BackgroundTask | None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self,
                "Import articles",
                str(Path.home()),
                "Articles (*.txt *.jsonl *.ndjson *.json *.csv *.tsv);;All files (*)",
            )
        if not paths:
            return None
        chosen = list(paths)
        return self._start_task(
            "Importing",
            lambda progress, cancel: importing.import_paths(
                self.db, chosen, annotator=self.annotator, progress=progress, cancel=cancel
            ),
            self._imported,
        )

    def _imported(self, summary: importing.ImportSummary) -> None:
        self.documents.reload()
        self.suggestions.reload_gazetteer()
        self.refresh_progress()
        text = (
            f"Imported {summary.imported} documents ({summary.entities} entities, "
            f"{summary.claims} claims); {summary.duplicates} duplicates skipped; "
            f"{len(summary.errors)} rejected; {len(summary.warnings)} warnings."
        )
        if summary.cancelled:
            text = "Import cancelled; the batches already stored are kept. " + text
        details = "\n".join(f"{p.severity}: {p.describe()}" for p in summary.problems) or None
        icon = QMessageBox.Icon.Warning if summary.errors else QMessageBox.Icon.Information
        box = message_box(self, "Import", text, icon, details)
        box.setObjectName("import-summary")
        box.open()
        if self.view is None:
            self.executor.submit(self.workspace.first_document, self._open_if_any)

    def export_file(
        self, path: str | None = None, fmt: str = "annotator", **options: Any
    ) -> BackgroundTask | None:
        """File > Export: choose the format and options, then where; runs in the background.
        With ``path`` given (tests, scripts) the dialogs are skipped."""
        if path is None:
            dialog = ExportDialog(dict(exporting.FORMATS), self.annotator, self)
            dialog.setObjectName("export-dialog")
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            fmt = dialog.chosen_format
            suffix = exporting.FORMATS[fmt][1]
            if dialog.writes_folder:
                path = QFileDialog.getExistingDirectory(
                    self, "Export into folder", str(Path.home())
                )
            else:
                path, _ = QFileDialog.getSaveFileName(
                    self, "Export", str(Path.home() / f"annotations{suffix}")
                )
            split_text = dialog.split.text().strip()
            options = {
                "annotator": self.annotator if dialog.mine.isChecked() else None,
                "only_done": dialog.only_done.isChecked(),
                "drop_ignored": dialog.drop_ignored.isChecked(),
                "gold": dialog.gold.isChecked(),
                "split": parse_split(split_text, seed=int(dialog.seed.text()))
                if split_text
                else None,
            }
        if not path:
            return None
        target = Path(path)
        return self._start_task(
            "Exporting",
            lambda progress, cancel: exporting.export(
                self.db, target, fmt=fmt, progress=progress, cancel=cancel, **options
            ),
            self._exported,
        )

    def _exported(self, summary: exporting.ExportSummary) -> None:
        text = (
            f"Exported {summary.documents} documents ({summary.entities} entities, "
            f"{summary.claims} claims) as {summary.format} to {summary.path}."
            f" Label schema version {summary.schema_version}."
        )
        if summary.skipped_not_done:
            text += f" {summary.skipped_not_done} documents not done were left out."
        if summary.skipped_conflicts:
            text += f" {summary.skipped_conflicts} with competing annotators were left out."
        if summary.from_gold:
            text += f" {summary.from_gold} went out as their adjudicated gold version."
        details = "\n".join(p.describe() for p in summary.problems) or None
        box = message_box(self, "Export", text, QMessageBox.Icon.Information, details)
        box.setObjectName("export-summary")
        box.open()

    def _start_task(
        self, title: str, work: Callable[..., Any], on_success: Callable[[Any], None]
    ) -> BackgroundTask:
        task = BackgroundTask(title, work, self)
        progress = TaskProgress(task, self)
        progress.setObjectName("task-progress")
        task.succeeded.connect(on_success)
        task.failed.connect(self.show_error)
        task.finished.connect(lambda: self._tasks.remove(task) if task in self._tasks else None)
        self._tasks.append(task)
        task.start()
        return task

    # -- status, help, closing --------------------------------------------------------------

    def train_model(self, *, automatic: bool = False) -> BackgroundTask | None:
        """Train the project's model in background processes; the window stays usable."""
        if any(t.title == "Training the model" for t in self._tasks):
            return None
        training = TrainingService(self.db)

        def done(result: object) -> None:
            self.suggestions.invalidate()
            if self.view is not None:
                self.suggestions.refresh([self.view.document.id])
            self.refresh_model_status()
            self.statusBar().showMessage(f"Trained: {result.summary()}", 15000)  # type: ignore[attr-defined]

        task = BackgroundTask(
            "Training the model",
            lambda progress, cancel: training.train(progress=progress, cancel=cancel),
            self,
        )
        task.succeeded.connect(done)
        task.failed.connect(self.show_error)
        task.progressed.connect(
            lambda _done, _total, message: self.status_model.setText(f"Model: {message}")
        )
        task.finished.connect(lambda: self._tasks.remove(task) if task in self._tasks else None)
        if not automatic:
            progress = TaskProgress(task, self)
            progress.setObjectName("task-progress")
        self._tasks.append(task)
        task.start()
        return task

    def refresh_model_status(self, *, retrain_if_due: bool = False) -> None:
        """The model's held-out scores in the status bar; retrain when enough new work is done."""
        training = TrainingService(self.db)

        def show(status: dict[str, Any]) -> None:
            if status.get("trained"):
                entities = status.get("entities") or {}
                f1 = entities.get("f1")
                shown = f"{f1:.2f}" if isinstance(f1, float) else "?"
                self.status_model.setText(
                    f"Model: F1 {shown} on {status.get('trained_documents', 0)} documents"
                )
            else:
                self.status_model.setText("Model: not trained")
            self.status_model.setToolTip(tooltip("\n".join(describe_status(status))))
            if retrain_if_due and status.get("due"):
                self.train_model(automatic=True)

        self.executor.submit(training.status, show)

    def refresh_progress(self) -> None:
        def counts() -> dict[str, int]:
            with self.db.read() as store:
                return store.status_counts(self.annotator)

        def show(result: dict[str, int]) -> None:
            total = sum(result.values())
            self.status_progress.setText(f"{result.get('done', 0)} / {total} done")

        self.executor.submit(counts, show)

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self._menu_actions, self)
        dialog.setObjectName("shortcuts-dialog")
        dialog.finished.connect(self._back_to_article)
        dialog.open()

    def run_project_command(self, command: Command) -> None:
        """A project-level action (no document involved, e.g. the guidelines): stored as one
        undoable command, then what it changed is redrawn."""
        self.executor.submit(lambda: self.service.execute(command), self._after_command)

    def edit_guidelines(self) -> None:
        self.guidelines.edit(self.annotator, self.run_project_command, self._back_to_article)

    def preferences(self) -> None:
        from annotator.ui.preferences import open_preferences

        open_preferences(self)

    def _back_to_article(self) -> None:
        """After a dialog, the keys belong to the article again (window managers differ in
        which window they activate when a dialog closes)."""
        self.activateWindow()
        self.article.setFocus()

    def about(self) -> None:
        import platform

        from PySide6.QtCore import qVersion

        from annotator.storage.backup import backup_dir
        from annotator.storage.engine import data_dir

        path = self.db.path
        text = (
            f"Annotator {__version__}\n"
            "Label entities and claims in news articles; export training data.\n\n"
            "MIT licence. Copyright (c) 2026 The Annotator developers.\n\n"
            f"Project: {self.db.display_url}\n"
            f"Backups: {backup_dir(path) if path is not None else 'kept by the database server'}\n"
            f"Default project folder: {data_dir()}\n"
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
        for task in list(self._tasks):
            task.cancel()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("view/font_size", self.article.font_size())
        self.settings.sync()
        self.executor.wait_idle(5000)
        for task in list(self._tasks):
            task.join(5)
        self.suggestions.shutdown()
        self.executor.shutdown()
        super().closeEvent(event)
