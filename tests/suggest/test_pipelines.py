"""Finding installed spaCy pipelines (a folder built and saved here; nothing is downloaded),
proposing a label mapping for a project's schema, and choosing one as an undoable setting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core.schema import default_schema, template_schema
from annotator.core.setting_commands import changed_setting
from annotator.services.annotate import AnnotationService
from annotator.storage.database import Database
from annotator.suggest.errors import SuggesterError, SuggesterUnavailable
from annotator.suggest.pipelines import (
    choose_pipeline,
    default_mapping,
    find_pipelines,
    installed_packages,
    read_folder,
)
from annotator.suggest.registry import SETTINGS_KEY, SuggesterSettings
from tests.builders import add_documents, suggestion
from tests.spacy_pipelines import build_pipeline


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pipeline(tmp_path_factory.mktemp("pipelines") / "harbour", epochs=1)


def test_a_saved_folder_with_ner_is_found_with_its_labels(pipeline: Path) -> None:
    found = read_folder(pipeline)
    assert found is not None
    assert found.name == str(pipeline.resolve()) and found.kind == "folder"
    assert found.labels == ("LOC", "MISC", "ORG", "PER")
    assert found.title == "en_harbour_ner" and found.version == "0.1.0"
    assert "LOC, MISC, ORG, PER" in found.describe()


def test_listing_skips_what_is_not_a_pipeline_and_says_why(pipeline: Path, tmp_path: Path) -> None:
    import spacy

    no_ner = tmp_path / "no_ner"
    spacy.blank("en").to_disk(no_ner)  # a pipeline, but nothing to suggest entities with
    broken = tmp_path / "broken"
    shutil.copytree(pipeline, broken)
    (broken / "meta.json").write_text("{not json", encoding="utf-8")
    problems: list[str] = []
    found = find_pipelines(
        [pipeline, no_ner, broken, tmp_path / "missing", pipeline], packages=[], problems=problems
    )
    assert [p.name for p in found] == [str(pipeline.resolve())]  # once, though given twice
    assert len(problems) == 2
    assert str(broken / "meta.json") in problems[0]
    assert "missing is not a folder" in problems[1]


def test_installed_packages_are_listed_without_a_download() -> None:
    # Whatever this Python has (here: none); every name is an importable package.
    names = installed_packages()
    assert all(isinstance(name, str) and name for name in names)
    assert find_pipelines(packages=["xx_not_installed_here"], problems=(p := [])) == []
    assert p and p[0].startswith("xx_not_installed_here")


def test_a_folder_that_is_not_a_pipeline_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SuggesterUnavailable, match=r"no config\.cfg"):
        read_folder(tmp_path)


def test_default_mapping_follows_the_schema() -> None:
    ontonotes = ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "CARDINAL", "WORK_OF_ART"]
    assert default_mapping(ontonotes, default_schema()) == {
        "PERSON": "PERSON",
        "ORG": "ORG",
        "GPE": "GPE",
        "LOC": "LOC",
        "FAC": "FAC",
        "NORP": "NORP",
        "CARDINAL": "QUANTITY",
    }
    # CoNLL's schema: persons are PER, every place is LOC, groups and works are MISC.
    assert default_mapping(ontonotes, template_schema("conll2003")) == {
        "PERSON": "PER",
        "ORG": "ORG",
        "GPE": "LOC",
        "LOC": "LOC",
        "FAC": "LOC",
        "NORP": "MISC",
        "WORK_OF_ART": "MISC",
    }
    # And the other way round; a label with no counterpart is left out.
    assert default_mapping(["PER", "LOC", "MISC", "ODD"], default_schema()) == {
        "PER": "PERSON",
        "LOC": "LOC",
    }


def test_choosing_a_pipeline_is_one_undoable_setting(db: Database, pipeline: Path) -> None:
    with db.write() as store:
        store.set_setting(SETTINGS_KEY, {"rules": {"enabled": False}})
    service = AnnotationService(db)
    command = choose_pipeline(str(pipeline), {"PER": "PERSON"}, "ana")
    assert command.name == "Choose suggestion pipeline"
    applied = service.execute(command, edits_work=False)
    assert changed_setting(applied) == SETTINGS_KEY
    with db.read() as store:
        stored = store.get_setting(SETTINGS_KEY)
    # Only the pipeline's entry is written: defaults stay unwritten (the first trained model
    # still switches the model suggester on).
    assert set(stored) == {"rules", "installed"}
    installed = SuggesterSettings.from_value(stored).get("installed")
    assert installed.enabled and installed.options["pipeline"] == str(pipeline)
    assert installed.options["labels"] == {"PER": "PERSON"}
    service.undo()
    with db.read() as store:
        assert store.get_setting(SETTINGS_KEY) == {"rules": {"enabled": False}}
    service.redo()
    off = choose_pipeline(None)
    assert off.name == "Stop suggesting from a pipeline"
    service.execute(off, edits_work=False)
    with db.read() as store:
        assert store.get_setting(SETTINGS_KEY)["installed"] == {
            "enabled": False,
            "pipeline": None,
            "labels": {},
        }


def test_a_damaged_setting_is_refused_not_overwritten(db: Database) -> None:
    with db.write() as store:
        store.set_setting(SETTINGS_KEY, {"rules": "yes"})
    with pytest.raises(SuggesterError, match=r"suggesters\.rules"):
        AnnotationService(db).execute(choose_pipeline("x", {}), edits_work=False)
    with db.read() as store:
        assert store.get_setting(SETTINGS_KEY) == {"rules": "yes"}


def test_switching_the_pipeline_forgets_what_it_suggested(db: Database) -> None:
    """Stored suggestions are derived data: those of a pipeline switched off (by a choice or
    its undo) must not stay on screen; the other suggesters' are kept."""
    [doc] = add_documents(db, ["Petra Novak came to Port Sela."])
    service = AnnotationService(db)
    service.execute(choose_pipeline("/some/pipeline", {"PER": "PERSON"}), edits_work=False)

    def store_some() -> None:
        with db.write() as store:
            for name in ("installed", "rules"):
                found = [suggestion(doc, 0, 11, "PERSON", suggester=name)]
                store.replace_suggestions(doc, name, "v1", found)

    def suggesters() -> set[str]:
        with db.read() as store:
            return {s.suggester for s in store.suggestions(doc)}

    store_some()
    applied = service.undo()
    assert applied is not None and changed_setting(applied) == SETTINGS_KEY
    assert suggesters() == {"rules"}
    store_some()
    service.redo()
    assert suggesters() == {"rules"}
