"""The project database: open it (check, back up, migrate) and hand out units of work."""

from __future__ import annotations

import contextlib
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from annotator.core.errors import (
    AnnotatorError,
    DatabaseCorruptError,
    DatabaseUnavailableError,
    StorageError,
)
from annotator.storage import backup as backups
from annotator.storage import migrate
from annotator.storage.engine import is_sqlite, make_engine, mask, resolve_url, sqlite_path
from annotator.storage.location import (
    driver_reason,
    is_damage,
    is_place_problem,
    place_error,
    unavailable,
)
from annotator.storage.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")

#: An automatic backup is taken on open when the newest one is older than this.
BACKUP_INTERVAL_SECONDS = 6 * 3600

#: How often a unit of work is tried when the database reports a transient failure (another
#: client held a lock, PostgreSQL chose this transaction as a deadlock or serialization victim).
WRITE_ATTEMPTS = 5
#: Backoff before the n-th retry is ``uniform(0, base * 2**n)`` seconds, capped ("full jitter":
#: clients that collided once do not collide again in lock step).
RETRY_BASE_SECONDS = 0.02
RETRY_MAX_SECONDS = 1.0

# PostgreSQL SQLSTATEs after which the transaction was rolled back and running it again may
# succeed: serialization_failure, deadlock_detected, lock_not_available, and unique_violation —
# two clients doing select-then-insert of the same key (a new annotator name, a decision or a
# status row) under READ COMMITTED; the rerun finds the other's row.
_PG_TRANSIENT = frozenset({"40001", "40P01", "55P03", "23505"})
# sqlite3 extended result codes: SQLITE_BUSY (5) and SQLITE_LOCKED (6) and their extensions.
_SQLITE_BUSY_CODES = frozenset({5, 6})


#: Statements that change the file (see Database._write_waits_for_check).
_WRITE_VERBS = frozenset(
    {
        "INSERT",
        "UPDATE",
        "DELETE",
        "REPLACE",
        "CREATE",
        "DROP",
        "ALTER",
        "VACUUM",
        "REINDEX",
        "ANALYZE",
    }
)
_CTE_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _changes_the_file(statement: str) -> bool:
    verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    return verb in _WRITE_VERBS or (verb == "WITH" and bool(_CTE_WRITE.search(statement)))


class TransientStorageError(StorageError):
    """The database could not run a unit of work now (locked, deadlock, serialization) and
    rolled it back; running it again may succeed. :meth:`Database.run_write` does that."""


@dataclass(frozen=True, slots=True)
class OpenReport:
    created: bool
    migration: migrate.MigrationReport | None
    backup: backups.BackupResult | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Deferred:
    """What ``Database.open(defer_checks=True)`` left for :meth:`Database.finish_open`."""

    path: Path
    auto_backup: bool
    keep: int
    interval: float


