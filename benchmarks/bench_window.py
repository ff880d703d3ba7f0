"""Window budgets that need the whole window: next document, and UI stalls during an import.

* next document: Ctrl+Right from a document to one with 100 spans, until the article view
  shows it (load on the database worker + set_view + paint); median of 30.
  Baseline in the same run: setPlainText + paint of the same text, no highlights.
* UI stall: while a background import of N generated articles runs (File > Import's code
  path), a 5 ms timer on the UI thread records the longest gap between its ticks.
  Baseline: the same timer with nothing running.

    python benchmarks/bench_window.py [--n 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_import
import orjson
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.core.model import Layer, Span
from annotator.storage.database import Database


def build_project(folder: Path) -> Database:
    db = Database.open(folder / "window.sqlite")
    text = "\n".join(
        f"Line {i}: the council said 42 homes in Valmora lost power." for i in range(120)
    )
    rows = [
        {
            "title": f"Article {n}",
            "text": f"{n}\n{text}\n",
            "sha256": hashlib.sha256(f"{n}\n{text}\n".encode()).hexdigest(),
        }
        for n in range(40)
    ]
    with db.write() as store:
        ids = store.insert_documents(rows)
        for doc_id in ids.values():
            doc_text = store.document(doc_id).text
            start = 0
            for _ in range(100):
                start = doc_text.index("Valmora", start + 1)
                store.add_span(Span(None, doc_id, Layer.ENTITY, start, start + 7, "GPE", "bench"))
    return db


def wait(app: QApplication, condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.perf_counter() + timeout
    while not condition():
        app.processEvents()
        if time.perf_counter() > end:
            raise TimeoutError
        time.sleep(0.0005)


def next_document(app: QApplication, window, db: Database) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(30):
        # An annotator reads before moving on: background work (prefetch) has finished.
        window.executor.wait_idle()
        current = window.view.document.id
        start = time.perf_counter()
        window.step(+1 if current < 39 else -39)
        wait(app, lambda current=current: window.view.document.id != current)
        window.article.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
    plain = QPlainTextEdit()
    plain.resize(window.article.size())
    plain.show()
    text = window.view.document.text
    base = []
    for _ in range(30):
        start = time.perf_counter()
        plain.setPlainText(text)
        plain.viewport().repaint()
        app.processEvents()
        base.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.median(base)


def longest_gap(app: QApplication, seconds: float, busy=None) -> float:  # type: ignore[no-untyped-def]
    clock = QElapsedTimer()
    gaps = [0.0]
    last = [0]
    clock.start()

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and (busy is None or busy()):
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return max(gaps)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--no-settle", action="store_true", help="skip the app's gc.freeze()")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(folder / "config")
    db = build_project(folder)
    from annotator.ui.main_window import MainWindow

    window = MainWindow(db, "bench")
    window.resize(1280, 800)
    window.show()
    wait(app, lambda: window.view is not None)
    if not args.no_settle:
        from annotator.app import settle_runtime

        settle_runtime()  # what the app does after showing the window
    median, base = next_document(app, window, db)
    print(
        f"next document (100 spans): median {median:.1f} ms; plain setPlainText {base:.1f} ms; "
        f"ratio {median / base:.1f} (goal <= 50 ms)"
    )

    jsonl = folder / "import.jsonl"
    rng = bench_import.random.Random(3)
    with jsonl.open("wb") as out:
        for i in range(args.n):
            out.write(orjson.dumps(bench_import.article(i, rng)) + b"\n")
    idle = longest_gap(app, 2.0)
    task = window.import_files([str(jsonl)])
    assert task is not None
    done = [False]
    task.finished.connect(lambda: done.__setitem__(0, True))
    started = time.perf_counter()
    busy = longest_gap(app, 3600, busy=lambda: not done[0])
    took = time.perf_counter() - started
    print(
        f"UI thread longest stall during a {args.n}-article import ({took:.0f} s): "
        f"{busy:.0f} ms; idle baseline {idle:.0f} ms (goal < 100 ms)"
    )
    window.close()


if __name__ == "__main__":
    main()
