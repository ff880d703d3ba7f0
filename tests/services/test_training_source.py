"""The learned model started from an installed pipeline's ``ner`` (cold start): chosen with
the project's pipeline, trained in the background, and the model that suggests keeps what the
pipeline knew (names no done document contains) under the project's labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import Document, Layer
from annotator.core.tokens import tokenize
from annotator.services.annotate import AnnotationService
from annotator.services.training import SETTING, TrainingService
from annotator.storage.database import Database
from annotator.suggest.base import SuggestInput
from annotator.suggest.learned import LearnedModel
from annotator.suggest.pipelines import choose_pipeline, default_mapping, read_folder
from annotator.suggest.training import TrainingConfig, TrainingDocument, train_model
from tests.services.test_training import _import
from tests.spacy_pipelines import build_pipeline
from tests.suggest.test_learned import tiny_corpus

FAST = TrainingConfig(max_epochs=6, min_epochs=3, patience=2, seed=1, claims=False)
#: Names from the pipeline's own training sentences; no done document has them.
TEXT = "Petra Novak of the Sela Dockers spoke in Port Sela on Monday."


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pipeline(tmp_path_factory.mktemp("source") / "harbour")


def _found(service: TrainingService, db: Database) -> set[tuple[str, str]]:
    with db.read() as store:
        schema = store.schema()
    document = Document(id=500, external_id=None, title="new", text=TEXT)
    found = service.suggester().suggest(SuggestInput(document, tokenize(TEXT), schema, ()))
    return {(TEXT[s.start : s.end], s.label) for s in found if s.layer is Layer.ENTITY}


def test_the_model_starts_from_the_chosen_pipeline(
    db: Database, tmp_path: Path, pipeline: Path
) -> None:
    _import(db, tmp_path, tiny_corpus())
    with db.read() as store:
        schema = store.schema()
    labels = read_folder(pipeline).labels  # type: ignore[union-attr]
    mapping = default_mapping(labels, schema)
    AnnotationService(db).execute(choose_pipeline(str(pipeline), mapping, "ana"), edits_work=False)
    service = TrainingService(db, config=FAST)
    assert service.training_config().source == str(pipeline)
    result = service.train()

    entities = result.metrics["entities"]
    assert entities["start"] == str(pipeline)
    assert entities["label_map"]["PER"] == "PERSON"
    assert entities["history"][0]["epoch"] == 0  # the pipeline as it came was measured too
    assert _found(service, db) >= {("Petra Novak", "PERSON"), ("Sela Dockers", "ORG")}
    with db.read() as store:
        stored = LearnedModel.from_bytes(store.model_data(result.model_id))
    assert stored.entity_labels is not None and stored.entity_labels["PER"] == "PERSON"


def test_blank_start_when_the_project_says_so(db: Database, tmp_path: Path, pipeline: Path) -> None:
    _import(db, tmp_path, tiny_corpus())
    with db.write() as store:
        store.set_setting(SETTING, {"start": "blank"})
    AnnotationService(db).execute(
        choose_pipeline(str(pipeline), {"PER": "PERSON"}), edits_work=False
    )
    service = TrainingService(db, config=FAST)
    assert service.training_config().source is None
    result = service.train()
    assert result.metrics["entities"]["start"] == "blank"
    # Without the pipeline's weights, six documents about a harbour do not teach this name.
    assert ("Petra Novak", "PERSON") not in _found(service, db)


def test_a_pipeline_missing_here_means_training_from_blank() -> None:
    # Chosen on another computer: training still runs, from blank, and the metrics say why.
    documents = [
        TrainingDocument(
            str(i), f"Mayor Lena Hart visited Brackwater on day {i}.", ((6, 15, "PERSON"),)
        )
        for i in range(3)
    ]
    config = TrainingConfig(
        max_epochs=2, min_epochs=1, patience=1, claims=False, source="xx_not_installed_here"
    )
    metrics = train_model(documents, config).metrics["entities"]
    assert metrics["start"].startswith(
        "blank (the spaCy pipeline 'xx_not_installed_here' cannot be loaded"
    )
    assert "label_map" not in metrics
