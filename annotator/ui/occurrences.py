"""Annotate > Label all occurrences (Ctrl+L): after confirming an entity, offer its text with
its label at every other place in the corpus as pending suggestions.

The places are found in a background task (progress and Cancel for a large corpus:
annotator.services.occurrences), with the documents' tokens from the token cache or the
suggestion process (annotator.services.document_tokens: this process never loads the
tokenizer, ADR 31), so the count comes once they have arrived; it is shown first ("N
occurrences in M documents"), and only Yes stores them, as one command through the one path,
so Ctrl+Z takes them all back in one step. Which entity: the focused one, else the one last
confirmed in the open document (accepting moves the focus on to the next suggestion, so
"confirm, then Ctrl+L" works).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from annotator.core.model import Layer, Span
from annotator.core.occurrence_commands import AddOccurrences
from annotator.core.progress import CancelToken, ProgressCallback
from annotator.services.annotate import ReadOnlyError
from annotator.services.document_tokens import corpus_tokens
from annotator.services.occurrences import Occurrences, find_occurrences
from annotator.ui.article_view import ArticleView
from annotator.ui.context import WindowContext
from annotator.ui.operations import Outcome
from annotator.ui.plain import message_box

FINDING = "Finding occurrences"


class OccurrenceLabeller(QObject):
    def __init__(self, ctx: WindowContext, article: ArticleView, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.article = article
        #: ``(document id, span id)`` of the entity last confirmed in the open document.
        self._last: tuple[int, int] | None = None
        self.confirm: QMessageBox | None = None
        ctx.ops.changed.connect(self._changed)

    def _changed(self, outcome: Outcome, _initiator: object) -> None:
        for span in reversed(outcome.applied.spans):
            if span.layer is Layer.ENTITY and span.id is not None:
                self._last = (span.document_id, span.id)
                return

    def _entity(self) -> Span | None:
        view = self.ctx.current_view()
        if view is None:
            return None
        focused = self.article.focused
        if isinstance(focused, Span) and focused.layer is Layer.ENTITY:
            return focused
        if self._last is not None and self._last[0] == view.document.id:
            return view.span(self._last[1])
        return None

    def label_all(self) -> None:
        view = self.ctx.current_view()
        span = self._entity()
        if view is None or span is None:
            self.ctx.status(
                "Confirm or focus an entity first, then label all its occurrences.", 5000
            )
            return
        try:
            self.ctx.workspace.check_editable()
        except ReadOnlyError as exc:
            self.ctx.show_error(exc)
            return
        if self.ctx.tasks.running(FINDING):
            self.ctx.status("Still finding the occurrences of the last entity…", 4000)
            return
        text = view.document.text[span.start : span.end]
        db, annotator, document_id = self.ctx.db, self.ctx.workspace.acting, view.document.id
        remote = self.ctx.suggestions.remote_tokens

        def work(progress: ProgressCallback, cancel: CancelToken) -> Occurrences:
            return find_occurrences(
                db,
                annotator,
                text,
                span.label,
                progress=progress,
                cancel=cancel,
                tokens=lambda texts: corpus_tokens(db, texts, remote),
            )

        self.ctx.tasks.start_task(
            FINDING,
            work,
            lambda found: self._ask(found, document_id),
            dialog_parent=self.ctx.widget,
        )

    def _ask(self, found: object, document_id: int) -> None:
        if not isinstance(found, Occurrences):  # cancelled
            return
        if not found.suggestions:
            self.ctx.status(f"No other place to label “{found.text}” {found.label}.", 5000)
            self.ctx.back_to_article()
            return
        offer = (
            "Add them as suggestions, to accept or reject one by one? "
            "Undo (Ctrl+Z) takes them all back."
            if len(found.suggestions) > 1
            else "Add it as a suggestion, to accept or reject? Undo (Ctrl+Z) takes it back."
        )
        box = message_box(
            self.ctx.widget,
            "Label all occurrences",
            f"“{found.text}” as {found.label}: {found.describe()}.\n\n{offer}",
            QMessageBox.Icon.Question,
        )
        box.setObjectName("confirm-occurrences")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.accepted.connect(lambda: self._store(found, document_id))
        box.finished.connect(self.ctx.back_to_article)
        self.confirm = box
        box.open()

    def _store(self, found: Occurrences, document_id: int) -> None:
        command = AddOccurrences(
            found.suggestions,
            document_id,
            self.ctx.workspace.acting,
            name=f"Label all {found.text!r}",
        )

        def done(_outcome: Outcome) -> None:
            self.ctx.status(
                f"Suggested “{found.text}” as {found.label}: {found.describe()}. "
                "Ctrl+Z takes them back.",
                8000,
            )

        self.ctx.ops.run_op(command, "occurrences", then=done)
