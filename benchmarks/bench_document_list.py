"""Benchmark: the document list over a 1,000,000-document project (docs/ARCHITECTURE.md,
"Large projects").

Run: ``.venv/bin/python benchmarks/bench_document_list.py [--documents N] [--rebuild]``.

Builds (once, cached under ``benchmarks/out/``) a SQLite project with raw ``sqlite3``
``executemany`` into the tables ``Database.open`` creates, then measures the real
``DocumentListModel`` in an offscreen ``QApplication`` against bare ``sqlite3`` queries on the
same file in the same run. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "out"
ANNOTATOR = "bench"
#: A word in about 0.5% of the texts: the selective text filter.
RARE_WORD = "zeppelin"

WORDS = (
    "ministry council harbour strike union minister river airline report said according "
    "officials police market prices energy border election court village protest bridge "
    "flood barrier engineers residents mayor company passengers airport weather storm "
    "hospital doctors school teachers budget taxes railway drivers talks offer workers"
).split()


def _texts(n: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """``(title, text)`` pairs: a short headline and about 200 characters of body."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(2000):
        words = rng.choices(WORDS, k=rng.randint(6, 10))
        sentences.append(" ".join(words).capitalize() + ".")
    for i in range(n):
        title = f"Report {i + 1}: {WORDS[i % len(WORDS)]} {WORDS[(i * 7) % len(WORDS)]}"
        body = " ".join(sentences[(i * k + k) % len(sentences)] for k in (1, 3, 5, 11))
        if i % 200 == 17:
            body = f"{body} A {RARE_WORD} was seen."
        yield title, f"{title}\n{body}"


def build(path: Path, n: int) -> None:
    """A project of ``n`` documents; 20% done, 5% in progress, 1% skipped for ``bench``."""
    from annotator.storage.database import Database

    tmp = path.with_suffix(".building")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    Database.open(tmp).close()  # creates the schema through the real migrations
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    now = "2024-01-01 00:00:00.000000"
    with conn:
        conn.execute(
            "INSERT INTO annotators (id, name, is_reviewer, created_at) VALUES (1, ?, 0, ?)",
            (ANNOTATOR, now),
        )
        batch: list[tuple[object, ...]] = []
        for i, (title, text) in enumerate(_texts(n), start=1):
            batch.append((i, f"doc-{i}", "bench", title, text, f"{i:064x}", "{}", now, 0))
            if len(batch) == 50_000:
                conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)", batch)
                batch.clear()
        conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)", batch)

        def status(i: int) -> str | None:
            r = i % 100
            return "done" if r < 20 else "in_progress" if r < 25 else "skipped" if r < 26 else None

        conn.executemany(
            "INSERT INTO document_status VALUES (?, 1, ?, 60.0, NULL, ?)",
            ((i, s, now) for i in range(1, n + 1) if (s := status(i)) is not None),
        )
        conn.executemany(
            'INSERT INTO spans (document_id, layer, start, "end", label, annotator_id, origin,'
            " attributes, ref, created_at, updated_at)"
            " VALUES (?, 'entity', ?, ?, 'ORG', 1, 'manual', '{}', NULL, ?, ?)",
            (
                (i, k * 10, k * 10 + 5, now, now)
                for i in range(1, n + 1)
                if status(i) == "done"
                for k in range(2)
            ),
        )
    conn.execute("ANALYZE")
    conn.close()
    tmp.replace(path)


def project(n: int, rebuild: bool) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"documents-{n}.sqlite"
    if rebuild or not path.exists():
        started = time.perf_counter()
        build(path, n)
        print(f"built {path.name} ({n:,} documents) in {time.perf_counter() - started:.1f} s")
    return path


