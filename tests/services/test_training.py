"""Training the learned model on a real project: background process, stored model, status,
retraining rule, cancel, and the "model" suggester built over the project's models."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from annotator.core.errors import OperationCancelled
from annotator.core.model import ClaimDetails, Document, DocumentState, Layer, Span, Status
from annotator.core.progress import CancelToken, split_message
from annotator.core.tokens import tokenize
from annotator.services import suggesting
from annotator.services import training as training_service
from annotator.services.importing import import_paths
from annotator.services.training import (
    ProjectModels,
    TrainingError,
    TrainingService,
    describe_status,
)
from annotator.storage.database import Database
from annotator.suggest.base import SuggestInput
from annotator.suggest.learned import KIND, LearnedSuggester
from annotator.suggest.training import TrainingConfig
from tests.suggest.test_learned import NEW_TEXT, tiny_corpus

FAST = TrainingConfig(max_epochs=12, min_epochs=6, patience=3, seed=1)


def _import(db: Database, tmp_path: Path, records: list[dict[str, Any]]) -> None:
    path = tmp_path / f"corpus-{len(records)}-{records[0]['id']}.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    summary = import_paths(db, [path], detect_boilerplate=False)
    assert summary.errors == [] and summary.imported == len(records)


@pytest.fixture
def project(db: Database, tmp_path: Path) -> Database:
    _import(db, tmp_path, tiny_corpus())
    return db


def _more_done(db: Database, tmp_path: Path, first: int, count: int) -> None:
    """``count`` further documents marked done by "ana" (copies of the tiny corpus)."""
    records = []
    for i in range(first, first + count):
        record = dict(tiny_corpus()[i % 6])
        record["id"] = f"more-{i}"
        record["text"] = record["text"].replace("Comments", f"Comments {i}")
        records.append(record)
    _import(db, tmp_path, records)


def test_status_before_any_training(project: Database) -> None:
    status = TrainingService(project).status()
    assert status["trained"] is False and status["model_id"] is None
    assert status["done_documents"] == 6
    assert status["due"] is True  # 6 done >= 5 needed for a first model
    assert describe_status(status)[-1] == "training is due: annotator suggest --train"
    assert TrainingService(project, min_documents=10).status()["due"] is False


def test_training_documents_carry_each_annotators_confirmed_spans(project: Database) -> None:
    with project.write() as store:
        store.add_span(Span(None, 1, Layer.ENTITY, 0, 4, "FAC", "bo"))
        store.set_state(DocumentState(1, "bo", Status.DONE))
    service = TrainingService(project)
    everyone = service.training_documents()
    assert [d.key for d in everyone].count("1") == 2  # ana's and bo's versions of document 1
    ana = service.training_documents("ana")
    assert len(ana) == 6 and {d.key for d in ana} == {str(i) for i in range(1, 7)}
    first = ana[0]
    assert len(first.claims) == 2 and len(first.cues) == 2 and len(first.ignored) == 2
    assert (0, 4, "FAC") not in first.entities
    assert service.training_documents("bo")[0].entities == ((0, 4, "FAC"),)


def test_train_in_background_stores_a_model_that_suggests(
    project: Database, tmp_path: Path, pids: list[int]
) -> None:
    reports: list[tuple[int, int | None, str]] = []
    service = TrainingService(project, config=FAST)
    result = service.train(progress=lambda d, t, m: reports.append((d, t, m)))

    assert result.trained_documents == 6 and result.annotator is None
    assert result.metrics["documents"]["held_out"] == 1
    assert any("entities: epoch" in m for _, _, m in reports)
    assert any("claims: epoch" in m for _, _, m in reports)
    assert all(total == 2 * FAST.max_epochs for _, total, m in reports if "epoch" in m)
    assert pids and not any(_alive(pid) for pid in pids)

    status = service.status()
    assert status["trained"] is True and status["model_id"] == result.model_id
    assert status["trained_documents"] == 6 and status["held_out_documents"] == 1
    for layer in ("entities", "claims"):
        assert set(status[layer]) >= {"precision", "recall", "f1"}
    assert status["new_documents"] == 0 and status["due"] is False
    text = "\n".join(describe_status(status))
    assert "on 6 done documents, 1 of them held out" in text and "entities  held-out P" in text
    assert result.created_at is not None
    stamp = result.created_at.isoformat(timespec="seconds")
    assert status["version"] == f"{result.model_id}@{stamp}"

    # The project's suggester loads it and suggests a seen entity in a new document.
    suggester = service.suggester()
    assert suggester.version == status["version"]
    with project.read() as store:
        schema = store.schema()
    document = Document(id=1000, external_id=None, title="new", text=NEW_TEXT)
    found = suggester.suggest(SuggestInput(document, tokenize(NEW_TEXT), schema, ()))
    seen = {(NEW_TEXT[s.start : s.end], s.label) for s in found if s.layer is Layer.ENTITY}
    assert ("Brackwater", "GPE") in seen

    # Five more done documents make retraining due.
    _more_done(project, tmp_path, 0, 4)
    assert service.status()["due"] is False
    _more_done(project, tmp_path, 4, 1)
    status = service.status()
    assert status["done_documents"] == 11 and status["new_documents"] == 5
    assert status["due"] is True


def test_cancel_terminates_the_process_and_stores_nothing(
    project: Database, pids: list[int]
) -> None:
    cancel = CancelToken()
    service = TrainingService(project, config=FAST)

    def cancel_once_training(done: int, total: int | None, message: str) -> None:
        # The first report from the training process: "Training the model — preparing…".
        if split_message(message)[1].startswith("preparing"):
            cancel.cancel()

    with pytest.raises(OperationCancelled):
        service.train(progress=cancel_once_training, cancel=cancel)
    assert pids and not any(_alive(pid) for pid in pids)
    assert service.status()["trained"] is False
    with project.read() as store:
        assert store.latest_model(KIND) is None


def test_too_few_done_documents_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    _import(db, tmp_path, tiny_corpus()[:1])
    with pytest.raises(TrainingError, match="at least 2 done documents"):
        TrainingService(db, config=FAST).train()


def test_models_are_stored_pruned_and_read_back(db: Database) -> None:
    with db.write() as store:
        ids = [
            store.save_model(KIND, bytes([i]) * 10, trained_documents=i, metrics={"n": i}).id
            for i in range(1, 5)
        ]
        assert store.prune_models(KIND, keep=2) == 2
    with db.read() as store:
        latest = store.latest_model(KIND)
        assert latest is not None and latest.id == ids[-1]
        assert latest.trained_documents == 4 and latest.metrics == {"n": 4}
        assert latest.created_at is not None and latest.created_at.tzinfo is not None
        assert store.model_data(ids[-2]) == bytes([3]) * 10
        assert store.latest_model("other") is None
    source = ProjectModels(db)
    info = source.latest()
    assert info is not None and info.id == ids[-1]
    assert source.load(info.id) == bytes([4]) * 10


def test_the_suggestion_service_can_build_the_model_suggester(db: Database) -> None:
    assert suggesting.CONTEXT_HOOKS["model"] is ProjectModels
    suggester = training_service.learned_suggester(db)
    assert isinstance(suggester, LearnedSuggester) and suggester.version == "none"


def test_done_documents_and_counts(project: Database) -> None:
    with project.write() as store:
        store.add_span(
            Span(None, 2, Layer.CLAIM, 0, 4, "CLAIM", "bo", claim=ClaimDetails(cue=(5, 9)))
        )
        store.set_state(DocumentState(2, "bo", Status.DONE))
        store.set_state(DocumentState(3, "bo", Status.IN_PROGRESS))
    with project.read() as store:
        assert store.done_document_count() == 6
        assert store.done_document_count("bo") == 1
        assert store.done_document_count("nobody") == 0
        assert store.done_documents("bo") == [(2, "bo")]
        assert len(store.done_documents()) == 7
        assert len(store.done_documents(limit=3)) == 3


# -- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def pids(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the training processes the service starts."""
    started: list[int] = []
    real = training_service.train_in_background

    def spy(*args: Any, **kwargs: Any) -> Any:
        return real(*args, on_start=started.extend, **kwargs)

    monkeypatch.setattr(training_service, "train_in_background", spy)
    return started


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
