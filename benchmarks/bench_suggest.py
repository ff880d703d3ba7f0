"""Suggestion quality on the evaluation corpus (``resources/eval/gold.jsonl``).

1. **The learned model's learning curve**: held-out precision, recall and F1 for entities
   (exact span and label) and claims (exact span; and by overlap, at least half of the longer
   span) after training on 5, 10 and 20 confirmed articles, with the training time of each
   point. The corpus has 25 articles, so the held-out part rotates (5-fold cross-validation):
   fold *f* holds out articles 5f+1..5f+5 and the model trains on the first *k* of the other
   20, in corpus order. Figures are pooled over the folds (micro-averaged). Training runs as
   the application runs it: :func:`train_in_background` with the default configuration,
   which itself holds out 20% of the *k* articles for early stopping (so "after 5 articles"
   is a model trained on 4).
2. **Entities after 0, 5, 10 and 20 articles, per suggester, their union and their
   combination** (:mod:`annotator.suggest.combining`: what the annotator is shown): the
   gazetteer fed, per fold, with the entities confirmed in the first *k* training articles,
   the model of that fold and *k* (none at 0), every default suggester on the fold's held-out
   articles, pooled over the folds.
3. **Per-suggester precision/recall/F1** through :mod:`annotator.suggest.evaluation` at the
   last point: gazetteer, rules, seeds, claims and the learned model, each per label, the
   union and the combination; then the same without the seed lists.
4. **The seed lists at 0 documents**: precision and recall per label of the shipped seed lists
   (``seeds``) and of all default suggesters with an empty gazetteer, on the evaluation corpus
   (fictional places: the lists can only find real organisations there, and must not invent
   places) and on ``resources/eval/world`` (real place names; ``dev`` was used to settle the
   lists and rules, ``test`` was written afterwards and not tuned on), the population threshold
   swept on both; then the lists' first-use cost and time per article, as a ratio to
   tokenizing the same article (the floor every suggester pays). The combined suggestions of
   section 3 are also shown without the seed lists, so a loss of precision after 20 documents
   would show.
5. With ``--compare-spancat``: claims learned by ``spancat`` (n-gram suggester up to the
   longest claim) next to the shipped ``ner`` claims model, on fold 1 after 10 and 20
   articles: the measurement behind the design decision.

    python benchmarks/bench_suggest.py [--folds 5] [--points 5,10,20] [--compare-spancat]
        [--seeds-only] [--models FOLDER]

``--models FOLDER`` saves the trained models there and reuses those saved by an earlier run
(training the 15 models takes most of the run); the learning curve then shows the saved
training times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.schema import default_schema
from annotator.core.tokens import tokenize
from annotator.ingest.native import read_native
from annotator.ingest.records import ImportedDocument
from annotator.suggest.learned import LearnedModel, ModelInfo
from annotator.suggest.training import (
    TrainedModel,
    TrainingConfig,
    TrainingDocument,
)
from annotator.suggest.training_process import train_in_background

GOLD = Path(__file__).resolve().parent.parent / "resources" / "eval" / "gold.jsonl"
WORLD = GOLD.parent / "world"
SEED_LABELS = ("GPE", "LOC", "NORP", "ORG")
FOLD_SIZE = 5


def load() -> list[ImportedDocument]:
    documents = [item for item in read_native(GOLD) if isinstance(item, ImportedDocument)]
    if not documents:
        raise SystemExit(f"no documents in {GOLD}")
    return documents


def as_training(doc: ImportedDocument) -> TrainingDocument:
    return TrainingDocument(
        key=doc.external_id or doc.title,
        text=doc.text,
        entities=tuple((e.start, e.end, e.label) for e in doc.entities),
        claims=tuple((c.start, c.end) for c in doc.claims),
        cues=tuple(c.cue for c in doc.claims if c.cue is not None),
        ignored=tuple((r.start, r.end) for r in doc.ignored),
    )


def folds(documents: Sequence[ImportedDocument], count: int) -> list[tuple[list[int], list[int]]]:
    """``(training pool, held out)`` index lists: consecutive blocks held out in turn."""
    n = len(documents)
    size = max(1, min(FOLD_SIZE, n // max(count, 1)))
    result = []
    for fold in range(count):
        held = list(range(fold * size, min(n, (fold + 1) * size)))
        if not held:
            break
        result.append(([i for i in range(n) if i not in held], held))
    return result


# -- scoring ---------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, kind: str, gold: set[Any], found: set[Any]) -> None:
        self.counts[f"{kind}_gold"] += len(gold)
        self.counts[f"{kind}_found"] += len(found)
        self.counts[f"{kind}_right"] += len(gold & found)

    def add_overlap(self, gold: list[tuple[int, int]], found: list[tuple[int, int]]) -> None:
        """Claims matched by overlap: at least half of the longer span, one to one, best
        overlap first (as :mod:`annotator.suggest.evaluation` matches them)."""
        pairs = []
        for g in gold:
            for f in found:
                common = min(g[1], f[1]) - max(g[0], f[0])
                longer = max(g[1] - g[0], f[1] - f[0])
                if common > 0 and common / longer >= 0.5:
                    pairs.append((common / longer, g, f))
        used_g: set[tuple[int, int]] = set()
        used_f: set[tuple[int, int]] = set()
        for _, g, f in sorted(pairs, reverse=True):
            if g not in used_g and f not in used_f:
                used_g.add(g)
                used_f.add(f)
        self.counts["overlap_gold"] += len(gold)
        self.counts["overlap_found"] += len(found)
        self.counts["overlap_right"] += len(used_g)

    def prf(self, kind: str) -> tuple[float, float, float]:
        g, f, r = (self.counts[f"{kind}_{x}"] for x in ("gold", "found", "right"))
        p = r / f if f else 0.0
        rec = r / g if g else 0.0
        return p, rec, (2 * p * rec / (p + rec) if p + rec else 0.0)


def score_model(model: TrainedModel, held: Sequence[ImportedDocument], tally: Tally) -> None:
    """Entities, claims (exact and overlap) and cues of ``model`` on ``held``."""
    learned = LearnedModel.from_bytes(model.data)
    for doc in held:
        ignored = tuple((r.start, r.end) for r in doc.ignored)
        found = learned.predict(doc.text, tokenize(doc.text), ignored)
        tally.add(
            "entities", {(e.start, e.end, e.label) for e in doc.entities}, set(found.entities)
        )
        gold_claims = {(c.start, c.end) for c in doc.claims}
        tally.add("claims", gold_claims, set(found.claims))
        tally.add_overlap(sorted(gold_claims), sorted(set(found.claims)))
        tally.add("cues", {c.cue for c in doc.claims if c.cue is not None}, set(found.cues))


# -- 1. the learning curve -------------------------------------------------------------------


def _saved(folder: Path | None, fold: int, k: int) -> TrainedModel | None:
    """A model an earlier run saved for this fold and k (``--models``), if any."""
    if folder is None or not (folder / f"fold{fold}_k{k}.bin").exists():
        return None
    metrics = json.loads((folder / f"fold{fold}_k{k}.json").read_text(encoding="utf-8"))
    return TrainedModel((folder / f"fold{fold}_k{k}.bin").read_bytes(), metrics)


def _save(folder: Path | None, fold: int, k: int, model: TrainedModel) -> None:
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"fold{fold}_k{k}.bin").write_bytes(model.data)
        (folder / f"fold{fold}_k{k}.json").write_text(json.dumps(model.metrics), encoding="utf-8")


def learning_curve(
    documents: list[ImportedDocument],
    fold_list: list[tuple[list[int], list[int]]],
    points: list[int],
    saved: Path | None = None,
) -> dict[int, dict[int, TrainedModel]]:
    training = [as_training(doc) for doc in documents]
    models: dict[int, dict[int, TrainedModel]] = {}
    print("## Learned model: learning curve")
    print(
        f"{len(documents)} articles; {len(fold_list)} folds of {len(fold_list[0][1])} held out; "
        f"training on the first k of each fold's other {len(fold_list[0][0])} (pooled figures)"
    )
    print()
    header = (
        f"{'k':>3} | {'entities P':>10} {'R':>5} {'F1':>5} | {'claims P':>8} {'R':>5} "
        f"{'F1':>5} | {'overlap F1':>10} | {'cue F1':>6} | {'train s (mean)':>14}"
    )
    print(header)
    print("-" * len(header))
    for k in points:
        tally = Tally()
        seconds: list[float] = []
        for fold, (pool, held) in enumerate(fold_list):
            chosen = [training[i] for i in pool[:k]]
            model = _saved(saved, fold, k)
            if model is None:
                started = time.perf_counter()
                model = train_in_background(chosen, TrainingConfig())
                seconds.append(time.perf_counter() - started)
                _save(saved, fold, k, model)
            else:  # the training's own measure (without starting its processes)
                seconds.append(float(model.metrics.get("seconds", 0.0)))
            models.setdefault(fold, {})[k] = model
            score_model(model, [documents[i] for i in held], tally)
        ep, er, ef = tally.prf("entities")
        cp, cr, cf = tally.prf("claims")
        _, _, of = tally.prf("overlap")
        _, _, cue_f = tally.prf("cues")
        print(
            f"{k:>3} | {ep:>10.2f} {er:>5.2f} {ef:>5.2f} | {cp:>8.2f} {cr:>5.2f} {cf:>5.2f} | "
            f"{of:>10.2f} | {cue_f:>6.2f} | {sum(seconds) / len(seconds):>14.1f}",
            flush=True,
        )
    print()
    print(
        "claims: exact span; overlap: at least half of the longer span; cue: the claims "
        "model's CUE spans, exact (proposed with claims, not suggestions of their own)"
    )
    return models


# -- 2. per suggester ------------------------------------------------------------------------


def fold_reports(
    documents: list[ImportedDocument],
    fold_list: list[tuple[list[int], list[int]]],
    models: dict[int, dict[int, TrainedModel]],
    k: int,
    *,
    seeds: bool = True,
    model: bool = True,
) -> Any:
    """Every default suggester (and the model trained on ``k`` articles, when ``k`` > 0) on each
    fold's held-out articles, with the gazetteer fed the entities confirmed in the first ``k``
    articles of the fold's pool; one report pooled over the folds."""
    from annotator.services.suggesting import read_gold
    from annotator.suggest import evaluation, registry
    from annotator.suggest.gazetteer import Gazetteer

    gold_docs, problems = read_gold(GOLD)
    if problems:
        print("unreadable gold records:", *problems, sep="\n  ")
    by_id = {doc.id: doc for doc in gold_docs}
    settings = registry.SuggesterSettings.defaults()
    model = model and k > 0
    if model:
        settings = settings.with_enabled("model")
    if not seeds:
        settings = settings.with_enabled("seeds", False)
    schema = default_schema()
    reports: list[Any] = []
    for fold, (pool, held) in enumerate(fold_list):
        confirmed: Counter[tuple[str, str]] = Counter()
        for i in pool[:k]:
            doc = documents[i]
            confirmed.update((doc.text[e.start : e.end], e.label) for e in doc.entities)
        extras = {"model": _Fixed(models[fold][k])} if model else {}
        context = registry.BuildContext(schema, Gazetteer(dict(confirmed)), extras)
        unavailable: dict[str, str] = {}
        suggesters = registry.build(context, settings, unavailable=unavailable)
        for name, why in unavailable.items():
            print(f"  {name}: unavailable ({why})")
        held_docs = [by_id[documents[i].external_id or ""] for i in held]
        reports.append(evaluation.evaluate(held_docs, suggesters, schema, gold=str(GOLD)))
    return _pool(reports, evaluation)


