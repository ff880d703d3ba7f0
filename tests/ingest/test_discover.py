from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.ingest.discover import detect_format, iter_paths
from annotator.ingest.readers import read, read_all
from annotator.ingest.records import ImportedDocument, ImportProblem
from tests.ingest.fixtures import write_jsonl


def _touch(path: Path, data: bytes = b"Headline\nBody\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_iter_paths_walks_folders_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for name in ["b.txt", "a.jsonl", "sub/c.csv", "sub/z/d.TXT", ".hidden.txt", "notes.md"]:
        _touch(root / name)
    _touch(root / ".git" / "config.txt")
    single = _touch(tmp_path / "single.md")

    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths([root, single])]

    assert found == [
        "corpus/a.jsonl",
        "corpus/b.txt",
        "corpus/sub/c.csv",
        "corpus/sub/z/d.TXT",
        "single.md",  # named explicitly: kept, and its reader will say why it cannot be read
    ]
    every = [p.name for p in iter_paths([root], suffixes=())]
    assert "notes.md" in every
    assert ".hidden.txt" not in every


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "txt"),
        ("a.text", "txt"),
        ("a.csv", "csv"),
        ("a.tsv", "csv"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.json", "jsonl"),
    ],
)
def test_detect_format_by_extension(tmp_path: Path, name: str, fmt: str) -> None:
    assert detect_format(_touch(tmp_path / name, b'{"text": "x"}\n')) == fmt


@pytest.mark.parametrize(
    "first",
    [
        {"text": "x", "offsets": "codepoint"},
        {"text": "x", "entities": []},
        {"text": "x", "claims": []},
        {"text": "x", "offsets": "utf16"},  # native, so that it is refused rather than stripped
    ],
)
def test_detect_format_sees_native_records(tmp_path: Path, first: dict[str, object]) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [b"not json", first, {"text": "y"}])
    assert detect_format(path) == "annotator"


def test_unknown_extension(tmp_path: Path) -> None:
    path = _touch(tmp_path / "page.html")
    with pytest.raises(InputError, match=r"'\.html' cannot be imported"):
        detect_format(path)
    (problem,) = read(path)
    assert isinstance(problem, ImportProblem)
    assert problem.path == str(path)


def test_read_reports_missing_files_and_folders(tmp_path: Path) -> None:
    (missing,) = read(tmp_path / "gone.txt")
    (folder,) = read(tmp_path)
    assert isinstance(missing, ImportProblem)
    assert "cannot be read" in missing.reason
    assert isinstance(folder, ImportProblem)
    assert "folder" in folder.reason
    with pytest.raises(ValueError, match="unknown import format"):
        next(read(tmp_path / "gone.txt", "xml"))


def test_read_all_mixes_formats_in_order(tmp_path: Path) -> None:
    _touch(tmp_path / "lantern" / "1.txt", b"Text file headline\nBody.\n")
    _touch(tmp_path / "lantern" / "2.csv", b"id,text\nc1,CSV row text\n")
    write_jsonl(tmp_path / "lantern" / "3.jsonl", [{"id": "j1", "text": "JSON text"}])

    documents = [d for d in read_all([tmp_path]) if isinstance(d, ImportedDocument)]

    assert [d.title for d in documents] == ["Text file headline", "CSV row text", "JSON text"]
    assert [d.source for d in documents] == ["lantern", None, None]
