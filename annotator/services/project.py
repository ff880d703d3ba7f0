"""Opening a project: the database, and the demo articles on a brand-new default project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.resources import resource
from annotator.storage.database import Database
from annotator.storage.engine import default_path, mask, resolve_url, sqlite_path

if TYPE_CHECKING:
    # At run time imported where used: only a brand-new default project imports anything.
    from annotator.services.importing import ImportSummary


def is_default_target(target: str | Path | None) -> bool:
    return sqlite_path(resolve_url(target)) == default_path()


def seed_demo(db: Database) -> ImportSummary | None:
    """Import the bundled demo articles into an empty database (first run only)."""
    from annotator.services.importing import import_paths

    with db.read() as store:
        if store.document_count() > 0:
            return None
    demo = resource("demo")
    # Importers read real files; in a zipped install the folder may not be a directory.
    folder = Path(str(demo))
    if not folder.is_dir():
        return None
    return import_paths(db, sorted(folder.rglob("*.txt")), fmt="txt")


def open_project(
    target: str | Path | None = None,
    *,
    seed: bool = True,
    create: bool = True,
    backup_interval: float | None = None,
    backup_keep: int | None = None,
    defer_checks: bool = False,
) -> Database:
    """Open (or create) the project; a new default project gets the demo articles. With
    ``create=False`` a SQLite file that does not exist is refused ("no project at PATH")
    instead of becoming an empty project: what commands that work on an existing project
    want, so that a mistyped ``--db`` is an error. The backup values (None: the defaults)
    are the user's preferences, and ``defer_checks`` leaves the integrity check and the backup
    for after the window shows (see ``Database.open``)."""
    backup: dict[str, Any] = {}
    if backup_interval is not None:
        backup["backup_interval"] = backup_interval
    if backup_keep is not None:
        backup["backup_keep"] = backup_keep
    db = Database.open(target, create=create, defer_checks=defer_checks, **backup)
    if seed and db.report.created and is_default_target(target):
        seed_demo(db)
    return db


def shown_target(target: str) -> str:
    """A ``--db`` value fit for messages: a URL without its password, a path as typed."""
    return mask(target) if "://" in target else target


def location(target: str | Path | None) -> str:
    """Where ``target`` (a path, URL or None: the default) points, as messages show it: the
    SQLite file's path, else the URL without its password."""
    url = resolve_url(target)
    return str(sqlite_path(url) or mask(url))
