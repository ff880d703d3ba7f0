"""The seed lists in a real project: suggested on the demo articles from the first open, a
rejected seed term remembered by the project, a relabel winning over the lists, the switch
per project, and the goals measured on held-out articles with real place names."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from annotator.core.resources import resource
from annotator.services.annotate import AnnotationService
from annotator.services.labels import create_project
from annotator.services.project import seed_demo
from annotator.services.suggesting import SuggestionService, evaluate_gold
from annotator.services.workspace import Workspace
from annotator.storage.database import Database
from annotator.suggest.registry import SETTINGS_KEY, SuggesterSettings
from tests.services.test_suggesting import add_articles as add_documents
from tests.services.test_suggesting import stored
from tests.suggest.news import article

WORLD = Path(str(resource("eval", "world")))
TOOLS = Path(__file__).resolve().parents[2] / "tools"

PARIS_ONE = article("Talks in Paris", "Diplomats meet", ["Officials met in Paris on Monday."])
PARIS_TWO = article("Paris again", "More talks", ["The talks in Paris and Rome went on."])
GEORGIA = article("Georgia speaks", "A profile", ["Georgia said the vote in Rome was fair."])


def seed_texts(db: Database, doc_id: int, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in stored(db, doc_id, "seeds")]


def test_the_demo_articles_show_place_names_from_the_first_open(db: Database) -> None:
    summary = seed_demo(db)
    assert summary is not None
    with db.read() as store:
        ids = store.document_ids()
    assert len(ids) == 8
    service = SuggestionService(db)
    workspace = Workspace(db, "ana")
    places: dict[int, set[str]] = {}
    for doc_id in ids:
        service.for_document(doc_id)
        view = workspace.load(doc_id)
        text = view.document.text
        places[doc_id] = {
            text[s.start : s.end]
            for s in view.suggestions
            if s.label == "GPE" and s.reason.startswith("seeds (")
        }
    assert all(places.values()), places  # every demo article has a place suggested
    every = set().union(*places.values())
    assert {"Marseille", "Genoa", "Barcelona", "Parma", "Bologna"} <= every


def test_a_rejected_seed_term_is_not_proposed_again_in_the_project(db: Database) -> None:
    first, second = add_documents(db, [PARIS_ONE, PARIS_TWO])
    service = SuggestionService(db)
    service.for_documents([first, second])
    assert ("Paris", "GPE") in seed_texts(db, second, PARIS_TWO)
    ana = Workspace(db, "ana")
    paris = next(
        s for s in ana.load(first).suggestions if s.reason.startswith("seeds (0.55): city")
    )
    AnnotationService(db).execute(ana.reject(paris))
    with db.read() as store:
        assert store.rejected_entity_texts() == {("Paris", "GPE"): 1}
    # The next document (already computed before the rejection) is recomputed without it,
    # for every annotator, and a new session of the project remembers it too.
    service.for_documents([second])
    assert seed_texts(db, second, PARIS_TWO) == [("Rome", "GPE")]
    assert not any(
        PARIS_TWO[s.start : s.end] == "Paris" for s in Workspace(db, "ben").load(second).suggestions
    )
    with db.write() as store:
        store.delete_suggestions()
    SuggestionService(db).for_documents([first, second])
    assert seed_texts(db, second, PARIS_TWO) == [("Rome", "GPE")]
    assert seed_texts(db, first, PARIS_ONE) == []


def test_a_relabel_wins_over_the_lists(db: Database) -> None:
    [doc] = add_documents(db, [GEORGIA])
    service = SuggestionService(db)
    service.for_document(doc)
    assert ("Georgia", "GPE") in seed_texts(db, doc, GEORGIA)
    service.confirmed("Georgia", "PERSON")  # the annotator relabelled it elsewhere
    service.for_document(doc)
    assert seed_texts(db, doc, GEORGIA) == [("Rome", "GPE")]
    gazetteer = [(GEORGIA[s.start : s.end], s.label) for s in stored(db, doc, "gazetteer")]
    assert ("Georgia", "PERSON") in gazetteer


def test_a_project_created_without_seed_lists_does_not_run_them(tmp_path: Path) -> None:
    target = tmp_path / "quiet.sqlite"
    create_project(str(target), "default", seed_lists=False)
    db = Database.open(target)
    try:
        with db.read() as store:
            settings = SuggesterSettings.from_value(store.get_setting(SETTINGS_KEY))
        assert settings.enabled_names() == ("gazetteer", "rules", "claims")
        [doc] = add_documents(db, [PARIS_ONE])
        counts = SuggestionService(db).for_document(doc)
        assert "seeds" not in counts.computed and stored(db, doc, "seeds") == []
    finally:
        db.close()


def test_the_world_gold_files_are_what_the_articles_say(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["build_gold.py", "--check"])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(TOOLS / "build_world_gold.py"), run_name="__main__")
    assert done.value.code == 0


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_goals_on_articles_with_no_confirmed_work(split: str) -> None:
    """GPE precision and recall of at least 0.8 by exact span, NORP recall of at least 0.7:
    the issue's goals, at 0 documents. ``test`` was written after the lists and rules were
    settled on ``dev`` and was not tuned on."""
    report = evaluate_gold(WORLD / f"{split}.jsonl", only=["seeds"])
    seeds = report.suggester("seeds")
    gpe, norp = seeds.labels["GPE"], seeds.labels["NORP"]
    assert gpe.precision is not None and gpe.precision >= 0.8
    assert gpe.recall is not None and gpe.recall >= 0.8
    assert norp.recall is not None and norp.recall >= 0.7
