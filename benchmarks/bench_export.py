"""Export throughput and memory: ``annotator export`` vs bare ``orjson`` of the same records.

Builds a project of N generated articles (about 1.3 KB each, ~20 spans: 16 entities and
2 claims with claimant and cue, all done) straight into SQLite (the schema comes from
``Database.open``; rows go in with ``sqlite3.executemany``, which is much faster than the
import service for this many spans). Then, in the same run, for each format:

* ours: :func:`annotator.services.exporting.export` (plan, read in batches, tokenize where the
  format needs tokens, build records, write, then read the whole export back with its check);
  the check's share is also shown on its own;
* baseline: the same records (parsed back from our output beforehand, outside the timing)
  serialised with ``orjson.dumps`` and written to a file: the floor any exporter pays;
* tokenizer: ``tokenize_many`` over the same texts, the part of the token formats that is the
  project tokenizer's (annotator/core/tokens.py) rather than the exporter's.

Prints documents/s, the ratio baseline_time / our_time (goal >= 0.5, i.e. within 2x), the
same ratio to a floor (bare ``sqlite3`` read of the rows + the tokenizer where needed + the
orjson baseline: what any exporter from this database must pay), and peak resident memory
(``VmHWM`` from ``/proc/self/status``) of exports of N/4 and N documents, each in a fresh
process, to show memory flat in corpus size.

    python benchmarks/bench_export.py [--n 20000] [--formats annotator,prodigy,conll]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.tokens import tokenize_many
from annotator.export.checking import check_export
from annotator.export.formats import FORMATS as EXPORT_FORMATS
from annotator.services.exporting import FORMATS, export
from annotator.storage.database import Database

WORDS = (
    "council port ministry agency flood barrier strike union officials river district airport "
    "minister talks report figures residents engineers weekend power households ferry police "
    "court budget hospital election ballots count turnout volunteers school bridge emergency"
).split()
NAMES = ("Valmora", "Brenmouth", "Marta Ilves", "Petra Novak", "Skylane", "Drava", "Calder")
LABELS = ("GPE", "GPE", "PERSON", "PERSON", "ORG", "LOC", "LOC")
CUES = ("said", "reported", "claimed", "estimated")
ENTITIES_PER_DOC = 16
CLAIMS_PER_DOC = 2


class Article:
    """Text built piece by piece, remembering where each piece landed."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def article(i: int, rng: random.Random) -> tuple[str, list[tuple], list[tuple]]:
    """Text, entities ``(start, end, label)`` and claims ``(start, end, claimant, cue)``."""
    doc = Article()
    doc.add(f"Headline {i}: talks in {rng.choice(NAMES)} stall\n")
    entities: list[tuple] = []
    claims: list[tuple] = []
    for sentence in range(8):
        claimant = None
        if sentence < CLAIMS_PER_DOC:
            k = rng.randrange(len(NAMES))
            claimant = len(entities)
            entities.append((*doc.add(NAMES[k]), LABELS[k]))
            doc.add(" ")
            cue = doc.add(rng.choice(CUES))
            doc.add(" that ")
            claim_start = doc.length
        else:
            doc.add(rng.choice(WORDS).capitalize() + " ")
        for _ in range(2 if claimant is not None else 3):
            doc.add(" ".join(rng.choices(WORDS, k=rng.randint(2, 4))) + " ")
            if len(entities) < ENTITIES_PER_DOC:
                k = rng.randrange(len(NAMES))
                entities.append((*doc.add(NAMES[k]), LABELS[k]))
                doc.add(" ")
        number = doc.add(f"{rng.randint(2, 900)} {rng.choice(WORDS)}")
        if len(entities) < ENTITIES_PER_DOC:
            entities.append((*number, "QUANTITY"))
        if claimant is not None:
            claims.append((claim_start, doc.length, claimant, cue))
        doc.add(". ")
    doc.add("\nComments\n")
    return doc.text(), entities, claims


def build(path: Path, n: int) -> None:
    Database.open(path).close()  # the schema, exactly as the application makes it
    rng = random.Random(11)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("INSERT INTO annotators (id, name, is_reviewer, created_at) VALUES (1, 'ana', 0, "
                 "'2024-01-01 00:00:00')")  # fmt: skip
    span_id = 0
    for first in range(0, n, 1000):
        documents, spans, claims, statuses = [], [], [], []
        for i in range(first, min(n, first + 1000)):
            doc_id = i + 1
            text, entities, found = article(i, rng)
            documents.append(
                (doc_id, f"a{i}", f"outlet-{i % 7}", text.split("\n", 1)[0], text, f"{i:064x}")
            )
            ids = []
            for start, end, label in entities:
                span_id += 1
                ids.append(span_id)
                spans.append((span_id, doc_id, "entity", start, end, label))
            for start, end, claimant, cue in found:
                span_id += 1
                spans.append((span_id, doc_id, "claim", start, end, "CLAIM"))
                claims.append((span_id, ids[claimant], cue[0], cue[1]))
            statuses.append((doc_id,))
        conn.executemany(
            "INSERT INTO documents (id, external_id, source, title, text, sha256, meta, "
            "imported_at, ignored_from_file) VALUES (?, ?, ?, ?, ?, ?, '{}', "
            "'2024-01-01 00:00:00', 0)",
            documents,
        )
        conn.executemany(
            'INSERT INTO spans (id, document_id, layer, start, "end", label, annotator_id, '
            "origin, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, 'manual', "
            "'{}', '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
            spans,
        )
        conn.executemany(
            "INSERT INTO claims (span_id, claimant_id, cue_start, cue_end, claim_type, hedged) "
            "VALUES (?, ?, ?, ?, 'quantity', 0)",
            claims,
        )
        conn.executemany(
            "INSERT INTO document_status (document_id, annotator_id, status, seconds_spent, "
            "updated_at) VALUES (?, 1, 'done', 0, '2024-01-01 00:00:00')",
            statuses,
        )
        conn.commit()
    conn.close()


