"""Where the database is and how we connect to it.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and write transactions
begin with ``BEGIN IMMEDIATE``: a deferred transaction that reads first and then writes can
fail with "database is locked" even with a busy timeout, because SQLite cannot upgrade its lock
while another writer waits (DESIGN.md section 10).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from annotator.core.errors import StorageError

APP_NAME = "annotator"
DEFAULT_FILENAME = "annotator.sqlite"
ENV_VAR = "ANNOTATOR_DB"
BUSY_TIMEOUT_MS = 15_000


def data_dir() -> Path:
    """The per-user data directory (``ANNOTATOR_DATA_DIR`` overrides it, for tests)."""
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_path() -> Path:
    return data_dir() / DEFAULT_FILENAME


def resolve_url(target: str | os.PathLike[str] | None = None) -> URL:
    """``--db`` value (a path or any SQLAlchemy URL), else ``ANNOTATOR_DB``, else the default."""
    if target is None:
        target = os.environ.get(ENV_VAR) or None
    if target is None:
        return URL.create("sqlite+pysqlite", database=str(default_path()))
    text = os.fspath(target)
    if "://" in text:
        try:
            url = make_url(text)
        except ArgumentError as exc:
            raise StorageError(f"not a database URL or path: {mask(text)}") from exc
        if url.get_backend_name() == "sqlite" and url.drivername == "sqlite":
            url = url.set(drivername="sqlite+pysqlite")
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


def mask(url: URL | str) -> str:
    """A URL fit for messages and logs: the password never appears."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except ArgumentError:
            return "<unparseable database URL>"
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL, or ``None`` for in-memory databases and other backends."""
    if not is_sqlite(url) or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def make_engine(url: URL) -> Engine:
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create the folder for {path}: {exc.strerror}") from exc
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so that we issue BEGIN
        # ourselves (below) and can make it IMMEDIATE for writes.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            # PRAGMAs take no bind parameters; the value is our own integer constant.
            cursor.execute("PRAGMA busy_timeout = " + str(int(BUSY_TIMEOUT_MS)))
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("annotator_write"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")
