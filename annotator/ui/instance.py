"""One window per SQLite project: a lock file beside the database.

Two windows on one SQLite file would each hold their own view of the documents, take their own
backups and race each other's undo history; SQLite would keep the data consistent, but neither
annotator would see the other's work until they reopened. So the second window is refused
with a message that says where the project is open. PostgreSQL projects are shared by design
(several annotators on one corpus), so they take no lock.

The lock is Qt's :class:`QLockFile` at ``<database>.lock``: it records the process id and host,
and a lock left by a process that died (a crash, a power cut) is recognised as stale and taken
over, so nobody has to delete lock files by hand after a crash on the same machine.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

from annotator.services.project import project_file as project_file

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


class ProjectLock:
    """The lock of one SQLite project; :meth:`acquire` before opening, :meth:`release` after
    closing (a process that exits releases it too)."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._lock = QLockFile(str(self.path))
        # Qt's default stale time (30 s) would let a second window take the lock of a window
        # that has simply been open for a minute. With 0, only a lock whose process is gone
        # (same host) counts as stale.
        self._lock.setStaleLockTime(0)

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def acquire(self) -> str | None:
        """Take the lock. Returns None when it is ours (or cannot be had for reasons that
        SQLite will report better, such as a read-only folder), else the message to show."""
        # A new project's folder (the default one on a first start) may not exist yet; if it
        # cannot be made, tryLock fails below and opening the database explains why.
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._lock.tryLock(0):
            return None
        error = self._lock.error()
        if error != QLockFile.LockError.LockFailedError:
            # No permission to create the lock file, or a disk error: do not block the project
            # on its lock; opening the database says what is wrong, if anything is.
            log.warning("no lock for %s (%s); opening without it", self.database, error.name)
            return None
        return self.refusal()

    def refusal(self) -> str:
        pid, host, _app = self._lock.getLockInfo()
        where = ""
        if pid > 0:
            here = host in ("", QSysInfo.machineHostName())
            where = f" (process {pid})" if here else f" (process {pid} on {host})"
        return (
            f"{self.database.name} is already open in another Annotator window{where}.\n\n"
            "Switch to that window to go on annotating; one project is open in one window at "
            "a time. If Annotator is no longer running there, delete "
            f"{self.path} and open the project again."
        )

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
