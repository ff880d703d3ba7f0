"""The annotation controller: keys become commands.

Every key of the Annotate and Edit menus ends here and becomes one command run through
:meth:`Operations.run_op`; where the focus goes afterwards follows the walk order of
annotator.services.workspace (``walk_key``). The controller draws nothing: the views redraw
from the ``changed`` signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject

from annotator.core.commands import Command
from annotator.core.model import Layer, Span, Suggestion
from annotator.core.quantities import QuantityError, parse_line, to_attributes
from annotator.core.tokens import Sentence
from annotator.services.workspace import OverlapError, nearest_entity, next_pending
from annotator.ui.article_view import ArticleView, Item
from annotator.ui.context import WindowContext
from annotator.ui.dialogs import ClaimantDialog
from annotator.ui.occurrences import OccurrenceLabeller
from annotator.ui.operations import Outcome

Focus = Callable[[Outcome], None]


def _is_entity(item: Item) -> bool:
    return isinstance(item, Span) and item.layer is Layer.ENTITY


class AnnotationController(QObject):
    def __init__(self, ctx: WindowContext, article: ArticleView, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.article = article
        #: The claim whose claimant is being picked in the text (Shift+L), if any.
        self.linking: Span | None = None
        self.occurrences = OccurrenceLabeller(ctx, article, self)
        #: ``(document id, action)``: an action that needs the open document's tokens,
        #: asked for before they arrived; it runs when they do (tokens_arrived).
        self._waiting: tuple[int, Callable[[], None]] | None = None

    # -- running ----------------------------------------------------------------------------

    def run(self, command: Command, focus: Focus | None = None) -> None:
        """A user action on the open document, through the one path; then ``focus``."""
        if self.ctx.current_view() is None:
            return
        self.ctx.ops.run_op(command, self, then=focus)

    def _status(self, text: str, ms: int = 4000) -> None:
        self.ctx.status(text, ms)

    def _wait_for_tokens(self, action: Callable[[], None], *, always: bool = False) -> bool:
        """Whether ``action`` must wait for the open document's tokens (the selection or
        ``always`` needs them and they have not arrived: annotator.services.document_tokens).
        Then it runs when they arrive, instead of the window waiting for them."""
        view = self.ctx.current_view()
        if view is None or view.token_source.ready:
            return False
        if not (always or self.article.waits_for_tokens()):
            return False
        self._waiting = (view.document.id, action)
        self._status("Finding the words of this document; the action follows in a moment.")
        return True

    def tokens_arrived(self, document_id: int) -> None:
        """The open document's tokens are here: run the action that waited for them."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None and waiting[0] == document_id:
            self._status("", 1)
            waiting[1]()

    # -- focus ------------------------------------------------------------------------------

    def _focus_created(self, outcome: Outcome) -> None:
        view = outcome.view
        if outcome.applied.spans and view is not None:
            created = view.span(outcome.applied.spans[-1].id or -1)
            if created is not None:
                self.article.focus_item(created)

    def _focus_next_pending(self, acted_on: Item) -> Focus:
        """After a decision, the next pending suggestion in walk order after the item acted
        on, nested ones included (annotator.services.workspace.next_pending)."""

        def focus(outcome: Outcome) -> None:
            if outcome.view is not None:
                self.article.focus_item(next_pending(outcome.view, acted_on))

        return focus

    def _refocus(self, span: Span) -> Focus:
        def focus(outcome: Outcome) -> None:
            if outcome.view is not None and span.id is not None:
                self.article.focus_item(outcome.view.span(span.id))

        return focus

    def focus_next(self) -> None:
        """Tab: the next item in walk order; entities only while picking a claimant."""
        self.article.focus_next(_is_entity if self.linking is not None else None)

    def focus_previous(self) -> None:
        self.article.focus_previous(_is_entity if self.linking is not None else None)

    # -- undo -------------------------------------------------------------------------------

    def undo(self) -> None:
        self.ctx.ops.undo(self, self._replayed)

    def redo(self) -> None:
        self.ctx.ops.redo(self, self._replayed)

    def _replayed(self, outcome: Outcome | None) -> None:
        if outcome is None:
            self._status("Nothing to undo or redo.", 3000)

    # -- labels and decisions ---------------------------------------------------------------

    def apply_label(self, name: str) -> None:
        view = self.ctx.current_view()
        if view is None or self._wait_for_tokens(lambda: self.apply_label(name)):
            return
        selection = self.article.selection()
        focused = self.article.focused
        schema = self.ctx.current_schema()
        if selection is not None:
            start, end = selection
            allow = schema is None or schema.overlapping_entities
            try:
                command = self.ctx.workspace.add_entity(view, start, end, name, allow_overlap=allow)
            except OverlapError as exc:
                self._status(str(exc), 6000)
                return
            self.article.clear_selection()
            self.run(command, self._focus_created)
        elif isinstance(focused, Span) and focused.layer is Layer.ENTITY:
            if focused.label != name:
                self.run(self.ctx.workspace.relabel(focused, name), self._refocus(focused))
        elif isinstance(focused, Suggestion) and focused.layer is Layer.ENTITY:
            relabelled = replace(focused, label=name)
            self.run(self.ctx.workspace.accept(view, relabelled), self._focus_next_pending(focused))
        else:
            self._status("Select some text first, then press a label key.")

    def accept(self) -> None:
        if self._link_focused_entity():
            return
        focused = self.article.focused
        view = self.ctx.current_view()
        if isinstance(focused, Suggestion) and view is not None:
            self.run(self.ctx.workspace.accept(view, focused), self._focus_next_pending(focused))
        else:
            self._status("Focus a suggestion (Tab) to accept it.")

    def accept_all(self) -> None:
        view = self.ctx.current_view()
        if view is not None and view.suggestions:
            self.run(self.ctx.workspace.accept_all(view))

    def label_all_occurrences(self) -> None:
        """Ctrl+L: the focused (or just confirmed) entity's text, with its label, everywhere."""
        self.occurrences.label_all()

    def reject_or_delete(self) -> None:
        focused = self.article.focused
        if isinstance(focused, Suggestion):
            self.run(self.ctx.workspace.reject(focused), self._focus_next_pending(focused))
        elif isinstance(focused, Span):
            self.run(self.ctx.workspace.delete(focused), self._focus_next_pending(focused))

    def resize_focused(self, edge: str, step: int) -> None:
        focused = self.article.focused
        view = self.ctx.current_view()
        if not isinstance(focused, Span) or view is None:
            return
        if self._wait_for_tokens(lambda: self.resize_focused(edge, step), always=True):
            return
        tokens = view.tokens.tokens
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
        self.run(self.ctx.workspace.resize(focused, start, end), self._refocus(focused))

    # -- claims -----------------------------------------------------------------------------

    def make_claim(self) -> None:
        view = self.ctx.current_view()
        if view is None or self._wait_for_tokens(self.make_claim, always=True):
            return
        selection = self.article.selection()
        if selection is None:
            sentence: Sentence | None = view.tokens.sentence_at(self.article.cursor_offset())
            if sentence is None:
                self._status("Put the cursor in a sentence or select text.")
                return
            selection = (sentence.start, sentence.end)
        self.article.clear_selection()
        self.run(self.ctx.workspace.add_claim(view, *selection), self._focus_created)

    def _focused_claim(self) -> Span | None:
        focused = self.article.focused
        if isinstance(focused, Span) and focused.layer is Layer.CLAIM:
            return focused
        self._status("Focus a claim first (Tab moves between items).")
        return None

    def link_claimant(self) -> None:
        claim = self._focused_claim()
        view = self.ctx.current_view()
        if claim is None or view is None:
            return
        entities = [s for s in view.spans if s.layer is Layer.ENTITY]
        dialog = ClaimantDialog(view.document.text, claim, entities, self.ctx.widget)
        dialog.setObjectName("claimant-dialog")

        def chosen() -> None:
            if dialog.chosen is None:
                return
            claimant = None if dialog.chosen == ClaimantDialog.UNATTRIBUTED else dialog.chosen
            self.run(
                self.ctx.workspace.set_claim(claim, claimant_id=claimant), self._refocus(claim)
            )

        dialog.accepted.connect(chosen)
        dialog.finished.connect(self.ctx.back_to_article)
        dialog.open()

    def pick_claimant(self) -> None:
        """Shift+L: the entity focused in the text (Tab walks entities only, from the nearest
        one before the claim) and confirmed with Enter becomes the claim's claimant."""
        claim = self._focused_claim()
        view = self.ctx.current_view()
        if claim is None or view is None:
            return
        nearest = nearest_entity(view, claim)
        if nearest is None:
            self._status("No entity in this document to be the claimant.", 5000)
            return
        self.linking = claim
        self.article.focus_item(nearest)
        self._status(
            "Tab / Shift+Tab walk the entities; Enter links the focused one (Escape cancels).",
            15000,
        )

    def _link_focused_entity(self) -> bool:
        """In pick mode, Enter on an entity links it; returns whether the key was used.
        Enter on anything else keeps the mode: the person is still choosing."""
        claim = self.linking
        focused = self.article.focused
        if claim is None:
            return False
        if not (isinstance(focused, Span) and focused.layer is Layer.ENTITY):
            self._status("Not an entity: Tab to the claimant entity, or Escape to cancel.", 6000)
            return True
        self.linking = None
        self._status("", 0)
        self.run(self.ctx.workspace.set_claim(claim, claimant_id=focused.id), self._refocus(claim))
        return True

    def cancel_pick(self) -> None:
        if self.linking is not None:
            self.linking = None
            self._status("Claimant not linked.", 3000)

    def set_cue(self) -> None:
        if self._wait_for_tokens(self.set_cue):
            return
        claim = self._focused_claim()
        selection = self.article.selection()
        if claim is None:
            return
        if selection is None:
            self._status("Select the cue words (e.g. 'said'), then press U.")
            return
        self.article.clear_selection()
        self.run(self.ctx.workspace.set_claim(claim, cue=selection), self._refocus(claim))

    def cycle_claim_type(self) -> None:
        claim = self._focused_claim()
        schema = self.ctx.current_schema()
        if claim is None or schema is None or claim.claim is None:
            return
        types = list(schema.claim_types)
        current = claim.claim.claim_type
        following = types[(types.index(current) + 1) % len(types)] if current in types else types[0]
        self.run(self.ctx.workspace.set_claim(claim, claim_type=following), self._refocus(claim))

    def toggle_hedged(self) -> None:
        claim = self._focused_claim()
        if claim is None or claim.claim is None:
            return
        self.run(
            self.ctx.workspace.set_claim(claim, hedged=not claim.claim.hedged),
            self._refocus(claim),
        )

    def edit_quantities(self, line: str) -> None:
        """From the inspector's figures line: the focused claim's number slots, one command."""
        focused = self.article.focused
        if not (isinstance(focused, Span) and focused.layer is Layer.CLAIM):
            return
        try:
            slots = parse_line(line)
        except QuantityError as exc:
            self._status(f"Figures not changed: {exc}", 6000)
            return
        if to_attributes(focused.attributes, slots) == focused.attributes:
            return
        self.run(self.ctx.workspace.set_quantities(focused, slots), self._refocus(focused))

    def edit_claim(self, **changes: object) -> None:
        """From the inspector's claim type and hedged controls."""
        focused = self.article.focused
        if isinstance(focused, Span) and focused.layer is Layer.CLAIM and focused.claim:
            if all(getattr(focused.claim, k) == v for k, v in changes.items()):
                return
            self.run(self.ctx.workspace.set_claim(focused, **changes), self._refocus(focused))
