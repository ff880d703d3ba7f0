"""Import into a real database, export native JSONL, and compare."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core.model import DocumentState, Status
from annotator.core.progress import CancelToken
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from tests.helpers import APPEAL, ARTICLES, write_articles

TEXT = "🇺🇦 Update 😀\nThe ministry said 33 strikes hit 49 targets within 24 hours.\n"


def _native_record() -> dict:
    def at(piece: str) -> tuple[int, int]:
        start = TEXT.index(piece)
        return start, start + len(piece)

    org, cue, claim, qty = (
        at("The ministry"),
        at("said"),
        at("33 strikes hit 49 targets within 24 hours"),
        at("33 strikes"),
    )
    return {
        "id": "doc-1",
        "title": "🇺🇦 Update 😀",
        "text": TEXT,
        "source": "wire",
        "meta": {"url": "https://news.invalid/1"},
        "offsets": "codepoint",
        "entities": [
            {
                "id": "e1",
                "start": org[0],
                "end": org[1],
                "label": "ORG",
                "text": "The ministry",
                "annotator": "ana",
                "origin": "manual",
            },
            {
                "id": "e2",
                "start": qty[0],
                "end": qty[1],
                "label": "QUANTITY",
                "text": "33 strikes",
                "annotator": "ana",
                "origin": "suggested:rules",
            },
        ],
        "claims": [
            {
                "id": "c1",
                "start": claim[0],
                "end": claim[1],
                "text": TEXT[claim[0] : claim[1]],
                "claimant": "e1",
                "cue": {"start": cue[0], "end": cue[1]},
                "type": "quantity",
                "hedged": False,
                "annotator": "ana",
                "origin": "manual",
            },
        ],
        "rejected": [
            {
                "start": 0,
                "end": 2,
                "label": "GPE",
                "layer": "entity",
                "annotator": "ana",
                "suggester": "gazetteer",
            }
        ],
        "ignored": [{"start": 0, "end": 2, "reason": "boilerplate"}],
        "status": "done",
        "statuses": {"ana": "done"},
    }


def test_native_round_trip(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    record = _native_record()
    source.write_bytes(orjson.dumps(record) + b"\n")
    summary = import_paths(db, [source])
    assert (summary.imported, summary.entities, summary.claims, summary.errors) == (1, 2, 1, [])
    out = tmp_path / "out.jsonl"
    export(db, out)
    (exported,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert exported == record
    # And once more through a fresh project: the export is a fixed point.
    again = Database.open(tmp_path / "again.sqlite")
    import_paths(again, [out])
    out2 = tmp_path / "out2.jsonl"
    export(again, out2)
    assert out2.read_bytes() == out.read_bytes()


def test_spans_get_code_point_offsets_after_emoji_and_flags(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(orjson.dumps(_native_record()) + b"\n")
    import_paths(db, [source])
    with db.read() as store:
        (doc_id,) = store.document_ids()
        texts = {store.document(doc_id).text[s.start : s.end] for s in store.spans(doc_id)}
    assert "The ministry" in texts and "33 strikes" in texts


def test_text_import_detects_glued_boilerplate_and_skips_duplicates(
    db: Database, tmp_path: Path
) -> None:
    paths = write_articles(tmp_path / "outlet")
    summary = import_paths(db, paths)
    assert summary.imported == len(ARTICLES)
    assert summary.boilerplate_documents == len(ARTICLES)
    again = import_paths(db, paths)
    assert (again.imported, again.duplicates) == (0, len(ARTICLES))
    with db.read() as store:
        for doc_id in store.document_ids():
            doc = store.document(doc_id)
            first = store.ignored(doc_id)[0]
            # The appeal is ignored up to the glued body, which stays annotatable.
            assert doc.text[first.start : first.end].endswith(APPEAL.splitlines()[-1])
            assert doc.source == "outlet"
            assert doc.title == doc.text.splitlines()[0]


def test_bad_records_are_reported_and_the_rest_imports(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    good = {"id": "a", "text": "Ships waited offshore.\nThe port stayed closed.\n"}
    source.write_bytes(
        orjson.dumps(good) + b"\n{broken\n" + orjson.dumps({"id": "b", "text": ""}) + b"\n"
    )
    summary = import_paths(db, [source])
    assert summary.imported == 1
    lines = sorted(p.line for p in summary.errors)
    assert lines == [2, 3]
    assert all(str(source) in p.describe() for p in summary.errors)


def test_an_id_reused_with_another_text_is_refused(db: Database, tmp_path: Path) -> None:
    first = tmp_path / "a.jsonl"
    first.write_bytes(orjson.dumps({"id": "x", "text": "One text."}) + b"\n")
    second = tmp_path / "b.jsonl"
    second.write_bytes(orjson.dumps({"id": "x", "text": "Another text."}) + b"\n")
    import_paths(db, [first])
    summary = import_paths(db, [second])
    assert summary.imported == 0
    assert "already used" in summary.errors[0].reason


def test_cancel_keeps_whole_batches(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    source.write_bytes(
        b"".join(orjson.dumps({"id": str(i), "text": f"Article {i}."}) + b"\n" for i in range(50))
    )
    token = CancelToken()

    def progress(done: int, total: int | None, message: str) -> None:
        if done >= 20:
            token.cancel()

    summary = import_paths(db, [source], batch_size=10, progress=progress, cancel=token)
    assert summary.cancelled
    with db.read() as store:
        count = store.document_count()
    assert count == summary.imported and count % 10 == 0 and 0 < count < 50


def test_status_of_the_importing_annotator(db: Database, tmp_path: Path) -> None:
    record = _native_record()
    del record["statuses"]
    for span in record["entities"] + record["claims"] + record["rejected"]:
        del span["annotator"]
    source = tmp_path / "in.jsonl"
    source.write_bytes(orjson.dumps(record) + b"\n")
    import_paths(db, [source], annotator="ben")
    with db.read() as store:
        (doc_id,) = store.document_ids()
        assert store.get_state(doc_id, "ben").status is Status.DONE
        assert {s.annotator for s in store.spans(doc_id)} == {"ben"}


@pytest.mark.parametrize("only_done", [True, False])
def test_export_only_done(db: Database, tmp_path: Path, only_done: bool) -> None:
    write_articles(tmp_path / "outlet")
    import_paths(db, [tmp_path / "outlet"])
    with db.write() as store:
        store.set_state(DocumentState(store.document_ids()[0], "ana", Status.DONE))
    summary = export(db, tmp_path / "out.jsonl", only_done=only_done)
    assert summary.documents == (1 if only_done else len(ARTICLES))
    assert summary.skipped_not_done == (len(ARTICLES) - 1 if only_done else 0)


def test_native_export_carries_the_time_spent_and_imports_it_back(
    db: Database, tmp_path: Path
) -> None:
    record = _native_record() | {
        "statuses": {"ana": "done", "ben": "in_progress"},
        "seconds": {"ana": 93.5, "ben": 12.0},
    }
    source = tmp_path / "in.jsonl"
    source.write_bytes(orjson.dumps(record) + b"\n")
    import_paths(db, [source])
    out = tmp_path / "out.jsonl"
    export(db, out)
    (exported,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert exported["seconds"] == {"ana": 93.5, "ben": 12.0}
    assert exported == record
    again = Database.open(tmp_path / "again.sqlite")
    import_paths(again, [out])
    with again.read() as store:
        (doc_id,) = store.document_ids()
        spent = {s.annotator: s.seconds_spent for s in store.states_by_documents([doc_id])[doc_id]}
    assert spent == {"ana": 93.5, "ben": 12.0}
