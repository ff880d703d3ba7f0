"""Renaming and merging labels across spans, suggestions, decisions, terms and the schema, in
one transaction, undone exactly; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator.core.errors import SchemaError
from annotator.core.history import History
from annotator.core.model import Decision, Layer, Span, Suggestion, SuggestionDecision
from annotator.core.relabel_commands import touches_schema
from annotator.services import labels
from annotator.services.annotate import AnnotationService
from annotator.storage import relabel
from annotator.storage.database import Database
from tests.builders import insert_documents, titled

TEXT = "Mayor Petra Novak met the Port Authority in Harbourton on Monday.\n"


def at(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


@pytest.fixture
def project(backend_db: Database) -> Database:
    db = backend_db
    with db.write() as store:
        (doc,) = insert_documents(store, [titled(TEXT, "t")])
        store.save_schema(store.schema())  # version 1: the default schema
        for piece, label in (("Petra Novak", "PERSON"), ("Harbourton", "GPE"), ("Monday", "DATE")):
            store.add_span(Span(None, doc, Layer.ENTITY, *at(piece), label, "ana"))
        store.add_span(Span(None, doc, Layer.ENTITY, *at("Port Authority"), "ORG", "bo"))
        store.add_suggestions(
            [
                # The same suggestion under GPE and LOC: a merge of GPE into LOC collides.
                Suggestion(None, doc, Layer.ENTITY, *at("Harbourton"), "GPE", "rules", 0.9, "a"),
                Suggestion(None, doc, Layer.ENTITY, *at("Harbourton"), "LOC", "rules", 0.5, "b"),
                Suggestion(None, doc, Layer.ENTITY, *at("Monday"), "DATE", "rules", 0.8, "c"),
            ]
        )
        for label, decision in (("GPE", Decision.ACCEPTED), ("LOC", Decision.REJECTED)):
            store.set_decision(
                SuggestionDecision(
                    doc, "ana", Layer.ENTITY, *at("Harbourton"), label, decision, "rules"
                )
            )
        store.add_terms(
            [("Harbourton", "GPE", False), ("Harbourton", "LOC", False), ("Ost", "GPE", True)],
            source="places.txt",
        )
    return db


def snapshot(db: Database) -> dict[str, Any]:
    """Everything a relabel may touch, comparable across undo."""
    with db.read() as store:
        doc = store.document_ids()[0]
        spans = sorted(
            (s.id, s.label, s.start, s.end, s.annotator)
            for name in ("ana", "bo")
            for s in store.spans(doc, name)
        )
        return {
            "spans": spans,
            "suggestions": sorted(
                (s.id, s.label, s.start, s.score, s.reason) for s in store.suggestions(doc)
            ),
            "decisions": sorted(
                (d.label, d.start, d.decision.value, d.annotator) for d in store.decisions(doc)
            ),
            "terms": sorted((t.id, t.term, t.label, t.case_sensitive) for t in store.terms()),
            "entities": store.schema().entity_names,
        }


def test_rename_everywhere_and_undo_exactly(project: Database) -> None:
    before = snapshot(project)
    with project.read() as store:
        schema = store.schema()
    service = AnnotationService(project, History())
    applied = service.execute(labels.rename(schema, "GPE", "PLACE"))
    assert touches_schema(applied)
    after = snapshot(project)
    assert [s[1] for s in after["spans"]] == ["PERSON", "PLACE", "DATE", "ORG"]
    assert sorted(s[1] for s in after["suggestions"]) == ["DATE", "LOC", "PLACE"]
    assert ("PLACE", TEXT.index("Harbourton"), "accepted", "ana") in after["decisions"]
    assert {t[2] for t in after["terms"]} == {"PLACE", "LOC"}
    assert "PLACE" in after["entities"] and "GPE" not in after["entities"]
    with project.read() as store:
        renamed = store.schema()
        assert renamed.entity("PLACE").hotkey == "3"  # colour and hotkey stay with the label
        assert renamed.version == 2
        assert relabel.label_usage(store).get("GPE", 0) == 0
    service.undo()
    assert snapshot(project) == before
    with project.read() as store:
        assert store.schema().version == 3  # versions only go up; the content is restored
        assert store.schema().entity_names == before["entities"]
    service.redo()
    assert snapshot(project) == after


def test_merge_with_colliding_rows_and_undo_exactly(project: Database) -> None:
    before = snapshot(project)
    with project.read() as store:
        schema = store.schema()
        usage = relabel.label_usage(store)
    assert usage["GPE"] == 1 + 1 + 2  # one span, one suggestion, two terms
    service = AnnotationService(project)
    service.execute(labels.merge(schema, "GPE", "LOC"))
    after = snapshot(project)
    assert [s[1] for s in after["spans"]] == ["PERSON", "LOC", "DATE", "ORG"]
    # The GPE twin of the LOC suggestion was dropped, the LOC one kept as it was.
    assert [(s[1], s[3]) for s in after["suggestions"] if s[2] == TEXT.index("Harbourton")] == [
        ("LOC", 0.5)
    ]
    assert [d for d in after["decisions"] if d[1] == TEXT.index("Harbourton")] == [
        ("LOC", TEXT.index("Harbourton"), "rejected", "ana")
    ]
    assert sorted((t[1], t[2]) for t in after["terms"]) == [("Harbourton", "LOC"), ("Ost", "LOC")]
    assert "GPE" not in after["entities"]
    service.undo()
    assert snapshot(project) == before  # ids, scores, reasons of the dropped rows included


def test_spans_are_bumped_so_stale_edits_are_refused(project: Database) -> None:
    with project.read() as store:
        doc = store.document_ids()[0]
        old = next(s for s in store.spans(doc, "ana") if s.label == "GPE")
        schema = store.schema()
    AnnotationService(project).execute(labels.rename(schema, "GPE", "PLACE"))
    with project.read() as store:
        fresh = store.get_span(old.id or 0)
    assert fresh.label == "PLACE"
    assert (fresh.version or 0) > (old.version or 0)


def test_rename_onto_an_existing_label_is_refused(project: Database) -> None:
    with project.read() as store:
        schema = store.schema()
    with pytest.raises(SchemaError, match="exists already"):
        labels.rename(schema, "GPE", "LOC")
    with pytest.raises(SchemaError, match="into itself"):
        labels.merge(schema, "GPE", "GPE")


def test_exports_record_the_schema_version_they_used(project: Database, tmp_path: Path) -> None:
    import orjson

    from annotator.services import exporting

    with project.read() as store:
        schema = store.schema()
    AnnotationService(project).execute(labels.rename(schema, "GPE", "PLACE"))
    summary = exporting.export(project, tmp_path / "out.jsonl", fmt="annotator")
    assert summary.schema_version == 2
    folder = exporting.export(project, tmp_path / "brat", fmt="brat")
    assert folder.manifest is not None
    assert orjson.loads(folder.manifest.read_bytes())["label_schema_version"] == 2


def _claims(db: Database) -> list[tuple[int, str]]:
    with db.read() as store:
        doc = store.document_ids()[0]
        return sorted(
            (s.id or 0, s.claim.claim_type)
            for s in store.spans(doc, "ana", Layer.CLAIM)
            if s.claim is not None
        )


def _add_claims(db: Database) -> None:
    from annotator.core.model import ClaimDetails

    with db.write() as store:
        doc = store.document_ids()[0]
        for piece, claim_type in (("Petra Novak met", "quote"), ("on Monday", "event")):
            store.add_span(
                Span(
                    None,
                    doc,
                    Layer.CLAIM,
                    *at(piece),
                    "CLAIM",
                    "ana",
                    claim=ClaimDetails(None, None, claim_type, False),
                )
            )


def test_claim_types_are_renamed_in_stored_claims_and_swaps_do_not_mix(project: Database) -> None:
    from dataclasses import replace

    from annotator.core.relabel_commands import CLAIM_TYPE, LabelStep

    _add_claims(project)
    with project.read() as store:
        schema = store.schema()
    before = _claims(project)
    service = AnnotationService(project, History())
    renamed = replace(
        schema,
        claim_types=tuple({"quote": "statement"}.get(t, t) for t in schema.claim_types),
    )
    service.execute(labels.edit([LabelStep("quote", "statement", CLAIM_TYPE)], renamed))
    assert [t for _i, t in _claims(project)] == ["statement", "event"]
    service.undo()
    assert _claims(project) == before
    # A swap through temporary names (as the schema editor builds it) keeps the two apart.
    swap = [
        LabelStep("quote", "renaming-0", CLAIM_TYPE),
        LabelStep("event", "renaming-1", CLAIM_TYPE),
        LabelStep("renaming-0", "event", CLAIM_TYPE),
        LabelStep("renaming-1", "quote", CLAIM_TYPE),
    ]
    service.execute(labels.edit(swap, schema))
    assert [t for _i, t in _claims(project)] == ["event", "quote"]
    service.undo()
    assert _claims(project) == before


def test_undo_reaches_past_a_relabel_to_earlier_span_edits(project: Database) -> None:
    """A relabel bumps span versions; undoing it must leave the older undo steps (which
    expect the versions from before it) able to apply, not refused as conflicts."""
    from dataclasses import replace

    from annotator.core.commands import ReplaceSpan

    with project.read() as store:
        doc = store.document_ids()[0]
        span = next(s for s in store.spans(doc, "ana") if s.label == "GPE")
        schema = store.schema()
    service = AnnotationService(project, History())
    service.execute(ReplaceSpan(replace(span, end=span.end - 1)))  # shrink "Harbourton"
    service.execute(labels.rename(schema, "GPE", "PLACE"))
    service.undo()  # the rename
    service.undo()  # the shrink: must not be refused
    with project.read() as store:
        back = store.get_span(span.id or 0)
    assert (back.label, back.start, back.end) == ("GPE", span.start, span.end)
    service.redo()
    service.redo()
    with project.read() as store:
        again = store.get_span(span.id or 0)
    assert (again.label, again.end) == ("PLACE", span.end - 1)