def per_suggester(
    documents: list[ImportedDocument],
    fold_list: list[tuple[list[int], list[int]]],
    models: dict[int, dict[int, TrainedModel]],
    k: int,
    *,
    seeds: bool = True,
) -> None:
    print()
    print("## Per suggester (annotator.suggest.evaluation)")
    from annotator.suggest import evaluation

    if not seeds:
        print("(the same, without the seed lists)")
    report = fold_reports(documents, fold_list, models, k, seeds=seeds)
    print(
        f"pooled over {len(fold_list)} folds; gazetteer and model from the first {k} "
        "articles of each fold's training pool; combined: what the annotator is shown "
        "(annotator.suggest.combining), union: every suggestion"
    )
    print()
    print(evaluation.format_report(report))


def combined_curve(
    documents: list[ImportedDocument],
    fold_list: list[tuple[list[int], list[int]]],
    models: dict[int, dict[int, TrainedModel]],
    points: list[int],
) -> None:
    """Entities after 0 and each point's articles: each suggester, their union and their
    combination, on the same held-out articles."""
    print()
    print("## Entities after k articles: per suggester, union and combined (exact span)")
    print()
    header = f"{'k':>3} | {'suggester':<18} {'found':>6} {'right':>6} {'P':>5} {'R':>5} {'F1':>5}"
    print(header)
    print("-" * len(header))
    for k in [0, *points]:
        report = fold_reports(documents, fold_list, models, k)
        rows = [r for r in (*report.suggesters, *report.together) if r.suggested_entities]
        names = [r.name for r in rows]
        if k:
            # The same without the model: what training it is worth once combined.
            without = fold_reports(documents, fold_list, models, k, model=False)
            if without.combined is not None:
                rows.append(without.combined)
                names.append("combined, no model")
        for position, (name, row) in enumerate(zip(names, rows, strict=True)):
            scores = row.entities
            print(
                f"{k if position == 0 else '':>3} | {name:<18} {scores.tp + scores.fp:>6} "
                f"{scores.tp:>6} {_fmt(scores.precision):>5} {_fmt(scores.recall):>5} "
                f"{_fmt(scores.f1):>5}",
                flush=True,
            )


