"""Import throughput and memory: ``import_paths`` of generated articles against a bare floor.

Builds N articles of about 3 KB in the shape of scraped news (headline, standfirst, an outlet
appeal glued to the body, a comment footer), written as a folder of text files (one subfolder
per outlet, as scrapes are saved), as plain JSONL, and as native JSONL with 10 spans per
document (8 entities, 2 claims citing one of them). Then, in the same run:

* floor (plain): read every file or line, decode UTF-8, NFC, sha256, and insert the rows with
  ``sqlite3.executemany`` in batches of 500, one transaction per batch, WAL on: the whole of
  it timed, what any import must do at least;
* floor (native): the same for the native file, plus an ``executemany`` of its spans;
* ours: :func:`annotator.services.importing.import_paths` of each into a new project, plain
  with boilerplate detection and without; JSONL also with boilerplate and near-duplicate
  detection (signatures, band keys, grouping; the default of ``annotator import``), whose cost
  is printed as the ratio to the run with boilerplate alone (goal <= 1.20). Native: with
  boilerplate detection, which finds nothing to do for native records (they carry their own
  ignored ranges), so the goal's row is the import alone; then with near-duplicate
  detection too, as ``annotator import`` runs by default.

Prints seconds, documents/s and floor_time / our_time (goals: plain >= 0.5 of the floor with
boilerplate detection, native >= 5,000 documents/s). ``--memory`` measures the peak resident
memory of an import in a fresh process at N/4 and N documents (flat: about the same).

    python benchmarks/bench_import.py [--n 10000] [--memory] [--only jsonl] [--vocabulary news]
        [--no-near-duplicates] [--repeat 3]

``--repeat R`` imports the JSONL file with boilerplate alone and with near-duplicates R times
each, alternating, and takes the ratio of the least CPU time of each (the run least disturbed
by other work on a shared machine).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
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


#: Body words: WORDS (the default; every article is written from the same 34 words, so that
#: the bodies of unrelated articles are about 0.06 alike by MinHash) or, with
#: ``--vocabulary news``, a vocabulary of NEWS_WORDS generated words drawn by Zipf's law as
#: in real news text (unrelated articles about 0.012 alike). Set by :func:`use_vocabulary`.
NEWS_WORDS = 5000
_VOCABULARY: tuple[list[str], list[float] | None] = (WORDS, None)


def use_vocabulary(name: str) -> None:
    """Write the articles built from now on from the named vocabulary ("small" or "news")."""
    global _VOCABULARY
    if name == "small":
        _VOCABULARY = (WORDS, None)
        return
    rng = random.Random(5)
    letters = "etaoinshrdlucmfwypvbgkqjxz"
    words = sorted(
        {
            "".join(rng.choices(letters, weights=range(26, 0, -1), k=rng.randint(2, 11)))
            for _ in range(NEWS_WORDS * 2)
        }
    )[:NEWS_WORDS]
    rng.shuffle(words)
    # Zipf: the word of rank k is drawn in proportion to 1 / k.
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cumulative.append(total)
    _VOCABULARY = (words, cumulative)


def sentence(rng: random.Random) -> str:
    vocabulary, cumulative = _VOCABULARY
    words = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(10, 22))
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


LABELS = ("ORG", "PERSON", "GPE", "QUANTITY")


def build(path: Path, n: int) -> None:
    """Plain JSONL: id, title, text, source, meta."""
    rng = random.Random(7)
    with path.open("wb") as out:
        for i in range(n):
            out.write(orjson.dumps(article(i, rng)) + b"\n")


def build_txt(folder: Path, n: int) -> None:
    """The same articles as text files, one folder per outlet (the folder is the source)."""
    rng = random.Random(7)
    for i in range(n):
        record = article(i, rng)
        outlet = folder / record["source"]
        outlet.mkdir(parents=True, exist_ok=True)
        (outlet / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")


def with_spans(record: dict, rng: random.Random) -> dict:
    """A native record: 8 entities on words of the text and 2 claims citing the first."""
    text = record["text"]
    words = [w for w in _words_at(text) if w[1] - w[0] >= 4]
    picked = sorted(rng.sample(words, 10))
    entities = [
        {"id": f"T{k}", "start": s, "end": e, "label": LABELS[k % 4], "annotator": "ana"}
        for k, (s, e) in enumerate(picked[:8])
    ]
    claims = [
        {"id": f"C{k}", "start": s, "end": e, "claimant": "T0", "type": "other", "annotator": "ana"}
        for k, (s, e) in enumerate(picked[8:])
    ]
    return {**record, "entities": entities, "claims": claims, "status": "done"}


def _words_at(text: str) -> list[tuple[int, int]]:
    found, start = [], None
    for i, ch in enumerate(text):
        if ch.isalnum():
            if start is None:
                start = i
        elif start is not None:
            found.append((start, i))
            start = None
    return found


def build_native(path: Path, n: int) -> None:
    rng = random.Random(11)
    with path.open("wb") as out:
        for i in range(n):
            out.write(orjson.dumps(with_spans(article(i, rng), rng)) + b"\n")


def _floor_db(folder: Path, name: str) -> sqlite3.Connection:
    target = folder / f"{name}.sqlite"
    for leftover in folder.glob(f"{name}.sqlite*"):
        leftover.unlink()
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, source TEXT, "
        "title TEXT NOT NULL, text TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, meta TEXT, "
        "imported_at TEXT DEFAULT CURRENT_TIMESTAMP)"
    )
    db.execute("CREATE INDEX ix_source ON documents(source)")
    db.execute(
        "CREATE TABLE spans (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, layer TEXT, "
        'start INTEGER, "end" INTEGER, label TEXT, annotator_id INTEGER, origin TEXT, '
        "attributes TEXT, ref TEXT, version INTEGER, created_at TEXT, updated_at TEXT)"
    )
    return db


def _insert(db: sqlite3.Connection, rows: list[tuple]) -> None:
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO documents (external_id, source, title, text, sha256, meta) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute("COMMIT")


def _row(record: dict) -> tuple:
    text = unicodedata.normalize("NFC", record["text"])
    return (
        record["id"],
        record["source"],
        record["title"],
        text,
        hashlib.sha256(text.encode()).hexdigest(),
        orjson.dumps(record["meta"]).decode(),
    )


def _floor_rows(folder: Path, rows: Iterable[tuple]) -> tuple[float, float]:
    """(wall, CPU) seconds of producing ``rows`` (reading and decoding happen as they are
    drawn) and inserting them with executemany in batches: the whole of it timed."""
    db = _floor_db(folder, "floor")
    start, cpu = time.perf_counter(), time.process_time()
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            _insert(db, batch)
            batch = []
    if batch:
        _insert(db, batch)
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return elapsed


def floor_jsonl(jsonl: Path, folder: Path) -> tuple[float, float]:
    """Read, decode, NFC, sha256, executemany in batches: the whole of it timed."""

    def rows() -> Iterator[tuple]:
        with jsonl.open("rb") as handle:
            for line in handle:
                yield _row(orjson.loads(line))

    return _floor_rows(folder, rows())


def floor_txt(root: Path, folder: Path) -> tuple[float, float]:
    def rows() -> Iterator[tuple]:
        for path in sorted(root.rglob("*.txt")):
            text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8"))
            title = text.split("\n", 1)[0]
            digest = hashlib.sha256(text.encode()).hexdigest()
            yield (path.stem, path.parent.name, title, text, digest, "{}")

    return _floor_rows(folder, rows())


def floor_native(native: Path, folder: Path) -> tuple[float, float]:
    """As ``floor_jsonl``, and each batch's spans inserted by one more executemany."""
    db = _floor_db(folder, "floor")
    start, cpu = time.perf_counter(), time.process_time()
    rows: list[tuple] = []
    spans: list[list[tuple]] = []

    def flush() -> None:
        db.execute("BEGIN IMMEDIATE")
        first = db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0] + 1
        db.executemany(
            "INSERT INTO documents (external_id, source, title, text, sha256, meta) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.executemany(
            'INSERT INTO spans (document_id, layer, start, "end", label, annotator_id, origin, '
            "attributes, ref, version, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 1, 'manual', '{}', ?, 1, ?, ?)",
            [(first + k, *span) for k, doc_spans in enumerate(spans) for span in doc_spans],
        )
        db.execute("COMMIT")

    stamp = "2026-12-07 00:00:00.000000"
    with native.open("rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            rows.append(_row(record))
            spans.append(
                [
                    (layer, s["start"], s["end"], s.get("label", "CLAIM"), s["id"], stamp, stamp)
                    for layer, key in (("entity", "entities"), ("claim", "claims"))
                    for s in record[key]
                ]
            )
            if len(rows) == BATCH_SIZE:
                flush()
                rows, spans = [], []
    if rows:
        flush()
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return elapsed


def ours(
    source: Path, folder: Path, name: str, boilerplate: bool, near_duplicates: bool = False
) -> tuple[tuple[float, float], int, Path]:
    """(wall, CPU) seconds, documents imported, the project's path."""
    path = folder / f"{name}.sqlite"
    db = Database.open(path)
    start, cpu = time.perf_counter(), time.process_time()
    summary = import_paths(
        db,
        [source],
        detect_boilerplate=boilerplate,
        detect_near_duplicates=near_duplicates,
    )
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    assert not summary.errors, summary.errors[:3]
    return elapsed, summary.imported, path


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def peak_rss(kind: str, n: int, vocabulary: str) -> float:
    """Peak resident memory (MB) of a fresh process importing ``n`` generated documents."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--n", str(n), "--vocabulary", vocabulary],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.split()[-1])


def child(kind: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / ("in" if kind == "txt" else "in.jsonl")
        if kind == "txt":
            build_txt(source, n)
        elif kind == "jsonl":
            build(source, n)
        else:
            build_native(source, n)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ours(source, folder, "ours", boilerplate=True)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # ru_maxrss is in KiB on Linux.
        print(f"{before / 1024:.1f} {after / 1024:.1f}")


def line(name: str, seconds: tuple[float, float], docs: int, floor: tuple[float, float]) -> None:
    wall, cpu = seconds
    print(
        f"{name:<44}{wall:>8.2f}{docs / wall:>9.0f}{floor[0] / wall:>7.2f}"
        f"{cpu:>8.2f}{floor[1] / cpu:>7.2f}"
    )


def repeat_near_duplicates(
    jsonl: Path, folder: Path, times: int, full: tuple[float, float], near: tuple[float, float]
) -> None:
    """Import with boilerplate alone and with near-duplicates ``times`` times each (the runs
    already made count as the first), alternating; print the ratio of the least CPU times."""
    alone, both = [full[1]], [near[1]]
    for run in range(1, times):
        for name, detect, cpu in (("b", False, alone), ("n", True, both)):
            path = folder / f"repeat-{name}{run}.sqlite"
            (_, seconds), _, _ = ours(
                jsonl, folder, path.stem, boilerplate=True, near_duplicates=detect
            )
            cpu.append(seconds)
            for leftover in folder.glob(path.name + "*"):
                leftover.unlink()
    print(
        f"{times} runs each, CPU s: boilerplate {', '.join(f'{s:.2f}' for s in alone)}; "
        f"+ near-duplicates {', '.join(f'{s:.2f}' for s in both)}"
    )
    print(
        f"near-duplicate detection costs {min(both) / min(alone):.2f}x (least CPU of each) "
        f"the import with boilerplate (goal <= 1.20)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--memory", action="store_true", help="peak memory at N/4 and N")
    parser.add_argument(
        "--only", default="txt,jsonl,native", help="which inputs to run (default: all three)"
    )
    parser.add_argument(
        "--vocabulary",
        choices=("small", "news"),
        default="small",
        help="body words: the same 34 words everywhere (default), or a few thousand by Zipf's law",
    )
    parser.add_argument(
        "--no-near-duplicates",
        action="store_true",
        help="skip the JSONL run with near-duplicate detection (the goal for plain text and "
        "JSONL is stated with boilerplate detection alone)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="JSONL with boilerplate and with near-duplicates this many times each, alternating",
    )
    parser.add_argument("--child", choices=("txt", "jsonl", "native"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    use_vocabulary(args.vocabulary)
    if args.child:
        child(args.child, args.n)
        return
    if args.memory:
        print("peak resident memory of an import with boilerplate detection, fresh process:")
        for kind in args.only.split(","):
            small = peak_rss(kind, args.n // 4, args.vocabulary)
            large = peak_rss(kind, args.n, args.vocabulary)
            print(
                f"  {kind:<7} {args.n // 4:>7} documents: {small:.0f} MB; "
                f"{args.n:>7}: {large:.0f} MB (x{large / small:.2f})"
            )
        return
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jsonl, txt, native = folder / "articles.jsonl", folder / "txt", folder / "native.jsonl"
        t = time.perf_counter()
        build(jsonl, args.n)
        if "txt" in only:
            build_txt(txt, args.n)
        if "native" in only:
            build_native(native, args.n)
        print(
            f"built {args.n} articles ({jsonl.stat().st_size / args.n:.0f} bytes each) "
            f"in {time.perf_counter() - t:.1f} s from the {args.vocabulary!r} vocabulary; "
            "native records carry 10 spans each"
        )
        # Wall-clock seconds, and CPU seconds of this process: on a shared machine the wall
        # clock measures mostly the wait for a core, the CPU time what the work costs.
        print(f"{'run':<44}{'wall s':>8}{'docs/s':>9}{'ratio':>7}{'CPU s':>8}{'ratio':>7}")
        if "txt" in only:
            floor = floor_txt(txt, folder)
            line("floor: txt folder", floor, args.n, floor)
            full, imported, _ = ours(txt, folder, "txt-boilerplate", boilerplate=True)
            line("annotator import txt folder + boilerplate", full, imported, floor)
            plain, imported, _ = ours(txt, folder, "txt", boilerplate=False)
            line("annotator import txt folder", plain, imported, floor)
        if "jsonl" in only:
            floor = floor_jsonl(jsonl, folder)
            line("floor: JSONL", floor, args.n, floor)
            full, imported, full_path = ours(jsonl, folder, "jsonl-boilerplate", boilerplate=True)
            line("annotator import JSONL + boilerplate", full, imported, floor)
            plain, imported, _ = ours(jsonl, folder, "jsonl", boilerplate=False)
            line("annotator import JSONL", plain, imported, floor)
            if not args.no_near_duplicates:
                near, imported, near_path = ours(
                    jsonl, folder, "jsonl-near", boilerplate=True, near_duplicates=True
                )
                line("annotator import JSONL + near-duplicates", near, imported, floor)
                print(
                    f"near-duplicate detection costs {near[0] / full[0]:.2f}x (wall) "
                    f"{near[1] / full[1]:.2f}x (CPU) the import with boilerplate (goal <= 1.20)"
                )
                if args.repeat > 1:
                    repeat_near_duplicates(jsonl, folder, args.repeat, full, near)
                print(
                    f"database size per article: {size(full_path) / imported:.0f} bytes, "
                    f"{size(near_path) / imported:.0f} with near-duplicates "
                    f"(floor {size(folder / 'floor.sqlite') / args.n:.0f})"
                )
        if "native" in only:
            floor = floor_native(native, folder)
            line("floor: native JSONL, 10 spans per document", floor, args.n, floor)
            # Native records bring their own ignored ranges: boilerplate detection (on here)
            # counts and marks no native document, so this row is the import alone.
            spans, imported, _ = ours(native, folder, "native", boilerplate=True)
            line("annotator import native (goal 5,000 docs/s)", spans, imported, floor)
            print(f"  = {imported / spans[1]:,.0f} documents per CPU second")
            # What `annotator import` does by default: near-duplicate detection as well.
            near, imported, _ = ours(
                native, folder, "native-near", boilerplate=True, near_duplicates=True
            )
            line("annotator import native + near-duplicates", near, imported, floor)
            print(f"  = {imported / near[1]:,.0f} documents per CPU second")


if __name__ == "__main__":
    main()
