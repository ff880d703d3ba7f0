from __future__ import annotations

import codecs
from pathlib import Path

import orjson
import pytest

from annotator.core import limits
from annotator.ingest.field_names import FieldNames
from annotator.ingest.readers import read
from annotator.ingest.records import ImportedDocument, ImportProblem
from tests.ingest.fixtures import PNG_BYTES, STORIES, article, write_jsonl


def _good(index: int, **extra: object) -> dict[str, object]:
    story = STORIES[index]
    return {"id": f"s{index}", "text": article(story), "source": "Lantern Post", **extra}


def _split(items: list[object]) -> tuple[list[ImportedDocument], list[ImportProblem]]:
    documents = [item for item in items if isinstance(item, ImportedDocument)]
    problems = [item for item in items if isinstance(item, ImportProblem)]
    assert len(documents) + len(problems) == len(items)
    return documents, problems


def _one_bad_line(path: Path, bad: bytes | dict[str, object]) -> ImportProblem:
    """Write good, bad, good; return the one problem after checking both goods came through."""
    write_jsonl(path, [_good(0), bad, _good(1)])
    documents, problems = _split(list(read(path)))
    assert [d.external_id for d in documents] == ["s0", "s1"]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.path == str(path)
    assert problem.line == 2
    return problem


def test_records_become_documents(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "news.jsonl",
        [_good(0, title="  Port   strike\nday two "), _good(1, meta={"lang": "en"}, section="x")],
    )

    first, second = read(path)

    assert isinstance(first, ImportedDocument)
    assert isinstance(second, ImportedDocument)
    assert first.text == article(STORIES[0])
    assert first.title == "Port strike day two"
    assert first.source == "Lantern Post"
    assert first.origin == f"{path}:1"
    assert second.title == STORIES[1].headline  # defaults to the first line of the text
    assert second.meta == {"section": "x", "lang": "en"}  # unknown keys are kept in meta
    assert second.origin == f"{path}:2"


def test_field_names_are_configurable(tmp_path: Path) -> None:
    fields = FieldNames(text="body", title="headline", id="guid", source="outlet", meta="extra")
    record = {"guid": 7, "body": "Line one\r\nLine two", "headline": "H", "outlet": "Wire"}
    path = write_jsonl(tmp_path / "custom.ndjson", [record])

    (document,) = read(path, fields=fields)

    assert isinstance(document, ImportedDocument)
    assert (document.external_id, document.title, document.source) == ("7", "H", "Wire")
    assert document.text == "Line one\nLine two"  # CRLF normalised


def test_a_broken_line_in_the_middle(tmp_path: Path) -> None:
    problem = _one_bad_line(tmp_path / "broken.jsonl", b'{"id": "x", "text": "cut off here')
    assert "not valid JSON" in problem.reason
    assert f"{tmp_path / 'broken.jsonl'}:2" in problem.describe()


def test_invalid_utf8_line(tmp_path: Path) -> None:
    problem = _one_bad_line(tmp_path / "latin.jsonl", b'{"id": "x", "text": "Caf\xe9"}')
    assert "not valid UTF-8" in problem.reason
    assert "0xe9" in problem.reason


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        ({"id": "x"}, "text", "missing"),
        ({"id": "x", "text": "  \n "}, "text", "empty"),
        ({"id": "x", "text": 12}, "text", "must be a string"),
        ({"id": "x", "text": "ok", "meta": ["a"]}, "meta", "must be an object"),
        ({"id": ["x"], "text": "ok"}, "id", "string or an integer"),
        ({"id": "x", "text": "NUL \u0000 inside"}, "text", "NUL"),
        ({"id": "x", "text": "lone \ud800"}, None, None),
    ],
    ids=["missing-text", "blank-text", "text-type", "meta", "id-type", "nul", "surrogate"],
)
def test_bad_values_name_their_field(
    tmp_path: Path, bad: dict[str, object], field: str | None, words: str | None
) -> None:
    line = (
        b'{"id": "x", "text": "lone \\ud800"}'
        if field is None
        else orjson.dumps(bad)  # orjson cannot write a lone surrogate; the raw line does
    )
    problem = _one_bad_line(tmp_path / "bad.jsonl", line)
    if field is not None:
        assert problem.field == field
        assert words in problem.reason
    else:
        assert "surrogate" in problem.reason


