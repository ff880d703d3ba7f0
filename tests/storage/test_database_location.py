"""A sound database in a place it cannot be used is not a damaged database.

An empty path, a folder, a read-only folder and a full disk are each reported as what they are,
naming the path and the reason, never as a failed integrity check with advice to restore a
backup or run ``.recover``; a file whose bytes really were overwritten still gets that advice.

The conditions are real: the read-only folder is a tmpfs remounted read-only (the tests run as
root, whom ``chmod`` does not stop), the full disk a small tmpfs filled up. Both skip, saying
why, where mounting is not allowed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.errors import (
    DatabaseCorruptError,
    DatabaseUnavailableError,
    StorageError,
)
from annotator.storage import backup as backups
from annotator.storage.database import Database

INTEGRITY_ADVICE = ("integrity check", ".recover", "backup")


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"needs to mount a tmpfs (root in a namespace that allows it): {done.stderr}")


class Mounts:
    """Mounts made for one test, all undone after it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.points: list[Path] = []

    def _point(self) -> Path:
        point = self.root / f"mount{len(self.points)}"
        point.mkdir()
        return point

    def tmpfs(self, size: str) -> Path:
        """A small empty file system of its own (to fill up, or to make read-only)."""
        point = self._point()
        _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point))
        self.points.append(point)
        return point

    def read_only_view(self, folder: Path) -> Path:
        """``folder`` seen through a read-only bind mount: the same files, no writes."""
        point = self._point()
        _mount("--bind", str(folder), str(point))
        self.points.append(point)
        _mount("-o", "remount,bind,ro", str(point))
        return point

    def read_only(self, point: Path) -> None:
        _mount("-o", "remount,ro", str(point))

    def undo(self) -> None:
        for point in reversed(self.points):
            done = subprocess.run(["umount", str(point)], capture_output=True, check=False)
            if done.returncode != 0:  # still busy (a file left open by a failure): detach it
                subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


@pytest.fixture
def mounts(tmp_path: Path) -> Iterator[Mounts]:
    made = Mounts(tmp_path)
    try:
        yield made
    finally:
        made.undo()


def _healthy_project(path: Path) -> None:
    """A sound project closed the usual way: the last connection removed ``-wal``/``-shm``."""
    db = Database.open(path)
    with db.write() as store:
        store.set_setting("note", "kept")
    db.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def _fill(point: Path) -> None:
    """Fill the file system at ``point`` to the last byte (unbuffered: nothing left to flush)."""
    with (point / "filler").open("wb", buffering=0) as handle:
        for chunk in (b"\0" * 65536, b"\0" * 512, b"\0"):
            try:
                while handle.write(chunk):
                    pass
            except OSError:
                pass