def with_gap(path: Path, rebuild: bool) -> Path:
    """A copy with one document deleted in the middle: ids are no longer consecutive, so the
    list needs its page-start scan even without a filter."""
    gapped = path.with_name(path.stem + "-gap.sqlite")
    if rebuild or not gapped.exists() or gapped.stat().st_mtime < path.stat().st_mtime:
        shutil.copyfile(path, gapped)
        with sqlite3.connect(gapped) as conn:
            middle = conn.execute("SELECT max(id) / 2 FROM documents").fetchone()[0]
            conn.execute("DELETE FROM documents WHERE id = ?", (middle,))
        conn.close()
    return gapped


# -- measuring ---------------------------------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class StallMeter:
    """The longest the UI thread went without running a 5 ms timer: how long it was blocked."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return self.longest


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> float:
    """Run the event loop until ``condition()``; seconds it took. An event loop, as the app
    runs one: polling ``processEvents`` here would hold the GIL from the worker thread."""
    from PySide6.QtCore import QEventLoop, QTimer

    started = time.perf_counter()
    if condition():
        return 0.0
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)
    poll.timeout.connect(
        lambda: loop.quit() if condition() or time.perf_counter() - started > timeout else None
    )
    poll.start()
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("gave up waiting")
    return time.perf_counter() - started


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def baseline(path: Path) -> dict[str, float]:
    """Bare sqlite3 on the same file: the floor for what the list does."""
    conn = sqlite3.connect(path)
    n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    like = f"%{RARE_WORD}%"
    figures = {
        "count": timed(lambda: conn.execute("SELECT count(*) FROM documents").fetchone()),
        "first page": timed(
            lambda: conn.execute("SELECT id, title FROM documents ORDER BY id LIMIT 200").fetchall()
        ),
        "last page by OFFSET": timed(
            lambda: conn.execute(
                "SELECT id, title FROM documents ORDER BY id LIMIT 200 OFFSET ?", (n - 200,)
            ).fetchall()
        ),
        "text filter count": timed(
            lambda: conn.execute(
                "SELECT count(*) FROM documents WHERE title LIKE ? OR text LIKE ?", (like, like)
            ).fetchone(),
            repeat=1,
        ),
    }
    conn.close()
    return figures


def measure_list(path: Path, label: str) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from annotator.core.model import Status
    from annotator.services.workspace import Workspace
    from annotator.storage.database import Database
    from annotator.ui.document_list import DocumentList
    from annotator.ui.document_list_model import TITLE_COLUMN
    from annotator.ui.executor import DbExecutor

    app = QApplication.instance() or QApplication([])
    results: dict[str, float] = {}
    started = time.perf_counter()
    # No integrity check or backup here: those are Database.open's business, measured apart.
    db = Database.open(path, check=False, auto_backup=False)
    results["Database.open (no check, no backup)"] = time.perf_counter() - started
    executor = DbExecutor()
    stall = StallMeter()
    rss_before = rss_mb()

    stall.start()
    started = time.perf_counter()
    widget = DocumentList(Workspace(db, ANNOTATOR), executor)
    widget.resize(480, 900)
    widget.show()
    model, view = widget.model, widget.view
    wait_until(lambda: model.rowCount() > 0 and model.is_row_loaded(0))
    results["open list, first page shown"] = time.perf_counter() - started
    rows = model.rowCount()
    mark = time.perf_counter()
    view.scrollToBottom()
    wait_until(lambda: model.is_row_loaded(rows - 1))
    results["scroll to the end, last rows shown"] = time.perf_counter() - mark
    results["open + scroll to the end"] = time.perf_counter() - started
    results["pages read so far"] = model.pages_fetched
    wait_until(lambda: model.complete)
    results["list complete (page starts known)"] = time.perf_counter() - started
    results["UI thread longest stall, opening"] = stall.stop()
    rss_open = rss_mb()

    stall.start()
    mark = time.perf_counter()
    positions = 400
    for k in range(positions + 1):
        row = min(rows - 1, k * rows // positions)
        view.scrollTo(model.index(row, TITLE_COLUMN))
        wait_until(lambda row=row: model.is_row_loaded(row))
    results[f"scroll through {positions} positions, per position"] = (
        time.perf_counter() - mark
    ) / (positions + 1)
    results["UI thread longest stall, scrolling"] = stall.stop()
    results["pages cached after scrolling"] = model.cached_pages
    rss_scrolled = rss_mb()

    filters: list[tuple[str, str | None, Status | None]] = [
        (f"text {RARE_WORD!r} (0.5%)", RARE_WORD, None),
        ("text 'river' (82%)", "river", None),
        ("text, no match", "no such words", None),
        ("status done (20%)", None, Status.DONE),
        ("status new (74%)", None, Status.NEW),
    ]
    for name, text, status in filters:
        stall.start()
        mark = time.perf_counter()
        widget.set_filter(text, status)
        wait_until(lambda: model.complete or model.rowCount() > 0)
        first = float("nan")
        if model.rowCount() > 0:
            wait_until(lambda: model.is_row_loaded(0))
            first = time.perf_counter() - mark
        wait_until(lambda: model.complete)
        total = time.perf_counter() - mark
        results[f"filter {name}: first row"] = first
        results[f"filter {name}: final count {model.rowCount():,}"] = total
        results[f"filter {name}: UI longest stall"] = stall.stop()
    widget.set_filter(None, None)
    wait_until(lambda: model.complete)
    rss_end = rss_mb()

    print(f"\n== the document list: {label} ({rows:,} rows) ==")
    for key, value in results.items():
        if key.startswith(("pages", "rows")):
            print(f"  {key:<58} {value:>10,.0f}")
        elif value != value:  # NaN: nothing to show
            print(f"  {key:<58} {'-':>8}")
        else:
            print(f"  {key:<58} {value * 1000:>8.1f} ms")
    print(
        f"  {'resident memory: before / opened / scrolled / after filters':<58} "
        f"{rss_before:.0f} / {rss_open:.0f} / {rss_scrolled:.0f} / {rss_end:.0f} MB"
    )
    widget.close()
    widget.deleteLater()
    executor.wait_idle()
    executor.shutdown()
    db.close()
    app.processEvents()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after start-up, as an app can: a full collection of the start-up "
        "objects otherwise stalls every thread for about 100 ms now and then",
    )
    args = parser.parse_args()
    path = project(args.documents, args.rebuild)
    gapped = with_gap(path, args.rebuild)
    if args.build_only:
        return
    if args.gc_freeze:
        import gc

        import annotator.ui.document_list  # noqa: F401  (start-up imports, then freeze)

        gc.collect()
        gc.freeze()
        print("gc.freeze() after start-up")

    print(f"project: {path} ({path.stat().st_size / 1e6:,.0f} MB)")
    floor = baseline(path)
    print("\n== baseline: bare sqlite3, same file, same run ==")
    for key, value in floor.items():
        print(f"  {key:<58} {value * 1000:>8.1f} ms")
    raw_open_end = floor["count"] + floor["first page"] + floor["last page by OFFSET"]
    print(f"  {'count + first page + last page by OFFSET':<58} {raw_open_end * 1000:>8.1f} ms")

    dense = measure_list(path, "consecutive ids")
    gaps = measure_list(gapped, "one document deleted")

    print("\n== against the budget (open + scroll to the end <= 1 s) and the baseline ==")
    for name, results in (("consecutive ids", dense), ("one deleted", gaps)):
        total = results["open + scroll to the end"]
        print(
            f"  {name:<20} open + end {total * 1000:7.1f} ms  "
            f"({total / raw_open_end:.2f}x bare count + first + last page)  "
            f"{'OK' if total <= 1.0 else 'OVER BUDGET'}"
        )
    rare = next(
        v for k, v in dense.items() if k.startswith(f"filter text {RARE_WORD!r}") and "final" in k
    )
    print(
        f"  text filter to final count: {rare * 1000:.0f} ms, "
        f"{rare / floor['text filter count']:.2f}x a bare LIKE count(*)"
    )


if __name__ == "__main__":
    main()
