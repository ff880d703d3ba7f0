"""The inspector: the document's annotations, and the focused one's details.

It shows values from the last loaded :class:`DocumentView` and emits requests; it never holds
state of its own (the database does).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.claim_groups import Match
from annotator.core.model import Layer, Span, Suggestion
from annotator.core.quantities import QuantityError, from_attributes, shown_line
from annotator.core.schema import LabelSchema
from annotator.services.claim_groups import ClaimEntry
from annotator.services.workspace import DocumentView, in_walk_order
from annotator.suggest.combining import BEHIND, is_behind
from annotator.ui.label_bar import label_help
from annotator.ui.plain import label, tooltip

_EXCERPT = 80


def excerpt(text: str, start: int, end: int) -> str:
    piece = text[start:end].replace("\n", " ")
    return piece if len(piece) <= _EXCERPT else piece[: _EXCERPT - 1] + "…"


def describe(item: Span | Suggestion, text: str) -> str:
    kind = "suggested " if isinstance(item, Suggestion) else ""
    behind = behind_of(item)
    # Before the text, which a narrow list cuts off.
    where = "" if behind is None else f" (behind {behind})"
    return f"{kind}{item.label}{where}: {excerpt(text, item.start, item.end)}"


def behind_of(item: Span | Suggestion) -> str | None:
    """The label of what is in front when ``item`` is a suggestion kept behind another (see
    annotator.suggest.combining); else None."""
    if not isinstance(item, Suggestion) or not is_behind(item):
        return None
    front = item.attributes[BEHIND]
    return str(front[2]) if isinstance(front, list | tuple) and len(front) >= 3 else "another"


class _FiguresEdit(QLineEdit):
    """The figures line: Return records the edit here, not the window's "accept" key; Escape
    leaves it unrecorded and gives the keys back (``escaped``), not the window's "cancel"."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
        ):
            event.accept()
            return True
        return super().event(event)


class OwnKeysList(QListWidget):
    """A list that keeps its own keys: Return opens the chosen row and the arrows move in
    it, instead of the window's shortcuts of the same keys (Return accepts a suggestion);
    Escape gives the keys back (``escaped``)."""

    escaped = Signal()

    OWN_KEYS = frozenset(
        {
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_Escape,
        }
    )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in self.OWN_KEYS
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            == Qt.KeyboardModifier.NoModifier
        ):
            event.accept()  # then it arrives as a key press, not as the window's shortcut
            return True
        return super().event(event)


