"""Window start on a large project: from a fresh process to the first document shown, and the
process's resident memory then.

Builds a project of N generated articles (``bench_import``'s generator, imported with
boilerplate detection), then starts a fresh process that imports Qt and the application,
opens the project, shows the main window and waits until the article view shows the first
document. Prints each phase's wall-clock and CPU seconds (the process's, all threads) and the
resident memory (goals: shown within 1.5 s, at most 200 MiB), then how much later the shown
document's tokens are ready (they are worked out after it is shown). Run it twice: the first run
after building also measures a cold page cache.

    python benchmarks/bench_start.py [--n 10000] [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def child(project: str) -> None:
    began, began_cpu = time.perf_counter(), time.process_time()
    marks: list[tuple[str, float, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter(), time.process_time()))

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    mark("Qt")
    from annotator.services.project import open_project
    from annotator.ui.main_window import MainWindow

    mark("modules")
    db = open_project(project, seed=False)
    mark("open project")
    window = MainWindow(db, "bench")
    window.resize(1280, 800)
    window.show()
    mark("window")
    while window.view is None:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    mark("first document")
    status = Path("/proc/self/status")
    rss = int(status.read_text().split("VmRSS:")[1].split()[0]) / 1024 if status.exists() else 0.0
    last, last_cpu = began, began_cpu
    parts = []
    for name, at, cpu in marks:
        parts.append(f"{name} {at - last:.2f} s (CPU {cpu - last_cpu:.2f})")
        last, last_cpu = at, cpu
    total, total_cpu = last - began, last_cpu - began_cpu
    print(f"shown after {total:.2f} s (CPU {total_cpu:.2f} s), resident {rss:.0f} MiB")
    print("  " + "; ".join(parts))
    # The document is shown before it is tokenized; the window has its tokens worked out on
    # the database worker next (selections snap to them): how much later they are there.
    view = window.view
    while not view.token_source.ready:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    ready, ready_cpu = time.perf_counter() - last, time.process_time() - last_cpu
    rss = int(status.read_text().split("VmRSS:")[1].split()[0]) / 1024 if status.exists() else 0.0
    print(f"  tokens ready {ready:.2f} s later (CPU {ready_cpu:.2f} s), resident {rss:.0f} MiB")
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    import bench_import

    from annotator.services.importing import import_paths
    from annotator.storage.database import Database

    folder = Path(tempfile.mkdtemp())
    source = folder / "articles.jsonl"
    bench_import.build(source, args.n)
    db = Database.open(folder / "project.sqlite")
    import_paths(db, [source])
    db.close()
    env = {
        **os.environ,
        "ANNOTATOR_CONFIG_DIR": str(folder / "config"),
        "ANNOTATOR_DATA_DIR": str(folder / "data"),
    }
    print(f"project of {args.n} articles; goals: shown within 1.5 s, at most 200 MiB")
    for _ in range(args.runs):
        subprocess.run(
            [sys.executable, __file__, "--child", str(folder / "project.sqlite")],
            check=True,
            env=env,
        )


if __name__ == "__main__":
    main()
