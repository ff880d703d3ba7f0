"""SQLite integrity checks and rotating backups made with the SQLite online backup API.

A backup is only taken of a database that passes ``PRAGMA quick_check``: copying a corrupt file
over the oldest good backup would rotate away the copy someone needs.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from annotator.core.errors import DatabaseCorruptError, StorageError
from annotator.storage.location import (
    is_damage,
    looks_like_sqlite,
    place_error,
    sqlite_code,
    unavailable,
    unusable,
)

log = logging.getLogger(__name__)

DEFAULT_KEEP = 10


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path | None
    #: Why no backup was taken, when none was.
    skipped: str | None = None
    removed: tuple[Path, ...] = ()


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def quick_check(db_path: Path) -> list[str]:
    """Problems ``PRAGMA quick_check`` reports; an empty list means the file is sound.

    A file that cannot be checked because of where it is (a folder, a read-only place, a full
    disk) raises :class:`DatabaseUnavailableError`; a file that is not SQLite at all raises
    :class:`StorageError`: neither is damage, and neither gets the advice to restore.
    """
    if db_path.is_dir():
        raise unavailable(db_path, "it is a folder, not a database file")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        # Only now, with SQLite refusing the file, is it read directly: opening and closing a
        # database file that this process has open through SQLite would drop SQLite's POSIX
        # locks on it (and let another process corrupt it).
        if sqlite_code(exc) == sqlite3.SQLITE_NOTADB and not looks_like_sqlite(db_path):
            raise StorageError(
                f"{db_path} is not an Annotator project (not a SQLite database file)"
            ) from exc
        if is_damage(exc):
            return [str(exc)]
        raise place_error(db_path, exc) or StorageError(
            f"cannot check the database {db_path}: {exc}"
        ) from exc
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def newest_backup(db_path: Path) -> Path | None:
    backups = list_backups(db_path)
    return backups[-1] if backups else None


def list_backups(db_path: Path) -> list[Path]:
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.sqlite"))


def recovery_message(db_path: Path, problems: list[str]) -> str:
    newest = newest_backup(db_path)
    how = (
        f"The newest backup is {newest}: close Annotator, move the damaged file aside and copy "
        f"that backup to {db_path}."
        if newest is not None
        else "No automatic backup exists yet; try `sqlite3 <file> .recover` on a copy of it."
    )
    detail = "; ".join(problems[:3])
    return f"The database {db_path} failed its integrity check ({detail}). {how}"


def check_or_raise(db_path: Path) -> None:
    problems = quick_check(db_path)
    if problems:
        raise DatabaseCorruptError(recovery_message(db_path, problems))


def backup(
    db_path: Path,
    *,
    keep: int = DEFAULT_KEEP,
    label: str = "",
    destination: Path | None = None,
) -> BackupResult:
    """Copy ``db_path`` with the online backup API, then keep only the newest ``keep``."""
    if not db_path.exists():
        return BackupResult(None, skipped=f"{db_path} does not exist")
    problems = quick_check(db_path)
    if problems:
        message = recovery_message(db_path, problems)
        log.warning("backup skipped: %s", message)
        return BackupResult(None, skipped=message)
    folder = backup_dir(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"backup of {db_path} not taken: cannot create {folder}: {exc.strerror or exc}"
        ) from exc
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = f"-{label}" if label else ""
    target = destination or folder / f"{db_path.stem}-{stamp}{suffix}.sqlite"
    partial = target.with_name(target.name + ".partial")
    try:
        with (
            contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
        partial.replace(target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        err = exc.errno if isinstance(exc, OSError) else None
        why = unusable(partial, code=sqlite_code(exc), err=err)
        detail = f"{why} ({exc})" if why else str(exc)
        raise StorageError(f"backup of {db_path} to {target} failed: {detail}") from exc
    removed: list[Path] = []
    if destination is None:
        rotating = [p for p in list_backups(db_path) if "-before-" not in p.name]
        for old in rotating[: max(0, len(rotating) - keep)]:
            old.unlink(missing_ok=True)
            removed.append(old)
    return BackupResult(target, removed=tuple(removed))


def last_backup_age_seconds(db_path: Path) -> float | None:
    newest = newest_backup(db_path)
    if newest is None:
        return None
    return datetime.now(UTC).timestamp() - newest.stat().st_mtime
