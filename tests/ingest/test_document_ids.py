"""Every document has an id, unique in its project by construction: a record without one gets
an id made from its text, which no row number and no other made id can equal; a later record
giving an id already in the project is refused, naming it."""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from tests.builders import sha256_hex


def _jsonl(path: Path, *records: dict) -> Path:
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    return path


def _made(text: str) -> str:
    return "sha256-" + sha256_hex(text)[:16]


def _ids(db: Database) -> list[str | None]:
    with db.read() as store:
        return [store.document(i).external_id for i in store.document_ids()]


def test_a_document_without_an_id_never_shares_an_id_in_exports(
    backend_db: Database, tmp_path: Path
) -> None:
    """The reported fault: the first document (row 1, no id) went out as "1", like the
    second, whose file called it "1"; the native export refused, Prodigy wrote both."""
    path = _jsonl(
        tmp_path / "mixed.jsonl",
        {"text": "Harbour reopens after the storm."},
        {"id": "1", "text": "Council votes on the budget."},
        {"text": "Rail strike called off."},
        {"id": "2", "text": "Museum opens a new wing."},
    )
    summary = import_paths(backend_db, [path], detect_boilerplate=False)
    assert (summary.imported, summary.problems) == (4, [])
    prodigy = tmp_path / "prodigy.jsonl"
    export(backend_db, prodigy, fmt="prodigy", only_done=False)
    prodigy_ids = [orjson.loads(line)["meta"]["id"] for line in prodigy.read_bytes().splitlines()]
    assert len(set(prodigy_ids)) == 4
    native = tmp_path / "out.jsonl"
    export(backend_db, native, fmt="annotator", only_done=False)  # checks ids are unique
    native_ids = [orjson.loads(line)["id"] for line in native.read_bytes().splitlines()]
    assert sorted(native_ids) == sorted(prodigy_ids)
    assert _ids(backend_db) == [
        _made("Harbour reopens after the storm."),
        "1",
        _made("Rail strike called off."),
        "2",
    ]


def test_a_later_record_giving_a_taken_id_is_refused_per_record(
    backend_db: Database, tmp_path: Path
) -> None:
    first = _jsonl(tmp_path / "first.jsonl", {"text": "Harbour reopens after the storm."})
    import_paths(backend_db, [first], detect_boilerplate=False)
    (made,) = _ids(backend_db)
    later = _jsonl(
        tmp_path / "later.jsonl",
        {"id": made, "text": "A different story under the same id."},
        {"id": "fresh", "text": "Council votes on the budget."},
    )
    summary = import_paths(backend_db, [later], detect_boilerplate=False)
    assert summary.imported == 1
    (problem,) = summary.errors
    assert problem.path == f"{later}:1" and problem.field == "id"
    assert "duplicate id" in problem.reason and repr(made) in problem.reason
    assert _ids(backend_db) == [made, "fresh"]


def test_a_made_id_gives_way_to_a_given_one(backend_db: Database, tmp_path: Path) -> None:
    text = "Harbour reopens after the storm."
    path = _jsonl(
        tmp_path / "clash.jsonl",
        {"id": _made(text), "text": "Someone chose this id for another text."},
        {"text": text},
    )
    summary = import_paths(backend_db, [path], detect_boilerplate=False)
    assert (summary.imported, summary.problems) == (2, [])
    full = "sha256-" + sha256_hex(text)
    assert _ids(backend_db) == [_made(text), full]


def test_the_same_text_gets_the_same_id_in_every_project(tmp_path: Path) -> None:
    ids = []
    for name in ("ana", "bo"):
        db = Database.open(tmp_path / f"{name}.sqlite")
        path = _jsonl(tmp_path / f"{name}.jsonl", {"text": "Rail strike called off."})
        import_paths(db, [path], detect_boilerplate=False)
        ids.append(_ids(db))
        db.close()
    assert ids[0] == ids[1] == [_made("Rail strike called off.")]
