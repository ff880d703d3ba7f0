"""The native export's cheap read-back (docs/adr/0027-export-reads-plain-rows.md) still refuses
what the detailed check refuses, naming the line and field, and lets through what goes out
clean: rows checked a column at a time as they are read, the synced file compared line by line
with what was written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy

from annotator.core.model import GOLD_ANNOTATOR, DocumentState, Layer, Span, Status
from annotator.export.errors import ExportCheckError
from annotator.export.native import NativeWriter
from annotator.export.native_rows import RowCheck
from annotator.export.writing import ExportContext
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.corpus import FLAG_TEXT, fill, flag_record


@pytest.fixture
def flag(backend_db: Database, tmp_path: Path) -> tuple[Database, int]:
    fill(backend_db, tmp_path, [flag_record()])
    with backend_db.read() as store:
        (doc_id,) = store.document_ids()
    return backend_db, doc_id


def _run(db: Database, statement: str, **values: Any) -> None:
    with db.write() as store:
        store.session.execute(sqlalchemy.text(statement), values)


def test_a_span_past_its_text_is_refused_naming_line_and_field(
    flag: tuple[Database, int], tmp_path: Path
) -> None:
    db, _ = flag
    _run(db, "UPDATE spans SET \"end\" = :end WHERE ref = 'e3'", end=len(FLAG_TEXT) + 3)
    out = tmp_path / "out.jsonl"
    with pytest.raises(ExportCheckError) as raised:
        export(db, out, fmt="annotator")
    assert any(
        f"{out}:1 [entities[2]]: offsets" in message and "outside" in message
        for message in raised.value.problems
    ), raised.value.problems
    assert not out.exists()


def test_a_claimant_that_is_a_claim_is_refused(flag: tuple[Database, int], tmp_path: Path) -> None:
    db, doc_id = flag
    with db.write() as store:
        other = store.add_span(Span(None, doc_id, Layer.CLAIM, 2, 6, "CLAIM", "ana"))
    _run(db, "UPDATE claims SET claimant_id = :other WHERE span_id <> :other", other=other.id)
    with pytest.raises(ExportCheckError, match=r":1 \[claims\[.\]\]: claimant 'T\d+' is not"):
        export(db, tmp_path / "out.jsonl", fmt="annotator")


def test_a_bad_row_that_does_not_go_out_leaves_the_export_alone(
    flag: tuple[Database, int], tmp_path: Path
) -> None:
    """With gold, everyone's rows of an adjudicated document are read and only gold's go out:
    a span of ana's past the text is seen by the cheap check, which then asks the detailed
    check of the file, and that finds the file clean."""
    db, doc_id = flag
    with db.write() as store:
        store.add_span(Span(None, doc_id, Layer.ENTITY, 3, 7, "GPE", GOLD_ANNOTATOR))
        store.set_state(DocumentState(doc_id, GOLD_ANNOTATOR, Status.DONE))
    _run(db, "UPDATE spans SET \"end\" = :end WHERE ref = 'e3'", end=len(FLAG_TEXT) + 3)
    out = tmp_path / "gold.jsonl"
    summary = export(db, out, fmt="annotator", gold=True)
    (record,) = map(orjson.loads, out.read_bytes().splitlines())
    assert summary.checked and summary.entities == 1
    assert [(e["text"], e["annotator"]) for e in record["entities"]] == [("Kyiv", "gold")]


def _written(path: Path, count: int) -> NativeWriter:
    writer = NativeWriter(path, ExportContext())
    for i in range(count):
        writer.write_record({"id": f"d{i}", "text": "é" * (i + 1), "entities": []})
    writer.close()
    return writer


def test_the_file_read_back_is_compared_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    writer = _written(path, 3)
    assert writer.read_back() == []
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + lines[1].replace("é".encode(), b"e!") + lines[2])
    assert writer.read_back() == [f"{path}:2: reads back other than it was written"]
    path.write_bytes(lines[0] + lines[1])
    assert writer.read_back() == [f"{path}:3: missing: 3 lines were written, 2 read back"]
    path.write_bytes(b"".join(lines) + lines[0])
    assert writer.read_back() == [f"{path}:4: was not written by this export"]
    path.unlink()
    (message,) = writer.read_back()
    assert message.startswith(f"{path}: cannot be read")


_DOCUMENT = (1, "a", "Title", "Kyiv text", None, None)
_ENTITY = (1, "e1", 0, 4, "GPE", 1, "manual", None)


def _rows(**tables: list[tuple[Any, ...]]) -> Any:
    from annotator.storage.export_rows import ExportRows

    empty: dict[str, Any] = {
        "documents": [_DOCUMENT],
        "entities": [_ENTITY],
        "claims": [],
        "statuses": [(1, 1, "done", 0.0)],
        "rejected": [],
        "ignored": [],
        "suggestions": None,
        "annotators": {1: "ana"},
    }
    return ExportRows(**(empty | tables))


@pytest.mark.parametrize(
    ("tables", "reason"),
    [
        ({"entities": [(1, "e1", 0, 10, "GPE", 1, "manual", None)]}, "offsets"),
        ({"entities": [(1, "e1", 4, 4, "GPE", 1, "manual", None)]}, "offsets"),
        ({"entities": [(1, "e1", 0, 4, "", 1, "manual", None)]}, "label"),
        ({"entities": [(3, "e1", 0, 4, "GPE", 1, "manual", None)]}, "offsets"),
        ({"claims": [(1, "c1", -1, 4, "CLAIM", 1, "manual", None, *[None] * 9)]}, "claim"),
        ({"ignored": [(1, 2, 12, "boilerplate")]}, "ignored range"),
        ({"statuses": [(1, 1, "finished", 0.0)]}, "status"),
        ({"documents": [_DOCUMENT, (2, "a", "Again", "Kyiv", None, None)]}, "twice"),
    ],
)
def test_the_row_check_fails_on_what_the_detailed_check_refuses(
    tables: dict[str, Any], reason: str
) -> None:
    clean = RowCheck()
    clean.batch(_rows())
    assert clean.clean
    check = RowCheck()
    check.batch(_rows(**tables))
    assert not check.clean and reason in check.reason


def test_an_id_met_again_in_a_later_batch_is_seen() -> None:
    check = RowCheck()
    check.batch(_rows())
    check.batch(_rows(entities=[]))
    assert not check.clean and "twice" in check.reason
