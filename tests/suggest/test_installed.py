"""An installed spaCy pipeline: a small one built and saved here (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.schema import default_schema
from annotator.suggest.errors import SuggesterUnavailable
from annotator.suggest.installed import InstalledPipelineSuggester
from annotator.suggest.registry import BuildContext, SuggesterSettings, build
from tests.suggest.news import item, spans


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PER", "pattern": "Petra Novak"},
            {"label": "LOC", "pattern": "Port Sela"},
            {"label": "MISC", "pattern": "Harbour Festival"},
            {"label": "ORG", "pattern": "Sela Dockers"},
        ]
    )
    nlp.meta["name"] = "harbour_test"
    nlp.meta["version"] = "1.2.3"
    path = tmp_path_factory.mktemp("pipeline") / "harbour_test"
    nlp.to_disk(path)
    return path


TEXT = "Mayor Petra Novak opened the Harbour Festival in Port Sela with the Sela Dockers."


def test_labels_are_mapped_and_unmapped_ones_dropped(pipeline: Path) -> None:
    suggester = InstalledPipelineSuggester(
        str(pipeline), default_schema(), {"PER": "PERSON", "LOC": "GPE"}
    )
    found = suggester.suggest(item(TEXT))
    # MISC is not mapped and not a project label: dropped. ORG is the project's own label.
    assert spans(TEXT, found) == [
        ("Petra Novak", "PERSON"),
        ("Port Sela", "GPE"),
        ("Sela Dockers", "ORG"),
    ]
    assert found[0].suggester == "installed"
    assert found[0].reason == "en_harbour_test 1.2.3 labels it PER"


def test_version_names_the_pipeline_mapping_and_schema(pipeline: Path) -> None:
    a = InstalledPipelineSuggester(str(pipeline), default_schema(), {"PER": "PERSON"})
    b = InstalledPipelineSuggester(str(pipeline), default_schema(), {"PER": "PERSON"})
    c = InstalledPipelineSuggester(str(pipeline), default_schema(), {"PER": "NORP"})
    assert a.version == b.version != c.version


def test_a_pipeline_that_is_not_installed_is_a_clear_error() -> None:
    with pytest.raises(SuggesterUnavailable, match=r"xx_no_such_pipeline.*nothing is downloaded"):
        InstalledPipelineSuggester("xx_no_such_pipeline", default_schema())


def test_built_from_settings(pipeline: Path) -> None:
    settings = (
        SuggesterSettings.defaults()
        .with_enabled("installed")
        .with_options("installed", pipeline=str(pipeline), labels={"LOC": "GPE"})
    )
    [suggester] = build(BuildContext(default_schema()), settings, only=["installed"])
    assert spans(TEXT, suggester.suggest(item(TEXT))) == [
        ("Port Sela", "GPE"),
        ("Sela Dockers", "ORG"),
    ]
    unavailable: dict[str, str] = {}
    missing = settings.with_options("installed", pipeline="xx_no_such_pipeline")
    names = [
        s.name for s in build(BuildContext(default_schema()), missing, unavailable=unavailable)
    ]
    assert names == ["gazetteer", "seeds", "rules", "claims"]
    assert "xx_no_such_pipeline" in unavailable["installed"]
