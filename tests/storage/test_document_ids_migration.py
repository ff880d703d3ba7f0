"""Revision 0004 gives every document that had no id the id an import makes today, unique in
the project, on SQLite and PostgreSQL; documents that had an id keep it."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic import command
from sqlalchemy import text

from annotator.storage import migrate
from annotator.storage.database import Database
from annotator.storage.engine import make_engine, resolve_url
from tests.builders import sha256_hex

FIXTURES = Path(__file__).parent / "fixtures"


def _at_revision(url: str, revision: str) -> None:
    engine = make_engine(resolve_url(url))
    config = migrate._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def _insert(url: str, rows: list[tuple[str | None, str]]) -> None:
    engine = make_engine(resolve_url(url))
    with engine.begin() as conn:
        for external_id, body in rows:
            conn.execute(
                text(
                    "INSERT INTO documents (external_id, title, text, sha256, meta, imported_at, "
                    "ignored_from_file, assignees) VALUES (:external_id, :title, :text, :sha, "
                    "'{}', CURRENT_TIMESTAMP, false, 0)"
                ),
                {"external_id": external_id, "title": body, "text": body, "sha": sha256_hex(body)},
            )
    engine.dispose()


def test_documents_without_an_id_get_one_unique_in_the_project(backend_url: str) -> None:
    _at_revision(backend_url, "0003")
    clash = "Someone gave this text the id another text would be made."
    _insert(
        backend_url,
        [
            (None, "Harbour reopens."),
            ("1", "Council votes."),
            ("sha256-" + sha256_hex("Rail strike off.")[:16], clash),
            (None, "Rail strike off."),
            (None, "Museum opens."),
        ],
    )
    db = Database.open(backend_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.read() as store:
            ids = [store.document(i).external_id for i in store.document_ids()]
    finally:
        db.close()
    assert ids == [
        "sha256-" + sha256_hex("Harbour reopens.")[:16],
        "1",
        "sha256-" + sha256_hex("Rail strike off.")[:16],
        "sha256-" + sha256_hex("Rail strike off."),
        "sha256-" + sha256_hex("Museum opens.")[:16],
    ]


def test_the_released_0003_fixture_migrates(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema-0003.sqlite", path)
    _insert(str(path), [(None, "A document imported without an id.")])
    db = Database.open(path, auto_backup=False)
    try:
        with db.read() as store:
            ids = [store.document(i).external_id for i in store.document_ids()]
    finally:
        db.close()
    assert ids == ["fixture-1", "sha256-" + sha256_hex("A document imported without an id.")[:16]]