class _Fixed:
    def __init__(self, model: TrainedModel) -> None:
        self.model = model

    def latest(self) -> ModelInfo:
        return ModelInfo(1, None, self.model.documents, self.model.metrics)

    def load(self, model_id: int) -> bytes:
        return self.model.data


def _pool(reports: list[Any], evaluation: Any) -> Any:
    """One report from the folds' reports: counts added suggester by suggester."""

    def add(items: list[Any]) -> Any:
        first = items[0]
        labels: dict[str, Any] = {}
        for item in items:
            for label, scores in item.labels.items():
                labels[label] = labels[label] + scores if label in labels else scores
        entities, claims = first.entities, first.claims
        for item in items[1:]:
            entities, claims = entities + item.entities, claims + item.claims
        return evaluation.SuggesterReport(
            name=first.name,
            version=first.version,
            entities=entities,
            labels=labels,
            claims=claims,
            suggested_entities=sum(i.suggested_entities for i in items),
            suggested_claims=sum(i.suggested_claims for i in items),
            seconds=sum(i.seconds for i in items),
        )

    names = [s.name for s in reports[0].suggesters]
    union = [r.union for r in reports if r.union is not None]
    combined = [r.combined for r in reports if r.combined is not None]
    return evaluation.Report(
        gold=reports[0].gold,
        documents=sum(r.documents for r in reports),
        gold_entities=sum(r.gold_entities for r in reports),
        gold_claims=sum(r.gold_claims for r in reports),
        suggesters=tuple(add([r.suggester(name) for r in reports]) for name in names),
        union=add(union) if union else None,
        combined=add(combined) if combined else None,
    )


