"""Window start on a large project: from a fresh process to the first document shown, and the
process's resident memory then.

Builds a project of N generated articles (``bench_import``'s generator, imported with
boilerplate detection), then starts a fresh process that imports Qt and the application,
opens the project, shows the main window and waits until the article view shows the first
document, as the application does (the integrity check and the automatic backup run after the
first document shows: docs/adr/0031-start-window.md). Prints each phase's wall-clock and CPU
seconds (the process's, all threads) and the resident memory (goals: shown within 1.5 s, at most
200 MiB), then how much later the check has passed and the shown document's tokens are here
(from the suggestion process), with the window process's memory then and whether it imported
spaCy. Run it twice: the first run after building also measures a cold page cache and takes the
automatic backup.

The modules are imported from bytecode compiled once before the runs, as an installed package
has it (``--source`` compiles them at every start instead, as a checkout run with
PYTHONDONTWRITEBYTECODE set does). ``--folder`` reuses the project an earlier run built there
(each run prints its folder), so that two versions of the code can be compared on one project.

    python benchmarks/bench_start.py [--n 10000] [--runs 2] [--source] [--folder DIR]
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

    #: How many modules were imported when each mark was made (importing them is most of the
    #: start's CPU time; `python -X importtime` says which).
    modules: list[int] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter(), time.process_time()))
        modules.append(len(sys.modules))

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # In the application's order: annotator.app imports the window's services (SQLAlchemy and
    # the storage layer) before Qt (docs/adr/0036-start-before-orm.md).
    from annotator.app import finish_checks
    from annotator.services.project import open_project
    from annotator.ui.main_window import MainWindow

    mark("modules")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    mark("Qt")
    db = open_project(project, seed=False, defer_checks=True)
    mark("open project")
    window = MainWindow(db, "bench")
    window.resize(1280, 800)
    # Marked the moment the document is on screen (connected before the deferred checks,
    # which start from the same signal).
    free: list[tuple[float, float]] = []

    def shown(_id: int) -> None:
        if window.view is None or free:
            return
        mark("first document")
        # When the window's thread is back in its event loop, where it paints the document and
        # takes the annotator's keys: whatever the rest of the start does on the window's
        # thread right after showing the document has run by then.
        QTimer.singleShot(0, lambda: free.append((time.perf_counter(), time.process_time())))

    window.documentShown.connect(shown)
    window.show()
    finish_checks(window, db)
    mark("window")
    while not free:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    del marks[5:]  # the first document only
    status = Path("/proc/self/status")
    rss = int(status.read_text().split("VmRSS:")[1].split()[0]) / 1024 if status.exists() else 0.0
    last, last_cpu = began, began_cpu
    parts = []
    for name, at, cpu in marks:
        parts.append(f"{name} {at - last:.2f} s (CPU {cpu - last_cpu:.2f})")
        last, last_cpu = at, cpu
    total, total_cpu = last - began, last_cpu - began_cpu
    print(
        f"shown after {total:.2f} s (CPU {total_cpu:.2f} s), resident {rss:.0f} MiB,"
        f" {modules[len(marks) - 1]} modules imported"
    )
    print("  " + "; ".join(parts))
    print(
        f"  window's thread free again {free[0][0] - last:.2f} s later"
        f" (CPU {free[0][1] - last_cpu:.2f} s)"
    )
    # After the first paint: the integrity check and backup, and the document's tokens (from
    # the suggestion process, which starts once the check has passed).
    view = window.view
    while not db.checked:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    checked, checked_cpu = time.perf_counter() - last, time.process_time() - last_cpu
    print(f"  check and backup done {checked:.2f} s later (CPU {checked_cpu:.2f} s)")
    while not view.token_source.ready:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    ready, ready_cpu = time.perf_counter() - last, time.process_time() - last_cpu
    rss = int(status.read_text().split("VmRSS:")[1].split()[0]) / 1024 if status.exists() else 0.0
    spacy = "spaCy imported" if "spacy" in sys.modules else "no spaCy"
    print(
        f"  tokens ready {ready:.2f} s later (CPU {ready_cpu:.2f} s),"
        f" resident {rss:.0f} MiB, {spacy}"
    )
    window.close()


def build_project(folder: Path, n: int) -> None:
    import bench_import

    from annotator.services.importing import import_paths
    from annotator.storage.database import Database

    source = folder / "articles.jsonl"
    bench_import.build(source, n)
    db = Database.open(folder / "project.sqlite")
    import_paths(db, [source])
    with db.write() as store:
        store.annotator_id("bench")  # a returning annotator (a new one's row is a write)
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--source",
        action="store_true",
        help="compile the modules' source at every start (no bytecode cache), as a checkout run"
        " with PYTHONDONTWRITEBYTECODE does; by default the bytecode is compiled once first,"
        " as installing the package does",
    )
    parser.add_argument("--folder", type=Path, help="reuse the project built there earlier")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    folder = args.folder or Path(tempfile.mkdtemp())
    if not (folder / "project.sqlite").exists():
        build_project(folder, args.n)
    env = {
        **os.environ,
        "ANNOTATOR_CONFIG_DIR": str(folder / "config"),
        "ANNOTATOR_DATA_DIR": str(folder / "data"),
    }
    if args.source:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        # An installed package starts from compiled bytecode (pip compiles it); a checkout
        # with PYTHONDONTWRITEBYTECODE set compiles every module at every start instead, about
        # 0.15 s of CPU of the start's modules. A cache of this run's own, filled once here.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
        subprocess.run(
            [sys.executable, "-c", "import annotator.app, annotator.ui.main_window"],
            check=True,
            env=env,
            cwd=Path(__file__).resolve().parent.parent,
        )
    bytecode = "compiled each start" if args.source else "bytecode compiled once, as installed"
    print(
        f"project of {args.n} articles in {folder} ({bytecode}); goals: shown within 1.5 s,"
        " at most 200 MiB"
    )
    for _ in range(args.runs):
        subprocess.run(
            [sys.executable, __file__, "--child", str(folder / "project.sqlite")],
            check=True,
            env=env,
        )


if __name__ == "__main__":
    main()
