"""Where the database is and how we connect to it.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and write transactions
begin with ``BEGIN IMMEDIATE``: a deferred transaction that reads first and then writes can
fail with "database is locked" even with a busy timeout, because SQLite cannot upgrade its lock
while another writer waits (docs/adr/0003-sqlite-write-transactions.md).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from annotator.core.errors import DatabaseUnavailableError, StorageError

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
    if not text.strip():
        raise DatabaseUnavailableError(
            "no database given: the path is empty (give a database file or URL)"
        )
    if "://" in text:
        try:
            url = make_url(text)
        except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
            raise StorageError(f"not a database URL or path: {mask(text)}") from exc
        if url.host and "@" in url.host:
            # The driver would name this "host" (part of the password) in its messages.
            raise StorageError(
                f"not a database URL: {mask(url)}: write an @ in the user name or password as %40"
            )
        if url.get_backend_name() == "sqlite" and url.drivername == "sqlite":
            url = url.set(drivername="sqlite+pysqlite")
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


#: Query parameter names that carry a secret (matched without regard to case): libpq's
#: ``password`` and ``sslpassword``, and the spellings other drivers use. ``passfile`` and
#: ``sslkey`` name files and are not secret themselves.
_SECRET_PARAMETER = re.compile(r"pass(word|wd)|pwd|secret|token", re.IGNORECASE)
#: What a masked secret shows, as SQLAlchemy shows a hidden password.
HIDDEN = "***"


def is_secret_parameter(name: str) -> bool:
    return _SECRET_PARAMETER.search(name) is not None


def mask(url: URL | str) -> str:
    """A URL fit for messages, logs and the title bar: no credential appears, neither the
    password of ``user:password@`` nor a secret query parameter (``?password=``,
    ``?sslpassword=``, any spelling). Every place that shows or logs a URL goes through this."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number
            return _mask_text(url)
    if url.host and "@" in url.host:  # "u:p@ss@h": an unescaped @ left part of it in the host
        url = url.set(password=HIDDEN, host=url.host.rpartition("@")[2])
    shown = url.set(query={}).render_as_string(hide_password=True)
    parameters = [
        f"{quote_plus(name)}={HIDDEN if is_secret_parameter(name) else quote_plus(value)}"
        for name in sorted(url.query)
        for value in _values(url.query[name])
    ]
    return shown + ("?" + "&".join(parameters) if parameters else "")


def _values(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


#: ``user:password@`` and ``name=value`` in text that does not parse as a URL.
_USERINFO_PASSWORD = re.compile(r"(://[^/?#@:]*):[^/?#]*@")
_QUERY_PARAMETER = re.compile(r"([?&;])([^=&;#]*)=([^&;#]*)")


def _mask_text(text: str) -> str:
    """:func:`mask` for text SQLAlchemy cannot parse: the same credentials hidden by pattern,
    so the message can still show what was typed."""
    text = _USERINFO_PASSWORD.sub(rf"\1:{HIDDEN}@", text)
    return _QUERY_PARAMETER.sub(
        lambda m: (
            m.group(0)
            if not is_secret_parameter(m.group(2))
            else f"{m.group(1)}{m.group(2)}={HIDDEN}"
        ),
        text,
    )


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
                raise DatabaseUnavailableError(
                    f"cannot use the database {path}: cannot create the folder {path.parent} "
                    f"({exc.strerror or exc})"
                ) from exc
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    url, secrets = _secrets_apart(url)
    try:
        return create_engine(
            url, pool_pre_ping=True, connect_args={**_server_connect_args(url), **secrets}
        )
    except ArgumentError as exc:  # includes NoSuchModuleError: an unknown dialect or driver
        raise StorageError(
            f"cannot open {mask(url)}: unknown database driver {url.drivername!r} "
            "(use postgresql+psycopg://… or a SQLite file)"
        ) from exc
    except ImportError as exc:
        raise StorageError(
            f"cannot open {mask(url)}: its database driver is not installed ({exc.name}); "
            "for PostgreSQL: pip install 'annotator[postgres]'"
        ) from exc


def _secrets_apart(url: URL) -> tuple[URL, dict[str, Any]]:
    """``url`` without its secret query parameters, and those parameters as connection
    arguments: the engine's URL (its ``repr``, ``Database.url``, what reconnects and logs see)
    then carries no secret except a ``password``, which SQLAlchemy always hides."""
    secrets = {name: value for name, value in url.query.items() if is_secret_parameter(name)}
    if not secrets:
        return url, {}
    url = url.difference_update_query(secrets)
    password = secrets.pop("password", None)
    if isinstance(password, str):  # the driver lets ?password= win over user:password@ too
        url = url.set(password=password)
    elif password is not None:
        secrets["password"] = password
    return url, secrets


#: Seconds to wait for a server to answer before saying it cannot be reached (libpq waits
#: for the operating system's TCP timeout otherwise: minutes, with the window waiting).
CONNECT_TIMEOUT_S = 10


def _server_connect_args(url: URL) -> dict[str, Any]:
    """libpq options the URL, ``PGCONNECT_TIMEOUT`` and ``PGAPPNAME`` do not already set: a
    connect timeout, and the application name the server shows in ``pg_stat_activity``."""
    if url.get_backend_name() != "postgresql":
        return {}
    args: dict[str, Any] = {}
    if "connect_timeout" not in url.query and not os.environ.get("PGCONNECT_TIMEOUT"):
        args["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in url.query and not os.environ.get("PGAPPNAME"):
        args["application_name"] = APP_NAME
    return args


def without_password(url: URL) -> URL:
    """``url`` minus every credential (the password and secret query parameters): what may
    be written down (recent projects). Opened again, libpq finds the password itself:
    ``PGPASSWORD``, ``~/.pgpass`` (``PGPASSFILE``) or the service file a ``?service=`` names."""
    # URL.set(password=None) means "leave it as it is": build the URL anew instead.
    return URL.create(
        url.drivername,
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query={name: value for name, value in url.query.items() if not is_secret_parameter(name)},
    )


def has_credentials(url: URL) -> bool:
    return bool(url.password) or any(is_secret_parameter(name) for name in url.query)


def remembered(url: URL) -> str:
    """What may be written down for ``url``: its text without the password."""
    return openable(without_password(url))


def server_url(host: str, port: int, database: str, user: str, password: str | None = None) -> URL:
    """The URL of a PostgreSQL database from its parts (empty parts left out); the password,
    if given, stays in it: see :func:`openable` and :func:`mask` for turning it into text."""
    return URL.create(
        "postgresql+psycopg",
        username=user or None,
        password=password or None,
        host=host or None,
        port=port,
        database=database or None,
    )


def server_parts(url: URL) -> tuple[str, int, str, str]:
    """``(host, port, database, user)`` of a server URL, empty where it names none (the
    port: PostgreSQL's default); never the password."""
    return (url.host or "", url.port or 5432, url.database or "", url.username or "")


def openable(url: URL) -> str:
    """``url`` as text that opens the same database, password included: for handing to
    :func:`resolve_url` in memory only, never for showing, logging or storing."""
    return url.render_as_string(hide_password=False)


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
