"""Schema migrations with Alembic, shipped in the package.

A new database is created by running every revision (so the migrations are exercised on every
fresh project); an older one is backed up first, then upgraded.

Alembic is imported only when a database is not at head: importing it costs about a fifth of a
second of the window's start, and a project already at head (every open but the first after an
upgrade of Annotator) needs only the stamp in ``alembic_version`` compared with the newest
revision file's name, which :func:`stamped_head` reads without Alembic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from annotator.core.errors import StorageError
from annotator.storage import backup as backups
from annotator.storage.engine import mask, sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class MigrationReport:
    before: str | None
    after: str
    created: bool
    backup: Path | None = None


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def stamped_head() -> str | None:
    """The newest revision, read from the revision files without Alembic: the one revision no
    other names as its ``down_revision``. None when that is not one revision (a branch, a file
    it cannot read): the caller then asks Alembic."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("[!_]*.py"):
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1) is not None:
            downs.add(down.group(1))
    heads = revisions - downs
    return next(iter(heads)) if len(heads) == 1 else None


def stamp(engine: Engine) -> str | None:
    """The revision stamped in ``alembic_version``, read with plain SQL; None when there is no
    stamp or more than one."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def at_head(engine: Engine) -> bool:
    """Whether the database is at the newest schema, known without importing Alembic."""
    head = stamped_head()
    return head is not None and stamp(engine) == head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    if at_head(engine):
        return False
    return current_revision(engine) != head_revision()


def upgrade(engine: Engine, *, backup_first: bool = True) -> MigrationReport:
    """Bring the database to the newest schema, creating it if it is empty."""
    if at_head(engine):
        head = stamped_head()
        assert head is not None
        return MigrationReport(head, head, created=False)
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    head = head_revision()
    before = current_revision(engine)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    if before is None and tables - {"alembic_version"}:
        raise StorageError(
            f"{mask(engine.url)} holds tables but is not an Annotator project "
            f"(found {', '.join(sorted(tables)[:5])}); choose another file or database"
        )
    if before is not None and before != head:
        try:
            script.get_revision(before)
        except Exception as exc:
            raise StorageError(
                f"{mask(engine.url)} was made by a newer Annotator (schema {before}); "
                "upgrade Annotator to open it"
            ) from exc
    if before == head:
        return MigrationReport(before, head, created=False)
    saved: Path | None = None
    path = sqlite_path(engine.url)
    if before is not None and backup_first and path is not None:
        result = backups.backup(path, label=f"before-{head}")
        if result.path is None:
            raise StorageError(f"not upgrading {path}: {result.skipped}")
        saved = result.path
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return MigrationReport(before, head, created=before is None, backup=saved)
