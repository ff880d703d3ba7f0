"""What the window's start imports: every module imported before the first document shows is
start-up time and memory (benchmarks/bench_start.py). These are needed only later, by the
feature that uses them, and must stay out of the start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Needed only to migrate (alembic), tokenize (spacy: the window never does, its tokens come
#: from the suggestion process), store or compare near-duplicate signatures (numpy), import,
#: export and merge (their services), edit the labels (the schema editor), or run and train
#: the suggesters (below).
LATER = (
    "alembic",
    "spacy",
    "numpy",
    "annotator.services.importing",
    "annotator.services.exporting",
    "annotator.services.merging",
    "annotator.ui.schema_editor",
    # Building and running suggesters: the suggestion process does it (the window needs only
    # their settings, annotator.suggest.settings); the model's training service with the
    # learned model's modules, imported once the first document shows.
    "annotator.suggest.registry",
    "annotator.suggest.claims",
    "annotator.suggest.rules",
    "annotator.suggest.evaluation",
    "annotator.suggest.learned",
    "annotator.services.training",
    "annotator.export.splitting",
    # The seed lists' suggester with the gazetteer and its automaton (the window only hides
    # nested seed suggestions: annotator.suggest.nesting).
    "annotator.suggest.seeds",
    "annotator.suggest.gazetteer",
    "ahocorasick",
    # A project on SQLite never needs the PostgreSQL dialect.
    "sqlalchemy.dialects.postgresql",
)

#: Imported when the suggestion process starts: once the integrity check has passed, or on the
#: database worker when the shown document's tokens are asked of it (a text not in the token
#: cache); never by the window's modules.
WHEN_SUGGESTING = ("multiprocessing",)


def test_the_window_modules_leave_later_work_unimported() -> None:
    script = (
        "import sys\n"
        "import annotator.app, annotator.services.project, annotator.ui.main_window\n"
        f"print(sorted(m for m in {LATER + WHEN_SUGGESTING!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


#: A session in a fresh window process, driven by key presses: open a project, select a word
#: with Shift+Right and label it, accept a suggestion, move to the next document and label a
#: word there, and back. The tokens every step needs come from the suggestion process
#: (docs/adr/0031-start-window.md), so spaCy is never imported by the window's process.
SESSION = """
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

app = QApplication([])

from annotator.core.model import Layer, Suggestion
from annotator.services.project import open_project
from annotator.ui.main_window import MainWindow
from tests.builders import at, insert_documents, titled
from tests.ui.windows import wait_for_tokens

FIRST = "Officials in Kyiv said the ferry would resume on Monday, Mayor Petra Novak said.\\n"
SECOND = "Ferry resumes\\nThe Valmora ferry company said services would resume.\\n"
db = open_project(Path(sys.argv[1]) / "p.annotator")
with db.write() as store:
    first, second = insert_documents(store, [titled(FIRST), titled(SECOND)])
    store.add_suggestions([Suggestion(
        None, first, Layer.ENTITY, *at(FIRST, "Petra Novak"), "PERSON", "rules", 0.9, "t"
    )])

# What the window imported until its first document showed (the model's status, which
# imports the training service, comes right after); creating the project above migrated.
before = set(sys.modules)
window = MainWindow(db, "ana")
first_shown = []
window.documentShown.connect(
    lambda _id: first_shown
    or first_shown.append(sorted(m for m in LATER if m in sys.modules and m not in before))
)
window.show()
window.activateWindow()


def until(condition):
    while not condition():
        QCoreApplication.processEvents()
    assert window.executor.wait_idle(120_000)  # a loaded machine: wait, never fail on time


def tokens():
    # The suggestion process that sends them starts and loads spaCy first: on a loaded
    # machine that can take longer than the usual wait for a test's first window.
    wait_for_tokens(window, 120_000)


