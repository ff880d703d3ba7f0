"""The application's theme: the system's look, or a fixed light or dark palette.

Light and dark use the Fusion style, the one style that draws every widget from the palette
(native styles ignore parts of it, which gives dark text on dark buttons). "system" puts back
the style and palette the application started with. Highlights stay readable in both fixed
palettes because their fills are translucent over the palette's base (see ``colors.py``).
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

#: (role, active/inactive colour, disabled colour) for each fixed theme.
_LIGHT: Final = {
    _Role.Window: ("#efefef", "#efefef"),
    _Role.WindowText: ("#1e1e1e", "#8a8a8a"),
    _Role.Base: ("#ffffff", "#f4f4f4"),
    _Role.AlternateBase: ("#f5f5f5", "#f5f5f5"),
    _Role.Text: ("#1e1e1e", "#8a8a8a"),
    _Role.PlaceholderText: ("#767676", "#a0a0a0"),
    _Role.Button: ("#e6e6e6", "#ececec"),
    _Role.ButtonText: ("#1e1e1e", "#8a8a8a"),
    _Role.BrightText: ("#ffffff", "#ffffff"),
    _Role.ToolTipBase: ("#ffffdc", "#ffffdc"),
    _Role.ToolTipText: ("#1e1e1e", "#1e1e1e"),
    _Role.Highlight: ("#308cc6", "#c0c0c0"),
    _Role.HighlightedText: ("#ffffff", "#ffffff"),
    _Role.Link: ("#0b57d0", "#7a9ad0"),
    _Role.LinkVisited: ("#6b3fa0", "#9a86b0"),
}
_DARK: Final = {
    _Role.Window: ("#2b2b2b", "#2b2b2b"),
    _Role.WindowText: ("#e6e6e6", "#7a7a7a"),
    _Role.Base: ("#1e1e1e", "#262626"),
    _Role.AlternateBase: ("#262626", "#262626"),
    _Role.Text: ("#e6e6e6", "#7a7a7a"),
    _Role.PlaceholderText: ("#9a9a9a", "#6a6a6a"),
    _Role.Button: ("#353535", "#303030"),
    _Role.ButtonText: ("#e6e6e6", "#7a7a7a"),
    _Role.BrightText: ("#ff6b6b", "#ff6b6b"),
    _Role.ToolTipBase: ("#3a3a3a", "#3a3a3a"),
    _Role.ToolTipText: ("#e6e6e6", "#e6e6e6"),
    _Role.Highlight: ("#3d7fc4", "#505050"),
    _Role.HighlightedText: ("#ffffff", "#c0c0c0"),
    _Role.Link: ("#8ab4f8", "#6a7fa0"),
    _Role.LinkVisited: ("#c58af9", "#8a7aa0"),
}

#: What the application looked like before a fixed theme was applied, to go back to.
_system: tuple[str, QPalette] | None = None


def palette(theme: str) -> QPalette:
    """The fixed palette of ``theme`` ("light" or "dark")."""
    table = {"light": _LIGHT, "dark": _DARK}.get(theme)
    if table is None:
        raise ValueError(f"no fixed palette for theme {theme!r}")
    result = QPalette()
    for role, (normal, disabled) in table.items():
        for group in (_Group.Active, _Group.Inactive):
            result.setColor(group, role, QColor(normal))
        result.setColor(_Group.Disabled, role, QColor(disabled))
    return result


def apply_theme(theme: str, app: QApplication | None = None) -> None:
    """Apply "system", "light" or "dark" to the whole application."""
    global _system
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        return
    if theme == "system":
        if _system is None:
            return  # never changed: nothing to undo (and no repolish of every widget)
        style, original = _system
        if app.style().name() != style:
            app.setStyle(style)
        app.setPalette(original)
        return
    if _system is None:
        _system = (app.style().name(), QPalette(app.palette()))
    chosen = palette(theme)
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(chosen)
