"""Agreement over a generated project of N documents with three annotators.

Builds N articles of about 2 KB (the export benchmark's generator) straight into SQLite with
``sqlite3.executemany``: three annotators, each with about 36 entities and 4 claims per
article, where each annotator drops or relabels some entities and shifts some edges (so
agreement is neither 0 nor 1), all done. Then, in the same run:

* floor: bare ``sqlite3`` SELECT of every text and every span with its claim, grouped per
  document in Python (the least agreement reads);
* :func:`annotator.services.agreement.compute_agreement` with the project's token cache empty
  ("first": it tokenizes every text and keeps the tokens) and again ("again": it reads them);
* the spaCy tokenizer alone over every text, for reference.

Prints seconds, wall clock and CPU, and the ratio floor / agreement (goal: well under a minute
for 10,000 documents on a repeated run).

    python benchmarks/bench_agreement.py [--n 10000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_export import article, forget_tokens, texts

from annotator.core.tokens import tokenize_many
from annotator.services.agreement import compute_agreement
from annotator.storage.database import Database

ANNOTATORS = ("ana", "ben", "cai")
OTHER_LABELS = ("ORG", "GPE", "PERSON", "LOC")


def build(path: Path, n: int) -> None:
    Database.open(path).close()  # the schema, exactly as the application makes it
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    for number, name in enumerate(ANNOTATORS, start=1):
        conn.execute(
            "INSERT INTO annotators (id, name, is_reviewer, created_at) VALUES (?, ?, 0, "
            "'2024-01-01 00:00:00')",
            (number, name),
        )
    span_id = 0
    for first in range(0, n, 500):
        documents, spans, claims, statuses = [], [], [], []
        for i in range(first, min(n, first + 500)):
            doc_id = i + 1
            text, entities, found = article(i, rng)
            documents.append(
                (doc_id, f"a{i}", f"outlet-{i % 7}", text.split("\n", 1)[0], text, f"{i:064x}")
            )
            for who in range(1, len(ANNOTATORS) + 1):
                ids: dict[int, int] = {}
                for k, (start, end, label) in enumerate(entities):
                    roll = rng.random()
                    if roll < 0.05:
                        continue  # missed
                    if roll < 0.10:
                        label = rng.choice(OTHER_LABELS)
                    elif roll < 0.13 and end - start > 3:
                        end -= 1  # an edge off by one
                    span_id += 1
                    ids[k] = span_id
                    spans.append((span_id, doc_id, "entity", start, end, label, who))
                for start, end, claimant, cue in found:
                    span_id += 1
                    spans.append((span_id, doc_id, "claim", start, end, "CLAIM", who))
                    kind = "quantity" if rng.random() < 0.9 else "event"
                    claims.append((span_id, ids.get(claimant), cue[0], cue[1], kind))
                statuses.append((doc_id, who))
        conn.executemany(
            "INSERT INTO documents (id, external_id, source, title, text, sha256, meta, "
            "imported_at, ignored_from_file) VALUES (?, ?, ?, ?, ?, ?, '{}', "
            "'2024-01-01 00:00:00', 0)",
            documents,
        )
        conn.executemany(
            'INSERT INTO spans (id, document_id, layer, start, "end", label, annotator_id, '
            "origin, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
            "'manual', '{}', '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
            spans,
        )
        conn.executemany(
            "INSERT INTO claims (span_id, claimant_id, cue_start, cue_end, claim_type, hedged) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            claims,
        )
        conn.executemany(
            "INSERT INTO document_status (document_id, annotator_id, status, seconds_spent, "
            "updated_at) VALUES (?, ?, 'done', 0, '2024-01-01 00:00:00')",
            statuses,
        )
        conn.commit()
    conn.close()


def floor(path: Path) -> tuple[float, float]:
    """Seconds (wall clock, CPU) to read every text and every span (with its claim) and group
    them by document."""
    conn = sqlite3.connect(path)
    start, cpu = time.perf_counter(), time.process_time()
    documents = {row[0]: row[1] for row in conn.execute("SELECT id, text FROM documents")}
    grouped: dict[int, list[tuple]] = {}
    for row in conn.execute(
        'SELECT spans.document_id, spans.annotator_id, spans.layer, spans.start, spans."end", '
        "spans.label, claims.claimant_id, claims.claim_type, claims.hedged FROM spans "
        "LEFT JOIN claims ON claims.span_id = spans.id"
    ):
        grouped.setdefault(row[0], []).append(row)
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    assert len(documents) >= len(grouped)
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument(
        "--skip-tokenizer", action="store_true", help="leave out the tokenizer-alone reference"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "agreement.sqlite"
        t = time.perf_counter()
        build(path, args.n)
        print(f"built {args.n} documents x {len(ANNOTATORS)} annotators in "
              f"{time.perf_counter() - t:.1f} s")  # fmt: skip
        floors = [floor(path) for _ in range(3)]
        base, base_cpu = min(f[0] for f in floors), min(f[1] for f in floors)
        print(f"floor (bare sqlite3 read of texts and spans): {base:.2f} s, CPU {base_cpu:.2f} s")
        if not args.skip_tokenizer:
            t = time.perf_counter()
            list(tokenize_many(texts(path), batch_size=200))
            print(f"spaCy tokenizer alone over every text: {time.perf_counter() - t:.1f} s")
        forget_tokens(path)
        db = Database.open(path)
        times, cpus = [], []
        for _ in range(3):
            start, cpu = time.perf_counter(), time.process_time()
            report = compute_agreement(db)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            assert report.overall.documents == args.n, report.overall
        db.close()
        first, again, again_cpu = times[0], min(times[1:]), min(cpus[1:])
        print(
            f"agreement over {args.n} documents: first (tokenizing) {first:.1f} s (CPU "
            f"{cpus[0]:.1f} s), again (stored tokens, best of 2) {again:.1f} s (CPU "
            f"{again_cpu:.1f} s); floor / again {base / again:.3f}, in CPU "
            f"{base_cpu / again_cpu:.3f}; entity kappa {report.overall.kappa:.3f}"
        )


if __name__ == "__main__":
    main()
