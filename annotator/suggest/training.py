"""Train the learned model (:mod:`annotator.suggest.learned`) from confirmed spans.

Qt-free and storage-free: the services layer reads the project's confirmed documents, hands
them over as :class:`TrainingDocument` values and stores the bundle that comes back.

* **Data.** Each document's confirmed entities, claims and cues, without boilerplate. Entities
  must not overlap (one ``ner`` owns ``doc.ents``): where confirmed entities overlap, the
  longest is kept and the others are counted in the metrics (``dropped``); the same for
  claims and cues (which share the claims pipeline). Spans that are not token-aligned or that
  touch boilerplate are dropped and counted too.
* **Split.** By document (all versions of one document on the same side), seeded: about 20%
  held out (at least one document), never trained on. The stored scores are that held-out
  part's, for the model that is stored (it is not retrained on everything afterwards, so the
  score shown is the score of what suggests).
* **Training.** ``spacy.blank("en")`` + ``ner`` with a small hash-embedding CNN (width 64) and
  Adam; up to ``max_epochs`` passes, each followed by a held-out evaluation; the best epoch's
  weights are kept, and training stops after ``patience`` epochs without improvement (but not
  before ``min_epochs``). CPU only, seeded.
* **From an installed pipeline.** With ``source`` (a package name or a saved folder), the
  entities pipeline is instead that pipeline's ``ner`` (weights, labels; a shared tok2vec is
  copied into it), in its vocabulary; the project's spans are learned under the pipeline's own
  label where ``source_labels`` maps one to them (so ``PER`` learns on as ``PER`` and is
  suggested as the project's ``PERSON``), the other project labels are added. The pipeline as
  it came is measured on the held-out part too (epoch 0), and kept when training does not
  beat it. The bundle carries the model-to-project label map.
* **Background.** :mod:`annotator.suggest.training_process` runs :func:`train_model` in
  separate processes.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from annotator.core.errors import AnnotatorError, OperationCancelled
from annotator.core.tokens import Tokenized, tokenize
from annotator.suggest.errors import SuggesterUnavailable
from annotator.suggest.learned import (
    BUNDLE_FORMAT,
    CLAIM,
    CUE,
    chunks,
    make_doc,
    predict_with,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

__all__ = [
    "LAYERS",
    "TrainedModel",
    "TrainingConfig",
    "TrainingDocument",
    "TrainingError",
    "TrainingProgress",
    "merge_models",
    "score_spans",
    "split_keys",
    "train_model",
]

MIN_DOCUMENTS: Final = 2

Span3 = tuple[int, int, str]


class TrainingError(AnnotatorError):
    """Training could not run (too little data) or the training process failed."""


@dataclass(frozen=True, slots=True)
class TrainingDocument:
    """One confirmed version of one document: plain values, so it crosses into the training
    process as a dict. ``key`` groups versions of the same document for the split."""

    key: str
    text: str
    entities: tuple[Span3, ...] = ()
    claims: tuple[tuple[int, int], ...] = ()
    cues: tuple[tuple[int, int], ...] = ()
    ignored: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "entities": [list(e) for e in self.entities],
            "claims": [list(c) for c in self.claims],
            "cues": [list(c) for c in self.cues],
            "ignored": [list(i) for i in self.ignored],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingDocument:
        return cls(
            key=str(data["key"]),
            text=data["text"],
            entities=tuple((int(s), int(e), str(label)) for s, e, label in data["entities"]),
            claims=tuple((int(s), int(e)) for s, e in data["claims"]),
            cues=tuple((int(s), int(e)) for s, e in data["cues"]),
            ignored=tuple((int(s), int(e)) for s, e in data["ignored"]),
        )


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    """How to train. The defaults train 20 articles in well under a minute on 2 cores."""

    max_epochs: int = 30
    min_epochs: int = 8
    patience: int = 8
    #: Share of documents held out for early stopping and the reported scores.
    held_out: float = 0.2
    seed: int = 0
    #: The ``ner`` model's tok2vec: hash embeddings + CNN, small for CPU and tiny data.
    width: int = 64
    depth: int = 4
    embed_size: int = 2000
    window_size: int = 1
    #: Claims are long (a median of 12 tokens): their model sees two tokens either side per
    #: layer, which measured clearly better than one on the evaluation corpus.
    claims_window_size: int = 2
    hidden_width: int = 64
    dropout: float = 0.2
    #: Lines (pieces of documents) per update.
    batch_size: int = 8
    learn_rate: float = 0.001
    #: Train the claims pipeline too (CLAIM and CUE spans), when there are claims.
    claims: bool = True
    #: In the background, train the two pipelines in two processes at once (when the machine
    #: has two cores or more): the wall time of the slower one instead of the sum.
    parallel: bool = True
    #: An installed spaCy pipeline (package name or folder) whose ``ner`` component the
    #: entities model starts from instead of from blank; ``None``: from blank.
    source: str | None = None
    #: The source pipeline's labels mapped to the project's (pipeline label, project label):
    #: the project's spans are learned under the pipeline's own label where one maps to
    #: them, so what the pipeline already knows about that label carries over.
    source_labels: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingConfig:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in names}
        if "source_labels" in values:  # lists after a round trip through msgpack or JSON
            values["source_labels"] = tuple((str(a), str(b)) for a, b in values["source_labels"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class TrainingProgress:
    """One report from the training process: a stage started, or an epoch ended."""

    stage: str
    epoch: int = 0
    max_epochs: int = 0
    loss: float = 0.0
    #: Held-out F1 after this epoch, and the best so far (``None`` before the first epoch).
    f1: float | None = None
    best_f1: float | None = None

    def describe(self) -> str:
        if not self.epoch:
            return f"{self.stage}…"
        f1 = "n/a" if self.f1 is None else f"{self.f1:.2f}"
        return (
            f"{self.stage}: epoch {self.epoch}/{self.max_epochs}, loss {self.loss:.1f}, "
            f"held-out F1 {f1}"
        )


@dataclass(frozen=True, slots=True)
class TrainedModel:
    """The bundle to store (see :mod:`annotator.suggest.learned`) and its held-out metrics."""

    data: bytes
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def documents(self) -> int:
        return int(self.metrics.get("documents", {}).get("total", 0))


# -- scoring ---------------------------------------------------------------------------------


def score_spans(
    gold: Iterable[tuple[Any, int, int, str]], predicted: Iterable[tuple[Any, int, int, str]]
) -> dict[str, Any]:
    """Exact-match precision, recall and F1 overall and per label. Items are
    ``(document key, start, end, label)``; a prediction counts only with the same key, offsets
    and label."""
    gold_set = set(gold)
    predicted_set = set(predicted)
    correct = gold_set & predicted_set
    labels = sorted({item[3] for item in gold_set | predicted_set})

    def block(g: int, p: int, c: int) -> dict[str, Any]:
        precision = c / p if p else 0.0
        recall = c / g if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "gold": g,
            "predicted": p,
            "correct": c,
        }

    g_count = Counter(item[3] for item in gold_set)
    p_count = Counter(item[3] for item in predicted_set)
    c_count = Counter(item[3] for item in correct)
    result = block(len(gold_set), len(predicted_set), len(correct))
    result["per_label"] = {
        label: block(g_count[label], p_count[label], c_count[label]) for label in labels
    }
    return result


# -- data ------------------------------------------------------------------------------------


def split_keys(keys: Iterable[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """``(train, held_out)`` document keys: a seeded shuffle of the distinct keys, about
    ``fraction`` held out (at least one while there are two or more documents)."""
    unique = sorted(set(keys))
    random.Random(seed).shuffle(unique)
    if len(unique) < MIN_DOCUMENTS:
        return unique, []
    held = min(len(unique) - 1, max(1, round(len(unique) * fraction)))
    return sorted(unique[held:]), sorted(unique[:held])


@dataclass
class _Prepared:
    key: str
    text: str
    tokens: Tokenized
    ignored: tuple[tuple[int, int], ...]
    entities: list[Span3]
    claims: list[Span3]
    #: Training pieces: token ranges, lines joined where a kept span crosses a line break.
    entity_pieces: list[tuple[int, int]]
    claim_pieces: list[tuple[int, int]]


def _resolve(spans: Iterable[Span3]) -> tuple[list[Span3], int]:
    """Keep the longest of overlapping spans (then the earliest); count the others."""
    kept: list[Span3] = []
    dropped = 0
    for span in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0], s[2])):
        if any(span[0] < other[1] and other[0] < span[1] for other in kept):
            dropped += 1
        else:
            kept.append(span)
    kept.sort()
    return kept, dropped


def _pieces(
    doc: TrainingDocument, tokens: Tokenized, spans: list[Span3], counts: Counter[str], name: str
) -> tuple[list[Span3], list[tuple[int, int]]]:
    """The spans that can be learned and the pieces to learn them from: the model's lines,
    joined where a span runs across a line break (a span in boilerplate is dropped)."""
    base = chunks(doc.text, tokens.tokens, doc.ignored)
    piece_of: dict[int, int] = {}
    for number, (first, stop) in enumerate(base):
        for index in range(first, stop):
            piece_of[index] = number
    joined = list(range(len(base)))  # joined[k]: the first piece that piece k is part of
    kept: list[Span3] = []
    for start, end, label in spans:
        indices = tokens.token_indices(start, end)
        if indices is None:
            counts[f"{name}_misaligned"] += 1
            continue
        first_piece = piece_of.get(indices[0])
        last_piece = piece_of.get(indices[1] - 1)
        if (
            first_piece is None
            or last_piece is None
            or any(base[k][1] != base[k + 1][0] for k in range(first_piece, last_piece))
        ):
            counts[f"{name}_in_boilerplate"] += 1
            continue
        for k in range(first_piece + 1, last_piece + 1):
            joined[k] = joined[first_piece]
        kept.append((start, end, label))
    merged: dict[int, tuple[int, int]] = {}
    for k, (first, stop) in enumerate(base):
        head = joined[k]
        while joined[head] != head:
            head = joined[head]
        old = merged.get(head)
        merged[head] = (first, stop) if old is None else (old[0], stop)
    return kept, sorted(merged.values())


def _prepare(documents: Sequence[TrainingDocument], counts: Counter[str]) -> list[_Prepared]:
    prepared = []
    for doc in documents:
        tokens = tokenize(doc.text)
        entities, dropped = _resolve(doc.entities)
        counts["entities_overlapping"] += dropped
        claim_spans = [(s, e, CLAIM) for s, e in doc.claims] + [(s, e, CUE) for s, e in doc.cues]
        claims, dropped = _resolve(claim_spans)
        counts["claims_overlapping"] += dropped
        entities, entity_pieces = _pieces(doc, tokens, entities, counts, "entities")
        claims, claim_pieces = _pieces(doc, tokens, claims, counts, "claims")
        prepared.append(
            _Prepared(
                doc.key,
                doc.text,
                tokens,
                doc.ignored,
                entities,
                claims,
                entity_pieces,
                claim_pieces,
            )
        )
    return prepared


# -- training --------------------------------------------------------------------------------


def _blank(config: TrainingConfig, layer: str) -> Language:
    import spacy

    window = config.claims_window_size if layer == "claims" else config.window_size

    nlp = spacy.blank("en")
    nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": config.hidden_width,
                "maxout_pieces": 2,
                "use_upper": True,
                "nO": None,
                "tok2vec": {
                    "@architectures": "spacy.HashEmbedCNN.v2",
                    "pretrained_vectors": None,
                    "width": config.width,
                    "depth": config.depth,
                    "embed_size": config.embed_size,
                    "window_size": window,
                    "maxout_pieces": 3,
                    "subword_features": True,
                },
            }
        },
    )
    return nlp


def _examples(
    nlp: Language,
    docs: Sequence[_Prepared],
    layer: str,
    rename: Mapping[str, str] | None = None,
) -> list[Example]:
    """Training examples; ``rename`` gives the model's label for a project label (a model
    started from a pipeline learns under the pipeline's own names)."""
    from spacy.training import Example

    rename = rename or {}

    examples = []
    for doc in docs:
        spans = doc.entities if layer == "entities" else doc.claims
        pieces = doc.entity_pieces if layer == "entities" else doc.claim_pieces
        for first, stop in pieces:
            start_char = doc.tokens.tokens[first].start
            end_char = doc.tokens.tokens[stop - 1].end
            predicted = make_doc(nlp.vocab, doc.text, doc.tokens.tokens, first, stop)
            reference = make_doc(nlp.vocab, doc.text, doc.tokens.tokens, first, stop)
            ents = []
            for start, end, label in spans:
                if start_char <= start and end <= end_char:
                    span = reference.char_span(
                        start - start_char, end - start_char, label=rename.get(label, label)
                    )
                    if span is None:  # cannot happen for token-aligned spans; never silently
                        raise TrainingError(f"span {start}..{end} does not align in {doc.key}")
                    ents.append(span)
            reference.set_ents(ents, default="outside")
            examples.append(Example(predicted, reference))
    return examples


