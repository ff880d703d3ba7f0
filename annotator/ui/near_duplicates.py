"""The bar above the article that offers, on opening a near-duplicate copy, to take over the
annotations of its original (annotator.services.take_over). It never blocks: the document is
usable while the bar shows, and the take-over is one action through the window's one path
(:meth:`~annotator.ui.operations.Operations.run_op`), undone in one step with Ctrl+Z."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.services import take_over
from annotator.services.take_over import TakeOver
from annotator.services.workspace import DocumentView
from annotator.ui.context import WindowContext
from annotator.ui.operations import Outcome

#: Spans left out that the bar names (the rest are counted).
NAMED = 5


class CopyBar(QFrame):
    """Hidden unless the open document is a copy whose original this annotator annotated."""

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("near-duplicate-bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Near-duplicate")
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.take_button = QPushButton("&Take over annotations", self)
        self.take_button.setObjectName("take-over")
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setObjectName("dismiss-take-over")
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.take_button)
        layout.addWidget(self.dismiss_button)
        self.take_button.clicked.connect(lambda _checked=False: self.take_over())
        self.dismiss_button.clicked.connect(lambda _checked=False: self.dismiss())
        #: The take-over on offer for the open document, if any.
        self.offer: TakeOver | None = None
        self._document_id: int | None = None
        ctx.ops.changed.connect(self._after_action)
        self.hide()

    def document_shown(self, view: DocumentView) -> None:
        """Look (on the database worker) for a take-over to offer for the document shown."""
        document_id = view.document.id
        if document_id == self._document_id:
            return
        self._document_id = document_id
        self.offer = None
        self._shown(False)
        db, annotator = self.ctx.db, self.ctx.annotator

        def found(offer: TakeOver | None) -> None:
            if self._document_id != document_id:
                return  # another document was opened meanwhile
            self._offer(offer)

        # A failed look-up only means no offer: the document itself opened fine.
        self.ctx.executor.submit(
            lambda: take_over.plan(db, document_id, annotator), found, lambda _error: None
        )

    def _shown(self, shown: bool) -> None:
        """Show or hide the bar, and the dock holding it, so that no empty strip is left."""
        holder = self.parentWidget()
        if isinstance(holder, QDockWidget):
            holder.setVisible(shown)
        self.setVisible(shown)

    def _offer(self, offer: TakeOver | None) -> None:
        self.offer = offer
        if offer is None:
            self._shown(False)
            return
        count = len(offer.spans)
        text = (
            f"This document is a near-duplicate of #{offer.original_id} "
            f"“{offer.original_title}”, where you made {count + len(offer.left_out)} "
            f"annotations. {count} can be taken over where the text is the same"
        )
        if offer.left_out:
            text += f"; {len(offer.left_out)} whose text changed will be left out"
        self.message.setText(text + ".")
        self.take_button.setVisible(bool(count))
        self.take_button.setEnabled(bool(count))
        self._shown(True)

    def take_over(self) -> None:
        """Add the original's annotations to the copy: one action, one undo step."""
        offer = self.offer
        if offer is None or not offer.spans:
            return
        self.offer = None
        self.take_button.setEnabled(False)

        def done(_outcome: Outcome) -> None:
            text = f"Took over {len(offer.spans)} annotations from #{offer.original_id}"
            if offer.left_out:
                named = "; ".join(item.describe() for item in offer.left_out[:NAMED])
                more = len(offer.left_out) - NAMED
                text += f". Left out {len(offer.left_out)}: {named}"
                if more > 0:
                    text += f"; and {more} more"
            self.message.setText(text + ". Ctrl+Z undoes it.")
            self.take_button.hide()
            self.ctx.back_to_article()

        self.ctx.ops.run_op(offer.command, self, then=done)

    def _after_action(self, _outcome: Outcome, initiator: object) -> None:
        """Another action after a take-over (its undo, say) makes the bar's report stale."""
        if initiator is not self and self.offer is None and self.isVisible():
            self._shown(False)

    def dismiss(self) -> None:
        self.offer = None
        self._shown(False)
        self.ctx.back_to_article()
