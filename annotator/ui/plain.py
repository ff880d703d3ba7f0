"""Article text is data, never markup: helpers that keep Qt from rendering it as HTML.

QLabel, QMessageBox and tooltips guess "rich text" from content such as ``<b>``; an article
containing ``<img src=...>`` would render and load files (docs/ARCHITECTURE.md, "Untrusted text").
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally (Qt renders tooltips as rich text if they
    look like it, so send escaped rich text that cannot contain markup of its own)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def label(text: str = "", parent: QWidget | None = None) -> QLabel:
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    return widget


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    details: str | None = None,
) -> QMessageBox:
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if details:
        box.setDetailedText(details)  # always plain text
    return box
