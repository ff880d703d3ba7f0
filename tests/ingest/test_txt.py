from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.core import limits
from annotator.ingest.readers import read, read_all
from annotator.ingest.records import ImportedDocument, ImportProblem
from tests.ingest.fixtures import PNG_BYTES, STORIES, article


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _only_problem(path: Path) -> ImportProblem:
    items = list(read(path))
    assert len(items) == 1, items
    assert isinstance(items[0], ImportProblem)
    assert items[0].path == str(path)
    return items[0]


def test_a_text_file_is_one_document_kept_whole(tmp_path: Path) -> None:
    text = article(STORIES[0])
    path = _write(tmp_path / "lantern-post", "port-strike.txt", text.encode())

    (document,) = read(path)

    assert isinstance(document, ImportedDocument)
    assert document.text == text  # not stripped: the trailing newline stays too
    assert document.title == STORIES[0].headline
    assert document.external_id == "port-strike"
    assert document.source == "lantern-post"
    assert document.origin == str(path)


def test_title_is_the_first_non_empty_line_and_source_can_be_given(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.text", b"\n\n   Headline with spaces  \nbody\n")

    (document,) = read(path, source="Lantern Post")

    assert isinstance(document, ImportedDocument)
    assert document.title == "Headline with spaces"
    assert document.text.startswith("\n\n   Headline")
    assert document.source == "Lantern Post"


def test_crlf_is_normalised(tmp_path: Path) -> None:
    path = _write(tmp_path, "crlf.txt", b"Headline\r\nStandfirst\r\rBody\r\n")

    (document,) = read(path)

    assert isinstance(document, ImportedDocument)
    assert document.text == "Headline\nStandfirst\n\nBody\n"


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n  "], ids=["empty", "whitespace"])
def test_an_empty_file_is_a_problem(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path, "empty.txt", data)
    assert _only_problem(path).reason == "file is empty"


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "image.txt", PNG_BYTES)
    problem = _only_problem(path)
    assert "NUL bytes" in problem.reason
    assert str(path) in problem.describe()


def test_bytes_invalid_in_utf8_and_cp1252_are_refused(tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252, so no fallback can read it.
    path = _write(tmp_path, "bad.txt", "Headline\nCaf\u00e9 ".encode() + b"\x81\xff\n")
    problem = _only_problem(path)
    assert "neither UTF-8 nor Windows-1252" in problem.reason
    assert problem.severity == "error"


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    text = "Sm\u00f8rrebr\u00f8d festival opens\nIt draws 12,000 visitors.\n"
    path = _write(tmp_path, "utf16.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

    (document,) = read(path)

    assert isinstance(document, ImportedDocument)
    assert document.text == text


def test_windows_1252_is_decoded_with_a_warning(tmp_path: Path) -> None:
    text = "Caf\u00e9 owners say \u201cprices\u201d rose by \u20ac2\n"
    path = _write(tmp_path, "cp1252.txt", text.encode("cp1252"))

    warning, document = read(path)

    assert isinstance(warning, ImportProblem)
    assert warning.severity == "warning"
    assert warning.path == str(path)
    assert "Windows-1252" in warning.reason
    assert isinstance(document, ImportedDocument)
    assert document.text == text


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1024)
    path = _write(tmp_path, "dump.txt", b"Headline\n" + b"word " * 400)
    problem = _only_problem(path)
    assert "limit is" in problem.reason
    assert problem.reason.startswith("file is")


def test_nfc_is_applied(tmp_path: Path) -> None:
    path = _write(tmp_path, "nfd.txt", "Cafe\u0301 reopens\n".encode())
    (document,) = read(path)
    assert isinstance(document, ImportedDocument)
    assert document.text == "Caf\u00e9 reopens\n"


def test_bad_files_in_a_folder_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "scrape"
    _write(folder, "a-empty.txt", b"")
    _write(folder, "b-good.txt", article(STORIES[1]).encode())
    _write(folder, "c-binary.txt", PNG_BYTES)
    _write(folder, "d-good.txt", article(STORIES[2]).encode())

    items = list(read_all([folder]))

    documents = [item for item in items if isinstance(item, ImportedDocument)]
    problems = [item for item in items if isinstance(item, ImportProblem)]
    assert [d.external_id for d in documents] == ["b-good", "d-good"]
    assert [Path(p.path).name for p in problems] == ["a-empty.txt", "c-binary.txt"]
