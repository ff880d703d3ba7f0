"""What the file system does to an export: a full disk, names too long for it, the user's umask,
and checks that write nothing outside the export. Real file systems throughout: the full disk
is a small tmpfs mounted by the test (the tests run as root)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_REJECTED, main
from annotator.export import brat
from annotator.export.atomic import atomic_write
from annotator.export.errors import ExportWriteError
from annotator.export.splitting import parse_split
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.corpus import fill

ROOT = Path(__file__).resolve().parents[2]
WORDS = "The harbour authority said on Tuesday that ferries would resume. ".split()


def _article(n: int, words: int = 600) -> dict[str, object]:
    text = f"Article {n}. " + " ".join(WORDS[(n + i) % len(WORDS)] for i in range(words)) + "\n"
    return {"id": f"article-{n:04d}", "text": text, "statuses": {"ana": "done"}}


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """About 1.5 MB of text: more than the small disk holds in any format."""
    folder = tmp_path_factory.mktemp("big")
    db = Database.open(folder / "project.sqlite")
    fill(db, folder, [_article(n) for n in range(400)])
    yield db
    db.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs: a real disk that fills up."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield disk
    finally:
        busy = subprocess.run(["umount", str(disk)], capture_output=True, check=False)
        if busy.returncode != 0:  # detach it anyway, then say why
            subprocess.run(["umount", "--lazy", str(disk)], check=True)
            pytest.fail(f"the disk was still in use (a file left open?): {busy.stderr!r}")


@pytest.mark.parametrize(("fmt", "name"), [("annotator", "out.jsonl"), ("brat", "out")])
def test_a_full_disk_is_a_message_naming_the_target_and_the_previous_export_stays(
    flag_db: Database, big_db: Database, small_disk: Path, fmt: str, name: str
) -> None:
    out = small_disk / name
    export(flag_db, out, fmt=fmt)  # a small previous export, which fits
    before = _contents(out)
    with pytest.raises(ExportWriteError, match="the disk is full") as caught:
        export(big_db, out, fmt=fmt)
    assert str(out) in str(caught.value)
    assert _contents(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == [name]  # the partial is gone


def test_a_full_disk_on_the_command_line_is_one_line(
    big_db: Database, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = small_disk / "train.jsonl"
    # --quiet: only the message, not the one line per finished phase of progress.
    args = ["export", "--quiet", "--db", str(big_db.url.database), "--format", "prodigy", "--all"]
    assert main([*args, "--out", str(out)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"cannot write the export {out}: the disk is full" in err
    assert list(small_disk.iterdir()) == []


def _contents(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {"": path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}


LONG_IDS = [
    "x" * 300,
    "x" * 300 + "y",  # the same first 300 characters: the hash tells them apart
    "ü" * 200,  # 400 bytes in UTF-8
    "CON",  # a device name on Windows
    "a b",
    "a/b",  # both become a_b
    "A_B",  # and so does this one, on a file system that ignores case
    "../../etc/passwd",
    ".hidden",
]


@pytest.fixture(scope="module")
def awkward_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("awkward")
    db = Database.open(folder / "project.sqlite")
    records = [
        {"id": key, "text": f"Document {n} says little.\n", "statuses": {"ana": "done"}}
        for n, key in enumerate(LONG_IDS)
    ]
    fill(db, folder, records)
    yield db
    db.close()


@pytest.mark.parametrize("split", [False, True])
def test_long_and_awkward_ids_become_safe_unique_brat_names_that_map_back(
    awkward_db: Database, tmp_path: Path, split: bool
) -> None:
    out = tmp_path / "brat"
    spec = parse_split("train=0.5,test=0.5", seed=3) if split else None
    export(awkward_db, out, fmt="brat", split=spec)
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    renamed = manifest["renamed"]
    stems = [p.stem for p in out.rglob("*.ann")]
    assert len(stems) == len(LONG_IDS)
    assert len({stem.lower() for stem in stems}) == len(stems)  # unique, even ignoring case
    for path in out.rglob("*"):
        assert len(path.name.encode()) <= brat.STEM_LIMIT + len(".ann")
        assert path.resolve().is_relative_to(out.resolve())
    # Every file name maps back to exactly its document's id.
    assert sorted(renamed.get(stem, stem) for stem in stems) == sorted(LONG_IDS)
    assert not any(stem.split(".")[0].upper() == "CON" for stem in stems)
    # Text and annotations are the document's: the .txt of an id says its number.
    for stem in stems:
        key = renamed.get(stem, stem)
        (txt,) = out.rglob(f"{stem}.txt")
        assert txt.read_text() == f"Document {LONG_IDS.index(key)} says little.\n"


def test_a_name_too_long_for_the_file_system_is_a_message(
    flag_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / ("n" * 300 + ".jsonl")
    with pytest.raises(ExportWriteError, match="file name is too long") as caught:
        export(flag_db, out, fmt="annotator")
    assert str(out) in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_long_name_that_fits_the_file_system_is_exported(
    flag_db: Database, tmp_path: Path
) -> None:
    """The working folder's name must fit too: 240 + ``.<random>.partial`` would not."""
    out = tmp_path / ("n" * 240 + ".jsonl")
    export(flag_db, out, fmt="annotator")
    for fmt in ("hf", "brat"):
        export(flag_db, tmp_path / ("f" * 250), fmt=fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, "f" * 250])


