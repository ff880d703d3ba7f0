"""Benchmark "Label all occurrences" and the least-certain "Done, next" on a large project.

Run: ``.venv/bin/python benchmarks/bench_occurrences.py [--documents N] [--runs R]``

Builds a temporary SQLite project of N generated articles (about 1.5 KB each, 30 stored
suggestions each); the entity's text is in 2% of them, three times each, once inside a longer
word. Measures:

* find: :func:`annotator.services.occurrences.find_occurrences` over the whole corpus (runs as
  a background task in the window), against reading every text once in pages of 200 (the
  floor: what any scan of the corpus costs), measured in the same run;
* least certain: the query "Done, next" makes with the setting on
  (:func:`annotator.storage.uncertainty.least_certain`), against ``count(*)`` of the
  suggestions table (one pass over it), in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from annotator.core.model import Layer, Suggestion
from annotator.services.occurrences import find_occurrences
from annotator.storage import uncertainty
from annotator.storage.database import Database
from annotator.storage.orm import DocumentRow, SuggestionRow

WORDS = (
    "the ministry said on Monday that forces had reached the river after heavy fighting near "
    "the city while officials warned of further strikes as reporters saw convoys of trucks"
).split()
NEEDLE = "Haverly"


def _article(rng: random.Random, index: int, with_needle: bool) -> str:
    lines = [f"Report {index}: {' '.join(rng.choices(WORDS, k=8))}"]
    for _ in range(12):
        lines.append(" ".join(rng.choices(WORDS, k=18)).capitalize() + ".")
    if with_needle:
        lines[3] = f"Dockers at {NEEDLE} walked out. {lines[3]}"
        lines[6] = f"{lines[6]} The {NEEDLE}an coast and {NEEDLE} port waited."
    return "\n".join(lines) + "\n"


def _build(path: Path, documents: int) -> Database:
    rng = random.Random(13)
    db = Database.open(path)
    for first in range(0, documents, 1000):
        texts = [
            _article(rng, i, rng.random() < 0.02)
            for i in range(first, min(documents, first + 1000))
        ]
        with db.write() as store:
            rows = [
                {
                    "title": t.split("\n", 1)[0],
                    "text": t,
                    "sha256": hashlib.sha256(t.encode()).hexdigest(),
                }
                for t in texts
            ]
            by_hash = store.insert_documents(rows)
            ids = [by_hash[r["sha256"]] for r in rows]
            store.add_suggestions(
                Suggestion(
                    None, doc_id, Layer.ENTITY, k * 10, k * 10 + 4, "ORG", "rules",
                    rng.random(), "r",
                )
                for doc_id in ids
                for k in range(30)
            )  # fmt: skip
    return db


def _median(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = _build(Path(folder) / "bench.sqlite", args.documents)
        try:

            def scan() -> int:
                seen, after = 0, 0
                while True:
                    with db.read() as store:
                        rows = store.session.execute(
                            select(DocumentRow.id, DocumentRow.text)
                            .where(DocumentRow.id > after)
                            .order_by(DocumentRow.id)
                            .limit(200)
                        ).all()
                    if not rows:
                        return seen
                    seen, after = seen + len(rows), rows[-1][0]

            def count() -> int:
                with db.read() as store:
                    return int(store.session.scalar(select(func.count(SuggestionRow.id))) or 0)

            def least() -> int | None:
                with db.read() as store:
                    return uncertainty.least_certain(store, "ana")

            floor, _ = _median(scan, args.runs)
            found_s, found = _median(lambda: find_occurrences(db, "ana", NEEDLE, "GPE"), args.runs)
            count_s, rows = _median(count, args.runs)
            least_s, _ = _median(least, args.runs)
            print(f"{args.documents:,} documents, {rows:,} stored suggestions")
            print(f"scan every text (floor)     {floor * 1000:8.0f} ms")
            print(
                f"find occurrences            {found_s * 1000:8.0f} ms  "
                f"({found.describe()}; {found_s / floor:.2f}x the floor)"  # type: ignore[attr-defined]
            )
            print(f"count(*) suggestions (floor){count_s * 1000:8.0f} ms")
            print(
                f"least certain document      {least_s * 1000:8.0f} ms  ({least_s / count_s:.1f}x)"
            )
        finally:
            db.close()


if __name__ == "__main__":
    main()
