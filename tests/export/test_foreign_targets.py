"""An export replaces only an earlier export: never a folder of somebody else's files (even one
with a ``manifest.json``), never files a user added to an export folder, never a device or
pipe; a plain file the user names is overwritten as with any other program."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_REJECTED, main
from annotator.export.atomic import atomic_write
from annotator.export.errors import ForeignTargetError
from annotator.export.splitting import parse_split
from annotator.services.exporting import export
from annotator.storage.database import Database


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _webapp(folder: Path, manifest: bytes) -> dict[str, bytes]:
    """A folder of another program: its own ``manifest.json`` and more."""
    folder.mkdir()
    (folder / "manifest.json").write_bytes(manifest)
    (folder / "index.html").write_text("<h1>my site</h1>")
    (folder / "icons").mkdir()
    (folder / "icons" / "logo.svg").write_text("<svg/>")
    return _snapshot(folder)


FOREIGN_MANIFESTS = {
    "web app": orjson.dumps({"name": "My app", "version": "1.0", "icons": []}),
    # Looks like ours at a glance (format and splits), but lacks the marker and our keys.
    "half ours": orjson.dumps({"format": "brat", "offsets": "codepoint", "splits": {}}),
    # Every key of ours but the marker, with a version that never lacked it.
    "no marker": orjson.dumps(
        {
            "manifest_version": 2,
            "format": "brat",
            "offsets": "codepoint",
            "created_at": "2024-01-01T00:00:00+00:00",
            "label_schema_version": 1,
            "splits": {},
        }
    ),
    "not json": b"{ this is not json",
}


@pytest.mark.parametrize("kind", list(FOREIGN_MANIFESTS))
@pytest.mark.parametrize(("fmt", "split"), [("brat", False), ("claims-json", True)])
def test_a_folder_with_another_programs_manifest_is_refused_and_kept(
    corpus_db: Database, tmp_path: Path, kind: str, fmt: str, split: bool
) -> None:
    folder = tmp_path / "site"
    before = _webapp(folder, FOREIGN_MANIFESTS[kind])
    with pytest.raises(ForeignTargetError, match="not an Annotator export") as caught:
        export(
            corpus_db,
            folder,
            fmt=fmt,
            only_done=True,
            split=parse_split("train=0.5,test=0.5", seed=1) if split else None,
        )
    assert str(folder) in str(caught.value)
    assert _snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no partial left either


def test_the_command_line_says_which_folder_in_one_line(
    corpus_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "site"
    before = _webapp(folder, FOREIGN_MANIFESTS["web app"])
    args = ["export", "--db", str(corpus_db.url.database), "--format", "hf"]
    assert main([*args, "--out", str(folder)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(folder) in err and "Traceback" not in err
    assert _snapshot(folder) == before


@pytest.mark.parametrize(
    ("fmt", "added"),
    [
        ("brat", "notes.txt.bak"),  # beside the documents: not a .txt or .ann
        ("brat", "visual.conf"),  # brat's own configuration, which the user wrote
        ("hf", "README.md"),
        ("spacy", "config.cfg"),
    ],
)
def test_files_a_user_added_to_an_export_folder_are_never_deleted(
    corpus_db: Database, tmp_path: Path, fmt: str, added: str
) -> None:
    out = tmp_path / "out"
    export(corpus_db, out, fmt=fmt, only_done=True)
    (out / added).write_text("my notes")
    before = _snapshot(out)
    expected = rf"{re.escape(added)}.* were not written by an export"
    with pytest.raises(ForeignTargetError, match=expected):
        export(corpus_db, out, fmt=fmt, only_done=True)
    assert _snapshot(out) == before
    # Moved out, the export is replaced as usual.
    (out / added).unlink()
    export(corpus_db, out, fmt=fmt, only_done=True)


def test_a_user_file_in_a_split_folder_is_never_deleted(
    corpus_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    split = parse_split("train=0.5,test=0.5", seed=1)
    export(corpus_db, out, fmt="brat", only_done=True, split=split)
    (out / "train" / "todo.md").write_text("check these")
    with pytest.raises(ForeignTargetError, match=r"train/todo\.md"):
        export(corpus_db, out, fmt="brat", only_done=True, split=split)
    assert (out / "train" / "todo.md").read_text() == "check these"


def test_an_export_is_replaced_with_what_file_managers_and_brat_leave_in_it(
    corpus_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export(corpus_db, out, fmt="brat", only_done=True)
    (out / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (out / ".stats_cache").write_bytes(b"brat statistics")
    export(corpus_db, out, fmt="hf", only_done=True)  # another format into the same folder
    assert sorted(p.name for p in out.iterdir()) == ["data.jsonl", "labels.json", "manifest.json"]


def test_an_export_written_before_the_manifest_had_its_marker_is_still_replaced(
    corpus_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export(corpus_db, out, fmt="hf", only_done=True)
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["kind"] == "annotator-export"
    del manifest["kind"]
    manifest["manifest_version"] = 1
    (out / "manifest.json").write_bytes(orjson.dumps(manifest))
    export(corpus_db, out, fmt="brat", only_done=True)
    assert (out / "annotation.conf").is_file()


def test_a_plain_file_is_overwritten_but_a_pipe_or_folder_is_not(
    corpus_db: Database, tmp_path: Path
) -> None:
    plain = tmp_path / "train.jsonl"
    plain.write_text("yesterday's export")
    export(corpus_db, plain, fmt="prodigy", only_done=True)
    assert plain.read_bytes().startswith(b"{")
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    with pytest.raises(ForeignTargetError, match="not a regular file") as caught:
        export(corpus_db, pipe, fmt="prodigy", only_done=True)
    assert str(pipe) in str(caught.value)
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    with pytest.raises(ForeignTargetError, match="is a folder"):
        export(corpus_db, tmp_path, fmt="prodigy", only_done=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.jsonl", "train.jsonl"]


def test_files_put_into_the_old_export_while_the_new_one_is_written_are_kept(
    corpus_db: Database, tmp_path: Path
) -> None:
    """Ownership is checked again just before the swap, not only when the export starts."""
    out = tmp_path / "out"
    export(corpus_db, out, fmt="brat", only_done=True)

    def progress(done: int, total: int | None, message: str) -> None:
        if message.startswith("Reading the export back"):
            (out / "draft-notes.md").write_text("written meanwhile")

    with pytest.raises(ForeignTargetError, match=r"draft-notes\.md"):
        export(corpus_db, out, fmt="brat", only_done=True, progress=progress)
    assert (out / "draft-notes.md").read_text() == "written meanwhile"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_overviews_atomic_writer_does_not_replace_a_pipe_either(tmp_path: Path) -> None:
    pipe = tmp_path / "overview.csv"
    os.mkfifo(pipe)
    with (
        pytest.raises(ForeignTargetError, match="not a regular file"),
        atomic_write(pipe) as handle,
    ):
        handle.write(b"a,b\n")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["overview.csv"]