class Database:
    """One project database. Thread-safe to share; each unit of work gets its own session."""

    def __init__(self, engine: Engine, report: OpenReport | None = None) -> None:
        self.engine = engine
        self.report = report or OpenReport(False, None, None)
        #: Set once writes may go ahead: at once, or after the checks left by
        #: ``open(defer_checks=True)`` (every write waits for it: see :meth:`wait_checked`).
        self._checked = threading.Event()
        self._checked.set()
        self._deferred: _Deferred | None = None
        #: Why every write is refused (the deferred check found the file damaged), if so.
        self._refusal: str | None = None
        self._check_lock = threading.Lock()
        self._late_warnings: tuple[str, ...] = ()

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
        create: bool = True,
        defer_checks: bool = False,
    ) -> Database:
        """Open (creating if needed) the database at ``target`` (a path or URL).

        On SQLite: ``quick_check`` first (a damaged file raises with how to recover), then a
        rotating backup when the last is older than ``backup_interval``, then migrations
        (backing up first when an older schema is upgraded). With ``create=False``, or
        ``upgrade=False`` (which changes nothing), a SQLite file that does not exist yet raises
        :class:`DatabaseUnavailableError` instead of becoming a new project: a mistyped path
        is then an error rather than an empty project.

        ``defer_checks`` (the window, so that it shows sooner) leaves the integrity check and
        the automatic backup of an existing SQLite file at the newest schema to
        :meth:`finish_open`; until it has passed, every write waits, and if it fails every
        write is refused, so nothing is written to a damaged file. A file that needs a
        schema upgrade is checked first as always (the upgrade writes).
        """
        url = resolve_url(target)
        path = sqlite_path(url)
        if path is not None and path.is_dir():
            raise unavailable(path, "it is a folder, not a database file")
        existed = path is not None and path.exists() and path.stat().st_size > 0
        if path is not None and not existed and not (create and upgrade):
            why = "the file is empty" if path.exists() else "the file does not exist"
            raise DatabaseUnavailableError(f"no project at {path}: {why}")
        warnings: list[str] = []
        defer = defer_checks and path is not None and existed and check
        if path is not None and existed and check and not defer:
            backups.check_or_raise(path)
        engine = make_engine(url)
        try:
            if defer and path is not None and migrate.needs_upgrade(engine):
                backups.check_or_raise(path)  # a migration writes: never to a damaged file
                defer = False
            if not upgrade:
                if migrate.needs_upgrade(engine):
                    shown = str(path) if path is not None else mask(url)
                    raise StorageError(
                        f"{shown} needs a schema upgrade: run `annotator db upgrade`"
                    )
                report = None
            else:
                report = migrate.upgrade(engine)
        except AnnotatorError:
            engine.dispose()
            raise
        except SQLAlchemyError as exc:
            engine.dispose()
            if path is not None:
                if is_damage(exc):
                    problems = [driver_reason(exc)]
                    raise DatabaseCorruptError(backups.recovery_message(path, problems)) from exc
                place = place_error(path, exc)
                if place is not None:
                    raise place from exc
            shown = str(path) if path is not None else mask(url)
            raise StorageError(f"cannot open {shown}: {driver_reason(exc)}") from exc
        taken = None
        if path is not None and existed and auto_backup and not defer:
            age = backups.last_backup_age_seconds(path)
            if age is None or age > backup_interval:
                try:
                    taken = backups.backup(path, keep=backup_keep)
                except StorageError as exc:
                    warnings.append(str(exc))
                if taken is not None and taken.skipped:
                    warnings.append(f"backup skipped: {taken.skipped}")
        created = bool(report and report.created)
        db = cls(engine, OpenReport(created, report, taken, tuple(warnings)))
        if defer and path is not None:
            db._deferred = _Deferred(path, auto_backup, backup_keep, backup_interval)
            db._checked.clear()
        return db

    @property
    def checks_pending(self) -> bool:
        """Whether :meth:`finish_open` has checks to run (writes wait for them)."""
        return self._deferred is not None

    @property
    def checked(self) -> bool:
        """Whether writes may go ahead (or are refused for good): no check is pending."""
        return self._checked.is_set()

    def finish_open(self) -> tuple[str, ...]:
        """Run the checks ``open(defer_checks=True)`` left, off the UI thread: ``quick_check``
        (a damaged file raises :class:`DatabaseCorruptError` with how to recover, and every
        write is refused from then on), then the automatic backup when the newest is older
        than the interval. Writes wait for both; the first write to come before the window
        started them runs them itself. Returns warnings (a backup not taken)."""
        with self._check_lock:
            deferred, self._deferred = self._deferred, None
            if deferred is not None:
                try:
                    self._late_warnings = self._run_checks(deferred)
                finally:
                    self._checked.set()
        if self._refusal is not None:
            raise DatabaseCorruptError(self._refusal)
        return self._late_warnings

    def _run_checks(self, deferred: _Deferred) -> tuple[str, ...]:
        try:
            backups.check_or_raise(deferred.path)
        except AnnotatorError as exc:
            self._refusal = str(exc)
            raise
        except BaseException as exc:
            self._refusal = f"{deferred.path} could not be checked: {exc}"
            raise
        warnings: list[str] = []
        try:
            if deferred.auto_backup:
                age = backups.last_backup_age_seconds(deferred.path)
                if age is None or age > deferred.interval:
                    taken = backups.backup(deferred.path, keep=deferred.keep)
                    if taken.skipped:
                        warnings.append(f"backup skipped: {taken.skipped}")
        except StorageError as exc:
            warnings.append(str(exc))
        return tuple(warnings)

    def wait_checked(self) -> None:
        """Before a write: run (or wait for) the checks :meth:`finish_open` runs; raise
        :class:`DatabaseCorruptError` if they found the file damaged."""
        if not self._checked.is_set():
            with contextlib.suppress(AnnotatorError):
                self.finish_open()
        if self._refusal is not None:
            raise DatabaseCorruptError(f"nothing is written to this project: {self._refusal}")

    def _write_waits_for_check(
        self, _conn: object, _cursor: object, statement: str, *_rest: object
    ) -> None:
        """Until the deferred checks have passed, a statement that changes the file waits for
        them (or is refused): in any unit of work, since a write unit often only reads (joining
        a project one is already in) and a read unit may write (a new annotator's row)."""
        if _changes_the_file(statement):
            self.wait_checked()

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
        rolls back if it raises. Database errors come out as :class:`StorageError`.

        A context manager cannot run its block twice, so only *starting* the transaction is
        retried here (nothing of the block has run yet). Prefer :meth:`run_write`, which
        retries the whole unit on transient failures; a transient failure inside this block
        comes out as :class:`TransientStorageError`.
        """
        with self._session(write=True) as session:
            yield Store(session)

    def run_write(self, work: Callable[[Store], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
        """Run ``work(store)`` in one write transaction and return its result, running it
        again (in a new transaction, after a short jittered pause) when the database rolled
        it back for a transient reason: SQLite still locked after its busy timeout,
        PostgreSQL deadlock or serialization failure, a concurrent insert of the same key.

        ``work`` must be re-runnable: everything it does goes through ``store`` (which the
        rollback undoes) and it keeps no state between calls. Commands are like that. What
        is not transient, or still fails after ``attempts`` tries, is raised as a
        :class:`StorageError` (or the :class:`AnnotatorError` ``work`` raised).
        """
        for attempt in range(1, attempts + 1):
            try:
                # One try per loop here: this loop is the retry (also of a busy start).
                with self._session(write=True, begin_attempts=1) as session:
                    return work(Store(session))
            except TransientStorageError as exc:
                if attempt == attempts:
                    raise StorageError(
                        f"{exc} (tried {attempts} times; another client is holding the "
                        "database — try again in a moment)"
                    ) from exc
                log.info("transient database failure (attempt %d): %s", attempt, exc)
                time.sleep(_backoff(attempt))
        raise AssertionError("unreachable")  # the loop returns or raises

    @contextmanager
    def _session(self, *, write: bool, begin_attempts: int = WRITE_ATTEMPTS) -> Iterator[Session]:
        try:
            with self._transaction(write=write, begin_attempts=begin_attempts) as session:
                yield session
        except AnnotatorError:
            raise
        except DBAPIError as exc:
            raise self._storage_error(exc) from exc
        except SQLAlchemyError as exc:
            # Not from the driver (a closed connection, a statement SQLAlchemy refused):
            # still a readable message, never a raw SQLAlchemy error in the UI or CLI.
            raise StorageError(
                f"database {self.display_url}: {exc.__class__.__name__}: {driver_reason(exc)}"
            ) from exc

    @contextmanager
    def _transaction(self, *, write: bool, begin_attempts: int) -> Iterator[Session]:
        """One session on one connection in one transaction, committed when the block ends.

        A write takes its lock before the block runs (``BEGIN IMMEDIATE`` on SQLite), so a
        database that stays busy past the busy timeout is met here, where starting again is
        safe because nothing of the block has run.
        """
        for attempt in range(1, begin_attempts + 1):
            with self.engine.connect() as conn:
                conn = conn.execution_options(annotator_write=write)
                if not self._checked.is_set() or self._refusal is not None:
                    event.listen(conn, "before_cursor_execute", self._write_waits_for_check)
                with Session(bind=conn, expire_on_commit=False) as session:
                    if write:
                        try:
                            session.connection()  # begins: BEGIN IMMEDIATE on SQLite
                        except DBAPIError as exc:
                            if attempt == begin_attempts or not _is_transient(exc):
                                raise
                            log.info("database busy at begin (attempt %d): %s", attempt, exc)
                            time.sleep(_backoff(attempt))
                            continue
                    # Leaving the session without commit (the block raised) rolls back.
                    yield session
                    session.commit()
                    return

    def _storage_error(self, exc: DBAPIError) -> StorageError:
        where = f"database {self.display_url}"
        if _is_transient(exc):
            if getattr(exc.orig, "sqlstate", None) == "23505":
                what = "refused the change (another client may have stored the same row)"
            elif getattr(exc.orig, "sqlstate", None) is not None:
                what = "could not apply the change alongside another client's"
            else:
                what = "is busy (another client is writing)"
            return TransientStorageError(f"{where} {what}: {driver_reason(exc)}")
        if isinstance(exc, OperationalError):
            path = self.path
            place = place_error(path, exc) if path is not None and is_place_problem(exc) else None
            return place or StorageError(f"{where}: {driver_reason(exc)}")
        return StorageError(f"{where} refused the change: {driver_reason(exc)}")

    def quick_check(self) -> list[str]:
        path = self.path
        if path is not None:
            return backups.quick_check(path)
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise StorageError(f"database {self.display_url}: {driver_reason(exc)}") from exc
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


def _backoff(attempt: int) -> float:
    return random.uniform(0, min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2**attempt))


def _is_transient(exc: DBAPIError) -> bool:
    """Whether the driver error means "rolled back, try again" rather than "wrong"."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _PG_TRANSIENT
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_BUSY_CODES
    message = str(orig).lower()
    return "database is locked" in message or "database table is locked" in message
