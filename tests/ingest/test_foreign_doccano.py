"""doccano JSONL in: our export round-trips; doccano's own two forms import."""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.core.model import Status
from annotator.ingest.readers import read
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from tests.export.corpus import annotation_rows, corpus, documents, fill

TEXT = "Mayor Petra Novak said 300 homes lost power.\n"


def _read(path: Path) -> tuple[list[ImportedDocument], list[ImportProblem]]:
    items = list(read(path, "doccano"))
    return (
        [i for i in items if isinstance(i, ImportedDocument)],
        [i for i in items if isinstance(i, ImportProblem)],
    )


def test_export_then_import_gives_the_same_annotations(db: Database, tmp_path: Path) -> None:
    fill(db, tmp_path, corpus())
    out = tmp_path / "doccano.jsonl"
    export(db, out, fmt="doccano", annotator="ana")
    again = Database.open(tmp_path / "again.sqlite")
    summary = import_paths(again, [out], fmt="doccano", detect_boilerplate=False)
    assert (summary.imported, summary.problems) == (5, [])
    # Character offsets: even the misaligned span comes back exactly.
    assert annotation_rows(again) == annotation_rows(db, "ana")
    assert documents(again) == documents(db)


def test_doccano_relation_form_and_sequence_form(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    claim = {"id": 12, "label": "CLAIM", "start_offset": 23, "end_offset": 43}
    records = [
        {
            "id": 7,
            "text": TEXT,
            "entities": [
                {"id": 11, "label": "PERSON", "start_offset": 6, "end_offset": 17},
                claim,
                {"id": 13, "label": "CUE", "start_offset": 18, "end_offset": 22},
            ],
            "relations": [
                {"id": 1, "from_id": 12, "to_id": 11, "type": "claimant"},
                {"id": 2, "from_id": 13, "to_id": 12, "type": "Cue"},
                {"id": 3, "from_id": 11, "to_id": 12, "type": "mentions"},
            ],
            "Comments": ["checked"],
        },
        {"text": TEXT, "label": [[6, 17, "PERSON"]]},
    ]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    (first, second), problems = _read(path)
    assert [p.severity for p in problems] == ["warning"]
    assert "'mentions' is not Claimant or Cue" in problems[0].reason
    (person,) = first.entities
    (found,) = first.claims
    assert (person.ref, found.claimant, found.cue, found.claim_type) == ("11", "11", (18, 22),
                                                                        "other")  # fmt: skip
    assert first.external_id == "7" and first.meta == {"Comments": ["checked"]}
    assert first.statuses == {None: Status.DONE}
    assert [(e.start, e.end, e.label) for e in second.entities] == [(6, 17, "PERSON")]


def test_unknown_relation_ends_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    record = {
        "text": TEXT,
        "entities": [{"id": 1, "label": "CLAIM", "start_offset": 0, "end_offset": 5}],
        "relations": [{"id": 1, "from_id": 1, "to_id": 9, "type": "Claimant"}],
    }
    path.write_bytes(orjson.dumps(record) + b"\n")
    documents_, (problem,) = _read(path)
    assert documents_ == [] and problem.field == "relations[0]"
