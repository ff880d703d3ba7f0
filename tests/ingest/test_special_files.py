"""Paths that are not plain files: symbolic links that loop, FIFOs, devices. Each is refused
with a message naming it, nothing is read without end, and the rest of the import goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core import limits
from annotator.core.errors import InputError
from annotator.ingest.discover import iter_paths
from annotator.ingest.opening import read_limited
from annotator.ingest.readers import read
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.services.importing import import_paths
from annotator.storage.database import Database

READERS = ["txt", "csv", "jsonl", "annotator", "prodigy", "doccano", "labelstudio", "brat"]
SUFFIX = {"txt": ".txt", "csv": ".csv", "labelstudio": ".json", "brat": ".txt"}


def _only_problem(path: Path, fmt: str = "auto") -> ImportProblem:
    items = list(read(path, fmt))
    assert len(items) == 1, items
    (problem,) = items
    assert isinstance(problem, ImportProblem)
    assert problem.path in (str(path), str(path.with_suffix(".txt")))
    return problem


def test_a_symlink_loop_between_two_files_is_reported_and_the_rest_imported(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "c.txt").write_text("Harbour reopens\nThe harbour reopened on Monday.\n")
    summary = import_paths(db, [folder], detect_boilerplate=False)
    assert summary.imported == 1
    assert sorted(p.path for p in summary.errors) == [str(folder / "a.txt"), str(folder / "b.txt")]
    assert all("loop" in p.reason for p in summary.errors)


def test_a_symlink_loop_named_explicitly_is_reported(db: Database, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").symlink_to("b.jsonl")
    (tmp_path / "b.jsonl").symlink_to("a.jsonl")
    summary = import_paths(db, [tmp_path / "a.jsonl"], detect_boilerplate=False)
    (problem,) = summary.errors
    assert problem.path == str(tmp_path / "a.jsonl") and "loop" in problem.reason


def test_a_folder_link_back_up_the_tree_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "up").symlink_to("..", target_is_directory=True)
    (folder / "inner" / "self").symlink_to(".", target_is_directory=True)
    (folder / "one.txt").write_text("One\n")
    (folder / "inner" / "two.txt").write_text("Two\n")
    assert list(iter_paths([folder])) == [folder / "inner" / "two.txt", folder / "one.txt"]


@pytest.mark.parametrize("fmt", READERS)
def test_a_link_to_an_endless_device_is_refused_unread(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"zero{SUFFIX.get(fmt, '.jsonl')}"
    path.symlink_to("/dev/zero")
    problem = _only_problem(path, fmt)
    assert "character device" in problem.reason and "not a regular file" in problem.reason


@pytest.mark.parametrize("fmt", READERS)
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"pipe{SUFFIX.get(fmt, '.jsonl')}"
    os.mkfifo(path)
    problem = _only_problem(path, fmt)
    assert "FIFO" in problem.reason


def test_special_files_in_a_folder_are_reported_not_passed_over(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "gone.txt").symlink_to("nowhere.txt")
    (folder / "real.txt").write_text("Harbour reopens\nThe harbour reopened on Monday.\n")
    summary = import_paths(db, [folder], detect_boilerplate=False)
    assert summary.imported == 1
    reasons = {Path(p.path).name: p.reason for p in summary.errors}
    assert set(reasons) == {"zero.txt", "pipe.jsonl", "gone.txt"}
    assert "does not exist" in reasons["gone.txt"]


def test_a_file_larger_than_the_limit_is_refused_by_every_whole_file_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    for fmt, name in (("txt", "big.txt"), ("labelstudio", "big.json"), ("brat", "big.txt")):
        path = tmp_path / name
        path.write_text("word " * 400)
        problem = _only_problem(path, fmt)
        assert "the limit is" in problem.reason, fmt
    ann = tmp_path / "small.ann"
    (tmp_path / "small.txt").write_text("Small text.\n")
    ann.write_text("T1\tX 0 5\tSmall\n" * 100)
    items = list(read(ann, "brat"))
    assert [type(i) for i in items] == [ImportProblem]
    assert items[0].path == str(ann) and "the limit is" in items[0].reason
    assert not any(isinstance(i, ImportedDocument) for i in items)


def test_a_file_whose_size_says_nothing_is_read_whole_and_within_the_limit() -> None:
    # /proc's files are regular files of size 0 with text in them: what is read past the size
    # is kept, and still refused once it passes the limit.
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("needs Linux's /proc")
    assert status.stat().st_size == 0
    data = read_limited(status, 1_000_000)
    assert data.startswith(b"Name:") and b"\nPid:" in data
    with pytest.raises(InputError, match="the limit is"):
        read_limited(status, 20)


def test_a_file_read_to_its_size_is_whole(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    for size in (0, 1, 4095, 4096, 4097, 100_000):
        data = bytes(i % 251 for i in range(size))
        path.write_bytes(data)
        assert read_limited(path, size) == data
        if size:
            with pytest.raises(InputError, match="the limit is"):
                read_limited(path, size - 1)
