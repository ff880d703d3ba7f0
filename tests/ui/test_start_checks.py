"""The integrity check and the automatic backup run after the window shows its first
document (docs/adr/0031-start-window.md), without weakening them: every write waits for the
check, a damaged file is reported in the window, and nothing is written to it."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import DatabaseCorruptError
from annotator.storage import backup as backups
from annotator.storage.database import Database
from tests.builders import insert_documents, titled


def project(path: Path) -> Path:
    db = Database.open(path)
    with db.write() as store:
        insert_documents(store, [titled(f"Story {i}\n" + f"word{i} " * 400) for i in range(60)])
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def damage_a_page_that_opening_does_not_read(path: Path) -> None:
    """Overwrite the header of a page in the middle of the file (a page of the documents'
    texts): the file opens and its schema reads, but ``quick_check`` finds the damage."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        count = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    at = (count // 2 - 1) * size
    data[at : at + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))
    assert backups.quick_check(path)  # damaged, as the check sees it


def fingerprint(path: Path) -> tuple[str, int]:
    wal = Path(f"{path}-wal")
    return hashlib.sha256(path.read_bytes()).hexdigest(), wal.stat().st_size if wal.exists() else 0


def test_the_first_write_comes_after_the_deferred_check_and_the_backup(tmp_path: Path) -> None:
    path = project(tmp_path / "p.annotator")
    db = Database.open(path, defer_checks=True)
    try:
        assert db.checks_pending and not db.checked
        assert backups.list_backups(path) == []  # not taken yet: after the window shows
        with db.read() as store:  # reads do not wait for the check
            assert store.document_count() == 60
        assert db.checks_pending
        with db.write() as store:  # a write before the window started them runs them first
            assert not db.checked  # a write unit that has not written yet
            store.set_setting("x", "y")
            assert db.checked
        assert db.finish_open() == ()  # the window's task finds them done
        (taken,) = backups.list_backups(path)
        with sqlite3.connect(taken) as copy:  # taken before the write went in
            assert copy.execute("SELECT count(*) FROM settings WHERE key = 'x'").fetchone() == (0,)
        copy.close()
    finally:
        db.close()


def test_a_damaged_file_opened_with_deferred_checks_refuses_every_write(tmp_path: Path) -> None:
    path = project(tmp_path / "p.annotator")
    damage_a_page_that_opening_does_not_read(path)
    before = fingerprint(path)
    db = Database.open(path, defer_checks=True)  # the window can show what still reads
    try:
        with pytest.raises(DatabaseCorruptError, match="nothing is written"), db.write() as store:
            store.set_setting("x", "y")
        with pytest.raises(DatabaseCorruptError, match="integrity check"):
            db.finish_open()  # what the window's task then reports
        with pytest.raises(DatabaseCorruptError):
            db.run_write(lambda store: store.set_setting("x", "y"))
        with pytest.raises(DatabaseCorruptError), db.read() as store:
            store.annotator_id("someone new")  # a read that would add a row
    finally:
        db.close()
    assert fingerprint(path) == before
    assert backups.list_backups(path) == []  # no backup of a damaged file either


def test_the_window_reports_a_damaged_file_and_writes_nothing_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real start (unattended: messages go to stderr): the window opens, the check after
    the first document finds the damage, the error is shown, and the start fails."""
    from annotator.app import main

    path = project(tmp_path / "p.annotator")
    damage_a_page_that_opening_does_not_read(path)
    before = fingerprint(path)
    monkeypatch.setenv("ANNOTATOR_QUIT_AFTER_MS", "60000")
    assert main(db=str(path)) == 1
    err = capsys.readouterr().err
    assert "error shown in the window" in err and "integrity check" in err
    assert fingerprint(path) == before
