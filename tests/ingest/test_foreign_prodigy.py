"""Prodigy JSONL in: our export round-trips; files written the way Prodigy writes them import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import Status
from annotator.ingest.readers import read
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from tests.export.corpus import annotation_rows, corpus, documents, fill


def _read(path: Path) -> tuple[list[ImportedDocument], list[ImportProblem]]:
    items = list(read(path, "prodigy"))
    return (
        [i for i in items if isinstance(i, ImportedDocument)],
        [i for i in items if isinstance(i, ImportProblem)],
    )


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def test_export_then_import_gives_the_same_annotations(db: Database, tmp_path: Path) -> None:
    fill(db, tmp_path, corpus(misaligned=False))
    out = tmp_path / "prodigy.jsonl"
    export(db, out, fmt="prodigy", annotator="ana")
    again = Database.open(tmp_path / "again.sqlite")
    summary = import_paths(again, [out], fmt="prodigy", detect_boilerplate=False)
    assert (summary.imported, summary.problems) == (5, [])
    assert annotation_rows(again) == annotation_rows(db, "ana")
    assert documents(again) == documents(db)
    with again.read() as store:
        assert {s.annotator for i in store.document_ids() for s in store.spans(i)} == {"ana"}
        assert all(store.get_state(i, "ana").status is Status.DONE for i in store.document_ids())


TEXT = "Mayor Petra Novak said 300 homes lost power.\n"


def test_a_prodigy_ner_manual_record_without_tokens(tmp_path: Path) -> None:
    record = {
        "text": TEXT,
        "spans": [{"start": 6, "end": 17, "label": "PERSON"}, {"start": 23, "end": 32,
                                                             "label": "QUANTITY"}],
        "_input_hash": 1,
        "answer": "accept",
        "meta": {"source": "wire", "url": "https://news.invalid/a"},
    }  # fmt: skip
    (doc,), problems = _read(_write(tmp_path / "a.jsonl", [record]))
    assert problems == []
    assert [(e.start, e.end, e.label) for e in doc.entities] == [
        (6, 17, "PERSON"),
        (23, 32, "QUANTITY"),
    ]
    assert (doc.source, doc.meta, doc.external_id) == (
        "wire",
        {"url": "https://news.invalid/a"},
        None,
    )
    assert doc.statuses == {None: Status.DONE}


def test_rejected_answers_become_rejections_and_ignored_ones_text(tmp_path: Path) -> None:
    span = {"start": 6, "end": 17, "label": "ORG"}
    path = _write(
        tmp_path / "b.jsonl",
        [
            {"text": TEXT, "spans": [span], "answer": "reject", "meta": {"id": "r"}},
            {"text": "Another text.", "spans": [span], "answer": "ignore", "meta": {"id": "i"}},
        ],
    )
    (rejected, ignored), problems = _read(path)
    assert problems == []
    assert rejected.entities == () and rejected.statuses == {None: Status.SKIPPED}
    assert [(r["start"], r["end"], r["label"], r["layer"]) for r in rejected.rejected] == [
        (6, 17, "ORG", "entity")
    ]
    assert (ignored.entities, ignored.rejected, ignored.statuses) == ((), (), {})


def test_bad_records_are_refused_with_their_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.jsonl",
        [
            {"text": TEXT, "spans": [{"start": 6, "end": 99, "label": "PERSON"}]},
            {"text": TEXT, "spans": [{"start": 6, "end": 17, "label": "PERSON", "text": "Petra"}]},
            {"text": "Line one\r\nPetra", "spans": [{"start": 10, "end": 15, "label": "PERSON"}]},
            {"text": TEXT, "meta": {"offsets": "utf16"}},
            {"text": TEXT, "relations": [{"label": "CLAIMANT", "head": 0, "child": 1}]},
        ],
    )
    documents_, problems = _read(path)
    assert documents_ == []
    assert [(p.line, p.field) for p in problems] == [
        (1, "spans[0]"),
        (2, "spans[0].text"),
        (3, "text"),
        (4, "meta.offsets"),
        (5, "relations[0].head_span"),
    ]
    assert "past the end" in problems[0].reason and "normalisation" in problems[2].reason