def press(key, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(window.article, key, modifier)
    assert window.executor.wait_idle(120_000)  # a loaded machine: wait, never fail on time
    tokens()


def label_word(text, word):
    start, _ = at(text, word)
    window.article.focus_item(None)
    window.article.select_range(start, start)
    press(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    press(Qt.Key.Key_1)


until(lambda: window.view is not None)
tokens()
until(lambda: window.view.document.id == first)
window.article.setFocus()
label_word(FIRST, "Officials")
suggestion = next(s for s in window.view.suggestions if s.label == "PERSON")
window.article.focus_item(suggestion)
press(Qt.Key.Key_Return)
press(Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
until(lambda: window.view.document.id == second)
tokens()
label_word(SECOND, "Valmora")
press(Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
until(lambda: window.view.document.id == first)
with db.read() as store:
    done = sorted(
        text[s.start : s.end]
        for document, text in ((first, FIRST), (second, SECOND))
        for s in store.spans(document, "ana")
    )
window.close()
print(done)
print(first_shown)
print(sorted(m for m in ("spacy", "thinc") if m in sys.modules))
"""


def test_a_session_never_imports_spacy_nor_later_work_before_the_first_document(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run(
        [sys.executable, "-c", f"LATER = {LATER!r}\n{SESSION}", str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    spans, at_first_document, imported = done.stdout.strip().splitlines()[-3:]
    assert spans == "['Officials', 'Petra Novak', 'Valmora']"  # the session did its work
    assert at_first_document == "[[]]"
    assert imported == "[]"


#: The application's start, as the annotator-gui script runs it (annotator.app first), up to the
#: first document; prints the SQLAlchemy and storage modules imported after PySide6 by then,
#: and the later work imported by then.
ORDER = """
import sys
import threading


class WhoImports:
    \"\"\"Records which thread imports the training service (finds nothing itself).\"\"\"

    threads = []

    def find_spec(self, name, path=None, target=None):
        if name == "annotator.services.training":
            self.threads.append(threading.current_thread() is threading.main_thread())


sys.meta_path.insert(0, WhoImports())
import annotator.app  # what the annotator-gui script imports first

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

app = QApplication([])
session = annotator.app.Session(app, unattended=True)
assert session.open(sys.argv[1])
shown = []  # the modules the moment the first document shows (the model's status comes next)
session.window.documentShown.connect(lambda _id: shown or shown.append(list(sys.modules)))
while not shown:
    QCoreApplication.processEvents()
names = shown[0]
late = names[names.index("PySide6") :]
print(sorted(n for n in late if n.startswith(("sqlalchemy", "annotator.storage"))))
print(sum(1 for n in names if n.split(".")[0] == "sqlalchemy"))
print(sorted(m for m in LATER if m in names))
# The model's status, read once the first document shows: on the database worker.
while not session.window.transfer.model_label.text().startswith("Model: "):
    QCoreApplication.processEvents()
print(["window's thread" if main else "worker" for main in WhoImports.threads])
session.close()
"""


def test_the_start_imports_sqlalchemy_and_the_storage_layer_before_qt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # PySide6 reads the source of every module imported after it (its import hook looks for
    # "from __feature__ import"): the start imports the window's services, with SQLAlchemy and
    # the storage layer, before Qt (docs/adr/0036-start-before-orm.md).
    from annotator.services.project import open_project
    from tests.builders import add_documents

    db = open_project(tmp_path / "p.annotator", seed=False)
    add_documents(db, ["Ferry resumes\nThe Valmora ferry company said services would resume.\n"])
    db.close()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"LATER = {LATER!r}\n{ORDER}",
            str(tmp_path / "p.annotator"),
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
            "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
        },
        cwd=Path(__file__).resolve().parents[2],
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    late, sqlalchemy_modules, later_work, training = done.stdout.strip().splitlines()[-4:]
    assert int(sqlalchemy_modules) > 100  # the start did import SQLAlchemy: before Qt
    assert late == "[]"
    assert later_work == "[]"  # nor anything the first document does not need
    # Importing the training service with the suggesters' modules (about 0.1 s of CPU) right
    # after the first document showed kept the window's thread from painting it.
    assert training == "['worker']"
