"""The label bar: one button per entity label with its hotkey, plus the claim button; each
button's tooltip is the label's description from the schema (escaped: it is data)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from annotator.core.errors import SchemaError
from annotator.core.schema import LabelSchema
from annotator.ui.plain import tooltip


def _readable_on(color: str) -> str:
    c = QColor(color)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return "#000000" if luminance > 140 else "#ffffff"


CLAIM_HELP = (
    "A check-worthy claim: select it (or put the cursor in its sentence) and press the key; "
    "then link its claimant (L) and cue (U)."
)


def label_help(schema: LabelSchema, name: str) -> str:
    """The plain text that explains label ``name``: its name, hotkey and description."""
    if name == schema.claim_label:
        key = schema.claim_hotkey
        description = CLAIM_HELP
    else:
        try:
            entity = schema.entity(name)
        except SchemaError:
            return f"{name}: not a label of this project's schema"
        key, description = entity.hotkey, entity.description.strip()
    head = f"{name} (key {key.upper()})" if key else name
    return f"{head}\n{description}" if description else head


class LabelBar(QWidget):
    labelChosen = Signal(str)
    claimChosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self._layout.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}

    def set_schema(self, schema: LabelSchema) -> None:
        """Rebuild the buttons for ``schema``: names, hotkeys, colours, and each label's
        description as its tooltip (so a schema change shows new descriptions at once)."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons.clear()
        for label in schema.entities:
            key = f"{label.hotkey} " if label.hotkey else ""
            button = self._button(f"{key}{label.name}", label.color, label_help(schema, label.name))
            button.clicked.connect(lambda _=False, name=label.name: self.labelChosen.emit(name))
            self.buttons[label.name] = button
        key = f"{schema.claim_hotkey.upper()} " if schema.claim_hotkey else ""
        claim = self._button(
            f"{key}{schema.claim_label}", schema.claim_color, label_help(schema, schema.claim_label)
        )
        claim.clicked.connect(self.claimChosen.emit)
        self.buttons[schema.claim_label] = claim
        self._layout.addStretch(1)

    def _button(self, text: str, color: str, description: str) -> QPushButton:
        button = QPushButton(text, self)
        # Buttons are for the mouse; the keyboard uses the hotkeys shown on them.
        button.setFocusPolicy(button.focusPolicy().NoFocus)
        button.setToolTip(tooltip(description))
        button.setStyleSheet(
            f"QPushButton {{ background: {color}; color: {_readable_on(color)};"
            " border-radius: 3px; padding: 2px 8px; }"
        )
        self._layout.addWidget(button)
        return button
