"""The session of one unit of work, and the annotator ids every table is keyed by.

Each aggregate of the project (documents, spans, statuses, ...) is a class over this session in
a module of its own; :class:`~annotator.storage.store.Store` is all of them at once, so what one
command reads and writes shares one session and so one transaction.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core.errors import NotFoundError
from annotator.storage.orm import Annotator


class Unit:
    """One SQLAlchemy session bound to one connection, and its cache of annotator ids.

    Never shared between threads: :class:`~annotator.storage.database.Database` hands out one
    per unit of work. Everything returned is a core value, never an ORM row.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._annotator_ids: dict[str, int] = {}
        self._annotator_names: dict[int, str] = {}
        #: ``document id -> length of its text`` of the documents inserted in this unit: the
        #: spans stored with them are checked against these, not against the texts read back.
        self._inserted_lengths: dict[int, int] = {}

    # -- annotators -------------------------------------------------------------------------

    def annotator_id(self, name: str, *, create: bool = True) -> int:
        cached = self._annotator_ids.get(name)
        if cached is not None:
            return cached
        found = self.session.scalar(select(Annotator.id).where(Annotator.name == name))
        if found is None:
            if not create:
                raise NotFoundError(f"no annotator named {name!r}")
            found = self._add_annotator(name)
        self._annotator_ids[name] = found
        self._annotator_names[found] = name
        return found

    def _add_annotator(self, name: str) -> int:
        # PostgreSQL runs write transactions side by side (SQLite's BEGIN IMMEDIATE queues
        # them): two clients may add the same name at once. The second insert waits for the
        # first to commit and fails on the unique name; inside a savepoint that failure leaves
        # the transaction usable, and the name's row is then there to read.
        try:
            with self.session.begin_nested():
                row = Annotator(name=name)
                self.session.add(row)
            return row.id
        except IntegrityError:
            found = self.session.scalar(select(Annotator.id).where(Annotator.name == name))
            if found is None:
                raise
            return found

    def annotator_name(self, annotator_id: int) -> str:
        cached = self._annotator_names.get(annotator_id)
        if cached is None:
            cached = self.session.scalar(select(Annotator.name).where(Annotator.id == annotator_id))
            if cached is None:
                raise NotFoundError(f"no annotator with id {annotator_id}")
            self._annotator_names[annotator_id] = cached
        return cached

    def annotators(self) -> list[str]:
        # Sorted here, in code point order: a server's collation (en_US on PostgreSQL) would
        # order names differently from SQLite.
        return sorted(self.session.scalars(select(Annotator.name)))

    def existing_annotator_id(self, name: str) -> int:
        """The annotator's id, or -1 (matches no row) when nobody of that name is registered:
        for reads that must not register the person they are asked about."""
        try:
            return self.annotator_id(name, create=False)
        except NotFoundError:
            return -1