def _not_called_damaged(exc: BaseException, path: Path, *reason: str) -> None:
    message = str(exc)
    assert isinstance(exc, DatabaseUnavailableError), f"{type(exc).__name__}: {message}"
    assert not isinstance(exc, DatabaseCorruptError)
    assert str(path) in message, message
    for word in reason:
        assert word in message, message
    for advice in INTEGRITY_ADVICE:
        assert advice not in message, message


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    with pytest.raises(StorageError) as info:
        Database.open(folder)
    _not_called_damaged(info.value, folder, "is a folder")
    with pytest.raises(StorageError) as checked:
        backups.quick_check(folder)
    _not_called_damaged(checked.value, folder, "is a folder")


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_path_is_not_the_current_folder(empty: str, tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        Database.open(empty)
    assert isinstance(info.value, DatabaseUnavailableError)
    message = str(info.value)
    assert "empty" in message
    for advice in INTEGRITY_ADVICE:
        assert advice not in message, message


def test_a_sound_database_in_a_read_only_folder(mounts: Mounts) -> None:
    point = mounts.tmpfs("4m")
    project = point / "corpus.sqlite"
    _healthy_project(project)
    mounts.read_only(point)
    with pytest.raises(StorageError) as info:
        Database.open(project)
    _not_called_damaged(info.value, project, "read-only", str(point))
    # `annotator db check` and the backups ask the same question and get the same answer.
    with pytest.raises(StorageError) as checked:
        backups.quick_check(project)
    _not_called_damaged(checked.value, project, "read-only")
    # A new project there is refused the same way.
    fresh = point / "new.sqlite"
    with pytest.raises(StorageError) as created:
        Database.open(fresh)
    _not_called_damaged(created.value, fresh, "read-only")


def test_a_database_whose_folder_became_read_only_reads_and_refuses_writes_clearly(
    mounts: Mounts,
) -> None:
    """Its ``-shm`` and ``-wal`` are still there (another process had it open when the folder
    became read-only): SQLite can read it, so it opens; a change is refused naming the read-only
    folder. The read-only folder is a read-only bind mount of the writable one."""
    writable = mounts.root / "team"
    writable.mkdir()
    _healthy_project(writable / "corpus.sqlite")
    keeper = Database.open(writable / "corpus.sqlite")  # keeps -wal and -shm in place
    try:
        with keeper.read() as store:
            assert store.get_setting("note") == "kept"
        view = mounts.read_only_view(writable)
        project = view / "corpus.sqlite"
        db = Database.open(project, auto_backup=False)
        try:
            with db.read() as store:
                assert store.get_setting("note") == "kept"
            with pytest.raises(StorageError) as info, db.write() as store:
                store.set_setting("note", "changed")
            _not_called_damaged(info.value, project, "read-only")
        finally:
            db.close()
    finally:
        keeper.close()


def test_a_sound_database_on_a_full_disk(mounts: Mounts) -> None:
    point = mounts.tmpfs("1m")
    project = point / "corpus.sqlite"
    _healthy_project(project)
    _fill(point)
    with pytest.raises(StorageError) as info:
        Database.open(project)
    _not_called_damaged(info.value, project, "full")
    fresh = point / "new.sqlite"
    with pytest.raises(StorageError) as created:
        Database.open(fresh)
    _not_called_damaged(created.value, fresh, "full")


def test_a_disk_that_fills_while_working_says_so_and_keeps_what_was_saved(
    mounts: Mounts,
) -> None:
    point = mounts.tmpfs("1m")
    project = point / "corpus.sqlite"
    db = Database.open(project)
    try:
        with db.write() as store:
            store.set_setting("note", "kept")
        _fill(point)
        with pytest.raises(StorageError) as info, db.write() as store:
            store.set_setting("large", "x" * 200_000)
        _not_called_damaged(info.value, project, "full")
        with db.read() as store:
            assert store.get_setting("note") == "kept"
    finally:
        db.close()


def test_a_damaged_file_still_gets_the_integrity_advice(tmp_path: Path) -> None:
    project = tmp_path / "corpus.sqlite"
    db = Database.open(project)
    with db.write() as store:
        store.set_setting("note", "x" * 20_000)  # several pages to damage
    db.close()
    data = bytearray(project.read_bytes())
    assert len(data) > 3 * 4096
    data[4096 : len(data)] = b"\xa5" * (len(data) - 4096)  # every page after the first
    project.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorruptError) as info:
        Database.open(project)
    message = str(info.value)
    assert str(project) in message and "integrity check" in message


def test_a_file_that_is_not_sqlite_is_not_called_damaged(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("shopping: bread, milk\n" * 200, encoding="utf-8")
    with pytest.raises(StorageError) as info:
        Database.open(notes)
    message = str(info.value)
    assert not isinstance(info.value, DatabaseCorruptError)
    assert str(notes) in message and "not a SQLite database" in message
    assert notes.read_text(encoding="utf-8").startswith("shopping")  # left as it was


@pytest.mark.parametrize("options", [{"create": False}, {"upgrade": False}])
def test_a_missing_project_is_not_created_when_asked_not_to(
    options: dict[str, bool], tmp_path: Path
) -> None:
    """``annotator db check`` (upgrade=False) on a mistyped path used to create an empty file
    and then say it "needs a schema upgrade"."""
    typo = tmp_path / "corpsu.sqlite"
    with pytest.raises(StorageError) as info:
        Database.open(typo, **options)
    _not_called_damaged(info.value, typo, "does not exist")
    assert "schema upgrade" not in str(info.value)
    assert not typo.exists()
    # An existing project opens as before.
    _healthy_project(tmp_path / "real.sqlite")
    Database.open(tmp_path / "real.sqlite", **options).close()


def test_checking_an_open_project_keeps_sqlite_locks(tmp_path: Path) -> None:
    """The checks must not open the database file themselves while this process has it open
    through SQLite: closing that file descriptor drops SQLite's POSIX locks, and another
    process closing its connection then believes it is the last one and deletes the WAL with
    our committed work in it (the SIGKILL load test saw "database disk image is malformed")."""
    project = tmp_path / "project.sqlite"
    db = Database.open(project)
    try:
        with db.write() as store:
            store.set_setting("kept", 1)  # the pooled connection stays open: -wal stays
        wal = project.with_name(project.name + "-wal")
        assert wal.exists()
        assert backups.quick_check(project) == []
        assert db.quick_check() == []
        other = (
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute('SELECT count(*) FROM sqlite_master').fetchall()\n"
            "c.close()\n"
        )
        subprocess.run([sys.executable, "-c", other, str(project)], check=True)
        assert wal.exists(), "another process deleted the WAL of a database open here"
        with db.read() as store:
            assert store.get_setting("kept") == 1
    finally:
        db.close()