# -- 3. the seed lists at 0 documents -----------------------------------------------------------


def seed_lists() -> None:
    from annotator.core.tokens import tokenize_many
    from annotator.services.suggesting import read_gold
    from annotator.suggest import evaluation, registry, seed_lists
    from annotator.suggest.seeds import SeedSuggester

    print()
    print("## Seed lists at 0 documents (no confirmed work, empty gazetteer)")
    schema = default_schema()
    # First use in a fresh process: earlier sections may have read the lists already.
    probe = (
        "import time; from annotator.suggest import seed_lists as s; t = time.perf_counter(); "
        "d = s.shipped(); a = time.perf_counter(); d.automaton(100_000); "
        "print(a - t, time.perf_counter() - a)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    first_use, automaton = (float(x) for x in done.stdout.split())
    data = seed_lists.shipped()
    sets = [("eval corpus", GOLD)] + [
        (f"world {split}", WORLD / f"{split}.jsonl") for split in ("dev", "test")
    ]
    for name, path in sets:
        docs, problems = read_gold(path)
        if problems:
            print("unreadable gold records:", *problems, sep="\n  ")
        print()
        print(f"### {name}: {len(docs)} articles")
        every = registry.build(registry.BuildContext(schema), registry.SuggesterSettings.defaults())
        report = evaluation.evaluate(docs, every, schema, gold=str(path))
        print(_label_table(report, SEED_LABELS))
        print()
        print("population threshold sweep (seeds alone, GPE):")
        for threshold in (15_000, 50_000, 100_000, 300_000, 1_000_000):
            swept = evaluation.evaluate(
                docs, [SeedSuggester(schema, min_population=threshold)], schema
            )
            scores = swept.suggester("seeds").labels.get("GPE")
            if scores is not None:
                print(
                    f"  {threshold:>9,}: P {_fmt(scores.precision)} R {_fmt(scores.recall)} "
                    f"({scores.tp + scores.fp} suggested, {scores.tp + scores.fn} gold)"
                )
    # Time per article against the floor of tokenizing it.
    docs = read_gold(GOLD)[0] + read_gold(WORLD / "dev.jsonl")[0]
    from annotator.core.model import Document
    from annotator.suggest.base import SuggestInput

    started = time.perf_counter()
    tokenized = list(tokenize_many(d.text for d in docs))
    tokenizing = time.perf_counter() - started
    suggester = SeedSuggester(schema)
    items = [
        SuggestInput(Document(i + 1, d.id, d.title, d.text), t, schema, d.ignored)
        for i, (d, t) in enumerate(zip(docs, tokenized, strict=True))
    ]
    suggester.suggest(items[0])  # lists read and automaton built
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        for item in items:
            suggester.suggest(item)
    matching = (time.perf_counter() - started) / rounds
    print()
    print(
        f"first use: reading the lists {first_use * 1000:.0f} ms ({len(data):,} rows), "
        f"automaton at 100,000 people {automaton * 1000:.0f} ms; "
        f"per article: seeds {matching / len(items) * 1000:.2f} ms, tokenizing "
        f"{tokenizing / len(items) * 1000:.2f} ms (ratio {matching / tokenizing:.2f})"
    )


def _fmt(value: float | None) -> str:
    return "  — " if value is None else f"{value:.2f}"


def _label_table(report: Any, labels: Sequence[str]) -> str:
    lines = [
        f"{'suggester':<16} {'label':<6} {'gold':>5} {'found':>6} {'right':>6} {'P':>5} {'R':>5}"
    ]
    everyone = [*report.suggesters, *report.together]
    for suggester in everyone:
        for label in labels:
            scores = suggester.labels.get(label)
            if scores is None or (scores.tp + scores.fp == 0 and suggester.name != "seeds"):
                continue  # a suggester that proposes nothing of this label
            lines.append(
                f"{suggester.name:<16} {label:<6} {scores.tp + scores.fn:>5} "
                f"{scores.tp + scores.fp:>6} {scores.tp:>6} {_fmt(scores.precision):>5} "
                f"{_fmt(scores.recall):>5}"
            )
    return "\n".join(lines)


# -- 4. spancat for claims -------------------------------------------------------------------


def compare_spancat(
    documents: list[ImportedDocument],
    fold_list: list[tuple[list[int], list[int]]],
    models: dict[int, dict[int, TrainedModel]],
    points: list[int],
) -> None:
    """Claims by ``spancat`` (every n-gram up to the longest training claim is a candidate)
    next to the shipped ``ner`` claims model, on fold 1, same articles."""
    print()
    print("## Claims: spancat instead of ner (fold 1, exact claim spans)")
    pool, held = fold_list[0]
    for k in points[-2:]:
        tally = Tally()
        score_model(models[0][k], [documents[i] for i in held], tally)
        p, r, f = tally.prf("claims")
        print(f"k={k}: ner (shipped, early-stopped): P {p:.2f} R {r:.2f} F1 {f:.2f}")
        _spancat(documents, pool[:k], held)


def _spancat(documents: list[ImportedDocument], train: list[int], held: list[int]) -> None:
    from collections import Counter as _Counter

    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    from annotator.suggest import training as T
    from annotator.suggest.learned import make_doc

    prepared = T._prepare([as_training(documents[i]) for i in train + held], _Counter())
    train_docs, held_docs = prepared[: len(train)], prepared[len(train) :]
    longest = max(len(d.tokens.tokens_in(s, e)) for d in train_docs for s, e, _ in d.claims)
    fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe(
        "spancat",
        config={
            "spans_key": "claims",
            "suggester": {
                "@misc": "spacy.ngram_range_suggester.v1",
                "min_size": 1,
                "max_size": longest,
            },
            "model": {
                "@architectures": "spacy.SpanCategorizer.v1",
                "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": 64},
                "scorer": {"@layers": "spacy.LinearLogistic.v1", "nO": None, "nI": None},
                "tok2vec": {
                    "@architectures": "spacy.HashEmbedCNN.v2",
                    "pretrained_vectors": None,
                    "width": 64,
                    "depth": 4,
                    "embed_size": 2000,
                    "window_size": 2,
                    "maxout_pieces": 3,
                    "subword_features": True,
                },
            },
        },
    )
    nlp.get_pipe("spancat").add_label("CLAIM")  # type: ignore[attr-defined]

    def examples(docs: list[Any]) -> list[Example]:
        out = []
        for d in docs:
            for first, stop in d.claim_pieces:
                a, b = d.tokens.tokens[first].start, d.tokens.tokens[stop - 1].end
                pred = make_doc(nlp.vocab, d.text, d.tokens.tokens, first, stop)
                ref = make_doc(nlp.vocab, d.text, d.tokens.tokens, first, stop)
                ref.spans["claims"] = [
                    ref.char_span(s - a, e - a, label="CLAIM")
                    for s, e, label in d.claims
                    if label == "CLAIM" and a <= s and e <= b
                ]
                out.append(Example(pred, ref))
        return out

    train_examples, dev = examples(train_docs), examples(held_docs)
    optimizer = nlp.initialize(lambda: train_examples)
    rng = random.Random(0)
    started = time.perf_counter()
    row = []
    for epoch in range(1, 31):
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        for batch in minibatch(train_examples, size=8):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.2)
        if epoch % 5 == 0:
            scores = nlp.evaluate(dev)
            row.append(f"{epoch}: {scores['spans_claims_f']:.2f}")
    print(
        f"k={len(train)}: spancat (n-grams up to {longest} tokens), F1 by epoch: "
        f"{'  '.join(row)}  ({time.perf_counter() - started:.0f} s for 30 epochs)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--points", default="5,10,20")
    parser.add_argument("--compare-spancat", action="store_true")
    parser.add_argument(
        "--seeds-only", action="store_true", help="only the seed lists at 0 documents (fast)"
    )
    parser.add_argument(
        "--models",
        type=Path,
        help="save the trained models in this folder, and reuse those a run saved there "
        "(to measure the suggesters again without training; training times are then the "
        "saved ones)",
    )
    args = parser.parse_args()
    if args.seeds_only:
        seed_lists()
        return
    documents = load()
    fold_list = folds(documents, args.folds)
    largest = len(fold_list[0][0])
    points = sorted({min(int(p), largest) for p in args.points.split(",")})
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print()
    models = learning_curve(documents, fold_list, points, args.models)
    combined_curve(documents, fold_list, models, points)
    per_suggester(documents, fold_list, models, points[-1])
    per_suggester(documents, fold_list, models, points[-1], seeds=False)
    seed_lists()
    if args.compare_spancat:
        compare_spancat(documents, fold_list, models, points)


if __name__ == "__main__":  # the training processes are spawned: they re-import this file
    main()
