"""A team database on a PostgreSQL server, as File > Connect to team database asks for it: the
address (its password in memory only), the check made before opening it as the project, and
the address of the project open now, to fill the dialog with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.storage.engine import mask, openable, remembered, server_parts, server_url

if TYPE_CHECKING:
    from typing import TypeAlias

    from annotator.storage.database import Database
    from annotator.storage.engine import URL
    from annotator.storage.probe import ServerCheck as _ServerCheck

    #: What a successful check found (the server, the schema revision, whether the database
    #: holds something else); for annotations only.
    ServerCheck: TypeAlias = _ServerCheck


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """A PostgreSQL server database. The password, when given, is kept out of ``repr`` (so out
    of tracebacks and logs), and out of every text but :meth:`target`."""

    host: str
    port: int
    database: str
    user: str
    password: str | None = field(default=None, repr=False)

    @classmethod
    def of(cls, db: Database) -> ServerAddress | None:
        """The server database ``db`` is, without its password; None for a project file."""
        if db.path is not None:
            return None
        return cls(*server_parts(db.url))

    def shown(self) -> str:
        """For messages: the URL with its password masked."""
        return mask(self._url())

    def target(self) -> str:
        """Opens it, password included: in memory only, never shown, logged or stored."""
        return openable(self._url())

    def remembered(self) -> str:
        """What recent projects may write down: the URL without the password."""
        return remembered(self._url())

    def _url(self) -> URL:
        return server_url(self.host, self.port, self.database, self.user, self.password)


def check_server(address: ServerAddress) -> ServerCheck:
    """Connect to ``address`` once and look at what is there, changing nothing (slow when the
    server does not answer: run it off the UI thread). Raises :class:`StorageError` naming the
    masked URL and the server's reason."""
    from annotator.storage.probe import check_server as probe

    return probe(address.target())
