"""A NUL in a record refuses that record, naming its file, line and field, in every reader;
the records after it are imported. A line that is mostly NUL bytes (a binary file) still ends
the reading of its file, with one problem."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.ingest.readers import read
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.services.importing import import_paths
from annotator.storage.database import Database

NUL = b"\x00"


def _split(items: list) -> tuple[list[ImportedDocument], list[ImportProblem]]:
    return (
        [i for i in items if isinstance(i, ImportedDocument)],
        [i for i in items if isinstance(i, ImportProblem)],
    )


def _lines(*records: dict) -> bytes:
    return b"".join(orjson.dumps(record) + b"\n" for record in records)


def _with_raw_nul(data: bytes, marker: str = "@NUL@") -> bytes:
    """``data`` with each JSON-quoted marker replaced by a raw NUL byte (what a broken writer
    leaves in a file; no JSON writer would)."""
    return data.replace(marker.encode(), NUL)


# (format, file name, contents, ids imported, line of the problem, field named)
CASES = [
    (
        "csv",
        "rows.csv",
        b"id,text\n1,First row.\n2,Bad" + NUL + b"row.\n3,Third row.\n4,Fourth row.\n",
        ["1", "3", "4"],
        3,
        "text",
    ),
    (
        "csv",
        "rows.tsv",
        b"id\ttitle\ttext\n1\tA\tFirst row.\n2\tB" + NUL + b"\tSecond row.\n3\tC\tThird row.\n",
        ["1", "3"],
        3,
        "title",
    ),
    (
        "csv",
        "ids.csv",
        b"id,text\n1,First row.\n2" + NUL + b",Second row.\n3,Third row.\n",
        ["1", "3"],
        3,
        "id",
    ),
    (
        "csv",
        "extra.csv",
        b"id,text,desk\n1,First row.,news\n2,Second row.,sp" + NUL + b"ort\n3,Third row.,\n",
        ["1", "3"],
        3,
        "desk",
    ),
    (
        "jsonl",
        "plain.jsonl",
        _with_raw_nul(
            _lines(
                {"id": "a", "text": "One."},
                {"id": "b", "text": "T@NUL@wo."},
                {"id": "c", "text": "Three."},
            )
        ),
        ["a", "c"],
        2,
        "text",
    ),
    (
        "jsonl",
        "escaped.jsonl",
        _lines(
            {"id": "a", "text": "One."},
            {"id": "b", "text": "Two.", "source": "wire\u0000"},
            {"id": "c", "text": "Three."},
        ),
        ["a", "c"],
        2,
        "source",
    ),
    (
        "annotator",
        "native.jsonl",
        _with_raw_nul(
            _lines(
                {"id": "a", "text": "Ana Lee spoke.", "entities": []},
                {
                    "id": "b",
                    "text": "Ana Lee spoke.\n",
                    "entities": [{"start": 0, "end": 7, "label": "PER@NUL@SON"}],
                },
                {"id": "c", "text": "Bo Chen spoke.", "entities": []},
            )
        ),
        ["a", "c"],
        2,
        "entities[0].label",
    ),
    (
        "prodigy",
        "prodigy.jsonl",
        _with_raw_nul(
            _lines(
                {"text": "One.", "meta": {"id": "a"}},
                {"text": "Two.", "meta": {"id": "b@NUL@"}},
                {"text": "Three.", "meta": {"id": "c"}},
            )
        ),
        ["a", "c"],
        2,
        "meta.id",
    ),
    (
        "doccano",
        "doccano.jsonl",
        _with_raw_nul(
            _lines(
                {"id": "a", "text": "One."},
                {"id": "b", "text": "Two.", "meta": {"note": "x@NUL@"}},
                {"id": "c", "text": "Three."},
            )
        ),
        ["a", "c"],
        2,
        "meta.note",
    ),
    (
        "labelstudio",
        "tasks.json",
        _with_raw_nul(
            orjson.dumps(
                [
                    {"data": {"text": "One.", "document_id": "a"}},
                    {"data": {"text": "T@NUL@wo.", "document_id": "b"}},
                    {"data": {"text": "Three.", "document_id": "c"}},
                ]
            )
        ),
        ["a", "c"],
        2,
        "data.text",
    ),
]


@pytest.mark.parametrize(
    ("fmt", "name", "data", "ids", "line", "field"), CASES, ids=[c[1] for c in CASES]
)
def test_a_nul_refuses_its_record_and_the_rest_is_read(
    tmp_path: Path, fmt: str, name: str, data: bytes, ids: list[str], line: int, field: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    documents, problems = _split(list(read(path, fmt)))
    assert [d.external_id for d in documents] == ids
    (problem,) = problems
    assert (problem.path, problem.line, problem.field) == (str(path), line, field)
    assert "NUL" in problem.reason and problem.severity == "error"


def test_a_text_file_with_a_nul_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"Headline\nBody with a\x00NUL.\n")
    (problem,) = read(path)
    assert isinstance(problem, ImportProblem)
    assert (problem.path, problem.line) == (str(path), 2) and "NUL" in problem.reason


def test_a_brat_text_with_a_nul_is_refused_naming_the_txt(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_bytes(b"Ana Lee\x00 spoke.\n")
    (tmp_path / "doc.ann").write_text("T1\tPERSON 0 3\tAna\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Bo Chen spoke.\n", encoding="utf-8")
    items = [item for path in sorted(tmp_path.iterdir()) for item in read(path, "brat")]
    documents, problems = _split(items)
    assert [d.external_id for d in documents] == ["ok"]
    assert {(p.path, "NUL" in p.reason) for p in problems} == {(str(tmp_path / "doc.txt"), True)}


def test_the_import_counts_the_refused_row_and_keeps_the_rows_after_it(
    db: Database, tmp_path: Path
) -> None:
    """The reported fault: "0 rejected", and every row from the NUL on was lost."""
    path = tmp_path / "rows.csv"
    rows = [f"{n},Row number {n} of the file." for n in range(1, 21)]
    rows[4] = "5,Row five\x00 is damaged."
    path.write_bytes(("id,text\n" + "\n".join(rows) + "\n").encode())
    summary = import_paths(db, [path], detect_boilerplate=False)
    assert summary.imported == 19
    (error,) = summary.errors
    assert (error.path, error.line, error.field) == (str(path), 6, "text")


def test_a_binary_tail_of_a_csv_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"id,text\n1,First row.\n" + b"\x89PNG\r\n" + bytes(64) + b"\n")
    documents, problems = _split(list(read(path)))
    assert [d.external_id for d in documents] == ["1"]
    assert problems and "NUL bytes" in problems[-1].reason and problems[-1].line == 4


def test_utf16_without_a_byte_order_mark_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes(_lines({"text": "One."}, {"text": "Two."}).decode().encode("utf-16-le"))
    (problem,) = read(path)
    assert isinstance(problem, ImportProblem)
    assert problem.line == 1 and "UTF-16" in problem.reason
