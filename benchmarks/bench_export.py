"""Export throughput and memory against a floor measured in the same run.

Builds a project of N generated articles (about 2 KB each, 40 spans: 36 entities and 4 claims
with claimant and cue, all done) straight into SQLite (the schema comes from ``Database.open``;
rows go in with ``sqlite3.executemany``, which is much faster than the import service for this
many spans). Then, in the same run:

* floor: bare ``sqlite3`` SELECT of every document's id and text and every span (with its
  claim), one ``orjson`` line per document written to a file: the least any export from this
  database pays (best of three);
* for each format, :func:`annotator.services.exporting.export` (plan, read in batches,
  tokenize where the format needs tokens, build records, write, read the export back with its
  check, rename into place), first with the project's token cache empty ("first"), then again
  (best of ``--repeat``; token formats read the stored tokens); the check is also timed on its
  own afterwards;
* the spaCy tokenizer alone over every text, for reference (the part of the token formats
  that is the project tokenizer's).

Prints documents/s and the ratio floor_time / export_time (goals: native >= 0.5, token formats
>= 0.25), in wall-clock and in CPU time (on a shared machine the CPU ratio moves less with
the load), and the peak resident memory (``VmHWM`` from ``/proc/self/status``) of exports of
N/4 and N documents (native and Prodigy by default), each in a fresh process, to show memory
flat in corpus size. With ``--parts``, the CPU time of each part of a native export, each
timed alone (best of five): the plan, the batch reads, the row check, building the records,
serializing and writing them, reading the file back (docs/adr/0027-export-reads-plain-rows.md).

    python benchmarks/bench_export.py [--n 10000] [--formats annotator,prodigy,conll,hf]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
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
from annotator.export import native_rows
from annotator.export.checking import check_export
from annotator.export.formats import get
from annotator.export.native import NativeWriter
from annotator.export.problems import ProblemLog
from annotator.export.writing import ExportContext
from annotator.services import exporting
from annotator.services.exporting import FORMATS, export
from annotator.services.stored_tokens import stored_tokens
from annotator.storage.database import Database
from annotator.storage.export_rows import export_rows

WORDS = (
    "council port ministry agency flood barrier strike union officials river district airport "
    "minister talks report figures residents engineers weekend power households ferry police "
    "court budget hospital election ballots count turnout volunteers school bridge emergency"
).split()
NAMES = ("Valmora", "Brenmouth", "Marta Ilves", "Petra Novak", "Skylane", "Drava", "Calder")
LABELS = ("GPE", "GPE", "PERSON", "PERSON", "ORG", "LOC", "LOC")
CUES = ("said", "reported", "claimed", "estimated")
ENTITIES_PER_DOC = 36
CLAIMS_PER_DOC = 4
SENTENCES = 20


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
    for sentence in range(SENTENCES):
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


def floor(db_path: Path, out: Path) -> tuple[float, float]:
    """Seconds (wall clock, CPU) for the least any export from this database does: read every
    document's id and text and every span with bare ``sqlite3`` (two streaming queries, merged
    by document id) and write one ``orjson`` line per document to a file."""
    conn = sqlite3.connect(db_path)
    start, cpu = time.perf_counter(), time.process_time()
    documents = conn.execute("SELECT id, external_id, text FROM documents ORDER BY id")
    spans = conn.execute(
        'SELECT spans.document_id, spans.start, spans."end", spans.label, spans.layer, '
        "claims.claimant_id, claims.cue_start, claims.cue_end FROM spans "
        "LEFT JOIN claims ON claims.span_id = spans.id ORDER BY spans.document_id"
    )
    pending = next(spans, None)
    with out.open("wb", buffering=1 << 20) as handle:
        for doc_id, external_id, text in documents:
            rows = []
            while pending is not None and pending[0] == doc_id:
                rows.append(pending[1:])
                pending = next(spans, None)
            handle.write(orjson.dumps({"id": external_id, "text": text, "spans": rows}) + b"\n")
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return elapsed


def forget_tokens(db_path: Path) -> None:
    """Empty the project's token cache (when the schema has one)."""
    conn = sqlite3.connect(db_path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if "token_boundaries" in tables:
        conn.execute("DELETE FROM token_boundaries")
        conn.commit()
    conn.close()


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


def cpu_best(work, times: int = 5) -> float:  # type: ignore[no-untyped-def]
    """The least CPU time of ``times`` runs of ``work()``."""
    best = float("inf")
    for _ in range(times):
        cpu = time.process_time()
        work()
        best = min(best, time.process_time() - cpu)
    return best


def native_parts(db: Database, folder: Path) -> dict[str, float]:
    """CPU seconds of each part of a repeated native export of every done document, each
    timed alone (the export interleaves them batch by batch)."""
    plan = exporting._plan(
        db,
        get("annotator"),
        annotator=None,
        include_all=False,
        split=None,
        problems=ProblemLog(),
        progress=lambda *_: None,
        cancel=None,
    )
    owners = plan.annotators
    pieces = range(0, len(plan.ids), exporting.BATCH)

    def read() -> list:  # type: ignore[type-arg]
        batches = []
        for first in pieces:
            with db.read() as store:
                batches.append(export_rows(store, plan.ids[first : first + exporting.BATCH]))
        return batches

    batches = read()

    def check() -> None:
        rows_check = native_rows.RowCheck()
        for rows in batches:
            rows_check.batch(rows)

    def build(write=None) -> None:  # type: ignore[no-untyped-def]
        unchecked = native_rows.RowCheck()
        unchecked.clean = False  # the row check is timed on its own
        for first, rows in zip(pieces, batches, strict=True):
            chosen = owners[first : first + exporting.BATCH]
            for _, record in native_rows.records(rows, chosen, suggestions=False, check=unchecked):
                if write is not None:
                    write(record)

    path = folder / "parts.jsonl"

    def write() -> NativeWriter:
        writer = NativeWriter(path, ExportContext())
        build(writer.write_record)
        writer.close()
        return writer

    writer = write()
    parts = {
        "plan": cpu_best(
            lambda: exporting._plan(
                db,
                get("annotator"),
                annotator=None,
                include_all=False,
                split=None,
                problems=ProblemLog(),
                progress=lambda *_: None,
                cancel=None,
            )
        ),
        "read rows": cpu_best(read),
        "row check": cpu_best(check),
        "build records": cpu_best(build),
        "build + serialize + write": cpu_best(write),
        "read back": cpu_best(writer.read_back),
    }
    parts["serialize + write"] = parts["build + serialize + write"] - parts["build records"]
    return parts


def token_parts(db: Database, folder: Path, fmt: str) -> dict[str, float]:
    """CPU seconds of each part of a repeated export of every done document in the token
    format ``fmt``, each timed alone: the plan, reading the documents and spans (plain rows,
    :mod:`annotator.export.token_rows`), reading their stored tokens, building and writing the
    format, reading it back as the export does, and its detailed check."""
    spec = get(fmt)
    plan = exporting._plan(
        db,
        spec,
        annotator=None,
        include_all=False,
        split=None,
        problems=ProblemLog(),
        progress=lambda *_: None,
        cancel=None,
    )
    pieces = range(0, len(plan.ids), exporting.BATCH)

    def read() -> list:  # type: ignore[type-arg]
        batches = []
        for first in pieces:
            ids = plan.ids[first : first + exporting.BATCH]
            with db.read() as store:
                batches.append(exporting._load_rows(store, plan, ids, first, None))
        return batches

    batches = read()

    def tokens() -> list:  # type: ignore[type-arg]
        return [
            stored_tokens(db, [d.text for d in docs], batch=exporting.BATCH) for docs in batches
        ]

    tokenized = tokens()
    suffix = FORMATS[fmt].suffix
    out = folder / f"parts-{fmt}{'' if suffix == 'folder' else suffix}"

    def write() -> Any:
        if out.is_dir():
            shutil.rmtree(out)
        if spec.is_folder:
            out.mkdir()
        context = ExportContext()
        writer = spec.writer(spec.target(out, None), context)
        for docs, tokens_of in zip(batches, tokenized, strict=True):
            for doc, tokens_of_doc in zip(docs, tokens_of, strict=True):
                writer.write(doc, tokens_of_doc)
        writer.close()
        if spec.finish is not None:
            spec.finish(out, context)
        assert context.built.clean, context.built.reason
        return writer

    writer = write()
    return {
        "plan": cpu_best(
            lambda: exporting._plan(
                db,
                spec,
                annotator=None,
                include_all=False,
                split=None,
                problems=ProblemLog(),
                progress=lambda *_: None,
                cancel=None,
            ),
            3,
        ),
        "read documents and spans": cpu_best(read, 3),
        "read stored tokens": cpu_best(tokens, 3),
        "build + write the format": cpu_best(write, 3),
        # What the export runs: the file compared with what was written
        # (docs/adr/0035-token-format-writing.md); the detailed check runs only when that or
        # the test of what was built finds something, and for `annotator export --check`.
        "read back as written": cpu_best(writer.read_back, 3),
        "detailed check": cpu_best(lambda: check_export(out, fmt), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--formats", default="annotator,prodigy,conll,hf")
    parser.add_argument("--memory-formats", default="annotator,prodigy")
    parser.add_argument(
        "--skip-tokenizer", action="store_true", help="leave out the tokenizer-alone reference"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="exports per format after the first (best kept)"
    )
    parser.add_argument(
        "--parts", action="store_true", help="time the parts of a native export, each alone"
    )
    parser.add_argument(
        "--token-parts",
        action="store_true",
        help="time the parts of each token format's export (--formats), each alone",
    )
    args = parser.parse_args()
    formats = args.formats.split(",")
    small = max(1, args.n // 4)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        db_path, small_path = folder / "big.sqlite", folder / "small.sqlite"
        build(db_path, args.n)
        build(small_path, small)
        conn = sqlite3.connect(db_path)
        spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        size = conn.execute("SELECT avg(length(text)) FROM documents").fetchone()[0]
        conn.close()
        print(
            f"built {args.n} documents of {size:.0f} characters with {spans} spans "
            f"({spans / args.n:.1f} per document) and {small} more in "
            f"{time.perf_counter() - t:.1f} s"
        )
        db = Database.open(db_path)
        if not args.skip_tokenizer:
            t = time.perf_counter()
            list(tokenize_many(texts(db_path), batch_size=200))
            print(f"spaCy tokenizer alone over every text: {time.perf_counter() - t:.1f} s")
        print(
            "floor: bare sqlite3 SELECT of texts and spans + orjson to a file, best of three, "
            "measured again before each format; CPU: the process's CPU time"
        )
        print(
            f"{'format':<11}{'first s':>9}{'again s':>9}{'docs/s':>8}{'check s':>9}"
            f"{'floor s':>9}{'first / floor':>15}{'again / floor':>15}"
            f"{'again CPU s':>13}{'floor CPU s':>13}{'CPU ratio':>11}"
        )
        for fmt in formats:
            suffix = FORMATS[fmt].suffix
            out = folder / f"out-{fmt}{suffix}"
            forget_tokens(db_path)  # each format's first export starts without stored tokens
            floors = [floor(db_path, folder / "floor.jsonl") for _ in range(3)]
            base, base_cpu = min(f[0] for f in floors), min(f[1] for f in floors)
            times, cpus = [], []
            for _ in range(1 + args.repeat):
                start, cpu = time.perf_counter(), time.process_time()
                summary = export(db, out, fmt=fmt, only_done=True)
                times.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
                assert summary.documents == args.n, summary
            first, again, again_cpu = times[0], min(times[1:]), min(cpus[1:])
            start = time.perf_counter()
            assert check_export(out, fmt) == []
            checking = time.perf_counter() - start
            print(
                f"{fmt:<11}{first:>9.2f}{again:>9.2f}{args.n / again:>8.0f}{checking:>9.2f}"
                f"{base:>9.2f}{base / first:>15.3f}{base / again:>15.3f}"
                f"{again_cpu:>13.2f}{base_cpu:>13.2f}{base_cpu / again_cpu:>11.3f}"
            )
        if args.parts:
            base_cpu = min(floor(db_path, folder / "floor.jsonl")[1] for _ in range(3))
            print(f"parts of a native export, CPU s (floor {base_cpu:.3f} s):")
            for name, seconds in native_parts(db, folder).items():
                print(f"  {name:<27}{seconds:>7.3f}{seconds / base_cpu:>7.2f} x floor")
        if args.token_parts:
            base_cpu = min(floor(db_path, folder / "floor.jsonl")[1] for _ in range(3))
            for fmt in formats:
                if not get(fmt).needs_tokens:
                    continue
                print(f"parts of a {fmt} export, CPU s (floor {base_cpu:.3f} s):")
                for name, seconds in token_parts(db, folder, fmt).items():
                    print(f"  {name:<27}{seconds:>7.3f}{seconds / base_cpu:>7.2f} x floor")
        db.close()
        for fmt in filter(None, args.memory_formats.split(",")):  # "": no memory runs
            suffix = FORMATS[fmt].suffix
            # Both sizes tokenize (the worst case for memory): no stored tokens in either.
            forget_tokens(small_path)
            forget_tokens(db_path)
            low = peak_memory(small_path, fmt, folder / f"mem-small-{fmt}{suffix}")
            high = peak_memory(db_path, fmt, folder / f"mem-big-{fmt}{suffix}")
            print(
                f"peak memory of a {fmt} export (fresh process): {small} documents "
                f"{low['VmHWM'] / 1024:.0f} MB, {args.n} documents {high['VmHWM'] / 1024:.0f} MB "
                f"(x{high['VmHWM'] / low['VmHWM']:.2f} for x{args.n / small:.0f} documents); "
                f"final VmRSS {low['VmRSS'] / 1024:.0f} / {high['VmRSS'] / 1024:.0f} MB"
            )


if __name__ == "__main__":
    main()
