"""Opening a project (the database, and the demo articles on a brand-new default project), and
what the window and the command line say about one: its name, where it is, where its backups
and new projects go, and what may be written down to open it again.

The window holds the open project only as :data:`OpenProject`, a name for annotations: it hands
it to services and asks these functions about it, and never reaches storage itself
(docs/adr/0038-ui-reaches-storage-through-services.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import StorageError
from annotator.core.resources import resource
from annotator.storage.backup import DEFAULT_KEEP, backup_dir
from annotator.storage.database import BACKUP_INTERVAL_SECONDS, Database
from annotator.storage.engine import (
    data_dir,
    default_path,
    has_credentials,
    mask,
    remembered,
    resolve_url,
    sqlite_path,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    # At run time imported where used: only a brand-new default project imports anything.
    from annotator.services.importing import ImportSummary

    #: The open project, for annotations only: what :func:`open_project` returns and every
    #: service takes. Defined for type checkers alone, so that code above services can name
    #: the type without being able to open, query or write a database with it.
    OpenProject: TypeAlias = Database


def project_file(target: str | os.PathLike[str] | None) -> Path | None:
    """The SQLite file ``target`` (as ``--db`` takes it) names; None for a server database
    or one in memory."""
    return sqlite_path(resolve_url(target))


def is_default_target(target: str | Path | None) -> bool:
    return project_file(target) == default_path()


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


def project_label(db: Database) -> str:
    """How the title bar names a project: the file's stem, or the (masked) URL."""
    return db.path.stem if db.path is not None else db.display_url


def recent_target(db: Database) -> str:
    """What recent projects remember for ``db``: its file, or its URL without any credential
    (libpq finds the password itself when it is opened again)."""
    if db.path is not None:
        return str(db.path)
    return remembered(db.url)


def writable_target(item: str) -> str | None:
    """A recent project's target as it may stand in a settings file: a path as it is, a URL
    without its credentials; None for text that is not a database URL at all (it could not be
    opened and cannot be shown safely). Raises nothing."""
    if "://" not in item:
        return item
    try:
        url = resolve_url(item)
    except StorageError:
        return None
    return remembered(url) if has_credentials(url) else item


def same_project(target: str, db: Database | None) -> bool:
    """Whether ``target`` (a path or URL) names the project ``db`` has open."""
    if db is None:
        return False
    path = project_file(target)
    if path is not None and db.path is not None:
        return path.resolve() == db.path.resolve()
    return resolve_url(target).render_as_string(False) == db.url.render_as_string(False)


def new_project_file() -> Path:
    """Where File > New project proposes the next project: a file name in the per-user data
    folder that is not taken yet."""
    folder = data_dir()
    candidate = folder / "project.sqlite"
    number = 2
    while candidate.exists():
        candidate = folder / f"project-{number}.sqlite"
        number += 1
    return candidate


@dataclass(frozen=True, slots=True)
class ProjectPlaces:
    """Where the open project and the files around it are, as Help > About shows them."""

    #: The project: its file, or its URL without the password.
    project: str
    #: The folder of its automatic backups; None when the database server keeps them.
    backups: Path | None
    #: Where new projects (and the default one) go.
    default_folder: Path


def places(db: Database) -> ProjectPlaces:
    """Where ``db`` and the files around it are (reads nothing from the database)."""
    path = db.path
    return ProjectPlaces(
        project=db.display_url,
        backups=backup_dir(path) if path is not None else None,
        default_folder=data_dir(),
    )


@dataclass(frozen=True, slots=True)
class BackupDefaults:
    """The automatic backup when the user's preferences say nothing: what
    :func:`open_project` does when given no ``backup_interval`` or ``backup_keep``."""

    interval_hours: float
    keep: int


BACKUP_DEFAULTS = BackupDefaults(interval_hours=BACKUP_INTERVAL_SECONDS / 3600, keep=DEFAULT_KEEP)
