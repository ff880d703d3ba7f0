"""Cold start with an installed spaCy pipeline: entity suggestions on the evaluation corpus
(``resources/eval/gold.jsonl``) after 0, 5, 10 and 20 confirmed articles, three ways:

* **pipeline**: the installed pipeline alone, its labels mapped to the project's
  (:mod:`annotator.suggest.installed`; it does not learn, so one row);
* **blank**: the learned model trained from blank, as without a pipeline (nothing at 0);
* **source**: the learned model started from the pipeline's ``ner`` weights (``source``).

No pipeline can be downloaded here, so the benchmark builds its own: the learned model's
entities pipeline trained on ``resources/eval/world`` (12 articles with real place names,
separate from the evaluation articles, never trained on here), saved with ``nlp.to_disk``
and used by folder like a user's own. It is a weak pipeline next to a published one; what is
measured is how much starting from it helps the first documents.

Folds as in ``bench_suggest.py``: fold *f* holds out articles 5f+1..5f+5, the model trains on
the first *k* of the other 20 (entities only), pooled exact-match P/R/F1.

    python benchmarks/bench_cold_start.py [--folds 5] [--points 5,10,20]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_suggest import GOLD, Tally, as_training, folds, load

from annotator.core.model import Document
from annotator.core.schema import default_schema
from annotator.core.tokens import tokenize
from annotator.ingest.native import read_native
from annotator.ingest.records import ImportedDocument
from annotator.suggest.base import SuggestInput
from annotator.suggest.installed import InstalledPipelineSuggester
from annotator.suggest.learned import LearnedModel, pipeline_from_bytes
from annotator.suggest.pipelines import default_mapping, read_folder
from annotator.suggest.training import TrainedModel, TrainingConfig, train_model
from annotator.suggest.training_process import train_in_background

WORLD = GOLD.parent / "world"


def build_pipeline(folder: Path) -> Path:
    """The world corpus's entities model, saved as a spaCy pipeline folder."""
    import srsly

    world = [
        item
        for name in ("dev.jsonl", "test.jsonl")
        for item in read_native(WORLD / name)
        if isinstance(item, ImportedDocument)
    ]
    training = [as_training(doc) for doc in world]
    config = TrainingConfig(claims=False, max_epochs=40, min_epochs=15, patience=10)
    model = train_model(training, config, held_out_keys=[training[-1].key])
    bundle = srsly.msgpack_loads(model.data)
    nlp = pipeline_from_bytes(bundle["entities"]["config"], bundle["entities"]["model"])
    nlp.meta["name"] = "world_ner"
    nlp.meta["version"] = "0.0.1"
    nlp.to_disk(folder)
    f1 = model.metrics["entities"]["f1"]
    print(f"pipeline: {len(world)} world articles, held-out F1 on one of them {f1:.2f}")
    return folder


def score_pipeline(
    suggester: InstalledPipelineSuggester, held: list[ImportedDocument], tally: Tally
) -> None:
    schema = default_schema()
    for doc in held:
        document = Document(id=1, external_id=None, title=doc.title, text=doc.text)
        ignored = tuple((r.start, r.end) for r in doc.ignored)
        found = suggester.suggest(SuggestInput(document, tokenize(doc.text), schema, ignored))
        tally.add(
            "entities",
            {(e.start, e.end, e.label) for e in doc.entities},
            {(s.start, s.end, s.label) for s in found},
        )


def score_model(model: TrainedModel, held: list[ImportedDocument], tally: Tally) -> None:
    learned = LearnedModel.from_bytes(model.data)
    for doc in held:
        ignored = tuple((r.start, r.end) for r in doc.ignored)
        found = learned.predict(doc.text, tokenize(doc.text), ignored)
        tally.add(
            "entities", {(e.start, e.end, e.label) for e in doc.entities}, set(found.entities)
        )


def row(name: str, k: int, tally: Tally, seconds: float | None) -> None:
    p, r, f = tally.prf("entities")
    spent = "" if seconds is None else f"{seconds:>8.1f}"
    print(f"{name:<8} {k:>3} | {p:>5.2f} {r:>5.2f} {f:>5.2f} | {spent}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--points", default="5,10,20")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    documents = load()
    fold_list = folds(documents, args.folds)
    points = [int(p) for p in args.points.split(",")]
    training = [as_training(doc) for doc in documents]
    with tempfile.TemporaryDirectory() as tmp:
        folder = build_pipeline(Path(tmp) / "world_ner")
        found = read_folder(folder)
        assert found is not None
        schema = default_schema()
        mapping = default_mapping(found.labels, schema)
        print(f"labels {', '.join(found.labels)}; mapping {mapping}")
        print()
        print(f"{'start':<8} {'k':>3} | {'P':>5} {'R':>5} {'F1':>5} | train s")
        print("-" * 40)
        suggester = InstalledPipelineSuggester(str(folder), schema, mapping)
        tally = Tally()
        for _pool, held in fold_list:
            score_pipeline(suggester, [documents[i] for i in held], tally)
        row("pipeline", 0, tally, None)
        base = TrainingConfig(claims=False)
        sourced = TrainingConfig(
            claims=False, source=str(folder), source_labels=tuple(sorted(mapping.items()))
        )
        for k in points:
            for name, config in (("blank", base), ("source", sourced)):
                tally = Tally()
                seconds = []
                for pool, held in fold_list:
                    started = time.perf_counter()
                    model = train_in_background([training[i] for i in pool[:k]], config)
                    seconds.append(time.perf_counter() - started)
                    score_model(model, [documents[i] for i in held], tally)
                row(name, k, tally, sum(seconds) / len(seconds))


if __name__ == "__main__":  # the training processes are spawned: they re-import this file
    main()
