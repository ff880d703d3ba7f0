"""The focused claim in other articles: "also reported in N articles" in the inspector, and
opening one of them with that claim focused (a click, or Ctrl+Shift+E then Return).

The project's claim groups (:mod:`annotator.services.claim_groups`) are computed off the UI
thread as a background task, once, and kept until an action changes spans or documents or
an import brings new ones; then they are computed again. While they are computed the inspector says
so; a claim focused meanwhile is shown when they arrive.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from annotator.core.model import Layer, Span
from annotator.core.progress import CancelToken, ProgressCallback
from annotator.services.claim_groups import ClaimEntry, ClaimGroups, find_claim_groups
from annotator.ui.article_view import ArticleView
from annotator.ui.context import WindowContext
from annotator.ui.inspector import Inspector
from annotator.ui.operations import Outcome

TITLE = "Finding the same claim in other articles"
LOOKING = "looking in other articles…"

OpenDocument = Callable[[int, Callable[[], None] | None], None]


class ClaimMatches(QObject):
    def __init__(
        self,
        context: WindowContext,
        inspector: Inspector,
        article: ArticleView,
        open_document: OpenDocument,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.inspector = inspector
        self.article = article
        self._open_document = open_document
        self.groups: ClaimGroups | None = None
        #: Bumped by every change of spans or documents; groups of an older one are stale.
        self._generation = 0
        self._groups_generation = -1
        self._running: int | None = None  # the generation being computed
        article.focusChanged.connect(self.show_for)
        context.ops.changed.connect(self._changed)
        inspector.otherClaimActivated.connect(self.open_other)
        inspector.others.escaped.connect(context.back_to_article)

    @property
    def current(self) -> bool:
        return self.groups is not None and self._groups_generation == self._generation

    def show_for(self, item: object) -> None:
        """Fill the inspector's "Same claim elsewhere" for ``item`` (hidden unless a claim)."""
        if not (isinstance(item, Span) and item.layer is Layer.CLAIM and item.id is not None):
            self.inspector.show_matches(None)
            return
        if self.current:
            assert self.groups is not None
            self.inspector.show_matches(self.groups.others(item.id))
            return
        self.inspector.show_matches(LOOKING)
        self._compute()

    def _compute(self) -> None:
        if self._running == self._generation:
            return  # already on its way; its result shows the focused claim
        generation = self._running = self._generation
        db = self.context.db

        def work(progress: ProgressCallback, cancel: CancelToken) -> ClaimGroups:
            return find_claim_groups(db, progress=progress, cancel=cancel)

        def done(groups: object) -> None:
            if self._running == generation:
                self._running = None
            assert isinstance(groups, ClaimGroups)
            self.groups, self._groups_generation = groups, generation
            self.show_for(self.article.focused)

        self.context.tasks.start_task(TITLE, work, done, show_progress=False)

    def _changed(self, outcome: Outcome, _initiator: object) -> None:
        changes = outcome.changes
        if changes.spans or changes.documents:
            self.forget()

    def forget(self) -> None:
        """The claims changed (an action, an import): look again for the focused claim."""
        self._generation += 1
        self.show_for(self.article.focused)

    def focus_list(self) -> None:
        """Annotate > Same claim elsewhere (Ctrl+Shift+E): the keys go to the list of other
        reports (arrows choose, Return opens, Escape comes back to the article)."""
        others = self.inspector.others
        if others.count() == 0:
            focused = self.article.focused
            is_claim = isinstance(focused, Span) and focused.layer is Layer.CLAIM
            self.context.status(
                self.inspector.elsewhere_note.text().capitalize()
                if is_claim
                else "Focus a claim to see where else it is reported.",
                5000,
            )
            return
        others.setCurrentRow(max(others.currentRow(), 0))
        others.setFocus()

    def open_other(self, entry: object) -> None:
        """Open the article of ``entry`` with its claim focused (or, when that claim is
        another annotator's and not on screen, its text shown)."""
        assert isinstance(entry, ClaimEntry)

        def focus() -> None:
            view = self.context.current_view()
            span = view.span(entry.claim_id) if view is not None else None
            if span is not None:
                self.article.focus_item(span)
            else:
                self.article.show_match(entry.start, entry.end)
            self.article.setFocus()

        self._open_document(entry.document_id, focus)
