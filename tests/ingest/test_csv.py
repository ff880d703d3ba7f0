from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from annotator.ingest.csv_records import sniff_delimiter
from annotator.ingest.field_names import FieldNames
from annotator.ingest.readers import read
from annotator.ingest.records import ImportedDocument, ImportProblem
from tests.ingest.fixtures import STORIES, article


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def _split(path: Path, **options: object) -> tuple[list[ImportedDocument], list[ImportProblem]]:
    items = list(read(path, **options))  # type: ignore[arg-type]
    documents = [item for item in items if isinstance(item, ImportedDocument)]
    problems = [item for item in items if isinstance(item, ImportProblem)]
    return documents, problems


HEADER = ["id", "title", "text", "section"]


def _row(index: int) -> list[str]:
    return [f"s{index}", "", article(STORIES[index]), "world"]


def test_rows_become_documents_and_extra_columns_go_to_meta(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_bytes(_csv([HEADER, _row(0), _row(1)]))

    documents, problems = _split(path)

    assert problems == []
    first, second = documents
    assert first.text == article(STORIES[0])
    assert first.title == STORIES[0].headline
    assert first.meta == {"section": "world"}
    # The text spans several lines: the second row starts where the first one's cell ended.
    assert first.origin == f"{path}:2"
    assert second.origin == f"{path}:{3 + article(STORIES[0]).count(chr(10))}"


def test_tsv_and_sniffed_delimiters(tmp_path: Path) -> None:
    tsv = tmp_path / "news.tsv"
    tsv.write_bytes(_csv([HEADER, _row(2)], delimiter="\t"))
    semicolons = tmp_path / "news.csv"
    semicolons.write_bytes(_csv([HEADER, _row(3)], delimiter=";"))

    assert [d.external_id for d in _split(tsv)[0]] == ["s2"]
    assert [d.external_id for d in _split(semicolons)[0]] == ["s3"]
    assert sniff_delimiter('"a,b";c;d\n') == ";"
    assert sniff_delimiter("text\n") == ","


def test_a_bad_row_is_reported_and_the_next_rows_still_come(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_bytes(_csv([HEADER, _row(0), ["s9", "only two"], _row(1)]))

    documents, problems = _split(path)

    assert [d.external_id for d in documents] == ["s0", "s1"]
    (problem,) = problems
    assert problem.path == str(path)
    assert problem.line == 3 + article(STORIES[0]).count("\n")
    assert "has 2 cells but the header has 4" in problem.reason


def test_stray_quotes_are_reported_per_row(tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_bytes(b'id,text\n1,"closed" then text\n2,Fine row\n3,"never closed\n4,Lost row\n')

    documents, problems = _split(path)

    assert [d.external_id for d in documents] == ["2"]
    assert [p.line for p in problems] == [2, 4]
    assert "',' expected after '\"'" in problems[0].reason
    assert "never closed" in problems[1].reason


def test_missing_text_column_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "notext.csv"
    path.write_bytes(_csv([["id", "body"], ["1", "text"], ["2", "more"]]))
    documents, problems = _split(path)
    assert documents == []
    (problem,) = problems
    assert problem.line == 1
    assert problem.field == "text"
    assert "no 'text' column" in problem.reason


def test_custom_field_names_and_a_meta_column(tmp_path: Path) -> None:
    path = tmp_path / "custom.csv"
    path.write_bytes(
        _csv(
            [
                ["guid", "body", "extra", "desk"],
                ["1", "Body one", '{"lang": "en"}', "metro"],
                ["2", "Body two", "[1]", "metro"],
                ["3", "", "", "metro"],
            ]
        )
    )
    fields = FieldNames(text="body", id="guid", meta="extra")

    documents, problems = _split(path, fields=fields)

    assert [(d.external_id, d.meta) for d in documents] == [("1", {"desk": "metro", "lang": "en"})]
    assert [(p.line, p.field) for p in problems] == [(3, "extra"), (4, "body")]
    assert "must be an object" in problems[0].reason
    assert "empty" in problems[1].reason


def test_invalid_utf8_in_one_row(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"id,text\n1,Good row\n2,Caf\xe9 row\n3,Another good row\n")
    documents, problems = _split(path)
    assert [d.external_id for d in documents] == ["1", "3"]
    (problem,) = problems
    assert (problem.line, problem.field) == (3, "text")
    assert "not valid UTF-8: byte 0xe9" in problem.reason


def test_duplicate_ids(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_bytes(b"id,text\na,One\nb,Two\na,Three\n")
    documents, problems = _split(path)
    assert [d.text for d in documents] == ["One", "Two"]
    (problem,) = problems
    assert problem.line == 4
    assert problem.reason == "duplicate id 'a' (first seen on line 2)"


def test_crlf_bom_and_a_cell_larger_than_the_csv_default(tmp_path: Path) -> None:
    big = "Para. " * 40_000  # 240 kB: over csv's default 128 kB cell limit
    path = tmp_path / "excel.csv"
    path.write_bytes(
        codecs.BOM_UTF8 + f'id,text\r\n1,"Line one\r\nLine two"\r\n2,{big}\r\n'.encode()
    )
    documents, problems = _split(path)
    assert problems == []
    assert documents[0].text == "Line one\nLine two"
    assert documents[1].text == big


@pytest.mark.parametrize(
    ("data", "reason", "severity"),
    [
        (b"", "file is empty", "error"),
        (b"\n \n", "file is empty", "error"),
        (b"id,text\n", "has a header row but no records", "warning"),
    ],
)
def test_empty_files(tmp_path: Path, data: bytes, reason: str, severity: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(data)
    (problem,) = read(path)
    assert isinstance(problem, ImportProblem)
    assert (problem.reason, problem.severity, problem.path) == (reason, severity, str(path))
