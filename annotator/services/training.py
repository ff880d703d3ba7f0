"""Train the learned suggestion model on the project's confirmed work, and report on it.

``TrainingService(db).train()`` reads every done document's confirmed spans (one short read
transaction), trains in background processes (:func:`annotator.suggest.training_process.
train_in_background`) while holding no transaction, and stores the model in the project
(``models`` table, kind ``"learned"``) in one write transaction; older models beyond the
newest few are deleted. ``status()`` is what ``annotator suggest --status`` and the window
show: when the model was trained, on how many documents, its held-out scores, how many done
documents there are now and whether retraining is due.

Retraining rule: due when there is no model yet and at least ``min_documents`` documents are
done, or when ``retrain_every`` more documents are done than the latest model was trained on.
Both come from the project setting ``"learned_model"`` (``{"retrain_every": 5,
"min_documents": 5}``) unless given to the constructor. When the project chose an installed
spaCy pipeline (the "installed" suggester), the entities model starts from that pipeline's
``ner`` weights instead of from blank (``"start": "blank"`` in the same setting turns that off).

Importing this module registers the project's model source with the suggestion service
(``CONTEXT_HOOKS["model"]``): the composition root (``app.py``, ``cli.py``) imports it so the
"model" suggester can be built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from annotator.core.model import Layer, Span
from annotator.core.progress import DETAIL_SEPARATOR, CancelToken, ProgressCallback, no_progress
from annotator.services import suggesting
from annotator.storage.database import Database
from annotator.storage.store import StoredModel
from annotator.suggest import registry
from annotator.suggest.learned import KIND, LearnedSuggester, ModelInfo
from annotator.suggest.pipelines import INSTALLED
from annotator.suggest.registry import SETTINGS_KEY
from annotator.suggest.training import (
    LAYERS,
    TrainedModel,
    TrainingConfig,
    TrainingDocument,
    TrainingError,
    TrainingProgress,
)
from annotator.suggest.training_process import train_in_background

__all__ = [
    "SETTING",
    "ProjectModels",
    "TrainingError",
    "TrainingResult",
    "TrainingService",
    "describe_status",
    "learned_suggester",
    "register_model_source",
]

#: Project setting with the retraining rule: ``{"retrain_every": int, "min_documents": int}``,
#: and where the entities model starts when the project chose an installed pipeline:
#: ``"start": "pipeline"`` (its ``ner`` weights) or ``"blank"``.
SETTING: Final = "learned_model"
#: Measured in benchmarks/README.md (cold start) and decided in docs/adr/0023.
START: Final = "pipeline"
RETRAIN_EVERY: Final = 5
MIN_DOCUMENTS: Final = 5
#: Models kept in the project (the newest); each is a few megabytes.
KEEP_MODELS: Final = 3
#: Done documents read for one training (the most recently finished): beyond this, an epoch
#: takes minutes on a laptop and the newest work says most about the current guidelines.
MAX_DOCUMENTS: Final = 2000
_READ_BATCH: Final = 200
#: The phases of :meth:`TrainingService.train` in progress reports.
READING_DOCUMENTS: Final = "Reading the done documents"
TRAINING: Final = "Training the model"


@dataclass(frozen=True, slots=True)
class TrainingResult:
    """A model that was trained and stored."""

    model_id: int
    created_at: datetime | None
    trained_documents: int
    annotator: str | None
    #: Held-out scores and training details (see :mod:`annotator.suggest.training`).
    metrics: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"model {self.model_id} trained on {self.trained_documents} documents"]
        for layer in ("entities", "claims"):
            scores = self.metrics.get(layer)
            if scores:
                parts.append(
                    f"{layer}: held-out P {scores['precision']:.2f} R {scores['recall']:.2f} "
                    f"F1 {scores['f1']:.2f}"
                )
        return "; ".join(parts)


class ProjectModels:
    """The :class:`~annotator.suggest.learned.ModelSource` of a project: its latest model of
    kind ``"learned"``, each lookup in its own short read transaction."""

    def __init__(self, db: Database, kind: str = KIND) -> None:
        self.db = db
        self.kind = kind

    def latest(self) -> ModelInfo | None:
        with self.db.read() as store:
            stored = store.latest_model(self.kind)
        return None if stored is None else _info(stored)

    def load(self, model_id: int) -> bytes:
        with self.db.read() as store:
            return store.model_data(model_id)


def learned_suggester(db: Database) -> LearnedSuggester:
    """The "model" suggester of this project (suggests nothing until a model is trained)."""
    return LearnedSuggester(ProjectModels(db))


def register_model_source() -> None:
    """Give the suggestion service the project's model source, so the registry can build the
    "model" suggester (``BuildContext.extras["model"]``). Done when this module is imported;
    idempotent, and a source registered by someone else first is left alone."""
    suggesting.CONTEXT_HOOKS.setdefault("model", ProjectModels)


register_model_source()


class TrainingService:
    def __init__(
        self,
        db: Database,
        *,
        config: TrainingConfig | None = None,
        retrain_every: int | None = None,
        min_documents: int | None = None,
        keep_models: int = KEEP_MODELS,
        max_documents: int = MAX_DOCUMENTS,
    ) -> None:
        self.db = db
        self.config = config or TrainingConfig()
        self._retrain_every = retrain_every
        self._min_documents = min_documents
        self.keep_models = keep_models
        self.max_documents = max_documents

    # -- data ----------------------------------------------------------------------------

    def training_documents(self, annotator: str | None = None) -> list[TrainingDocument]:
        """Each done document's confirmed spans, one item per annotator who marked it done
        (``annotator`` only, when given); the key is the document id, so an annotator's
        versions of one document stay on one side of the held-out split."""
        with self.db.read() as store:
            done = store.done_documents(annotator, limit=self.max_documents)
            ids = sorted({doc_id for doc_id, _ in done})
            who: dict[int, list[str]] = {}
            for doc_id, name in done:
                who.setdefault(doc_id, []).append(name)
            result: list[TrainingDocument] = []
            for i in range(0, len(ids), _READ_BATCH):
                chunk = ids[i : i + _READ_BATCH]
                documents = store.documents_by_ids(chunk)
                spans = store.spans_by_documents(chunk)
                ignored = store.ignored_by_documents(chunk)
                for document in documents:
                    for name in sorted(who[document.id]):
                        mine = [s for s in spans.get(document.id, ()) if s.annotator == name]
                        result.append(
                            _training_document(
                                str(document.id),
                                document.text,
                                mine,
                                [(r.start, r.end) for r in ignored.get(document.id, ())],
                            )
                        )
        return result

    # -- training ------------------------------------------------------------------------

    def training_config(self) -> TrainingConfig:
        """The configuration, starting the entities model from the project's installed
        pipeline (its suggester on, with a pipeline) unless the ``learned_model`` setting
        says ``"start": "blank"`` or the configuration names a source already."""
        if self.config.source is not None:
            return self.config
        with self.db.read() as store:
            rule = store.get_setting(SETTING, {}) or {}
            settings = registry.settings_from(store)
        if rule.get("start", START) != "pipeline":
            return self.config
        installed = settings.get(INSTALLED)
        pipeline = installed.options.get("pipeline")
        if not installed.enabled or not isinstance(pipeline, str) or not pipeline:
            return self.config
        labels = installed.options.get("labels") or {}
        return dataclasses.replace(
            self.config,
            source=pipeline,
            source_labels=tuple(sorted((str(a), str(b)) for a, b in labels.items())),
        )

    def train(
        self,
        annotator: str | None = None,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> TrainingResult:
        """Train on the done documents (of ``annotator``, or of everyone) and store the model.

        Blocks the calling thread until training ends (tens of seconds for tens of articles):
        run it as a background task. Cancelling terminates the training processes, stores
        nothing and raises :class:`~annotator.core.errors.OperationCancelled`. Too few done
        documents raise :class:`TrainingError`.
        """
        progress(0, None, READING_DOCUMENTS)
        documents = self.training_documents(annotator)
        if cancel is not None:
            cancel.check()
        config = self.training_config()
        stages = len(LAYERS) if config.claims else 1
        total = config.max_epochs * stages
        epochs: dict[str, int] = {}

        def report(update: TrainingProgress) -> None:
            if update.epoch:
                epochs[update.stage] = update.epoch
            progress(sum(epochs.values()), total, TRAINING + DETAIL_SEPARATOR + update.describe())

        model = train_in_background(documents, config, progress=report, cancel=cancel)
        if cancel is not None:
            cancel.check()
        return self._store(model, annotator)

    def _store(self, model: TrainedModel, annotator: str | None) -> TrainingResult:
        metrics = {**model.metrics, "annotator": annotator}
        with self.db.write() as store:
            stored = store.save_model(
                KIND, model.data, trained_documents=model.documents, metrics=metrics
            )
            store.prune_models(KIND, keep=self.keep_models)
            # The first trained model switches its suggester on, unless the project has
            # switched it off on purpose.
            chosen = dict(store.get_setting(SETTINGS_KEY) or {})
            if "model" not in chosen:
                chosen["model"] = {"enabled": True}
                store.set_setting(SETTINGS_KEY, chosen)
            store.log(
                "model_trained",
                annotator,
                None,
                {
                    "model_id": stored.id,
                    "documents": model.documents,
                    "entities_f1": (metrics.get("entities") or {}).get("f1"),
                    "claims_f1": (metrics.get("claims") or {}).get("f1"),
                },
            )
        return TrainingResult(
            stored.id, stored.created_at, stored.trained_documents, annotator, metrics
        )

    # -- status --------------------------------------------------------------------------

    def retrain_rule(self) -> tuple[int, int]:
        """``(retrain_every, min_documents)``: the constructor's, else the project's setting,
        else the defaults."""
        with self.db.read() as store:
            setting = store.get_setting(SETTING, {}) or {}
        every = self._retrain_every or int(setting.get("retrain_every", RETRAIN_EVERY))
        minimum = self._min_documents or int(setting.get("min_documents", MIN_DOCUMENTS))
        return max(1, every), max(2, minimum)

    def status(self, annotator: str | None = None) -> dict[str, Any]:
        """The model and the work it could learn from, as plain values (JSON-ready)."""
        every, minimum = self.retrain_rule()
        with self.db.read() as store:
            latest = store.latest_model(KIND)
            done = store.done_document_count(annotator)
        result: dict[str, Any] = {
            "trained": latest is not None,
            "model_id": None,
            "version": None,
            "created_at": None,
            "trained_documents": 0,
            "annotator": None,
            "entities": None,
            "claims": None,
            "cues": None,
            "done_documents": done,
            "retrain_every": every,
            "min_documents": minimum,
        }
        if latest is None:
            due = done >= minimum
            result["new_documents"] = done
            result["due"] = due
            result["reason"] = f"a first model needs {minimum} done documents"
            return result
        metrics = latest.metrics
        new = max(0, done - latest.trained_documents)
        result.update(
            model_id=latest.id,
            version=_info(latest).version,
            created_at=None if latest.created_at is None else latest.created_at.isoformat(),
            trained_documents=latest.trained_documents,
            annotator=metrics.get("annotator"),
            entities=_scores(metrics.get("entities")),
            claims=_scores(metrics.get("claims")),
            cues=_scores(metrics.get("cues")),
            held_out_documents=(metrics.get("documents") or {}).get("held_out"),
            new_documents=new,
            due=new >= every,
            reason=f"{new} done since the model was trained; retraining every {every}",
        )
        return result

    def suggester(self) -> LearnedSuggester:
        return learned_suggester(self.db)


def describe_status(status: dict[str, Any]) -> list[str]:
    """:meth:`TrainingService.status` as lines for people (``annotator suggest --status``)."""
    lines = []
    if status["trained"]:
        who = f" (annotator {status['annotator']})" if status.get("annotator") else ""
        lines.append(
            f"learned model {status['model_id']}: trained {status['created_at']} on "
            f"{status['trained_documents']} done documents{who}, "
            f"{status.get('held_out_documents') or 0} of them held out"
        )
        for layer in ("entities", "claims", "cues"):
            scores = status.get(layer)
            if scores and scores.get("gold"):
                lines.append(
                    f"  {layer:<9} held-out P {scores['precision']:.2f}  "
                    f"R {scores['recall']:.2f}  F1 {scores['f1']:.2f}  ({scores['gold']} spans)"
                )
    else:
        lines.append("learned model: not trained yet")
    lines.append(f"{status['done_documents']} documents done now; {status['reason']}")
    if status["due"]:
        again = "retraining" if status["trained"] else "training"
        lines.append(f"{again} is due: annotator suggest --train")
    return lines


def _training_document(
    key: str, text: str, spans: Sequence[Span], ignored: list[tuple[int, int]]
) -> TrainingDocument:
    entities = tuple((s.start, s.end, s.label) for s in spans if s.layer is Layer.ENTITY)
    claims = tuple((s.start, s.end) for s in spans if s.layer is Layer.CLAIM)
    cues = tuple(
        s.claim.cue
        for s in spans
        if s.layer is Layer.CLAIM and s.claim is not None and s.claim.cue is not None
    )
    return TrainingDocument(key, text, entities, claims, cues, tuple(ignored))


def _scores(block: dict[str, Any] | None) -> dict[str, Any] | None:
    if not block:
        return None
    result = {key: block.get(key) for key in ("precision", "recall", "f1", "gold")}
    per_label = block.get("per_label")
    if per_label:
        result["per_label"] = {
            label: {key: scores.get(key) for key in ("precision", "recall", "f1", "gold")}
            for label, scores in per_label.items()
        }
    return result


def _info(stored: StoredModel) -> ModelInfo:
    return ModelInfo(stored.id, stored.created_at, stored.trained_documents, stored.metrics)