def test_a_line_that_is_not_an_object(tmp_path: Path) -> None:
    problem = _one_bad_line(tmp_path / "array.jsonl", b'["text", "in an array"]')
    assert "must be a JSON object, got an array" in problem.reason


def test_duplicate_ids_name_the_first_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "dup.jsonl", [_good(0), _good(1), _good(2, id="s0")])
    documents, problems = _split(list(read(path)))
    assert [d.external_id for d in documents] == ["s0", "s1"]
    (problem,) = problems
    assert problem.line == 3
    assert problem.field == "id"
    assert problem.reason == "duplicate id 's0' (first seen on line 1)"


def test_blank_lines_and_a_utf8_bom_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(
        codecs.BOM_UTF8 + orjson.dumps(_good(0)) + b"\n\n   \n" + orjson.dumps(_good(1)) + b"\n"
    )
    documents, problems = _split(list(read(path)))
    assert problems == []
    assert [d.origin for d in documents] == [f"{path}:1", f"{path}:4"]


def test_utf16_jsonl_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    body = "\n".join(orjson.dumps(_good(i)).decode() for i in range(2)) + "\n"
    path.write_bytes(codecs.BOM_UTF16_LE + body.encode("utf-16-le"))
    documents, problems = _split(list(read(path)))
    assert problems == []
    assert [d.text for d in documents] == [article(STORIES[0]), article(STORIES[1])]


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n  \n")
    (problem,) = read(empty)
    assert isinstance(problem, ImportProblem)
    assert problem.reason == "file is empty"

    binary = tmp_path / "image.jsonl"
    binary.write_bytes(orjson.dumps(_good(0)) + b"\n" + PNG_BYTES)
    documents, problems = _split(list(read(binary)))
    assert len(documents) == 1
    # "\x89PNG" is reported as a bad line; at the first NUL byte the reading stops, rather than
    # reporting every "line" of the image.
    assert [p.line for p in problems] == [2, 3, 4]
    assert all(p.path == str(binary) for p in problems)
    assert "NUL bytes" in problems[-1].reason


def test_a_pretty_printed_json_document_is_named(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(orjson.dumps([_good(0)], option=orjson.OPT_INDENT_2))
    (problem,) = read(path)
    assert isinstance(problem, ImportProblem)
    assert "not JSON Lines" in problem.reason


def test_an_over_long_line_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 4096)
    problem = _one_bad_line(tmp_path / "long.jsonl", _good(3, text="x" * 10_000))
    assert problem.reason.startswith("line is")
    assert "limit is" in problem.reason


def test_records_with_annotations_are_read_as_native(tmp_path: Path) -> None:
    text = "Skylark Aerial won the contract."
    record = {"id": "a", "text": text, "entities": [{"start": 0, "end": 14, "label": "ORG"}]}
    path = write_jsonl(tmp_path / "mixed.jsonl", [_good(0), record])

    plain, annotated = read(path, "jsonl")

    assert isinstance(plain, ImportedDocument)
    assert isinstance(annotated, ImportedDocument)
    assert [(e.start, e.end, e.label) for e in annotated.entities] == [(0, 14, "ORG")]

    # Under custom field names the record cannot be read as native: refused, not stripped.
    _, problem = read(path, "jsonl", fields=FieldNames(title="headline"))
    assert isinstance(problem, ImportProblem)
    assert problem.line == 2
    assert problem.field == "entities"
    assert "'annotator' format" in problem.reason
