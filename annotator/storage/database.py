"""The project database: open it (check, back up, migrate) and hand out units of work."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError, StorageError
from annotator.storage import backup as backups
from annotator.storage import migrate
from annotator.storage.engine import is_sqlite, make_engine, mask, resolve_url, sqlite_path
from annotator.storage.store import Store

log = logging.getLogger(__name__)

#: An automatic backup is taken on open when the newest one is older than this.
BACKUP_INTERVAL_SECONDS = 6 * 3600


@dataclass(frozen=True, slots=True)
class OpenReport:
    created: bool
    migration: migrate.MigrationReport | None
    backup: backups.BackupResult | None
    warnings: tuple[str, ...] = ()


class Database:
    """One project database. Thread-safe to share; each unit of work gets its own session."""

    def __init__(self, engine: Engine, report: OpenReport | None = None) -> None:
        self.engine = engine
        self.report = report or OpenReport(False, None, None)

    @classmethod
    def open(
        cls,
        target: str | Path | None = None,
        *,
        upgrade: bool = True,
        check: bool = True,
        auto_backup: bool = True,
        backup_keep: int = backups.DEFAULT_KEEP,
        backup_interval: float = BACKUP_INTERVAL_SECONDS,
    ) -> Database:
        """Open (creating if needed) the database at ``target`` (a path or URL).

        On SQLite: ``quick_check`` first (a damaged file raises with how to recover), then a
        rotating backup when the last is older than ``backup_interval``, then migrations
        (backing up first when an older schema is upgraded).
        """
        url = resolve_url(target)
        path = sqlite_path(url)
        existed = path is not None and path.exists() and path.stat().st_size > 0
        warnings: list[str] = []
        if path is not None and existed and check:
            backups.check_or_raise(path)
        engine = make_engine(url)
        try:
            if not upgrade:
                if migrate.needs_upgrade(engine):
                    raise StorageError(
                        f"{mask(url)} needs a schema upgrade: run `annotator db upgrade`"
                    )
                report = None
            else:
                report = migrate.upgrade(engine)
        except AnnotatorError:
            engine.dispose()
            raise
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StorageError(f"cannot open {mask(url)}: {_reason(exc)}") from exc
        taken = None
        if path is not None and existed and auto_backup:
            age = backups.last_backup_age_seconds(path)
            if age is None or age > backup_interval:
                try:
                    taken = backups.backup(path, keep=backup_keep)
                except StorageError as exc:
                    warnings.append(str(exc))
                if taken is not None and taken.skipped:
                    warnings.append(f"backup skipped: {taken.skipped}")
        created = bool(report and report.created)
        return cls(engine, OpenReport(created, report, taken, tuple(warnings)))

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def display_url(self) -> str:
        """For the status bar and messages: a path for SQLite, a masked URL otherwise."""
        path = self.path
        return str(path) if path is not None else mask(self.engine.url)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.engine.url)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.engine.url)

    @contextmanager
    def read(self) -> Iterator[Store]:
        """A read-only unit of work (a consistent snapshot on SQLite's WAL)."""
        with self._session(write=False) as session:
            yield Store(session)

    @contextmanager
    def write(self) -> Iterator[Store]:
        """A write unit of work: ``BEGIN IMMEDIATE`` on SQLite; commits when the block ends,
        rolls back if it raises. Database errors come out as :class:`StorageError`."""
        with self._session(write=True) as session:
            yield Store(session)

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[Session]:
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(annotator_write=write)
                with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                    yield session
        except AnnotatorError:
            raise
        except OperationalError as exc:
            raise StorageError(f"database {self.display_url}: {_reason(exc)}") from exc
        except DBAPIError as exc:
            raise StorageError(
                f"database {self.display_url} refused the change: {_reason(exc)}"
            ) from exc

    def quick_check(self) -> list[str]:
        path = self.path
        if path is not None:
            return backups.quick_check(path)
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return []

    def backup(self, *, keep: int = backups.DEFAULT_KEEP) -> backups.BackupResult:
        path = self.path
        if path is None:
            return backups.BackupResult(
                None, skipped="automatic backups are for SQLite files; back up servers with pg_dump"
            )
        return backups.backup(path, keep=keep)

    def close(self) -> None:
        self.engine.dispose()


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own message without SQLAlchemy's SQL dump (which can hold data)."""
    orig = getattr(exc, "orig", None)
    return str(orig) if orig is not None else exc.__class__.__name__
