"""The native export built from plain rows (docs/adr/0027-export-reads-plain-rows.md) writes
exactly what the record builder over core values writes, byte for byte, on a project with every
kind of field, on SQLite and on PostgreSQL."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from annotator.core.model import (
    GOLD_ANNOTATOR,
    ClaimDetails,
    Decision,
    DocumentState,
    IgnoredRange,
    Layer,
    Span,
    Status,
    Suggestion,
    SuggestionDecision,
)
from annotator.export.splitting import parse_split
from annotator.services import collecting, exporting
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.corpus import QUANTITY, at, claim, entity, fill, flag_record, nested_record

#: Astral characters (two UTF-16 units each) before and inside spans.
ASTRAL = "𝐀𝐁 Grüße aus 🇺🇦 Kyiv 😀: Marta Ilves said 41 ships docked.\n"


def _records() -> list[dict[str, Any]]:
    flag = flag_record()
    flag |= {
        "meta": {"outlet": "wire", "tags": ["a", "b"], "nested": {"n": 1}},
        "seconds": {"ana": 12.5},
        "rejected": [
            {"start": 3, "end": 7, "label": "LOC", "layer": "entity", "suggester": "rules"},
            {"start": 8, "end": 9, "label": "CLAIM", "layer": "claim", "suggester": None},
        ],
    }
    t = ASTRAL
    astral = {
        "id": "astral",
        "title": "Grüße",
        "text": t,
        "source": None,
        "entities": [
            entity(t, "a1", "𝐀𝐁", "ORG", attributes={"note": "math bold"}),
            entity(t, "a2", "Kyiv", "GPE"),
            entity(t, "a3", "Marta Ilves", "PERSON", annotator="ben"),
            entity(t, "a4", "41 ships", "QUANTITY"),
        ],
        "claims": [
            {
                **claim(t, "a5", "41 ships docked", claimant="a3", cue="said"),
                "hedged": True,
                "type": "quantity",
                "attributes": {"quantities": [QUANTITY]},
            },
            # Claims by ana and ben over the same words, with a label other than CLAIM.
            {**claim(t, "a6", "Marta Ilves said 41 ships docked"), "label": "RUMOUR"},
            {**claim(t, "a7", "ships docked", claimant="a3"), "annotator": "ben"},
        ],
        "ignored": [{"start": 0, "end": 3, "reason": "masthead"}],
        "statuses": {"ana": "in_progress", "ben": "done", "cleo": "skipped"},
        "seconds": {"ben": 30, "cleo": 0},
    }
    plain = {
        "id": "plain",
        "text": "Nothing marked here.\n",
        "statuses": {"ana": "done"},
    }
    untouched = {"id": "untouched", "text": "Nobody opened this one.\n"}
    return [flag, astral, nested_record(), plain, untouched]


def varied(db: Database, folder: Path) -> dict[str, int]:
    """The records above, then what an import cannot make: spans made in the window (no
    imported id), a claim citing a span of another document, gold, pending suggestions."""
    fill(db, folder, _records())
    with db.read() as store:
        ids = {store.document(i).external_id or "": i for i in store.document_ids()}
    nested, astral = ids["nested"], ids["astral"]
    with db.write() as store:
        text = store.document(nested).text
        start, end = at(text, "Union leaders")
        mine = store.add_span(Span(None, nested, Layer.ENTITY, start, end, "ORG", "ben"))
        start, end = at(text, "rejected the offer")
        store.add_span(
            Span(
                None,
                nested,
                Layer.CLAIM,
                start,
                end,
                "CLAIM",
                "ben",
                claim=ClaimDetails(mine.id, None, "event", False),
            )
        )
        # A claimant in another document never goes out under this one's spans.
        store.add_span(
            Span(
                None,
                astral,
                Layer.CLAIM,
                5,
                10,
                "CLAIM",
                "ana",
                claim=ClaimDetails(mine.id, (11, 14), "other", True),
            )
        )
        store.add_span(Span(None, astral, Layer.ENTITY, 0, 2, "ORG", GOLD_ANNOTATOR))
        store.set_state(DocumentState(astral, GOLD_ANNOTATOR, Status.DONE, 4.25))
        store.set_state(DocumentState(nested, "ben", Status.DONE))
        store.set_decision(
            SuggestionDecision(nested, "ben", Layer.ENTITY, 0, 4, "ORG", Decision.REJECTED, "gaz")
        )
        store.set_decision(
            SuggestionDecision(nested, "ben", Layer.ENTITY, 5, 9, "ORG", Decision.ACCEPTED, "gaz")
        )
        store.add_suggestions(
            [
                Suggestion(None, astral, Layer.ENTITY, 13, 17, "GPE", "gazetteer", 0.75, "seen"),
                Suggestion(
                    None, astral, Layer.CLAIM, 20, 30, "CLAIM", "claims", 1.0, "cue", {"cue": [1]}
                ),
            ]
        )
        store.set_ignored(ids["plain"], [IgnoredRange(0, 7), IgnoredRange(8, 12, "footer")])
        bare = store.add_span(Span(None, astral, Layer.CLAIM, 3, 8, "CLAIM", "ben"))
        # Rows no command writes, as an older version or a hand edit may have left them: a
        # claim without its details row, an empty imported id, a document without an id of
        # its own (its number is its export id).
        run = store.session.execute
        run(sqlalchemy.text("DELETE FROM claims WHERE span_id = :id"), {"id": bare.id})
        run(sqlalchemy.text("UPDATE spans SET ref = '' WHERE id = :id"), {"id": mine.id})
        run(
            sqlalchemy.text("UPDATE documents SET external_id = NULL WHERE id = :id"),
            {"id": ids["plain"]},
        )
    return ids


@pytest.fixture
def project_ids(backend_db: Database, tmp_path: Path) -> dict[str, int]:
    return varied(backend_db, tmp_path)


@pytest.fixture
def project(backend_db: Database, project_ids: dict[str, int]) -> Database:
    return backend_db


OPTIONS: list[dict[str, Any]] = [
    {},
    {"only_done": True},
    {"annotator": "ben"},
    {"annotator": "ben", "only_done": True},
    {"annotator": "nobody"},
    {"gold": True},
    {"gold_only": True},
    {"gold": True, "annotator": "ana"},
    {"include_suggestions": True},
    {"split": "train=0.5,test=0.5"},
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "everyone")
def test_rows_write_what_core_values_wrote(
    project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: dict[str, Any]
) -> None:
    options = dict(options)
    if "split" in options:
        options["split"] = parse_split(options["split"], seed=3)
    new, old = tmp_path / "rows", tmp_path / "values"
    # batch=2: documents spread over batches, some batches with gaps in their ids.
    fresh = export(project, new, fmt="annotator", batch=2, **options)
    monkeypatch.setattr(exporting, "_reads_rows", lambda spec, drop_ignored: False)
    before = export(project, old, fmt="annotator", batch=2, **options)
    if options.get("split") is None:
        assert new.read_bytes() == old.read_bytes()
        assert new.read_bytes().count(b"\n") == fresh.documents > 0
    else:
        for name in ("train.jsonl", "test.jsonl"):
            assert (new / name).read_bytes() == (old / name).read_bytes()
    assert (fresh.documents, fresh.entities, fresh.claims) == (
        before.documents,
        before.entities,
        before.claims,
    )
    assert fresh.checked and before.checked


def test_the_compared_project_has_every_field(
    project: Database, project_ids: dict[str, int], tmp_path: Path
) -> None:
    """What the comparison above covers is really in the export (the comparison would pass
    on two empty files)."""
    import orjson

    out = tmp_path / "all.jsonl"
    export(project, out, fmt="annotator", include_suggestions=True)
    records = {r["id"]: r for r in map(orjson.loads, out.read_bytes().splitlines())}
    astral, flag, nested = records["astral"], records["flag"], records["nested"]
    assert astral["text"].startswith("𝐀𝐁") and astral["entities"][0]["text"] == "𝐀𝐁"
    assert astral["entities"][0]["attributes"] == {"note": "math bold"}
    by_text = {c["text"]: c for c in astral["claims"]}
    quantity = by_text["41 ships docked"]
    assert quantity["hedged"] is True and quantity["claimant"] == "a3"
    assert quantity["cue"] == {"start": ASTRAL.index("said"), "end": ASTRAL.index("said") + 4}
    assert quantity["attributes"] == {"quantities": [QUANTITY]}
    assert by_text["Marta Ilves said 41 ships docked"]["label"] == "RUMOUR"
    assert by_text[ASTRAL[5:10]]["claimant"] is None  # cited a span of another document
    assert astral["statuses"] == {
        "ana": "in_progress",
        "ben": "done",
        "cleo": "skipped",
        GOLD_ANNOTATOR: "done",
    }
    assert astral["status"] == "done"
    assert astral["seconds"] == {"ben": 30.0, GOLD_ANNOTATOR: 4.25}
    assert astral["ignored"] == [{"start": 0, "end": 3, "reason": "masthead"}]
    assert [s["suggester"] for s in astral["suggestions"]] == ["gazetteer", "claims"]
    assert flag["meta"] == {"outlet": "wire", "tags": ["a", "b"], "nested": {"n": 1}}
    assert [r["suggester"] for r in flag["rejected"]] == ["rules", None]
    made = [e for e in nested["entities"] if e["annotator"] == "ben"]
    assert [e["id"][0] for e in made] == ["T"]  # no imported id: ``T<id>``
    assert [c["claimant"] for c in nested["claims"] if c["annotator"] == "ben"] == [made[0]["id"]]
    assert nested["rejected"] == [
        {
            "start": 0,
            "end": 4,
            "label": "ORG",
            "layer": "entity",
            "annotator": "ben",
            "suggester": "gaz",
        }
    ]
    plain = records[str(project_ids["plain"])]
    assert plain["ignored"][1] == {"start": 8, "end": 12, "reason": "footer"}
    bare = [c for c in astral["claims"] if c["annotator"] == "ben" and c["start"] == 3]
    assert [(c["claimant"], c["cue"], c["type"], c["hedged"]) for c in bare] == [
        (None, None, "other", False)
    ]


def test_a_native_export_eases_the_collector_and_restores_it(
    project: Database, tmp_path: Path
) -> None:
    """A dict per span set off a young collection every few documents and now and then a
    full one (docs/adr/0034-native-export-reading.md): eased while the rows are written, as
    it was once the export ends."""
    before = gc.get_threshold(), gc.get_freeze_count()
    during: list[tuple[int, int]] = []

    def seen(done: int, total: int | None, phase: str) -> None:
        if phase == "Exporting documents" and done:
            during.append((gc.get_threshold()[0], gc.get_freeze_count()))

    summary = export(project, tmp_path / "out.jsonl", fmt="annotator", progress=seen)
    assert summary.documents > 0
    assert during and all(t == collecting.IMPORT_THRESHOLD and n > 0 for t, n in during)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
