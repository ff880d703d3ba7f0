"""Two documents that would go out with one id: a typed error naming both, before anything is
written, in every format (Prodigy wrote both records; the others failed their read-back check
with a message naming the partial file)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_REJECTED, main
from annotator.export.checking import check_export
from annotator.export.errors import DuplicateIdError
from annotator.services import exporting
from annotator.services.exporting import FORMATS, export
from annotator.storage.database import Database


@pytest.fixture(scope="module")
def clashing_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """Document 1 has no id of its own, so it goes out as ``"1"``; document 2 was imported with
    the id ``"1"``."""
    folder = tmp_path_factory.mktemp("clash")
    source = folder / "in.jsonl"
    source.write_bytes(
        orjson.dumps({"title": "Harbour news", "text": "The harbour reopened today.\n"})
        + b"\n"
        + orjson.dumps({"id": "1", "title": "Ferry news", "text": "Ferries sail again.\n"})
        + b"\n"
    )
    path = folder / "project.sqlite"
    assert main(["import", str(source), "--db", str(path)]) == 0
    # Imports give every document an id of its own now (migration 0004 fills older projects),
    # so the clash is made by hand, as a database edited outside Annotator could hold it: the
    # exporters must still refuse it rather than write two records with one id.
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("UPDATE documents SET external_id = NULL WHERE id = 1")
    db = Database.open(path)
    with db.read() as store:
        keys = [ext if ext is not None else str(n) for n, ext, _ in store.document_index()]
    assert keys == ["1", "1"]
    yield db
    db.close()


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("validate", [True, False])
def test_a_shared_id_is_refused_naming_both_documents(
    clashing_db: Database, tmp_path: Path, fmt: str, validate: bool
) -> None:
    out = tmp_path / "out"
    with pytest.raises(DuplicateIdError) as caught:
        export(clashing_db, out, fmt=fmt, validate=validate)
    message = str(caught.value)
    assert "'1'" in message
    assert "#1 'Harbour news'" in message and "#2 'Ferry news'" in message
    assert list(tmp_path.iterdir()) == []  # nothing written, nothing left


def test_a_clash_across_planning_batches_is_found(
    clashing_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents are planned a batch at a time; one document per batch here."""
    monkeypatch.setattr(exporting, "_PLAN_BATCH", 1)
    with pytest.raises(DuplicateIdError, match="#1 'Harbour news'"):
        export(clashing_db, tmp_path / "out.jsonl", fmt="annotator")


def test_the_command_line_prints_the_clash_in_one_line(
    clashing_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["export", "--db", str(clashing_db.url.database), "--format", "prodigy", "--all"]
    assert main([*args, "--out", str(tmp_path / "out.jsonl")]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "same id '1'" in err and "Traceback" not in err


def test_documents_left_out_do_not_clash(clashing_db: Database, tmp_path: Path) -> None:
    """Only what goes out must be unique: neither document is done, so none goes out."""
    summary = export(clashing_db, tmp_path / "out.jsonl", fmt="prodigy", only_done=True)
    assert summary.documents == 0


def test_the_prodigy_check_finds_a_repeated_document_id(tmp_path: Path) -> None:
    record = {
        "text": "Hi",
        "tokens": [{"text": "Hi", "start": 0, "end": 2, "id": 0, "ws": False}],
        "spans": [],
        "relations": [],
        "answer": "accept",
        "meta": {"id": "7", "offsets": "codepoint"},
    }
    path = tmp_path / "two.jsonl"
    path.write_bytes(orjson.dumps(record) + b"\n" + orjson.dumps(record) + b"\n")
    assert check_export(path, "prodigy") == [f"{path}:2: document id '7' is also at {path}:1"]
