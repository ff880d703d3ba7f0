"""A claim's number slots survive the native round trip: export, import into a new project,
export again."""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.core.model import Layer
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from tests.export.corpus import QUANTITY


def test_native_export_and_import_keep_the_slots(flag_db: Database, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    export(flag_db, first, fmt="annotator", only_done=True)
    fresh = Database.open(tmp_path / "fresh.sqlite")
    try:
        summary = import_paths(fresh, [first], fmt="annotator")
        assert summary.imported == 1 and summary.claims == 1
        with fresh.read() as store:
            (document,) = store.documents_by_ids([1])
            claims = store.spans(document.id, layer=Layer.CLAIM)
        assert [c.attributes for c in claims] == [{"quantities": [QUANTITY]}]
        again = tmp_path / "again.jsonl"
        export(fresh, again, fmt="annotator", only_done=True)
    finally:
        fresh.close()
    (record,) = [orjson.loads(line) for line in again.read_bytes().splitlines()]
    assert record["claims"][0]["attributes"] == {"quantities": [QUANTITY]}
