"""Revision 0007 drops the table of band keys: a project signed before it keeps its signatures
(the band keys are derived from them), and its next import finds the copies of its documents
without signing them again."""

from __future__ import annotations

import random
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from annotator.core import near_duplicates as nd
from annotator.services import near_duplicates
from annotator.services.importing import import_paths
from annotator.storage import migrate
from annotator.storage.database import Database
from annotator.storage.engine import make_engine, resolve_url
from tests.builders import sha256_hex
from tests.syndication import story, syndicated, write_jsonl


def test_signatures_stored_before_the_keys_moved_still_find_copies(
    backend_url: str, tmp_path: Path
) -> None:
    rng = random.Random(11)
    original = story(rng)
    signature = nd.signatures([original])[0]
    assert signature is not None
    engine = make_engine(resolve_url(backend_url))
    config = migrate._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0006_near_duplicates")
    with engine.begin() as conn:
        doc_id = conn.execute(
            text(
                "INSERT INTO documents (external_id, title, text, sha256, meta, imported_at, "
                "ignored_from_file, assignees) VALUES ('o', 'o', :text, :sha, '{}', "
                "CURRENT_TIMESTAMP, false, 0) RETURNING id"
            ),
            {"text": original, "sha": sha256_hex(original)},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO near_duplicate_signatures (document_id, version, signature) "
                "VALUES (:id, :version, :signature)"
            ),
            {"id": doc_id, "version": nd.VERSION, "signature": signature.values},
        )
        conn.execute(
            text("INSERT INTO near_duplicate_bands (band_key, document_id) VALUES (:key, :id)"),
            [{"key": key, "id": doc_id} for key in signature.bands],
        )
    engine.dispose()
    db = Database.open(backend_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        assert "near_duplicate_bands" not in inspect(db.engine).get_table_names()
        copy = {"id": "c", "text": syndicated(original, "wire", rng), "source": "daily"}
        summary = import_paths(db, [write_jsonl(tmp_path / "copy.jsonl", [copy])])
        assert summary.near_duplicates == 1
        members = near_duplicates.group_of(db, doc_id)
        assert members[0].document_id == doc_id
        assert len(members) == 2
        assert members[1].similarity >= nd.THRESHOLD
    finally:
        db.close()