def test_a_path_through_a_file_is_a_message(flag_db: Database, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    out = tmp_path / "notes.txt" / "out.jsonl"  # ENOTDIR: the parent is a file
    with pytest.raises(ExportWriteError, match="is a file, not a folder"):
        export(flag_db, out, fmt="annotator")


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
def test_exports_are_created_with_the_users_umask(corpus_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "train.jsonl"
    export(corpus_db, out, fmt="prodigy", only_done=True)
    assert _mode(out) == 0o640
    folder = tmp_path / "brat"
    export(corpus_db, folder, fmt="brat", only_done=True, split=parse_split("a=0.5,b=0.5"))
    assert _mode(folder) == 0o750
    assert {_mode(p) for p in folder.rglob("*") if p.is_dir()} == {0o750}
    assert {_mode(p) for p in folder.rglob("*") if p.is_file()} == {0o640}
    for fmt in ("hf", "spacy"):
        export(corpus_db, tmp_path / fmt, fmt=fmt, only_done=True)
        assert _mode(tmp_path / fmt) == 0o750
        assert {_mode(p) for p in (tmp_path / fmt).iterdir()} == {0o640}
    with atomic_write(tmp_path / "overview.csv") as handle:  # the overview's CSV and charts
        handle.write(b"a,b\n")
    assert _mode(tmp_path / "overview.csv") == 0o640


_CHECK = """
import sys
from pathlib import Path
from annotator.export.checking import check_export
from annotator.services.exporting import export
from annotator.storage.database import Database

db = Database.open(Path(sys.argv[1]))
out = Path(sys.argv[2])
for fmt in ("hf", "spacy", "prodigy"):
    export(db, out / fmt, fmt=fmt, only_done=True)
    assert check_export(out / fmt, fmt) == [], fmt
"""


def test_reading_an_export_back_leaves_nothing_behind(corpus_db: Database, tmp_path: Path) -> None:
    """Exports and checks in a process whose home, caches and temporary folder are empty
    folders: only the exports may appear. (The hf check loads the file with ``datasets``
    where it is installed, which by default caches it in the home folder.)"""
    places = {name: tmp_path / name for name in ("home", "cache", "hf", "tmp")}
    for place in places.values():
        place.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "XDG_"))}
    env |= {
        "HOME": str(places["home"]),
        "XDG_CACHE_HOME": str(places["cache"]),
        "HF_HOME": str(places["hf"]),
        "TMPDIR": str(places["tmp"]),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    out = tmp_path / "out"
    out.mkdir()
    database = str(corpus_db.url.database)
    done = subprocess.run(
        [sys.executable, "-c", _CHECK, database, str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert {name: sorted(os.listdir(place)) for name, place in places.items()} == {
        name: [] for name in places
    }
    assert sorted(p.name for p in out.iterdir()) == ["hf", "prodigy", "spacy"]
