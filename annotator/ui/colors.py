"""Colours of the article view's highlights.

Fills are the label colour with partial alpha instead of a fixed pastel: Qt blends them over
whatever the palette's base is, so one value reads as a light tint on a white page and a dark
tint on a dark page, and the palette's text colour stays readable on both.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QColor

from annotator.core.schema import LabelSchema

__all__ = [
    "CLAIM_FOCUS_ALPHA",
    "ENTITY_ALPHA",
    "FALLBACK_COLOR",
    "FOCUS_ALPHA",
    "IGNORED_COLOR",
    "SUGGESTION_ALPHA",
    "blend",
    "contrast_ratio",
    "label_color",
    "qcolor",
]

#: A confirmed entity's fill: clearly coloured, text on it still reads in both palettes.
ENTITY_ALPHA: Final = 95
#: The focused item's fill: much stronger than a plain fill so it stands out among many.
FOCUS_ALPHA: Final = 165
#: A pending suggestion's faint tint; the dashed underline is its main mark.
SUGGESTION_ALPHA: Final = 28
#: A focused claim's tint, light because a claim is often a whole sentence.
CLAIM_FOCUS_ALPHA: Final = 40
#: Boilerplate text: a mid grey reads as "greyed out" on light and dark bases alike.
IGNORED_COLOR: Final = "#8c8c8c"
#: Labels the schema does not know (an old suggester's label) still get drawn.
FALLBACK_COLOR: Final = "#999999"


def label_color(schema: LabelSchema, layer_is_claim: bool, label: str) -> str:
    """The ``#rrggbb`` colour of a label (the claim colour for the claim layer)."""
    if layer_is_claim:
        return schema.claim_color
    for entity in schema.entities:
        if entity.name == label:
            return entity.color
    return FALLBACK_COLOR


def qcolor(hex_color: str, alpha: int = 255) -> QColor:
    color = QColor(hex_color)
    if not color.isValid():
        color = QColor(FALLBACK_COLOR)
    color.setAlpha(alpha)
    return color


def blend(color: QColor, base: QColor) -> QColor:
    """``color`` (with its alpha) drawn over the opaque ``base``: what the reader sees."""
    a = color.alphaF()
    return QColor.fromRgbF(
        color.redF() * a + base.redF() * (1 - a),
        color.greenF() * a + base.greenF() * (1 - a),
        color.blueF() * a + base.blueF() * (1 - a),
    )


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21; body text wants 4.5 or more)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
