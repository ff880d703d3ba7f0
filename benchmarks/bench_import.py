"""Import throughput: ``annotator import`` of generated articles vs raw sqlite3.executemany.

Builds N articles of about 3 KB in the shape of scraped news (headline, standfirst, an outlet
appeal glued to the body, a comment footer), writes them as JSONL, then in the same run:

* baseline: the same rows (title, text, sha256, source, id, meta) inserted with
  ``sqlite3.executemany`` into a table of the same shape, in batches of the same size,
  one transaction per batch, WAL on (what our import does minus everything else);
* ours: :func:`annotator.services.importing.import_paths` from the JSONL file (read, decode,
  normalise, hash, skip duplicates, insert) into a new project, without and with boilerplate
  detection, and with boilerplate and near-duplicate detection (signatures, band keys,
  grouping; its cost is the ratio of the last two runs, goal <= 1.20).

Prints articles/s, the ratio baseline_time / our_time (goal >= 0.33: within 3x) and the database
size per article.

    python benchmarks/bench_import.py [--n 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.services.importing import BATCH_SIZE, import_paths
from annotator.storage.database import Database

WORDS = [
    "council",
    "port",
    "ministry",
    "agency",
    "flood",
    "barrier",
    "strike",
    "union",
    "officials",
    "river",
    "district",
    "airport",
    "minister",
    "talks",
    "report",
    "figures",
    "residents",
    "engineers",
    "weekend",
    "power",
    "households",
    "ferry",
    "police",
    "court",
    "budget",
    "hospital",
    "election",
    "ballots",
    "count",
    "turnout",
    "volunteers",
    "school",
    "bridge",
    "emergency",
]
APPEALS = [
    "Support our reporting\nWe are funded by readers, not shareholders.\nA monthly gift keeps "
    "our reporters in the field and our archive open to all.\nThank you for reading.",
    "Independent news needs you\nNo paywall, no owner, no agenda.\nIf you can, help us cover "
    "the stories nobody else will.\nEvery contribution counts.",
]
FOOTERS = [
    "Join the conversation\nRead what others think and add your view\nComments",
    "Reader forum\nSign in to reply to other readers\nComments",
]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(10, 22))
    number = rng.randint(2, 900)
    words.insert(rng.randint(1, len(words) - 1), f"{number}")
    return " ".join(words).capitalize() + "."


def article(i: int, rng: random.Random) -> dict:
    outlet = i % 2
    body = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(8)]
    text = "\n".join(
        [
            f"Headline number {i}: {sentence(rng)[:-1]}",
            sentence(rng),
            APPEALS[outlet] + body[0],
            *body[1:],
            FOOTERS[outlet],
        ]
    )
    return {
        "id": f"a{i}",
        "title": text.split("\n", 1)[0],
        "text": text + "\n",
        "source": f"outlet-{outlet}",
        "meta": {"n": i},
    }


def build(path: Path, n: int) -> None:
    rng = random.Random(7)
    with path.open("wb") as out:
        for i in range(n):
            out.write(orjson.dumps(article(i, rng)) + b"\n")


def baseline(jsonl: Path, folder: Path) -> float:
    rows = []
    for line in jsonl.read_bytes().splitlines():
        r = orjson.loads(line)
        rows.append(
            (
                r["id"],
                r["source"],
                r["title"],
                r["text"],
                hashlib.sha256(r["text"].encode()).hexdigest(),
                orjson.dumps(r["meta"]).decode(),
            )
        )
    db = sqlite3.connect(folder / "baseline.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, source TEXT, "
        "title TEXT NOT NULL, text TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, meta TEXT, "
        "imported_at TEXT DEFAULT CURRENT_TIMESTAMP)"
    )
    db.execute("CREATE INDEX ix_source ON documents(source)")
    start = time.perf_counter()
    for i in range(0, len(rows), BATCH_SIZE):
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO documents (external_id, source, title, text, sha256, meta) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows[i : i + BATCH_SIZE],
        )
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def ours(
    jsonl: Path, folder: Path, name: str, boilerplate: bool, near_duplicates: bool = False
) -> tuple[float, int, Path]:
    path = folder / f"{name}.sqlite"
    db = Database.open(path)
    start = time.perf_counter()
    summary = import_paths(
        db,
        [jsonl],
        detect_boilerplate=boilerplate,
        detect_near_duplicates=near_duplicates,
    )
    elapsed = time.perf_counter() - start
    db.close()
    assert not summary.errors, summary.errors[:3]
    return elapsed, summary.imported, path


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jsonl = folder / "articles.jsonl"
        t = time.perf_counter()
        build(jsonl, args.n)
        print(
            f"built {args.n} articles ({jsonl.stat().st_size / args.n:.0f} bytes each) "
            f"in {time.perf_counter() - t:.1f} s"
        )
        base = baseline(jsonl, folder)
        plain, imported, _ = ours(jsonl, folder, "ours", boilerplate=False)
        full, _, full_path = ours(jsonl, folder, "ours-boilerplate", boilerplate=True)
        near, _, near_path = ours(
            jsonl, folder, "ours-near-duplicates", boilerplate=True, near_duplicates=True
        )
        print(f"{'run':<34}{'seconds':>9}{'articles/s':>12}{'ratio':>8}")
        print(f"{'sqlite3.executemany (baseline)':<34}{base:>9.2f}{args.n / base:>12.0f}{1:>8.2f}")
        print(f"{'annotator import':<34}{plain:>9.2f}{imported / plain:>12.0f}{base / plain:>8.2f}")
        print(
            f"{'annotator import + boilerplate':<34}{full:>9.2f}{imported / full:>12.0f}"
            f"{base / full:>8.2f}"
        )
        print(
            f"{'annotator import + boilerplate':<34}{'':>9}{'':>12}{'':>8}\n"
            f"{'  + near-duplicates':<34}{near:>9.2f}{imported / near:>12.0f}{base / near:>8.2f}"
        )
        print(f"near-duplicate detection costs {near / full:.2f}x the import with boilerplate")
        print(
            f"database size per article with near-duplicates: "
            f"{size(near_path) / imported:.0f} bytes"
        )
        print(
            f"database size per article: {size(full_path) / imported:.0f} bytes "
            f"(baseline {size(folder / 'baseline.sqlite') / args.n:.0f})"
        )


if __name__ == "__main__":
    main()
