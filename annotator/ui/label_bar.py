"""The label bar: one button per entity label with its hotkey, plus the claim button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from annotator.core.schema import LabelSchema
from annotator.ui.plain import tooltip


def _readable_on(color: str) -> str:
    c = QColor(color)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return "#000000" if luminance > 140 else "#ffffff"


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
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons.clear()
        for label in schema.entities:
            key = f"{label.hotkey} " if label.hotkey else ""
            button = self._button(f"{key}{label.name}", label.color, label.description)
            button.clicked.connect(lambda _=False, name=label.name: self.labelChosen.emit(name))
            self.buttons[label.name] = button
        key = f"{schema.claim_hotkey.upper()} " if schema.claim_hotkey else ""
        claim = self._button(f"{key}{schema.claim_label}", schema.claim_color, "Make a claim")
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
