"""Try a database before opening it as the project: File > Connect to team database's "Test
connection" (and its Connect) run this in the background, so an unreachable server or a wrong
password is a message in the dialog rather than a frozen window."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from annotator.core.errors import StorageError
from annotator.storage import migrate
from annotator.storage.engine import is_sqlite, make_engine, mask, resolve_url
from annotator.storage.location import driver_reason


@dataclass(frozen=True, slots=True)
class ServerCheck:
    """What a successful connection found."""

    #: The server's product and version ("PostgreSQL 16.4"), or "SQLite".
    server: str
    #: The Annotator schema revision the database is at; ``None`` when it holds none.
    revision: str | None
    #: Other tables and no Annotator schema: opening it as a project would be refused.
    foreign: bool

    def describe(self) -> str:
        if self.foreign:
            return f"Connected to {self.server}, but this database holds something else."
        if self.revision is None:
            return f"Connected to {self.server}: an empty database; a new project is created."
        if self.revision == migrate.head_revision():
            return f"Connected to {self.server}: an Annotator project."
        return (
            f"Connected to {self.server}: an Annotator project at schema {self.revision}, "
            "upgraded when opened."
        )


def check_server(target: str) -> ServerCheck:
    """Connect to ``target`` (a URL or path) once and look at what is there, changing nothing.
    Raises :class:`StorageError` naming the masked URL and the server's reason."""
    url = resolve_url(target)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if is_sqlite(url):
                server = "SQLite"
            else:
                full = str(conn.execute(select(func.version())).scalar() or "")
                server = " ".join(full.split()[:2]) or url.get_backend_name()
            tables = set(inspect(conn).get_table_names())
        revision = migrate.current_revision(engine)
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot connect to {mask(url)}: {driver_reason(exc)}") from exc
    finally:
        engine.dispose()
    foreign = revision is None and bool(tables - {"alembic_version"})
    return ServerCheck(server, revision, foreign)