def records_of(fmt: str, path: Path) -> list[Any]:
    """Our output parsed back into plain values: what the baseline serialises."""
    if fmt == "conll":
        records, doc = [], None
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("-DOCSTART-"):
                doc = {"tokens": [], "ner_tags": [], "claim_tags": []}
                records.append(doc)
            elif line and doc is not None:
                token, entity, claim = line.split(" ")
                doc["tokens"].append(token)
                doc["ner_tags"].append(entity)
                doc["claim_tags"].append(claim)
        return records
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def baseline(records: list[Any], path: Path) -> float:
    start = time.perf_counter()
    with path.open("wb", buffering=1 << 20) as out:
        for record in records:
            out.write(orjson.dumps(record) + b"\n")
    return time.perf_counter() - start


def raw_read(db_path: Path) -> float:
    """Seconds to read every document and span with bare ``sqlite3``, 200 documents a batch:
    the least any export from the database pays before it writes anything."""
    conn = sqlite3.connect(db_path)
    ids = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
    start = time.perf_counter()
    for first in range(0, len(ids), 200):
        chunk = ids[first : first + 200]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"SELECT * FROM documents WHERE id IN ({marks})", chunk).fetchall()
        conn.execute(
            "SELECT * FROM spans LEFT JOIN claims ON claims.span_id = spans.id "
            f"WHERE spans.document_id IN ({marks})",
            chunk,
        ).fetchall()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def texts(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    found = [row[0] for row in conn.execute("SELECT text FROM documents ORDER BY id")]
    conn.close()
    return found


def peak_memory(db_path: Path, fmt: str, out: Path) -> dict[str, int]:
    """Export in a fresh process; its peak and final resident memory in kB."""
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[4]);"
        "from pathlib import Path;"
        "from annotator.storage.database import Database;"
        "from annotator.services.exporting import export;"
        "export(Database.open(Path(sys.argv[1])), Path(sys.argv[3]), fmt=sys.argv[2],"
        " only_done=True);"
        "status = dict(l.split(':', 1) for l in open('/proc/self/status') if ':' in l);"
        "print(json.dumps({k: int(status[k].split()[0]) for k in ('VmHWM', 'VmRSS')}))"
    )
    root = str(Path(__file__).resolve().parent.parent)
    result = subprocess.run(
        [sys.executable, "-c", code, str(db_path), fmt, str(out), root],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--formats", default="annotator,prodigy,conll")
    parser.add_argument("--memory-format", default="prodigy")
    args = parser.parse_args()
    formats = args.formats.split(",")
    small = max(1, args.n // 4)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        db_path, small_path = folder / "big.sqlite", folder / "small.sqlite"
        build(db_path, args.n)
        build(small_path, small)
        spans = sqlite3.connect(db_path).execute("SELECT count(*) FROM spans").fetchone()[0]
        print(
            f"built {args.n} documents with {spans} spans ({spans / args.n:.1f} per document) "
            f"and {small} more in {time.perf_counter() - t:.1f} s"
        )
        db = Database.open(db_path)
        t = time.perf_counter()
        list(tokenize_many(texts(db_path), batch_size=200))
        tokenizer = time.perf_counter() - t
        reading = raw_read(db_path)
        print(
            f"bare sqlite3 read of documents and spans: {reading:.2f} s; project tokenizer "
            f"alone: {tokenizer:.1f} s ({args.n / tokenizer:.0f} docs/s)"
        )
        print(
            f"{'format':<11}{'ours s':>8}{'docs/s':>8}{'check s':>9}{'orjson s':>10}"
            f"{'ratio':>7}{'floor s':>9}{'ratio to floor':>16}"
        )
        for fmt in formats:
            suffix = FORMATS[fmt].suffix
            out = folder / f"out-{fmt}{suffix}"
            start = time.perf_counter()
            summary = export(db, out, fmt=fmt, only_done=True)
            ours = time.perf_counter() - start
            assert summary.documents == args.n, summary
            start = time.perf_counter()
            assert check_export(out, fmt) == []
            checking = time.perf_counter() - start
            records = records_of(fmt, out)
            base = baseline(records, folder / f"baseline-{fmt}.jsonl")
            del records
            # The floor: read the rows, tokenize if the format needs tokens, serialise.
            floor = reading + base + (tokenizer if EXPORT_FORMATS[fmt].needs_tokens else 0.0)
            print(
                f"{fmt:<11}{ours:>8.1f}{args.n / ours:>8.0f}{checking:>9.1f}{base:>10.2f}"
                f"{base / ours:>7.2f}{floor:>9.1f}{floor / ours:>16.2f}"
            )
        db.close()
        fmt = args.memory_format
        suffix = FORMATS[fmt].suffix
        low = peak_memory(small_path, fmt, folder / f"mem-small{suffix}")
        high = peak_memory(db_path, fmt, folder / f"mem-big{suffix}")
        print(
            f"peak memory of a {fmt} export (fresh process): {small} documents "
            f"{low['VmHWM'] / 1024:.0f} MB, {args.n} documents {high['VmHWM'] / 1024:.0f} MB "
            f"(x{high['VmHWM'] / low['VmHWM']:.2f} for x{args.n / small:.0f} documents); "
            f"final VmRSS {low['VmRSS'] / 1024:.0f} / {high['VmRSS'] / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
