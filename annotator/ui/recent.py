"""Recent projects (File > Open recent) and the requests to open another project.

The list lives in the per-user settings, most recent first, at most :data:`MAX_RECENT`. It holds
SQLite files (absolute paths) and database URLs without any credential (no password, no
``?password=`` or ``?sslpassword=``): a secret must never be written into a settings file, and a
masked URL could not be opened again; libpq finds the password itself when it is opened.
Files that are gone stay in the list but are shown disabled (a project on an unplugged drive
comes back); "Remove missing projects" drops them.

The list functions take a :class:`QSettings`, so tests run them against a settings file in a
temporary config directory; the menu only shows what they return.

Opening a project is not the window's job: the window emits :func:`request_open` and the
composition root (``annotator.app``) locks, opens and swaps the window, or refuses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

# How the title bar names a project and what this list remembers for it (annotator.app and the
# window use them from here, with the list).
from annotator.services.project import project_label as project_label
from annotator.services.project import recent_target as recent_target
from annotator.services.project import writable_target
from annotator.ui.settings import open_settings

if TYPE_CHECKING:
    from annotator.services.project import OpenProject

MAX_RECENT = 8
KEY = "recent/projects"
PROJECT_FILTER = "Annotator projects (*.sqlite *.sqlite3 *.db);;All files (*)"


@dataclass(frozen=True, slots=True)
class RecentProject:
    target: str  # what --db takes: an absolute SQLite path or a URL
    available: bool  # False: the file is not there (moved, deleted, drive not mounted)

    @property
    def is_url(self) -> bool:
        return "://" in self.target

    @property
    def label(self) -> str:
        """Menu text: the file name and its folder, or the URL."""
        if self.is_url:
            return self.target
        path = Path(self.target)
        return f"{path.name}  ({path.parent})"


def _same(a: str, b: str) -> bool:
    if "://" in a or "://" in b:
        return a == b
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def load(settings: QSettings) -> list[str]:
    value = settings.value(KEY)
    # The INI format reads a one-element list back as a plain string and an empty one as None.
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = [value]
    else:
        items = [str(v) for v in value]
    unique: list[str] = []
    for item in items:
        kept = writable_target(item) if item else None
        if kept and not any(_same(kept, seen) for seen in unique):
            unique.append(kept)
    if unique != items:
        _store(settings, unique)  # a credential found in the file does not stay there
    return unique[:MAX_RECENT]


def _store(settings: QSettings, items: list[str]) -> list[str]:
    items = [kept for kept in map(writable_target, items) if kept]
    settings.setValue(KEY, items)
    settings.sync()
    return items


def remember(settings: QSettings, target: str) -> list[str]:
    """Put ``target`` first; the oldest entry beyond :data:`MAX_RECENT` drops off."""
    items = [target, *(item for item in load(settings) if not _same(item, target))]
    return _store(settings, items[:MAX_RECENT])


def forget(settings: QSettings, target: str) -> list[str]:
    return _store(settings, [item for item in load(settings) if not _same(item, target)])


def forget_missing(settings: QSettings) -> list[str]:
    return _store(settings, [p.target for p in entries(settings) if p.available])


def clear(settings: QSettings) -> None:
    _store(settings, [])


def entries(settings: QSettings) -> list[RecentProject]:
    return [RecentProject(item, "://" in item or Path(item).is_file()) for item in load(settings)]


# -- opening another project ---------------------------------------------------------------


class ProjectRequests(QObject):
    """Carries "open this project" from any window to whoever opens projects (app.py)."""

    openRequested = Signal(str)


_requests: ProjectRequests | None = None


def requests() -> ProjectRequests:
    global _requests
    if _requests is None:
        _requests = ProjectRequests()
    return _requests


def request_open(target: str) -> None:
    requests().openRequested.emit(target)


def _start_folder(db: OpenProject | None) -> str:
    if db is not None and db.path is not None:
        return str(db.path.parent)
    return str(Path.home())


def choose_project(parent: QWidget, db: OpenProject | None = None) -> None:
    """File > Open project: pick an existing project file."""
    path, _ = QFileDialog.getOpenFileName(parent, "Open project", _start_folder(db), PROJECT_FILTER)
    if path:
        request_open(path)


class RecentMenu(QMenu):
    """File > Open recent, rebuilt each time it opens (another window may have added one)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("Open &recent", parent)
        self.setObjectName("recent-menu")
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        settings = open_settings()
        items = entries(settings)
        for number, item in enumerate(items, start=1):
            text = item.label.replace("&", "&&")  # "&" would make a mnemonic
            if not item.available:
                text += " — not found"
            action = self.addAction(f"&{number}  {text}")
            action.setToolTip(item.target)
            action.setStatusTip(item.target)
            action.setEnabled(item.available)
            action.triggered.connect(lambda _checked=False, t=item.target: request_open(t))
        if not items:
            self.addAction("No recent projects").setEnabled(False)
            return
        self.addSeparator()
        missing = self.addAction("Remove &missing projects")
        missing.setEnabled(not all(item.available for item in items))
        missing.triggered.connect(lambda _checked=False: forget_missing(open_settings()))
        self.addAction("&Clear list").triggered.connect(
            lambda _checked=False: clear(open_settings())
        )
