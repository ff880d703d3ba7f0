"""``annotator merge`` and ``annotator import --replace`` from the command line: what a lead
types to bring the laptops' work together, and what they read back."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_OK, EXIT_REJECTED, main
from annotator.core.schema import EntityLabel, default_schema
from annotator.storage.database import Database
from tests.services.merge_corpus import TEXTS, ana_version, bob_version, entity, write_jsonl


def _project(tmp_path: Path, name: str, records: list[dict]) -> str:
    path = tmp_path / name / "project.sqlite"
    path.parent.mkdir()
    source = write_jsonl(tmp_path / f"{name}.jsonl", records)
    assert main(["import", str(source), "--db", str(path), "--quiet"]) == EXIT_OK
    return str(path)


def test_merge_two_laptops_and_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ana = _project(tmp_path, "ana", [ana_version(d) for d in TEXTS])
    bob = _project(tmp_path, "bob", [bob_version(d) for d in TEXTS])
    lead = str(tmp_path / "lead.sqlite")
    capsys.readouterr()
    assert main(["merge", ana, "--db", lead, "--quiet"]) == EXIT_OK
    assert main(["merge", bob, "--db", lead, "--quiet"]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"Merged {bob}: 0 new documents, 4 already here" in out
    assert "  bob: 4 documents with new work, 0 unchanged, 0 conflicting" in out

    assert main(["merge", bob, "--db", lead, "--quiet"]) == EXIT_OK
    again = capsys.readouterr().out
    assert "  bob: 0 documents with new work, 4 unchanged, 0 conflicting" in again

    assert main(["--db", lead, "agreement", "--json"]) == EXIT_OK
    report = orjson.loads(capsys.readouterr().out)
    assert report["overall"]["documents"] == 4
    assert report["overall"]["annotators"] == ["ana", "bob"]


def test_import_reports_conflicts_and_replace_takes_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = str(tmp_path / "lead.sqlite")
    first = write_jsonl(tmp_path / "v1.jsonl", [ana_version("a1")])
    assert main(["import", str(first), "--db", lead, "--quiet"]) == EXIT_OK
    changed = ana_version("a1")
    changed["entities"].append(entity("a1", "Kharkiv", "GPE", "e2", "ana"))
    second = write_jsonl(tmp_path / "v2.jsonl", [changed])
    capsys.readouterr()

    assert main(["import", str(second), "--db", lead, "--quiet"]) == EXIT_OK
    captured = capsys.readouterr()
    assert "1 already in the project" in captured.out
    assert "  ana: 0 documents with new work, 0 unchanged, 1 conflicting" in captured.out
    assert f"conflict: {second}:1: ana has a different version of document 'a1'" in captured.err
    assert "--replace" in captured.err

    assert main(["import", str(second), "--db", lead, "--quiet", "--replace"]) == EXIT_OK
    assert "replaced by the imported one" in capsys.readouterr().err
    db = Database.open(lead)
    try:
        with db.read() as store:
            (doc_id,) = store.document_ids()
            assert len(store.spans(doc_id, "ana")) == 3
    finally:
        db.close()


def test_merge_refuses_a_different_schema_and_lists_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = _project(tmp_path, "ana", [ana_version("a1")])
    lead = _project(tmp_path, "lead", [bob_version("a1")])
    schema = default_schema()
    for path, extra in ((lead, ()), (ana, (EntityLabel("VESSEL", "#336699", None),))):
        db = Database.open(path)
        try:
            with db.write() as store:
                store.save_schema(
                    schema.__class__(
                        name=schema.name,
                        version=schema.version,
                        entities=(*schema.entities, *extra),
                    )
                )
        finally:
            db.close()
    capsys.readouterr()
    assert main(["merge", ana, "--db", lead, "--quiet"]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "label schemas differ" in err and "'VESSEL' is not in this project" in err
    assert main(["merge", ana, "--db", lead, "--quiet", "--add-labels"]) == EXIT_OK
    assert "Labels added: VESSEL" in capsys.readouterr().out


def test_merge_of_a_missing_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = str(tmp_path / "lead.sqlite")
    assert main(["merge", str(tmp_path / "typo.sqlite"), "--db", lead]) == EXIT_REJECTED
    assert "typo.sqlite: no such project file" in capsys.readouterr().err
    assert not (tmp_path / "typo.sqlite").exists()
