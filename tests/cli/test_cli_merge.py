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


def test_hand_out_shares_and_merge_them_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The lead hands each annotator two documents as a project file, they annotate on their
    laptops, the lead merges the files back: each one's work lands on the lead's documents."""
    lead = _project(tmp_path, "lead", [record for record in _bare()])
    shares = {}
    for name in ("ana", "bob"):
        out = tmp_path / f"{name}-share.sqlite"
        command = ["export", "--db", lead, "--format", "annotator", "--quiet"]
        assert main([*command, "--assigned-to", name, "--take", "2", "--out", str(out)]) == 0
        assert f"Wrote {name}'s share, 2 documents (2 newly handed out)" in capsys.readouterr().out
        shares[name] = out
    # A share is never written over a project file (it may be work brought back).
    again = ["export", "--db", lead, "--format", "annotator", "--assigned-to", "ana"]
    assert main([*again, "--out", str(shares["ana"])]) == EXIT_REJECTED
    assert "exists" in capsys.readouterr().err

    externals = {}
    for name, version in (("ana", ana_version), ("bob", bob_version)):
        laptop = Database.open(shares[name])
        try:
            with laptop.read() as store:
                externals[name] = sorted(
                    store.document(i).external_id for i in store.document_ids()
                )
        finally:
            laptop.close()
        work = write_jsonl(tmp_path / f"{name}-work.jsonl", [version(d) for d in externals[name]])
        assert main(["import", str(work), "--db", str(shares[name]), "--quiet"]) == EXIT_OK
    # K unset: each took the first two documents they had not been handed.
    assert externals == {"ana": ["a1", "a2"], "bob": ["a1", "a2"]}

    for name in ("ana", "bob"):
        assert main(["merge", str(shares[name]), "--db", lead, "--quiet"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "  bob: 2 documents with new work, 0 unchanged, 0 conflicting" in out
    db = Database.open(lead)
    try:
        with db.read() as store:
            assert store.document_count() == 4
            done = {
                (store.document(d).external_id, s.annotator)
                for d in store.document_ids()
                for s in store.states(d)
                if s.status.value == "done"
            }
    finally:
        db.close()
    assert done == {("a1", "ana"), ("a2", "ana"), ("a1", "bob"), ("a2", "bob")}


def test_hand_out_as_a_native_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lead = _project(tmp_path, "lead", _bare())
    assert main(["--db", lead, "team", "per-document", "1"]) == EXIT_OK
    out = tmp_path / "cy.jsonl"
    args = ["export", "--db", lead, "--format", "annotator", "--quiet", "--assigned-to", "cy"]
    assert main([*args, "--take", "3", "--out", str(out)]) == EXIT_OK
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["id"] for r in records] == ["a1", "a2", "a3"]
    assert all(r["entities"] == [] and r["statuses"] == {} for r in records)
    # With one annotator per document, the next person gets what is left.
    dee = tmp_path / "dee.jsonl"
    assert main([*args[:-1], "dee", "--take", "3", "--out", str(dee)]) == EXIT_OK
    assert [orjson.loads(line)["id"] for line in dee.read_bytes().splitlines()] == ["a4"]
    capsys.readouterr()
    assert main([*args[:-1], "nobody", "--out", str(tmp_path / "x.jsonl")]) == EXIT_REJECTED
    assert "no annotator named 'nobody'" in capsys.readouterr().err


def _bare() -> list[dict]:
    return [{"id": doc, "text": text} for doc, text in sorted(TEXTS.items())]
