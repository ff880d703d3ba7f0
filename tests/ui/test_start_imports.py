"""What the window's start imports: every module imported before the first document shows is
start-up time and memory (benchmarks/bench_start.py). These are needed only later, by the
feature that uses them, and must stay out of the start."""

from __future__ import annotations

import subprocess
import sys

#: Needed only to migrate (alembic), tokenize (spacy), store or compare near-duplicate
#: signatures (numpy), or import, export and merge (their services).
LATER = (
    "alembic",
    "spacy",
    "numpy",
    "annotator.services.importing",
    "annotator.services.exporting",
    "annotator.services.merging",
)


def test_the_window_modules_leave_later_work_unimported() -> None:
    script = (
        "import sys\n"
        "import annotator.app, annotator.services.project, annotator.ui.main_window\n"
        f"print(sorted(m for m in {LATER!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
