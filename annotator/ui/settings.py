"""Per-user settings (annotator name, window layout, preferences) in the platform's config
directory.

Only choices of this user on this computer live here, never anything secret (recent projects
keep database URLs without any credential, see :mod:`annotator.ui.recent`): project-wide
values are project settings in the database. Values come
back from an ini file as text, so every reader falls back to its default on a value it cannot
use instead of failing the start.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import platformdirs
from PySide6.QtCore import QSettings

from annotator.core.errors import InputError
from annotator.core.model import GOLD_ANNOTATOR
from annotator.services.project import BACKUP_DEFAULTS

log = logging.getLogger(__name__)

NAME_KEY: Final = "annotator/name"
THEME_KEY: Final = "appearance/theme"
FONT_FAMILY_KEY: Final = "view/font_family"
#: The preferred size; ``view/font_size`` is the zoomed size the window saves on close.
FONT_SIZE_KEY: Final = "view/base_font_size"
ZOOM_KEY: Final = "view/font_size"
SUGGESTERS_GROUP: Final = "suggesters"
BACKUP_INTERVAL_KEY: Final = "backup/interval_hours"
BACKUP_KEEP_KEY: Final = "backup/keep"

THEMES: Final = ("system", "light", "dark")
DEFAULT_BACKUP_HOURS: Final = BACKUP_DEFAULTS.interval_hours
MAX_BACKUP_HOURS: Final = 24 * 30
MAX_BACKUP_KEEP: Final = 100
MIN_FONT_SIZE: Final = 6.0
MAX_FONT_SIZE: Final = 48.0


def config_dir() -> Path:
    override = os.environ.get("ANNOTATOR_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("annotator", appauthor=False))


def open_settings() -> QSettings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)


def check_annotator_name(name: str) -> str:
    """The name as it will be stored (trimmed); raises :class:`InputError` for an empty name
    or the name reserved for the adjudicated gold layer."""
    cleaned = name.strip()
    if not cleaned:
        raise InputError("the annotator name is empty", field="annotator name")
    if cleaned.casefold() == GOLD_ANNOTATOR:
        raise InputError(
            f"{GOLD_ANNOTATOR!r} is reserved for the adjudicated gold layer; choose another name",
            field="annotator name",
        )
    return cleaned


@dataclass(frozen=True, slots=True)
class Preferences:
    """What Edit > Preferences shows and stores."""

    annotator: str | None = None
    theme: str = "system"
    #: None: the application's default font.
    font_family: str | None = None
    font_size: float | None = None
    #: Suggester name -> on/off for this user; a suggester not named follows the project.
    suggesters: Mapping[str, bool] = field(default_factory=dict)
    backup_interval_hours: float = DEFAULT_BACKUP_HOURS
    backup_keep: int = BACKUP_DEFAULTS.keep

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise InputError(f"must be one of {', '.join(THEMES)}", field="theme")
        if not 0 <= self.backup_interval_hours <= MAX_BACKUP_HOURS:
            raise InputError(
                f"must be between 0 and {MAX_BACKUP_HOURS} hours", field="backup interval"
            )
        if not 1 <= self.backup_keep <= MAX_BACKUP_KEEP:
            raise InputError(f"must be between 1 and {MAX_BACKUP_KEEP}", field="backups kept")
        if self.font_size is not None and not MIN_FONT_SIZE <= self.font_size <= MAX_FONT_SIZE:
            raise InputError(
                f"must be between {MIN_FONT_SIZE:g} and {MAX_FONT_SIZE:g} points",
                field="font size",
            )

    @property
    def backup_interval_seconds(self) -> float:
        return self.backup_interval_hours * 3600

    def open_options(self) -> dict[str, Any]:
        """Keyword arguments for ``Database.open`` (via ``open_project``)."""
        return {
            "backup_interval": self.backup_interval_seconds,
            "backup_keep": self.backup_keep,
        }


def _text(settings: QSettings, key: str) -> str | None:
    value = settings.value(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _number(settings: QSettings, key: str, default: float, low: float, high: float) -> float:
    value = settings.value(key)
    if value is None:
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and low <= number <= high):
        log.warning(
            "setting %s=%r in %s is unusable; using %s", key, value, settings.fileName(), default
        )
        return default
    return number


def _flag(value: Any) -> bool | None:
    text = str(value).strip().lower()
    if text in {"on", "true", "1", "yes"}:
        return True
    if text in {"off", "false", "0", "no"}:
        return False
    return None


def load_preferences(settings: QSettings | None = None) -> Preferences:
    settings = settings or open_settings()
    theme = _text(settings, THEME_KEY) or "system"
    if theme not in THEMES:
        log.warning("setting %s=%r is not one of %s; using system", THEME_KEY, theme, THEMES)
        theme = "system"
    size = settings.value(FONT_SIZE_KEY)
    suggesters: dict[str, bool] = {}
    settings.beginGroup(SUGGESTERS_GROUP)
    try:
        for name in settings.childKeys():
            flag = _flag(settings.value(name))
            if flag is not None:
                suggesters[name] = flag
    finally:
        settings.endGroup()
    return Preferences(
        annotator=_text(settings, NAME_KEY),
        theme=theme,
        font_family=_text(settings, FONT_FAMILY_KEY),
        font_size=None
        if size is None
        else _number(settings, FONT_SIZE_KEY, 10.0, MIN_FONT_SIZE, MAX_FONT_SIZE),
        suggesters=suggesters,
        backup_interval_hours=_number(
            settings, BACKUP_INTERVAL_KEY, DEFAULT_BACKUP_HOURS, 0, MAX_BACKUP_HOURS
        ),
        backup_keep=int(
            _number(settings, BACKUP_KEEP_KEY, BACKUP_DEFAULTS.keep, 1, MAX_BACKUP_KEEP)
        ),
    )


def save_preferences(preferences: Preferences, settings: QSettings | None = None) -> None:
    settings = settings or open_settings()
    if preferences.annotator is not None:
        settings.setValue(NAME_KEY, check_annotator_name(preferences.annotator))
    settings.setValue(THEME_KEY, preferences.theme)
    for key, value in (
        (FONT_FAMILY_KEY, preferences.font_family),
        (FONT_SIZE_KEY, preferences.font_size),
    ):
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)
    settings.remove(SUGGESTERS_GROUP)
    settings.beginGroup(SUGGESTERS_GROUP)
    try:
        for name, on in sorted(preferences.suggesters.items()):
            settings.setValue(name, "on" if on else "off")
    finally:
        settings.endGroup()
    settings.setValue(BACKUP_INTERVAL_KEY, preferences.backup_interval_hours)
    settings.setValue(BACKUP_KEEP_KEY, preferences.backup_keep)
    settings.sync()
