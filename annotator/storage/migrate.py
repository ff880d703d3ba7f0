"""Schema migrations with Alembic, shipped in the package.

A new database is created by running every revision (so the migrations are exercised on every
fresh project); an older one is backed up first, then upgraded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from annotator.core.errors import StorageError
from annotator.storage import backup as backups
from annotator.storage.engine import mask, sqlite_path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True, slots=True)
class MigrationReport:
    before: str | None
    after: str
    created: bool
    backup: Path | None = None


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def upgrade(engine: Engine, *, backup_first: bool = True) -> MigrationReport:
    """Bring the database to the newest schema, creating it if it is empty."""
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