def _evaluate(
    nlp: Language,
    docs: Sequence[_Prepared],
    layer: str,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    gold: list[tuple[str, int, int, str]] = []
    predicted: list[tuple[str, int, int, str]] = []
    for doc in docs:
        spans = doc.entities if layer == "entities" else doc.claims
        gold.extend((doc.key, s, e, label) for s, e, label in spans)
        pieces = chunks(doc.text, doc.tokens.tokens, doc.ignored)
        found = predict_with(nlp, doc.text, doc.tokens.tokens, pieces, labels=labels)
        predicted.extend((doc.key, s, e, label) for s, e, label in found)
    return score_spans(gold, predicted)


def _stopping_score(scores: dict[str, Any], layer: str) -> float:
    """What early stopping maximises: F1 of the labels that matter (claims, not cues), or,
    when the held-out part has none of them, 1.0 for predicting none and 0.0 otherwise."""
    block = scores["per_label"].get(CLAIM, _EMPTY) if layer == "claims" else scores
    if block["gold"]:
        return float(block["f1"])
    return 1.0 if not block["predicted"] else 0.0


_EMPTY: Final = {"gold": 0, "predicted": 0, "f1": 0.0}


def _fit(
    layer: str,
    train_docs: Sequence[_Prepared],
    held_docs: Sequence[_Prepared],
    config: TrainingConfig,
    report: Callable[[TrainingProgress], None],
    cancel: Callable[[], bool] | None,
) -> tuple[Language, dict[str, Any]]:
    from spacy.util import fix_random_seed, minibatch

    # Seeded per layer, so a layer trains the same whether alone in its process or after
    # the other one.
    fix_random_seed(config.seed)
    labels = sorted(
        {s[2] for d in train_docs for s in (d.entities if layer == "entities" else d.claims)}
    )
    start = None
    started_from = "blank"
    if layer == "entities" and config.source:
        try:
            start = _from_source(config, labels)
        except SuggesterUnavailable as exc:
            # Chosen on another computer, or uninstalled since: train from blank, and say so.
            started_from = f"blank ({exc})"
    if start is None:
        nlp = _blank(config, layer)
        rename: dict[str, str] = {}
        to_project: dict[str, str] | None = None
    else:
        nlp, rename, to_project = start
        started_from = str(config.source)
    ner = nlp.get_pipe("ner")
    for label in labels:
        ner.add_label(rename.get(label, label))  # type: ignore[attr-defined]
    examples = _examples(nlp, train_docs, layer, rename)
    # A pipeline's weights are the starting point: not initialised again.
    optimizer = nlp.initialize(lambda: examples) if start is None else nlp.resume_training()
    optimizer.learn_rate = config.learn_rate
    rng = random.Random(config.seed)
    best_score = -1.0
    best_bytes = b""
    best_epoch = 0
    since_better = 0
    history = []
    if start is not None:
        # Epoch 0: the pipeline as it came. On a few documents, training may not beat it yet,
        # and then what it knew is what is kept.
        value = _stopping_score(_evaluate(nlp, held_docs, layer, to_project), layer)
        best_score, best_bytes = value, ner.to_bytes(exclude=["vocab"])
        history.append({"epoch": 0, "loss": 0.0, "score": round(value, 4)})
    stage = "entities" if layer == "entities" else "claims"
    # A few documents make only a few lines: smaller batches, so that an epoch is still
    # several updates (with 15 lines and batches of 8, 14 epochs were 28 updates: too few).
    size = max(1, min(config.batch_size, len(examples) // 8))
    for epoch in range(1, config.max_epochs + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=size):
            if cancel is not None and cancel():
                raise OperationCancelled("training cancelled")
            nlp.update(batch, drop=config.dropout, sgd=optimizer, losses=losses)
        scores = _evaluate(nlp, held_docs, layer, to_project)
        value = _stopping_score(scores, layer)
        if value >= best_score:
            # Ties go to the later epoch (trained longer, same held-out result); only a strict
            # improvement restarts the patience count, and nothing counts while the model has
            # found nothing yet (tiny data can take a while to get off zero).
            since_better = 0 if value > best_score or value == 0 else since_better + 1
            # The component's weights only: the whole pipeline's bytes carry the tokenizer,
            # whose reload alone costs half a second.
            best_score, best_bytes, best_epoch = value, ner.to_bytes(exclude=["vocab"]), epoch
        else:
            since_better += 1
        loss = float(losses.get("ner", 0.0))
        history.append({"epoch": epoch, "loss": round(loss, 3), "score": round(value, 4)})
        report(TrainingProgress(stage, epoch, config.max_epochs, loss, value, best_score))
        if epoch >= config.min_epochs and since_better >= config.patience:
            break
    ner.from_bytes(best_bytes, exclude=["vocab"])
    scores = _evaluate(nlp, held_docs, layer, to_project)
    scores["labels"] = labels
    scores["best_epoch"] = best_epoch
    scores["epochs"] = len([h for h in history if h["epoch"]])
    scores["history"] = history
    scores["start"] = started_from
    if to_project is not None:
        scores["label_map"] = to_project
    return nlp, scores


def _from_source(
    config: TrainingConfig, labels: Sequence[str]
) -> tuple[Language, dict[str, str], dict[str, str]]:
    """A pipeline whose ``ner`` is the source pipeline's (weights and labels), the model's
    label for each project label, and the project's label for each label the model
    predicts (the others are dropped)."""
    import spacy

    from annotator.suggest.installed import load_pipeline

    source = load_pipeline(str(config.source))
    ner_name = next(
        (name for name, pipe in source.pipeline if _factory(source, name) == "ner"), None
    )
    if ner_name is None:
        raise TrainingError(f"the spaCy pipeline {config.source!r} has no ner component")
    # A ner that listens to a shared tok2vec gets its own copy, so it stands alone here.
    for name, pipe in source.pipeline:
        if ner_name in getattr(pipe, "listening_components", ()):
            source.replace_listeners(name, ner_name, ["model.tok2vec"])
    # The source's vocabulary (with its vectors, if any) so its features mean the same here;
    # the tokenizer does not matter: documents are built from the project's tokens.
    nlp = spacy.blank(source.lang, vocab=source.vocab)
    nlp.add_pipe(ner_name, name="ner", source=source)
    known = set(nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]
    to_project = {a: b for a, b in config.source_labels if a in known}
    rename: dict[str, str] = {}
    for label in labels:
        # The pipeline's own label for it: the same name first, else the first that maps.
        if label in to_project and to_project[label] == label:
            rename[label] = label
            continue
        theirs = next((a for a, b in config.source_labels if b == label and a in known), None)
        rename[label] = theirs if theirs is not None else label
    for label in labels:
        # A label the pipeline never had is learned under the project's name.
        to_project.setdefault(rename[label], label)
    return nlp, rename, to_project


def _factory(nlp: Language, name: str) -> str | None:
    meta = nlp.get_pipe_meta(name)
    return getattr(meta, "factory", None)


LAYERS: Final = ("entities", "claims")


def train_model(
    documents: Sequence[TrainingDocument],
    config: TrainingConfig | None = None,
    *,
    progress: Callable[[TrainingProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    held_out_keys: Iterable[str] | None = None,
    layers: Sequence[str] = LAYERS,
) -> TrainedModel:
    """Train the pipelines of ``layers`` in this process; the bundle and its metrics.

    ``held_out_keys`` fixes the held-out documents (the benchmark's folds, or the parent's
    split when layers train in separate processes); by default :func:`split_keys` chooses.
    """
    import srsly

    config = config or TrainingConfig()
    report = progress or (lambda _: None)
    started = time.perf_counter()
    keys = sorted({doc.key for doc in documents})
    if len(keys) < MIN_DOCUMENTS:
        raise TrainingError(
            f"training needs at least {MIN_DOCUMENTS} done documents (one is held out to "
            f"measure the model); the project has {len(keys)}"
        )
    if held_out_keys is None:
        train_keys, held_keys = split_keys(keys, config.held_out, config.seed)
    else:
        held_keys = sorted(set(held_out_keys) & set(keys))
        train_keys = [key for key in keys if key not in set(held_keys)]
    report(TrainingProgress("preparing"))
    counts: Counter[str] = Counter()
    prepared = _prepare(documents, counts)
    held = set(held_keys)
    train_docs = [doc for doc in prepared if doc.key not in held]
    held_docs = [doc for doc in prepared if doc.key in held]
    bundle: dict[str, Any] = {"format": BUNDLE_FORMAT, "entities": None, "claims": None}
    metrics: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "documents": {
            "total": len(keys),
            "train": len(train_keys),
            "held_out": len(held_keys),
            "held_out_keys": held_keys,
        },
        "entities": None,
        "claims": None,
        "cues": None,
        "config": config.to_dict(),
    }
    wanted = [layer for layer in LAYERS if layer in layers]
    if not config.claims and "claims" in wanted:
        wanted.remove("claims")
    for layer in wanted:
        has_spans = any(doc.entities if layer == "entities" else doc.claims for doc in train_docs)
        if not has_spans:
            continue
        nlp, scores = _fit(layer, train_docs, held_docs, config, report, cancel)
        bundle[layer] = {"config": nlp.config.to_str(), "model": nlp.to_bytes()}
        if "label_map" in scores:
            bundle[layer]["labels"] = scores["label_map"]
        if layer == "claims":
            # CLAIM is what the claims figures mean; CUE is reported on its own.
            claim = scores["per_label"].get(CLAIM, dict(_EMPTY, precision=0.0, recall=0.0))
            metrics["cues"] = scores["per_label"].get(CUE)
            scores = {**scores, **{k: claim[k] for k in _BLOCK_KEYS}}
        metrics[layer] = scores
    metrics["dropped"] = {
        name: n for name, n in sorted(counts.items()) if name.split("_")[0] in wanted
    }
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    bundle["metrics"] = metrics
    return TrainedModel(srsly.msgpack_dumps(bundle), metrics)


_BLOCK_KEYS: Final = ("precision", "recall", "f1", "gold", "predicted", "correct")


def merge_models(parts: Sequence[TrainedModel], seconds: float | None = None) -> TrainedModel:
    """One bundle from bundles trained on the same split for different layers."""
    import srsly

    bundle: dict[str, Any] = {"format": BUNDLE_FORMAT, "entities": None, "claims": None}
    metrics: dict[str, Any] = {}
    for part in parts:
        data = srsly.msgpack_loads(part.data)
        part_metrics = dict(data.get("metrics") or {})
        dropped = {**metrics.get("dropped", {}), **part_metrics.get("dropped", {})}
        for key, value in part_metrics.items():
            if value is not None or key not in metrics:
                metrics[key] = value
        metrics["dropped"] = dict(sorted(dropped.items()))
        for layer in LAYERS:
            if data.get(layer) is not None:
                bundle[layer] = data[layer]
    if seconds is not None:
        metrics["seconds"] = round(seconds, 2)
    bundle["metrics"] = metrics
    return TrainedModel(srsly.msgpack_dumps(bundle), metrics)
