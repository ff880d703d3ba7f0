"""One window per SQLite project: the second one is refused with a message naming where the
project is open; a lock left by a dead process is taken over; server databases take no lock."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.ui.instance import ProjectLock, lock_path, project_file


@pytest.fixture
def locks() -> Iterator[list[ProjectLock]]:
    made: list[ProjectLock] = []
    yield made
    for lock in made:
        lock.release()


def _lock(locks: list[ProjectLock], path: Path) -> ProjectLock:
    lock = ProjectLock(path)
    locks.append(lock)
    return lock


def test_second_lock_on_the_same_project_is_refused(
    tmp_path: Path, locks: list[ProjectLock]
) -> None:
    project = tmp_path / "corpus.sqlite"
    first = _lock(locks, project)
    assert first.acquire() is None
    assert first.held
    assert lock_path(project).is_file()
    assert lock_path(project).name == "corpus.sqlite.lock"

    message = _lock(locks, project).acquire()
    assert message is not None
    assert "corpus.sqlite is already open in another Annotator window" in message
    assert f"process {os.getpid()}" in message
    assert str(lock_path(project)) in message  # what to delete if that window is gone

    first.release()
    assert _lock(locks, project).acquire() is None  # free again once the first window closed


def test_other_projects_are_independent(tmp_path: Path, locks: list[ProjectLock]) -> None:
    assert _lock(locks, tmp_path / "a.sqlite").acquire() is None
    assert _lock(locks, tmp_path / "b.sqlite").acquire() is None


def test_lock_of_a_dead_process_is_taken_over(tmp_path: Path, locks: list[ProjectLock]) -> None:
    project = tmp_path / "crashed.sqlite"
    # What a window that crashed leaves behind: its pid (long gone) and this host.
    lock_path(project).write_text(f"999999999\nannotator\n{socket.gethostname()}\n")
    assert _lock(locks, project).acquire() is None


def test_lock_made_on_another_host_names_it(tmp_path: Path, locks: list[ProjectLock]) -> None:
    project = tmp_path / "shared.sqlite"
    lock_path(project).write_text("4242\nannotator\nother-laptop\n")
    message = _lock(locks, project).acquire()
    assert message is not None and "(process 4242 on other-laptop)" in message


def test_a_new_project_folder_is_created_for_the_lock(
    tmp_path: Path, locks: list[ProjectLock]
) -> None:
    project = tmp_path / "new" / "folder" / "p.sqlite"
    assert _lock(locks, project).acquire() is None
    assert _lock(locks, project).acquire() is not None


def test_only_sqlite_files_are_locked(tmp_path: Path) -> None:
    assert project_file(tmp_path / "p.sqlite") == (tmp_path / "p.sqlite").resolve()
    assert project_file("postgresql://ana@db.example/corpus") is None
    assert project_file("sqlite://") is None  # in memory


def test_app_refuses_a_project_open_elsewhere_and_exits_0(
    tmp_path: Path,
    locks: list[ProjectLock],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from annotator.app import main

    project = tmp_path / "busy.sqlite"
    assert _lock(locks, project).acquire() is None  # "another window"
    monkeypatch.setenv("ANNOTATOR_QUIT_AFTER_MS", "30000")  # no modal box in a test
    assert main(db=str(project)) == 0
    assert "busy.sqlite is already open in another Annotator window" in capsys.readouterr().err
    assert not project.exists()  # refused before the database was even created
