"""Importing records whose document the project already holds: their work is brought onto it,
idempotently, and an annotator's differing version is a reported conflict, never a mix."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core.model import Decision, Layer, Span, Status
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from tests.services.merge_corpus import (
    TEXTS,
    ana_version,
    bob_version,
    entity,
    record,
    write_jsonl,
)

DOCS = sorted(TEXTS)


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    """Everything the import may touch, without database ids (claimants by what they cite)."""
    with db.read() as store:
        ids = store.document_ids()
        spans = store.spans_by_documents(ids)
        out: list[tuple[object, ...]] = []
        for doc_id in ids:
            mine = spans.get(doc_id, [])
            by_id = {s.id: s for s in mine}
            for s in mine:
                cited = None
                if s.claim is not None and s.claim.claimant_id is not None:
                    c = by_id[s.claim.claimant_id]
                    cited = (c.start, c.end, c.label, c.annotator)
                details = None if s.claim is None else (cited, s.claim.cue, s.claim.claim_type)
                out.append(("span", doc_id, s.layer, s.start, s.end, s.label, s.annotator, details))
            for d in store.decisions(doc_id):
                out.append(("decision", doc_id, d.annotator, d.start, d.end, d.label, d.decision))
            for st in store.states(doc_id):
                out.append(("state", doc_id, st.annotator, st.status, st.seconds_spent))
        out.append(("documents", store.document_count()))
        return sorted(out, key=repr)


def _spans_of(db: Database, doc: str, annotator: str) -> list[Span]:
    with db.read() as store:
        (doc_id,) = [i for i in store.document_ids() if store.document(i).external_id == doc]
        return store.spans(doc_id, annotator)


def test_second_annotator_work_is_added_not_skipped(db: Database, tmp_path: Path) -> None:
    ana = write_jsonl(tmp_path / "ana.jsonl", [ana_version(d) for d in DOCS])
    bob = write_jsonl(tmp_path / "bob.jsonl", [bob_version(d) for d in DOCS])
    first = import_paths(db, [ana])
    summary = import_paths(db, [bob])
    assert (first.imported, summary.imported, summary.duplicates) == (4, 0, 4)
    assert summary.annotators["bob"].new == 4
    assert summary.annotators["bob"].unchanged == 0
    assert summary.conflicts == [] and summary.errors == []
    with db.read() as store:
        assert store.document_count() == 4
        assert store.annotators() == ["ana", "bob"]
    (org, claim) = _spans_of(db, "a1", "bob")
    assert claim.claim is not None and claim.claim.claimant_id == org.id
    assert claim.claim.cue == (TEXTS["a1"].index("said"), TEXTS["a1"].index("said") + 4)
    with db.read() as store:
        doc_id = org.document_id
        assert store.get_state(doc_id, "bob").status is Status.DONE
        assert store.get_state(doc_id, "bob").seconds_spent == 30.0
        assert store.get_state(doc_id, "ana").seconds_spent == 41.5


def test_importing_the_same_file_twice_adds_nothing(db: Database, tmp_path: Path) -> None:
    both = [
        write_jsonl(tmp_path / "ana.jsonl", [ana_version(d) for d in DOCS]),
        write_jsonl(tmp_path / "bob.jsonl", [bob_version(d) for d in DOCS]),
    ]
    import_paths(db, both)
    before = _snapshot(db)
    again = import_paths(db, both)
    assert _snapshot(db) == before
    assert again.imported == 0 and again.duplicates == 8
    assert {name: (t.new, t.unchanged, t.conflicts) for name, t in again.annotators.items()} == {
        "ana": (0, 4, 0),
        "bob": (0, 4, 0),
    }
    assert (again.entities, again.claims) == (0, 0)


def test_a_different_version_of_the_same_annotator_is_a_conflict(
    db: Database, tmp_path: Path
) -> None:
    import_paths(db, [write_jsonl(tmp_path / "v1.jsonl", [ana_version("a1")])])
    changed = ana_version("a1")
    changed["entities"].append(entity("a1", "Kharkiv", "GPE", "e2", "ana"))
    v2 = write_jsonl(tmp_path / "v2.jsonl", [changed])
    before = _snapshot(db)
    summary = import_paths(db, [v2])
    assert _snapshot(db) == before  # the project's version is kept whole, not mixed
    (conflict,) = summary.conflicts
    assert (conflict.document, conflict.annotator, conflict.replaced) == ("a1", "ana", False)
    assert (conflict.project_spans, conflict.imported_spans) == (2, 3)
    assert "v2.jsonl:1" in conflict.describe()
    assert summary.annotators["ana"].conflicts == 1

    replaced = import_paths(db, [v2], replace=True)
    assert replaced.conflicts[0].replaced
    spans = _spans_of(db, "a1", "ana")
    assert [s.label for s in spans if s.layer is Layer.ENTITY] == ["ORG", "GPE"]
    org = next(s for s in spans if s.label == "ORG")
    (claim,) = [s for s in spans if s.layer is Layer.CLAIM]
    assert claim.claim is not None and claim.claim.claimant_id == org.id
    # Once replaced, the same file is the project's version: nothing more to do.
    assert import_paths(db, [v2]).annotators["ana"].unchanged == 1


def test_done_with_no_spans_is_a_version_too(db: Database, tmp_path: Path) -> None:
    nothing = record("a4", statuses={"ana": Status.DONE})
    import_paths(db, [write_jsonl(tmp_path / "empty.jsonl", [nothing])])
    summary = import_paths(db, [write_jsonl(tmp_path / "ana.jsonl", [ana_version("a4")])])
    assert summary.annotators["ana"].conflicts == 1
    assert _spans_of(db, "a4", "ana") == []


def test_same_spans_merge_status_time_and_rejections(db: Database, tmp_path: Path) -> None:
    early = ana_version("a2")
    early["statuses"] = {"ana": "in_progress"}
    early["rejected"] = []
    early["seconds"] = {"ana": 80.0}
    import_paths(db, [write_jsonl(tmp_path / "early.jsonl", [early])])
    late = ana_version("a2")
    late["seconds"] = {"ana": 20.0}
    summary = import_paths(db, [write_jsonl(tmp_path / "late.jsonl", [late])])
    assert summary.annotators["ana"].new == 1
    with db.read() as store:
        (doc_id,) = store.document_ids()
        state = store.get_state(doc_id, "ana")
        assert (state.status, state.seconds_spent) == (Status.DONE, 80.0)
        (rejection,) = store.decisions(doc_id, "ana")
        assert (rejection.label, rejection.decision) == ("ORG", Decision.REJECTED)
    # The older file again moves nothing back.
    again = import_paths(db, [tmp_path / "early.jsonl"])
    assert again.annotators["ana"].unchanged == 1


def test_same_text_under_another_id_is_the_same_document(db: Database, tmp_path: Path) -> None:
    import_paths(db, [write_jsonl(tmp_path / "ana.jsonl", [ana_version("a3")])])
    renamed = bob_version("a3")
    del renamed["id"]
    summary = import_paths(db, [write_jsonl(tmp_path / "bob.jsonl", [renamed])])
    assert summary.annotators["bob"].new == 1
    with db.read() as store:
        assert store.document_count() == 1


def test_a_known_id_with_another_text_is_refused_with_its_line(
    db: Database, tmp_path: Path
) -> None:
    import_paths(db, [write_jsonl(tmp_path / "ana.jsonl", [ana_version("a3")])])
    other = record("a4", statuses={"bob": Status.DONE})
    other["id"] = "a3"
    path = write_jsonl(tmp_path / "bob.jsonl", [bob_version("a1"), other])
    summary = import_paths(db, [path])
    (error,) = summary.errors
    assert error.describe().startswith(f"{path}:2")
    assert "different text" in error.reason
    with db.read() as store:
        assert store.document_count() == 2


def test_the_record_own_annotator_wins_over_the_default(db: Database, tmp_path: Path) -> None:
    import_paths(db, [write_jsonl(tmp_path / "ana.jsonl", [ana_version("a4")])])
    anonymous = bob_version("a4")
    for item in anonymous["entities"]:
        del item["annotator"]
    anonymous["statuses"] = {}
    anonymous["status"] = "done"
    summary = import_paths(db, [write_jsonl(tmp_path / "x.jsonl", [anonymous])], annotator="cy")
    assert summary.annotators["cy"].new == 1
    assert [s.label for s in _spans_of(db, "a4", "cy")] == ["ORG"]
    assert [s.label for s in _spans_of(db, "a4", "ana")] == ["GPE"]


def test_two_records_of_one_document_in_one_batch(db: Database, tmp_path: Path) -> None:
    # Two files, one batch: the second record finds the document the first one made.
    paths = [
        write_jsonl(tmp_path / "ana.jsonl", [ana_version("a1")]),
        write_jsonl(tmp_path / "bob.jsonl", [bob_version("a1")]),
    ]
    summary = import_paths(db, paths)
    assert (summary.imported, summary.duplicates) == (1, 1)
    assert len(_spans_of(db, "a1", "ana")) == len(_spans_of(db, "a1", "bob")) == 2


def test_seconds_must_be_numbers(db: Database, tmp_path: Path) -> None:
    bad = ana_version("a4")
    bad["seconds"] = {"ana": "long"}
    path = tmp_path / "bad.jsonl"
    path.write_bytes(orjson.dumps(bad) + b"\n")
    (error,) = import_paths(db, [path]).errors
    assert error.field == "seconds.ana"


@pytest.mark.parametrize("fmt", ["prodigy", "doccano", "labelstudio", "brat"])
def test_other_tools_formats_add_work_onto_known_documents(
    db: Database, tmp_path: Path, fmt: str
) -> None:
    """Each annotator's work exported in another tool's format and imported, one file after
    the other, under --annotator: the second adds its work, and again adds nothing."""
    source = Database.open(tmp_path / "source.sqlite")
    try:
        import_paths(
            source,
            [
                write_jsonl(tmp_path / "ana.jsonl", [ana_version(d) for d in DOCS]),
                write_jsonl(tmp_path / "bob.jsonl", [bob_version(d) for d in DOCS]),
            ],
        )
        outs = {}
        for name in ("ana", "bob"):
            outs[name] = tmp_path / f"{name}-{fmt}"
            export(source, outs[name], fmt=fmt, annotator=name)
    finally:
        source.close()
    first = import_paths(db, [outs["ana"]], fmt=fmt, annotator="ana")
    second = import_paths(db, [outs["bob"]], fmt=fmt, annotator="bob")
    assert first.errors == [] and second.errors == []
    assert (first.imported, second.imported, second.duplicates) == (4, 0, 4)
    assert second.annotators["bob"].new == 4 and second.conflicts == []
    for doc in DOCS:
        ana = {(s.start, s.end, s.label) for s in _spans_of(db, doc, "ana")}
        bob = {(s.start, s.end, s.label) for s in _spans_of(db, doc, "bob")}
        assert ana == {(e["start"], e["end"], e["label"]) for e in ana_version(doc)["entities"]} | {
            (c["start"], c["end"], "CLAIM") for c in ana_version(doc)["claims"]
        }
        assert bob == {(e["start"], e["end"], e["label"]) for e in bob_version(doc)["entities"]} | {
            (c["start"], c["end"], "CLAIM") for c in bob_version(doc)["claims"]
        }
    before = _snapshot(db)
    again = import_paths(db, [outs["bob"]], fmt=fmt, annotator="bob")
    assert _snapshot(db) == before
    assert again.annotators["bob"].unchanged == 4
