"""Why a SQLite database cannot be opened or written where it is, told apart from damage.

SQLite answers "unable to open database file" or "disk I/O error" both for a damaged file and
for a sound one in a place it cannot use: a read-only folder (it must create its ``-wal`` and
``-shm`` files next to the database even to read a WAL database), a full disk, a folder given as
the file. Only damage deserves the integrity check's advice (restore a backup, ``.recover``);
the rest gets a message that names the path and what is wrong with the place.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from annotator.core.errors import DatabaseUnavailableError

#: SQLite's primary result codes that say the content is damaged.
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
#: SQLite's primary result codes that say the place is unusable (or may be: checked).
PLACE_CODES = frozenset(
    {
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_PERM,
    }
)
#: Below this much free space a failing write is put down to a full disk.
NEARLY_FULL_BYTES = 1 << 20

SQLITE_HEADER = b"SQLite format 3\x00"


def driver_reason(exc: BaseException) -> str:
    """The driver's own message (without SQLAlchemy's SQL dump, which can hold data) on one
    line: libpq puts hints on lines of their own, and a message is one line in a log or a
    terminal."""
    if isinstance(exc, sqlite3.Error | OSError):
        text = str(exc)
    else:  # a SQLAlchemy error: the driver's error it wraps, never its own text
        orig = getattr(exc, "orig", None)
        text = str(orig) if orig is not None else ""
    return " ".join(text.split()) or exc.__class__.__name__


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc`` (or of the driver error it wraps)."""
    for candidate in (exc, getattr(exc, "orig", None)):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


def is_damage(exc: BaseException) -> bool:
    return sqlite_code(exc) in DAMAGE_CODES


def is_place_problem(exc: BaseException) -> bool:
    return sqlite_code(exc) in PLACE_CODES


def looks_like_sqlite(path: Path) -> bool:
    """Whether ``path`` starts with SQLite's header (an empty file counts: SQLite fills it).

    Only for a file SQLite has refused: opening and closing a database file that this process
    has open through SQLite drops all of SQLite's POSIX locks on it, and another process may
    then delete its WAL (see "How To Corrupt An SQLite Database File", section 2.2)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:
        return True  # unreadable: not ours to call it something else
    return not head or head == SQLITE_HEADER


def unusable(path: Path, *, code: int | None = None, err: int | None = None) -> str | None:
    """What is wrong with the place of the database ``path``, in words, or None when nothing
    can be found (the failure then has another cause). ``code`` (SQLite's) and ``err`` (an
    errno) are what the failure said, when known."""
    if str(path) in ("", "."):
        return "the path is empty: give a database file or URL"
    if path.is_dir():
        return "it is a folder, not a database file"
    folder = path.parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if path.exists() and not os.access(path, os.R_OK):
        return "there is no permission to read it"
    try:
        disk = os.statvfs(folder)
    except OSError:
        disk = None
    if disk is not None and disk.f_flag & os.ST_RDONLY:
        return f"the folder {folder} is on a read-only file system"
    if not os.access(folder, os.W_OK | os.X_OK):
        # SQLite writes its journal files next to the database, even to read a WAL database.
        return f"the folder {folder} is read-only (no permission to write there)"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only (no permission to write it)"
    free = disk.f_bavail * disk.f_frsize if disk is not None else None
    if code == sqlite3.SQLITE_FULL or err == errno.ENOSPC or err == errno.EDQUOT:
        where = f", {_size(free)} free" if free is not None else ""
        return f"the disk holding {folder} is full{where}"
    if free is not None and free < NEARLY_FULL_BYTES and code in PLACE_CODES:
        return f"the disk holding {folder} is full, {_size(free)} free"
    return None


def unavailable(path: Path, reason: str) -> DatabaseUnavailableError:
    return DatabaseUnavailableError(f"cannot use the database {path}: {reason}")


def place_error(path: Path, exc: BaseException) -> DatabaseUnavailableError | None:
    """A :class:`DatabaseUnavailableError` for a failure that the place of ``path`` explains,
    else None."""
    err = exc.errno if isinstance(exc, OSError) else None
    reason = unusable(path, code=sqlite_code(exc), err=err)
    if reason is None:
        return None
    return unavailable(path, f"{reason} ({driver_reason(exc)})")


def _size(count: int | None) -> str:
    if count is None:
        return "unknown"
    if count < 1024:
        return f"{count} bytes"
    if count < 1 << 20:
        return f"{count // 1024} KB"
    return f"{count / (1 << 20):.1f} MB"