class Inspector(QWidget):
    WIDTH = 300

    itemActivated = Signal(object)  # a Span or Suggestion chosen in the list
    #: A claim of another article chosen in "Same claim elsewhere" (a ClaimEntry).
    otherClaimActivated = Signal(object)
    claimTypeChosen = Signal(str)
    hedgedToggled = Signal(bool)
    #: The claim's number slots as edited ("33 | air strikes; 40 % | Merren province").
    quantitiesEdited = Signal(str)
    #: Escape in the annotations list or the figures line: the keys go back to the article.
    keysReturned = Signal()
    #: Why a key did nothing, for the status bar.
    notice = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view: DocumentView | None = None
        self._schema: LabelSchema | None = None
        self._items: list[Span | Suggestion] = []
        self._shown: Span | Suggestion | None = None
        self._updating = False

        layout = QVBoxLayout(self)
        details = QGroupBox("Focused", self)
        form = QFormLayout(details)
        self.kind = label()
        self.text = label()
        self.text.setWordWrap(True)
        self.origin = label()
        self.origin.setWordWrap(True)
        self.claimant = label()
        self.claimant.setWordWrap(True)
        self.cue = label()
        self.claim_type = QComboBox(self)
        self.hedged = QCheckBox("hedged", self)
        self.quantities = _FiguresEdit(self)
        self.quantities.setObjectName("claim-quantities")
        # Greyed example text must not read as this claim's figures.
        self.quantities.setPlaceholderText("none (e.g. 33 | air strikes)")
        self.quantities.setToolTip(
            "The claim's figures: figure, unit if any, a bar, what is counted; entries are "
            "separated by “;”. Return records the change (one undoable step)."
        )
        form.addRow("Label", self.kind)
        form.addRow("Text", self.text)
        form.addRow("Origin", self.origin)
        form.addRow("Claimant", self.claimant)
        form.addRow("Cue", self.cue)
        form.addRow("Claim type", self.claim_type)
        form.addRow("", self.hedged)
        form.addRow("Figures", self.quantities)
        self._form = form
        #: Rows that only mean something for a claim (hidden for entities).
        self._claim_rows = (self.claimant, self.cue, self.claim_type, self.hedged, self.quantities)
        self.origin.setWordWrap(True)
        layout.addWidget(details)

        # The focused claim in other articles (annotator.ui.claim_matches fills it).
        self.elsewhere = QGroupBox("Same claim elsewhere", self)
        elsewhere = QVBoxLayout(self.elsewhere)
        self.elsewhere_note = label()
        self.elsewhere_note.setWordWrap(True)
        self.others = OwnKeysList(self.elsewhere)
        self.others.setObjectName("same-claim-elsewhere")
        # A few reports, each wrapped onto lines of its own: no sideways scrolling to read one.
        self.others.setWordWrap(True)
        self.others.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.others.setMaximumHeight(self.others.fontMetrics().lineSpacing() * 8)
        self.others.itemActivated.connect(self._other_activated)
        self.others.itemClicked.connect(self._other_activated)
        elsewhere.addWidget(self.elsewhere_note)
        elsewhere.addWidget(self.others)
        self._others: list[ClaimEntry] = []
        layout.addWidget(self.elsewhere)
        self.show_matches(None)
        # A fixed width: the article beside it must not re-wrap when the focus changes.
        self.setFixedWidth(self.WIDTH)

        # Its own keys, as in "Same claim elsewhere": Return focuses the chosen row in the
        # article instead of accepting the article's suggestion, Escape goes back there.
        self.list = OwnKeysList(self)
        self.list.setObjectName("annotations-list")
        self.list.setUniformItemSizes(True)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout.addWidget(label("Annotations and suggestions", self))
        layout.addWidget(self.list, 1)

        self.claim_type.currentTextChanged.connect(self._type_changed)
        self.hedged.toggled.connect(self._hedged_changed)
        self.quantities.returnPressed.connect(self._quantities_entered)
        self.quantities.escaped.connect(self._quantities_escaped)
        self.list.escaped.connect(self.keysReturned)
        self.show_item(None)

    def set_schema(self, schema: LabelSchema) -> None:
        self._schema = schema
        self._updating = True
        self.claim_type.clear()
        self.claim_type.addItems(list(schema.claim_types))
        self._updating = False
        # Descriptions may have changed: refresh the tooltips already shown.
        for row, item in enumerate(self._items):
            entry = self.list.item(row)
            if entry is not None:
                entry.setToolTip(self._help(item))
        self.kind.setToolTip(self._help(self._shown) if self._shown is not None else "")

    def _help(self, item: Span | Suggestion) -> str:
        """The item's label explained (its description from the schema), as a tooltip."""
        if self._schema is None:
            return tooltip(item.label)
        name = self._schema.claim_label if item.layer is Layer.CLAIM else item.label
        return tooltip(label_help(self._schema, name))

    def set_view(self, view: DocumentView | None) -> None:
        self._view = view
        self.list.clear()
        self._items = []
        if view is None:
            return
        items = in_walk_order(view)
        self._items = items
        text = view.document.text
        # Hundreds of items share a handful of labels: explain each label once per document
        # and make one italic font (this runs on every document switch).
        helps: dict[tuple[Layer, str], str] = {}
        italic = None
        for item in items:
            entry = QListWidgetItem(describe(item, text))
            key = (item.layer, item.label)
            help_text = helps.get(key)
            if help_text is None:
                help_text = helps[key] = self._help(item)
            entry.setToolTip(help_text)
            if isinstance(item, Suggestion):
                if italic is None:
                    italic = entry.font()
                    italic.setItalic(True)
                entry.setFont(italic)
            self.list.addItem(entry)

    def _activated(self, entry: QListWidgetItem) -> None:
        row = self.list.row(entry)
        if 0 <= row < len(self._items):
            self.itemActivated.emit(self._items[row])

    def show_item(self, item: Span | Suggestion | None) -> None:
        self._updating = True
        self._shown = item
        try:
            view = self._view
            self.kind.setToolTip(self._help(item) if item is not None else "")
            is_claim = item is not None and item.layer is Layer.CLAIM
            for widget in self._claim_rows:
                self._form.setRowVisible(widget, is_claim)
            for widget in (self.claim_type, self.hedged, self.quantities):
                # A suggestion's proposal is shown, not edited: accept it first.
                widget.setEnabled(is_claim and isinstance(item, Span))
            if item is None or view is None:
                for widget in (self.kind, self.text, self.origin, self.claimant, self.cue):
                    widget.setText("—")
                return
            text = view.document.text
            kind = item.label
            if isinstance(item, Suggestion):
                behind = behind_of(item)
                kind += " (suggested)" if behind is None else f" (suggested, behind {behind})"
            self.kind.setText(kind)
            self.text.setText(excerpt(text, item.start, item.end))
            if isinstance(item, Suggestion) and item.layer is Layer.ENTITY:
                # "gazetteer + model (0.91): …": the combined reason names the score.
                self.origin.setText(item.reason)
            elif isinstance(item, Suggestion):
                self.origin.setText(f"score {item.score:.2f} — {item.reason}")
            else:
                self.origin.setText(f"{item.origin} by {item.annotator}")
            self.claimant.setText("—")
            self.cue.setText("—")
            self.quantities.setText(_quantities_line(item.attributes))
            self.quantities.setCursorPosition(0)  # show the first figure, not the line's end
            if isinstance(item, Span) and item.claim is not None:
                claimant = view.span(item.claim.claimant_id) if item.claim.claimant_id else None
                self.claimant.setText(
                    "unattributed"
                    if claimant is None
                    else f"{claimant.label}: {excerpt(text, claimant.start, claimant.end)}"
                )
                if item.claim.cue is not None:
                    self.cue.setText(excerpt(text, *item.claim.cue))
                self.claim_type.setCurrentText(item.claim.claim_type)
                self.hedged.setChecked(item.claim.hedged)
            elif isinstance(item, Suggestion) and item.layer is Layer.CLAIM:
                attrs = item.attributes
                if attrs.get("claimant"):
                    start, end = attrs["claimant"][:2]
                    # A claimant referred back to says how it was found ("‘the ministry’ →
                    # Varnian Ministry of Defence, 2 sentences earlier").
                    resolved = attrs.get("claimant_reason")
                    shown = str(resolved) if resolved else excerpt(text, start, end)
                    self.claimant.setText(f"proposed: {shown}")
                else:
                    self.claimant.setText("none proposed")
                if attrs.get("cue"):
                    self.cue.setText(excerpt(text, *attrs["cue"][:2]))
                proposed = str(attrs.get("type", "other"))
                if self.claim_type.findText(proposed) < 0:
                    self.claim_type.addItem(proposed)
                self.claim_type.setCurrentText(proposed)
                self.hedged.setChecked(bool(attrs.get("hedged", False)))
            if item in self._items:
                self.list.setCurrentRow(self._items.index(item))
        finally:
            self._updating = False

    def show_matches(self, matches: list[tuple[ClaimEntry, Match | None]] | str | None) -> None:
        """The focused claim's reports in other articles: ``None`` hides the box (no claim
        focused), a string is shown as it is (still looking, or why not), a list fills it."""
        self.others.clear()
        self._others = []
        self.elsewhere.setVisible(matches is not None)
        if matches is None:
            return
        if isinstance(matches, str):
            self.elsewhere_note.setText(matches)
            self.others.setVisible(False)
            return
        articles = len({entry.document_id for entry, _match in matches})
        self.elsewhere_note.setText(
            f"also reported in {articles} article{'s' if articles != 1 else ''}"
            if articles
            else "not reported in other articles"
        )
        self.others.setVisible(bool(matches))
        for entry, match in matches:
            where = entry.where
            place = where.outlet or entry.title or entry.document
            if where.date:
                place += f", {where.date}"
            item = QListWidgetItem(f"{place}: {excerpt(entry.text, 0, len(entry.text))}")
            why = match.describe() if match is not None else "matched through another report"
            lines = [entry.title, why] + ([where.url] if where.url else [])
            item.setToolTip(tooltip("\n".join(lines)))
            self.others.addItem(item)
            self._others.append(entry)

    def _other_activated(self, entry: QListWidgetItem) -> None:
        row = self.others.row(entry)
        if 0 <= row < len(self._others):
            self.otherClaimActivated.emit(self._others[row])

    def _type_changed(self, value: str) -> None:
        if not self._updating and value:
            self.claimTypeChosen.emit(value)

    def _hedged_changed(self, value: bool) -> None:
        if not self._updating:
            self.hedgedToggled.emit(value)

    def focus_figures(self) -> None:
        """Annotate > Edit claim figures (Ctrl+Shift+F): the keys go to the focused claim's
        Figures line, its text selected to be typed over; Return records it, Escape leaves it
        as it was."""
        shown = self._shown
        if not (isinstance(shown, Span) and shown.layer is Layer.CLAIM):
            self.notice.emit(
                "Accept the suggested claim (Enter) to edit its figures."
                if isinstance(shown, Suggestion) and shown.layer is Layer.CLAIM
                else "Focus a claim (Tab) to edit its figures."
            )
            return
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget) and not dock.isVisible():
            dock.show()  # closed by hand: the line must be on screen to take the keys
        self.quantities.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.quantities.selectAll()

    def _quantities_escaped(self) -> None:
        shown = self._shown
        if shown is not None:
            self.quantities.setText(_quantities_line(shown.attributes))
            self.quantities.setCursorPosition(0)
        self.keysReturned.emit()

    def _quantities_entered(self) -> None:
        shown = self._shown
        if self._updating or not isinstance(shown, Span):
            return
        if self.quantities.text().strip() != _quantities_line(shown.attributes):
            self.quantitiesEdited.emit(self.quantities.text())


def _quantities_line(attributes: dict[str, object]) -> str:
    """The number slots as the inspector shows them; "" when there are none or they cannot be
    read (an imported file's own shape: shown as nothing rather than failing the view)."""
    try:
        return shown_line(from_attributes(dict(attributes)))
    except QuantityError:
        return ""
