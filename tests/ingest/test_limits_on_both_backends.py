"""One over-long field refuses its record alone, with file, line and field named, and the
same input gives the same result on SQLite and PostgreSQL (whose VARCHAR(n) refuses what
SQLite stores)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core import limits
from annotator.core.errors import InputError, StorageError
from annotator.ingest.field_names import FieldNames
from annotator.services.importing import import_paths
from annotator.storage.database import Database

TEXT = "Ana Lee of Skylark Aerial said {n} drones were ready.\n"


def _record(n: int) -> dict:
    text = TEXT.format(n=n)
    return {
        "id": f"doc-{n}",
        "text": text,
        "source": "wire",
        "entities": [{"start": 0, "end": 7, "label": "PERSON", "annotator": "ana"}],
    }


def test_over_long_fields_refuse_their_records_only(backend_db: Database, tmp_path: Path) -> None:
    records = [_record(n) for n in range(1, 701)]
    # Line numbers are 1-based: record index i is on line i + 1.
    records[2]["id"] = "x" * 600
    records[9]["source"] = "s" * (limits.MAX_SOURCE_CHARS + 1)
    records[99]["entities"][0]["annotator"] = "a" * 300
    records[549]["entities"][0]["label"] = "L" * 150
    records[599]["entities"][0]["id"] = "r" * 201
    records[649]["meta"] = {"note": "fine\u0000"}
    records[699]["ignored"] = [{"start": 0, "end": 3, "reason": "b" * 101}]
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))

    summary = import_paths(backend_db, [path], detect_boilerplate=False)

    placed = [(p.path, p.line, p.field) for p in summary.errors]
    assert placed == [
        (str(path), 3, "id"),
        (str(path), 10, "source"),
        (str(path), 100, "entities[0].annotator"),
        (str(path), 550, "entities[0].label"),
        (str(path), 600, "entities[0].id"),
        (str(path), 650, "meta.note"),
        (str(path), 700, "ignored[0].reason"),
    ]
    assert "the limit is 500" in summary.errors[0].reason
    assert "is 150 characters long; the limit is 100" in summary.errors[3].reason
    assert summary.imported == 693 and summary.entities == 693
    with backend_db.read() as store:
        assert store.document_count() == 693


def test_values_at_the_limits_are_stored(backend_db: Database, tmp_path: Path) -> None:
    text = "Ana Lee spoke.\n"
    record = {
        "id": "i" * limits.MAX_ID_CHARS,
        "text": text,
        "source": "s" * limits.MAX_SOURCE_CHARS,
        "entities": [
            {
                "id": "r" * limits.MAX_SPAN_REF_CHARS,
                "start": 0,
                "end": 7,
                "label": "L" * limits.MAX_LABEL_CHARS,
                "annotator": "a" * limits.MAX_ANNOTATOR_CHARS,
            }
        ],
    }
    path = tmp_path / "edge.jsonl"
    path.write_bytes(orjson.dumps(record) + b"\n")
    summary = import_paths(backend_db, [path], detect_boilerplate=False)
    assert (summary.imported, summary.entities, summary.problems) == (1, 1, [])


def test_an_over_long_cell_in_a_csv_file_names_its_column(
    backend_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    long_id = "k" * 501
    path.write_text(f"key,text\none,First.\n{long_id},Second.\nthree,Third.\n")
    summary = import_paths(
        backend_db,
        [path],
        fields=FieldNames(id="key"),
        detect_boilerplate=False,
    )
    assert summary.imported == 2
    (problem,) = summary.errors
    assert (problem.line, problem.field) == (3, "key")


def test_an_over_long_annotator_for_the_whole_import_is_refused_up_front(
    backend_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "one.jsonl"
    path.write_bytes(orjson.dumps(_record(1)) + b"\n")
    with pytest.raises(InputError) as refused:
        import_paths(backend_db, [path], annotator="n" * 201, detect_boilerplate=False)
    assert refused.value.field == "annotator" and "the limit is 200" in str(refused.value)
    with backend_db.read() as store:
        assert store.document_count() == 0


def test_a_record_the_database_refuses_anyway_is_named_and_the_batch_kept(
    db: Database, tmp_path: Path
) -> None:
    """A refusal no check foresaw (here a real trigger) costs its own record, not its batch;
    when the database refuses every record, the fault is the database's and is raised."""
    with db.write() as store:
        store.session.connection().exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.source = 'refused' "
            "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
        )
    records = [_record(n) for n in range(1, 11)]
    records[6]["source"] = "refused"
    path = tmp_path / "ten.jsonl"
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    summary = import_paths(db, [path], detect_boilerplate=False)
    assert summary.imported == 9
    (problem,) = summary.errors
    assert problem.path == f"{path}:7" and "refused by a trigger" in problem.reason

    everything = tmp_path / "all.jsonl"
    everything.write_bytes(
        b"".join(orjson.dumps({**_record(n), "source": "refused"}) + b"\n" for n in (20, 21))
    )
    with pytest.raises(StorageError, match="refused by a trigger"):
        import_paths(db, [everything], detect_boilerplate=False)
