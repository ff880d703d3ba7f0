"""Review > Adjudicate document: every annotator's version side by side, the gold layer built
from them by keyboard (docs/adr/0005-gold-layer-as-reserved-annotator.md).

The dialog shows the document's units (spans that overlap across annotators), one row each:
its kind as a text marker (``=``, ``≠label``, ``≠boundary``, ``≠missing``) and a colour, what
gold holds, and each annotator's version; under it the article with the unit highlighted.
Keys: Up/Down between units, 1..9 take annotator N's version, A take every agreed unit, X
reject the unit, E edit the gold label (a claim: its type), Ctrl+Z undo, Ctrl+Return mark the
document adjudicated and open the next one that needs it. Every database call runs on the
window's database worker; the dialog only draws the :class:`DocumentAdjudication` values it
gets back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QInputDialog,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
)

from annotator.core.adjudicating import MARKERS, Kind, Unit
from annotator.core.commands import Applied
from annotator.core.errors import ConflictError
from annotator.core.model import Layer, Span
from annotator.core.offsets import Utf16Table
from annotator.services.adjudication import Adjudicator, DocumentAdjudication, edit_gold
from annotator.ui.plain import label

if TYPE_CHECKING:
    from annotator.ui.context import WindowContext

#: Row colours per kind (the marker text says the same, for those who cannot tell colours).
COLOURS: dict[Kind, str] = {
    Kind.AGREED: "#d8f0d8",
    Kind.LABEL: "#fbe3b8",
    Kind.BOUNDARY: "#f8c8c8",
    Kind.MISSING: "#dcdcf4",
}
HIGHLIGHT = "#ffe680"
#: Shown in a version's cell when the annotator has nothing in the unit.
NOTHING = "— nothing —"
KEYS_HELP = (
    "Up/Down: unit · 1–9: take annotator N's version · A: take all agreed · X: reject · "
    "E: edit the gold label · "
    "Ctrl+Z: undo · Ctrl+Return: adjudicated, next document · Esc: close"
)

_CTRL = Qt.KeyboardModifier.ControlModifier


def open_adjudication(ctx: WindowContext) -> None:
    """Review > Adjudicate document: for reviewers; opens on the window's document when it
    needs adjudication, else on the next document that does."""
    adjudicator = Adjudicator(ctx.db, ctx.annotator, ctx.service)
    current = ctx.current_document_id()

    def work() -> tuple[bool, int | None]:
        if not adjudicator.is_reviewer():
            return False, None
        if current is not None and len(adjudicator.load(current).annotators) >= 2:
            return True, current
        return True, adjudicator.next_document(current or 0)

    def done(result: tuple[bool, int | None]) -> None:
        reviewer, document_id = result
        if not reviewer:
            ctx.status(
                f"Only reviewers adjudicate; {ctx.annotator} is not a reviewer "
                "(Project > Team sets roles).",
                8000,
            )
            return
        if document_id is None:
            ctx.status("No document needs adjudication (done by two or more annotators).", 8000)
            return
        dialog = AdjudicationDialog(ctx, adjudicator, document_id)
        dialog.setObjectName("adjudication-dialog")
        dialog.finished.connect(lambda _result: _closed(ctx))
        dialog.open()

    ctx.executor.submit(work, done)


def _closed(ctx: WindowContext) -> None:
    ctx.back_to_article()
    document_id = ctx.current_document_id()
    if document_id is not None:
        ctx.open_document(document_id)  # gold may have changed what it shows


class AdjudicationDialog(QDialog):
    def __init__(self, ctx: WindowContext, adjudicator: Adjudicator, document_id: int) -> None:
        super().__init__(ctx.widget)
        self.ctx = ctx
        self.adjudicator = adjudicator
        self.view: DocumentAdjudication | None = None
        #: A command is on its way: keys wait (each acts on what the reviewer sees).
        self.busy = False
        self._table16: Utf16Table | None = None
        self.setWindowTitle("Adjudicate document")
        layout = QVBoxLayout(self)
        self.heading = label("", self)
        layout.addWidget(self.heading)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.currentCellChanged.connect(lambda *_: self._highlight())
        self.table.installEventFilter(self)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.installEventFilter(self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.text)
        layout.addWidget(splitter, 1)
        self.message = label("", self)
        layout.addWidget(self.message)
        layout.addWidget(label(KEYS_HELP, self))
        self.resize(1100, 720)
        self.load(document_id)

    # -- data --------------------------------------------------------------------------------

    def load(self, document_id: int) -> None:
        self._submit(lambda: self.adjudicator.load(document_id), self._show)

    def _submit(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self.busy = True

        def done(result: Any) -> None:
            self.busy = False
            then(result)

        def failed(error: BaseException) -> None:
            self.busy = False
            self.ctx.show_error(error)
            if isinstance(error, ConflictError) and self.view is not None:
                self.load(self.view.document.id)  # show what the other reviewer stored

        self.ctx.executor.submit(work, done, failed)

    @property
    def units(self) -> tuple[Unit, ...]:
        return self.view.units if self.view is not None else ()

    @property
    def current(self) -> Unit | None:
        row = self.table.currentRow()
        return self.units[row] if 0 <= row < len(self.units) else None

    def _show(
        self, view: DocumentAdjudication, keep: Unit | None = None, *, advance: bool = True
    ) -> None:
        """Draw ``view``; select the next undecided unit after ``keep``'s place (the unit
        there itself without ``advance``), else the first undecided one."""
        new_document = self.view is None or self.view.document.id != view.document.id
        self.view = view
        if new_document:
            self.text.setPlainText(view.document.text)  # normalised once at import
            self._table16 = Utf16Table(view.document.text)
        status = "adjudicated" if view.adjudicated else "not adjudicated yet"
        self.heading.setText(
            f"{view.document.title} — {len(view.units)} units, {view.undecided} undecided — "
            f"gold: {status} — versions of {', '.join(view.annotators) or 'nobody'}"
        )
        headers = ["#", "Layer", "Kind", "Gold"] + [
            f"{n}. {name}" for n, name in enumerate(view.annotators, start=1)
        ]
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(view.units))
        for row, unit in enumerate(view.units):
            marker = MARKERS[unit.kind]
            detail = f" ({'; '.join(unit.differences)})" if unit.differences else ""
            cells = [
                str(row + 1),
                unit.layer.value,
                f"{marker} {unit.kind.value}{detail}",
                self._gold_text(unit, view),
                *(_describe(v.spans, view) or NOTHING for v in unit.versions),
            ]
            colour = QColor(COLOURS[unit.kind])
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column == 2 or (column >= 4 and unit.kind is not Kind.AGREED):
                    item.setBackground(colour)
                self.table.setItem(row, column, item)
        # The versions share the width (wrapping long claims) so every annotator's column is
        # in view side by side; the short columns fit their contents.
        header = self.table.horizontalHeader()
        for column in range(len(headers)):
            mode = QHeaderView.ResizeMode.ResizeToContents
            if column >= 4:
                mode = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(column, mode)
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        undecided = [i for i, u in enumerate(view.units) if not u.decided]
        target = undecided[0] if undecided else 0
        same = None if keep is None else view.unit_at(keep.layer, keep.start, keep.end)
        if same is not None:
            # Units are listed in order: go on to the next undecided one after it.
            here = view.units.index(same)
            target = next((i for i in undecided if i > here), here) if advance else here
        if view.units:
            self.table.setCurrentCell(target, 0)
        self._highlight()
        self.table.setFocus()

    @staticmethod
    def _gold_text(unit: Unit, view: DocumentAdjudication) -> str:
        source = unit.gold_source
        if source is None:
            return "? undecided"
        if source == "rejected":
            return "✗ rejected"
        return f"✓ {source}: {_describe(unit.gold, view)}"

    def _highlight(self) -> None:
        unit, table = self.current, self._table16
        if unit is None or table is None:
            self.text.setExtraSelections([])
            return
        # One mark for the focused unit: extra selections are cheap at this count.
        start, end = table.range_to_utf16(unit.start, unit.end)
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        mark = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(HIGHLIGHT))
        fmt.setFontUnderline(True)
        mark.format = fmt  # type: ignore[attr-defined]
        mark.cursor = cursor  # type: ignore[attr-defined]
        self.text.setExtraSelections([mark])
        shown = QTextCursor(self.text.document())
        shown.setPosition(start)
        self.text.setTextCursor(shown)
        self.text.ensureCursorVisible()

    # -- keys --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_key = event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
        if is_key and self._key(event):  # type: ignore[arg-type]
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        """Handle one of the dialog's keys; ``False`` for any other key."""
        key = event.key()
        ctrl = bool(event.modifiers() & _CTRL)
        if ctrl and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.mark_adjudicated()
        elif ctrl and key == Qt.Key.Key_Z:
            self.undo()
        elif ctrl:
            return False
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.take(int(key) - int(Qt.Key.Key_1))
        elif key == Qt.Key.Key_A:
            self.take_agreed()
        elif key in (Qt.Key.Key_X, Qt.Key.Key_Delete):
            self.reject_unit()
        elif key == Qt.Key.Key_E:
            self.edit()
        else:
            return False
        return True

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def take(self, index: int) -> None:
        unit, view = self.current, self.view
        if self.busy or unit is None or view is None:
            return
        if index >= len(view.annotators):
            self._say(f"There is no annotator {index + 1}: {len(view.annotators)} versions.")
            return
        name = view.annotators[index]
        self._say(f"Took {name}'s version.")
        self._submit(lambda: self.adjudicator.take(unit, name), self._after(unit))

    # Not named ``reject``: that is QDialog's close (Escape, the title bar's close button) and
    # must never store anything.
    def reject_unit(self) -> None:
        unit = self.current
        if self.busy or unit is None:
            return
        self._say("Rejected: nothing of this unit goes into gold.")
        self._submit(lambda: self.adjudicator.reject(unit), self._after(unit))

    def edit(self) -> None:
        """E: change the gold span's label (a claim: its type), as the reviewer's own edit."""
        unit, schema = self.current, self.ctx.current_schema()
        if self.busy or unit is None or self.view is None or schema is None:
            return
        if len(unit.gold) != 1:
            self._say("E edits a unit whose gold holds one span: take a version first.")
            return
        span = unit.gold[0]
        if span.layer is Layer.CLAIM and span.claim is not None:
            field, current = "claim_type", span.claim.claim_type
            choices = list(schema.claim_types)
        else:
            field, current = "label", span.label
            choices = [entity.name for entity in schema.entities]
        value, ok = QInputDialog.getItem(
            self,
            "Edit gold",
            "Claim type:" if field == "claim_type" else "Label:",
            choices,
            choices.index(current) if current in choices else 0,
            False,
        )
        if not ok or value == current:
            return
        command = edit_gold(span, **{field: value})
        document_id = self.view.document.id
        self._say(f"Gold changed to {value}.")
        self._submit(
            lambda: self.adjudicator.execute(command, document_id), self._after(unit, advance=False)
        )

    def take_agreed(self) -> None:
        view = self.view
        if self.busy or view is None:
            return
        count = sum(1 for u in view.units if u.kind is Kind.AGREED and not u.decided)
        self._say(f"Took {count} agreed units.")
        self._submit(lambda: self.adjudicator.take_agreed(view), self._after(None))

    def undo(self) -> None:
        view = self.view
        if self.busy or view is None:
            return
        keep = self.current
        document_id = view.document.id

        def shown(result: tuple[Applied | None, DocumentAdjudication]) -> None:
            applied, fresh = result
            self._say("Undone." if applied is not None else "Nothing to undo.")
            self._show(fresh, None)
            if keep is not None:
                same = fresh.unit_at(keep.layer, keep.start, keep.end)
                if same is not None:
                    self.table.setCurrentCell(fresh.units.index(same), 0)
            if applied is not None:
                self.ctx.ops.notify(applied, self)

        self._submit(lambda: self.adjudicator.undo(document_id), shown)

    def mark_adjudicated(self) -> None:
        view = self.view
        if self.busy or view is None:
            return
        left = view.undecided

        def next_one(result: tuple[Applied, int | None]) -> None:
            applied, following = result
            self.ctx.ops.notify(applied, self)
            note = f" ({left} units left undecided: not in gold)" if left else ""
            if following is None:
                self._say(f"Adjudicated{note}. No other document needs adjudication.")
                self.load(view.document.id)
            else:
                self._say(f"Adjudicated{note}; next document.")
                self.load(following)

        self._submit(lambda: self.adjudicator.mark_adjudicated(view), next_one)

    def _after(
        self, keep: Unit | None, *, advance: bool = True
    ) -> Callable[[tuple[Applied, DocumentAdjudication]], None]:
        def shown(result: tuple[Applied, DocumentAdjudication]) -> None:
            self._show(result[1], keep, advance=advance)
            self.ctx.ops.notify(result[0], self)

        return shown


def _describe(spans: tuple[Span, ...], view: DocumentAdjudication) -> str:
    """One line per span: label, the text, and for claims their details."""
    text = view.document.text
    parts = []
    for span in spans:
        shown = text[span.start : span.end].replace("\n", " ")
        if len(shown) > 60:
            shown = shown[:57] + "…"
        line = f"{span.label} “{shown}” [{span.start}–{span.end}]"
        if span.claim is not None and span.layer is Layer.CLAIM:
            details = span.claim
            line += f" type={details.claim_type}"
            line += " hedged" if details.hedged else ""
            if details.cue is not None:
                line += f" cue=“{text[details.cue[0] : details.cue[1]]}”"
            claimant = view.entities.get(details.claimant_id or -1)
            named = "none" if claimant is None else text[claimant.start : claimant.end]
            line += f" claimant=“{named}”"
        parts.append(line)
    return "\n".join(parts)
