"""Looking after a project database: check it, back it up, upgrade its schema
(``annotator db``). Each function opens the project itself, because a check or an upgrade
must not run the automatic steps of an ordinary open first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.storage.database import Database


@dataclass(frozen=True, slots=True)
class Upgrade:
    location: str
    #: The schema revisions before and after (``before`` None: the database was empty).
    before: str | None
    after: str | None
    #: The copy taken before an older schema was upgraded.
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class Check:
    location: str
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Backup:
    location: str
    path: Path | None
    #: Why no backup was taken, when none was.
    skipped: str | None


def upgrade_project(target: str | Path | None) -> Upgrade:
    """Open the project the usual way, which upgrades an older schema (after a backup); a
    project that does not exist is refused, not created."""
    db = Database.open(target, create=False)
    try:
        report = db.report.migration
        if report is None:
            return Upgrade(db.display_url, None, None, None)
        return Upgrade(db.display_url, report.before, report.after, report.backup)
    finally:
        db.close()


def check_project(target: str | Path | None) -> Check:
    """SQLite's quick check of the file (a server: that it answers), without upgrading."""
    db = Database.open(target, upgrade=False, auto_backup=False)
    try:
        return Check(db.display_url, tuple(db.quick_check()))
    finally:
        db.close()


def backup_project(target: str | Path | None) -> Backup:
    """A backup now, into the rotating backups beside the file (SQLite only)."""
    db = Database.open(target, upgrade=False, auto_backup=False)
    try:
        result = db.backup()
        return Backup(db.display_url, result.path, result.skipped)
    finally:
        db.close()
