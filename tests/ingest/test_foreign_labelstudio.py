"""Label Studio JSON in: our export round-trips; Label Studio's own exports import, including
old ones that counted UTF-16 units."""

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

TEXT = "😀 Mayor Petra Novak said 300 homes lost power.\n"


def _read(path: Path) -> tuple[list[ImportedDocument], list[ImportProblem]]:
    items = list(read(path, "labelstudio"))
    return (
        [i for i in items if isinstance(i, ImportedDocument)],
        [i for i in items if isinstance(i, ImportProblem)],
    )


def _region(rid: str, start: int, end: int, label: str, text: str = TEXT) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


def test_export_then_import_gives_the_same_annotations(db: Database, tmp_path: Path) -> None:
    fill(db, tmp_path, corpus())
    out = tmp_path / "tasks.json"
    export(db, out, fmt="labelstudio", annotator="ana")
    again = Database.open(tmp_path / "again.sqlite")
    summary = import_paths(again, [out], fmt="labelstudio", detect_boilerplate=False)
    assert (summary.imported, summary.problems) == (5, [])
    assert annotation_rows(again) == annotation_rows(db, "ana")
    assert documents(again) == documents(db)


def test_choices_relations_origin_and_several_annotators(tmp_path: Path) -> None:
    claim = _region("c", 26, 46, "CLAIM")
    choice = {
        "id": "c",
        "from_name": "claim_type",
        "to_name": "text",
        "type": "choices",
        "value": {"start": 26, "end": 46, "choices": ["quantity"]},
    }
    hedged = {**choice, "from_name": "hedged", "value": {"choices": ["true"]}}
    suggested = {**_region("p", 8, 19, "PERSON"), "origin": "prediction"}
    relation = {"type": "relation", "from_id": "c", "to_id": "p", "labels": ["Claimant"]}
    task = {
        "id": 41,
        "data": {"text": TEXT, "outlet": "wire"},
        "annotations": [
            {"completed_by": 3, "result": [suggested, claim, choice, hedged, relation]},
            {"completed_by": {"email": "ben@news.invalid"}, "was_cancelled": True, "result": []},
        ],
    }
    path = tmp_path / "export.json"
    path.write_bytes(orjson.dumps([task]))
    (doc,), problems = _read(path)
    assert problems == []
    assert (doc.external_id, doc.meta) == ("41", {"outlet": "wire"})
    (person,) = doc.entities
    (found,) = doc.claims
    assert (person.annotator, person.origin) == ("labelstudio:3", "suggested:labelstudio")
    assert (found.claimant, found.claim_type, found.hedged) == ("0-p", "quantity", True)
    assert doc.statuses == {
        "labelstudio:3": Status.DONE,
        "labelstudio:ben@news.invalid": Status.SKIPPED,
    }


def test_utf16_offsets_of_old_versions_are_converted_with_a_warning(tmp_path: Path) -> None:
    # "Petra Novak" starts at 8 in code points, at 9 in UTF-16 units (the emoji is two).
    region = _region("p", 9, 20, "PERSON")
    region["value"]["text"] = "Petra Novak"
    path = tmp_path / "old.json"
    path.write_bytes(
        orjson.dumps([{"data": {"text": TEXT}, "annotations": [{"result": [region]}]}])
    )
    (doc,), (warning,) = _read(path)
    assert warning.severity == "warning" and "UTF-16" in warning.reason
    assert [(e.start, e.end) for e in doc.entities] == [(8, 19)]


def test_a_region_whose_text_matches_nothing_is_refused(tmp_path: Path) -> None:
    region = _region("p", 8, 19, "PERSON")
    region["value"]["text"] = "Someone"
    path = tmp_path / "bad.json"
    path.write_bytes(
        orjson.dumps([{"data": {"text": TEXT}, "annotations": [{"result": [region]}]}])
    )
    documents_, (problem,) = _read(path)
    assert documents_ == [] and problem.field == "annotations[0].result[0].value.text"


def test_not_a_task_list(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'"just a string"')
    (problem,) = list(read(path, "labelstudio"))
    assert isinstance(problem, ImportProblem) and "array of tasks" in problem.reason


def test_crlf_text_with_regions_is_refused(tmp_path: Path) -> None:
    text = "Line one\r\nPetra Novak said so.\r\n"
    region = _region("p", 10, 21, "PERSON", text=text)
    path = tmp_path / "crlf.json"
    path.write_bytes(
        orjson.dumps([{"data": {"text": text}, "annotations": [{"result": [region]}]}])
    )
    documents_, (problem,) = _read(path)
    assert documents_ == [] and problem.field == "data.text"
    assert "normalisation" in problem.reason
