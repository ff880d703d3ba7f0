"""The suggestion lifecycle on a real project database: caching by version, invalidation,
the gazetteer learning from confirmed spans, rejections, term lists, export, evaluation."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core.commands import AddSpan
from annotator.core.errors import OperationCancelled
from annotator.core.model import IgnoredRange, Layer, Span, Suggestion
from annotator.core.progress import CancelToken
from annotator.core.schema import LabelSchema, default_schema
from annotator.services.annotate import AnnotationService
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.services.suggesting import (
    GazetteerCache,
    SuggestionService,
    evaluate_gold,
    import_terms,
    suggest_corpus,
)
from annotator.services.workspace import Workspace
from annotator.storage.database import Database
from annotator.suggest.base import SuggestInput
from annotator.suggest.errors import SuggesterUnavailable
from annotator.suggest.registry import FACTORIES, SETTINGS_KEY, SuggesterSettings
from tests.builders import insert_documents
from tests.suggest.gold import write_gold
from tests.suggest.news import APPEAL, FOOTER, article, boilerplate

FIRST = article(
    "Air campaign widens over Valmora",
    "Video shows bombers leaving the Hmeymim airbase",
    [
        "The Valmoran Ministry of Defence recently reported that 33 air strikes had "
        "destroyed 49 Isis targets within 24 hours.",
        "Jets took off from the Hmeymim airbase on Tuesday.",
    ],
)
SECOND = article(
    "Repairs begin at the Hmeymim airbase",
    "Engineers expect the runway to reopen early next week",
    [
        "Mayor Petra Novak said 300 homes near the Hmeymim airbase had lost power.",
        "Residents were allegedly told to leave by noon.",
    ],
)
QUIET = article(
    "Harbour festival returns",
    "Crowds gather by the water",
    ["The festival returned to the harbour and the crowds were happy."],
)


def workspace_add(doc_id: int, start: int, end: int, label: str, annotator: str) -> AddSpan:
    return AddSpan(Span(None, doc_id, Layer.ENTITY, start, end, label, annotator))


def add_articles(db: Database, texts: list[str]) -> list[int]:
    """Insert news articles with their boilerplate marked ignored, as the importer does."""
    with db.write() as store:
        found = insert_documents(store, texts)
        store.replace_ignored(
            {
                doc_id: [IgnoredRange(start, end) for start, end in boilerplate(text)]
                for doc_id, text in zip(found, texts, strict=True)
            }
        )
    return found


@pytest.fixture
def docs(db: Database) -> list[int]:
    return add_articles(db, [FIRST, SECOND, QUIET])


def stored(db: Database, doc_id: int, suggester: str | None = None) -> list[Suggestion]:
    with db.read() as store:
        return [s for s in store.suggestions(doc_id) if suggester in (None, s.suggester)]


def covered(text: str, suggestions: list[Suggestion]) -> list[tuple[str, str, str]]:
    return [(s.suggester, text[s.start : s.end], s.label) for s in suggestions]


def test_second_run_computes_nothing(db: Database, docs: list[int]) -> None:
    reports: list[tuple[int, int | None]] = []
    first = suggest_corpus(db, progress=lambda done, total, message: reports.append((done, total)))
    assert first.documents == 3
    # Every enabled suggester ran on every document, even where it found nothing.
    assert first.computed == {"gazetteer": 3, "seeds": 3, "rules": 3, "claims": 3}
    assert first.suggestions["rules"] > 0 and first.suggestions["claims"] > 0
    assert reports[0] == (0, 3) and reports[-1] == (3, 3)
    second = suggest_corpus(db)
    assert second.computed == {}
    assert second.cached == {"gazetteer": 3, "seeds": 3, "rules": 3, "claims": 3}
    assert "computed 0, up to date 3" in second.describe()


def test_a_gazetteer_change_recomputes_only_the_gazetteer_and_seeds(
    db: Database, docs: list[int]
) -> None:
    service = SuggestionService(db)
    service.for_documents(docs)
    rules_before = stored(db, docs[0], "rules")
    service.confirmed("Hmeymim airbase", "FAC")
    again = service.for_documents(docs)
    # The seed lists defer to confirmed texts, so they follow the gazetteer's content.
    assert again.computed == {"gazetteer": 3, "seeds": 3}
    assert again.cached == {"rules": 3, "claims": 3}
    assert [s.id for s in stored(db, docs[0], "rules")] == [s.id for s in rules_before]
    found = covered(FIRST, stored(db, docs[0], "gazetteer"))
    assert found == [("gazetteer", "Hmeymim airbase", "FAC")] * 2
    assert service.for_documents(docs).computed == {}


def test_a_schema_change_recomputes_everything(db: Database, docs: list[int]) -> None:
    service = SuggestionService(db)
    service.for_documents(docs)
    with db.write() as store:
        schema = store.schema()
        data = schema.to_dict()
        data["entities"] = [e for e in data["entities"] if e["name"] != "NORP"]
        store.save_schema(LabelSchema.from_dict(data))
    again = service.for_documents(docs)
    assert again.computed == {"gazetteer": 3, "seeds": 3, "rules": 3, "claims": 3}


def test_the_next_document_benefits_from_a_confirmed_span(db: Database, docs: list[int]) -> None:
    service = SuggestionService(db)
    workspace = Workspace(db, "ana")
    annotate = AnnotationService(db)
    service.for_document(docs[0])
    view = workspace.load(docs[0])
    start = FIRST.index("Hmeymim airbase")
    annotate.execute(workspace.add_entity(view, start, start + len("Hmeymim airbase"), "FAC"))
    service.confirmed("Hmeymim airbase", "FAC")  # what the window does after the command
    service.for_document(docs[1])
    suggestions = workspace.load(docs[1]).suggestions
    gazetteer = [s for s in suggestions if s.suggester == "gazetteer"]
    assert [SECOND[s.start : s.end] for s in gazetteer] == ["Hmeymim airbase"] * 2
    assert gazetteer[0].label == "FAC"
    assert gazetteer[0].reason == "gazetteer (0.65): confirmed 1× as FAC in this project"
    # The first document is recomputed too (its gazetteer version is stale), and the span the
    # annotator confirmed is not proposed again there.
    service.for_document(docs[0])
    first = [s for s in workspace.load(docs[0]).suggestions if s.suggester == "gazetteer"]
    assert [s.start for s in first] == [
        s.start for s in stored(db, docs[0], "gazetteer") if s.start != start
    ]


def test_the_gazetteer_cache_builds_from_every_annotators_spans(
    db: Database, docs: list[int]
) -> None:
    start = FIRST.index("Hmeymim airbase")
    end = start + len("Hmeymim airbase")
    annotate = AnnotationService(db)
    for annotator, label in (("ana", "FAC"), ("ben", "FAC"), ("cy", "LOC")):
        annotate.apply(workspace_add(docs[0], start, end, label, annotator))
    cache = GazetteerCache(db)
    assert not cache.built
    cache.confirmed("Hmeymim airbase", "FAC")  # before the build: the build reads it
    gazetteer = cache.get()
    assert gazetteer.confirmed_count("Hmeymim airbase", "FAC") == 2
    assert gazetteer.confirmed_count("Hmeymim airbase", "LOC") == 1
    cache.unconfirmed("Hmeymim airbase", "LOC")
    assert gazetteer.confirmed_count("Hmeymim airbase", "LOC") == 0
    assert cache.reload().confirmed_count("Hmeymim airbase", "LOC") == 1


def test_a_rejected_span_is_not_proposed_again_to_that_annotator(
    db: Database, docs: list[int]
) -> None:
    service = SuggestionService(db)
    service.for_documents(docs)
    ana = Workspace(db, "ana")
    view = ana.load(docs[0])
    target = next(s for s in view.suggestions if FIRST[s.start : s.end] == "33 air strikes")
    assert target.label == "QUANTITY"
    AnnotationService(db).execute(ana.reject(target))

    def proposed(workspace: Workspace) -> bool:
        return any(
            (s.start, s.end, s.label) == (target.start, target.end, target.label)
            for s in workspace.load(docs[0]).suggestions
        )

    assert not proposed(ana)
    # Recomputed from scratch (a new version of everything): still not proposed to ana...
    with db.write() as store:
        store.delete_suggestions()
    service.confirmed("Valmoran Ministry of Defence", "ORG")
    again = service.for_documents(docs)
    # The quiet article had no rule matches: remembered as computed, so not redone.
    assert (again.computed["rules"], again.cached["rules"]) == (2, 1)
    assert any((s.start, s.end) == (target.start, target.end) for s in stored(db, docs[0], "rules"))
    assert not proposed(ana)
    # ...but still to another annotator.
    assert proposed(Workspace(db, "ben"))


def test_accepting_the_claim_links_its_claimant(db: Database, docs: list[int]) -> None:
    SuggestionService(db).for_document(docs[0])
    workspace = Workspace(db, "ana")
    view = workspace.load(docs[0])
    claim = next(s for s in view.suggestions if s.layer is Layer.CLAIM and s.attributes["cue"])
    assert FIRST[claim.start : claim.end] == (
        "33 air strikes had destroyed 49 Isis targets within 24 hours"
    )
    cue = claim.attributes["cue"]
    assert FIRST[cue[0] : cue[1]] == "reported"
    c_start, c_end, c_label = claim.attributes["claimant"]
    assert (FIRST[c_start:c_end], c_label) == ("Valmoran Ministry of Defence", "ORG")
    assert claim.reason.startswith("claims: reporting cue “reported”")
    applied = AnnotationService(db).execute(workspace.accept(view, claim))
    stored_claim = next(s for s in applied.spans if s.layer is Layer.CLAIM)
    claimant = next(s for s in applied.spans if s.layer is Layer.ENTITY)
    assert stored_claim.claim is not None
    assert stored_claim.claim.claimant_id == claimant.id
    assert stored_claim.claim.cue == (cue[0], cue[1])
    assert stored_claim.claim.claim_type == "quantity"
    # The rule's ORG suggestion at the claimant's place is now confirmed, so not pending.
    pending = workspace.load(docs[0]).suggestions
    assert not any((s.start, s.end) == (c_start, c_end) for s in pending)


def test_nothing_is_suggested_inside_boilerplate(db: Database, docs: list[int]) -> None:
    suggest_corpus(db)
    for doc_id, text in zip(docs, (FIRST, SECOND, QUIET), strict=True):
        appeal = (text.index(APPEAL), text.index(APPEAL) + len(APPEAL))
        footer = (text.index(FOOTER), text.index(FOOTER) + len(FOOTER))
        for s in stored(db, doc_id):
            for a, b in (appeal, footer):
                assert not (s.start < b and a < s.end), (s, text[s.start : s.end])


def test_stored_suggestions_go_into_the_native_export(
    db: Database, docs: list[int], tmp_path: Path
) -> None:
    suggest_corpus(db)
    out = tmp_path / "out.jsonl"
    export(db, out, fmt="annotator", include_suggestions=True)
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    first = next(r for r in records if r["text"] == FIRST)
    suggesters = {s["suggester"] for s in first["suggestions"]}
    assert suggesters == {"rules", "claims"}
    claim = next(
        s for s in first["suggestions"] if s["layer"] == "claim" and s["attributes"]["cue"]
    )
    assert claim["text"] == "33 air strikes had destroyed 49 Isis targets within 24 hours"
    assert claim["reason"].startswith("reporting cue")
    assert all(s["reason"] and 0 < s["score"] <= 1 for s in first["suggestions"])


def test_cancel_keeps_the_batches_already_written(db: Database, docs: list[int]) -> None:
    service = SuggestionService(db, batch=1)
    cancel = CancelToken()

    def progress(done: int, total: int | None, message: str) -> None:
        if done == 1:
            cancel.cancel()

    counts = service.for_documents(docs, progress=progress, cancel=cancel)
    assert counts.cancelled
    assert counts.documents == 1
    assert stored(db, docs[0]) and not stored(db, docs[1])
    assert "cancelled" in counts.describe()
    with pytest.raises(OperationCancelled):
        cancel.check()


def test_only_runs_the_named_suggesters(db: Database, docs: list[int]) -> None:
    counts = suggest_corpus(db, only=["rules"])
    assert counts.computed == {"rules": 3}
    assert {s.suggester for s in stored(db, docs[0])} == {"rules"}


def test_settings_are_stored_in_the_project(db: Database, docs: list[int]) -> None:
    service = SuggestionService(db)
    service.save_settings(SuggesterSettings.defaults().with_enabled("claims", False))
    with db.read() as store:
        assert store.get_setting(SETTINGS_KEY)["claims"] == {"enabled": False}
    assert service.for_documents(docs).computed == {"gazetteer": 3, "seeds": 3, "rules": 3}


def test_a_suggester_that_cannot_run_is_reported_and_the_others_run(
    db: Database, docs: list[int]
) -> None:
    service = SuggestionService(db)
    service.save_settings(
        SuggesterSettings.defaults()
        .with_enabled("installed")
        .with_options("installed", pipeline="xx_no_such_pipeline")
    )
    counts = service.for_documents(docs)
    assert counts.computed == {"gazetteer": 3, "seeds": 3, "rules": 3, "claims": 3}
    assert "xx_no_such_pipeline" in counts.unavailable["installed"]
    assert "installed: not run" in counts.describe()
    with pytest.raises(SuggesterUnavailable):
        service.for_documents(docs, only=["installed"])


def test_term_lists_feed_the_gazetteer(db: Database, docs: list[int], tmp_path: Path) -> None:
    terms = tmp_path / "places.csv"
    terms.write_text("term,label\nHmeymim airbase,FAC\nValmora,GPE\n", encoding="utf-8")
    assert import_terms(db, terms) == 2
    with db.read() as store:
        assert [(t.term, t.label, t.source) for t in store.terms()] == [
            ("Hmeymim airbase", "FAC", "places.csv"),
            ("Valmora", "GPE", "places.csv"),
        ]
    suggest_corpus(db, only=["gazetteer"])
    found = covered(SECOND, stored(db, docs[1], "gazetteer"))
    assert found == [("gazetteer", "Hmeymim airbase", "FAC")] * 2
    assert stored(db, docs[1], "gazetteer")[0].reason == "in term list places.csv as FAC"
    # Importing the list again with replace: only what it now says, and a service that had
    # built its suggesters already sees it.
    service = SuggestionService(db)
    assert service.for_documents(docs).cached["gazetteer"] == 3
    terms.write_text("term,label\nValmora,GPE\n", encoding="utf-8")
    assert service.import_terms(terms, replace=True) == 1
    with db.read() as store:
        assert store.term_count() == 1
    service.for_documents(docs)
    assert stored(db, docs[1], "gazetteer") == []


def test_store_term_and_suggestion_methods(db: Database, docs: list[int]) -> None:
    with db.write() as store:
        assert store.add_terms([("Valmora", "GPE", False), ("Valmora", "GPE", True)]) == 1
        assert store.add_terms([("Valmora", "GPE", True)], source="b.csv") == 1
        assert store.add_terms([("Valmora", "GPE", True)], source="b.csv") == 0
        assert [(t.case_sensitive, t.source) for t in store.terms()] == [(True, "b.csv")]
        assert store.delete_terms(source="a.csv") == 0
        assert store.delete_terms(label="GPE") == 1
        suggestion = Suggestion(None, docs[0], Layer.ENTITY, 0, 3, "GPE", "rules", 0.5, "r")
        with pytest.raises(ValueError, match="cannot be stored"):
            store.replace_suggestions(docs[1], "rules", "v1", [suggestion])
        assert store.replace_suggestions(docs[0], "rules", "v1", [suggestion]) == 1
        assert store.suggestion_versions(docs) == {docs[0]: {"rules": {"v1"}}}
        assert store.suggestion_counts() == {"rules": 1}
        assert store.delete_suggestions(suggester="claims") == 0
        assert store.delete_suggestions(document_ids=[docs[0]]) == 1


def test_evaluation_uses_the_projects_gazetteer(
    db: Database, docs: list[int], tmp_path: Path
) -> None:
    gold = write_gold(tmp_path / "gold.jsonl")
    before = evaluate_gold(gold, db, only=["gazetteer"]).suggester("gazetteer")
    assert before.entities.tp == 0
    start = FIRST.index("Valmora")
    AnnotationService(db).apply(workspace_add(docs[0], start, start + 7, "GPE", "ana"))
    after = evaluate_gold(gold, db, only=["gazetteer"]).suggester("gazetteer")
    assert after.entities.tp == 1  # "Valmora" in the gold's second document
    assert default_schema().has_entity("GPE")


class _Broken:
    name = "broken"
    version = "b1"

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        raise RuntimeError("boom")


def test_a_failing_suggester_does_not_stop_the_others(db: Database, docs: list[int]) -> None:
    factories = {**FACTORIES, "broken": lambda context, options: _Broken()}
    service = SuggestionService(db, factories=factories)
    service.save_settings(SuggesterSettings.from_value({"broken": {"enabled": True}}))
    counts = service.for_documents(docs)
    assert counts.failed == {"broken": "RuntimeError: boom"}
    assert counts.computed == {"gazetteer": 3, "seeds": 3, "rules": 3, "claims": 3}
    assert "broken: failed on some documents" in counts.describe()
    # Nothing was stored for it, so it is tried again next time.
    assert service.for_documents(docs).failed == {"broken": "RuntimeError: boom"}


def test_nothing_is_suggested_in_the_footer_of_a_two_document_source(
    db: Database, tmp_path: Path
) -> None:
    # A source of two documents that both end with the same short subscribe footer, which
    # holds what the rules would suggest (a sum of money, a date, an organisation).
    footer = (
        "Leave a comment below\n"
        "Subscribe to the Lantern Post for 5 dollars a month from January 2027"
    )
    outlet = tmp_path / "outlet"
    outlet.mkdir()
    for name, text in (("first.txt", FIRST), ("second.txt", SECOND)):
        # The articles' own forum footer makes way for the short one.
        (outlet / name).write_text(text.replace(FOOTER, footer), encoding="utf-8")
    summary = import_paths(db, sorted(outlet.iterdir()))
    assert summary.imported == 2 and summary.boilerplate_documents == 2
    suggest_corpus(db)
    with db.read() as store:
        found = 0
        for doc_id in store.document_ids():
            text = store.document(doc_id).text
            start = text.index(footer)
            ignored = [(r.start, r.end) for r in store.ignored(doc_id)]
            assert (start, start + len(footer)) in ignored
            found += len(store.suggestions(doc_id))
            for s in store.suggestions(doc_id):
                assert s.end <= start, (s, text[s.start : s.end])
        assert found > 0  # the bodies still get suggestions
