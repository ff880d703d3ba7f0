"""A killed export leaves its working folder beside the target; the next export to that target
removes it (and puts back a previous export caught in the middle of a swap), but never touches
a running export's folder or anything that is not ours."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from annotator.export.atomic import MARKER, OLD, QUIET_SECONDS, remove_abandoned
from annotator.services.exporting import export
from annotator.storage.database import Database

ROOT = Path(__file__).resolve().parents[2]

_KILLED = """
import sys, time
from pathlib import Path
from annotator.services.exporting import export
from annotator.storage.database import Database

def progress(done, total, message):
    if message.startswith("Exporting documents") and done >= 2:
        print("written", flush=True)
        time.sleep(120)  # killed long before

db = Database.open(Path(sys.argv[1]))
export(db, Path(sys.argv[2]), fmt=sys.argv[3], batch=1, progress=progress)
"""


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


@pytest.mark.parametrize(("fmt", "name"), [("prodigy", "train.jsonl"), ("brat", "brat")])
def test_the_next_export_removes_what_a_killed_export_left(
    corpus_db: Database, tmp_path: Path, fmt: str, name: str
) -> None:
    out = tmp_path / name
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED, str(corpus_db.url.database), str(out), fmt],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "written\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    (left,) = _partials(tmp_path)
    assert orjson.loads((tmp_path / left / MARKER).read_bytes())["target"] == name
    assert not out.exists()

    export(corpus_db, out, fmt=fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def _killed_mid_swap(out: Path, dead_pid: int) -> Path:
    """The state an export killed between the two renames of a folder swap leaves: the previous
    export moved into the working folder as ``.old``, the new one beside it, no target."""
    work = out.parent / f".{out.name}.0123456789abcdef.partial"
    work.mkdir()
    (work / MARKER).write_bytes(orjson.dumps({"target": out.name, "pid": dead_pid}))
    os.replace(out, work / OLD)
    (work / out.name).mkdir()
    (work / out.name / "half.ann").write_text("T1\tORG 0 3\tThe")
    return work


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


class Boom(RuntimeError):
    pass


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_previous_export_caught_in_a_swap_comes_back(corpus_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    export(corpus_db, out, fmt="brat", only_done=True)
    before = _contents(out)
    _killed_mid_swap(out, _dead_pid())

    def fail(done: int, total: int | None, message: str) -> None:
        if message.startswith("Exporting documents"):
            raise Boom("stopped after the clean-up")

    # Even an export that then fails has put the previous one back before it began.
    with pytest.raises(Boom):
        export(corpus_db, out, fmt="brat", only_done=True, batch=1, progress=fail)
    assert _contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brat"]


def test_a_running_exports_working_folder_is_left_alone(
    corpus_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "train.jsonl"
    writing, finish = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    summaries = []

    def slow(done: int, total: int | None, message: str) -> None:
        if message.startswith("Exporting documents") and not writing.is_set():
            writing.set()
            assert finish.wait(60)

    def first() -> None:
        try:
            summaries.append(export(corpus_db, out, fmt="prodigy", batch=1, progress=slow))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert writing.wait(60)
        (running,) = _partials(tmp_path)
        assert remove_abandoned(out) == []
        second = export(corpus_db, out, fmt="prodigy", only_done=True)  # meanwhile
        assert _partials(tmp_path) == [running]
    finally:
        finish.set()
        thread.join()
    assert errors == []
    # The first export (every document) finished last, so its file is the one in place.
    assert summaries[0].documents != second.documents
    assert len(out.read_bytes().splitlines()) == summaries[0].documents
    assert _partials(tmp_path) == []


def _age(path: Path, seconds: float) -> None:
    when = time.time() - seconds
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(item, (when, when), follow_symlinks=False)


def test_only_our_own_abandoned_leftovers_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "train.jsonl"
    dead = _dead_pid()

    def work(name: str, marker: object | None) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        if marker is not None:
            (folder / MARKER).write_bytes(orjson.dumps(marker))
        (folder / "train.jsonl").write_text("half")
        return folder

    ours = work(".train.jsonl.00000000000000aa.partial", {"target": "train.jsonl", "pid": dead})
    kept = [
        work(".train.jsonl.00000000000000bb.partial", None),  # no marker
        work(".train.jsonl.00000000000000cc.partial", {"target": "other.jsonl", "pid": dead}),
        work(".train.jsonl.backup.partial", {"target": "train.jsonl", "pid": dead}),
        work(".train.jsonl.00000000000000dd.partial.keep", {"target": "train.jsonl"}),
    ]
    (tmp_path / ".train.jsonl.00000000000000ee.partial").symlink_to(ours)
    kept.append(tmp_path / ".train.jsonl.00000000000000ee.partial")
    (tmp_path / ".train.jsonl.00000000000000ff.partial").write_text("a file, not our folder")
    kept.append(tmp_path / ".train.jsonl.00000000000000ff.partial")
    # Earlier versions' leftovers (no marker): removed only once quiet for an hour.
    old_file = tmp_path / ".train.jsonl.k2j3h4l5.partial"
    old_file.write_text("half an export")
    _age(old_file, QUIET_SECONDS + 60)
    recent = tmp_path / ".train.jsonl.q9w8e7r6.partial"
    recent.write_text("maybe still being written")
    kept.append(recent)

    removed = remove_abandoned(out)

    assert sorted(removed) == sorted([ours, old_file])
    assert all(os.path.lexists(path) for path in kept)
    assert not os.path.lexists(ours) and not os.path.lexists(old_file)


def test_an_earlier_versions_folder_caught_in_a_swap_comes_back(tmp_path: Path) -> None:
    out = tmp_path / "hf"
    aside = tmp_path / ".hf.old-ab12cd34"
    aside.mkdir()
    (aside / "hf").mkdir()
    (aside / "hf" / "manifest.json").write_text("{}")
    _age(aside, QUIET_SECONDS + 60)
    assert remove_abandoned(out) == [aside]
    assert (out / "manifest.json").read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hf"]
